"""Release history: snapshots of every released version, record-level diffs, record time.

Each release writes `data/releases/VERSION.jsonl`: a header line (version, date), then one
line per record in canonical form, sorted by table and id. From these snapshots the build
derives the `releases` and `changes` tables and each record's `added_in` and `updated_in`,
and the checks make sure no released id disappears without a tombstone.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .models import VERSIONED_TYPES
from .paths import SNAPSHOT_FOLDER
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


def read_snapshot(path: Path) -> Snapshot:
    lines = path.read_text().splitlines()
    header = json.loads(lines[0])
    snapshot = Snapshot(header["version"], header["date"], {table: {} for table in TABLES}, path)
    for number, line in enumerate(lines[1:], start=2):
        entry = json.loads(line)
        snapshot.records.setdefault(entry["table"], {})[entry["id"]] = entry["record"]
        snapshot.lines[(entry["table"], entry["id"])] = number
    return snapshot


def load_snapshots(data_dir: Path) -> list[Snapshot]:
    """Every released version's snapshot, oldest first (none when the folder has no releases)."""
    folder = Path(data_dir) / SNAPSHOT_FOLDER
    snapshots = [read_snapshot(path) for path in folder.glob("*.jsonl")] if folder.is_dir() else []
    return sorted(snapshots, key=lambda s: version_key(s.version))


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
