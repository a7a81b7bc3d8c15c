"""The public Python API: the shipped dataset as polars DataFrames and a read-only SQLite connection.

One reader per published table (`wup.positions()`, `wup.conditions()`, ...), made from the
catalogue; `wup.tables()` lists them; `wup.as_of()` answers the as-of question with the
same SQL as the CLI and the Datasette stored query.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import polars as pl

from .catalogue import TABLES
from .checksums import VerificationError
from .checksums import verify as verify_folder
from .models import DEFAULT_RECIPIENT, Statement
from .paths import DB_NAME, dataset_candidates, find_dataset
from .queries import AS_OF_SQL
from .questions import EVERY_STATEMENT, BadQuestion, Known, parse_day


class DatasetNotBuilt(FileNotFoundError):
    """No built dataset next to the package or in the repository's build folder."""


def dataset_dir() -> Path:
    """Folder of the built dataset `wup.*` reads (see paths.py for the order of precedence)."""
    folder = find_dataset()
    if folder is None:
        looked = " or ".join(str(p) for p in dataset_candidates())
        raise DatasetNotBuilt(f"no built dataset in {looked}: run `weapon-use-positions build` in the repository")
    return folder


def connect(path: Path | str | None = None) -> sqlite3.Connection:
    """Open the built SQLite database read-only."""
    path = Path(path) if path is not None else dataset_dir() / DB_NAME
    if not path.is_file():
        raise DatasetNotBuilt(f"no database at {path}")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def verify() -> int:
    """Check every file of the dataset against the checksums recorded at build time; return how many.

    Raises VerificationError naming the file that is missing or differs.
    """
    return verify_folder(dataset_dir())


def table(name: str) -> pl.DataFrame:
    """One table of the built dataset, read from its Parquet file (`tables()` lists them)."""
    if name not in TABLES:
        raise ValueError(f"no table {name!r}; the tables are: {', '.join(TABLES)}")
    return pl.read_parquet(dataset_dir() / "parquet" / f"{name}.parquet")


def tables() -> pl.DataFrame:
    """Every published table: its name, what one row is, and its columns."""
    return pl.DataFrame(
        {
            "name": list(TABLES),
            "description": [t.description for t in TABLES.values()],
            "columns": [list(t.column_names) for t in TABLES.values()],
        }
    )


def table_reader(name: str):
    """A function that returns one table, named and documented after it."""

    def read() -> pl.DataFrame:
        return table(name)

    read.__name__ = read.__qualname__ = name
    read.__doc__ = f"The {name} table as a polars DataFrame: {TABLES[name].description}"
    return read


READERS = {name: table_reader(name) for name in TABLES}
globals().update(READERS)


def as_of(
    date: str | dt.date,
    weapon: str | None = None,
    actor: str | None = None,
    statement: str | None = Statement.rule.value,
    recipient: str = DEFAULT_RECIPIENT,
    db: Path | str | None = None,
) -> pl.DataFrame:
    """Positions in force on a date for one recipient: suppliers' rules by default (`statement=None`: every kind).

    Without `weapon`, one row per actor and scope. With `weapon`, each actor's effective position
    for that system: its own, or a later general ('all') one that does not exclude it
    (`inherited` is true then). A malformed date or an unknown id raises `ValueError`
    (`BadQuestion`), naming what is valid.
    """
    day = parse_day(date)
    params = {
        "date": day.isoformat(),
        "weapon": weapon or "",
        "actor": actor or "",
        "recipient": recipient,
        "statement": statement or EVERY_STATEMENT,
    }
    conn = connect(db)
    try:
        Known.from_connection(conn).check(weapon=weapon, actor=actor, recipient=recipient, statement=statement)
        frame = pl.read_database(AS_OF_SQL, conn, execute_options={"parameters": params}, infer_schema_length=None)
    finally:
        conn.close()
    dates = ("valid_from", "valid_to", "last_confirmed")
    return frame.with_columns(
        pl.col(dates).cast(pl.String).str.to_date("%Y-%m-%d"), pl.col("inherited").cast(pl.Boolean)
    )


__all__ = [
    "BadQuestion",
    "DatasetNotBuilt",
    "VerificationError",
    "as_of",
    "connect",
    "dataset_dir",
    "table",
    "tables",
    "verify",
    *READERS,
]
