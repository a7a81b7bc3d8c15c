"""Release history: snapshots of every released version, record-level diffs, record time.

Each release writes `data/releases/VERSION.jsonl`: a header line (version, date), then one
line per record in canonical form, sorted by table and id. From these snapshots the build
derives the `releases` and `changes` tables and each record's `added_in` and `updated_in`,
and the checks make sure no released id disappears without a tombstone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .models import VERSIONED_TYPES
from .paths import SNAPSHOT_FOLDER
from .problems import DataInvalid, Problem, display_path
from .records import canonical_row

#: Tables whose records are versioned, compared and retired.
TABLES = tuple(VERSIONED_TYPES)
#: Version label of records added or changed since the last release.
UNRELEASED = "unreleased"
#: What a released version looks like (semantic versioning).
VERSION_PATTERN = re.compile(r"^\d+\.\d+\.\d+$")

Records = dict[str, dict[str, dict]]


def canonical_records(dataset) -> Records:
    """table -> id -> canonical record, for a loaded Dataset."""
    return {
        table: {r.id: canonical_row(r, model) for r in dataset.records[table]}
        for table, model in VERSIONED_TYPES.items()
    }


def canonical_lines(records: Records) -> list[str]:
    """One JSON line per record, in a stable order."""
    return [
        json.dumps({"table": table, "id": rid, "record": records[table][rid]}, sort_keys=True, ensure_ascii=False)
        for table in TABLES
        for rid in sorted(records.get(table, {}))
    ]


def records_sha256(records: Records) -> str:
    """Hash of the records themselves, independent of files and formats."""
    digest = hashlib.sha256()
    for line in canonical_lines(records):
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass
class Snapshot:
    """The records of one released version, with the line of each in its file."""

    version: str
    date: str
    records: Records
    path: Path
    lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {table: len(self.records.get(table, {})) for table in TABLES}


def write_snapshot(folder: Path, version: str, date: str, records: Records) -> Path:
    """Write a release's snapshot file; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{version}.jsonl"
    header = json.dumps({"version": version, "date": date, "sha256": records_sha256(records)}, sort_keys=True)
    path.write_text("\n".join([header, *canonical_lines(records)]) + "\n")
    return path


#: Lines git leaves in a file whose merge stopped on a conflict.
CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")


class SnapshotError(ValueError):
    """A snapshot line that cannot be read: its line number and what is wrong."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


def read_snapshot(path: Path, text: str | None = None) -> Snapshot:
    """Read one snapshot; raise SnapshotError at the first line that is not what `write_snapshot` writes."""
    lines = (path.read_text(encoding="utf-8") if text is None else text).splitlines()
    if not lines:
        raise SnapshotError(1, "empty snapshot: a release's snapshot is never emptied")
    for number, line in enumerate(lines, start=1):
        if line.startswith(CONFLICT_MARKERS):
            raise SnapshotError(number, "merge conflict marker: resolve the conflict (snapshots are never edited)")
    header = json_line(lines[0], 1)
    version, date = header.get("version"), header.get("date")
    if not isinstance(version, str) or not VERSION_PATTERN.match(version) or f"{version}.jsonl" != path.name:
        raise SnapshotError(1, f"header version {version!r} is not the file's name, {path.stem!r}")
    if not isinstance(date, str) or not valid_date(date):
        raise SnapshotError(1, f"header date {date!r} is not a date (YYYY-MM-DD)")
    if not isinstance(header.get("sha256"), str) or not SHA256_PATTERN.match(header["sha256"]):
        raise SnapshotError(1, "header has no sha256 of the records")
    snapshot = Snapshot(version, date, {table: {} for table in TABLES}, path)
    for number, line in enumerate(lines[1:], start=2):
        entry = json_line(line, number)
        table, rid, record = entry.get("table"), entry.get("id"), entry.get("record")
        if table not in TABLES or not isinstance(rid, str) or not isinstance(record, dict):
            raise SnapshotError(number, "expected a line with a table, an id and a record")
        if rid in snapshot.records[table]:
            raise SnapshotError(number, f"{table} {rid!r} appears twice")
        snapshot.records[table][rid] = record
        snapshot.lines[(table, rid)] = number
    if records_sha256(snapshot.records) != header["sha256"]:
        raise SnapshotError(1, "the records differ from the header's sha256: the snapshot was edited or cut short")
    return snapshot


def json_line(line: str, number: int) -> dict:
    try:
        value = json.loads(line)
    except ValueError as error:
        raise SnapshotError(number, f"not a JSON line ({error.msg})") from None
    if not isinstance(value, dict):
        raise SnapshotError(number, "expected a JSON object")
    return value


def valid_date(text: str) -> bool:
    try:
        return dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def read_snapshots(data_dir: Path) -> tuple[list[Snapshot], list[Problem]]:
    """Every released version's snapshot, oldest first, and a report for each entry of the
    releases folder that cannot be read as one (kept out of the list)."""
    folder = Path(data_dir) / SNAPSHOT_FOLDER
    snapshots, problems = [], []

    def report(path: Path, line: int, message: str) -> None:
        problems.append(Problem(display_path(path, Path(data_dir)), line, "-", "-", message))

    if not folder.exists() and not folder.is_symlink():
        return [], []
    if folder.is_symlink() or not folder.is_dir():
        report(folder, 0, "the releases folder must be a folder inside the data folder, not a link or a file")
        return [], problems
    try:
        entries = sorted(folder.iterdir())
    except OSError as error:
        report(folder, 0, f"folder cannot be read ({error.strerror}): released records cannot be checked")
        return [], problems
    for path in entries:
        if path.suffix != ".jsonl":
            continue
        mode = path.lstat().st_mode
        if not stat.S_ISREG(mode):
            report(path, 0, "not a regular file: a snapshot is a plain file")
            continue
        try:
            snapshots.append(read_snapshot(path, path.read_text(encoding="utf-8")))
        except SnapshotError as error:
            report(path, error.line, str(error))
        except UnicodeDecodeError:
            report(path, 1, "not valid UTF-8")
        except OSError as error:
            report(path, 0, f"file cannot be read ({error.strerror})")
    snapshots.sort(key=lambda s: version_key(s.version))
    for earlier, later in zip(snapshots, snapshots[1:]):
        if later.date < earlier.date:
            report(
                later.path,
                1,
                f"released on {later.date}, before the earlier version {earlier.version} ({earlier.date})",
            )
    return snapshots, problems


def load_snapshots(data_dir: Path) -> list[Snapshot]:
    """Every released version's snapshot, oldest first; raise DataInvalid if one cannot be read."""
    snapshots, problems = read_snapshots(data_dir)
    if problems:
        raise DataInvalid(problems)
    return snapshots


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.retired or self.changed)


def diff_records(old: Records, new: Records) -> dict[str, TableDiff]:
    """Per table: ids added, ids retired, and for changed ids each field's (before, after)."""
    result = {}
    for table in TABLES:
        before, after = old.get(table, {}), new.get(table, {})
        diff = TableDiff(
            added=sorted(set(after) - set(before)),
            retired=sorted(set(before) - set(after)),
        )
        for rid in sorted(set(before) & set(after)):
            if before[rid] != after[rid]:
                fields = sorted(set(before[rid]) | set(after[rid]))
                diff.changed[rid] = {
                    f: (before[rid].get(f), after[rid].get(f))
                    for f in fields
                    if before[rid].get(f) != after[rid].get(f)
                }
        result[table] = diff
    return result


def record_versions(snapshots: list[Snapshot], current: Records) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, id) -> (added_in, updated_in) for every current record."""
    added, updated, last = {}, {}, {}
    states = [(s.version, s.records) for s in snapshots]
    if not snapshots or current != snapshots[-1].records:
        states.append((UNRELEASED, current))
    for version, records in states:
        for table in TABLES:
            for rid, record in records.get(table, {}).items():
                key = (table, rid)
                added.setdefault(key, version)
                if last.get(key) != record:
                    updated[key] = version
                last[key] = record
    return {
        (table, rid): (added[(table, rid)], updated[(table, rid)]) for table in TABLES for rid in current.get(table, {})
    }


def change_rows(snapshots: list[Snapshot], current: Records) -> list[tuple]:
    """(release, table, record_id, change, fields) for each release, and for unreleased changes."""
    rows = []
    previous: Records = {}
    states = [(s.version, s.records) for s in snapshots]
    if not snapshots or current != snapshots[-1].records:
        states.append((UNRELEASED, current))
    for version, records in states:
        for table, diff in diff_records(previous, records).items():
            rows += [(version, table, rid, "added", None) for rid in diff.added]
            rows += [(version, table, rid, "changed", ", ".join(fields)) for rid, fields in diff.changed.items()]
            rows += [(version, table, rid, "retired", None) for rid in diff.retired]
        previous = records
    return rows
