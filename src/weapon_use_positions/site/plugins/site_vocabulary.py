"""Datasette plugin: the site's templates get the database name and the stance vocabulary from the package.

Templates never spell the database name or the stances: the legend, the stance colours and the
scripts' list of stances all come from here, and the stances themselves from `models.Stance`.
"""

import json
from pathlib import Path

from datasette import hookimpl
from markupsafe import Markup, escape

from weapon_use_positions.dataset_description import schema_org_dataset
from weapon_use_positions.models import (
    ALL_WEAPONS,
    DEFAULT_RECIPIENT,
    STALE_AFTER_MONTHS,
    STANCE_MEANINGS,
    VOCABULARY_MEANINGS,
    Stance,
    Statement,
)
from weapon_use_positions.paths import CROISSANT_FILE, CSV_ZIP_FILE, DATABASE, WORKBOOK_FILE
from weapon_use_positions.questions import EVERY_STATEMENT

#: The colour of each stance on the site (every stance needs one: a missing one fails every page).
#: Okabe-Ito based, so that every pair stays apart under protanopia, deuteranopia and tritanopia
#: (tests/test_palette.py simulates them); every matrix cell also says its stance in words.
STANCE_COLOURS = {
    Stance.permitted: "#0072b2",
    Stance.limited: "#e69f00",
    Stance.not_permitted: "#8b1a1a",
    Stance.no_public_position: "#e0e0e0",
    Stance.unclear: "#cc79a7",
}

#: A pattern over the colour, so that stances differ without colour too (timeline bands carry no text).
STANCE_PATTERNS = {
    Stance.limited: "repeating-linear-gradient(45deg, rgba(255,255,255,.45) 0 3px, transparent 3px 8px)",
    Stance.unclear: "radial-gradient(rgba(0,0,0,.35) 1px, transparent 1.6px) 0 0/6px 6px",
    Stance.no_public_position: "repeating-linear-gradient(90deg, rgba(0,0,0,.18) 0 1px, transparent 1px 6px)",
}


#: The same patterns for SVG (the map): shapes drawn over the colour inside an 8x8 tile.
STANCE_SVG_PATTERNS = {
    Stance.limited: '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="rgba(255,255,255,.6)" stroke-width="2"/>',
    Stance.unclear: '<circle cx="4" cy="4" r="1.3" fill="rgba(0,0,0,.4)"/>',
    Stance.no_public_position: '<path d="M4,0 v8" stroke="rgba(0,0,0,.25)" stroke-width="1"/>',
}


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on the background (WCAG relative luminance)."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#ffffff" if luminance < 0.18 else "#111111"


def stances() -> list[dict]:
    return [
        {
            "value": stance.value,
            "label": stance.value.replace("_", " "),
            "colour": STANCE_COLOURS[stance],
            "text": text_colour(STANCE_COLOURS[stance]),
            "pattern": STANCE_PATTERNS.get(stance, "none"),
            "svg_pattern": Markup(STANCE_SVG_PATTERNS.get(stance, "")),
            "meaning": VOCABULARY_MEANINGS[Stance][stance.value],
        }
        for stance in Stance
    ]


#: Where full-text search snippets mark a match (private-use characters: never in the data's text).
MATCH_MARKS = ("\ue000", "\ue001")


def marked(text) -> Markup:
    """A search snippet as HTML: everything escaped, then the match marks as <mark> elements."""
    safe = str(escape(text or ""))
    return Markup(safe.replace(MATCH_MARKS[0], "<mark>").replace(MATCH_MARKS[1], "</mark>"))


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["marked"] = marked
    env.filters["fromjson"] = lambda text: json.loads(text or "[]")


def dataset_jsonld(datasette, request) -> str:
    """The served build's schema.org description, as JSON for a script element (absolute URLs)."""
    folder = Path(datasette.get_database(DATABASE).path).parent
    downloads = datasette.absolute_url(request, datasette.urls.path("/downloads/")) if request else "/downloads/"
    text = json.dumps(schema_org_dataset(folder, downloads), ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c"))


@hookimpl
def extra_template_vars(datasette, request):
    return {
        "site_dataset_jsonld": lambda: dataset_jsonld(datasette, request),
        "site_database": DATABASE,
        "site_files": {"workbook": WORKBOOK_FILE, "csv_zip": CSV_ZIP_FILE, "croissant": CROISSANT_FILE},
        "site_stances": stances(),
        "site_all_weapons": ALL_WEAPONS,
        "site_default_recipient": DEFAULT_RECIPIENT,
        "site_rule_statement": Statement.rule.value,
        "site_stance_statements": [statement.value for statement, meanings in STANCE_MEANINGS.items() if meanings],
        "site_every_statement": EVERY_STATEMENT,
        "site_stale_months": STALE_AFTER_MONTHS,
        "site_match_marks": MATCH_MARKS,
    }
