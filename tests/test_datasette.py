"""The real Datasette, with datasette.yaml and the generated metadata, serving the built database."""

import json

import pytest
import yaml
from datasette.app import Datasette

import weapon_use_positions as wup
from weapon_use_positions.paths import DATABASE, DB_NAME
from weapon_use_positions.queries import AS_OF_SQL
from weapon_use_positions.site_metadata import descriptions

from .conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "datasette.yaml").read_text())


@pytest.fixture
def ds(built):
    metadata = json.loads((built / "metadata.json").read_text())
    return Datasette(immutables=[str(built / DB_NAME)], config=CONFIG, metadata=metadata)


async def test_table_pages_and_json(ds):
    for table in ("positions", "actors", "sources", "weapon_systems", "current_positions", "position_timeline"):
        response = await ds.client.get(f"/{DATABASE}/{table}")
        assert response.status_code == 200, table
    response = await ds.client.get(f"/{DATABASE}/positions.json?_shape=array&actor_id=DEU&_sort=valid_from")
    rows = response.json()
    assert rows and all(row["actor_id"] == "DEU" for row in rows)
    assert [r["valid_from"] for r in rows] == sorted(r["valid_from"] for r in rows)


async def test_facets_configured(ds):
    response = await ds.client.get(f"/{DATABASE}/positions.json?_extra=facet_results")
    facets = response.json()["facet_results"]["results"]
    assert {"actor_id", "stance", "weapons", "role", "status"} <= set(facets)


def word_only_in_conditions():
    """A word of some position's conditions that its summary and quote do not contain (from the data)."""
    conditions = wup.conditions()
    positions = {r["id"]: r for r in wup.positions().iter_rows(named=True)}
    for row in conditions.iter_rows(named=True):
        p = positions[row["position_id"]]
        elsewhere = (p["summary"] + " " + (p["quote"] or "")).lower()
        for word in row["text"].split():
            word = word.strip(".,;:()'\"").lower()
            if len(word) > 6 and word.isalpha() and word not in elsewhere:
                return word, p["id"]
    raise AssertionError("no condition has a word of its own")


async def test_search(ds):
    response = await ds.client.get(f"/{DATABASE}/positions.json?_search=Kharkiv&_shape=array")
    assert response.status_code == 200
    rows = response.json()
    # full-text search covers summaries, quotes, translations, conditions, notes and speakers
    fields = ("summary", "quote", "quote_translation", "conditions", "note", "stated_by", "stated_by_role")
    assert rows and all("kharkiv" in " ".join(str(r[f] or "") for f in fields).lower() for r in rows)
    word, position_id = word_only_in_conditions()
    response = await ds.client.get(f"/{DATABASE}/positions.json?_search={word}&_shape=array")
    assert position_id in {r["id"] for r in response.json()}


async def test_stored_query(ds):
    response = await ds.client.get(f"/{DATABASE}/effective_stance.json?date=2024-06-15&weapon=atacms&_shape=array")
    assert response.status_code == 200
    rows = response.json()
    assert rows and {"actor_id", "weapons", "stance"} <= set(rows[0])
    assert len({r["actor_id"] for r in rows}) == len(rows)


def test_stored_query_is_the_api_sql():
    sql = CONFIG["databases"][DATABASE]["queries"]["effective_stance"]["sql"]
    assert " ".join(sql.split()) == " ".join(AS_OF_SQL.split())


async def test_every_table_and_column_described(ds):
    response = await ds.client.get(f"/{DATABASE}.json")
    assert response.status_code == 200
    db = await ds.client.get(f"/{DATABASE}.json?_extra=metadata")
    for name in descriptions():
        page = await ds.client.get(f"/{DATABASE}/{name}.json?_extra=metadata&_extra=columns&_size=0")
        assert page.status_code == 200, name
        data = page.json()
        described = data["metadata"].get("columns", {})
        assert data["metadata"].get("description"), f"{name} has no description"
        missing = [c for c in data["columns"] if not described.get(c)]
        assert not missing, f"{name}: columns without a description: {missing}"
    assert db.status_code == 200


async def test_site_words(ds):
    response = await ds.client.get("/")
    assert response.status_code == 200
    assert "Weapon-use positions" in response.text
    assert "CC BY 4.0" in response.text


async def test_writes_refused(ds):
    response = await ds.client.get(f"/{DATABASE}/-/query.json?sql=delete+from+positions")
    assert response.status_code == 400
