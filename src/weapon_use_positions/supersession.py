"""When a position stops being in force: the next position of its scope, or a later general
position of the same actor and kind that reaches its weapon system.

A general ('all') position reaches every system it does not exclude. So the position in force
for a system on a day is the most recent of the system's own positions and the general
positions that reach it, the system's own winning on the same day. The as-of SQL
(`queries.AS_OF_SQL`) asks the same question of the database; a test holds the two together.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict

from .models import ALL_WEAPONS, SCOPE

#: The columns of a scope that a general position shares with the system positions it reaches.
GROUP = tuple(column for column in SCOPE if column != "weapons")


def reaches(general, weapon: str) -> bool:
    """Whether a general position applies to a weapon system (it does unless it excludes it)."""
    return weapon not in general.excludes


def group_key(position) -> tuple:
    return tuple(getattr(position, column) for column in GROUP)


def in_force_before(positions: list, weapon: str, day: dt.date):
    """Of one actor's positions of one kind, the one in force for `weapon` on the day before `day`, or None."""
    candidates = [
        p
        for p in positions
        if p.valid_from < day and (p.weapons == weapon or (p.weapons == ALL_WEAPONS and reaches(p, weapon)))
    ]
    return max(candidates, key=lambda p: (p.valid_from, p.weapons != ALL_WEAPONS), default=None)


def endings(positions) -> dict[str, tuple[dt.date, str]]:
    """Position id -> (valid_to, id of the position that ended it), for every position that has ended."""
    scopes: dict[tuple, list] = defaultdict(list)
    generals: dict[tuple, list] = defaultdict(list)
    for position in positions:
        scopes[(group_key(position), position.weapons)].append(position)
        if position.weapons == ALL_WEAPONS:
            generals[group_key(position)].append(position)
    for members in (*scopes.values(), *generals.values()):
        members.sort(key=lambda p: p.valid_from)
    ended = {}
    one_day = dt.timedelta(days=1)
    for (group, weapon), members in scopes.items():
        later_generals = generals.get(group, []) if weapon != ALL_WEAPONS else []
        starts = [g.valid_from for g in later_generals]
        for index, position in enumerate(members):
            successor = members[index + 1] if index + 1 < len(members) else None
            start = bisect.bisect_right(starts, position.valid_from)
            for general in later_generals[start:]:
                if successor is not None and general.valid_from >= successor.valid_from:
                    break
                if reaches(general, weapon):
                    successor = general
                    break
            if successor is not None:
                ended[position.id] = (successor.valid_from - one_day, successor.id)
    return ended
