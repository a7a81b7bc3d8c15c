import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner

from weapon_use_positions.build import build
from weapon_use_positions.cli import cli
from weapon_use_positions.paths import DB_NAME, default_build_dir

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture(scope="session")
def built() -> Path:
    """The real data built into the repository's build folder, as `make serve` does."""
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    return default_build_dir().resolve()


@pytest.fixture(scope="session")
def real_db(built) -> Path:
    return built / DB_NAME


@pytest.fixture(scope="session")
def minimal_build(tmp_path_factory) -> Path:
    """The tiny fixture tree with known answers, built into a temporary folder."""
    out = tmp_path_factory.mktemp("minimal") / "dataset"
    build(MINIMAL, out)
    return out.resolve()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the fixture tree, for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    return target


def edit_yaml(path: Path, edit) -> None:
    """Load a data file, apply edit(data), write it back (for building broken copies)."""
    data = yaml.safe_load(path.read_text())
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(base: str, process, output) -> None:
    """Wait (up to 30 s) until the server at base answers; fail with its `output()` if it stopped."""
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/", timeout=2)
            return
        except httpx.TransportError:
            assert process.poll() is None, output()
            assert time.monotonic() < deadline, "the server did not start in 30 s"
            time.sleep(0.2)


@contextmanager
def running_server(dataset: Path | None = None):
    """`weapon-use-positions serve` in a child process on a free port of 127.0.0.1; yields its base URL."""
    port = free_port()
    argv = [sys.executable, "-m", "weapon_use_positions", "serve", "--port", str(port)]
    server = subprocess.Popen(
        argv + (["--dataset", str(dataset)] if dataset else []), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server, lambda: server.stdout.read().decode())
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
