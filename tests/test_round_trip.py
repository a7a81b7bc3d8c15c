"""Nothing lost: data -> SQLite, Parquet and CSV -> records gives back every field of every record."""

import pytest

from weapon_use_positions.checks import validate_data
from weapon_use_positions.diff import records_from_exports, records_from_sqlite
from weapon_use_positions.history import canonical_records
from weapon_use_positions.paths import DB_NAME

from .conftest import DATA


@pytest.fixture(scope="module")
def original():
    return canonical_records(validate_data(DATA))


def test_sqlite_round_trip(built, original):
    assert records_from_sqlite(built / DB_NAME) == original


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_export_round_trip(built, original, file_format):
    assert records_from_exports(built, file_format) == original


def test_round_trip_covers_every_field(original):
    """The real data uses every optional field somewhere, so the round trips above cover them."""
    used = {name for record in original["positions"].values() for name in record}
    assert {"quote", "quote_language", "quote_translation", "note", "conditions", "stated_by_role"} <= used
    assert {"decision", "covers", "excludes", "confirmations"} <= used
    used_sources = {name for record in original["sources"].values() for name in record}
    assert {"title_kind", "published_precision", "controlled_by"} <= used_sources
