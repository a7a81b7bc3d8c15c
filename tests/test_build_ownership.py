"""A build deletes only what builds made: its own folder of builds beside --out, never a neighbour.

Before, cleanup globbed `.NAME-*` in the parent, so `--out '/tmp/g/*'` deleted every hidden folder
with a dash beside it. Now builds live in `.NAME.builds/` (marked inside), the link is replaced only
if a build made it, and the lock file is the only other entry a build adds beside --out.
"""

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from weapon_use_positions.build import build
from weapon_use_positions.checksums import verify
from weapon_use_positions.paths import BUILDS_MARKER, MANIFEST_FILE

from .conftest import MINIMAL


def run_build(out, *extra):
    return subprocess.run(
        [sys.executable, "-m", "weapon_use_positions", "build", "--data", str(MINIMAL), "--out", str(out), *extra],
        capture_output=True,
        text=True,
    )


def tree(folder):
    """Every entry under `folder` (links as their target) with a hash of each file's bytes."""
    entries = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            entries[key] = "-> " + os.readlink(path)
        elif path.is_file():
            entries[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            entries[key] = "folder"
    return entries


def neighbours(parent, names):
    """Unrelated folders and files beside the output, each holding something."""
    for name in names:
        (parent / name).mkdir()
        (parent / name / "keep.txt").write_text(f"{name} is not a build\n")
    (parent / "notes.txt").write_text("mine\n")


#: Names beside --out that the old cleanup's glob matched for these --out names, and more.
NEIGHBOURS = [".x-keep", ".g-keep", ".*-keep", ".[ab]-keep", ".?-keep", ".dataset-abcdefgh", ".*.builds-old", "-"]


@pytest.mark.parametrize("name", ["*", "[ab]", "?", "*-*"])
def test_rebuilds_never_delete_a_neighbour(tmp_path, name):
    parent = tmp_path / "g"
    parent.mkdir()
    neighbours(parent, NEIGHBOURS)
    before = tree(parent)
    out = parent / name
    result = run_build(out)
    assert result.returncode == 0, result.stderr
    build(MINIMAL, out)  # a rebuild removes the earlier build, and nothing else
    verify(out.resolve())
    after = tree(parent)
    assert {key: value for key, value in after.items() if key in before} == before
    own = {key for key in after if key not in before}
    builds = f".{name}.builds"
    assert own == {name, f".{name}.lock", builds, f"{builds}/{BUILDS_MARKER}"} | {
        key for key in own if key.startswith(f"{builds}/{out.resolve().name}")
    }


def test_a_folder_or_file_at_out_is_refused(tmp_path):
    for kind in ("folder", "file"):
        out = tmp_path / kind
        out.mkdir() if kind == "folder" else out.write_text("mine\n")
        result = run_build(out)
        assert result.returncode == 2
        assert result.stderr == f"Error: {out} exists and is not a build link; move it away and build again\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "folder"]
    assert (tmp_path / "file").read_text() == "mine\n" and list((tmp_path / "folder").iterdir()) == []


def test_a_link_a_build_did_not_make_is_refused_and_its_target_kept(tmp_path):
    mine = tmp_path / "mine"
    neighbours(tmp_path, ["mine"])
    out = tmp_path / "dataset"
    for target in (mine, "mine", ".dataset.builds/mine", "/nonexistent"):
        out.unlink(missing_ok=True)
        os.symlink(target, out)
        result = run_build(out)
        assert result.returncode == 2, target
        assert result.stderr == f"Error: {out} exists and is not a build link; move it away and build again\n"
        assert os.readlink(out) == str(target)
    assert (mine / "keep.txt").is_file()


def test_a_builds_folder_a_build_did_not_make_is_refused(tmp_path):
    out = tmp_path / "dataset"
    builds = tmp_path / ".dataset.builds"
    neighbours(tmp_path, [".dataset.builds"])
    before = tree(tmp_path)
    result = run_build(out)
    assert result.returncode == 2
    assert result.stderr == f"Error: {builds} exists and was not made by a build; move it away and build again\n"
    assert {key: value for key, value in tree(tmp_path).items() if key != ".dataset.lock"} == before
    shutil.rmtree(builds)
    os.symlink(tmp_path / "elsewhere", builds)
    (tmp_path / "elsewhere").mkdir()
    result = run_build(out)
    assert result.returncode == 2
    assert result.stderr == f"Error: {builds} exists and was not made by a build; move it away and build again\n"


def test_only_build_folders_inside_the_builds_folder_are_removed(tmp_path):
    out = tmp_path / "dataset"
    build(MINIMAL, out)
    builds = tmp_path / ".dataset.builds"
    (builds / "build-killed1").mkdir()  # what a build killed mid-way leaves
    (builds / "build-killed1" / "half.db").write_bytes(b"x")
    (builds / "notes").mkdir()
    (builds / "notes" / "keep.txt").write_text("mine\n")
    (builds / "build-a-file").write_text("not a folder\n")
    build(MINIMAL, out)
    assert sorted(p.name for p in builds.iterdir()) == sorted(
        [BUILDS_MARKER, "build-a-file", "notes", out.resolve().name]
    )


def test_a_dangling_link_into_the_builds_folder_is_repaired(tmp_path):
    """The state four builds at once used to leave: the link points at a build that is gone."""
    out = tmp_path / "dataset"
    build(MINIMAL, out)
    shutil.rmtree(out.resolve())
    assert not out.exists() and out.is_symlink()
    result = run_build(out)
    assert result.returncode == 0, result.stderr
    verify(out.resolve())


def test_a_build_of_the_earlier_layout_is_replaced_and_removed(tmp_path):
    """Earlier versions wrote the build beside the link as `.NAME-XXXXXXXX`; the first new build takes over."""
    out = tmp_path / "dataset"
    build(MINIMAL, tmp_path / "made")
    old = tmp_path / ".dataset-abcd1234"
    shutil.copytree((tmp_path / "made").resolve(), old)
    os.symlink(old.name, out)
    neighbours(tmp_path, [".dataset-zzzz9999"])  # not linked: not known to be a build, so kept
    assert (old / MANIFEST_FILE).is_file()
    result = run_build(out)
    assert result.returncode == 0, result.stderr
    assert os.readlink(out).startswith(".dataset.builds/build-")
    assert not old.exists()
    assert (tmp_path / ".dataset-zzzz9999" / "keep.txt").is_file()
    verify(out.resolve())
