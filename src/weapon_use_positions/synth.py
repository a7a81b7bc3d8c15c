"""Generated data in the real format, valid by construction and deterministic for a seed.

For benchmarks and tests only: the records are invented, their URLs point at example.org.
The layout is the real one: actors.yaml, weapon_systems.yaml and one file per actor
under positions/ holding that actor's sources and positions. Every field kind is used.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from .models import STANCE_MEANINGS, STATEMENTS_BY_ROLE, ConditionKind, Decision, Role, Statement

WEAPONS = ["all", "atacms", "storm-shadow", "taurus", "patriot", "f-16", "himars", "tomahawk"]
CATEGORIES = {
    "atacms": "ballistic_missile",
    "storm-shadow": "cruise_missile",
    "taurus": "cruise_missile",
    "patriot": "air_defence",
    "f-16": "aircraft",
    "himars": "rocket_artillery",
    "tomahawk": "cruise_missile",
}
ROLES = ["supplier", "supplier", "supplier", "alliance", "third_party"]
LAST_DAY = dt.date(2026, 1, 1)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def actor_ids(n: int) -> list[str]:
    return [f"X{i:04d}" for i in range(n)]


def write_synthetic_data(out: Path, n_positions: int, n_actors: int, seed: int = 0) -> list[Path]:
    """Write the tree under `out`; return the files written."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "positions").mkdir(exist_ok=True)
    ids = actor_ids(n_actors)
    files = [out / "actors.yaml", out / "weapon_systems.yaml"]
    with open(files[0], "w") as f:
        f.write("actors:\n  - {id: UKR, name: Ukraine, kind: state, wikidata: Q212}\n")
        for i, actor in enumerate(ids):
            kind = "organization" if i % 10 == 9 else "state"
            f.write(f"  - {{id: {actor}, name: Synthetic actor {i}, kind: {kind}, wikidata: Q{1000 + i}}}\n")
    with open(files[1], "w") as f:
        f.write("weapon_systems:\n")
        for i, weapon in enumerate(WEAPONS[1:]):
            extra = f", max_range_km: {100 + 50 * i}, wikidata: Q{5000 + i}" if i % 2 == 0 else ""
            f.write(f"  - {{id: {weapon}, name: {weapon.upper()}, category: {CATEGORIES[weapon]}{extra}}}\n")
    per_actor = [n_positions // n_actors + (1 if i < n_positions % n_actors else 0) for i in range(n_actors)]
    for actor, count in zip(ids, per_actor):
        path = out / "positions" / f"{actor.lower()}.yaml"
        write_actor_file(path, actor, count, rng)
        files.append(path)
    return files


def scope_days(count: int, rng: random.Random) -> list[tuple[str, dt.date]]:
    """`count` distinct (scope, day) pairs, spread over the weapons scopes."""
    per_scope = [count // len(WEAPONS) + (1 if i < count % len(WEAPONS) else 0) for i in range(len(WEAPONS))]
    pairs = []
    for weapon, n in zip(WEAPONS, per_scope):
        span = max(n * 3, 1500)
        offsets = rng.sample(range(1, span + 1), n)
        pairs += [(weapon, LAST_DAY - dt.timedelta(days=offset)) for offset in offsets]
    return pairs


def source_entry(sid: str, path: str, title: str, n: int, published: dt.date, language: str, kind: str) -> list[str]:
    """The YAML lines of one synthetic source (a page under example.org)."""
    return [
        f"  - id: {sid}",
        f"    url: https://example.org/{path}",
        f"    title: {quoted(title)}",
        f"    publisher: Publisher {n % 17}",
        f"    published: {published.isoformat()}",
        f"    language: {language}",
        f"    kind: {kind}",
        f"    accessed: {LAST_DAY.isoformat()}",
    ]


def write_actor_file(path: Path, actor: str, count: int, rng: random.Random) -> None:
    """One actor's sources and positions; each position cites one or two of its own sources."""
    decisions = [d.value for d in Decision]
    systems = ", ".join(WEAPONS[1:])
    kinds = [k.value for k in ConditionKind]
    pairs = scope_days(count, rng)
    slug = actor.lower()
    source_lines, position_lines = ["sources:"], ["positions:"]
    taken = set(pairs)
    for n, (weapon, day) in enumerate(pairs):
        cited = []
        for k in range(1 + (n % 3 == 0)):
            sid = f"{slug}-src-{n}-{k}"
            published = min(day + dt.timedelta(days=k), LAST_DAY)
            cited.append(sid)
            kind = ["official", "news_agency", "newspaper", "broadcaster", "other"][n % 5]
            source_lines += source_entry(
                sid,
                f"{slug}/{n}/{k}",
                f"Synthetic report {n}.{k} on {actor}",
                n,
                published,
                "en" if k == 0 else "de",
                kind,
            )
            if n % 50 == 0:
                source_lines.append(f"    archive_url: https://archive.example.org/{slug}/{n}/{k}")
        role = ROLES[n % len(ROLES)]
        statements = STATEMENTS_BY_ROLE[Role(role)]
        statement = statements[(n // len(ROLES)) % len(statements)]
        stances = [stance.value for stance in STANCE_MEANINGS[statement]]
        stance = stances[rng.randrange(len(stances))] if stances else None
        month = n % 11 == 0 and (weapon, day.replace(day=1)) not in taken
        valid_from = day.replace(day=1) if month else day
        taken.add((weapon, valid_from))
        lines = [
            f"  - id: {slug}-{weapon}-{n}",
            f"    actor_id: {actor}",
            "    recipient_id: UKR",
            f"    role: {role}",
            f"    statement: {statement.value}",
            f"    weapons: {weapon}",
        ]
        if weapon == "all":
            lines.append(f"    covers: [{systems}]")
        if statement == Statement.supply:
            lines.append(f"    decision: {decisions[n % len(decisions)]}")
        else:
            lines.append(f"    stance: {stance}")
        if statement != Statement.supply and (stance == "limited" or n % 4 == 0):
            lines.append("    conditions:")
            for c in range(1 + n % 2):
                lines += [
                    f"      - kind: {kinds[(n + c) % len(kinds)]}",
                    f"        text: {quoted(f'Synthetic limit {c} of position {n}: only near the border.')}",
                ]
        lines += [
            f"    valid_from: {valid_from.isoformat()}",
            f"    date_precision: {'month' if month else 'day'}",
            f"    stated_by: {quoted(f'Official {n % 97}')}",
            "    stated_by_role: Minister of Synthetic Affairs",
            f"    status: {'reported' if n % 7 == 0 else 'official'}",
            f"    summary: {quoted(f'{actor} states a synthetic {statement.value} on {weapon} (record {n}).')}",
        ]
        quote = None
        if n % 3 == 1:
            quote = "Wir halten uns an das Völkerrecht."
            lines += [
                f"    quote: {quoted(quote)}",
                "    quote_language: de",
                '    quote_translation: "We abide by international law."',
            ]
        elif n % 3 == 2:
            quote = f"Ukraine has the right to defend itself ({n})."
            lines += [f"    quote: {quoted(quote)}", "    quote_language: en"]
        if n % 13 == 0:
            lines.append(
                f"    note: {quoted('Synthetic note: sources disagree on the day; the official one is followed.')}"
            )
        lines.append("    sources:")
        for k, sid in enumerate(cited):
            excerpt = f"The minister said: “{quote}”" if quote and k == 0 else "A short supporting excerpt."
            lines += [f"      - id: {sid}", f"        excerpt: {quoted(excerpt)}"]
        restated = valid_from + dt.timedelta(days=1)
        if n % 10 == 0 and (weapon, restated) not in taken and restated <= LAST_DAY:
            taken.add((weapon, restated))  # no later position of the scope may start that day
            sid = f"{slug}-src-{n}-again"  # a page of the restatement's day: no page reports what it predates
            source_lines += source_entry(
                sid, f"{slug}/{n}/again", f"Synthetic report {n} on {actor}, restated", n, restated, "en", "newspaper"
            )
            lines += [
                "    confirmations:",
                f"      - date: {restated.isoformat()}",
                f"        source: {sid}",
                f"        excerpt: {quoted('The minister said it again.')}",
            ]
        position_lines += lines
    path.write_text("\n".join(source_lines + position_lines) + "\n")
