"""A self-contained folder that `datasette publish` deploys: the site as `serve` runs it, with no checkout.

The folder holds the built dataset (the database and every download), datasette.yaml, the
metadata, the templates, the plugins and the static files, and the command that deploys it. The
plugins import this package, so the deployment installs it (`--install`).
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from .paths import DB_NAME, MANIFEST_FILE, METADATA_FILE, PLUGINS, SERVE_EXTRA, STATIC, TEMPLATES, datasette_config
from .serve import site_files
from .version import __version__

COMMAND_FILE = "PUBLISH.txt"


def publish_arguments() -> list[str]:
    """The Datasette options that serve the folder's files (relative to the folder)."""
    return [
        DB_NAME,
        "-c",
        "datasette.yaml",
        "-m",
        METADATA_FILE,
        "--template-dir",
        "templates",
        "--plugins-dir",
        "plugins",
        "--static",
        "assets:static",
        "--static",
        "downloads:downloads",
    ]


def publish_command(folder: Path) -> str:
    """`datasette publish cloudrun` for the folder, installing this package at this version."""
    args = ["datasette", "publish", "cloudrun", *publish_arguments(), "--install", f"{SERVE_EXTRA}=={__version__}"]
    command = (
        f"cd {shlex.quote(str(folder))} && "
        + " ".join(shlex.quote(a) for a in args)
        + " --service weapon-use-positions"
    )
    # Absolute links (the feed, JSON next_url) use the configured public address, never a request's Host.
    secret = "--plugin-secret weapon-use-positions site_url https://ITS-PUBLIC-ADDRESS"
    return f"{command}\n# Once the service has its public address, deploy again with: {command} {secret}"


def write_publish_folder(out: Path, dataset: Path | None = None) -> Path:
    """Write the folder (replacing an older one at `out`); return it."""
    folder, _ = site_files(dataset)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy2(folder / DB_NAME, out / DB_NAME)
    shutil.copy2(folder / METADATA_FILE, out / METADATA_FILE)
    shutil.copy2(folder / MANIFEST_FILE, out / MANIFEST_FILE)  # the site describes the files by their hashes
    shutil.copy2(datasette_config(), out / "datasette.yaml")
    shutil.copytree(folder, out / "downloads", ignore=shutil.ignore_patterns("*.tmp"))
    shutil.copytree(TEMPLATES, out / "templates")
    shutil.copytree(PLUGINS, out / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(STATIC, out / "static")
    (out / COMMAND_FILE).write_text(publish_command(out) + "\n")
    return out
