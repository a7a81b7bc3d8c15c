"""The public Python API: the shipped dataset as polars DataFrames and a read-only SQLite connection."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import polars as pl

from .queries import AS_OF_SQL

DB_NAME = "weapon_use_positions.db"
PACKAGE_DIR = Path(__file__).parent
SHIPPED = PACKAGE_DIR / "_data"
REPOSITORY_BUILD = PACKAGE_DIR.parent.parent / "build" / "dataset"


class DatasetNotBuilt(FileNotFoundError):
    """No built dataset next to the package or in the repository's build folder."""


@cache
def dataset_dir() -> Path:
    """Folder of the built dataset: shipped in the wheel, or the repository's build in a checkout."""
    for folder in (SHIPPED, REPOSITORY_BUILD):
        if (folder / DB_NAME).is_file():
            return folder
    raise DatasetNotBuilt(
        f"no built dataset in {SHIPPED} or {REPOSITORY_BUILD}: run `weapon-use-positions build` in the repository"
    )


def connect(path: Path | str | None = None):
    """Open the built SQLite database read-only (a sqlite3.Connection)."""
    import sqlite3

    path = Path(path) if path is not None else dataset_dir() / DB_NAME
    if not path.is_file():
        raise DatasetNotBuilt(f"no database at {path}")
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def verify() -> int:
    """Check every shipped file against the checksums recorded at build time; return how many.

    Raises VerificationError naming the file that is missing or differs.
    """
    from .verify import verify as verify_folder

    return verify_folder(dataset_dir())


def table(name: str) -> pl.DataFrame:
    """One table of the built dataset, read from its Parquet file."""
    return pl.read_parquet(dataset_dir() / "parquet" / f"{name}.parquet")


def positions() -> pl.DataFrame:
    """Every position, one row each, with valid_to derived."""
    return table("positions")


def actors() -> pl.DataFrame:
    """Every actor."""
    return table("actors")


def sources() -> pl.DataFrame:
    """Every source."""
    return table("sources")


def weapon_systems() -> pl.DataFrame:
    """Every weapon system with rules of its own."""
    return table("weapon_systems")


def as_of(
    date: str | dt.date, weapon: str | None = None, actor: str | None = None, db: Path | str | None = None
) -> pl.DataFrame:
    """Positions in force on a date: per actor and scope, or the effective stance for one weapon system.

    With `weapon`, each actor's system-specific position is used if one is in force on the date,
    otherwise its general ('all') position.
    """
    day = dt.date.fromisoformat(date) if isinstance(date, str) else date
    params = {"date": day.isoformat(), "weapon": weapon or "", "actor": actor or ""}
    conn = connect(db)
    try:
        frame = pl.read_database(AS_OF_SQL, conn, execute_options={"parameters": params}, infer_schema_length=None)
    finally:
        conn.close()
    return frame.with_columns(pl.col("valid_from", "valid_to").cast(pl.String).str.to_date("%Y-%m-%d"))
