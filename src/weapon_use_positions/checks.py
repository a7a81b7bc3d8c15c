"""The rules no field type can check by itself: one registry, one signature, one line of description each.

Field rules (types, vocabularies, lengths, patterns) are the models' own; every rule that
looks at two fields, two records or the release history is a check here. Each check is
`check(inputs, report)`, registered with `@check`; its docstring's first line is the rule
as the README and the codebook state it (both are generated from `RULES`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .catalogue import noun, plain_type, reference
from .history import version_key
from .load import Dataset, Locator, field_name, load_records
from .models import (
    ALL_WEAPONS,
    DEFAULT_RECIPIENT,
    RECORD_TYPES,
    SCOPE,
    STANCE_MEANINGS,
    STATEMENTS_BY_ROLE,
    VERSIONED_TYPES,
    References,
    Statement,
    same_page,
)
from .problems import DataInvalid, Problem, display_path
from .records import NESTED
from .supersession import group_key, in_force_before

#: How far ahead of a position's valid_from a supporting source may be published: a rule
#: announced in advance ("from next week...") is stated before it takes effect.
ANNOUNCED_IN_ADVANCE_DAYS = 14


@dataclass(frozen=True)
class Inputs:
    """What every check reads: the loaded records (never changed by a check), today, the data folder."""

    dataset: Dataset
    today: dt.date
    data_dir: Path


class Reporter:
    """Collects problems about records (by kind and number) and fields; finds lines only when reporting."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.locator = Locator(dataset)
        self.pending: list[tuple] = []
        self.located: list[Problem] = []

    def add(self, kind: str, number: int, field_path: tuple, message: str, other: int | None = None) -> None:
        """Note a problem; `{other}` in the message becomes the path:line of record `other` of the same kind."""
        self.pending.append((kind, number, field_path, message, other))

    def add_at(self, problem: Problem) -> None:
        """Note a problem whose place is already known (a line of a release snapshot)."""
        self.located.append(problem)

    def place(self, kind: str, number: int, field_path: tuple = ()) -> tuple[str, int]:
        return self.locator.place(kind, number, field_path)

    def problems(self) -> list[Problem]:
        problems = list(self.located)
        for kind, number, field_path, message, other in self.pending:
            path, line = self.place(kind, number, field_path)
            if other is not None:
                message = message.format(other="{}:{}".format(*self.place(kind, other)))
            record_id = self.dataset.records[kind][number].id
            problems.append(Problem(path, line, record_id, field_name(field_path), message))
        return problems


Check = Callable[[Inputs, Reporter], None]
#: Every check, in the order they run; name -> function.
RULES: dict[str, Check] = {}


def check(function: Check) -> Check:
    """Register a check (its docstring's first line is the rule it enforces)."""
    RULES[function.__name__.removeprefix("check_")] = function
    return function


def rule_descriptions() -> list[str]:
    """The rules as sentences, in registry order (for the README and the codebook)."""
    return [function.__doc__.strip().splitlines()[0] for function in RULES.values()]


def references(model) -> list[tuple[str, References]]:
    """(field, References) for each field of a model that names a record of another table."""
    return [(name, reference(info)) for name, info in model.model_fields.items() if reference(info)]


def date_fields(model) -> list[str]:
    return [name for name, info in model.model_fields.items() if plain_type(info.annotation) is dt.date]


@check
def check_unique_ids(inputs: Inputs, report: Reporter) -> None:
    """Ids are unique within each record type, across all files (a tombstone's key is its table and id)."""
    for kind, model in RECORD_TYPES.items():
        first_seen = {}
        for number, record in enumerate(inputs.dataset.records[kind]):
            key = tuple(getattr(record, column) for column in model.primary_key)
            if key in first_seen:
                report.add(kind, number, ("id",), "duplicate id (first used at {other})", other=first_seen[key])
            else:
                first_seen[key] = number


@check
def check_unique_urls(inputs: Inputs, report: Reporter) -> None:
    """One source record per published page: URLs that differ only in scheme, case of the host, default port, trailing slash or fragment are one page."""
    first_seen = {}
    for number, source in enumerate(inputs.dataset.sources):
        page = same_page(source.url)
        if page not in first_seen:
            first_seen[page] = source
            continue
        first = first_seen[page]
        if first.url == source.url:
            report.add("sources", number, ("url",), f"URL already used by source {first.id}")
        else:
            message = f"URL is the page of source {first.id} ({first.url}) written another way: one source per page"
            report.add("sources", number, ("url",), message)


@check
def check_references(inputs: Inputs, report: Reporter) -> None:
    """Every id a record mentions (actor, recipient, weapon system, source, controlling actor) names an existing record."""
    dataset = inputs.dataset
    if dataset.incomplete:
        return  # a file that could not be read may hold the record named: its own report comes first
    # Ids of records that failed validation count as known: their own problems are reported.
    known = {kind: {r.id for r in dataset.records[kind]} | dataset.invalid[kind] for kind in VERSIONED_TYPES}
    for kind, model in RECORD_TYPES.items():
        direct = references(model)
        nested = [(name, item, references(item)) for name, item in NESTED[model].items()]
        for number, record in enumerate(dataset.records[kind]):
            for name, marker in direct:
                value = getattr(record, name)
                for index, item in enumerate(value) if isinstance(value, (list, tuple)) else ((None, value),):
                    if item is not None and item not in marker.reserved and item not in known[marker.table]:
                        place = (name,) if index is None else (name, index)
                        report.add(kind, number, place, f"unknown {noun(RECORD_TYPES[marker.table])} {item!r}")
            for field, _, item_refs in nested:
                for index, item in enumerate(getattr(record, field)):
                    for name, marker in item_refs:
                        value = getattr(item, name)
                        if value is not None and value not in marker.reserved and value not in known[marker.table]:
                            report.add(
                                kind,
                                number,
                                (field, index, name),
                                f"unknown {noun(RECORD_TYPES[marker.table])} {value!r}",
                            )


@check
def check_reserved_ids(inputs: Inputs, report: Reporter) -> None:
    """No record takes an id that a reference reserves for itself (no weapon system is called 'all')."""
    for kind, model in RECORD_TYPES.items():
        for name, marker in references(model):
            for value in marker.reserved:
                for number, record in enumerate(inputs.dataset.records[marker.table]):
                    if record.id == value:
                        message = f"{value!r} is reserved in {kind}.{name} and cannot be a {noun(RECORD_TYPES[marker.table])} id"
                        report.add(marker.table, number, ("id",), message)


@check
def check_one_position_per_day(inputs: Inputs, report: Reporter) -> None:
    """At most one position per scope (actor, recipient, statement kind, weapons) and valid_from."""
    first_seen = {}
    for number, position in enumerate(inputs.dataset.positions):
        key = (*(getattr(position, column) for column in SCOPE), position.valid_from)
        if key in first_seen:
            recipient = "" if position.recipient_id == DEFAULT_RECIPIENT else f" for {position.recipient_id}"
            message = (
                f"{first_seen[key]} already gives {position.actor_id}'s {position.statement} on {position.weapons!r}"
                f"{recipient} from this date"
            )
            report.add("positions", number, ("valid_from",), message)
        else:
            first_seen[key] = position.id


@check
def check_no_future_dates(inputs: Inputs, report: Reporter) -> None:
    """No date lies in the future."""
    for kind, model in RECORD_TYPES.items():
        for name in date_fields(model):
            for number, record in enumerate(inputs.dataset.records[kind]):
                value = getattr(record, name)
                if value is not None and value > inputs.today:
                    report.add(kind, number, (name,), f"date {value} is in the future")


@check
def check_sources_not_before_position(inputs: Inputs, report: Reporter) -> None:
    """No source is published more than 14 days before the position it supports (else the position is misdated)."""
    published = {s.id: latest_publication_day(s) for s in inputs.dataset.sources}
    margin = dt.timedelta(days=ANNOUNCED_IN_ADVANCE_DAYS)
    for number, position in enumerate(inputs.dataset.positions):
        for index, ref in enumerate(position.sources):
            date = published.get(ref.id)
            if date is not None and date < position.valid_from - margin:
                message = f"source published {date}, before valid_from {position.valid_from}: the position is misdated"
                report.add("positions", number, ("sources", index, "id"), message)


def latest_publication_day(source) -> dt.date:
    """The last day a source may have been published: its date, or the end of its month."""
    if source.published_precision == "month":
        following = (source.published.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return source.published


@check
def check_month_precision(inputs: Inputs, report: Reporter) -> None:
    """A date known only to the month is written as the first day of that month."""
    for kind, precision_field, date_field in (
        ("positions", "date_precision", "valid_from"),
        ("sources", "published_precision", "published"),
    ):
        for number, record in enumerate(inputs.dataset.records[kind]):
            if getattr(record, precision_field) == "month" and getattr(record, date_field).day != 1:
                message = f"with {precision_field} 'month', {date_field} must be the first day of the month"
                report.add(kind, number, (precision_field,), message)


@check
def check_limited_has_condition(inputs: Inputs, report: Reporter) -> None:
    """A 'limited' stance states at least one condition."""
    for number, position in enumerate(inputs.dataset.positions):
        if position.stance == "limited" and not position.conditions:
            report.add("positions", number, ("conditions",), "a 'limited' stance needs at least one condition")


@check
def check_quote_language(inputs: Inputs, report: Reporter) -> None:
    """A quote has a language, and an English translation when it is not in English (and only then)."""
    for number, p in enumerate(inputs.dataset.positions):
        if p.quote is not None and p.quote_language is None:
            report.add("positions", number, ("quote_language",), "quote_language is required with a quote")
        if p.quote is None and p.quote_language is not None:
            report.add("positions", number, ("quote_language",), "quote_language needs a quote")
        if p.quote_language not in (None, "en") and p.quote_translation is None:
            message = "quote_translation is required when the quote is not in English"
            report.add("positions", number, ("quote_translation",), message)
        if p.quote_language in (None, "en") and p.quote_translation is not None:
            message = "quote_translation is only for a quote that is not in English"
            report.add("positions", number, ("quote_translation",), message)


@check
def check_statement_fits_role(inputs: Inputs, report: Reporter) -> None:
    """The statement kind fits the actor's role (a supplier states rules, supply decisions and views; a recipient pledges, requests and views; an adversary warns and views; alliances and third parties state views)."""
    for number, position in enumerate(inputs.dataset.positions):
        allowed = [kind.value for kind in STATEMENTS_BY_ROLE[position.role]]
        if position.statement not in allowed:
            message = f"a {position.role} cannot state a {position.statement!r}: one of {', '.join(allowed)}"
            report.add("positions", number, ("statement",), message)


@check
def check_stance_fits_statement(inputs: Inputs, report: Reporter) -> None:
    """The stance is one the statement kind can take; a supply statement has a decision and no stance or conditions."""
    for number, p in enumerate(inputs.dataset.positions):
        allowed = [stance.value for stance in STANCE_MEANINGS[Statement(p.statement)]]
        if p.statement == Statement.supply:
            if p.decision is None:
                report.add("positions", number, ("decision",), "a supply statement needs a decision")
            if p.stance is not None:
                message = "a supply statement has no stance (it is not a rule on use): use decision"
                report.add("positions", number, ("stance",), message)
            if p.conditions:
                message = "a supply statement has no conditions: give its stated reason in the summary"
                report.add("positions", number, ("conditions",), message)
            continue
        if p.decision is not None:
            report.add("positions", number, ("decision",), "decision is only for a supply statement")
        if p.stance is None:
            report.add("positions", number, ("stance",), f"a {p.statement} needs a stance: one of {', '.join(allowed)}")
        elif p.stance not in allowed:
            message = f"a {p.statement} cannot have stance {p.stance!r}: one of {', '.join(allowed)}"
            report.add("positions", number, ("stance",), message)


def differs(older, newer) -> bool:
    """Whether two positions say different things: another stance or decision, or other limits."""
    if (older.stance, older.decision) != (newer.stance, newer.decision):
        return True
    return older.stance == "limited" and sorted(older.conditions) != sorted(newer.conditions)


@check
def check_general_coverage(inputs: Inputs, report: Reporter) -> None:
    """A general position that follows an older position of the same actor and kind on a system, with another stance or other limits, says whether it covers or excludes that system."""
    groups: dict[tuple, list[tuple[int, object]]] = {}
    for number, position in enumerate(inputs.dataset.positions):
        groups.setdefault(group_key(position), []).append((number, position))
    for members in groups.values():
        positions = [position for _, position in members]
        systems = sorted({p.weapons for p in positions if p.weapons != ALL_WEAPONS})
        for number, general in members:
            if general.weapons != ALL_WEAPONS:
                for name in ("covers", "excludes"):
                    if getattr(general, name):
                        report.add(
                            "positions", number, (name,), f"{name} is only for a general ('{ALL_WEAPONS}') position"
                        )
                continue
            for weapon in sorted(set(general.covers) & set(general.excludes)):
                report.add("positions", number, ("excludes",), f"{weapon!r} is both covered and excluded")
            addressed = set(general.covers) | set(general.excludes)
            for weapon in systems:
                before = in_force_before(positions, weapon, general.valid_from)
                if before is None or before.weapons == ALL_WEAPONS or weapon in addressed:
                    continue
                if differs(before, general):
                    what = "other limits" if before.stance == general.stance else "a different stance"
                    message = (
                        f"follows {before.id} ({weapon}: {before.stance or before.decision}) with {what}: "
                        f"list {weapon!r} under covers or excludes"
                    )
                    report.add("positions", number, ("covers",), message)


def normalised(text: str) -> str:
    """Text compared for quotes: typographic quote marks made plain, whitespace collapsed."""
    return " ".join(text.translate(QUOTE_MARKS).split())


QUOTE_MARKS = str.maketrans(
    {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"}
    | {c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"}
)


@check
def check_quote_in_excerpt(inputs: Inputs, report: Reporter) -> None:
    """A quote appears word for word (whitespace and quote marks aside) in the excerpt of one of the position's sources."""
    for number, position in enumerate(inputs.dataset.positions):
        if position.quote is None:
            continue
        quote = normalised(position.quote)
        if not any(quote in normalised(ref.excerpt) for ref in position.sources):
            message = "the quote is in no excerpt of the position's sources: quote the words as the excerpt prints them"
            report.add("positions", number, ("quote",), message)


@check
def check_confirmations(inputs: Inputs, report: Reporter) -> None:
    """A confirmation is dated after the position it restates, before the next position of its scope and no later than
    the page it cites; it cites a page no other confirmation of the position cites, and records a restatement (a day
    and a speaker) no other confirmation of the position records."""
    published = {s.id: latest_publication_day(s) for s in inputs.dataset.sources}
    following: dict[str, dt.date] = {}
    by_scope: dict[tuple, list] = {}
    for position in inputs.dataset.positions:
        by_scope.setdefault(tuple(getattr(position, c) for c in SCOPE), []).append(position)
    for positions in by_scope.values():
        positions.sort(key=lambda p: p.valid_from)
        for earlier, later in zip(positions, positions[1:]):
            following[earlier.id] = later.valid_from
    for number, position in enumerate(inputs.dataset.positions):
        cited: dict[str, int] = {}
        restatements: dict[tuple, int] = {}
        for index, confirmation in enumerate(position.confirmations):
            if confirmation.source in cited:
                message = f"confirmations[{cited[confirmation.source]}] already cites {confirmation.source}"
                report.add("positions", number, ("confirmations", index, "source"), message)
            cited.setdefault(confirmation.source, index)
            speaker = confirmation.stated_by or position.stated_by or ""
            restatement = (confirmation.date, speaker.casefold())
            if restatement in restatements:
                message = (
                    f"confirmations[{restatements[restatement]}] already records the restatement of "
                    f"{confirmation.date}{f' by {speaker}' if speaker else ''}: cite one page per restatement"
                )
                report.add("positions", number, ("confirmations", index, "date"), message)
            restatements.setdefault(restatement, index)
            page_day = published.get(confirmation.source)
            if page_day is not None and page_day < confirmation.date:
                message = f"the page it cites was published {page_day}, before the restatement of {confirmation.date}"
                report.add("positions", number, ("confirmations", index, "date"), message)
            if confirmation.date <= position.valid_from:
                message = f"confirmed {confirmation.date}, not after valid_from {position.valid_from}"
                report.add("positions", number, ("confirmations", index, "date"), message)
            end = following.get(position.id)
            if end is not None and confirmation.date >= end:
                message = f"confirmed {confirmation.date}, after the next position of the scope took effect ({end})"
                report.add("positions", number, ("confirmations", index, "date"), message)


@check
def check_accessed_after_published(inputs: Inputs, report: Reporter) -> None:
    """A source is read (accessed) no earlier than it was published."""
    for number, source in enumerate(inputs.dataset.sources):
        if source.accessed < source.published:
            message = f"accessed {source.accessed}, before the page was published ({source.published})"
            report.add("sources", number, ("accessed",), message)


@check
def check_source_independence(inputs: Inputs, report: Reporter) -> None:
    """Media controlled by a party to the war is never the only source for another government's position."""
    controlled = {s.id: s.controlled_by for s in inputs.dataset.sources}
    for number, position in enumerate(inputs.dataset.positions):
        owners = {controlled.get(ref.id) for ref in position.sources}
        if None not in owners and owners != {position.actor_id}:
            owned = ", ".join(sorted(o for o in owners if o))
            report.add(
                "positions", number, ("sources",), f"only cites media controlled by {owned}: add an independent source"
            )


@check
def check_sources_cited(inputs: Inputs, report: Reporter) -> None:
    """Every source supports at least one position."""
    if inputs.dataset.invalid["positions"] or inputs.dataset.incomplete:
        return  # an invalid position, or one in a file not read, may be the one that cites it
    cited = {ref.id for position in inputs.dataset.positions for ref in position.sources}
    cited |= {c.source for position in inputs.dataset.positions for c in position.confirmations}
    for number, source in enumerate(inputs.dataset.sources):
        if source.id not in cited:
            report.add("sources", number, ("id",), "source is not cited by any position")


@check
def check_released_ids(inputs: Inputs, report: Reporter) -> None:
    """A released id stays in the data or is retired with a tombstone; a retired id is never reused."""
    dataset = inputs.dataset
    current = {table: {r.id for r in dataset.records[table]} | dataset.invalid[table] for table in VERSIONED_TYPES}
    retired = {(r.table, r.id) for r in dataset.retirements}
    latest = {}  # the last release that carried each id
    for snapshot in dataset.snapshots:
        for table in VERSIONED_TYPES:
            for rid in snapshot.records.get(table, {}):
                latest[(table, rid)] = snapshot
    for (table, rid), snapshot in sorted(latest.items(), key=lambda item: item[0]):
        if dataset.incomplete:
            break  # a file that could not be read may hold the record
        if rid not in current[table] and (table, rid) not in retired:
            message = (
                f"released in {snapshot.version} ({table}) but missing from the data: restore it, "
                "or retire it with a tombstone under `retirements:`"
            )
            path = display_path(snapshot.path, inputs.data_dir)
            report.add_at(Problem(path, snapshot.lines[(table, rid)], rid, "id", message))
    for number, retirement in enumerate(dataset.retirements):
        if (retirement.table, retirement.id) not in latest:
            message = f"{retirement.table} {retirement.id!r} was never released: just delete it"
            report.add("retirements", number, ("id",), message)
        elif retirement.id in current[retirement.table]:
            message = f"retired id is used again in {retirement.table}: a retired id is never reused"
            report.add("retirements", number, ("id",), message)
        elif version_key(retirement.retired_in) <= version_key(latest[(retirement.table, retirement.id)].version):
            last = latest[(retirement.table, retirement.id)].version
            message = (
                f"retired in {retirement.retired_in}, but release {last} still has it: retire it in a later version"
            )
            report.add("retirements", number, ("retired_in",), message)
        if retirement.replaced_by is not None and retirement.replaced_by not in current[retirement.table]:
            message = f"replacement {retirement.replaced_by!r} is not in {retirement.table}"
            report.add("retirements", number, ("replaced_by",), message)


#: A released version's heading in CHANGELOG.md ("## 1.1.0 — 2026-12-01").
CHANGELOG_RELEASE = re.compile(r"^## (\d+\.\d+\.\d+)\b", re.MULTILINE)


@check
def check_snapshots_kept(inputs: Inputs, report: Reporter) -> None:
    """Once a release is made, every release that CHANGELOG.md (beside the data folder) lists, and every version a tombstone is retired in up to the latest release, has its snapshot."""
    dataset = inputs.dataset
    if dataset.incomplete:
        return
    released = {s.version for s in dataset.snapshots}
    newest = max((version_key(v) for v in released), default=None)
    changelog = inputs.data_dir.parent / "CHANGELOG.md"
    if newest is not None and changelog.is_file() and not changelog.is_symlink():
        text = changelog.read_text(encoding="utf-8", errors="replace")
        for found in CHANGELOG_RELEASE.finditer(text):
            if found.group(1) not in released:
                line = text.count("\n", 0, found.start()) + 1
                message = f"release {found.group(1)} has no snapshot in data/releases/: a snapshot is never deleted"
                report.add_at(Problem(display_path(changelog, inputs.data_dir), line, found.group(1), "-", message))
    for number, retirement in enumerate(dataset.retirements):
        version = retirement.retired_in
        if version not in released and newest is not None and version_key(version) < newest:
            message = f"no snapshot of {version}, which it is retired in: a snapshot is never deleted"
            report.add("retirements", number, ("retired_in",), message)


@check
def check_coverage_log(inputs: Inputs, report: Reporter) -> None:
    """Every actor has an entry in the coverage log, and an entry of the log names an actor at most once."""
    dataset = inputs.dataset
    if not dataset.coverage and not dataset.invalid["coverage"] or dataset.incomplete:
        return  # a data tree without a coverage log (a fixture, generated data) is not held to it
    logged: dict[str, int] = {}
    for number, entry in enumerate(dataset.coverage):
        if entry.actor_id is None:
            continue
        if entry.actor_id in logged:
            report.add("coverage", number, ("actor_id",), f"{entry.actor_id} already has an entry in the coverage log")
        logged[entry.actor_id] = number
    for number, actor in enumerate(dataset.actors):
        if actor.id not in logged and actor.id not in dataset.invalid["actors"]:
            report.add("actors", number, ("id",), "the actor has no entry in the coverage log (data/coverage.yaml)")


#: How a position id looks when a text names one: actor, scope, date.
NAMED_POSITION = re.compile(r"(?<![\w-])[a-z]{2,6}-[a-z0-9]+(?:-[a-z0-9]+)*-\d{4}-\d{2}-\d{2}(?![\w-])")


@check
def check_named_positions(inputs: Inputs, report: Reporter) -> None:
    """A position named in a note, a summary or the coverage log is one of the data, not a retired or unknown id."""
    dataset = inputs.dataset
    current = {p.id for p in dataset.positions} | dataset.invalid["positions"]
    if dataset.invalid["positions"] or dataset.incomplete:
        return  # an invalid position, or one in a file not read, may be the one named
    replaced = {r.id: r.replaced_by for r in dataset.retirements if r.table == "positions"}
    texts = [("positions", field) for field in ("summary", "note")]
    texts += [("coverage", field) for field in ("searched", "found", "left_out")]
    for kind, field in texts:
        for number, record in enumerate(dataset.records[kind]):
            for named in NAMED_POSITION.findall(getattr(record, field) or ""):
                if named in current:
                    continue
                if named in replaced:
                    by = replaced[named]
                    message = f"names {named}, retired" + (f": it is now {by}" if by else "")
                else:
                    message = f"names {named}, which is no position of the data"
                report.add(kind, number, (field,), message)


def check_dataset(dataset: Dataset, data_dir: Path, today: dt.date | None = None) -> list[Problem]:
    """Run every registered check; return all problems."""
    inputs = Inputs(dataset, today or dt.date.today(), Path(data_dir))
    report = Reporter(dataset)
    for function in RULES.values():
        function(inputs, report)
    return report.problems()


def validate_data(data_dir: Path, today: dt.date | None = None, progress=None) -> Dataset:
    """Load and check the data folder; raise DataInvalid listing every problem."""
    dataset, problems = load_records(Path(data_dir), progress)
    problems += check_dataset(dataset, data_dir, today)
    if problems:
        raise DataInvalid(problems)
    return dataset
