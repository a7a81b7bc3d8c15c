"""Figures about the built dataset: counts, each actor's timeline, sourcing, gaps."""

from __future__ import annotations

import polars as pl

from . import api
from .checks import normalised
from .models import Statement, TitleKind

GAP_DAYS = 365


def dataset_stats() -> dict:
    """Counts, per-actor spans, sourcing and official/reported shares, and timeline gaps over a year."""
    positions = api.positions()
    sources = api.sources()
    links = api.table("position_sources").join(sources.select("id", "publisher"), left_on="source_id", right_on="id")
    per_position = links.group_by("position_id").agg(sources=pl.len(), publishers=pl.col("publisher").n_unique())
    per_actor = (
        positions.group_by("actor_id")
        .agg(
            first=pl.col("valid_from").min(),
            last=pl.col("valid_from").max(),
            last_stated=pl.col("last_confirmed").max(),
            positions=pl.len(),
        )
        .sort("actor_id")
    )
    gaps = (
        positions.select("actor_id", "valid_from")
        .unique()
        .sort("actor_id", "valid_from")
        .with_columns(previous=pl.col("valid_from").shift(1).over("actor_id"))
        .with_columns(days=(pl.col("valid_from") - pl.col("previous")).dt.total_days())
        .filter(pl.col("days") > GAP_DAYS)
    )
    total = positions.height
    official = positions.filter(pl.col("status") == "official").height
    excerpts = links.group_by("position_id").agg(pl.col("excerpt"))
    quoted = positions.filter(pl.col("quote").is_not_null()).join(
        excerpts, left_on="id", right_on="position_id", how="left"
    )
    verified = sum(
        any(normalised(row["quote"]) in normalised(e) for e in row["excerpt"] or [] if e)
        for row in quoted.iter_rows(named=True)
    )
    current_rules = (
        positions.filter((pl.col("statement") == Statement.rule.value) & pl.col("valid_to").is_null())
        .sort("actor_id", pl.col("weapons") != "all", "weapons")
        .group_by("actor_id", maintain_order=True)
        .first()
        .select("actor_id", "weapons", "stance", position_id="id", last_confirmed="last_confirmed")
    )
    return {
        "actors": positions["actor_id"].n_unique(),
        "positions": total,
        "sources": sources.height,
        "positions_with_one_source": per_position.filter(pl.col("sources") == 1).height,
        "positions_with_two_or_more_sources": per_position.filter(pl.col("sources") >= 2).height,
        "positions_with_two_or_more_publishers": per_position.filter(pl.col("publishers") >= 2).height,
        "official_share": official / total if total else 0.0,
        "reported_share": (total - official) / total if total else 0.0,
        "statements": dict(positions.group_by("statement").len().sort("statement").iter_rows()),
        "links": links.height,
        "links_with_excerpt": links.filter(pl.col("excerpt").is_not_null() & (pl.col("excerpt") != "")).height,
        "description_titles": sources.filter(pl.col("title_kind") == TitleKind.description.value).height,
        "sources_accessed": sources.filter(pl.col("accessed").is_not_null()).height,
        "quotes": quoted.height,
        "quotes_verified_in_an_excerpt": verified,
        "confirmations": api.table("position_confirmations").height,
        "current_rule_last_confirmed": current_rules.to_dicts(),
        "per_actor": per_actor.to_dicts(),
        "gaps_over_12_months": gaps.select("actor_id", "previous", "valid_from", "days").to_dicts(),
    }


def format_stats(figures: dict) -> str:
    """The figures as a plain-text report."""
    total = figures["positions"] or 1
    lines = [
        f"actors with positions  {figures['actors']}",
        f"positions              {figures['positions']}",
        f"sources                {figures['sources']}",
        f"one source             {figures['positions_with_one_source']}",
        f"two or more sources    {figures['positions_with_two_or_more_sources']}"
        f" ({figures['positions_with_two_or_more_publishers'] / total:.0%} with two or more publishers)",
        f"official / reported    {figures['official_share']:.0%} / {figures['reported_share']:.0%}",
        "statement kinds        " + ", ".join(f"{kind} {n}" for kind, n in figures["statements"].items()),
        f"links with an excerpt  {figures['links_with_excerpt']} of {figures['links']}",
        f"sources read (accessed) {figures['sources_accessed']} of {figures['sources']}",
        f"description titles     {figures['description_titles']} of {figures['sources']}"
        f" ({figures['description_titles'] / (figures['sources'] or 1):.0%}; no headline found)",
        f"quotes verified        {figures['quotes_verified_in_an_excerpt']} of {figures['quotes']} in an excerpt",
        f"confirmations          {figures['confirmations']}",
        "",
        "current rule, last confirmed",
        "actor  weapons        stance          last confirmed  position",
        *(
            f"{r['actor_id']:<6} {r['weapons']:<14} {r['stance']:<15} {r['last_confirmed']}      {r['position_id']}"
            for r in figures["current_rule_last_confirmed"]
        ),
        "",
        "actor  first       last        last stated  positions",
    ]
    lines += [
        f"{a['actor_id']:<6} {a['first']}  {a['last']}  {a['last_stated']}   {a['positions']:>9}"
        for a in figures["per_actor"]
    ]
    lines += ["", "gaps over 12 months"]
    lines += [
        f"{g['actor_id']:<6} {g['previous']} -> {g['valid_from']} ({g['days']} days)"
        for g in figures["gaps_over_12_months"]
    ] or ["none"]
    return "\n".join(lines)
