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

from .api import DB_NAME
from .checks import validate_data
from .frames import dataset_frames
from .load import no_cycle_collection
from .site_metadata import TABLE_DESCRIPTIONS, column_descriptions, datasette_metadata
from .verify import write_manifest
from .version import __version__

DATABASE = DB_NAME.removesuffix(".db")

PRIMARY_KEYS = {
    "actors": "id",
    "weapon_systems": "id",
    "sources": "id",
    "positions": "id",
    "scopes": ("actor_id", "weapons"),
    "conditions": ("position_id", "seq"),
    "position_sources": ("position_id", "seq"),
    "retirements": ("table", "id"),
    "releases": "version",
    "changes": ("release", "table", "record_id"),
}
FOREIGN_KEYS = {
    "sources": [("controlled_by", "actors", "id")],
    "positions": [("actor_id", "actors", "id"), ("recipient_id", "actors", "id")],
    "scopes": [("actor_id", "actors", "id")],
    "conditions": [("position_id", "positions", "id")],
    "position_sources": [("position_id", "positions", "id"), ("source_id", "sources", "id")],
}
INDEXES = {
    "positions": [["actor_id", "weapons", "valid_from"], ["weapons", "valid_from"], ["valid_from"], ["stance"]],
    "position_sources": [["source_id"]],
    "conditions": [["kind"]],
    "sources": [["publisher"]],
    "changes": [["record_id"]],
}
#: Full-text search over summaries, quotes and the text of the conditions. The index is built
#: from plain condition text while the content table keeps its JSON column (the database is
#: immutable, so the index never needs a rebuild).
FTS_SQL = [
    "create virtual table positions_fts using fts5(summary, quote, conditions, content=[positions], content_rowid=rowid)",
    """insert into positions_fts (rowid, summary, quote, conditions)
       select p.rowid, p.summary, p.quote,
         (select group_concat(c.text, ' ') from conditions c where c.position_id = p.id)
       from positions p order by p.rowid""",
]

VIEWS = {
    "current_positions": """
select p.id, p.actor_id, a.name as actor_name, p.role, p.weapons, p.stance, p.conditions,
  p.valid_from, p.date_precision, p.stated_by, p.status, p.summary, p.quote
from positions p join actors a on a.id = p.actor_id
where p.valid_to is null
order by p.actor_id, p.weapons""",
    "position_details": """
select p.id, p.actor_id, a.name as actor_name, p.role, p.weapons, p.stance, p.conditions,
  p.valid_from, p.valid_to, p.date_precision, p.stated_by, p.stated_by_role, p.status,
  p.summary, p.quote, p.quote_language, p.quote_translation, p.note,
  (select json_group_array(json(source)) from (
     select json_object('id', s.id, 'url', s.url, 'title', s.title, 'publisher', s.publisher,
       'published', s.published, 'published_precision', s.published_precision, 'kind', s.kind) as source
     from position_sources ps join sources s on s.id = ps.source_id
     where ps.position_id = p.id order by ps.seq)) as source_details,
  (select q.id from positions q where q.actor_id = p.actor_id and q.weapons = p.weapons
     and q.valid_from < p.valid_from order by q.valid_from desc limit 1) as previous_position_id,
  (select q.id from positions q where q.actor_id = p.actor_id and q.weapons = p.weapons
     and q.valid_from > p.valid_from order by q.valid_from limit 1) as next_position_id
from positions p join actors a on a.id = p.actor_id""",
    "position_timeline": """
select p.actor_id, a.name as actor_name, p.weapons, p.valid_from, p.valid_to, p.stance,
  lag(p.stance) over scope as previous_stance,
  lag(p.id) over scope as previous_position_id,
  lead(p.id) over scope as next_position_id,
  p.id as position_id, p.status, p.summary
from positions p join actors a on a.id = p.actor_id
window scope as (partition by p.actor_id, p.weapons order by p.valid_from)
order by p.actor_id, p.weapons, p.valid_from""",
}

#: Every table and view a user browses (the FTS tables are Datasette's business).
TABLES_AND_VIEWS = [*PRIMARY_KEYS, *VIEWS]

SQLITE_TYPES = {pl.String: str, pl.Date: str, pl.Float64: float, pl.Int64: int}


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
        write_datapackage(frames, staging)
        (staging / "metadata.json").write_text(json.dumps(datasette_metadata(DATABASE), indent=2) + "\n")
        step("checksums")
        write_manifest(staging)
    return BuildResult(Path(out), {name: frame.height for name, frame in frames.items()})


def primary_key_columns(table: str) -> list[str]:
    pk = PRIMARY_KEYS[table]
    return [pk] if isinstance(pk, str) else list(pk)


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
        columns = {column: SQLITE_TYPES[dtype.base_type()] for column, dtype in frame.schema.items()}
        db[name].create(
            columns,
            pk=PRIMARY_KEYS[name],
            foreign_keys=FOREIGN_KEYS.get(name, []),
            not_null=primary_key_columns(name),
        )
        placeholders = ", ".join("?" for _ in frame.columns)
        with conn:
            conn.executemany(f"insert into [{name}] values ({placeholders})", sqlite_rows(frame))
    for name, indexes in INDEXES.items():
        for columns in indexes:
            db[name].create_index(columns)
    for sql in FTS_SQL:
        conn.execute(sql)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip())
    conn.execute("analyze")
    conn.commit()
    conn.close()


def write_exports(frames: dict[str, pl.DataFrame], folder: Path) -> None:
    """One Parquet and one CSV file per table."""
    (folder / "parquet").mkdir()
    (folder / "csv").mkdir()
    for name, frame in frames.items():
        frame.write_parquet(folder / "parquet" / f"{name}.parquet", statistics=False)
        frame.write_csv(folder / "csv" / f"{name}.csv")


FRICTIONLESS_TYPES = {pl.String: "string", pl.Date: "date", pl.Float64: "number", pl.Int64: "integer"}


def write_datapackage(frames: dict[str, pl.DataFrame], folder: Path) -> None:
    """A Frictionless data package describing the CSV and Parquet files."""
    resources = []
    for file_format in ("csv", "parquet"):
        for name, frame in frames.items():
            descriptions = column_descriptions(name)
            schema = {
                "fields": [
                    {
                        "name": column,
                        "type": FRICTIONLESS_TYPES[dtype.base_type()],
                        "description": descriptions[column],
                    }
                    for column, dtype in frame.schema.items()
                ],
                "primaryKey": primary_key_columns(name),
                "foreignKeys": [
                    {"fields": [column], "reference": {"resource": f"{table}-{file_format}", "fields": [other]}}
                    for column, table, other in FOREIGN_KEYS.get(name, [])
                ],
            }
            resources.append(
                {
                    "name": f"{name}-{file_format}",
                    "path": f"{file_format}/{name}.{file_format}",
                    "format": file_format,
                    "profile": "tabular-data-resource",
                    "description": TABLE_DESCRIPTIONS[name],
                    "schema": schema,
                }
            )
    package = {
        "profile": "tabular-data-package",
        "name": "weapon-use-positions",
        "title": "Weapon-use positions",
        "description": datasette_metadata(DATABASE)["description"],
        "version": __version__,
        "licenses": [
            {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}
        ],
        "resources": resources,
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")


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
