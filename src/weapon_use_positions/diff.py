"""Compare two versions of the dataset record by record: git revisions or built databases."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import polars as pl

from .history import TABLES, Records, TableDiff, canonical_records, canonical_row, diff_records
from .load import load_records, to_row
from .models import RECORD_TYPES
from .problems import DataInvalid

REPOSITORY = Path(__file__).resolve().parent.parent.parent


class RevisionError(Exception):
    """A revision or database that cannot be read."""


def records_at(spec: str, repository: Path = REPOSITORY) -> Records:
    """The records of a built database file, a build folder (its Parquet files), a data folder,
    or data/ at a git revision (tag, commit)."""
    path = Path(spec)
    if path.suffix == ".db" and path.is_file():
        return records_from_sqlite(path)
    if (path / "datapackage.json").is_file():
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
        raise RevisionError(f"{revision}: not a revision of {repository} with a data/ folder ({message})")
    with tempfile.TemporaryDirectory(prefix="wup-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
            archive.extractall(folder, filter="data")
        return records_in_folder(Path(folder) / "data")


TABLES_READ = (*TABLES, "position_sources")


def records_from_sqlite(path: Path) -> Records:
    """Rebuild the canonical records from a built database."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {name: pl.read_database(f"select * from [{name}]", conn, infer_schema_length=None) for name in TABLES_READ}
    finally:
        conn.close()
    return records_from_tables(tables)


def records_from_exports(folder: Path, file_format: str) -> Records:
    """Rebuild the canonical records from a build's Parquet or CSV files."""
    if file_format == "parquet":
        tables = {name: pl.read_parquet(folder / "parquet" / f"{name}.parquet") for name in TABLES_READ}
    else:
        tables = {name: pl.read_csv(folder / "csv" / f"{name}.csv", infer_schema=False) for name in TABLES_READ}
    return records_from_tables(tables)


def records_from_tables(tables: dict[str, pl.DataFrame]) -> Records:
    """Canonical records from built tables, whatever file they were read from (every value re-validated)."""
    refs: dict[str, list] = {}
    for row in tables["position_sources"].sort("position_id", pl.col("seq").cast(pl.Int64)).iter_rows(named=True):
        refs.setdefault(row["position_id"], []).append(
            {"id": row["source_id"]} | ({"excerpt": row["excerpt"]} if row["excerpt"] else {})
        )
    records: Records = {}
    for table in TABLES:
        model = RECORD_TYPES[table]
        records[table] = {}
        for row in tables[table].iter_rows(named=True):
            data = {key: value for key, value in row.items() if key in model.model_fields and value is not None}
            if table == "positions":
                data["conditions"] = json.loads(data.get("conditions") or "[]")
                data["sources"] = refs.get(row["id"], [])
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
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"


def format_diff(old: str, new: str, diff: dict[str, TableDiff]) -> str:
    """A readable summary: counts per table, then each record added, changed (field by field) or retired."""
    lines = [f"{old} -> {new}"]
    for table, d in diff.items():
        lines.append(f"{table}: {len(d.added)} added, {len(d.changed)} changed, {len(d.retired)} retired")
        lines += [f"  + {rid}" for rid in d.added]
        for rid, fields in d.changed.items():
            lines.append(f"  ~ {rid}")
            for field, (before, after) in fields.items():
                lines.append(f"      {field}: {short(before)!s} -> {short(after)!s}")
        lines += [f"  - {rid}" for rid in d.retired]
    return "\n".join(lines)


def compare(old: str, new: str, repository: Path = REPOSITORY) -> dict[str, TableDiff]:
    return diff_records(records_at(old, repository), records_at(new, repository))
