"""Turn validated records into polars tables, deriving what the YAML leaves implicit (valid_to)."""

from __future__ import annotations

import json

import polars as pl

from .load import Dataset
from .models import Actor, Position, Source, WeaponSystem
from .version import __version__

ACTOR_SCHEMA = {"id": pl.String, "name": pl.String, "kind": pl.String, "wikidata": pl.String}
WEAPON_SYSTEM_SCHEMA = {
    "id": pl.String,
    "name": pl.String,
    "category": pl.String,
    "max_range_km": pl.Float64,
    "wikidata": pl.String,
}
SOURCE_SCHEMA = {
    "id": pl.String,
    "url": pl.String,
    "title": pl.String,
    "title_kind": pl.String,
    "publisher": pl.String,
    "published": pl.Date,
    "language": pl.String,
    "kind": pl.String,
    "controlled_by": pl.String,
    "archive_url": pl.String,
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
    "added_in": pl.String,
    "updated_in": pl.String,
}
CONDITION_SCHEMA = {"position_id": pl.String, "seq": pl.Int64, "kind": pl.String, "text": pl.String}
POSITION_SOURCE_SCHEMA = {"position_id": pl.String, "source_id": pl.String, "seq": pl.Int64, "excerpt": pl.String}


def simple_frame(records, model, schema) -> pl.DataFrame:
    """A table whose columns are exactly the model's fields, sorted by id."""
    columns = list(model.model_fields)
    rows = [tuple(getattr(r, c) for c in columns) for r in records]
    return pl.DataFrame(rows, schema=schema, orient="row").sort("id")


def positions_frame(positions: list[Position]) -> pl.DataFrame:
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
            __version__,
            __version__,
        )
        for p in positions
    ]
    frame = pl.DataFrame(rows, schema=POSITION_SCHEMA, orient="row")
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


def dataset_frames(dataset: Dataset) -> dict[str, pl.DataFrame]:
    """Every table of the built dataset, by name, in a stable order."""
    return {
        "actors": simple_frame(dataset.actors, Actor, ACTOR_SCHEMA),
        "weapon_systems": simple_frame(dataset.weapon_systems, WeaponSystem, WEAPON_SYSTEM_SCHEMA),
        "sources": simple_frame(dataset.sources, Source, SOURCE_SCHEMA),
        "positions": positions_frame(dataset.positions),
        "conditions": conditions_frame(dataset.positions),
        "position_sources": position_sources_frame(dataset.positions),
    }
