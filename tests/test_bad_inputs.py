"""Every case of the bad-input catalogue gives exactly its reports, and nothing is built."""

import datetime as dt
import shutil

import pytest

from weapon_use_positions.checks import validate_data
from weapon_use_positions.problems import DataInvalid

from .bad_inputs.cases import BASE, CASES
from .conftest import MINIMAL

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
