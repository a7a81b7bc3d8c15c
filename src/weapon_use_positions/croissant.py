"""The Croissant description of a build (`croissant.json`), so ML tooling such as mlcroissant can load it.

Written from the catalogue like `datapackage.json`: one record set per table, read from the
build's CSV files, with each column's type and meaning, the primary key and each file's sha256.
Croissant 1.0 (https://mlcommons.org/croissant/1.0).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .catalogue import TABLES
from .checksums import file_sha256
from .dataset_description import CREATOR
from .paths import export_path
from .site_metadata import DESCRIPTION, LICENSE_URL, TITLE
from .version import __version__

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
#: The JSON-LD context every Croissant 1.0 file carries (the specification's own).
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
    "samplingRate": "cr:samplingRate",
    "equivalentProperty": "cr:equivalentProperty",
}
#: Croissant data types of the catalogue's column types.
DATA_TYPES = {str: "sc:Text", int: "sc:Integer", float: "sc:Float", bool: "sc:Boolean", dt.date: "sc:Date"}


def croissant_metadata(tables: list[str], folder: Path, released: dt.date | None) -> dict:
    """The description of the CSV files of `tables` in the build folder; `released` is this version's date."""
    files = [
        {
            "@type": "cr:FileObject",
            "@id": export_path("csv", name),
            "name": export_path("csv", name),
            "description": TABLES[name].description,
            "contentUrl": export_path("csv", name),
            "encodingFormat": "text/csv",
            "sha256": file_sha256(folder / export_path("csv", name)),
        }
        for name in tables
    ]
    record_sets = []
    for name in tables:
        table = TABLES[name]
        record_set = {
            "@type": "cr:RecordSet",
            "@id": name,
            "name": name,
            "description": table.description,
            "field": [
                {
                    "@type": "cr:Field",
                    "@id": f"{name}/{column.name}",
                    "name": column.name,
                    "description": column.description,
                    "dataType": DATA_TYPES[column.type],
                    "source": {"fileObject": {"@id": export_path("csv", name)}, "extract": {"column": column.name}},
                }
                for column in table.columns
            ],
        }
        key = [{"@id": f"{name}/{column}"} for column in table.primary_key]
        record_set["key"] = key[0] if len(key) == 1 else key
        record_sets.append(record_set)
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": TITLE,
        "description": DESCRIPTION,
        "version": __version__,
        "license": LICENSE_URL,
        "creator": {"@type": "sc:Organization", "name": CREATOR},
        "citeAs": f"{CREATOR}. {TITLE}, version {__version__}" + (f" ({released.isoformat()})." if released else "."),
        **({"datePublished": released.isoformat()} if released else {}),
        "distribution": files,
        "recordSet": record_sets,
    }


def write_croissant(tables: list[str], folder: Path, path: Path, released: dt.date | None) -> None:
    path.write_text(json.dumps(croissant_metadata(tables, folder, released), indent=2, ensure_ascii=False) + "\n")
