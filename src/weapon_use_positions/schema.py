"""JSON Schema files generated from the models, for editors and other tools (committed in schema/)."""

from __future__ import annotations

from pydantic import BaseModel, create_model

from .models import RECORD_TYPES


def data_file_model() -> type[BaseModel]:
    """A model of one data file: a mapping of record types to lists of records."""
    fields = {kind: (list[model] | None, None) for kind, model in RECORD_TYPES.items()}
    model = create_model("DataFile", **fields)
    model.model_config["extra"] = "forbid"
    return model


def json_schemas() -> dict[str, dict]:
    """File name -> JSON Schema, for each record type and for a whole data file."""
    schemas = {f"{kind}.schema.json": model.model_json_schema() for kind, model in RECORD_TYPES.items()}
    schemas["data-file.schema.json"] = data_file_model().model_json_schema()
    return schemas
