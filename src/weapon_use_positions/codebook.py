"""The codebook (docs/codebook.md): written coding rules, with every field, rule and vocabulary
generated from the models and the checks, and every vocabulary value shown with real records.

The written parts live in docs/codebook.md itself; the generated parts sit between
`<!-- generated: NAME -->` and `<!-- end generated -->` and are refreshed by `scripts/generate`.
"""

from __future__ import annotations

from enum import Enum

from .catalogue import TABLES, plain_type
from .checks import rule_descriptions
from .models import (
    RECORD_TYPES,
    STANCE_MEANINGS,
    STATEMENTS_BY_ROLE,
    VOCABULARY_MEANINGS,
    Statement,
)
from .records import NESTED

#: How many real records each vocabulary value shows as examples.
EXAMPLES_PER_VALUE = 2

#: For a value no record uses yet: an invented illustration, marked as such in the codebook.
ILLUSTRATIONS: dict[tuple[str, str], str] = {
    ("Decision", "supply"): "Illustration: a government announces that it will send a long-range missile; that is "
    "`supply` with decision `supply`, and any rule on its use is a separate `rule`.",
    ("stance of a rule", "no_public_position"): "Illustration: asked whether its missiles may be fired into Russia, "
    "a ministry answers that it does not comment on the terms of its deliveries.",
    ("stance of a pledge", "unclear"): "Illustration: the recipient promises to use the weapons 'responsibly' "
    "without saying where.",
    ("stance of a request", "limited"): "Illustration: the recipient asks to be allowed to strike the launchers "
    "across the border that shell one of its cities, and nothing more.",
    ("stance of a warning", "unclear"): "Illustration: the adversary promises 'consequences' without saying for "
    "which use of the weapons.",
}


def field_rows(model) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        required = "yes" if info.is_required() else "no"
        rows.append(f"| `{name}` | {required} | {info.description} |")
    return rows


def fields_block() -> str:
    out = []
    for kind, model in RECORD_TYPES.items():
        out += [f"### `{kind}`", "", TABLES[kind].description, "", "| field | required | meaning |", "|---|---|---|"]
        out += field_rows(model)
        out.append("")
        for name, item in NESTED[model].items():
            out += [f"#### An item of `{kind}.{name}[]`", "", "| field | required | meaning |", "|---|---|---|"]
            out += field_rows(item)
            out.append("")
    return "\n".join(out)


def derived_block() -> str:
    out = ["| table | column | meaning |", "|---|---|---|"]
    for name, table in TABLES.items():
        out += [
            f"| `{name}` | `{c.name}` | {c.description} |" for c in table.columns if c.field is None or table.parent
        ]
    return "\n".join(out) + "\n"


def enum_places() -> dict[type[Enum], list[tuple[str, str | None, str]]]:
    """Enum -> (record type, nested list field or None, field) for every field that holds it."""
    places: dict[type[Enum], list] = {}
    for kind, model in RECORD_TYPES.items():
        for owner, list_field in ((model, None), *((item, name) for name, item in NESTED[model].items())):
            for name, info in owner.model_fields.items():
                kind_type = plain_type(info.annotation)
                if isinstance(kind_type, type) and issubclass(kind_type, Enum):
                    places.setdefault(kind_type, []).append((kind, list_field, name))
    return places


def ordered(records: list) -> list:
    return sorted(records, key=lambda r: (str(getattr(r, "valid_from", "")), r.id))


def records_with(dataset, enum: type[Enum], value: str) -> list[str]:
    """Ids of the records (or of the records whose items) hold `value` of `enum`, oldest first."""
    found = []
    for kind, list_field, name in enum_places().get(enum, []):
        for record in ordered(dataset.records[kind]):
            items = getattr(record, list_field) if list_field else [record]
            if any(getattr(item, name) == value for item in items) and record.id not in found:
                found.append(record.id)
    return found


def example_text(ids: list[str], key: tuple[str, str]) -> str:
    if ids:
        return ", ".join(f"`{i}`" for i in ids[:EXAMPLES_PER_VALUE])
    return f"(no record yet) {ILLUSTRATIONS[key]}" if key in ILLUSTRATIONS else ""


def vocabulary_examples(dataset) -> dict[tuple[str, str], str]:
    """(vocabulary, value) -> its examples; every vocabulary value, including stance per statement kind."""
    examples = {}
    for enum, meanings in VOCABULARY_MEANINGS.items():
        for value in meanings:
            key = (enum.__name__, value)
            examples[key] = example_text(records_with(dataset, enum, value), key)
    for statement, stances in STANCE_MEANINGS.items():
        for stance in stances:
            key = (f"stance of a {statement.value}", stance.value)
            ids = [p.id for p in ordered(dataset.positions) if p.statement == statement and p.stance == stance]
            examples[key] = example_text(ids, key)
    return examples


def statements_block(dataset) -> str:
    examples = vocabulary_examples(dataset)
    out = ["| role | statement kinds it can make |", "|---|---|"]
    out += [
        f"| `{role.value}` | {', '.join(f'`{k.value}`' for k in kinds)} |" for role, kinds in STATEMENTS_BY_ROLE.items()
    ]
    out.append("")
    for statement in Statement:
        out += [f"#### `{statement.value}`", "", VOCABULARY_MEANINGS[Statement][statement.value], ""]
        stances = STANCE_MEANINGS[statement]
        if not stances:
            out += ["No `stance`: the `decision` says what was decided (see the Decision vocabulary).", ""]
            continue
        out += ["| stance | meaning for this kind | examples |", "|---|---|---|"]
        key = f"stance of a {statement.value}"
        out += [f"| `{s.value}` | {meaning} | {examples[(key, s.value)]} |" for s, meaning in stances.items()]
        out.append("")
    return "\n".join(out)


def vocabularies_block(dataset) -> str:
    examples = vocabulary_examples(dataset)
    out = []
    for enum, meanings in VOCABULARY_MEANINGS.items():
        out += [f"### {enum.__name__}", "", (enum.__doc__ or "").strip(), "", "| value | meaning | examples |"]
        out.append("|---|---|---|")
        out += [
            f"| `{value}` | {meaning} | {examples[(enum.__name__, value)]} |" for value, meaning in meanings.items()
        ]
        out.append("")
    return "\n".join(out)


def codebook_blocks(dataset) -> dict[str, str]:
    """The codebook's generated blocks, by name."""
    return {
        "codebook-statements": statements_block(dataset),
        "codebook-fields": fields_block(),
        "codebook-rules": "\n".join(f"- {rule}" for rule in rule_descriptions()) + "\n",
        "codebook-derived": derived_block(),
        "codebook-vocabularies": vocabularies_block(dataset),
    }
