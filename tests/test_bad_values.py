"""The value cases (dates, numbers, URLs) give exactly their reports; every field of their kind follows one rule."""

import datetime as dt
import math

import pytest
from pydantic import TypeAdapter, ValidationError

from weapon_use_positions.catalogue import plain_type
from weapon_use_positions.models import Date, HttpUrl, Kilometres
from weapon_use_positions.records import MODELS

from .bad_inputs.cases_values import CASES_VALUES
from .test_bad_inputs import reports


def test_value_cases_are_named_once():
    names = [name for name, _, _ in CASES_VALUES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name,edit,expected", CASES_VALUES, ids=[case[0] for case in CASES_VALUES])
def test_bad_value(tmp_path, name, edit, expected):
    assert reports(tmp_path, edit) == sorted(expected)


def fields_of(kind):
    return [
        (model, name, info)
        for model in MODELS
        for name, info in model.model_fields.items()
        if plain_type(info.annotation) is kind
    ]


def accepts(model, name, value) -> bool:
    """Whether one field of a model, on its own, accepts a value (the field's type and constraints)."""
    info = model.model_fields[name]
    try:
        TypeAdapter(info.rebuild_annotation()).validate_python(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("model,name,info", fields_of(dt.date), ids=lambda x: getattr(x, "__name__", x))
def test_every_date_field_is_a_strict_windowed_date(model, name, info):
    for bad in (0, 1732060800, "1732060800", 1.5, True, "0001-01-01", "9999-12-01", "2024-06-01T00:00:00"):
        assert not accepts(model, name, bad), (model.__name__, name, bad)
    assert accepts(model, name, "2024-06-01")


@pytest.mark.parametrize("model,name,info", fields_of(float) + fields_of(int), ids=lambda x: getattr(x, "__name__", x))
def test_every_number_field_is_strict_and_finite(model, name, info):
    for bad in (math.inf, -math.inf, math.nan, True, "300", 1e308):
        assert not accepts(model, name, bad), (model.__name__, name, bad)


@pytest.mark.parametrize("model,name,info", fields_of(str), ids=lambda x: getattr(x, "__name__", x))
def test_every_url_field_is_an_http_url(model, name, info):
    if "url" not in name:
        return
    assert not accepts(model, name, "https://gov.au@evil.example.com/"), (model.__name__, name)
    assert not accepts(model, name, "http://localhost/"), (model.__name__, name)


def test_the_json_schema_states_the_rules():
    assert TypeAdapter(Date).json_schema()["pattern"] == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    assert TypeAdapter(Kilometres).json_schema() == {"type": "number", "exclusiveMinimum": 0, "maximum": 20_000}
    assert TypeAdapter(HttpUrl).json_schema()["maxLength"] == 2_000
