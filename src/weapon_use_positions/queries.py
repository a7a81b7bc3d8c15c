"""Every SQL text the package runs or publishes: the views, full-text search and the stored queries.

The as-of question (`AS_OF_SQL`) is the same text in the Python API, the CLI and Datasette's
stored query `effective_stance` (datasette.yaml is generated from `STORED_QUERIES`). Scope
conditions are written from `models.SCOPE`, so the scope is defined once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import ALL_WEAPONS, DEFAULT_RECIPIENT, SCOPE


def same_scope(a: str, b: str, **fixed: str) -> str:
    """SQL: rows `a` and `b` have the same scope; a column in `fixed` is compared with that SQL instead."""
    return " and ".join(f"{a}.{c} = {fixed[c]}" if c in fixed else f"{a}.{c} = {b}.{c}" for c in SCOPE)


def scope_columns(alias: str) -> str:
    return ", ".join(f"{alias}.{c}" for c in SCOPE)


@dataclass(frozen=True)
class View:
    """A view: its SQL, what one row is, and the meaning of the columns it adds to the positions' columns."""

    sql: str
    description: str
    columns: dict[str, str] = field(default_factory=dict)


SCOPE_NEIGHBOURS = {
    "previous_position_id": "The previous position of the same scope.",
    "next_position_id": "The next position of the same scope.",
}

VIEWS = {
    "current_positions": View(
        f"""select p.id, p.actor_id, a.name as actor_name, p.recipient_id, p.role, p.weapons, p.stance, p.conditions,
  p.valid_from, p.date_precision, p.stated_by, p.status, p.summary, p.quote
from positions p join actors a on a.id = p.actor_id
where p.valid_to is null
order by {scope_columns("p")}""",
        "The position in force today for every scope (actor, recipient, weapons).",
        {"actor_name": "The actor's name."},
    ),
    "position_details": View(
        f"""select p.id, p.actor_id, a.name as actor_name, p.recipient_id, p.role, p.weapons, p.stance, p.conditions,
  p.valid_from, p.valid_to, p.date_precision, p.stated_by, p.stated_by_role, p.status,
  p.summary, p.quote, p.quote_language, p.quote_translation, p.note,
  (select json_group_array(json(source)) from (
     select json_object('id', s.id, 'url', s.url, 'title', s.title, 'publisher', s.publisher,
       'published', s.published, 'published_precision', s.published_precision, 'kind', s.kind) as source
     from position_sources ps join sources s on s.id = ps.source_id
     where ps.position_id = p.id order by ps.seq)) as source_details,
  (select q.id from positions q where {same_scope("q", "p")}
     and q.valid_from < p.valid_from order by q.valid_from desc limit 1) as previous_position_id,
  (select q.id from positions q where {same_scope("q", "p")}
     and q.valid_from > p.valid_from order by q.valid_from limit 1) as next_position_id
from positions p join actors a on a.id = p.actor_id""",
        "Every position with its actor's name, its sources (as JSON) and the previous and next position of its scope.",
        {
            "actor_name": "The actor's name.",
            "source_details": "The supporting sources as a JSON list (id, url, title, publisher, published, kind).",
            **SCOPE_NEIGHBOURS,
        },
    ),
    "position_timeline": View(
        f"""select p.actor_id, a.name as actor_name, p.recipient_id, p.weapons, p.valid_from, p.valid_to, p.stance,
  lag(p.stance) over scope as previous_stance,
  lag(p.id) over scope as previous_position_id,
  lead(p.id) over scope as next_position_id,
  p.id as position_id, p.status, p.summary
from positions p join actors a on a.id = p.actor_id
window scope as (partition by {scope_columns("p")} order by p.valid_from)
order by {scope_columns("p")}, p.valid_from""",
        "Every position with the previous stance and the neighbouring positions of its scope.",
        {
            "actor_name": "The actor's name.",
            "previous_stance": "Stance of the previous position of the same scope.",
            "position_id": "The position (positions.id).",
            **SCOPE_NEIGHBOURS,
        },
    ),
}

#: Full-text search over summaries, quotes and the text of the conditions. The index is built
#: from plain condition text while the content table keeps its JSON column (the database is
#: immutable, so the index never needs a rebuild).
FTS_SQL = [
    "create virtual table positions_fts using fts5(summary, quote, conditions, content=[positions], content_rowid=rowid)",
    """insert into positions_fts (rowid, summary, quote, conditions)
       select p.rowid, p.summary, p.quote,
         (select group_concat(c.text, ' ') from conditions c where c.position_id = p.id)
       from positions p order by p.rowid""",
]

#: The recipient of a question: the given one, or the default.
RECIPIENT = f"coalesce(nullif(:recipient, ''), '{DEFAULT_RECIPIENT}')"

#: The as-of question. Every scope (the small `scopes` table) is looked up in the index on
#: (scope, valid_from): the latest position from on or before the date is the one in force,
#: because a position lasts until the next one of its scope. With a weapon system, an actor's
#: rule for that system answers when one is in force, otherwise its general rule.
AS_OF_SQL = f"""select p.actor_id, a.name as actor_name, p.recipient_id, p.weapons, p.stance, p.id as position_id,
  p.valid_from, p.valid_to, p.date_precision, p.role, p.status, p.stated_by, p.summary
from scopes s
join positions p on p.id = (
  select q.id from positions q
  where {same_scope("q", "s")} and q.valid_from <= :date
  order by q.valid_from desc limit 1)
join actors a on a.id = p.actor_id
where (:actor = '' or s.actor_id = :actor)
  and s.recipient_id = {RECIPIENT}
  and (
    :weapon = ''
    or s.weapons = :weapon
    or (s.weapons = '{ALL_WEAPONS}' and not exists (
      select 1 from positions q
      where {same_scope("q", "s", weapons=":weapon")} and q.valid_from <= :date))
  )
order by {scope_columns("p")}"""


@dataclass(frozen=True)
class StoredQuery:
    title: str
    description: str
    sql: str
    params: tuple[str, ...] = ()


STORED_QUERIES = {
    "effective_stance": StoredQuery(
        "Effective stance of every actor on a date",
        "For each actor, the position in force on the date. With a weapon system id, the actor's rule for that "
        f"system if it has one in force, otherwise its general ('{ALL_WEAPONS}') rule. Leave actor empty for every "
        f"actor, recipient empty for {DEFAULT_RECIPIENT}.",
        AS_OF_SQL,
        ("date", "weapon", "actor", "recipient"),
    ),
    "changes_between": StoredQuery(
        "Changes of position in a date range",
        "Positions that took effect between two dates (inclusive), with the stance they replaced.",
        """select t.valid_from, t.actor_id, t.actor_name, t.recipient_id, t.weapons, t.previous_stance, t.stance,
  t.position_id, t.status, t.summary
from position_timeline t
where t.valid_from between :start and :end
order by t.valid_from, t.actor_id, t.weapons""",
        ("start", "end"),
    ),
    "positions_for_weapon": StoredQuery(
        "Positions about a weapon system",
        "Every position that sets a rule for one weapon system (weapon_systems.id, e.g. atacms, storm-shadow, "
        "taurus, patriot, f-16), oldest first.",
        """select p.valid_from, p.actor_id, a.name as actor_name, p.recipient_id, p.stance, p.id as position_id,
  p.valid_to, p.status, p.stated_by, p.summary
from positions p join actors a on a.id = p.actor_id
where p.weapons = :weapon
order by p.valid_from, p.actor_id""",
        ("weapon",),
    ),
    "sources_by_publisher": StoredQuery(
        "Sources by publisher",
        "How many sources and positions each publisher supports, with the span of dates.",
        """select s.publisher, s.kind, count(distinct s.id) as sources,
  count(distinct ps.position_id) as positions,
  min(s.published) as first_published, max(s.published) as last_published
from sources s left join position_sources ps on ps.source_id = s.id
group by s.publisher, s.kind
order by sources desc, s.publisher""",
    ),
    "position_feed": StoredQuery(
        "Position changes, newest first",
        "The latest positions as an Atom feed (add .atom to this page's address).",
        """select 'tag:weapon-use-positions,2026:position/' || p.id as atom_id,
  a.name || ': ' || replace(p.stance, '_', ' ') || ' (' || p.weapons || ') from ' || p.valid_from as atom_title,
  p.valid_from || 'T00:00:00Z' as atom_updated,
  p.summary as atom_content,
  '/position/' || p.id as atom_link,
  coalesce(p.stated_by, a.name) as atom_author_name
from positions p join actors a on a.id = p.actor_id
order by p.valid_from desc, p.id
limit 100""",
    ),
}
