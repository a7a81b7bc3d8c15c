"""The as-of question: known answers on the fixture, and API, CLI and stored query agreeing on the real data."""

import json

import pytest
import yaml
from click.testing import CliRunner
from datasette.app import Datasette

import weapon_use_positions as wup
from weapon_use_positions.cli import cli
from weapon_use_positions.paths import DATABASE, DB_NAME

from .conftest import ROOT


def answer(frame):
    return {(r["actor_id"], r["weapons"]): (r["stance"], r["position_id"]) for r in frame.iter_rows(named=True)}


def test_general_rule_by_date(minimal_build):
    db = minimal_build / DB_NAME
    assert answer(wup.as_of("2022-05-31", db=db)) == {}
    assert answer(wup.as_of("2022-06-01", db=db)) == {("AAA", "all"): ("not_permitted", "aaa-all-2022-06-01")}
    assert answer(wup.as_of("2024-05-29", db=db)) == {
        ("AAA", "all"): ("not_permitted", "aaa-all-2022-06-01"),
        ("BBB", "all"): ("permitted", "bbb-all-2024-05-01"),
    }
    assert answer(wup.as_of("2024-06-15", db=db)) == {
        ("AAA", "all"): ("limited", "aaa-all-2024-05-30"),
        ("AAA", "atacms"): ("not_permitted", "aaa-atacms-2024-05-30"),
        ("BBB", "all"): ("permitted", "bbb-all-2024-05-01"),
    }


def test_system_rule_overrides_general(minimal_build):
    db = minimal_build / DB_NAME
    assert answer(wup.as_of("2024-06-15", weapon="atacms", db=db)) == {
        ("AAA", "atacms"): ("not_permitted", "aaa-atacms-2024-05-30"),
        ("BBB", "all"): ("permitted", "bbb-all-2024-05-01"),
    }
    assert answer(wup.as_of("2024-11-17", weapon="atacms", actor="AAA", db=db)) == {
        ("AAA", "atacms"): ("limited", "aaa-atacms-2024-11-17"),
    }
    # before any ATACMS rule, the general rule answers
    assert answer(wup.as_of("2023-01-01", weapon="atacms", db=db)) == {
        ("AAA", "all"): ("not_permitted", "aaa-all-2022-06-01"),
    }


def test_as_of_columns(minimal_build):
    frame = wup.as_of("2024-06-15", db=minimal_build / DB_NAME)
    assert {"actor_id", "weapons", "stance", "position_id", "valid_from"} <= set(frame.columns)
    assert str(frame.schema["valid_from"]) == "Date"


CASES = [
    ("2022-06-15", None),
    ("2024-05-30", None),
    ("2024-06-15", None),
    ("2024-06-15", "atacms"),
    ("2024-11-20", "atacms"),
    ("2024-11-25", "storm-shadow"),
    ("2025-06-01", "taurus"),
    ("2025-10-10", "tomahawk"),
]


@pytest.mark.parametrize("date,weapon", CASES)
async def test_api_cli_and_stored_query_agree(built, date, weapon):
    api_rows = [
        (r["actor_id"], r["weapons"], r["stance"], r["position_id"])
        for r in wup.as_of(date, weapon=weapon).iter_rows(named=True)
    ]
    args = ["as-of", date, "--json"] + (["--weapon", weapon] if weapon else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    cli_rows = [(r["actor_id"], r["weapons"], r["stance"], r["position_id"]) for r in json.loads(result.output)]

    ds = Datasette(immutables=[str(built / DB_NAME)], config=yaml.safe_load((ROOT / "datasette.yaml").read_text()))
    response = await ds.client.get(
        f"/{DATABASE}/effective_stance.json?date={date}&weapon={weapon or ''}&actor=&_shape=array"
    )
    assert response.status_code == 200
    query_rows = [(r["actor_id"], r["weapons"], r["stance"], r["position_id"]) for r in response.json()]
    assert api_rows == cli_rows == query_rows
    assert api_rows, f"no positions in force on {date}"
    if weapon:
        assert len({row[0] for row in api_rows}) == len(api_rows)


def test_cli_rejects_bad_date():
    result = CliRunner().invoke(cli, ["as-of", "2024-13-01"])
    assert result.exit_code == 2
    assert "not an ISO date" in result.output
