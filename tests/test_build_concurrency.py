"""Several builds at once to one --out take turns under the lock: the link always resolves to a complete build.

Issue 14, acceptance point 3. Before the lock, four builds at once left the link dangling while they
all reported success. Here BUILDERS real CLI builds start together, ROUNDS times, with one more
build killed (SIGKILL) at a random moment each round and one started after it, while a thread checks the link the whole
time; every build must succeed (it waits its turn) and no check may find the link missing,
dangling or pointing at an incomplete build, and no staging folder may be left.
"""

import fcntl
import os
import random
import subprocess
import sys
import threading
import time

from weapon_use_positions.build import build
from weapon_use_positions.checksums import VerificationError, verify
from weapon_use_positions.paths import BUILD_LOCK_SUFFIX, BUILDS_MARKER, BUILDS_SUFFIX
from weapon_use_positions.synth import write_synthetic_data

from .conftest import MINIMAL

BUILDERS = 5
ROUNDS = 3
#: Generous: the builds of a round take turns, about 2 s of writing each on two cores.
ROUND_SECONDS = 240


def build_command(data, out, *extra):
    return [sys.executable, "-m", "weapon_use_positions", "build", "--data", str(data), "--out", str(out), *extra]


def link_problem(out):
    """None if `out` is a complete build now, else what is wrong with it.

    A build that the link left while it was being checked (an earlier build, removed once replaced)
    is not a broken state: the link itself had already moved on to a complete build.
    """
    try:
        target = os.readlink(out)
    except OSError as error:
        return f"no link: {error}"
    try:
        verify(out.parent / target)
        return None
    except (VerificationError, OSError) as error:
        if os.readlink(out) != target:
            return None
        return f"{target}: {error}"


def own_entries(out):
    """What the builds left beside `out` and in their builds folder."""
    beside = sorted(p.name for p in out.parent.iterdir())
    inside = sorted(p.name for p in (out.parent / f".{out.name}{BUILDS_SUFFIX}").iterdir())
    return beside, inside


def test_builds_at_once_to_one_out_always_leave_a_complete_build(tmp_path):
    bigger = tmp_path / "bigger"
    write_synthetic_data(bigger, 300, 4, seed=2)
    out = tmp_path / "site" / "dataset"
    build(MINIMAL, out)
    problems, checks, stop = [], [0], threading.Event()
    rng = random.Random(14)

    def watch():
        while not stop.is_set():
            problem = link_problem(out)
            checks[0] += 1
            if problem:
                problems.append(problem)
            time.sleep(0.01)  # leave the cores to the builds

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for round_number in range(ROUNDS):
            children = [
                subprocess.Popen(
                    build_command(bigger if i % 2 else MINIMAL, out, "--wait", str(ROUND_SECONDS)),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for i in range(BUILDERS)
            ]
            victim = subprocess.Popen(build_command(bigger, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.5, 4.0))
            victim.kill()  # it may hold the lock, be waiting for it, or be validating: the others carry on
            victim.wait()
            # one more build, started after the kill, so that a build takes the lock after it (and cleans up)
            children.append(
                subprocess.Popen(build_command(MINIMAL, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            )
            for child in children:
                stdout, stderr = child.communicate(timeout=ROUND_SECONDS)
                assert child.returncode == 0, (round_number, stderr)
                assert stdout.startswith(f"built {out}"), stdout
                assert "Traceback" not in stderr
            assert link_problem(out) is None
            beside, inside = own_entries(out)
            assert beside == [".dataset.builds", ".dataset.lock", "dataset"], beside
            assert inside == sorted([BUILDS_MARKER, os.readlink(out).split("/")[1]]), inside
    finally:
        stop.set()
        watcher.join()
    assert problems == [], problems[:5]
    assert checks[0] > 10 * ROUNDS, "the watcher hardly ran"
    print(
        f"{BUILDERS} + 1 builds and 1 killed x {ROUNDS} rounds: {checks[0]} checks of the link, {len(problems)} broken states"
    )


def hold_lock(out):
    """Take the lock of builds to `out` as another build would; returns the open file (close it to release)."""
    lock = open(out.parent / f".{out.name}{BUILD_LOCK_SUFFIX}", "a")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return lock


def test_a_build_that_cannot_take_the_lock_in_time_exits_2_and_changes_nothing(tmp_path):
    out = tmp_path / "dataset"
    build(MINIMAL, out)
    before = os.readlink(out)
    lock = hold_lock(out)
    try:
        started = time.monotonic()
        result = subprocess.run(build_command(MINIMAL, out, "--wait", "0.5"), capture_output=True, text=True)
        waited = time.monotonic() - started
    finally:
        lock.close()
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    message = result.stderr.strip().splitlines()[-1]
    assert message == (
        f"Error: another build to {out} still holds {tmp_path / '.dataset.lock'} after 0.5 s; "
        "nothing was built: build again when it has finished"
    )
    assert "Traceback" not in result.stderr
    assert waited < 60  # half a second of waiting plus start-up; the bound is generous
    assert os.readlink(out) == before
    verify(out.resolve())
    assert own_entries(out)[1] == sorted([BUILDS_MARKER, before.split("/")[1]])


def test_a_build_waits_for_the_lock_and_then_builds(tmp_path):
    out = tmp_path / "dataset"
    build(MINIMAL, out)
    before = os.readlink(out)
    lock = hold_lock(out)
    log = tmp_path / "stderr.txt"
    try:
        with open(log, "w") as stderr:
            child = subprocess.Popen(build_command(MINIMAL, out, "--wait", "120"), stderr=stderr, text=True)
        deadline = time.monotonic() + 60
        while "waiting for another build" not in log.read_text():
            assert child.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the build did not say it was waiting within 60 s"
            time.sleep(0.1)
        assert os.readlink(out) == before  # nothing changes while it waits
    finally:
        lock.close()
    assert child.wait(timeout=120) == 0, log.read_text()
    assert log.read_text().splitlines()[0] == f"waiting for another build to {out} to finish…"
    assert os.readlink(out) != before
    verify(out.resolve())


def test_a_rebuild_leaves_the_build_a_server_is_serving(tmp_path):
    """`serve` holds its build's serving lock: later builds keep that folder until the server stops."""
    import httpx

    from .conftest import running_server

    out = tmp_path / "dataset"
    build(MINIMAL, out)
    served = out.resolve()
    with running_server(out) as base:
        build(MINIMAL, out)
        build(MINIMAL, out)
        assert out.resolve() != served and served.is_dir()
        assert httpx.get(f"{base}/downloads/datapackage.json", timeout=10).status_code == 200
        assert httpx.get(f"{base}/downloads/csv/positions.csv", timeout=10).status_code == 200
    build(MINIMAL, out)
    assert not served.exists(), "once the server stops, the next build removes its folder"
    verify(out)
