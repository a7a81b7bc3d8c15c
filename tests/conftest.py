import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from weapon_use_positions.build import DB_NAME, build
from weapon_use_positions.cli import DEFAULT_OUT, cli

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


@pytest.fixture(scope="session")
def built() -> Path:
    """The real data built into the repository's build folder, as `make serve` does."""
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    return DEFAULT_OUT.resolve()


@pytest.fixture(scope="session")
def real_db(built) -> Path:
    return built / DB_NAME


@pytest.fixture(scope="session")
def minimal_build(tmp_path_factory) -> Path:
    """The tiny fixture tree with known answers, built into a temporary folder."""
    out = tmp_path_factory.mktemp("minimal") / "dataset"
    build(MINIMAL, out)
    return out.resolve()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the fixture tree, for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    return target


def edit_yaml(path: Path, edit) -> None:
    """Load a data file, apply edit(data), write it back (for building broken copies)."""
    data = yaml.safe_load(path.read_text())
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
