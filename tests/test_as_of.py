"""The as-of question: known answers on the fixture, and API, CLI and stored query agreeing on the real data."""

import datetime as dt
import json
import re

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
        ("AAA", "atacms"): ("not_permitted", "aaa-atacms-2024-04-24"),
        ("AAA", "himars"): ("not_permitted", "aaa-himars-2022-07-01"),
        ("BBB", "all"): ("permitted", "bbb-all-2024-05-01"),
    }


def test_later_general_rule_reaches_older_system_rules_it_does_not_exclude(minimal_build):
    db = minimal_build / DB_NAME
    # aaa-all-2024-05-30 covers HIMARS (its 2022 rule ends) and excludes ATACMS (its own rule stays)
    assert answer(wup.as_of("2024-06-15", db=db)) == {
        ("AAA", "all"): ("limited", "aaa-all-2024-05-30"),
        ("AAA", "atacms"): ("not_permitted", "aaa-atacms-2024-04-24"),
        ("AAA", "himars"): ("limited", "aaa-all-2024-05-30"),
        ("BBB", "all"): ("permitted", "bbb-all-2024-05-01"),
    }
    himars = wup.as_of("2024-06-15", weapon="himars", actor="AAA", db=db).row(0, named=True)
    assert (himars["position_id"], himars["inherited"]) == ("aaa-all-2024-05-30", True)


def test_system_rule_overrides_general(minimal_build):
    db = minimal_build / DB_NAME
    assert answer(wup.as_of("2024-06-15", weapon="atacms", db=db)) == {
        ("AAA", "atacms"): ("not_permitted", "aaa-atacms-2024-04-24"),
        ("BBB", "atacms"): ("permitted", "bbb-all-2024-05-01"),
    }
    assert answer(wup.as_of("2024-11-17", weapon="atacms", actor="AAA", db=db)) == {
        ("AAA", "atacms"): ("limited", "aaa-atacms-2024-11-17"),
    }
    # before any ATACMS rule, the general rule answers
    assert answer(wup.as_of("2023-01-01", weapon="atacms", db=db)) == {
        ("AAA", "atacms"): ("not_permitted", "aaa-all-2022-06-01"),
    }


def test_rules_by_default_every_kind_on_request(minimal_build):
    db = minimal_build / DB_NAME
    rules = wup.as_of("2024-06-15", db=db)
    assert set(rules["statement"]) == {"rule"}
    every = wup.as_of("2024-06-15", statement=None, db=db)
    kinds = {(r["actor_id"], r["statement"]) for r in every.iter_rows(named=True)}
    assert {("RUS", "warning"), ("UKR", "pledge"), ("AAA", "supply"), ("AAA", "rule")} <= kinds
    supply = every.filter(every["statement"] == "supply").row(0, named=True)
    assert (supply["stance"], supply["decision"]) == (None, "supply")
    warnings = wup.as_of("2024-06-15", statement="warning", db=db)
    assert set(warnings["actor_id"]) == {"RUS"}


def test_last_confirmed_as_of_the_date(minimal_build):
    db = minimal_build / DB_NAME
    before = wup.as_of("2024-06-15", actor="BBB", db=db).row(0, named=True)
    after = wup.as_of("2025-06-15", actor="BBB", db=db).row(0, named=True)
    assert str(before["last_confirmed"]) == "2024-05-01"
    assert str(after["last_confirmed"]) == "2025-03-04"


def test_as_of_columns(minimal_build):
    frame = wup.as_of("2024-06-15", db=minimal_build / DB_NAME)
    assert {"actor_id", "weapons", "stance", "statement", "position_id", "valid_from", "inherited"} <= set(
        frame.columns
    )
    assert str(frame.schema["valid_from"]) == "Date"


CASES = [
    ("2022-06-15", None, "rule"),
    ("2024-05-30", None, "rule"),
    ("2024-06-15", None, "all"),
    ("2024-06-15", "atacms", "rule"),
    ("2024-11-20", "atacms", "all"),
    ("2024-11-25", "himars", "rule"),
    ("2024-11-25", "storm-shadow", "rule"),
    ("2024-11-25", None, "warning"),
    ("2025-06-01", "taurus", "all"),
    ("2025-10-10", "tomahawk", "rule"),
    ("2025-10-10", None, "view"),
]


@pytest.mark.parametrize("date,weapon,statement", CASES)
async def test_api_cli_and_stored_query_agree(built, date, weapon, statement):
    def key(r):
        return (r["actor_id"], r["statement"], r["weapons"], r["stance"], r["decision"], r["position_id"])

    api_rows = [key(r) for r in wup.as_of(date, weapon=weapon, statement=statement).iter_rows(named=True)]
    args = ["as-of", date, "--json", "--statement", statement] + (["--weapon", weapon] if weapon else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    cli_rows = [key(r) for r in json.loads(result.output)]

    ds = Datasette(immutables=[str(built / DB_NAME)], config=yaml.safe_load((ROOT / "datasette.yaml").read_text()))
    response = await ds.client.get(
        f"/{DATABASE}/effective_stance.json?date={date}&weapon={weapon or ''}&actor=&recipient="
        f"&statement={statement}&_shape=array"
    )
    assert response.status_code == 200
    query_rows = [key(r) for r in response.json()]
    assert api_rows == cli_rows == query_rows
    assert api_rows, f"no positions in force on {date}"
    if statement != "all":
        assert {row[1] for row in api_rows} == {statement}
    if weapon:
        assert len({row[:2] for row in api_rows}) == len(api_rows)


def test_stored_query_answers_rules_by_default(built):
    rules = wup.as_of("2024-11-25")
    ds_default = wup.as_of("2024-11-25", statement="rule")
    assert rules.equals(ds_default)
    assert "RUS" not in set(rules["actor_id"])
    assert "RUS" in set(wup.as_of("2024-11-25", statement=None)["actor_id"])


def test_us_himars_follows_the_2024_counter_fire_permission(built):
    row = wup.as_of("2024-11-25", weapon="himars", actor="USA").row(0, named=True)
    assert row["stance"] != "not_permitted"
    assert row["inherited"]


def test_sql_and_python_agree_on_what_is_in_force(built):
    """The as-of SQL and `supersession` give the same position for every scope on many dates."""
    from weapon_use_positions.load import load_records
    from weapon_use_positions.supersession import GROUP, group_key, in_force_before

    dataset, _ = load_records(ROOT / "data")
    groups = {}
    for position in dataset.positions:
        groups.setdefault(group_key(position), []).append(position)
    dates = sorted({p.valid_from for p in dataset.positions})[::7]
    for date in dates:
        day_after = date + dt.timedelta(days=1)
        sql = {
            (*(r[c] for c in GROUP), r["weapons"]): r["position_id"]
            for r in wup.as_of(date, statement=None).iter_rows(named=True)
        }
        python = {}
        for key, members in groups.items():
            for weapon in sorted({p.weapons for p in members if p.valid_from <= date}):
                found = in_force_before(members, weapon, day_after)
                if found is not None:
                    python[(*key, weapon)] = found.id
        assert sql == python, date


def test_cli_rejects_bad_date():
    result = CliRunner().invoke(cli, ["as-of", "2024-13-01"])
    assert result.exit_code == 2
    assert "not an ISO date" in result.output


@pytest.mark.parametrize(
    "kwargs,words",
    [
        ({"date": "2024"}, "use YYYY-MM-DD"),
        ({"date": "15.06.2024"}, "use YYYY-MM-DD"),
        ({"date": "20240615"}, "use YYYY-MM-DD"),
        ({"date": "2024-02-30"}, "use YYYY-MM-DD"),
        ({"date": "2024-06-15", "weapon": "nonexistent"}, "unknown weapon system 'nonexistent'; valid: "),
        ({"date": "2024-06-15", "weapon": "ATACMS"}, "did you mean 'atacms'?"),
        ({"date": "2024-06-15", "actor": "aaa"}, "did you mean 'AAA'?"),
        ({"date": "2024-06-15", "recipient": "ukr"}, "did you mean 'UKR'?"),
        ({"date": "2024-06-15", "statement": "opinion"}, "unknown statement kind 'opinion'"),
    ],
)
def test_bad_questions_are_refused_by_the_api(minimal_build, kwargs, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        wup.as_of(**kwargs, db=minimal_build / DB_NAME)


@pytest.mark.parametrize(
    "args,words",
    [
        (["20240615"], "not an ISO date"),
        (["2024-06-15", "--weapon", "ATACMS"], "did you mean 'atacms'?"),
        (["2024-06-15", "--actor", "deu"], "did you mean 'DEU'?"),
        (["2024-06-15", "--recipient", "nobody"], "unknown recipient 'nobody'"),
    ],
)
def test_bad_questions_are_refused_by_the_cli(built, args, words):
    result = CliRunner().invoke(cli, ["as-of", *args])
    assert result.exit_code == 2
    assert words in result.output
    assert "Traceback" not in result.output


def test_pandas_users_get_a_dataframe(built):
    frame = wup.positions().to_pandas()
    assert len(frame) == wup.positions().height
    assert list(frame.columns) == wup.positions().columns


def test_changes_between_says_what_each_row_is(built):
    rows = (
        wup.connect()
        .execute("select position_id, change, previous_stance, stance from position_timeline order by position_id")
        .fetchall()
    )
    kinds = {change for _, change, _, _ in rows}
    assert kinds == {"first statement", "change of stance", "same stance, new terms"}
    for position_id, change, previous, stance in rows:
        if change == "change of stance":
            assert previous != stance or previous is None, position_id
        if change == "same stance, new terms":
            assert previous == stance, position_id
