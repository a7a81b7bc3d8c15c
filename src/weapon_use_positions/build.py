"""Write the validated tables as SQLite, Parquet, CSV and a Frictionless data package.

A build is written into a fresh folder beside the output and swapped in with one atomic
rename of a symbolic link: readers see the last good build or the new one, never half.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import sqlite_utils

from .catalogue import TABLES
from .checks import validate_data
from .checksums import write_manifest
from .croissant import write_croissant
from .downloads import write_csv_zip, write_workbook
from .frames import dataset_frames
from .load import no_cycle_collection
from .paths import (
    CROISSANT_FILE,
    CSV_ZIP_FILE,
    DATAPACKAGE_FILE,
    DB_NAME,
    EXPORT_FORMATS,
    METADATA_FILE,
    PACKAGE_NAME,
    WORKBOOK_FILE,
    export_path,
)
from .queries import FTS_SQL, VIEWS
from .site_metadata import DESCRIPTION, LICENSE, LICENSE_URL, TITLE, datasette_metadata
from .version import __version__

SQLITE_TYPES = {str: str, int: int, float: float, bool: int}


@dataclass(frozen=True)
class BuildResult:
    out: Path
    counts: dict[str, int]


class BuildError(Exception):
    """The build could not be written (the data itself was valid)."""


def build(data_dir: Path, out: Path, today: dt.date | None = None, progress=None, step=None) -> BuildResult:
    """Validate data_dir and, only if it is valid, replace the build at out with a new one.

    `progress` wraps the list of data files as they are read; `step(name)` is told each later stage.
    """
    step = step or (lambda name: None)
    dataset = validate_data(data_dir, today, progress)
    step("tables")
    with no_cycle_collection():
        frames = dataset_frames(dataset)
    del dataset  # the frames hold everything from here on
    with staged_output(Path(out)) as staging:
        step("SQLite")
        build_sqlite(frames, staging / DB_NAME)
        step("Parquet and CSV")
        write_exports(frames, staging)
        step("Excel and zip")
        write_workbook(frames, staging / WORKBOOK_FILE)
        write_csv_zip(frames, staging / CSV_ZIP_FILE)
        write_croissant(list(frames), staging, staging / CROISSANT_FILE, release_date(frames["releases"]))
        write_datapackage(frames, staging)
        (staging / METADATA_FILE).write_text(json.dumps(datasette_metadata(), indent=2) + "\n")
        step("checksums")
        write_manifest(staging)
    return BuildResult(Path(out), {name: frame.height for name, frame in frames.items()})


def release_date(releases: pl.DataFrame) -> dt.date | None:
    """The date this version was released, or None while it is unreleased."""
    dates = releases.filter(pl.col("version") == __version__)["date"]
    return dates[0] if len(dates) else None


def sqlite_rows(frame: pl.DataFrame):
    """Rows ready for sqlite3: dates as ISO text."""
    return frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d")).iter_rows()


def build_sqlite(frames: dict[str, pl.DataFrame], path: Path) -> None:
    """Tables with keys and indexes, full-text search and views, in one new file."""
    conn = sqlite3.connect(path)
    conn.execute("pragma journal_mode = off")
    conn.execute("pragma synchronous = off")
    db = sqlite_utils.Database(conn)
    for name, frame in frames.items():
        table = TABLES[name]
        db[name].create(
            {column.name: SQLITE_TYPES.get(column.type, str) for column in table.columns},
            pk=table.primary_key[0] if len(table.primary_key) == 1 else table.primary_key,
            foreign_keys=[(key.column, key.table, key.other) for key in table.foreign_keys],
            not_null=table.primary_key,
        )
        names = ", ".join(f"[{column}]" for column in frame.columns)
        placeholders = ", ".join("?" for _ in frame.columns)
        with conn:
            conn.executemany(f"insert into [{name}] ({names}) values ({placeholders})", sqlite_rows(frame))
    for name, table in TABLES.items():
        for columns in table.indexes:
            db[name].create_index(columns)
    for sql in FTS_SQL:
        conn.execute(sql)
    for name, view in VIEWS.items():
        db.create_view(name, view.sql.strip())
    conn.execute("analyze")
    conn.commit()
    conn.close()


def write_exports(frames: dict[str, pl.DataFrame], folder: Path) -> None:
    """One Parquet and one CSV file per table."""
    for file_format in EXPORT_FORMATS:
        (folder / file_format).mkdir()
    for name, frame in frames.items():
        frame.write_parquet(folder / export_path("parquet", name), statistics=False)
        frame.write_csv(folder / export_path("csv", name))


FRICTIONLESS_TYPES = {str: "string", dt.date: "date", float: "number", int: "integer", bool: "boolean"}


def frictionless_field(column, table) -> dict:
    """A Table Schema field: type, meaning, and the model's vocabulary and required-ness as constraints."""
    constraints = {}
    if column.required or column.name in table.primary_key:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    field = {"name": column.name, "type": FRICTIONLESS_TYPES[column.type], "description": column.description}
    return {**field, "constraints": constraints} if constraints else field


def write_datapackage(frames: dict[str, pl.DataFrame], folder: Path) -> None:
    """A Frictionless data package describing the CSV and Parquet files."""
    resources = []
    for file_format in EXPORT_FORMATS:
        for name in frames:
            table = TABLES[name]
            schema = {
                "fields": [frictionless_field(column, table) for column in table.columns],
                "primaryKey": list(table.primary_key),
                "foreignKeys": [
                    {
                        "fields": [key.column],
                        "reference": {"resource": f"{key.table}-{file_format}", "fields": [key.other]},
                    }
                    for key in table.foreign_keys
                ],
            }
            resources.append(
                {
                    "name": f"{name}-{file_format}",
                    "path": export_path(file_format, name),
                    "format": file_format,
                    "profile": "tabular-data-resource",
                    "description": table.description,
                    "schema": schema,
                }
            )
    package = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": __version__,
        "licenses": [{"name": "CC-BY-4.0", "path": LICENSE_URL, "title": LICENSE}],
        "resources": resources,
        # Not tabular resources: the same tables packed for spreadsheets (a custom property).
        "downloads": [
            {
                "path": WORKBOOK_FILE,
                "format": "xlsx",
                "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "description": "Every table as a sheet of one Excel workbook, with a sheet saying what each column holds.",
            },
            {
                "path": CROISSANT_FILE,
                "format": "json",
                "mediatype": "application/ld+json",
                "description": "A Croissant description of the CSV files (record sets, field types, keys, checksums) for ML tooling such as mlcroissant.",
            },
            {
                "path": CSV_ZIP_FILE,
                "format": "zip",
                "mediatype": "application/zip",
                "description": "Every table as a UTF-8 CSV file with a byte-order mark, for spreadsheets that guess the encoding.",
            },
        ],
    }
    (folder / DATAPACKAGE_FILE).write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")


@contextmanager
def staged_output(out: Path):
    """Yield a fresh folder; on success point `out` (a symbolic link) at it, atomically."""
    out = out.absolute()
    if out.exists() and not out.is_symlink():
        raise BuildError(f"{out} exists and is not a build link; move it away and build again")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    staging.chmod(0o755)
    link = out.parent / f".{out.name}.link-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    os.symlink(staging.name, link)
    os.replace(link, out)
    remove_stale_builds(out, keep=staging)


def remove_stale_builds(out: Path, keep: Path) -> None:
    """Remove earlier builds and leftovers of interrupted ones (never the one `out` points at)."""
    for candidate in out.parent.glob(f".{out.name}-*"):
        if candidate.resolve() != keep.resolve() and candidate.is_dir() and not candidate.is_symlink():
            shutil.rmtree(candidate, ignore_errors=True)
