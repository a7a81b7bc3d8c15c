"""Every distribution pinned in requirements.lock that is installed here has exactly the pinned version."""

import re
from importlib.metadata import distributions

from .conftest import ROOT

BUILD_DEPENDENCIES = {"polars", "sqlite-utils", "pydantic", "pyyaml", "click", "datasette"}


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins():
    lines = (line.split("#")[0].strip() for line in (ROOT / "requirements.lock").read_text().splitlines())
    return {normalise(name): version for name, version in (line.split("==") for line in lines if line)}


def mismatches(pinned, installed):
    return {
        name: (version, installed[name]) for name, version in pinned.items() if installed.get(name, version) != version
    }


def test_installed_versions_match_lock():
    installed = {normalise(d.metadata["Name"]): d.version for d in distributions()}
    pinned = pins()
    assert BUILD_DEPENDENCIES <= pinned.keys()
    assert mismatches(pinned, installed) == {}
    assert mismatches({**pinned, "polars": "0.0.0"}, installed) == {"polars": ("0.0.0", installed["polars"])}
