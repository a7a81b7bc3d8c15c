"""The real records: sourced, dated consistently, and the seed-reported positions present."""

import datetime as dt

import pytest

from weapon_use_positions.checks import ANNOUNCED_IN_ADVANCE_DAYS, latest_publication_day, validate_data
from weapon_use_positions.supersession import in_force_before

from .conftest import DATA

DATASET = validate_data(DATA)
SOURCES = {s.id: s for s in DATASET.sources}


@pytest.mark.parametrize("position", DATASET.positions, ids=lambda p: p.id)
def test_position_sources_resolve_and_are_complete(position):
    assert position.sources
    for ref in position.sources:
        source = SOURCES[ref.id]
        assert source.url.startswith(("http://", "https://"))
        assert source.publisher and source.title and source.published
        # a source published before the position would mean the position is misdated
        latest = latest_publication_day(source)
        assert latest >= position.valid_from - dt.timedelta(days=ANNOUNCED_IN_ADVANCE_DAYS)


def test_quotes_are_short():
    for position in DATASET.positions:
        assert position.quote is None or len(position.quote) <= 300


def in_force(actor, weapons, date, statement="rule"):
    """The position of an actor and kind in force for a scope on a date (a general one may answer for a system)."""
    members = [p for p in DATASET.positions if p.actor_id == actor and p.statement == statement]
    return in_force_before(members, weapons, dt.date.fromisoformat(date) + dt.timedelta(days=1))


# What the five seed articles report (shared/seeds/), as (actor, statement kind, scope, date, stances allowed).
SEED_POSITIONS = [
    ("USA", "rule", "all", "2024-05-29", {"not_permitted"}),  # before the Kharkiv permission
    ("USA", "rule", "all", "2024-06-01", {"limited"}),  # counter-fire around Kharkiv
    ("USA", "rule", "himars", "2024-06-01", {"limited"}),  # the permission covers HIMARS
    ("USA", "rule", "atacms", "2024-06-01", {"not_permitted", "limited"}),  # no deep strikes with ATACMS
    ("DEU", "rule", "all", "2024-06-01", {"limited"}),  # 31 May 2024 statement
    ("GBR", "rule", "all", "2024-06-01", {"permitted", "limited"}),
    ("FRA", "view", "all", "2024-06-01", {"permitted", "limited"}),  # Macron: Ukraine should be allowed
    ("DNK", "rule", "all", "2024-06-01", {"permitted", "limited"}),
    ("CAN", "rule", "all", "2024-06-01", {"permitted", "limited"}),
    ("NATO", "view", "all", "2024-06-01", {"permitted", "limited"}),
    ("RUS", "warning", "all", "2024-06-01", {"not_permitted", "limited"}),
    ("UKR", "request", "all", "2024-06-01", {"permitted"}),
]


@pytest.mark.parametrize("actor,statement,weapons,date,stances", SEED_POSITIONS)
def test_seed_reported_positions_present(actor, statement, weapons, date, stances):
    position = in_force(actor, weapons, date, statement)
    assert position is not None, f"no {actor} {statement} on {weapons} in force on {date}"
    assert position.stance in stances, position.id


def test_germany_statement_dated_31_may_2024():
    assert in_force("DEU", "all", "2024-05-31").valid_from == dt.date(2024, 5, 31)


def test_every_citation_has_an_excerpt_and_every_source_was_read():
    for position in DATASET.positions:
        assert all(ref.excerpt.strip() for ref in position.sources), position.id
    assert all(source.accessed >= source.published for source in DATASET.sources)
