"""The wheel carries the built dataset and works in a fresh virtual environment outside the repository."""

import subprocess
import sys
import venv
import zipfile

from .conftest import ROOT


def test_wheel_works_outside_repository(tmp_path):
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
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(python), "-c", "import weapon_use_positions as w; print(w.as_of('2024-06-15'))"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("shape: (")
    checked = subprocess.run(
        [
            str(python),
            "-c",
            "import weapon_use_positions as w; f = w.as_of('2024-06-15'); "
            "print(w.api.dataset_dir()); print(sorted(set(f['actor_id'])))",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    folder, actors = checked.stdout.splitlines()
    assert folder.startswith(str(env_dir)), "the wheel's own dataset was not used"
    assert "'DEU'" in actors and "'USA'" in actors
    verified = subprocess.run(
        [str(python), "-c", "import weapon_use_positions as w; print(w.verify())"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0 and int(verified.stdout) >= 10, verified.stderr
    shipped_db = next(env_dir.rglob("weapon_use_positions/_data/weapon_use_positions.db"))
    raw = bytearray(shipped_db.read_bytes())
    raw[1000] ^= 0x01
    shipped_db.write_bytes(bytes(raw))
    tampered = subprocess.run(
        [str(python), "-c", "import weapon_use_positions as w; w.verify()"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert tampered.returncode == 1
    assert "VerificationError: weapon_use_positions.db differs from the shipped file" in tampered.stderr
    raw[1000] ^= 0x01
    shipped_db.write_bytes(bytes(raw))
    cli = subprocess.run(
        [str(env_dir / "bin" / "weapon-use-positions"), "as-of", "2024-06-15", "--actor", "DEU", "--json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    assert '"actor_id": "DEU"' in cli.stdout
