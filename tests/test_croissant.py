"""croissant.json, read by the real consumer: mlcroissant validates it and loads every record set."""

import json

import mlcroissant
import polars as pl
import pytest

from weapon_use_positions.build import build
from weapon_use_positions.catalogue import TABLES
from weapon_use_positions.paths import CROISSANT_FILE, DATAPACKAGE_FILE, export_path

from .conftest import MINIMAL


def as_text(value):
    """mlcroissant's value as the CSV file writes it: bytes decoded, timestamps as dates, booleans lower-case."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, bool):
        return str(value).lower()
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value)


@pytest.fixture(scope="module")
def croissant(built):
    dataset = mlcroissant.Dataset(jsonld=str(built / CROISSANT_FILE))
    return built, dataset


def test_croissant_validates_without_errors_or_warnings(croissant):
    _, dataset = croissant
    assert not dataset.metadata.ctx.issues.errors
    assert not dataset.metadata.ctx.issues.warnings


@pytest.mark.parametrize("table", list(TABLES))
def test_croissant_loads_each_table_as_its_csv_file(croissant, table):
    built, dataset = croissant
    expected = pl.read_csv(built / export_path("csv", table), infer_schema=False)
    rows = [{k.split("/", 1)[1]: as_text(v) for k, v in r.items()} for r in dataset.records(record_set=table)]
    assert sorted(rows, key=str) == sorted(expected.iter_rows(named=True), key=str)


def test_croissant_describes_every_table_with_its_checksum(croissant):
    built, _ = croissant
    description = json.loads((built / CROISSANT_FILE).read_text())
    assert [s["name"] for s in description["recordSet"]] == list(TABLES)
    sums = dict(line.split("  ")[::-1] for line in (built / "SHA256SUMS").read_text().splitlines())
    assert {f["contentUrl"]: f["sha256"] for f in description["distribution"]} == {
        export_path("csv", t): sums[export_path("csv", t)] for t in TABLES
    }


def test_a_broken_croissant_is_refused(croissant, tmp_path):
    built, _ = croissant
    description = json.loads((built / CROISSANT_FILE).read_text())
    description["recordSet"][0]["field"][0]["source"]["fileObject"]["@id"] = "csv/nowhere.csv"
    broken = tmp_path / CROISSANT_FILE
    broken.write_text(json.dumps(description))
    with pytest.raises(mlcroissant.ValidationError):
        mlcroissant.Dataset(jsonld=str(broken))


def test_croissant_is_listed_and_identical_across_builds(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(MINIMAL, first)
    build(MINIMAL, second)
    assert (first / CROISSANT_FILE).read_bytes() == (second / CROISSANT_FILE).read_bytes()
    package = json.loads((first / DATAPACKAGE_FILE).read_text())
    assert CROISSANT_FILE in [d["path"] for d in package["downloads"]]
