"""Serve the built dataset with Datasette: immutable database, inspect file, config and metadata."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .api import DB_NAME, PACKAGE_DIR, REPOSITORY_BUILD, SHIPPED

REPOSITORY_CONFIG = PACKAGE_DIR.parent.parent / "datasette.yaml"
SITE = PACKAGE_DIR / "site"
TEMPLATES = SITE / "templates"
STATIC = SITE / "static"
PLUGINS = SITE / "plugins"


def site_files(dataset: Path | None = None) -> tuple[Path, Path]:
    """The built dataset folder and the datasette.yaml that goes with it (checkout first, then wheel)."""
    if dataset is None:
        dataset = REPOSITORY_BUILD if (REPOSITORY_BUILD / DB_NAME).is_file() else SHIPPED
    config = REPOSITORY_CONFIG if REPOSITORY_CONFIG.is_file() else SHIPPED / "datasette.yaml"
    if not (dataset / DB_NAME).is_file():
        raise SystemExit(f"no built database in {dataset}: run `weapon-use-positions build` first")
    return dataset.resolve(), config


def datasette_arguments(dataset: Path | None, host: str, port: int) -> list[str]:
    """Arguments for `datasette serve`, after writing a fresh inspect file for the database."""
    from datasette.cli import cli as datasette_cli

    folder, config = site_files(dataset)
    database = folder / DB_NAME
    inspect_file = Path(tempfile.mkdtemp(prefix="wup-serve-")) / "inspect.json"
    datasette_cli.main(["inspect", str(database), "--inspect-file", str(inspect_file)], standalone_mode=False)
    return [
        "serve",
        "-i",
        str(database),
        "--inspect-file",
        str(inspect_file),
        "-c",
        str(config),
        "-m",
        str(folder / "metadata.json"),
        "--template-dir",
        str(TEMPLATES),
        "--plugins-dir",
        str(PLUGINS),
        "--static",
        f"assets:{STATIC}",
        "--static",
        f"downloads:{folder}",
        "--host",
        host,
        "--port",
        str(port),
    ]


def run_datasette(arguments: list[str]) -> None:
    """Run Datasette in this process until it is stopped."""
    from datasette.cli import cli as datasette_cli

    datasette_cli.main(arguments, prog_name="datasette")
