"""The committed files written from the code: schema/, datasette.yaml, docs/coverage.md, and the
generated blocks of README.md and docs/codebook.md.

`scripts/generate` writes them; `expected_files` is what a test compares with the committed
ones, so a stale file fails the tests. A generated block sits between
`<!-- generated: NAME -->` and `<!-- end generated -->`; the text around it is written by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .catalogue import TABLES
from .checks import rule_descriptions
from .codebook import codebook_blocks
from .coverage_log import coverage_markdown
from .datasette_config import datasette_yaml
from .paths import CONFIG_FILE, DB_NAME
from .queries import VIEWS
from .schema import json_schemas

BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.S)


def readme_blocks(dataset, data_dir: Path, db: Path) -> dict[str, str]:
    """The README's generated blocks: the rules, the tables, and example output of the commands."""
    from .api import as_of
    from .cli import as_of_lines
    from .diff import compare, format_diff

    valid = "valid: " + ", ".join(f"{n} {kind}" for kind, n in dataset.counts().items())
    frame = as_of("2024-06-15", weapon="atacms", db=db)
    lines = as_of_lines(frame)
    older, newer = (snapshot.version for snapshot in dataset.snapshots[-2:])
    diff = format_diff(older, newer, compare(older, newer, repository=data_dir.parent)).splitlines()
    summary = [line for line in diff if not line.startswith(" ")]
    examples = [
        "```",
        "$ weapon-use-positions validate",
        valid,
        "",
        "$ weapon-use-positions as-of 2024-06-15 --weapon atacms",
        *lines[:3],
        f"... ({len(lines)} lines)",
        "",
        f"$ weapon-use-positions diff {older} {newer}",
        *summary,
        "```",
    ]
    tables = [f"- `{name}`: {table.description}" for name, table in TABLES.items()]
    tables += [f"- `{name}` (view): {view.description}" for name, view in VIEWS.items()]
    return {
        "rules": "\n".join(f"- {rule}" for rule in rule_descriptions()) + "\n",
        "tables": "\n".join(tables) + "\n",
        "examples": "\n".join(examples) + "\n",
    }


def fill_blocks(text: str, blocks: dict[str, str]) -> str:
    def fill(match):
        return match.group(1) + blocks[match.group("name")] + match.group(4)

    return BLOCK.sub(fill, text)


def expected_files(root: Path, db: Path) -> dict[Path, str]:
    """Path (relative to the repository) -> the text it must hold."""
    files = {
        Path("schema") / name: json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for name, schema in json_schemas().items()
    }
    from .checks import validate_data

    dataset = validate_data(root / "data")
    files[Path(CONFIG_FILE)] = datasette_yaml()
    files[Path("docs") / "coverage.md"] = coverage_markdown(dataset)
    codebook = Path("docs") / "codebook.md"
    files[codebook] = fill_blocks((root / codebook).read_text(), codebook_blocks(dataset))
    readme = root / "README.md"
    files[Path("README.md")] = fill_blocks(readme.read_text(), readme_blocks(dataset, root / "data", db))
    return files


def write_generated(root: Path) -> list[Path]:
    """Write every generated file under root (the repository); return the paths written."""
    db = root / "build" / "dataset" / DB_NAME
    written = []
    for path, text in expected_files(root, db).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        written.append(path)
    return written
