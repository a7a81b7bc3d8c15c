"""The codebook (docs/codebook.md): every field, rule and vocabulary, written from the models and the checks."""

from __future__ import annotations

from .catalogue import TABLES
from .checks import rule_descriptions
from .models import RECORD_TYPES, VOCABULARY_MEANINGS
from .records import NESTED


def field_rows(model) -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        required = "yes" if info.is_required() else "no"
        rows.append(f"| `{name}` | {required} | {info.description} |")
    return rows


def codebook_markdown() -> str:
    """The codebook as Markdown."""
    out = [
        "# Codebook",
        "",
        "Generated from the models and the checks (`scripts/generate`); a test fails when it is stale.",
        "Every data file under `data/` is a mapping whose keys are record types and whose values are",
        "lists of records. Unknown keys are errors.",
        "",
    ]
    for kind, model in RECORD_TYPES.items():
        out += [f"## `{kind}`", "", TABLES[kind].description, "", "| field | required | meaning |", "|---|---|---|"]
        out += field_rows(model)
        out.append("")
        for name, item in NESTED[model].items():
            out += [
                f"### Fields of an item of `{kind}.{name}[]`",
                "",
                "| field | required | meaning |",
                "|---|---|---|",
            ]
            out += field_rows(item)
            out.append("")
    out += ["## Rules beyond each field's type", "", "`validate` reports every record that breaks one of these:", ""]
    out += [f"- {rule}" for rule in rule_descriptions()]
    out += ["", "## Columns the build adds", "", "| table | column | meaning |", "|---|---|---|"]
    for name, table in TABLES.items():
        out += [
            f"| `{name}` | `{c.name}` | {c.description} |" for c in table.columns if c.field is None or table.parent
        ]
    out += ["", "## Vocabularies", ""]
    for enum, meanings in VOCABULARY_MEANINGS.items():
        out += [f"### {enum.__name__}", "", (enum.__doc__ or "").strip(), "", "| value | meaning |", "|---|---|"]
        out += [f"| `{value}` | {meaning} |" for value, meaning in meanings.items()]
        out.append("")
    return "\n".join(out)
