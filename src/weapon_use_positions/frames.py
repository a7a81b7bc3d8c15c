"""Turn validated records into polars tables, deriving what the YAML leaves implicit (valid_to)."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from .history import TABLES, UNRELEASED, canonical_records, change_rows, record_versions, records_sha256
from .load import Dataset
from .models import Position

RECORD_TIME = {"added_in": pl.String, "updated_in": pl.String}

ACTOR_SCHEMA = {"id": pl.String, "name": pl.String, "kind": pl.String, "wikidata": pl.String, **RECORD_TIME}
WEAPON_SYSTEM_SCHEMA = {
    "id": pl.String,
    "name": pl.String,
    "category": pl.String,
    "max_range_km": pl.Float64,
    "wikidata": pl.String,
    **RECORD_TIME,
}
SOURCE_SCHEMA = {
    "id": pl.String,
    "url": pl.String,
    "title": pl.String,
    "title_kind": pl.String,
    "publisher": pl.String,
    "published": pl.Date,
    "published_precision": pl.String,
    "language": pl.String,
    "kind": pl.String,
    "controlled_by": pl.String,
    "archive_url": pl.String,
    **RECORD_TIME,
}
POSITION_SCHEMA = {
    "id": pl.String,
    "actor_id": pl.String,
    "recipient_id": pl.String,
    "role": pl.String,
    "weapons": pl.String,
    "stance": pl.String,
    "conditions": pl.String,
    "valid_from": pl.Date,
    "valid_to": pl.Date,
    "date_precision": pl.String,
    "stated_by": pl.String,
    "stated_by_role": pl.String,
    "status": pl.String,
    "summary": pl.String,
    "quote": pl.String,
    "quote_language": pl.String,
    "quote_translation": pl.String,
    "note": pl.String,
    "sources": pl.String,
    **RECORD_TIME,
}
CONDITION_SCHEMA = {"position_id": pl.String, "seq": pl.Int64, "kind": pl.String, "text": pl.String}
POSITION_SOURCE_SCHEMA = {"position_id": pl.String, "source_id": pl.String, "seq": pl.Int64, "excerpt": pl.String}
RETIREMENT_SCHEMA = {
    "id": pl.String,
    "table": pl.String,
    "retired_in": pl.String,
    "reason": pl.String,
    "replaced_by": pl.String,
}
RELEASE_SCHEMA = {
    "version": pl.String,
    "date": pl.Date,
    "actors": pl.Int64,
    "weapon_systems": pl.Int64,
    "sources": pl.Int64,
    "positions": pl.Int64,
    "sha256": pl.String,
}
CHANGE_SCHEMA = {
    "release": pl.String,
    "table": pl.String,
    "record_id": pl.String,
    "change": pl.String,
    "fields": pl.String,
}


def simple_frame(records, schema, versions=None, table=None) -> pl.DataFrame:
    """A table of the records' fields plus added_in and updated_in (all 'unreleased' without versions)."""
    if versions is None:
        columns = {name: dtype for name, dtype in schema.items() if name not in RECORD_TIME}
        frame = pl.DataFrame(records, schema=columns, orient="row")
        frame = frame.with_columns(added_in=pl.lit(UNRELEASED), updated_in=pl.lit(UNRELEASED))
    else:
        rows = [(*record, *versions[(table, record.id)]) for record in records]
        frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.sort("id")


def positions_frame(positions: list[Position], versions: dict) -> pl.DataFrame:
    """Positions with conditions and source ids as JSON, valid_to derived, record versions set."""
    rows = [
        (
            p.id,
            p.actor_id,
            p.recipient_id,
            p.role,
            p.weapons,
            p.stance,
            json.dumps([{"kind": c.kind, "text": c.text} for c in p.conditions], ensure_ascii=False),
            p.valid_from,
            None,
            p.date_precision,
            p.stated_by,
            p.stated_by_role,
            p.status,
            p.summary,
            p.quote,
            p.quote_language,
            p.quote_translation,
            p.note,
            json.dumps([ref.id for ref in p.sources]),
            *(versions[("positions", p.id)] if versions else (UNRELEASED, UNRELEASED)),
        )
        for p in positions
    ]
    frame = pl.DataFrame(rows, schema=POSITION_SCHEMA, orient="row")
    del rows
    return derive_valid_to(frame)


def derive_valid_to(positions: pl.DataFrame) -> pl.DataFrame:
    """valid_to: the day before the next position of the same actor and weapons scope (null if current)."""
    return (
        positions.sort(["actor_id", "weapons", "valid_from"])
        .with_columns(valid_to=(pl.col("valid_from").shift(-1).over(["actor_id", "weapons"]) - pl.duration(days=1)))
        .sort("id")
    )


def conditions_frame(positions: list[Position]) -> pl.DataFrame:
    rows = [(p.id, seq, c.kind, c.text) for p in positions for seq, c in enumerate(p.conditions, 1)]
    return pl.DataFrame(rows, schema=CONDITION_SCHEMA, orient="row").sort(["position_id", "seq"])


def position_sources_frame(positions: list[Position]) -> pl.DataFrame:
    rows = [(p.id, ref.id, seq, ref.excerpt) for p in positions for seq, ref in enumerate(p.sources, 1)]
    return pl.DataFrame(rows, schema=POSITION_SOURCE_SCHEMA, orient="row").sort(["position_id", "seq"])


def scopes_frame(positions: pl.DataFrame) -> pl.DataFrame:
    """Each actor and weapons scope with a position, with its span: what the as-of question walks."""
    return (
        positions.group_by("actor_id", "weapons")
        .agg(positions=pl.len(), first_valid_from=pl.col("valid_from").min(), last_valid_from=pl.col("valid_from").max())
        .with_columns(pl.col("positions").cast(pl.Int64))
        .sort("actor_id", "weapons")
    )


def releases_frame(snapshots) -> pl.DataFrame:
    """One row per released version: date, counts and the hash of its records."""
    rows = [
        (s.version, dt.date.fromisoformat(s.date), *s.counts().values(), records_sha256(s.records)) for s in snapshots
    ]
    return pl.DataFrame(rows, schema=RELEASE_SCHEMA, orient="row")


def changes_frame(snapshots, current) -> pl.DataFrame:
    """Each record added, changed (with the fields) or retired, per release and since the last one."""
    return pl.DataFrame(change_rows(snapshots, current), schema=CHANGE_SCHEMA, orient="row")


def added_frame(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Before the first release, every record is added since nothing: one change row each."""
    return pl.concat(
        [
            frames[table].select(
                release=pl.lit(UNRELEASED),
                table=pl.lit(table),
                record_id=pl.col("id"),
                change=pl.lit("added"),
                fields=pl.lit(None, dtype=pl.String),
            )
            for table in TABLES
        ]
    )


def dataset_frames(dataset: Dataset) -> dict[str, pl.DataFrame]:
    """Every table of the built dataset, by name, in a stable order.

    Takes the records out of the dataset as each table is made, so that memory holds the
    records or their table, not both.
    """
    versions = None
    if dataset.snapshots:
        current = canonical_records(dataset)
        versions = record_versions(dataset.snapshots, current)
        changes = changes_frame(dataset.snapshots, current)
        del current
    frames = {
        "actors": simple_frame(dataset.actors, ACTOR_SCHEMA, versions, "actors"),
        "weapon_systems": simple_frame(dataset.weapon_systems, WEAPON_SYSTEM_SCHEMA, versions, "weapon_systems"),
    }
    frames["sources"] = simple_frame(dataset.sources, SOURCE_SCHEMA, versions, "sources")
    dataset.sources = []
    frames["positions"] = positions_frame(dataset.positions, versions)
    frames["scopes"] = scopes_frame(frames["positions"])
    frames["conditions"] = conditions_frame(dataset.positions)
    frames["position_sources"] = position_sources_frame(dataset.positions)
    dataset.positions = []
    frames["retirements"] = pl.DataFrame(dataset.retirements, schema=RETIREMENT_SCHEMA, orient="row").sort("table", "id")
    frames["releases"] = releases_frame(dataset.snapshots)
    frames["changes"] = changes if dataset.snapshots else added_frame(frames)
    return frames
