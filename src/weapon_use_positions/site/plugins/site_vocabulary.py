"""Datasette plugin: the site's templates get the database name and the stance vocabulary from the package.

Templates never spell the database name or the stances: the legend, the stance colours and the
scripts' list of stances all come from here, and the stances themselves from `models.Stance`.
"""

import json

from datasette import hookimpl
from markupsafe import Markup, escape

from weapon_use_positions.models import (
    ALL_WEAPONS,
    DEFAULT_RECIPIENT,
    STALE_AFTER_MONTHS,
    VOCABULARY_MEANINGS,
    Stance,
    Statement,
)
from weapon_use_positions.paths import DATABASE
from weapon_use_positions.questions import EVERY_STATEMENT

#: The colour of each stance on the site (every stance needs one: a missing one fails every page).
STANCE_COLOURS = {
    Stance.permitted: "#1a9850",
    Stance.limited: "#fdae61",
    Stance.not_permitted: "#d73027",
    Stance.no_public_position: "#9e9e9e",
    Stance.unclear: "#c2a5cf",
}


def stances() -> list[dict]:
    return [
        {
            "value": stance.value,
            "label": stance.value.replace("_", " "),
            "colour": STANCE_COLOURS[stance],
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


@hookimpl
def extra_template_vars():
    return {
        "site_database": DATABASE,
        "site_stances": stances(),
        "site_all_weapons": ALL_WEAPONS,
        "site_default_recipient": DEFAULT_RECIPIENT,
        "site_rule_statement": Statement.rule.value,
        "site_every_statement": EVERY_STATEMENT,
        "site_stale_months": STALE_AFTER_MONTHS,
        "site_match_marks": MATCH_MARKS,
    }
