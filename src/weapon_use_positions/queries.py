"""Every SQL text the package runs or publishes: the views, full-text search and the stored queries.

The as-of question (`AS_OF_SQL`) is the same text in the Python API, the CLI and Datasette's
stored query `effective_stance` (datasette.yaml is generated from `STORED_QUERIES`). Scope
conditions are written from `models.SCOPE`, so the scope is defined once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import ALL_WEAPONS, DEFAULT_RECIPIENT, SCOPE, Statement
from .paths import DATABASE
from .questions import EVERY_STATEMENT


def same_scope(a: str, b: str, without: tuple[str, ...] = (), **fixed: str) -> str:
    """SQL: rows `a` and `b` have the same scope (apart from the columns `without`); a column in
    `fixed` is compared with that SQL instead."""
    return " and ".join(
        f"{a}.{c} = {fixed[c]}" if c in fixed else f"{a}.{c} = {b}.{c}" for c in SCOPE if c not in without
    )


def scope_columns(alias: str) -> str:
    return ", ".join(f"{alias}.{c}" for c in SCOPE)


@dataclass(frozen=True)
class View:
    """A view: its SQL, what one row is, and the meaning of the columns it adds to the positions' columns."""

    sql: str
    description: str
    columns: dict[str, str] = field(default_factory=dict)


#: What a position is to the one before it in its scope (the `change` column of position_timeline).
CHANGE_KINDS = ("first statement", "change of stance", "same stance, new terms")

SCOPE_NEIGHBOURS = {
    "previous_position_id": "The previous position of the same scope.",
    "next_position_id": "The next position of the same scope.",
}

VIEWS = {
    "current_positions": View(
        f"""select p.id, p.actor_id, a.name as actor_name, p.recipient_id, p.role, p.statement, p.weapons, p.stance,
  p.decision, p.conditions, p.excludes, p.valid_from, p.date_precision, p.last_confirmed, p.stated_by, p.status,
  p.summary, p.quote
from positions p join actors a on a.id = p.actor_id
where p.valid_to is null
order by {scope_columns("p")}""",
        "The latest position of every scope (actor, recipient, statement kind, weapons) that no later position ended.",
        {"actor_name": "The actor's name."},
    ),
    "position_details": View(
        f"""select p.id, p.actor_id, a.name as actor_name, p.recipient_id, p.role, p.statement, p.weapons, p.stance,
  p.decision, p.conditions, p.covers, p.excludes, p.valid_from, p.valid_to, p.ended_by, p.date_precision,
  p.last_confirmed, p.stated_by, p.stated_by_role, p.status,
  p.summary, p.quote, p.quote_language, p.quote_translation, p.note,
  (select json_group_array(json(source)) from (
     select json_object('id', s.id, 'url', s.url, 'title', s.title, 'publisher', s.publisher,
       'published', s.published, 'published_precision', s.published_precision, 'kind', s.kind,
       'excerpt', ps.excerpt) as source
     from position_sources ps join sources s on s.id = ps.source_id
     where ps.position_id = p.id order by ps.seq)) as source_details,
  (select json_group_array(c.date) from (
     select date from position_confirmations where position_id = p.id order by date) c) as confirmation_dates,
  (select q.id from positions q where {same_scope("q", "p")}
     and q.valid_from < p.valid_from order by q.valid_from desc limit 1) as previous_position_id,
  (select q.id from positions q where {same_scope("q", "p")}
     and q.valid_from > p.valid_from order by q.valid_from limit 1) as next_position_id
from positions p join actors a on a.id = p.actor_id""",
        "Every position with its actor's name, its sources (as JSON) and the previous and next position of its scope.",
        {
            "actor_name": "The actor's name.",
            "source_details": "The supporting sources as a JSON list (id, url, title, publisher, published, kind, "
            "excerpt).",
            "confirmation_dates": "The days the position was restated, as a JSON list (see position_confirmations).",
            **SCOPE_NEIGHBOURS,
        },
    ),
    "position_timeline": View(
        f"""select p.actor_id, a.name as actor_name, p.recipient_id, p.statement, p.weapons, p.valid_from, p.valid_to,
  p.stance, p.decision, lag(p.stance) over scope as previous_stance,
  case
    when lag(p.id) over scope is null then '{CHANGE_KINDS[0]}'
    when lag(p.stance) over scope is not p.stance or lag(p.decision) over scope is not p.decision
      then '{CHANGE_KINDS[1]}'
    else '{CHANGE_KINDS[2]}'
  end as change,
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
            "change": f"{CHANGE_KINDS[0]}: the scope's first position; {CHANGE_KINDS[1]}: another stance (or "
            f"decision) than the previous position of the scope; {CHANGE_KINDS[2]}: the same stance with other "
            "limits, status or coverage (plain restatements are confirmations, not positions).",
            "position_id": "The position (positions.id).",
            **SCOPE_NEIGHBOURS,
        },
    ),
}

#: What full-text search reads for each position: its own words, its limits, who said it and the
#: actor's name.
SEARCHED_TEXT = {
    "summary": "p.summary",
    "quote": "p.quote",
    "quote_translation": "p.quote_translation",
    "conditions": "(select group_concat(c.text, ' ') from conditions c where c.position_id = p.id)",
    "note": "p.note",
    "stated_by": "p.stated_by",
    "stated_by_role": "p.stated_by_role",
    "actor_name": "a.name",
}
#: Full-text search: an FTS5 table that keeps its own copy of the searched text (so its index always
#: matches its content and `integrity-check` passes), with rowids equal to the positions' rowids,
#: stemmed (porter) so "strike", "strikes" and "striking" find each other.
FTS_SQL = [
    f"""create virtual table positions_fts using fts5({", ".join(SEARCHED_TEXT)},
       tokenize = 'porter unicode61 remove_diacritics 2')""",
    f"""insert into positions_fts (rowid, {", ".join(SEARCHED_TEXT)})
       select p.rowid, {", ".join(SEARCHED_TEXT.values())}
       from positions p join actors a on a.id = p.actor_id order by p.rowid""",
]

#: The recipient of a question: the given one, or the default.
RECIPIENT = f"coalesce(nullif(:recipient, ''), '{DEFAULT_RECIPIENT}')"
#: The statement kind of a question: the given one, or rules.
STATEMENT = f"coalesce(nullif(:statement, ''), '{Statement.rule.value}')"

#: The as-of question (the SQL form of `supersession`). For each scope that has begun (the small
#: `scopes` table; with a weapon system, one per actor and statement kind), the position in force:
#: the most recent, on or before it, of the scope's own positions and, for a system, of the
#: general positions that do not exclude it (the system's own wins on the same day). Each is one
#: seek in the index on (scope, valid_from): the latest general position later than the
#: system's own latest, else the system's own. `inherited`
#: is 1 when a general position answers for a system; `last_confirmed` is the latest day, up to
#: the date, that the position is known to have been stated.
AS_OF_SQL = f"""select p.actor_id, a.name as actor_name, p.recipient_id, p.statement, s.weapons, p.stance, p.decision,
  (s.weapons != p.weapons) as inherited, p.id as position_id, p.valid_from, p.valid_to,
  coalesce((select max(c.date) from position_confirmations c where c.position_id = p.id and c.date <= :date),
    p.valid_from) as last_confirmed,
  p.date_precision, p.role, p.status, p.stated_by, p.summary, p.excludes
from (
  select distinct actor_id, recipient_id, statement, case when :weapon = '' then weapons else :weapon end as weapons
  from scopes
  where (:actor = '' or actor_id = :actor)
    and (:weapon != '' or first_valid_from <= :date)
    and recipient_id = {RECIPIENT}
    and ({STATEMENT} = '{EVERY_STATEMENT}' or statement = {STATEMENT})
) s
join positions p on p.id = coalesce(
  (select g.id from positions g
   where {same_scope("g", "s", weapons=f"'{ALL_WEAPONS}'")} and s.weapons != '{ALL_WEAPONS}' and g.valid_from <= :date
     and g.valid_from > coalesce(
       (select max(o.valid_from) from positions o where {same_scope("o", "s")} and o.valid_from <= :date), '')
     and not exists (select 1 from json_each(g.excludes) x where x.value = s.weapons)
   order by g.valid_from desc limit 1),
  (select o.id from positions o where {same_scope("o", "s")} and o.valid_from <= :date
   order by o.valid_from desc limit 1))
join actors a on a.id = p.actor_id
order by p.actor_id, p.recipient_id, p.statement, s.weapons"""


@dataclass(frozen=True)
class StoredQuery:
    title: str
    description: str
    sql: str
    params: tuple[str, ...] = ()


STORED_QUERIES = {
    "effective_stance": StoredQuery(
        "Effective stance of every actor on a date",
        "For each actor, the position in force on the date, from suppliers' rules unless statement names another "
        f"kind ({EVERY_STATEMENT!r} for every kind). With a weapon system id, the actor's effective position for that "
        f"system: its own, or a later general ('{ALL_WEAPONS}') one that does not exclude it (inherited = 1). "
        f"Leave actor empty for every actor, recipient empty for {DEFAULT_RECIPIENT}.",
        AS_OF_SQL,
        ("date", "weapon", "actor", "recipient", "statement"),
    ),
    "changes_between": StoredQuery(
        "Changes of position in a date range",
        "Positions that took effect between two dates (inclusive), with the stance they replaced and whether each "
        f"is a {CHANGE_KINDS[0]}, a {CHANGE_KINDS[1]} or the {CHANGE_KINDS[2]}.",
        """select t.valid_from, t.actor_id, t.actor_name, t.recipient_id, t.statement, t.weapons, t.change,
  t.previous_stance, t.stance, t.decision, t.position_id, t.status, t.summary
from position_timeline t
where t.valid_from between :start and :end
order by t.valid_from, t.actor_id, t.statement, t.weapons""",
        ("start", "end"),
    ),
    "positions_for_weapon": StoredQuery(
        "Positions about a weapon system",
        "Every position (of any statement kind) about one weapon system (weapon_systems.id, e.g. atacms, storm-shadow, "
        "taurus, patriot, f-16), oldest first.",
        """select p.valid_from, p.actor_id, a.name as actor_name, p.recipient_id, p.statement, p.stance, p.decision,
  p.id as position_id, p.valid_to, p.status, p.stated_by, p.summary
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
        "Positions added, changed or retired, by release",
        "One entry per position added, changed or retired in a release, dated by that release, newest first, "
        "with absolute links (add .atom to this page's address for the Atom feed).",
        f"""select 'tag:weapon-use-positions,2026:position/' || c.record_id || '/' || c.release as atom_id,
  c.change || ' in ' || c.release || ': ' || coalesce(
    a.name || ', ' || p.statement || ', ' || replace(coalesce(p.stance, p.decision), '_', ' ') || ' (' || p.weapons
      || ') from ' || p.valid_from,
    c.record_id) as atom_title,
  r.date || 'T00:00:00Z' as atom_updated,
  case c.change
    when 'retired' then 'Withdrawn: ' || coalesce(t.reason, 'no reason recorded')
    when 'changed' then 'Fields changed: ' || c.fields || '. ' || coalesce(p.summary, '')
    else coalesce(p.summary, '') end as atom_content,
  case when p.id is null
    then :_site_url || '{DATABASE}/retirements?id=' || c.record_id
    else :_site_url || 'position/' || p.id end as atom_link,
  coalesce(p.stated_by, a.name) as atom_author_name,
  c.release, c.change, c.record_id as position_id, c.fields
from changes c
  join releases r on r.version = c.release
  left join positions p on p.id = c.record_id
  left join actors a on a.id = p.actor_id
  left join retirements t on t."table" = c."table" and t.id = c.record_id
where c."table" = 'positions'
order by r.date desc, r.rowid desc, c.record_id
limit 200""",
    ),
}
