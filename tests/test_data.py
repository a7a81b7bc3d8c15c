"""The real records: sourced, dated consistently, and the seed-reported positions present."""

import datetime as dt

import pytest

from weapon_use_positions.checks import ANNOUNCED_IN_ADVANCE_DAYS, latest_publication_day, validate_data

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


def in_force(actor, weapons, date):
    day = dt.date.fromisoformat(date)
    candidates = [p for p in DATASET.positions if p.actor_id == actor and p.weapons == weapons and p.valid_from <= day]
    return max(candidates, key=lambda p: p.valid_from, default=None)


# What the five seed articles report (shared/seeds/), as (actor, scope, date, stances allowed).
SEED_POSITIONS = [
    ("USA", "all", "2024-05-29", {"not_permitted"}),  # before the Kharkiv permission
    ("USA", "all", "2024-06-01", {"limited"}),  # counter-fire around Kharkiv
    ("USA", "atacms", "2024-06-01", {"not_permitted", "limited"}),  # no deep strikes with ATACMS
    ("DEU", "all", "2024-06-01", {"limited"}),  # 31 May 2024 statement
    ("GBR", "all", "2024-06-01", {"permitted", "limited"}),
    ("FRA", "all", "2024-06-01", {"permitted", "limited"}),
    ("DNK", "all", "2024-06-01", {"permitted", "limited"}),
    ("CAN", "all", "2024-06-01", {"permitted", "limited"}),
    ("NATO", "all", "2024-06-01", {"permitted", "limited"}),
    ("RUS", "all", "2024-06-01", {"not_permitted"}),
    ("UKR", "all", "2024-06-01", {"permitted"}),
]


@pytest.mark.parametrize("actor,weapons,date,stances", SEED_POSITIONS)
def test_seed_reported_positions_present(actor, weapons, date, stances):
    position = in_force(actor, weapons, date)
    assert position is not None, f"no {actor} {weapons} position in force on {date}"
    assert position.stance in stances, position.id


def test_germany_statement_dated_31_may_2024():
    assert in_force("DEU", "all", "2024-05-31").valid_from == dt.date(2024, 5, 31)
