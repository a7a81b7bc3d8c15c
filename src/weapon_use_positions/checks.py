"""Cross-record checks: the rules no single record can check by itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .history import check_released_ids, load_snapshots
from .load import Dataset, field_name, load_records, node_at, parse_yaml, record_node
from .problems import DataInvalid, Problem

#: How far ahead of a position's valid_from a supporting source may be published: a rule
#: announced in advance ("from next week...") is stated before it takes effect.
ANNOUNCED_IN_ADVANCE_DAYS = 14

#: The scope value for an actor's general rule.
ALL_WEAPONS = "all"


class Reporter:
    """Collects problems about records (by kind and number) and fields; finds lines only when reporting."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.pending: list[tuple] = []
        self.roots: dict = {}

    def add(self, kind: str, number: int, field_path: tuple, message: str, other: int | None = None) -> None:
        """Note a problem; `{other}` in the message becomes the path:line of record `other` of the same kind."""
        self.pending.append((kind, number, field_path, message, other))

    def place(self, kind: str, number: int, field_path: tuple = ()) -> tuple[str, int]:
        """(path, line) of a record's field, read again from its file."""
        origin = self.dataset.origin(kind, number)
        if origin.file not in self.roots:
            self.roots[origin.file] = parse_yaml(origin.file.read_bytes(), origin.path)[0]
        node = record_node(self.roots[origin.file], kind, origin.index)
        place = node_at(node, field_path) or node
        return origin.path, (place.start_mark.line + 1 if place is not None else 0)

    def problems(self) -> list[Problem]:
        problems = []
        for kind, number, field_path, message, other in self.pending:
            path, line = self.place(kind, number, field_path)
            if other is not None:
                message = message.format(other="%s:%d" % self.place(kind, other))
            record_id = getattr(self.dataset, kind)[number].id
            problems.append(Problem(path, line, record_id, field_name(field_path), message))
        return problems


def check_unique_ids(dataset: Dataset, report: Reporter) -> None:
    """Ids are unique within each record type, across all files."""
    for kind in ("actors", "weapon_systems", "sources", "positions"):
        first_seen = {}
        for number, record in enumerate(getattr(dataset, kind)):
            if record.id in first_seen:
                report.add(kind, number, ("id",), "duplicate id (first used at {other})", other=first_seen[record.id])
            else:
                first_seen[record.id] = number


def check_unique_urls(dataset: Dataset, report: Reporter) -> None:
    """One source record per published page."""
    first_seen = {}
    for number, source in enumerate(dataset.sources):
        if source.url in first_seen:
            report.add("sources", number, ("url",), f"URL already used by source {first_seen[source.url]}")
        else:
            first_seen[source.url] = source.id


def check_references(dataset: Dataset, report: Reporter) -> None:
    """Every id a record mentions names an existing record."""
    # Ids of records that failed validation count as known: their own problems are reported.
    actors = {a.id for a in dataset.actors} | dataset.invalid["actors"]
    weapons = {w.id for w in dataset.weapon_systems} | dataset.invalid["weapon_systems"]
    sources = {s.id for s in dataset.sources} | dataset.invalid["sources"]
    for number, source in enumerate(dataset.sources):
        if source.controlled_by is not None and source.controlled_by not in actors:
            report.add("sources", number, ("controlled_by",), f"unknown actor {source.controlled_by!r}")
    for number, position in enumerate(dataset.positions):
        for field in ("actor_id", "recipient_id"):
            value = getattr(position, field)
            if value not in actors:
                report.add("positions", number, (field,), f"unknown actor {value!r}")
        if position.weapons != ALL_WEAPONS and position.weapons not in weapons:
            report.add("positions", number, ("weapons",), f"unknown weapon system {position.weapons!r}")
        for index, ref in enumerate(position.sources):
            if ref.id not in sources:
                report.add("positions", number, ("sources", index, "id"), f"unknown source {ref.id!r}")


def check_one_position_per_day(dataset: Dataset, report: Reporter) -> None:
    """At most one position per actor, weapons scope and valid_from."""
    first_seen = {}
    for number, position in enumerate(dataset.positions):
        key = (position.actor_id, position.weapons, position.valid_from)
        if key in first_seen:
            message = f"{first_seen[key]} already gives {position.actor_id}'s position on {position.weapons!r} from this date"
            report.add("positions", number, ("valid_from",), message)
        else:
            first_seen[key] = position.id


def check_dates(dataset: Dataset, report: Reporter, today: dt.date) -> None:
    """No dates in the future; no source published (much) before the position it supports."""
    for number, source in enumerate(dataset.sources):
        if source.published > today:
            report.add("sources", number, ("published",), f"date {source.published} is in the future")
    published = {s.id: latest_publication_day(s) for s in dataset.sources}
    margin = dt.timedelta(days=ANNOUNCED_IN_ADVANCE_DAYS)
    for number, position in enumerate(dataset.positions):
        if position.valid_from > today:
            report.add("positions", number, ("valid_from",), f"date {position.valid_from} is in the future")
        for index, ref in enumerate(position.sources):
            date = published.get(ref.id)
            if date is not None and date < position.valid_from - margin:
                report.add(
                    "positions",
                    number,
                    ("sources", index, "id"),
                    f"source published {date}, before valid_from {position.valid_from}: the position is misdated",
                )


def latest_publication_day(source) -> dt.date:
    """The last day a source may have been published: its date, or the end of its month."""
    if source.published_precision == "month":
        following = (source.published.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return following - dt.timedelta(days=1)
    return source.published


def check_source_independence(dataset: Dataset, report: Reporter) -> None:
    """Media controlled by a party to the war is never the only support for another government's position."""
    controlled = {s.id: s.controlled_by for s in dataset.sources}
    for number, position in enumerate(dataset.positions):
        owners = {controlled.get(ref.id) for ref in position.sources}
        if None not in owners and owners != {position.actor_id}:
            report.add(
                "positions",
                number,
                ("sources",),
                f"only cites media controlled by {', '.join(sorted(o for o in owners if o))}: add an independent source",
            )


def check_sources_cited(dataset: Dataset, report: Reporter) -> None:
    """Every source supports at least one position (checked only when every position is valid)."""
    if dataset.invalid["positions"]:
        return
    cited = {ref.id for position in dataset.positions for ref in position.sources}
    for number, source in enumerate(dataset.sources):
        if source.id not in cited:
            report.add("sources", number, ("id",), "source is not cited by any position")


CHECKS = (
    check_unique_ids,
    check_unique_urls,
    check_references,
    check_one_position_per_day,
    check_source_independence,
    check_sources_cited,
)


def check_dataset(dataset: Dataset, today: dt.date | None = None) -> list[Problem]:
    """Run every cross-record check; return all problems."""
    report = Reporter(dataset)
    for check in CHECKS:
        check(dataset, report)
    check_dates(dataset, report, today or dt.date.today())
    return report.problems()


def validate_data(data_dir: Path, today: dt.date | None = None, progress=None) -> Dataset:
    """Load and check the data folder; raise DataInvalid listing every problem."""
    dataset, problems = load_records(Path(data_dir), progress)
    problems += check_dataset(dataset, today)
    dataset.snapshots = load_snapshots(data_dir)
    problems += check_released_ids(dataset, dataset.snapshots, Path(data_dir), Reporter(dataset))
    if problems:
        raise DataInvalid(problems)
    return dataset
