"""The codebook (docs/codebook.md): every field and vocabulary, written from the models."""

from __future__ import annotations

from .models import VOCABULARY_MEANINGS, Condition, RECORD_TYPES, SourceRef
from .site_metadata import DERIVED_COLUMNS, TABLE_DESCRIPTIONS


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
        "Generated from the models (`scripts/generate`); a test fails when it is stale.",
        "Every data file under `data/` is a mapping whose keys are record types and whose values are",
        "lists of records. Unknown keys are errors.",
        "",
    ]
    for kind, model in RECORD_TYPES.items():
        out += [f"## `{kind}`", "", TABLE_DESCRIPTIONS[kind], "", "| field | required | meaning |", "|---|---|---|"]
        out += field_rows(model)
        out.append("")
    for title, model in (
        ("a condition (`positions.conditions[]`)", Condition),
        ("a source reference (`positions.sources[]`)", SourceRef),
    ):
        out += [f"### Fields of {title}", "", "| field | required | meaning |", "|---|---|---|"]
        out += field_rows(model)
        out.append("")
    out += ["## Columns the build adds", "", "| table | column | meaning |", "|---|---|---|"]
    for table, columns in DERIVED_COLUMNS.items():
        out += [f"| `{table}` | `{column}` | {meaning} |" for column, meaning in columns.items()]
    out += ["", "## Vocabularies", ""]
    for enum, meanings in VOCABULARY_MEANINGS.items():
        out += [f"### {enum.__name__}", "", (enum.__doc__ or "").strip(), "", "| value | meaning |", "|---|---|"]
        out += [f"| `{value}` | {meaning} |" for value, meaning in meanings.items()]
        out.append("")
    return "\n".join(out)
