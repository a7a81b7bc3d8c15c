"""`stats` through the real CLI on the built dataset: its sourcing figures agree with the tables."""

import json

import polars as pl
from click.testing import CliRunner

import weapon_use_positions as wup
from weapon_use_positions.cli import cli


def figures():
    result = CliRunner().invoke(cli, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_sourcing_figures_agree_with_the_tables(built):
    f = figures()
    links = wup.position_sources()
    sources = wup.sources()
    positions = wup.positions()
    assert f["links"] == links.height
    assert f["links_with_excerpt"] == links.filter(pl.col("excerpt").str.len_chars() > 0).height
    assert f["description_titles"] == sources.filter(pl.col("title_kind") == "description").height
    assert f["quotes"] == positions.filter(pl.col("quote").is_not_null()).height
    assert f["quotes_verified_in_an_excerpt"] == f["quotes"]  # the validator refuses any other
    assert f["confirmations"] == wup.table("position_confirmations").height
    assert sum(f["statements"].values()) == positions.height


def test_current_rule_of_each_supplier_with_its_last_confirmation(built):
    f = figures()
    current = wup.positions().filter((pl.col("statement") == "rule") & pl.col("valid_to").is_null())
    assert {r["actor_id"] for r in f["current_rule_last_confirmed"]} == set(current["actor_id"])
    by_id = {r["id"]: r for r in current.iter_rows(named=True)}
    for row in f["current_rule_last_confirmed"]:
        assert row["last_confirmed"] == str(by_id[row["position_id"]]["last_confirmed"])


def test_text_report_names_every_figure(built):
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 0
    for label in ("links with an excerpt", "description titles", "quotes verified", "current rule, last confirmed"):
        assert label in result.output
