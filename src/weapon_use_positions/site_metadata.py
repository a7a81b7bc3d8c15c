"""The words of the published dataset — titles, descriptions, column meanings — from the models.

Datasette 1.0 reads these from a metadata file beside `datasette.yaml`; the data package
and the codebook use the same descriptions, so there is one source of truth.
"""

from __future__ import annotations

from .catalogue import TABLES
from .paths import DATABASE, DATAPACKAGE_FILE
from .queries import VIEWS
from .version import __version__

TITLE = "Weapon-use positions"
DESCRIPTION = (
    "Each government's stated position on how the weapons it supplies to Ukraine may be used, "
    "above all whether they may strike targets inside Russia and within which limits, "
    "dated and sourced record by record."
)
LICENSE = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


def descriptions() -> dict[str, tuple[str, dict[str, str]]]:
    """Every table and view a user browses: name -> (what a row is, column -> meaning)."""
    words = {
        name: (table.description, {c.name: c.description for c in table.columns}) for name, table in TABLES.items()
    }
    positions = words["positions"][1]
    for name, view in VIEWS.items():
        words[name] = (view.description, {**positions, **view.columns})
    return words


def datasette_metadata() -> dict:
    """The metadata file Datasette 1.0 needs beside datasette.yaml (words only)."""
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": f"weapon-use-positions {__version__}: data package (CSV, Parquet)",
        "source_url": f"/downloads/{DATAPACKAGE_FILE}",
        "databases": {
            DATABASE: {
                "description": DESCRIPTION,
                "tables": {
                    name: {"description": description, "columns": columns}
                    for name, (description, columns) in descriptions().items()
                },
            }
        },
    }
