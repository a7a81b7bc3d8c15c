"""Hatchling build hook: build the dataset from data/ and ship it inside the wheel.

The wheel carries the SQLite database, Parquet and CSV files, datapackage.json, the
Datasette metadata and datasette.yaml under weapon_use_positions/_data/. Editable
installs skip this: in a checkout the package reads the repository's build folder.
"""

import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        from weapon_use_positions.build import build
        from weapon_use_positions.paths import CONFIG_FILE, PACKAGE_DIR, SHIPPED

        out = Path(tempfile.mkdtemp(prefix="wup-wheel-")) / "dataset"
        build(root / "data", out)
        folder = out.resolve()
        shipped = SHIPPED.relative_to(PACKAGE_DIR.parent).as_posix()
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                build_data["force_include"][str(path)] = f"{shipped}/{path.relative_to(folder).as_posix()}"
        build_data["force_include"][str(root / CONFIG_FILE)] = f"{shipped}/{CONFIG_FILE}"
