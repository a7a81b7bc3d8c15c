"""The schema.org `Dataset` description of a build, for dataset search engines (JSON-LD on the home page).

Written from the build itself: its version, the span of dates its positions cover, and each
download with the sha256 the build's manifest records for it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .paths import CROISSANT_FILE, CSV_ZIP_FILE, DATAPACKAGE_FILE, DB_NAME, MANIFEST_FILE, WORKBOOK_FILE, export_path
from .site_metadata import DESCRIPTION, LICENSE_URL, TITLE
from .version import __version__

#: Who made the dataset, as CITATION.cff names its authors.
CREATOR = "weapon-use-positions contributors"
KEYWORDS = ["Ukraine", "Russia", "weapons", "arms transfers", "military aid", "dataset"]
#: The files a dataset search engine is offered, with their media types.
DISTRIBUTION = {
    DB_NAME: "application/vnd.sqlite3",
    DATAPACKAGE_FILE: "application/json",
    WORKBOOK_FILE: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV_ZIP_FILE: "application/zip",
    CROISSANT_FILE: "application/ld+json",
    export_path("csv", "positions"): "text/csv",
    export_path("parquet", "positions"): "application/vnd.apache.parquet",
}


def manifest(folder: Path) -> dict[str, str]:
    lines = (folder / MANIFEST_FILE).read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines if line)}


def schema_org_dataset(folder: Path, downloads_url: str) -> dict:
    """The description as JSON-LD data; `downloads_url` is where the build's files are served."""
    sums = manifest(folder)
    conn = sqlite3.connect(f"file:{folder / DB_NAME}?mode=ro", uri=True)
    try:
        start, end = conn.execute("select min(valid_from), max(last_confirmed) from positions").fetchone()
    finally:
        conn.close()
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": TITLE,
        "description": DESCRIPTION,
        "version": __version__,
        "license": LICENSE_URL,
        "isAccessibleForFree": True,
        "keywords": KEYWORDS,
        "creator": {"@type": "Organization", "name": CREATOR},
        "temporalCoverage": f"{start}/{end}",
        "distribution": [
            {
                "@type": "DataDownload",
                "name": name,
                "encodingFormat": media_type,
                "contentUrl": f"{downloads_url.rstrip('/')}/{name}",
                "sha256": sums[name],
            }
            for name, media_type in DISTRIBUTION.items()
            if name in sums
        ],
    }
