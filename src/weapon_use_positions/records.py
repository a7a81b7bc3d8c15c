"""Validated records as named tuples, and their canonical JSON form (what releases and diffs compare).

A named tuple per record type, with the model's fields in order, takes a fraction of a
model's memory; nested records (lists of models) become tuples of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from typing import get_args, get_origin

from pydantic import BaseModel

from . import models


def nested_model(annotation) -> type[BaseModel] | None:
    """The model of a field that holds a list of nested records, else None."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def nested_fields(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Field name -> model, for each field of `model` that holds a list of nested records."""
    found = {}
    for name, info in model.model_fields.items():
        item = nested_model(info.annotation)
        if item is not None:
            found[name] = item
    return found


def all_models() -> list[type[BaseModel]]:
    """Every record type and every model nested in one, each once."""
    seen: list[type[BaseModel]] = []
    pending = list(models.RECORD_TYPES.values())
    while pending:
        model = pending.pop(0)
        if model not in seen:
            seen.append(model)
            pending += nested_fields(model).values()
    return seen


def defaults(model: type[BaseModel]) -> dict:
    """Field -> default value, for the fields of a model that have one."""
    found = {}
    for name, info in model.model_fields.items():
        if info.default_factory is not None:
            found[name] = info.default_factory()
        elif not info.is_required():
            found[name] = info.default
    return found


MODELS = all_models()
ROWS = {model: namedtuple(f"{model.__name__}Row", list(model.model_fields)) for model in MODELS}
NESTED = {model: nested_fields(model) for model in MODELS}
DEFAULTS = {model: defaults(model) for model in MODELS}


def to_row(record: BaseModel):
    """A validated model as its named tuple (lists of nested models become tuples of rows)."""
    values = record.__dict__
    nested = NESTED[type(record)]
    if nested:
        values = dict(values)
        for name in nested:
            values[name] = tuple(to_row(item) for item in values[name])
    return ROWS[type(record)](**values)


def canonical_row(row, model: type[BaseModel]) -> dict:
    """A record (named tuple) as plain JSON-ready data, without empty or default values.

    Leaving defaults out means a new optional field does not mark every record as changed.
    """
    data = {}
    nested = NESTED[model]
    for name, value in zip(row._fields, row):
        if value is None:
            continue
        if name in nested:
            value = [canonical_row(item, nested[name]) for item in value]
        elif isinstance(value, dt.date):
            value = value.isoformat()
        if name in DEFAULTS[model] and value == DEFAULTS[model][name]:
            continue
        data[name] = value
    return data
