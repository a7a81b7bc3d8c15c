"""Serve a built dataset with Datasette: immutable database, inspect file, config and metadata."""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

from .paths import (
    DB_NAME,
    METADATA_FILE,
    PLUGINS,
    SERVE_EXTRA,
    STATIC,
    TEMPLATES,
    dataset_candidates,
    datasette_config,
    find_dataset,
)


class ServeError(Exception):
    """The site cannot be served (no build, or Datasette is not installed)."""


def site_files(dataset: Path | None = None) -> tuple[Path, Path]:
    """The built dataset folder and the datasette.yaml that goes with it."""
    if importlib.util.find_spec("datasette") is None:
        raise ServeError(f"Datasette is not installed: pip install '{SERVE_EXTRA}'")
    folder = dataset if dataset is not None else find_dataset()
    if folder is None or not (folder / DB_NAME).is_file():
        looked = str(folder) if folder is not None else " or ".join(str(p) for p in dataset_candidates())
        raise ServeError(f"no built database in {looked}: run `weapon-use-positions build` first")
    return folder.resolve(), datasette_config()


def datasette_arguments(dataset: Path | None, host: str, port: int) -> list[str]:
    """Arguments for `datasette serve`, after writing a fresh inspect file for the database."""
    folder, config = site_files(dataset)
    from datasette.cli import cli as datasette_cli

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
        str(folder / METADATA_FILE),
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
