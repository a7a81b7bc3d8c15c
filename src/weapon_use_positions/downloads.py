"""Downloads for spreadsheet users: an Excel workbook and a zip of CSV files with a byte-order mark.

Both are written from the same tables as the CSV and Parquet files, and byte-identical from one
build of the same data to the next: the workbook's document dates are the release date, the zip's
entries carry a fixed timestamp and are written in table order.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import polars as pl
import xlsxwriter

from .catalogue import TABLES
from .site_metadata import TITLE as DATABASE_TITLE
from .version import __release_date__

#: The most rows a sheet gets. A workbook is for reading in a spreadsheet, and writing one is slow
#: (about 50,000 cells a second): a larger table's sheet points to its CSV and Parquet files.
#: Excel itself holds 1,048,575 rows a sheet.
SHEET_MAX_ROWS = 50_000
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
BOM = "\ufeff"
COLUMNS_SHEET = "columns"


def cell(value):
    """A value Excel can hold: dates as ISO text (as in the CSV files), everything else as it is."""
    return value.isoformat() if isinstance(value, dt.date) else value


def write_workbook(frames: dict[str, pl.DataFrame], path: Path) -> None:
    """A sheet per table (header row, then rows, up to SHEET_MAX_ROWS) and a sheet saying what each column holds."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_urls": False})
    released = dt.datetime.combine(dt.date.fromisoformat(__release_date__), dt.time())
    workbook.set_properties({"title": DATABASE_TITLE, "created": released})
    bold = workbook.add_format({"bold": True})
    guide = workbook.add_worksheet(COLUMNS_SHEET)
    guide.write_row(0, 0, ["table", "column", "meaning", "rows"], bold)
    line = 1
    for name, frame in frames.items():
        for column in TABLES[name].columns:
            guide.write_row(line, 0, [name, column.name, column.description, frame.height])
            line += 1
    for name, frame in frames.items():
        sheet = workbook.add_worksheet(name[:31])
        sheet.write_row(0, 0, frame.columns, bold)
        if frame.height > SHEET_MAX_ROWS:
            note = f"{frame.height} rows: more than this workbook puts in a sheet; use csv/{name}.csv or parquet/{name}.parquet"
            sheet.write(1, 0, note)
            continue
        for number, row in enumerate(frame.iter_rows(), 1):
            sheet.write_row(number, 0, [cell(value) for value in row])
    workbook.close()


def write_csv_zip(frames: dict[str, pl.DataFrame], path: Path) -> None:
    """Every table as a UTF-8 CSV file with a byte-order mark, in one zip."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, frame in frames.items():
            text = io.StringIO()
            text.write(BOM)
            text.write(frame.write_csv())
            entry = zipfile.ZipInfo(f"{name}.csv", date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, text.getvalue().encode("utf-8"))
