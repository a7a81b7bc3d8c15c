"""The words of the published dataset — titles, descriptions, column meanings — from the models.

Datasette 1.0 reads these from a metadata file beside `datasette.yaml`; the data package
and the codebook use the same descriptions, so there is one source of truth.
"""

from __future__ import annotations

from .models import Actor, Condition, Position, Retirement, Source, SourceRef, WeaponSystem
from .version import __version__

TITLE = "Weapon-use positions"
DESCRIPTION = (
    "Each government's stated position on how the weapons it supplies to Ukraine may be used, "
    "above all whether they may strike targets inside Russia and within which limits, "
    "dated and sourced record by record."
)
LICENSE = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"

TABLE_DESCRIPTIONS = {
    "actors": "Governments and organisations that state positions.",
    "weapon_systems": "Weapon systems that have rules of their own.",
    "sources": "Published pages that support the positions.",
    "positions": "One actor's stated position for one weapons scope, from valid_from until valid_to.",
    "scopes": "Each actor and weapons scope that has positions, with how many and their span.",
    "conditions": "The stated limits of each position, one row per limit.",
    "position_sources": "Which sources support which position.",
    "retirements": "Tombstones: released records withdrawn from the data, with the reason. Their ids are never reused.",
    "releases": "One row per released dataset version.",
    "changes": "Each record added, changed or retired in each release ('unreleased': since the last release).",
    "current_positions": "The position in force today for every actor and weapons scope.",
    "position_details": "Every position with its actor's name, its sources (as JSON) and the previous and next position of its scope.",
    "position_timeline": "Every position with the previous stance and the neighbouring positions of its scope.",
}

DERIVED_COLUMNS = {
    "positions": {
        "conditions": "Stated limits as a JSON list of {kind, text} (also in the conditions table).",
        "sources": "Ids of the supporting sources as a JSON list (also in the position_sources table).",
        "valid_to": "Last day the position was in force: the day before the next position of the same actor "
        "and weapons scope; empty while in force.",
    },
    "scopes": {
        "actor_id": "The actor (actors.id).",
        "weapons": "The weapons scope: 'all' or a weapon_systems.id.",
        "positions": "Number of positions of the actor for the scope.",
        "first_valid_from": "valid_from of the first of them.",
        "last_valid_from": "valid_from of the latest of them.",
    },
    "conditions": {
        "position_id": "The position (positions.id).",
        "seq": "Order of the condition within the position.",
        "kind": Condition.model_fields["kind"].description,
        "text": Condition.model_fields["text"].description,
    },
    "position_sources": {
        "position_id": "The position (positions.id).",
        "source_id": "The source (sources.id).",
        "seq": "Order of the source within the position.",
        "excerpt": SourceRef.model_fields["excerpt"].description,
    },
    "changes": {
        "release": "The release that made the change, or 'unreleased'.",
        "table": "Table of the record.",
        "record_id": "Id of the record.",
        "change": "added, changed or retired.",
        "fields": "For a change: the fields that changed.",
    },
    "releases": {
        "version": "Dataset version (semantic versioning).",
        "date": "Day the version was released.",
        "actors": "Number of actors in the version.",
        "weapon_systems": "Number of weapon systems in the version.",
        "sources": "Number of sources in the version.",
        "positions": "Number of positions in the version.",
        "sha256": "SHA-256 of the version's records in canonical form.",
    },
    "current_positions": {
        "actor_name": "The actor's name.",
    },
    "position_details": {
        "actor_name": "The actor's name.",
        "source_details": "The supporting sources as a JSON list (id, url, title, publisher, published, kind).",
        "previous_position_id": "The previous position of the same actor and scope.",
        "next_position_id": "The next position of the same actor and scope.",
    },
    "position_timeline": {
        "actor_name": "The actor's name.",
        "previous_stance": "Stance of the previous position of the same actor and scope.",
        "previous_position_id": "The previous position of the same actor and scope.",
        "next_position_id": "The next position of the same actor and scope.",
        "position_id": "The position (positions.id).",
    },
}

MODELS = {
    "actors": Actor,
    "weapon_systems": WeaponSystem,
    "sources": Source,
    "positions": Position,
    "retirements": Retirement,
}
RECORD_TIME = {
    "added_in": "Dataset version that first published the record ('unreleased' if not yet released).",
    "updated_in": "Dataset version that last changed the record ('unreleased' if changed since the last release).",
}


def column_descriptions(table: str) -> dict[str, str]:
    """Meaning of every column of a table or view."""
    descriptions: dict[str, str] = {}
    if table in MODELS:
        descriptions.update({name: f.description for name, f in MODELS[table].model_fields.items()})
    elif table in ("current_positions", "position_details", "position_timeline"):
        descriptions.update({name: f.description for name, f in Position.model_fields.items()})
        descriptions.update(DERIVED_COLUMNS["positions"])
    if table in ("actors", "weapon_systems", "sources", "positions"):
        descriptions.update(RECORD_TIME)
    descriptions.update(DERIVED_COLUMNS.get(table, {}))
    return descriptions


def datasette_metadata(database: str) -> dict:
    """The metadata file Datasette 1.0 needs beside datasette.yaml (words only)."""
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": f"weapon-use-positions {__version__}: data package (CSV, Parquet)",
        "source_url": "/downloads/datapackage.json",
        "databases": {
            database: {
                "description": DESCRIPTION,
                "tables": {
                    table: {"description": description, "columns": column_descriptions(table)}
                    for table, description in TABLE_DESCRIPTIONS.items()
                },
            }
        },
    }
