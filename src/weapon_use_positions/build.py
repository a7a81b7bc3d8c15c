"""Write the validated tables as SQLite, Parquet, CSV and a Frictionless data package.

A build is written into a fresh folder beside the output and swapped in with one atomic
rename of a symbolic link: readers see the last good build or the new one, never half.
Builds to one output take turns under a lock, and remove only the folders they made
(paths.py lists the entries a build keeps beside its output).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
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
    BUILD_LINK_SUFFIX,
    BUILD_LOCK_SUFFIX,
    BUILD_LOCK_WAIT_SECONDS,
    BUILD_PREFIX,
    BUILDS_MARKER,
    BUILDS_SUFFIX,
    CROISSANT_FILE,
    CSV_ZIP_FILE,
    DATAPACKAGE_FILE,
    DB_NAME,
    EXPORT_FORMATS,
    MANIFEST_FILE,
    METADATA_FILE,
    PACKAGE_NAME,
    SERVING_LOCK,
    WORKBOOK_FILE,
    export_path,
)
from .queries import FTS_SQL, VIEWS
from .site_metadata import DESCRIPTION, LICENSE, LICENSE_URL, TITLE, datasette_metadata
from .version import __version__

SQLITE_TYPES = {str: str, int: int, float: float, bool: int}
#: How often a waiting build tries the lock again.
LOCK_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class BuildResult:
    out: Path
    counts: dict[str, int]


class BuildError(Exception):
    """The build could not be written (the data itself was valid)."""


def build(
    data_dir: Path,
    out: Path,
    today: dt.date | None = None,
    progress=None,
    step=None,
    wait: float = BUILD_LOCK_WAIT_SECONDS,
    on_wait=None,
) -> BuildResult:
    """Validate data_dir and, only if it is valid, replace the build at out with a new one.

    `progress` wraps the list of data files as they are read; `step(name)` is told each later stage;
    `wait` is how long to wait for another build to the same `out`, and `on_wait(message)` is told once if it waits.
    """
    step = step or (lambda name: None)
    check_out(Path(out))  # before the work of validating: a folder in the way is refused at once
    dataset = validate_data(data_dir, today, progress)
    step("tables")
    with no_cycle_collection():
        frames = dataset_frames(dataset)
    del dataset  # the frames hold everything from here on
    with staged_output(Path(out), wait, on_wait) as staging:
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


#: SQLite's primary result codes that mean the disk or the folder, not the data: full, I/O error,
#: cannot open, read-only, no permission.
SQLITE_ENVIRONMENT_CODES = frozenset(
    {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM}
)
#: How Rust libraries (polars) name the operating system's error in their messages.
RUST_OS_ERROR = re.compile(r"\(os error (\d+)\)")
#: What the marker inside the builds folder says.
BUILDS_MARKER_TEXT = "Builds written by weapon-use-positions; the link beside this folder points at one of them.\n"


def beside(out: Path, suffix: str) -> Path:
    """One of the build's own entries beside `out` (paths.py lists them): `.NAME` + suffix."""
    return out.parent / f".{out.name}{suffix}"


def environment_reason(error: BaseException) -> str | None:
    """What went wrong with the disk or folder, if that is why `error` was raised (else None: a bug)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        text = str(error)
        rust = RUST_OS_ERROR.search(text)
        if isinstance(error, OSError):
            if error.strerror:
                where = error.filename2 or error.filename  # the link being made, for os.symlink
                return error.strerror + (f": {where}" if where else "")
            return os.strerror(int(rust.group(1))) if rust else text
        if (
            isinstance(error, sqlite3.Error)
            and (getattr(error, "sqlite_errorcode", 0) & 0xFF) in SQLITE_ENVIRONMENT_CODES
        ):
            return f"SQLite: {text} ({error.sqlite_errorname})"
        if rust:
            return os.strerror(int(rust.group(1)))
        error = error.__cause__ or error.__context__
    return None


def make_parent(out: Path) -> None:
    """Create the folder `out` goes in; refuse when a file stands where a folder must be."""
    ancestor = out.parent
    while not os.path.lexists(ancestor):
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise BuildError(f"{ancestor} is not a folder, so {out} cannot be written")
    out.parent.mkdir(parents=True, exist_ok=True)


@contextmanager
def build_lock(out: Path, wait: float, on_wait=None):
    """Hold the lock of builds to `out` (fcntl.flock on `.NAME.lock` beside it), waiting up to `wait` seconds."""
    lock = beside(out, BUILD_LOCK_SUFFIX)
    if lock.is_symlink():  # O_NOFOLLOW refuses it too; this says why
        raise BuildError(f"{lock} is a link, not the lock file of builds; move it away and build again")
    fd = os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)  # flock needs no more
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildError(
                        f"another build to {out} still holds {lock} after {wait:g} s; "
                        "nothing was built: build again when it has finished"
                    ) from None
                if on_wait is not None:
                    on_wait(f"waiting for another build to {out} to finish…")
                    on_wait = None
                time.sleep(LOCK_POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # releases the lock; so does the kernel if the process dies


def previous_build(out: Path, builds: Path) -> Path | None:
    """The build folder `out` links to now (None when `out` does not exist); refuse anything else at `out`.

    A link a build wrote says `.NAME.builds/build-XXXXXXXX`, or `.NAME-XXXXXXXX` (a folder beside it,
    from versions before the lock).
    """
    if not os.path.lexists(out):
        return None
    if out.is_symlink():
        parts = Path(os.readlink(out)).parts
        if len(parts) == 2 and parts[0] == builds.name and parts[1].startswith(BUILD_PREFIX):
            return builds / parts[1]
        if len(parts) == 1 and re.fullmatch(rf"\.{re.escape(out.name)}-[a-z0-9_]{{8}}", parts[0]):
            return out.parent / parts[0]
    raise BuildError(f"{out} exists and is not a build link; move it away and build again")


def check_out(out: Path) -> None:
    """Refuse an `out` that is not a build link, before anything is created (checked again under the lock)."""
    out = Path(os.path.abspath(out))
    previous_build(out, beside(out, BUILDS_SUFFIX))


def claim_builds_folder(builds: Path) -> None:
    """Create the builds folder, or check that an existing one is this package's (its marker file)."""
    marker = builds / BUILDS_MARKER
    try:
        builds.mkdir()
    except FileExistsError:
        pass
    if builds.is_symlink() or not builds.is_dir() or marker.is_symlink():
        raise BuildError(f"{builds} exists and was not made by a build; move it away and build again")
    if not marker.is_file():
        if any(builds.iterdir()):
            raise BuildError(f"{builds} exists and was not made by a build; move it away and build again")
        marker.write_text(BUILDS_MARKER_TEXT)


def swap_link(out: Path, staging: Path) -> None:
    """Point `out` at `staging` with one rename of a new link over it (readers see the old build or the new)."""
    link = beside(out, BUILD_LINK_SUFFIX)
    if os.path.lexists(link):
        if not link.is_symlink():
            raise BuildError(f"{link} exists and is not a link a build left; move it away and build again")
        link.unlink()  # left by a build that was killed while it swapped
    os.symlink(f"{staging.parent.name}/{staging.name}", link)
    os.replace(link, out)


@contextmanager
def staged_output(out: Path, wait: float = BUILD_LOCK_WAIT_SECONDS, on_wait=None):
    """Yield a fresh folder; on success point `out` (a symbolic link) at it, atomically.

    Builds to one `out` take turns (a lock); a failure of the disk or folder raises BuildError
    naming it; either way the last good build stays where it was.
    """
    out = Path(os.path.abspath(out))
    builds = beside(out, BUILDS_SUFFIX)
    try:
        check_out(out)
        make_parent(out)
        with build_lock(out, wait, on_wait):
            previous = previous_build(out, builds)
            claim_builds_folder(builds)
            remove_stale_builds(builds, keep=previous)  # what killed builds left, before taking more space
            staging = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=builds))
            try:
                yield staging
                staging.chmod(0o755)
                swap_link(out, staging)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            remove_stale_builds(builds, keep=staging)
            if previous is not None and previous.parent == out.parent:
                remove_first_layout_build(previous)
    except BuildError:
        raise
    except Exception as error:
        reason = environment_reason(error)
        if reason is None:
            raise
        kept = "the last good build is untouched" if os.path.lexists(out) else "nothing was built"
        raise BuildError(f"cannot write the build at {out}: {reason}; {kept}") from None


def remove_stale_builds(builds: Path, keep: Path | None) -> None:
    """Remove earlier builds and leftovers of interrupted ones from the builds folder (never `keep`).

    Only folders named BUILD_PREFIX + random inside the package's own builds folder are removed;
    the caller holds the lock, so no other build is writing one of them.
    """
    for entry in builds.iterdir():
        if entry.name.startswith(BUILD_PREFIX) and entry != keep and entry.is_dir() and not entry.is_symlink():
            if not being_served(entry):
                shutil.rmtree(entry, ignore_errors=True)


def being_served(folder: Path) -> bool:
    """A running `serve` holds the build's serving lock (shared): its files must stay."""
    lock = folder / SERVING_LOCK
    if not lock.is_file() or lock.is_symlink():
        return False
    with open(lock, "rb") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False


def remove_first_layout_build(folder: Path) -> None:
    """Remove the build an earlier version wrote beside the link (`.NAME-XXXXXXXX`, with its checksums)."""
    if folder.is_dir() and not folder.is_symlink() and (folder / MANIFEST_FILE).is_file():
        shutil.rmtree(folder, ignore_errors=True)
