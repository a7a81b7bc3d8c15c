"""Datasette plugin: cells that read as what they hold.

A weapons scope links to its weapon system ('all' stays text); the JSON list columns (conditions,
source ids, confirmations, covers and excludes) show as short lists instead of raw JSON. Every
value is escaped; only the markup added here is HTML.
"""

import json

from datasette import hookimpl
from markupsafe import Markup, escape

from weapon_use_positions.catalogue import TABLES
from weapon_use_positions.models import ALL_WEAPONS
from weapon_use_positions.paths import DATABASE

#: Columns holding a weapons scope, by table or view.
WEAPON_COLUMNS = {"weapons"}
#: JSON list columns of the published tables, from the catalogue.
JSON_COLUMNS = {column.name for table in TABLES.values() for column in table.columns if column.json}


def item_text(item) -> str:
    if isinstance(item, dict):
        if "kind" in item and "text" in item:
            return f"{item['kind']}: {item['text']}"
        if "date" in item and "source" in item:
            return f"{item['date']} ({item['source']})"
        return ", ".join(f"{key}: {value}" for key, value in item.items())
    return str(item)


@hookimpl
def render_cell(value, column, table, database, datasette):
    if database != DATABASE or not isinstance(value, str):
        return None
    if column in WEAPON_COLUMNS and value and value != ALL_WEAPONS:
        href = datasette.urls.row(DATABASE, "weapon_systems", value)
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if column in JSON_COLUMNS and value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return None
        if not items:
            return Markup('<span class="muted">none</span>')
        return Markup('<ul class="cell-list">' + "".join(f"<li>{escape(item_text(i))}</li>" for i in items) + "</ul>")
    return None
