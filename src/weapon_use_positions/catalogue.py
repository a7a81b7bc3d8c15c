"""Every published table, derived from the models: columns with their types and meanings, keys, indexes.

SQLite, Parquet, CSV, `datapackage.json`, Datasette's metadata and the codebook are all
written from `TABLES`, so a field added to a model reaches every output with no other edit.

- A record type is a table; its fields are its columns, in order. A list of nested records
  is a JSON column and a child table (`conditions`, `position_sources`), one row per item.
- `References` on a field is a foreign key (unless the field has reserved values, like 'all').
- The build adds derived columns (`valid_to`, record time) and derived tables (`scopes`,
  `releases`, `changes`), declared here with their meanings.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel

from .models import RECORD_TYPES, SCOPE, VERSIONED_TYPES, References
from .records import NESTED


@dataclass(frozen=True)
class Column:
    """One column: its name, Python type (str, int, float, bool or date), meaning and vocabulary."""

    name: str
    type: type
    description: str
    enum: tuple[str, ...] = ()
    #: A list, stored as JSON text.
    json: bool = False
    #: The model field the column holds (None for a column the build derives).
    field: str | None = None
    #: Every row has a value (the field's type does not allow None).
    required: bool = False


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    other: str = "id"


@dataclass(frozen=True)
class Table:
    """A published table: columns in order, keys, indexes and what one row is."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    #: The record type whose records fill the table, or the nested model of a child table.
    model: type[BaseModel] | None = None
    #: For a child table: the record type and the field whose items are its rows.
    parent: tuple[str, str] | None = None
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))


def snake(model: type) -> str:
    """WeaponSystem -> weapon_system."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def noun(model: type) -> str:
    """WeaponSystem -> weapon system."""
    return snake(model).replace("_", " ")


def plain_type(annotation):
    """The annotation without None and Annotated: `Annotated[str, ...] | None` -> str."""
    if get_origin(annotation) in (Union, types.UnionType):
        (annotation,) = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def reference(info) -> References | None:
    """The References marker of a field, if it has one."""
    for marker in info.metadata:
        if isinstance(marker, References):
            return marker
    for arg in get_args(info.annotation):
        for marker in getattr(arg, "__metadata__", ()):
            if isinstance(marker, References):
                return marker
    return None


def allows_none(annotation) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def field_column(name: str, info) -> Column:
    """The column of a model field."""
    kind = plain_type(info.annotation)
    required = not allows_none(info.annotation)
    if get_origin(kind) is list:
        return Column(name, str, info.description, json=True, field=name, required=required)
    if isinstance(kind, type) and issubclass(kind, Enum):
        values = tuple(member.value for member in kind)
        return Column(name, str, info.description, enum=values, field=name, required=required)
    if kind not in (str, int, float, bool, dt.date):
        raise TypeError(f"field {name!r}: no column type for {kind!r}")
    return Column(name, kind, info.description, field=name, required=required)


def reference_fields(model: type[BaseModel]) -> list[str]:
    """The fields of a model that name a record of another table."""
    return [name for name, info in model.model_fields.items() if reference(info) is not None]


def model_foreign_keys(model: type[BaseModel], renamed: dict[str, str] | None = None) -> list[ForeignKey]:
    """A foreign key for each field that references a table (not for fields with reserved values)."""
    keys = []
    for name, info in model.model_fields.items():
        marker = reference(info)
        if marker is not None and not marker.reserved and get_origin(plain_type(info.annotation)) is not list:
            keys.append(ForeignKey((renamed or {}).get(name, name), marker.table))
    return keys


#: Columns the build adds to a record table: (the field it follows, the column).
DERIVED_COLUMNS = {
    "positions": [
        (
            "valid_from",
            Column(
                "valid_to",
                dt.date,
                "Last day the position was in force: the day before the next position of the same scope "
                "(actor, recipient, statement kind, weapons) or a later general position that reaches its system "
                "(see ended_by); empty while in force.",
            ),
        ),
        (
            "valid_from",
            Column(
                "ended_by",
                str,
                "The position that ended it: the next of its scope, or a later general position of the same actor "
                "and kind that reaches its system (positions.id); empty while in force.",
            ),
        ),
        (
            "confirmations",
            Column(
                "last_confirmed",
                dt.date,
                "Latest day the position is known to have been stated: its valid_from or its latest confirmation.",
            ),
        ),
    ],
}
RECORD_TIME = (
    Column("added_in", str, "Dataset version that first published the record ('unreleased' if not yet released)."),
    Column(
        "updated_in",
        str,
        "Dataset version that last changed the record ('unreleased' if changed since the last release).",
    ),
)
JSON_COLUMN_MEANINGS = {
    True: "Ids of the {items} as a JSON list (also in the {table} table).",
    False: "{description} A JSON list (also in the {table} table).",
}
INDEXES = {
    "positions": ((*SCOPE, "valid_from"), ("weapons", "valid_from"), ("valid_from",), ("stance",)),
    "position_sources": (("source_id",),),
    "conditions": (("kind",),),
    "sources": (("publisher",),),
    "changes": (("record_id",),),
}


def lists_ids(item: type[BaseModel]) -> bool:
    """Whether a nested item is a reference by id (a citation): its list's JSON column holds only the ids."""
    return "id" in reference_fields(item)


def child_table_name(parent: type[BaseModel], field_name: str, item: type[BaseModel]) -> str:
    """`conditions` for a list of plain nested records; `position_sources` for a list of references."""
    return f"{snake(parent)}_{field_name}" if reference_fields(item) else field_name


def child_table(kind: str, field_name: str, item: type[BaseModel]) -> Table:
    """The child table of a nested list field: parent id, referenced ids, order, then the other fields."""
    parent = RECORD_TYPES[kind]
    parent_key = f"{snake(parent)}_id"
    renamed = {}
    for name, info in item.model_fields.items():
        marker = reference(info)
        if marker is not None:
            renamed[name] = f"{snake(RECORD_TYPES[marker.table])}_id"
    columns = [Column(parent_key, str, f"The {noun(parent)} ({kind}.id).", required=True)]
    for name, info in item.model_fields.items():
        if name in renamed:
            columns.append(Column(renamed[name], str, info.description, field=name, required=True))
    columns.append(Column("seq", int, f"Order of the item within the {noun(parent)}'s {field_name}.", required=True))
    columns += [field_column(name, info) for name, info in item.model_fields.items() if name not in renamed]
    name = child_table_name(parent, field_name, item)
    return Table(
        name=name,
        description=(item.__doc__ or "").strip(),
        columns=tuple(columns),
        primary_key=(parent_key, "seq"),
        foreign_keys=(ForeignKey(parent_key, kind), *model_foreign_keys(item, renamed)),
        indexes=INDEXES.get(name, ()),
        model=item,
        parent=(kind, field_name),
    )


def record_table(kind: str) -> Table:
    model = RECORD_TYPES[kind]
    columns = []
    derived = DERIVED_COLUMNS.get(kind, [])
    for name, info in model.model_fields.items():
        column = field_column(name, info)
        item = NESTED[model].get(name)
        if item is not None:
            meaning = JSON_COLUMN_MEANINGS[lists_ids(item)].format(
                items=noun(item), table=child_table_name(model, name, item), description=info.description
            )
            column = Column(name, str, meaning, json=True, field=name, required=True)
        columns.append(column)
        columns += [derived_column for after, derived_column in derived if after == name]
    if kind in VERSIONED_TYPES:
        columns += RECORD_TIME
    return Table(
        name=kind,
        description=(model.__doc__ or "").strip(),
        columns=tuple(columns),
        primary_key=model.primary_key,
        foreign_keys=tuple(model_foreign_keys(model)),
        indexes=INDEXES.get(kind, ()),
        model=model,
    )


def scopes_table() -> Table:
    position = RECORD_TYPES["positions"]
    scope_columns = [field_column(name, position.model_fields[name]) for name in SCOPE]
    return Table(
        name="scopes",
        description="Each scope (actor, recipient, statement kind, weapons) that has positions, with how many and their span.",
        columns=(
            *scope_columns,
            Column("positions", int, "Number of positions of the scope."),
            Column("first_valid_from", dt.date, "valid_from of the first of them."),
            Column("last_valid_from", dt.date, "valid_from of the latest of them."),
        ),
        primary_key=SCOPE,
        foreign_keys=tuple(key for key in model_foreign_keys(position) if key.column in SCOPE),
    )


def releases_table() -> Table:
    return Table(
        name="releases",
        description="One row per released dataset version.",
        columns=(
            Column("version", str, "Dataset version (semantic versioning)."),
            Column("date", dt.date, "Day the version was released."),
            *(Column(kind, int, f"Number of {kind.replace('_', ' ')} in the version.") for kind in VERSIONED_TYPES),
            Column("sha256", str, "SHA-256 of the version's records in canonical form."),
        ),
        primary_key=("version",),
    )


def changes_table() -> Table:
    return Table(
        name="changes",
        description="Each record added, changed or retired in each release ('unreleased': since the last release).",
        columns=(
            Column("release", str, "The release that made the change, or 'unreleased'."),
            Column("table", str, "Table of the record.", enum=tuple(VERSIONED_TYPES)),
            Column("record_id", str, "Id of the record."),
            Column("change", str, "added, changed or retired.", enum=("added", "changed", "retired")),
            Column("fields", str, "For a change: the fields that changed."),
        ),
        primary_key=("release", "table", "record_id"),
        indexes=INDEXES.get("changes", ()),
    )


def all_tables() -> dict[str, Table]:
    """Every published table, by name, in the order they are built."""
    tables = [record_table(kind) for kind in VERSIONED_TYPES]
    tables.append(scopes_table())
    tables += [
        child_table(kind, name, item) for kind in RECORD_TYPES for name, item in NESTED[RECORD_TYPES[kind]].items()
    ]
    tables += [record_table(kind) for kind in RECORD_TYPES if kind not in VERSIONED_TYPES]
    tables += [releases_table(), changes_table()]
    return {table.name: table for table in tables}


TABLES = all_tables()
