"""The wheel carries the built dataset and works in a fresh virtual environment outside the repository."""

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import MINIMAL, ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from this checkout, installed without extras in a fresh venv; (venv, a folder elsewhere)."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in ("weapon_use_positions.db", "parquet/positions.parquet", "datapackage.json", "datasette.yaml"):
        assert f"weapon_use_positions/_data/{shipped}" in names
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=600
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return env_dir, elsewhere


def run(env_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        list(args), cwd=cwd, capture_output=True, text=True, timeout=300, env={"PATH": str(env_dir / "bin")}
    )


def python(env_dir: Path, cwd: Path, code: str) -> subprocess.CompletedProcess:
    return run(env_dir, cwd, str(env_dir / "bin" / "python"), "-c", code)


def cli(env_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return run(env_dir, cwd, str(env_dir / "bin" / "weapon-use-positions"), *args)


def test_wheel_reads_its_own_dataset(installed):
    env_dir, elsewhere = installed
    result = python(env_dir, elsewhere, "import weapon_use_positions as w; print(w.as_of('2024-06-15'))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("shape: (")
    checked = python(
        env_dir,
        elsewhere,
        "import weapon_use_positions as w; f = w.as_of('2024-06-15'); "
        "print(w.dataset_dir()); print(sorted(set(f['actor_id'])))",
    )
    folder, actors = checked.stdout.splitlines()
    assert folder.startswith(str(env_dir)), "the wheel's own dataset was not used"
    assert "'DEU'" in actors and "'USA'" in actors
    as_json = cli(env_dir, elsewhere, "as-of", "2024-06-15", "--actor", "DEU", "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert '"actor_id": "DEU"' in as_json.stdout


def test_verify_works_every_time_and_names_a_changed_file(installed):
    env_dir, elsewhere = installed
    twice = python(
        env_dir,
        elsewhere,
        "import weapon_use_positions as w; a = w.verify(); import weapon_use_positions.build; b = w.verify(); "
        "import weapon_use_positions.checksums; print(a, b, w.verify())",
    )
    assert twice.returncode == 0, twice.stderr
    first, second, third = (int(n) for n in twice.stdout.split())
    assert first == second == third >= 10
    shipped_db = next(env_dir.rglob("weapon_use_positions/_data/weapon_use_positions.db"))
    original = shipped_db.read_bytes()
    raw = bytearray(original)
    raw[1000] ^= 0x01
    shipped_db.write_bytes(bytes(raw))
    try:
        tampered = python(env_dir, elsewhere, "import weapon_use_positions as w; w.verify()")
    finally:
        shipped_db.write_bytes(original)
    assert tampered.returncode == 1
    assert "VerificationError: weapon_use_positions.db differs from the shipped file" in tampered.stderr


def test_api_is_discoverable(installed):
    env_dir, elsewhere = installed
    result = python(
        env_dir,
        elsewhere,
        "import weapon_use_positions as w; print(' '.join(dir(w))); "
        "print(w.tables().height, w.conditions().height, w.changes().height, w.releases().height)",
    )
    assert result.returncode == 0, result.stderr
    names, counts = result.stdout.splitlines()
    for name in ("as_of", "actors", "changes", "conditions", "connect", "positions", "releases", "tables", "verify"):
        assert name in names.split()
    assert all(int(n) > 0 for n in counts.split())


def test_validate_and_build_without_data_folder_are_usage_errors(installed, tmp_path):
    env_dir, _ = installed
    empty = tmp_path / "empty"
    empty.mkdir()
    for command in ("validate", "build"):
        result = cli(env_dir, empty, command)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "--data" in result.stderr and "Traceback" not in result.stderr
    assert list(empty.iterdir()) == []


def test_build_writes_in_the_current_folder_never_in_the_environment(installed, tmp_path):
    env_dir, _ = installed
    work = tmp_path / "work"
    shutil.copytree(MINIMAL, work / "data")
    before = {p for p in env_dir.rglob("*")}
    assert cli(env_dir, work, "validate").returncode == 0
    built = cli(env_dir, work, "build")
    assert built.returncode == 0, built.stderr
    assert (work / "build" / "dataset" / "weapon_use_positions.db").is_file()
    other = cli(env_dir, work, "build", "--data", str(work / "data"), "--out", str(tmp_path / "out"))
    assert other.returncode == 0, other.stderr
    assert (tmp_path / "out" / "weapon_use_positions.db").is_file()
    created = {p for p in env_dir.rglob("*")} - before
    assert not [p for p in created if "__pycache__" not in p.parts], "a build wrote inside the environment"


def test_serve_without_datasette_names_the_extra(installed):
    env_dir, elsewhere = installed
    result = cli(env_dir, elsewhere, "serve", "--port", "0")
    assert result.returncode == 2
    assert "weapon-use-positions[serve]" in result.stderr and "Traceback" not in result.stderr
