"""`validate` on the real data, and every problem of a broken copy reported at once."""

import json

from click.testing import CliRunner

from weapon_use_positions.checks import validate_data
from weapon_use_positions.cli import cli
from weapon_use_positions.problems import DataInvalid

from .conftest import DATA


def run(*args):
    return CliRunner().invoke(cli, list(args))


def problems_of(data_dir):
    result = run("validate", "--data", str(data_dir), "--json")
    assert result.exit_code == 1, result.output
    return json.loads(result.output)


def test_real_data_is_valid():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid: ")
    dataset = validate_data(DATA)
    assert len(dataset.positions) > 0 and len(dataset.sources) > 0


def test_fixture_is_valid(data_copy):
    assert run("validate", "--data", str(data_copy)).exit_code == 0


def test_every_problem_reported_with_place(data_copy):
    path = data_copy / "positions" / "aaa.yaml"
    text = path.read_text()
    text = text.replace(
        "    stance: not_permitted\n    valid_from: 2022-06-01", "    stance: maybe\n    valid_from: 2022-06-01"
    )
    text = text.replace("      - id: example-2024-11-17-aaa\n", "      - id: no-such-source\n")
    text = text.replace("    url: https://example.org/aaa/2022-06-01", "    url: javascript:alert(1)")
    text = text.replace("    summary: ATACMS stay barred", "    colour: red\n    summary: ATACMS stay barred")
    path.write_text(text)
    lines = text.splitlines()
    found = problems_of(data_copy)
    by_field = {(p["record_id"], p["field"]): p for p in found}

    stance = by_field[("aaa-all-2022-06-01", "stance")]
    assert lines[stance["line"] - 1].strip() == "stance: maybe"
    assert "not_permitted" in stance["message"]
    url = by_field[("example-2022-06-01-aaa", "url")]
    assert lines[url["line"] - 1].strip() == "url: javascript:alert(1)"
    extra = by_field[("aaa-atacms-2024-04-24", "colour")]
    assert lines[extra["line"] - 1].strip() == "colour: red"
    ref = by_field[("aaa-atacms-2024-11-17", "sources[0].id")]
    assert lines[ref["line"] - 1].strip() == "- id: no-such-source"
    assert "unknown source" in ref["message"]
    assert all(p["path"] == "data/positions/aaa.yaml" for p in found)


def test_text_report_format(data_copy):
    path = data_copy / "positions" / "bbb.yaml"
    path.write_text(path.read_text().replace("stance: permitted", "stance: limited"))
    result = run("validate", "--data", str(data_copy))
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("data/positions/bbb.yaml:")
    assert ": bbb-all-2024-05-01: conditions: a 'limited' stance needs at least one condition" in first


def test_cross_record_problems(data_copy):
    aaa = data_copy / "positions" / "aaa.yaml"
    text = aaa.read_text()
    # a clash: a second general rule on the same day, an unknown actor and a future date
    text = text.replace("  - id: aaa-atacms-2024-04-24\n", "  - id: aaa-all-2022-06-01\n", 1)
    text = text.replace(
        "    weapons: atacms\n    stance: not_permitted\n    valid_from: 2024-04-24\n",
        "    weapons: all\n    stance: not_permitted\n    valid_from: 2022-06-01\n",
        1,
    )
    text = text.replace(
        "    statement: rule\n    weapons: atacms\n    stance: limited",
        "    statement: rule\n    weapons: atacms\n    stance: limited\n    decision: withhold",
    )
    text = text.replace(
        "  - id: aaa-atacms-2024-11-17\n    actor_id: AAA", "  - id: aaa-atacms-2024-11-17\n    actor_id: ZZZ"
    )
    aaa.write_text(text)
    bbb = data_copy / "positions" / "bbb.yaml"
    bbb.write_text(bbb.read_text().replace("valid_from: 2024-05-01", "valid_from: 2099-05-01"))
    found = problems_of(data_copy)
    messages = {(p["record_id"], p["field"]): p["message"] for p in found}
    assert "duplicate id" in messages[("aaa-all-2022-06-01", "id")]
    assert "already gives AAA's rule on 'all'" in messages[("aaa-all-2022-06-01", "valid_from")]
    assert messages[("aaa-atacms-2024-11-17", "actor_id")] == "unknown actor 'ZZZ'"
    assert messages[("aaa-atacms-2024-11-17", "decision")] == "decision is only for a supply statement"
    assert "in the future" in messages[("bbb-all-2024-05-01", "valid_from")]


def test_yaml_syntax_error_has_line(data_copy):
    path = data_copy / "positions" / "bbb.yaml"
    lines = path.read_text().splitlines()
    lines[3] = "    title: [unclosed"
    path.write_text("\n".join(lines) + "\n")
    (data_copy / "empty.yaml").write_text("")
    found = problems_of(data_copy)
    assert {p["path"] for p in found} == {"data/positions/bbb.yaml", "data/empty.yaml"}
    syntax = next(p for p in found if p["path"].endswith("bbb.yaml"))
    assert syntax["line"] >= 4 and syntax["message"].startswith("YAML syntax")


def test_duplicate_key_is_reported(data_copy):
    path = data_copy / "positions" / "bbb.yaml"
    path.write_text(
        path.read_text().replace("    stance: permitted\n", "    stance: permitted\n    stance: not_permitted\n")
    )
    found = problems_of(data_copy)
    assert [(p["record_id"], p["field"], p["message"]) for p in found] == [
        ("bbb-all-2024-05-01", "stance", "key appears twice")
    ]


def test_norwegian_no_stays_a_string(data_copy):
    path = data_copy / "positions" / "bbb.yaml"
    path.write_text(path.read_text().replace("language: en", "language: no"))
    assert run("validate", "--data", str(data_copy)).exit_code == 0


def test_invalid_data_raises_with_all_problems(data_copy):
    path = data_copy / "positions" / "bbb.yaml"
    path.write_text(
        path.read_text()
        .replace("published: 2024-05-20", "published: 2024-13-20")
        .replace("kind: broadcaster", "kind: blog")
    )
    try:
        validate_data(data_copy)
    except DataInvalid as error:
        assert {p.field for p in error.problems} == {"published", "kind"}
    else:
        raise AssertionError("invalid data passed")


def test_coverage_log_names_every_actor(data_copy):
    log = data_copy / "coverage.yaml"
    entry = (
        "  - {{id: {id}, actor_id: {actor}, name: {name}, searched: Speeches., searched_through: 2025-01-01, "
        "found: Nothing new., left_out: Nothing.}}\n"
    )
    log.write_text(
        "coverage:\n"
        + entry.format(id="aaa", actor="AAA", name="Alphaland")
        + entry.format(id="aaa-again", actor="AAA", name="Alphaland")
        + "  - {id: gammaland, name: Gammaland, searched: Speeches., searched_through: 2025-01-01, "
        "found: Nothing., left_out: No dated page.}\n"
    )
    found = problems_of(data_copy)
    messages = {(p["record_id"], p["field"]): p["message"] for p in found}
    assert messages[("aaa-again", "actor_id")] == "AAA already has an entry in the coverage log"
    for actor in ("BBB", "RUS", "UKR"):
        assert messages[(actor, "id")] == "the actor has no entry in the coverage log (data/coverage.yaml)"
    assert ("AAA", "id") not in messages
