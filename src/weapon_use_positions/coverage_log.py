"""The coverage log (docs/coverage.md): what was searched for each actor, through which date, what
was found and what was left out, written from data/coverage.yaml and the positions."""

from __future__ import annotations

from collections import Counter


def cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def coverage_markdown(dataset) -> str:
    """The coverage log as Markdown: one section per actor in the data, then the actors left out."""
    positions = Counter(p.actor_id for p in dataset.positions)
    latest: dict[str, str] = {}
    for p in dataset.positions:
        days = [p.valid_from, *(c.date for c in p.confirmations)]
        latest[p.actor_id] = max(latest.get(p.actor_id, ""), max(days).isoformat())
    names = {a.id: a.name for a in dataset.actors}
    entries = sorted(dataset.coverage, key=lambda e: (e.actor_id is None, e.name))
    out = [
        "# Coverage log",
        "",
        "Generated from `data/coverage.yaml` and the positions by `scripts/generate`; a test fails when it",
        "is stale. For every actor considered: what was searched for and through which date, what was",
        "found, and what was left out and why. Pages were searched in stored copies of news pages; an",
        "actor, statement or period not listed here was not searched and is not known to be absent.",
        "",
        "| actor | positions | latest statement in the data | searched through |",
        "|---|---|---|---|",
    ]
    for e in entries:
        if e.actor_id is not None:
            out.append(
                f"| {cell(names.get(e.actor_id, e.name))} (`{e.actor_id}`) | {positions.get(e.actor_id, 0)} | "
                f"{latest.get(e.actor_id, '—')} | {e.searched_through or '—'} |"
            )
    left_out = [e for e in entries if e.actor_id is None]
    if left_out:
        out += ["", "Considered but not in the data: " + ", ".join(cell(e.name) for e in left_out) + "."]
    for e in entries:
        label = f"{cell(e.name)} (`{e.actor_id}`)" if e.actor_id else f"{cell(e.name)} (not in the data)"
        out += [
            "",
            f"## {label}",
            "",
            f"- **Searched** (through {e.searched_through or 'an unknown date: no page showed one'}): {cell(e.searched)}",
            f"- **Found**: {cell(e.found)}",
            f"- **Left out**: {cell(e.left_out)}",
        ]
    return "\n".join(out) + "\n"
