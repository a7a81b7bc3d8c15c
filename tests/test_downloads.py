"""The spreadsheet downloads, opened by real consumers: openpyxl for the workbook, zipfile and csv."""

import csv
import io
import json
import zipfile

import openpyxl

from weapon_use_positions.build import build
from weapon_use_positions.catalogue import TABLES
from weapon_use_positions.paths import CSV_ZIP_FILE, DATAPACKAGE_FILE, WORKBOOK_FILE

from .conftest import MINIMAL


def test_workbook_has_a_sheet_per_table_and_a_sheet_of_meanings(minimal_build):
    workbook = openpyxl.load_workbook(minimal_build / WORKBOOK_FILE, read_only=True)
    assert workbook.sheetnames == ["columns", *TABLES]
    for name, table in TABLES.items():
        rows = list(workbook[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(table.column_names)
        with (minimal_build / "csv" / f"{name}.csv").open(encoding="utf-8") as f:
            assert len(rows) == len(list(csv.reader(f))), name
    guide = list(workbook["columns"].iter_rows(values_only=True))
    assert guide[0] == ("table", "column", "meaning", "rows")
    assert {(t, c) for t, c, _, _ in guide[1:]} == {(t.name, c.name) for t in TABLES.values() for c in t.columns}
    positions = list(workbook["positions"].iter_rows(values_only=True))
    header = positions[0]
    assert {row[header.index("id")] for row in positions[1:]} >= {"aaa-all-2022-06-01", "bbb-all-2024-05-01"}


def test_zip_holds_every_table_as_csv_with_a_byte_order_mark(minimal_build):
    with zipfile.ZipFile(minimal_build / CSV_ZIP_FILE) as archive:
        assert archive.namelist() == [f"{name}.csv" for name in TABLES]
        for name in TABLES:
            data = archive.read(f"{name}.csv")
            assert data.startswith(b"\xef\xbb\xbf")
            plain = (minimal_build / "csv" / f"{name}.csv").read_text(encoding="utf-8")
            assert data.decode("utf-8-sig") == plain
            assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == list(TABLES[name].column_names)


def test_downloads_are_listed_and_identical_across_builds(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(MINIMAL, first)
    build(MINIMAL, second)
    for name in (WORKBOOK_FILE, CSV_ZIP_FILE):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    package = json.loads((first / DATAPACKAGE_FILE).read_text())
    assert {WORKBOOK_FILE, CSV_ZIP_FILE} <= {d["path"] for d in package["downloads"]}


def test_a_table_too_large_for_a_sheet_points_to_its_files(tmp_path):
    import polars as pl

    from weapon_use_positions.downloads import SHEET_MAX_ROWS, write_workbook

    rows = SHEET_MAX_ROWS + 1
    actors = pl.DataFrame({c: [f"{c}{i}" for i in range(rows)] for c in TABLES["actors"].column_names})
    path = tmp_path / "big.xlsx"
    write_workbook({"actors": actors}, path)
    sheet = list(openpyxl.load_workbook(path, read_only=True)["actors"].iter_rows(values_only=True))
    assert len(sheet) == 2 and "use csv/actors.csv or parquet/actors.parquet" in sheet[1][0]
