"""Every case of the bad-input catalogue gives exactly its reports, and nothing is built."""

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from weapon_use_positions.checks import validate_data
from weapon_use_positions.history import canonical_records, write_snapshot
from weapon_use_positions.problems import DataInvalid

from .bad_inputs.cases import BASE, CASES, Tree
from .conftest import MINIMAL, ROOT

SRC = ROOT / "src"

TODAY = dt.date(2026, 1, 1)


def reports(tmp_path, edit):
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    content = edit(BASE)
    path = data / "positions" / "bad.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    if isinstance(edit, Tree):
        edit.change(data)
    try:
        validate_data(data, today=TODAY)
    except DataInvalid as error:
        return [(p.path, p.line, p.record_id, p.field, p.message) for p in error.problems]
    return []


def test_base_is_valid(tmp_path):
    assert reports(tmp_path, lambda text: text) == []


def test_catalogue_is_large_and_named():
    names = [name for name, _, _ in CASES]
    assert len(names) == len(set(names)) >= 40


@pytest.mark.parametrize("name,edit,expected", CASES, ids=[case[0] for case in CASES])
def test_bad_input(tmp_path, name, edit, expected):
    assert reports(tmp_path, edit) == sorted(expected)


def run_validate_unprivileged(data):
    """`validate` through the real CLI, as an unprivileged user when the tests run as root (root reads anything)."""
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    return subprocess.run(
        [*drop, sys.executable, "-m", "weapon_use_positions", "validate", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )


@pytest.fixture
def shared_tree():
    """A released copy of the fixture tree in a folder every user can read."""
    folder = Path(tempfile.mkdtemp(prefix="wup-unreadable-"))
    try:
        folder.chmod(0o755)
        data = folder / "data"
        shutil.copytree(MINIMAL, data)
        records = canonical_records(validate_data(data, today=TODAY))
        write_snapshot(data / "releases", "1.0.0", "2025-01-01", records)
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        yield data
    finally:
        for path in folder.rglob("*"):
            path.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    "unreadable,report",
    [
        ("positions/others.yaml", "data/positions/others.yaml:0: -: -: file cannot be read (Permission denied)"),
        ("positions", "data/positions:0: -: -: folder cannot be read (Permission denied): its files are not checked"),
        (
            "releases",
            "data/releases:0: -: -: folder cannot be read (Permission denied): released records cannot be checked",
        ),
    ],
)
def test_unreadable_files_and_folders_give_one_report_each(shared_tree, unreadable, report):
    (shared_tree / unreadable).chmod(0)
    result = run_validate_unprivileged(shared_tree)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if ": -: -: " in line]
    assert [line.split("/data/", 1)[-1] if "/data/" in line else line for line in lines] == [
        report.removeprefix("data/")
    ] or lines == [report]
    assert "Traceback" not in result.stderr


def test_reports_escape_what_the_data_holds(tmp_path):
    """An id with a newline cannot forge a line of the report; escapes and zero-width characters are shown."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "positions" / "bad.yaml").write_text(
        BASE.replace("  - id: bad-1\n", '  - id: "bad-1\\nvalid: 99 actors\\e[2J\\u200b"\n'), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "weapon_use_positions", "validate", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "\x1b" not in output and "\u200b" not in output
    assert not any(line.startswith("valid:") for line in output.splitlines())
    assert "bad-1\\nvalid: 99 actors\\x1b[2J\\u200b" in output


def test_a_long_record_id_is_cut_in_the_report():
    from weapon_use_positions.problems import MAX_NAME_CHARS, Problem

    line = str(Problem("data/x.yaml", 2, "a" * 20_000, "id", "duplicate id"))
    assert line == f"data/x.yaml:2: {'a' * (MAX_NAME_CHARS - 1)}…: id: duplicate id"
