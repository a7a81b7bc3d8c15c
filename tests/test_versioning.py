"""Releases, record-level diffs, record time, tombstones, reproducible builds and verification."""

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from weapon_use_positions.build import build
from weapon_use_positions.checks import validate_data
from weapon_use_positions.checksums import VerificationError, verify
from weapon_use_positions.cli import cli
from weapon_use_positions.diff import compare, records_at
from weapon_use_positions.history import TABLES, canonical_records, load_snapshots, write_snapshot
from weapon_use_positions.paths import DB_NAME
from weapon_use_positions.problems import DataInvalid
from weapon_use_positions.release import make_release

from .conftest import MINIMAL, ROOT, edit_yaml


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def change_data(data):
    """Add a position, change a field of another, remove a third (and its now unused source)."""

    def aaa(doc):
        counter_fire = next(p for p in doc["positions"] if p["id"] == "aaa-all-2024-05-30")
        counter_fire["summary"] = "Alphaland allows counter-fire across the border near one city."
        counter_fire["stance"] = "permitted"
        counter_fire["conditions"] = []
        doc["positions"] = [p for p in doc["positions"] if p["id"] != "aaa-atacms-2024-11-17"]
        doc["sources"] = [s for s in doc["sources"] if s["id"] != "example-2024-11-17-aaa"]
        doc["sources"].append(
            {
                "id": "example-2025-01-10-aaa",
                "url": "https://example.org/aaa/2025-01-10",
                "title": "Alphaland returns to its first rule",
                "publisher": "Example News",
                "published": "2025-01-10",
                "language": "en",
                "kind": "newspaper",
                "accessed": "2025-02-01",
            }
        )
        doc["positions"].append(
            {
                "id": "aaa-all-2025-01-10",
                "actor_id": "AAA",
                "recipient_id": "UKR",
                "role": "supplier",
                "statement": "rule",
                "weapons": "all",
                "stance": "not_permitted",
                "valid_from": "2025-01-10",
                "date_precision": "day",
                "status": "official",
                "summary": "Alphaland goes back to its first rule.",
                "sources": [{"id": "example-2025-01-10-aaa", "excerpt": "Alphaland returns to its first rule."}],
            }
        )

    edit_yaml(data / "positions" / "aaa.yaml", aaa)


@pytest.fixture
def repo(tmp_path):
    """A git repository whose data/ is the fixture tree, tagged v1, then changed and committed."""
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL, repo / "data")
    git(repo, "init", "-q")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one")
    git(repo, "tag", "v1")
    change_data(repo / "data")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "two")
    return repo


EXPECTED_POSITIONS = {
    "added": ["aaa-all-2025-01-10"],
    "retired": ["aaa-atacms-2024-11-17"],
    "changed": {"aaa-all-2024-05-30": {"conditions", "stance", "summary"}},
}


def test_diff_between_revisions(repo):
    diff = compare("v1", "HEAD", repository=repo)
    positions = diff["positions"]
    assert positions.added == EXPECTED_POSITIONS["added"]
    assert positions.retired == EXPECTED_POSITIONS["retired"]
    assert {k: set(v) for k, v in positions.changed.items()} == EXPECTED_POSITIONS["changed"]
    assert positions.changed["aaa-all-2024-05-30"]["stance"] == ("limited", "permitted")
    assert diff["sources"].retired == ["example-2024-11-17-aaa"]
    assert diff["sources"].added == ["example-2025-01-10-aaa"]
    assert not diff["actors"] and not diff["weapon_systems"]


def test_diff_between_databases_matches_revisions(repo, tmp_path):
    git(repo, "checkout", "-q", "v1")
    build(repo / "data", tmp_path / "old")
    git(repo, "checkout", "-q", "-")
    build(repo / "data", tmp_path / "new")
    old_db, new_db = str(tmp_path / "old" / DB_NAME), str(tmp_path / "new" / DB_NAME)
    assert records_at(old_db) == records_at("v1", repo)
    assert records_at(new_db) == records_at("HEAD", repo)
    result = CliRunner().invoke(cli, ["diff", old_db, new_db])
    assert result.exit_code == 0, result.output
    assert "positions: 1 added, 1 changed, 1 retired" in result.output
    assert "      stance: limited -> permitted" in result.output
    as_json = CliRunner().invoke(cli, ["diff", old_db, new_db, "--json"])
    assert '"retired": [\n      "aaa-atacms-2024-11-17"' in as_json.output


def test_diff_unknown_revision_is_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["diff", "no-such-revision-xyz", "HEAD"])
    assert result.exit_code == 2
    assert "no-such-revision-xyz" in result.output


def released_copy(tmp_path):
    """The fixture tree with version 1.0.0 released, then changed."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    write_snapshot(data / "releases", "1.0.0", "2025-01-01", canonical_records(validate_data(data)))
    return data


def test_removed_released_id_fails_the_build(tmp_path):
    data = released_copy(tmp_path)
    change_data(data)
    with pytest.raises(DataInvalid) as error:
        build(data, tmp_path / "out")
    problems = error.value.problems
    assert [(p.record_id, p.field) for p in problems] == [
        ("example-2024-11-17-aaa", "id"),
        ("aaa-atacms-2024-11-17", "id"),
    ]
    assert {p.path for p in problems} == {"data/releases/1.0.0.jsonl"}
    assert "released in 1.0.0 (positions) but missing from the data" in problems[1].message
    assert not (tmp_path / "out").exists()


def retire(data, table, rid, replaced_by=None):
    path = data / "retirements.yaml"
    doc = yaml.safe_load(path.read_text()) if path.exists() else {"retirements": []}
    entry = {"id": rid, "table": table, "retired_in": "1.1.0", "reason": "Duplicate of another record."}
    if replaced_by:
        entry["replaced_by"] = replaced_by
    doc["retirements"].append(entry)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def test_tombstones_changes_releases_and_record_time(tmp_path):
    data = released_copy(tmp_path)
    change_data(data)
    retire(data, "positions", "aaa-atacms-2024-11-17", replaced_by="aaa-all-2025-01-10")
    retire(data, "sources", "example-2024-11-17-aaa")
    build(data, tmp_path / "out")
    conn = sqlite3.connect(tmp_path / "out" / DB_NAME)
    changes = set(conn.execute("select release, [table], record_id, change, fields from changes"))
    assert ("1.0.0", "positions", "aaa-atacms-2024-11-17", "added", None) in changes
    unreleased = {row for row in changes if row[0] == "unreleased"}
    assert unreleased == {
        ("unreleased", "positions", "aaa-all-2025-01-10", "added", None),
        ("unreleased", "positions", "aaa-all-2024-05-30", "changed", "conditions, stance, summary"),
        ("unreleased", "positions", "aaa-atacms-2024-11-17", "retired", None),
        ("unreleased", "sources", "example-2024-11-17-aaa", "retired", None),
        ("unreleased", "sources", "example-2025-01-10-aaa", "added", None),
    }
    versions = dict(((r[0]), (r[1], r[2])) for r in conn.execute("select id, added_in, updated_in from positions"))
    assert versions["aaa-all-2022-06-01"] == ("1.0.0", "1.0.0")
    assert versions["aaa-all-2024-05-30"] == ("1.0.0", "unreleased")
    assert versions["aaa-all-2025-01-10"] == ("unreleased", "unreleased")
    releases = conn.execute("select version, date, positions from releases").fetchall()
    assert releases == [("1.0.0", "2025-01-01", len(validate_data(MINIMAL).positions))]
    tombstones = conn.execute("select [table], id, replaced_by from retirements order by 1").fetchall()
    assert tombstones == [
        ("positions", "aaa-atacms-2024-11-17", "aaa-all-2025-01-10"),
        ("sources", "example-2024-11-17-aaa", None),
    ]


def test_retired_id_cannot_be_reused(tmp_path):
    data = released_copy(tmp_path)
    retire(data, "positions", "aaa-atacms-2024-11-17")
    with pytest.raises(DataInvalid) as error:
        validate_data(data)
    assert "a retired id is never reused" in error.value.problems[0].message


def tree_hashes(folder):
    folder = folder.resolve()
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path):
    build(ROOT / "data", tmp_path / "one")
    build(ROOT / "data", tmp_path / "two")
    one, two = tree_hashes(tmp_path / "one"), tree_hashes(tmp_path / "two")
    assert one == two
    assert {"weapon_use_positions.db", "datapackage.json", "parquet/positions.parquet", "csv/positions.csv"} <= set(one)


def test_verify_names_the_changed_file(minimal_build, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(minimal_build, copy)
    assert verify(copy) > 5
    db = copy / DB_NAME
    raw = bytearray(db.read_bytes())
    raw[200] ^= 0xFF
    db.write_bytes(bytes(raw))
    with pytest.raises(VerificationError, match=DB_NAME):
        verify(copy)


def test_release_bumps_snapshots_and_tags(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL, repo / "data")
    (repo / "src" / "weapon_use_positions").mkdir(parents=True)
    (repo / "src" / "weapon_use_positions" / "version.py").write_text(
        '__version__ = "1.0.0"\n__release_date__ = "2025-01-01"\n'
    )
    (repo / "CITATION.cff").write_text("cff-version: 1.2.0\nversion: 1.0.0\ndate-released: 2025-01-01\n")
    (repo / "CHANGELOG.md").write_text("# Changelog\n\nIntro.\n\n## 1.0.0 — 2025-01-01\n\nFirst.\n")
    (repo / ".gitignore").write_text("build/\n")
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "t")
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    import datetime as dt

    assert make_release(repo, date=dt.date(2025, 1, 1)) == "1.0.0"
    change_data(repo / "data")
    retire(repo / "data", "positions", "aaa-atacms-2024-11-17")
    retire(repo / "data", "sources", "example-2024-11-17-aaa")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more records")
    assert make_release(repo, date=dt.date(2025, 2, 1)) == "1.1.0"  # records were added: minor
    assert (repo / "data" / "releases" / "1.1.0.jsonl").is_file()
    assert 'version__ = "1.1.0"' in (repo / "src" / "weapon_use_positions" / "version.py").read_text()
    assert "version: 1.1.0" in (repo / "CITATION.cff").read_text()
    changelog = (repo / "CHANGELOG.md").read_text()
    assert changelog.index("## 1.1.0 — 2025-02-01") < changelog.index("## 1.0.0")
    assert "- positions: 1 added, 1 changed, 1 retired." in changelog
    tags = subprocess.run(["git", "-C", str(repo), "tag"], capture_output=True, text=True).stdout.split()
    assert tags == ["v1.0.0", "v1.1.0"]
    assert verify(repo / "build" / "dataset") > 0


def test_diff_reads_released_versions_in_a_fresh_clone_without_tags(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-tags", str(ROOT), str(clone)], check=True, capture_output=True)
    assert subprocess.run(["git", "-C", str(clone), "tag"], capture_output=True, text=True).stdout == ""
    env = {"PYTHONPATH": str(clone / "src"), "PATH": "/usr/bin:/bin"}

    def diff(*specs):
        result = subprocess.run(
            [sys.executable, "-m", "weapon_use_positions", "diff", *specs, "--json"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    snapshots = {s.version: s for s in load_snapshots(clone / "data")}
    old, new = list(snapshots)[:2]
    between = diff(old, new)
    for table in TABLES:
        added, retired = between[table]["added"], between[table]["retired"]
        assert len(snapshots[new].records[table]) - len(snapshots[old].records[table]) == len(added) - len(retired)
        assert set(added) <= set(snapshots[new].records[table]) and not set(added) & set(snapshots[old].records[table])
    assert diff(f"v{old}", f"v{new}") == between
    since = diff(list(snapshots)[-1], "HEAD")
    assert set(since) == set(TABLES)
