"""The version and release date agree everywhere a user reads them."""

import json
import sqlite3

import yaml

import weapon_use_positions as wup
from weapon_use_positions.paths import DB_NAME
from weapon_use_positions.version import __release_date__

from .conftest import ROOT


def test_citation_matches_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["version"] == wup.__version__
    assert str(citation["date-released"]) == __release_date__


def test_changelog_has_entry_for_version():
    assert f"## {wup.__version__} — {__release_date__}" in (ROOT / "CHANGELOG.md").read_text()


def test_build_carries_version(built):
    package = json.loads((built / "datapackage.json").read_text())
    assert package["version"] == wup.__version__
    rows = sqlite3.connect(built / DB_NAME).execute("select version, date from releases order by rowid").fetchall()
    assert rows[-1] == (wup.__version__, __release_date__)
    assert [v for v, _ in rows] == sorted((v for v, _ in rows), key=lambda v: tuple(map(int, v.split("."))))
