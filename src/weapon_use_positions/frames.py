"""Turn validated records into polars tables, by column name from the catalogue, deriving what the
YAML leaves implicit (valid_to, scopes, child tables, record time)."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from .catalogue import TABLES, Table, lists_ids
from .history import UNRELEASED, canonical_records, change_rows, record_versions, records_sha256
from .load import Dataset
from .models import SCOPE, VERSIONED_TYPES
from .records import NESTED
from .supersession import endings

POLARS_TYPES = {str: pl.String, int: pl.Int64, float: pl.Float64, bool: pl.Boolean, dt.date: pl.Date}


def polars_schema(table: Table) -> dict[str, pl.DataType]:
    return {column.name: POLARS_TYPES[column.type] for column in table.columns}


def json_value(items, item_model) -> str:
    """A list field as JSON text: the referenced ids for a list of references, else the items themselves."""
    if item_model is None:
        return json.dumps(list(items), ensure_ascii=False)
    if lists_ids(item_model):
        return json.dumps([item.id for item in items], ensure_ascii=False)
    return json.dumps([item._asdict() for item in items], ensure_ascii=False, default=str)


def record_frame(table: Table, records: list, versions: dict | None) -> pl.DataFrame:
    """A record table: each column filled by name from the records, derived columns left for later."""
    nested = NESTED[table.model]
    data = {}
    for column in table.columns:
        if column.field is not None:
            values = [getattr(record, column.field) for record in records]
            if column.json:
                item_model = nested.get(column.field)
                values = [json_value(items, item_model) for items in values]
            data[column.name] = values
    if table.name in VERSIONED_TYPES:
        times = (
            [versions[(table.name, record.id)] for record in records]
            if versions
            else [(UNRELEASED, UNRELEASED)] * len(records)
        )
        data["added_in"] = [t[0] for t in times]
        data["updated_in"] = [t[1] for t in times]
    schema = polars_schema(table)
    frame = pl.DataFrame(data, schema={name: schema[name] for name in data})
    derived = [pl.lit(None, dtype=schema[name]).alias(name) for name in schema if name not in data]
    return frame.with_columns(derived).select(list(schema)).sort(list(table.primary_key))


def derive_endings(positions: pl.DataFrame, records) -> pl.DataFrame:
    """valid_to and ended_by: when and by which position each position stopped being in force."""
    ended = endings(records)
    frame = pl.DataFrame(
        {
            "id": list(ended),
            "ended_on": [end for end, _ in ended.values()],
            "ender": [by for _, by in ended.values()],
        },
        schema={"id": pl.String, "ended_on": pl.Date, "ender": pl.String},
    )
    return (
        positions.join(frame, on="id", how="left")
        .with_columns(valid_to=pl.col("ended_on"), ended_by=pl.col("ender"))
        .select(positions.columns)
    )


def derive_last_confirmed(positions: pl.DataFrame, confirmations: pl.DataFrame) -> pl.DataFrame:
    """last_confirmed: the latest of valid_from and the position's confirmation dates."""
    latest = confirmations.group_by("position_id").agg(confirmed=pl.col("date").max())
    return (
        positions.drop("last_confirmed")
        .join(latest, left_on="id", right_on="position_id", how="left")
        .with_columns(last_confirmed=pl.max_horizontal("valid_from", "confirmed"))
        .select(positions.columns)
    )


def child_frame(table: Table, records: list) -> pl.DataFrame:
    """A child table: one row per item of the parent's list field, with the parent's id and the item's order."""
    _, field_name = table.parent
    fields = [column.field for column in table.columns[1:]]  # after the parent's id; None is the order
    rows = [
        (record.id, *(seq if name is None else getattr(item, name) for name in fields))
        for record in records
        for seq, item in enumerate(getattr(record, field_name), 1)
    ]
    return pl.DataFrame(rows, schema=polars_schema(table), orient="row").sort(list(table.primary_key))


def scopes_frame(positions: pl.DataFrame) -> pl.DataFrame:
    """Each scope with a position, with its span: what the as-of question walks."""
    table = TABLES["scopes"]
    return (
        positions.group_by(list(SCOPE))
        .agg(
            positions=pl.len(), first_valid_from=pl.col("valid_from").min(), last_valid_from=pl.col("valid_from").max()
        )
        .cast(polars_schema(table))
        .select(table.column_names)
        .sort(list(table.primary_key))
    )


def releases_frame(snapshots) -> pl.DataFrame:
    """One row per released version: date, counts and the hash of its records."""
    rows = [
        {"version": s.version, "date": dt.date.fromisoformat(s.date), **s.counts(), "sha256": records_sha256(s.records)}
        for s in snapshots
    ]
    return pl.DataFrame(rows, schema=polars_schema(TABLES["releases"]))


def changes_frame(snapshots, current) -> pl.DataFrame:
    """Each record added, changed (with the fields) or retired, per release and since the last one."""
    table = TABLES["changes"]
    rows = [dict(zip(table.column_names, row)) for row in change_rows(snapshots, current)]
    return pl.DataFrame(rows, schema=polars_schema(table))


def added_frame(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Before the first release, every record is added since nothing: one change row each
    (the same rows as comparing the records with nothing, without making canonical records)."""
    schema = polars_schema(TABLES["changes"])
    return pl.concat(
        [
            frames[table].select(
                release=pl.lit(UNRELEASED),
                table=pl.lit(table),
                record_id=pl.col("id"),
                change=pl.lit("added"),
                fields=pl.lit(None, dtype=pl.String),
            )
            for table in VERSIONED_TYPES
        ]
    ).cast(schema)


def dataset_frames(dataset: Dataset) -> dict[str, pl.DataFrame]:
    """Every table of the built dataset, by name, in the catalogue's order. Reads the dataset, never changes it."""
    current = canonical_records(dataset) if dataset.snapshots else None
    versions = record_versions(dataset.snapshots, current) if dataset.snapshots else None
    frames = {}
    for name, table in TABLES.items():
        if table.model is not None and table.parent is None:
            frames[name] = record_frame(table, dataset.records[name], versions)
        elif table.parent is not None:
            frames[name] = child_frame(table, dataset.records[table.parent[0]])
    positions = derive_endings(frames["positions"], dataset.positions)
    frames["positions"] = derive_last_confirmed(positions, frames["position_confirmations"])
    frames["scopes"] = scopes_frame(frames["positions"])
    frames["releases"] = releases_frame(dataset.snapshots)
    frames["changes"] = changes_frame(dataset.snapshots, current) if dataset.snapshots else added_frame(frames)
    return {name: frames[name] for name in TABLES}
