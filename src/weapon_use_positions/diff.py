"""Compare two versions of the dataset record by record: released versions, git revisions, data or build folders."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import polars as pl

from .catalogue import TABLES as CATALOGUE
from .history import TABLES, VERSION_PATTERN, Records, TableDiff, canonical_records, diff_records, load_snapshots
from .load import load_records
from .models import RECORD_TYPES
from .paths import DB_NAME, REPOSITORY, export_path
from .problems import DataInvalid, printable
from .records import canonical_row, to_row

#: Where versions and revisions are looked up unless told otherwise.
HERE = REPOSITORY if REPOSITORY is not None else Path.cwd()


class RevisionError(Exception):
    """A revision or database that cannot be read."""


def records_at(spec: str, repository: Path = HERE) -> Records:
    """The records of a released version (its snapshot in data/releases/; `0.1.0` or `v0.1.0`),
    a built database file, a build folder (its Parquet files), a data folder, or data/ at a git
    revision of the repository (commit, branch, tag)."""
    version = spec.removeprefix("v")
    if VERSION_PATTERN.match(version):
        snapshots = {s.version: s for s in load_snapshots(Path(repository) / "data")}
        if version in snapshots:
            return snapshots[version].records
    path = Path(spec)
    if path.suffix == ".db" and path.is_file():
        return records_from_sqlite(path)
    if (path / DB_NAME).is_file():
        return records_from_exports(path, "parquet")
    if path.is_dir():
        return records_in_folder(path)
    return records_at_revision(spec, repository)


def records_in_folder(data_dir: Path) -> Records:
    """Records of a data folder, read with today's models."""
    dataset, problems = load_records(data_dir)
    if problems:
        raise DataInvalid(problems)
    return canonical_records(dataset)


def records_at_revision(revision: str, repository: Path) -> Records:
    """Load data/ as it was at a git revision (read with today's models)."""
    result = subprocess.run(
        ["git", "-C", str(repository), "archive", "--format=tar", revision, "data"],
        capture_output=True,
    )
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        released = ", ".join(s.version for s in load_snapshots(Path(repository) / "data")) or "none"
        raise RevisionError(
            f"{revision}: not a released version (released: {released}), nor a folder, nor a revision of "
            f"{repository} with a data/ folder ({message})"
        )
    with tempfile.TemporaryDirectory(prefix="wup-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
            archive.extractall(folder, filter="data")
        return records_in_folder(Path(folder) / "data")


#: The tables a build is read back from: the record tables and the child tables of their lists.
TABLES_READ = (*TABLES, *(name for name, table in CATALOGUE.items() if table.parent and table.parent[0] in TABLES))


def records_from_sqlite(path: Path) -> Records:
    """Rebuild the canonical records from a built database."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {
            name: pl.read_database(f"select * from [{name}]", conn, infer_schema_length=None) for name in TABLES_READ
        }
    finally:
        conn.close()
    return records_from_tables(tables)


def records_from_exports(folder: Path, file_format: str) -> Records:
    """Rebuild the canonical records from a build's Parquet or CSV files."""
    if file_format == "parquet":
        tables = {name: pl.read_parquet(folder / export_path("parquet", name)) for name in TABLES_READ}
    else:
        tables = {
            name: numbers_typed(pl.read_csv(folder / export_path("csv", name), infer_schema=False), name)
            for name in TABLES_READ
        }
    return records_from_tables(tables)


def numbers_typed(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """CSV text read back as the catalogue's numbers: the models take a number, never its text."""
    kinds = {float: pl.Float64, int: pl.Int64}
    columns = [pl.col(c.name).cast(kinds[c.type]) for c in CATALOGUE[table].columns if c.type in kinds]
    return frame.with_columns(columns) if columns else frame


def child_items(frames: dict[str, pl.DataFrame], table) -> dict[str, list[dict]]:
    """Parent id -> the items of a list field, read back from its child table in order."""
    parent_key = table.columns[0].name
    items: dict[str, list[dict]] = {}
    rows = frames[table.name].sort(parent_key, pl.col("seq").cast(pl.Int64)).iter_rows(named=True)
    for row in rows:
        item = {c.field: row[c.name] for c in table.columns if c.field is not None and row[c.name] not in (None, "")}
        items.setdefault(row[parent_key], []).append(item)
    return items


def records_from_tables(frames: dict[str, pl.DataFrame]) -> Records:
    """Canonical records from built tables, whatever file they were read from (every value re-validated)."""
    records: Records = {}
    for table in TABLES:
        model = RECORD_TYPES[table]
        columns = CATALOGUE[table]
        children = {
            child.parent[1]: child_items(frames, child)
            for child in CATALOGUE.values()
            if child.parent and child.parent[0] == table
        }
        plain_lists = [c.field for c in columns.columns if c.json and c.field not in children]
        records[table] = {}
        for row in frames[table].iter_rows(named=True):
            data = {c.field: row[c.name] for c in columns.columns if c.field is not None and row[c.name] is not None}
            for name in plain_lists:
                data[name] = json.loads(data.get(name) or "[]")
            for name, items in children.items():
                data[name] = items.get(row["id"], [])
            records[table][row["id"]] = canonical_row(to_row(model.model_validate(data)), model)
    return records


def diff_as_json(diff: dict[str, TableDiff]) -> dict:
    return {
        table: {
            "added": d.added,
            "retired": d.retired,
            "changed": {
                rid: {f: {"before": before, "after": after} for f, (before, after) in fields.items()}
                for rid, fields in d.changed.items()
            },
        }
        for table, d in diff.items()
    }


def short(value, width: int = 100) -> str:
    """A value on one line, its invisible characters escaped, cut to `width`."""
    text = printable(json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value)
    return text if len(text) <= width else text[: width - 1] + "…"


def format_diff(old: str, new: str, diff: dict[str, TableDiff]) -> str:
    """A readable summary: counts per table, then each record added, changed (field by field) or retired."""
    lines = [f"{old} -> {new}"]
    for table, d in diff.items():
        lines.append(f"{table}: {len(d.added)} added, {len(d.changed)} changed, {len(d.retired)} retired")
        lines += [f"  + {printable(rid)}" for rid in d.added]
        for rid, fields in d.changed.items():
            lines.append(f"  ~ {printable(rid)}")
            for field, (before, after) in fields.items():
                lines.append(f"      {field}: {short(before)!s} -> {short(after)!s}")
        lines += [f"  - {printable(rid)}" for rid in d.retired]
    return "\n".join(lines)


def compare(old: str, new: str, repository: Path = HERE) -> dict[str, TableDiff]:
    return diff_records(records_at(old, repository), records_at(new, repository))
