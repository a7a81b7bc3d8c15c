"""One contract: every model field reaches every output, the scope has a recipient, generated files are current."""

import copy
import csv
import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest

import weapon_use_positions as wup
from weapon_use_positions import api, paths
from weapon_use_positions.build import build
from weapon_use_positions.catalogue import TABLES
from weapon_use_positions.checks import validate_data
from weapon_use_positions.codebook import fields_block, vocabulary_examples
from weapon_use_positions.generated import expected_files
from weapon_use_positions.load import load_records
from weapon_use_positions.models import (
    RECORD_TYPES,
    STANCE_MEANINGS,
    STATEMENTS_BY_ROLE,
    VOCABULARY_MEANINGS,
    Role,
    Statement,
)
from weapon_use_positions.paths import DB_NAME
from weapon_use_positions.problems import DataInvalid
from weapon_use_positions.records import NESTED
from weapon_use_positions.schema import json_schemas

from .conftest import MINIMAL, ROOT, edit_yaml


def outputs_of(folder: Path) -> dict[str, dict[str, list[str]]]:
    """Table -> output -> its column names, read back from every file of a build."""
    conn = sqlite3.connect(folder / DB_NAME)
    package = {r["name"]: r for r in json.loads((folder / "datapackage.json").read_text())["resources"]}
    metadata = json.loads((folder / "metadata.json").read_text())["databases"][paths.DATABASE]["tables"]
    found = {}
    for name in TABLES:
        with open(folder / "csv" / f"{name}.csv", newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        found[name] = {
            "sqlite": [row[1] for row in conn.execute(f"pragma table_info([{name}])")],
            "parquet": pl.read_parquet(folder / "parquet" / f"{name}.parquet").columns,
            "csv": header,
            "datapackage": [field["name"] for field in package[f"{name}-csv"]["schema"]["fields"]],
            "metadata": [column for column, meaning in metadata[name]["columns"].items() if meaning],
        }
    return found


def test_every_model_field_reaches_every_output(built):
    outputs = outputs_of(built)
    schemas = json_schemas()
    codebook = fields_block()
    for kind, model in RECORD_TYPES.items():
        table = TABLES[kind]
        properties = schemas[f"{kind}.schema.json"]["properties"]
        for name in model.model_fields:
            assert name in table.column_names, f"{kind}.{name} is not a column"
            assert name in properties, f"{kind}.{name} is not in the JSON Schema"
            assert f"| `{name}` |" in codebook, f"{kind}.{name} is not in the codebook"
        for field_name, item in NESTED[model].items():
            child = next(t for t in TABLES.values() if t.parent == (kind, field_name))
            assert {c.field for c in child.columns if c.field} == set(item.model_fields)
    for name, table in TABLES.items():
        for output, columns in outputs[name].items():
            assert columns == list(table.column_names) or (
                output == "metadata" and set(table.column_names) <= set(columns)
            ), (
                name,
                output,
            )


MOTTO_AND_TAGS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pydantic import Field, create_model
    import weapon_use_positions.models as m

    fields = {}
    for name, info in m.Actor.model_fields.items():
        fields[name] = (info.annotation, info)
        if name == "name":  # in the middle, where a filling by position would shift every later column
            fields["motto"] = (str | None, Field(default=None, description="A motto (test-only field)."))
    Actor = create_model("Actor", __base__=m.Record, __doc__=m.Actor.__doc__, **fields)

    class Position(m.Position):
        tags: list[str] = Field(default_factory=list, description="Free tags (test-only field).")

    for registry in (m.VERSIONED_TYPES, m.RECORD_TYPES):
        registry["actors"], registry["positions"] = Actor, Position

    from weapon_use_positions.build import build
    from weapon_use_positions.codebook import fields_block
    from weapon_use_positions.diff import records_at
    from weapon_use_positions.schema import json_schemas

    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    build(data, out)
    assert "motto" in json_schemas()["actors.schema.json"]["properties"]
    assert "tags" in json_schemas()["positions.schema.json"]["properties"]
    assert "| `motto` |" in fields_block() and "| `tags` |" in fields_block()
    records = records_at(str(out / "weapon_use_positions.db"))
    assert records["actors"]["AAA"]["motto"] == "Alpha first"
    assert records["positions"]["bbb-all-2024-05-01"]["tags"] == ["test", "tag"]
    assert records_at(str(out)) == records == records_at(str(data))
    print("ok")
    """
)


def test_a_field_added_to_a_model_reaches_every_output(tmp_path):
    data = tmp_path / "data"

    shutil.copytree(MINIMAL, data)
    edit_yaml(data / "actors.yaml", lambda doc: doc["actors"][1].update(motto="Alpha first"))
    edit_yaml(data / "positions" / "bbb.yaml", lambda doc: doc["positions"][0].update(tags=["test", "tag"]))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", MOTTO_AND_TAGS, str(data), str(out)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    outputs = outputs_of(out.resolve())
    for output, columns in outputs["actors"].items():
        assert columns[:4] == ["id", "name", "motto", "kind"], output
    assert "tags" in outputs["positions"]["sqlite"] and "tags" in outputs["positions"]["csv"]
    conn = sqlite3.connect(out / DB_NAME)
    assert conn.execute("select motto, kind from actors where id = 'AAA'").fetchone() == ("Alpha first", "state")
    assert conn.execute("select tags from positions where id = 'bbb-all-2024-05-01'").fetchone() == ('["test", "tag"]',)
    assert pl.read_parquet(out / "parquet" / "actors.parquet").filter(pl.col("id") == "UKR")["kind"].item() == "state"


def test_a_rule_for_another_recipient_does_not_end_the_rule_for_ukraine(tmp_path):
    data = tmp_path / "data"

    shutil.copytree(MINIMAL, data)

    def add_rule_for_betaland(doc):
        rule = copy.deepcopy(next(p for p in doc["positions"] if p["id"] == "aaa-all-2024-05-30"))
        doc["positions"].append(
            {**copy.deepcopy(rule), "id": "aaa-all-bbb-1", "recipient_id": "BBB", "valid_from": "2024-06-05"}
            | {"stance": "not_permitted", "conditions": []}
        )
        doc["positions"].append({**rule, "id": "aaa-all-bbb-2", "recipient_id": "BBB", "valid_from": "2024-06-10"})

    edit_yaml(data / "positions" / "aaa.yaml", add_rule_for_betaland)
    build(data, tmp_path / "out")
    db = tmp_path / "out" / DB_NAME
    conn = sqlite3.connect(db)
    valid_to = dict(conn.execute("select id, valid_to from positions where actor_id = 'AAA' and weapons = 'all'"))
    assert valid_to["aaa-all-2024-05-30"] is None, "the rule for another recipient ended the rule for UKR"
    assert valid_to["aaa-all-bbb-1"] == "2024-06-09"
    ukraine = wup.as_of("2024-08-01", actor="AAA", db=db)
    assert ukraine.filter(pl.col("weapons") == "all")["position_id"].to_list() == ["aaa-all-2024-05-30"]
    betaland = wup.as_of("2024-06-07", actor="AAA", recipient="BBB", db=db)
    assert betaland["position_id"].to_list() == ["aaa-all-bbb-1"]
    neighbours = dict(conn.execute("select id, previous_position_id from position_details where actor_id = 'AAA'"))
    assert neighbours["aaa-all-bbb-2"] == "aaa-all-bbb-1"
    assert neighbours["aaa-all-bbb-1"] is None


def test_same_day_is_allowed_for_two_recipients_only(tmp_path):
    data = tmp_path / "data"

    shutil.copytree(MINIMAL, data)

    def same_day(recipient):
        def edit(doc):
            rule = copy.deepcopy(next(p for p in doc["positions"] if p["id"] == "aaa-all-2024-05-30"))
            doc["positions"].append({**rule, "id": f"aaa-all-{recipient.lower()}", "recipient_id": recipient})

        return edit

    edit_yaml(data / "positions" / "aaa.yaml", same_day("BBB"))
    assert "aaa-all-bbb" in {p.id for p in validate_data(data).positions}
    edit_yaml(data / "positions" / "aaa.yaml", same_day("UKR"))
    with pytest.raises(DataInvalid) as error:
        validate_data(data)
    assert [(p.record_id, p.field) for p in error.value.problems] == [("aaa-all-ukr", "valid_from")]


def test_generated_files_are_current(real_db):
    for path, text in expected_files(ROOT, real_db).items():
        assert (ROOT / path).read_text() == text, f"{path} is stale: run scripts/generate and commit the result"


def test_every_vocabulary_value_has_a_meaning():
    for enum, meanings in VOCABULARY_MEANINGS.items():
        assert list(meanings) == [member.value for member in enum], enum.__name__
        assert all(meaning.strip() for meaning in meanings.values()), enum.__name__
    assert set(STANCE_MEANINGS) == set(Statement)
    assert set(STATEMENTS_BY_ROLE) == set(Role)
    assert {kind for kinds in STATEMENTS_BY_ROLE.values() for kind in kinds} == set(Statement)
    for statement, stances in STANCE_MEANINGS.items():
        assert all(meaning.strip() for meaning in stances.values()), statement


def test_every_vocabulary_value_has_an_example():
    dataset, problems = load_records(ROOT / "data")
    assert not problems
    examples = vocabulary_examples(dataset)
    missing = sorted(key for key, text in examples.items() if not text)
    assert missing == [], "values with neither a record nor an illustration in codebook.ILLUSTRATIONS"
    assert len(examples) == sum(len(m) for m in VOCABULARY_MEANINGS.values()) + sum(
        len(m) for m in STANCE_MEANINGS.values()
    )


CODEBOOK_SECTIONS = [
    "Unit of observation",
    "Who counts as an actor",
    "What counts as a stated position",
    "Statement kinds and what `stance` means for each",
    "Conditions",
    "Scope: general and system positions",
    "Dates",
    "Official and reported",
    "Conflicting sources and contradicting officials",
    "Quotes, excerpts and translations",
    "Sources: how they are found and checked",
    "Out of scope",
    "Vocabularies (generated)",
]


def test_codebook_has_every_section_and_cites_real_records():
    import re

    text = (ROOT / "docs" / "codebook.md").read_text()
    headings = re.findall(r"^## \d+\. (.+)$", text, re.M)
    assert [h for h in CODEBOOK_SECTIONS if h not in headings] == []
    dataset, _ = load_records(ROOT / "data")
    ids = {r.id for kind in dataset.records.values() for r in kind}
    cited = set(re.findall(r"`([a-z]{2,4}-[a-z0-9-]+-\d{4}-\d{2}-\d{2})`", text))
    assert cited and cited <= ids, sorted(cited - ids)
    for statement in Statement:
        assert f"**`{statement.value}`**" in text, statement


def test_public_names_are_never_shadowed_by_modules():
    package = Path(wup.__file__).parent
    modules = {p.stem for p in package.glob("*.py")}
    assert not modules & set(api.__all__), "a submodule named like an API function replaces it once imported"
    assert set(api.__all__) <= set(dir(wup))


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_has_a_reader(built, name):
    frame = getattr(wup, name)()
    assert frame.columns == list(TABLES[name].column_names)
    assert wup.table(name).equals(frame)


def test_unknown_table_names_the_tables():
    with pytest.raises(ValueError, match="the tables are: actors, weapon_systems"):
        wup.table("nonexistent")
