"""A build killed at random moments (SIGKILL) always leaves the last good build intact and readable."""

import random
import signal
import sqlite3
import subprocess
import sys
import time

from weapon_use_positions.build import build
from weapon_use_positions.checksums import verify
from weapon_use_positions.paths import BUILD_PREFIX, DB_NAME
from weapon_use_positions.synth import write_synthetic_data

from .conftest import MINIMAL

KILLS = 20


def readable(folder):
    """The build at `folder` is complete: checksums match and the database opens and is consistent."""
    assert verify(folder) > 5
    conn = sqlite3.connect(f"file:{folder / DB_NAME}?mode=ro", uri=True)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    return conn.execute("select count(*) from positions").fetchone()[0]


def test_sigkill_during_build_never_loses_the_last_good_build(tmp_path):
    out = tmp_path / "dataset"
    build(MINIMAL, out)
    fixture = readable(out.resolve())
    good = {fixture}
    bigger = tmp_path / "bigger"
    write_synthetic_data(bigger, 3000, 5, seed=1)
    rng = random.Random(7)
    for attempt in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-m", "weapon_use_positions", "build", "--data", str(bigger), "--out", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 3.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        positions = readable(out.resolve())
        good.add(positions)
        assert positions in (fixture, 3000), f"attempt {attempt}: a build with {positions} positions"
    # the next successful build cleans up what the killed ones left behind
    build(MINIMAL, out)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".dataset")) == [
        ".dataset.builds",
        ".dataset.lock",
    ]
    builds = [p.name for p in (tmp_path / ".dataset.builds").iterdir() if p.name.startswith(BUILD_PREFIX)]
    assert builds == [out.resolve().name]
