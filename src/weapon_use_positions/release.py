"""Make a release: choose the version by the policy, record it everywhere, snapshot, build, verify, tag.

Policy: MAJOR when the schema breaks (say so with part="major"), MINOR when records are
added, PATCH for corrections and retirements only.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from .build import build
from .checks import validate_data
from .checksums import verify
from .diff import format_diff
from .history import canonical_records, diff_records, write_snapshot
from .paths import REPOSITORY, SNAPSHOT_FOLDER


class ReleaseError(Exception):
    """The release cannot be made (nothing changed, a dirty tree, a version that exists)."""


def next_version(current: str, part: str) -> str:
    major, minor, patch = (int(x) for x in current.split("."))
    return {
        "major": f"{major + 1}.0.0",
        "minor": f"{major}.{minor + 1}.0",
        "patch": f"{major}.{minor}.{patch + 1}",
    }[part]


def release_part(diff) -> str:
    """The part of the version a diff bumps by the policy (schema breaks are declared, not detected)."""
    return "minor" if any(d.added for d in diff.values()) else "patch"


def changelog_entry(version: str, date: str, previous: str, diff) -> str:
    """A CHANGELOG section drafted from the diff; edit its wording before publishing if needed."""
    lines = [f"## {version} — {date}", ""]
    for table, d in diff.items():
        if d:
            lines.append(f"- {table}: {len(d.added)} added, {len(d.changed)} changed, {len(d.retired)} retired.")
    lines += ["", f"Record by record: `weapon-use-positions diff {previous} {version}`.", ""]
    return "\n".join(lines)


def version_file(repository: Path) -> Path:
    return repository / "src" / "weapon_use_positions" / "version.py"


def current_version(repository: Path) -> str:
    """The version the repository's version.py declares."""
    return re.search(r'__version__ = "([^"]+)"', version_file(repository).read_text()).group(1)


def update_files(repository: Path, version: str, date: str, entry: str) -> None:
    path = version_file(repository)
    text = re.sub(r'__version__ = "[^"]+"', f'__version__ = "{version}"', path.read_text())
    path.write_text(re.sub(r'__release_date__ = "[^"]+"', f'__release_date__ = "{date}"', text))
    citation = repository / "CITATION.cff"
    text = re.sub(r"(?m)^version: .*$", f"version: {version}", citation.read_text())
    citation.write_text(re.sub(r"(?m)^date-released: .*$", f"date-released: {date}", text))
    changelog = repository / "CHANGELOG.md"
    text = changelog.read_text()
    first = text.index("\n## ")
    changelog.write_text(text[: first + 1] + entry + "\n" + text[first + 1 :])


def git(repository: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repository), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def make_release(
    repository: Path | None = REPOSITORY, part: str = "auto", date: dt.date | None = None, tag: bool = True
) -> str:
    """Release the data in repository/data; return the new version."""
    if repository is None:
        raise ReleaseError("release runs in a checkout of the repository, not from an installed package")
    data_dir = repository / "data"
    if tag and git(repository, "status", "--porcelain"):
        raise ReleaseError("the working tree has uncommitted changes: commit them first")
    dataset = validate_data(data_dir)
    current = canonical_records(dataset)
    previous = dataset.snapshots[-1] if dataset.snapshots else None
    diff = diff_records(previous.records if previous else {}, current)
    if previous is not None and not any(diff.values()):
        raise ReleaseError(f"nothing changed since {previous.version}")
    if previous is None:
        version = current_version(repository)
    else:
        version = next_version(previous.version, release_part(diff) if part == "auto" else part)
    day = (date or dt.date.today()).isoformat()
    if (data_dir / SNAPSHOT_FOLDER / f"{version}.jsonl").exists():
        raise ReleaseError(f"version {version} is already released")
    print(format_diff(previous.version if previous else "(nothing)", version, diff))
    update_files(repository, version, day, changelog_entry(version, day, previous.version if previous else "", diff))
    write_snapshot(data_dir / SNAPSHOT_FOLDER, version, day, current)
    out = repository / "build" / "dataset"
    build(data_dir, out)
    verify(out)
    if tag:
        git(repository, "add", "-A", "data", "src", "CITATION.cff", "CHANGELOG.md")
        git(repository, "commit", "-m", f"Release {version}")
        git(repository, "tag", "-a", f"v{version}", "-m", f"weapon-use-positions {version}")
    return version
