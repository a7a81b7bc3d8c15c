"""The built database and exports: contract tables and columns, views, FTS, derived valid_to."""

import csv
import datetime as dt
import json
import sqlite3

import polars as pl
import pytest

from weapon_use_positions.build import build
from weapon_use_positions.models import RECORD_TYPES
from weapon_use_positions.paths import DB_NAME
from weapon_use_positions.problems import DataInvalid

CONTRACT_COLUMNS = {
    "actors": {"id", "name", "kind", "wikidata"},
    "weapon_systems": {"id", "name", "category", "max_range_km", "wikidata"},
    "sources": {"id", "url", "title", "publisher", "published", "language", "archive_url"},
    "positions": {
        "id",
        "actor_id",
        "recipient_id",
        "role",
        "weapons",
        "stance",
        "conditions",
        "valid_from",
        "valid_to",
        "date_precision",
        "stated_by",
        "stated_by_role",
        "status",
        "summary",
        "quote",
        "quote_language",
        "quote_translation",
        "sources",
        "added_in",
        "updated_in",
    },
    "releases": {"version", "positions", "sha256"},
}


def columns(conn, table):
    return {row[1] for row in conn.execute(f"pragma table_info([{table}])")}


def test_contract_tables_and_columns(real_db):
    conn = sqlite3.connect(real_db)
    for table, expected in CONTRACT_COLUMNS.items():
        assert expected <= columns(conn, table), table
    views = {row[0] for row in conn.execute("select name from sqlite_master where type = 'view'")}
    assert {"current_positions", "position_timeline"} <= views
    assert conn.execute("pragma foreign_key_check").fetchall() == []
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)


def test_counts_match_the_yaml(real_db):
    from weapon_use_positions.checks import validate_data

    from .conftest import DATA

    dataset = validate_data(DATA)
    conn = sqlite3.connect(real_db)
    for kind in RECORD_TYPES:
        assert conn.execute(f"select count(*) from [{kind}]").fetchone()[0] == len(getattr(dataset, kind))


def test_full_text_search(real_db):
    conn = sqlite3.connect(real_db)
    word, position_id = conn.execute(
        "select 'Kharkiv', id from positions where summary like '%Kharkiv%' order by id limit 1"
    ).fetchone()
    hits = {
        row[0]
        for row in conn.execute(
            "select p.id from positions_fts f join positions p on p.rowid = f.rowid where positions_fts match ?", [word]
        )
    }
    assert position_id in hits


def test_valid_to_is_day_before_next_position(minimal_build):
    conn = sqlite3.connect(minimal_build / DB_NAME)
    rows = {r[0]: r[1:] for r in conn.execute("select id, valid_to, ended_by from positions")}
    assert rows["aaa-all-2022-06-01"] == ("2024-05-29", "aaa-all-2024-05-30")
    assert rows["aaa-all-2024-05-30"] == (None, None)
    assert rows["aaa-atacms-2024-04-24"] == ("2024-11-16", "aaa-atacms-2024-11-17")
    assert rows["aaa-atacms-2024-11-17"] == (None, None)
    # a later general rule that covers a system ends its rule; one that excludes it does not
    assert rows["aaa-himars-2022-07-01"] == ("2024-05-29", "aaa-all-2024-05-30")
    # a supply decision is another scope: no rule ends it
    assert rows["aaa-atacms-2023-10-01"] == (None, None)


def test_last_confirmed(minimal_build):
    conn = sqlite3.connect(minimal_build / DB_NAME)
    rows = dict(conn.execute("select id, last_confirmed from positions"))
    assert rows["bbb-all-2024-05-01"] == "2025-03-04"
    assert rows["aaa-all-2024-05-30"] == "2024-05-30"
    assert conn.execute("select position_id, source_id, date from position_confirmations").fetchall() == [
        ("bbb-all-2024-05-01", "example-2025-03-04-bbb", "2025-03-04")
    ]


def test_timeline_view_links_neighbours(minimal_build):
    conn = sqlite3.connect(minimal_build / DB_NAME)
    row = conn.execute(
        "select previous_stance, previous_position_id, next_position_id from position_timeline "
        "where position_id = 'aaa-atacms-2024-11-17'"
    ).fetchone()
    assert row == ("not_permitted", "aaa-atacms-2024-04-24", None)
    current = {r[0] for r in conn.execute("select id from current_positions")}
    assert current == {
        "aaa-all-2024-05-30",
        "aaa-atacms-2024-11-17",
        "aaa-atacms-2023-10-01",
        "bbb-all-2024-05-01",
        "ukr-all-2023-02-05",
        "rus-all-2024-05-28",
    }


def test_child_tables(minimal_build):
    conn = sqlite3.connect(minimal_build / DB_NAME)
    assert conn.execute(
        "select seq, kind, text from conditions where position_id = 'aaa-all-2024-05-30' order by seq"
    ).fetchall() == [(1, "geographic", "Border area only."), (2, "purpose", "Counter-fire.")]
    conditions = json.loads(
        conn.execute("select conditions from positions where id = 'aaa-all-2024-05-30'").fetchone()[0]
    )
    assert conditions == [
        {"kind": "geographic", "text": "Border area only."},
        {"kind": "purpose", "text": "Counter-fire."},
    ]


def test_exports_agree_with_sqlite(built):
    conn = sqlite3.connect(built / DB_NAME)
    package = json.loads((built / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    for table in ("actors", "weapon_systems", "sources", "positions", "conditions", "position_sources", "releases"):
        count = conn.execute(f"select count(*) from [{table}]").fetchone()[0]
        frame = pl.read_parquet(built / "parquet" / f"{table}.parquet")
        assert frame.height == count
        with open(built / "csv" / f"{table}.csv", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            assert sum(1 for _ in reader) == count
        fields = [field["name"] for field in resources[f"{table}-csv"]["schema"]["fields"]]
        assert header == fields == frame.columns
        assert all(field["description"] for field in resources[f"{table}-csv"]["schema"]["fields"])
    assert pl.read_parquet(built / "parquet" / "positions.parquet").schema["valid_from"] == pl.Date


def test_invalid_data_leaves_last_build_untouched(data_copy, tmp_path):
    out = tmp_path / "dataset"
    build(data_copy, out)
    before = {p.relative_to(out.resolve()): p.read_bytes() for p in out.resolve().rglob("*") if p.is_file()}
    path = data_copy / "positions" / "bbb.yaml"
    path.write_text(path.read_text().replace("stance: permitted", "stance: sometimes"))
    with pytest.raises(DataInvalid):
        build(data_copy, out)
    after = {p.relative_to(out.resolve()): p.read_bytes() for p in out.resolve().rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in out.resolve().parent.iterdir() if p.name.startswith("build-")] == [out.resolve().name]


def test_rebuild_swaps_and_cleans(data_copy, tmp_path):
    out = tmp_path / "dataset"
    build(data_copy, out)
    first = out.resolve()
    build(data_copy, out, today=dt.date(2026, 1, 1))
    assert out.resolve() != first and not first.exists()
    assert (out / DB_NAME).is_file()
    # beside the link: the lock file and the folder of builds, nothing else
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == [
        ".dataset.builds",
        ".dataset.lock",
        "dataset",
    ]


def test_full_text_index_matches_its_content(real_db):
    conn = sqlite3.connect(real_db)
    conn.execute("insert into positions_fts (positions_fts, rank) values ('integrity-check', 1)")  # raises if not
    assert (
        conn.execute("select count(*) from positions_fts").fetchone()
        == conn.execute("select count(*) from positions").fetchone()
    )
