"""Every name and location the package uses, defined once.

Where things are depends on how the package runs:

- **In a checkout** (an editable install, or `src/` on the path): the repository's
  `data/` is the data, `build/dataset` the build, and its `datasette.yaml` the site's config.
- **Installed from a wheel**: the data is `./data` of the current directory, builds go to
  `./build/dataset` of the current directory (never inside the environment), and the
  dataset shipped in the wheel (`weapon_use_positions/_data/`) is what `wup.*` reads.

The built dataset that `wup.*` and `serve` use is, in this order: the folder given
explicitly; in a checkout, the repository's build; the dataset shipped in the wheel.
"""

from __future__ import annotations

from pathlib import Path

#: The distribution and the command.
PACKAGE_NAME = "weapon-use-positions"
#: The database's name in Datasette and in URLs; the file is DATABASE + ".db".
DATABASE = "weapon_use_positions"
DB_NAME = f"{DATABASE}.db"
#: The extra that brings Datasette and its plugins.
SERVE_EXTRA = f"{PACKAGE_NAME}[serve]"

PACKAGE_DIR = Path(__file__).resolve().parent
#: The dataset and site config shipped inside the wheel.
SHIPPED = PACKAGE_DIR / "_data"
SITE = PACKAGE_DIR / "site"
TEMPLATES = SITE / "templates"
STATIC = SITE / "static"
PLUGINS = SITE / "plugins"

#: The built dataset's layout, relative to its folder.
METADATA_FILE = "metadata.json"
DATAPACKAGE_FILE = "datapackage.json"
#: The Excel workbook (a sheet per table and one of column meanings) and the zip of CSV files
#: with a byte-order mark (for spreadsheets that guess the encoding).
WORKBOOK_FILE = f"{DATABASE}.xlsx"
CSV_ZIP_FILE = f"{DATABASE}-csv.zip"
MANIFEST_FILE = "SHA256SUMS"
#: The Croissant description of the build, for ML tooling (mlcroissant).
CROISSANT_FILE = "croissant.json"
#: The per-table export formats, each in a folder of its own name.
EXPORT_FORMATS = ("csv", "parquet")


def export_path(file_format: str, table: str) -> str:
    """Where a table's export is, relative to the build folder: csv/positions.csv."""
    return f"{file_format}/{table}.{file_format}"


#: Beside the build link `--out` (say build/dataset), in its parent folder, a build keeps exactly two
#: entries of its own: `.dataset.lock`, the lock file every build to that link holds (fcntl.flock)
#: while it writes and swaps, never deleted; and `.dataset.builds/`, the folder of builds it creates
#: and owns (marked by BUILDS_MARKER inside), one `build-XXXXXXXX` folder per build. The link points
#: at one of them; while it swaps, a build writes the new link as `.dataset.link` first.
BUILD_LOCK_SUFFIX = ".lock"
#: How long a build waits for another build to the same `--out` to finish before it gives up (exit 2).
BUILD_LOCK_WAIT_SECONDS = 600.0
BUILDS_SUFFIX = ".builds"
BUILD_LINK_SUFFIX = ".link"
BUILDS_MARKER = ".weapon-use-positions-builds"
#: The name of each build folder starts with this (the rest is random); cleanup removes no other name.
BUILD_PREFIX = "build-"
#: A file a running `serve` holds a shared lock on inside the build it serves: cleanup leaves
#: that build in place until the server stops, so a rebuild never takes files from under it.
SERVING_LOCK = ".serving.lock"


CONFIG_FILE = "datasette.yaml"
SNAPSHOT_FOLDER = "releases"


def find_repository() -> Path | None:
    """The checkout this package runs from (src/weapon_use_positions inside it), or None when installed."""
    root = PACKAGE_DIR.parent.parent
    if PACKAGE_DIR.parent.name == "src" and (root / "pyproject.toml").is_file() and (root / "data").is_dir():
        return root
    return None


REPOSITORY = find_repository()


def default_data_dir() -> Path | None:
    """The data folder commands read unless told otherwise: the checkout's data/, else ./data (None if absent)."""
    if REPOSITORY is not None:
        return REPOSITORY / "data"
    here = Path.cwd() / "data"
    return here if here.is_dir() else None


def default_build_dir() -> Path:
    """Where `build` writes unless told otherwise: the checkout's build/dataset, else ./build/dataset."""
    return (REPOSITORY if REPOSITORY is not None else Path.cwd()) / "build" / "dataset"


def dataset_candidates() -> list[Path]:
    """The built dataset folders looked for, in order of precedence."""
    return ([REPOSITORY / "build" / "dataset"] if REPOSITORY is not None else []) + [SHIPPED]


def find_dataset() -> Path | None:
    """The first built dataset folder that holds a database, or None."""
    return next((folder for folder in dataset_candidates() if (folder / DB_NAME).is_file()), None)


def datasette_config() -> Path:
    """The site's datasette.yaml: the checkout's, else the one shipped in the wheel."""
    if REPOSITORY is not None:
        return REPOSITORY / CONFIG_FILE
    return SHIPPED / CONFIG_FILE
