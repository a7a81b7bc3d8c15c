"""What makes a question to the dataset answerable: a well-formed date and ids that exist.

The Python API, the CLI and the site's stored queries check their parameters here, so a
malformed date or an unknown id gets the same clear message everywhere instead of an empty or
misleading answer. Ids are matched exactly; a message suggests the id that differs only in case.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .models import ALL_WEAPONS, Statement

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Every statement kind, as the value of a question's `statement` parameter.
EVERY_STATEMENT = "all"
STATEMENT_VALUES = (*(kind.value for kind in Statement), EVERY_STATEMENT)
#: What each parameter of a stored query holds, by name: a date, or the id of a kind of record.
PARAMETER_KINDS = {
    "date": "date",
    "start": "date",
    "end": "date",
    "weapon": "weapon",
    "actor": "actor",
    "recipient": "recipient",
    "statement": "statement",
}
#: Parameters a stored query cannot answer without.
REQUIRED = ("date", "start", "end")


class BadQuestion(ValueError):
    """A question with a malformed date or an unknown id; the message says what is valid."""


def parse_day(value, name: str = "date") -> dt.date:
    """A date from a `datetime.date` or a YYYY-MM-DD string, else BadQuestion."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise BadQuestion(f"{name} {value!r} is not a date: use YYYY-MM-DD, e.g. 2024-06-15")


def unknown(kind: str, value: str, valid) -> BadQuestion:
    valid = sorted(valid)
    same_but_case = [v for v in valid if v.lower() == value.lower()]
    if same_but_case:
        return BadQuestion(f"unknown {kind} {value!r}: ids are case-sensitive, did you mean {same_but_case[0]!r}?")
    shown = ", ".join(valid[:60]) + (", ..." if len(valid) > 60 else "")
    return BadQuestion(f"unknown {kind} {value!r}; valid: {shown}")


@dataclass(frozen=True)
class Known:
    """The ids a question may name, read from the dataset it is asked of."""

    actors: frozenset[str]
    weapons: frozenset[str]

    @classmethod
    def from_connection(cls, conn) -> Known:
        actors = frozenset(row[0] for row in conn.execute("select id from actors"))
        weapons = frozenset(row[0] for row in conn.execute("select id from weapon_systems"))
        return cls(actors, weapons | {ALL_WEAPONS})

    def check_parameters(self, params: dict[str, str]) -> None:
        """Check a stored query's parameters by name: dates well formed, ids known."""
        ids = {}
        for name, value in params.items():
            kind = PARAMETER_KINDS.get(name)
            if kind == "date":
                if not value.strip():
                    raise BadQuestion(f"{name} is required: use YYYY-MM-DD, e.g. 2024-06-15")
                parse_day(value, name)
            elif kind is not None and value:
                ids[kind] = value
        self.check(**ids)

    def check(self, *, weapon=None, actor=None, recipient=None, statement=None) -> None:
        """Raise BadQuestion for the first id that the dataset does not know."""
        if actor and actor not in self.actors:
            raise unknown("actor", actor, self.actors)
        if recipient and recipient not in self.actors:
            raise unknown("recipient", recipient, self.actors)
        if weapon and weapon not in self.weapons:
            raise unknown("weapon system", weapon, self.weapons)
        if statement and statement not in STATEMENT_VALUES:
            raise unknown("statement kind", statement, STATEMENT_VALUES)
