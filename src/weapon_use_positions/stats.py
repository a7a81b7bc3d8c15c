"""Figures about the built dataset: counts, each actor's timeline, sourcing, gaps."""

from __future__ import annotations

import polars as pl

from . import api

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
    return {
        "actors": positions["actor_id"].n_unique(),
        "positions": total,
        "sources": sources.height,
        "positions_with_one_source": per_position.filter(pl.col("sources") == 1).height,
        "positions_with_two_or_more_sources": per_position.filter(pl.col("sources") >= 2).height,
        "positions_with_two_or_more_publishers": per_position.filter(pl.col("publishers") >= 2).height,
        "official_share": official / total if total else 0.0,
        "reported_share": (total - official) / total if total else 0.0,
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
        "",
        "actor  first       last        positions",
    ]
    lines += [f"{a['actor_id']:<6} {a['first']}  {a['last']}  {a['positions']:>9}" for a in figures["per_actor"]]
    lines += ["", "gaps over 12 months"]
    lines += [
        f"{g['actor_id']:<6} {g['previous']} -> {g['valid_from']} ({g['days']} days)"
        for g in figures["gaps_over_12_months"]
    ] or ["none"]
    return "\n".join(lines)
