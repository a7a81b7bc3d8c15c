"""When the machine refuses a build (full disk, unwritable or impossible --out), it says so in one line and exits 2.

Exit 1 means invalid data; a disk or folder that cannot be written is an environment error: exit 2,
no traceback, and the last good build stays complete where it was. Every case runs the real CLI.
"""

import os
import resource
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager

import pytest

from weapon_use_positions.build import build
from weapon_use_positions.checksums import verify
from weapon_use_positions.paths import BUILDS_MARKER
from weapon_use_positions.synth import write_synthetic_data

from .conftest import DATA, MINIMAL


def run_build(data, out, preexec_fn=None):
    return subprocess.run(
        [sys.executable, "-m", "weapon_use_positions", "build", "--data", str(data), "--out", str(out)],
        capture_output=True,
        text=True,
        preexec_fn=preexec_fn,
    )


def refused(result) -> str:
    """The one-line message of a build refused with exit 2 (asserting that it was)."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def snapshot(out):
    """The link and every byte of the build it points at."""
    folder = out.resolve()
    return os.readlink(out), {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_untouched(out, before):
    assert snapshot(out) == before
    verify(out.resolve())
    builds = out.parent / f".{out.name}.builds"
    assert sorted(p.name for p in builds.iterdir()) == sorted([BUILDS_MARKER, out.resolve().name]), "a staging folder"
    assert not os.path.lexists(out.parent / f".{out.name}.link")


def limited_file_size(limit):
    """For a child process: files may not grow beyond `limit` bytes, and writing more fails with EFBIG."""

    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills the process instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("limit", [4096, 65536])
def test_disk_full_exits_2_and_keeps_the_last_good_build(tmp_path, limit):
    out = tmp_path / "dataset"
    build(MINIMAL, out)
    before = snapshot(out)
    message = refused(run_build(MINIMAL, out, preexec_fn=limited_file_size(limit)))
    assert message == (
        f"Error: cannot write the build at {out}: SQLite: disk I/O error (SQLITE_IOERR_WRITE); "
        "the last good build is untouched"
    )
    assert_untouched(out, before)


@contextmanager
def tiny_disk(folder, kib):
    """A tmpfs of `kib` KiB mounted at `folder` (needs root); skips the test where mounting is not allowed."""
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


#: Free space left after the last good build, as parts of the real data's build: each runs out of
#: space at another writer (measured: SQLite, Parquet and CSV, Excel, the zip, Croissant, datapackage.json).
FREE_PARTS = [0.03, 0.55, 0.84, 0.93, 0.96, 0.98]


def kib(folder):
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) // 1024


def test_a_full_disk_at_every_writer_exits_2_and_keeps_the_last_good_build(tmp_path):
    full = kib(build(DATA, tmp_path / "full").out.resolve())
    small = tmp_path / "small"
    write_synthetic_data(small, 20, 2, seed=3)
    with tiny_disk(tmp_path / "disk", 2 * full) as disk:
        out = disk / "dataset"
        build(small, out)
        for part in FREE_PARTS:
            filler = disk / "filler"
            left = shutil.disk_usage(disk).free // 1024
            filler.write_bytes(b"\0" * max(0, left - int(part * full)) * 1024)
            before = snapshot(out)
            message = refused(run_build(DATA, out))
            assert message.startswith(f"Error: cannot write the build at {out}: "), message
            assert message.endswith("; the last good build is untouched"), message
            assert "No space left on device" in message or "SQLITE_FULL" in message, message
            assert_untouched(out, before)
            filler.unlink()


@pytest.mark.parametrize("under", ["file/dataset", "file/a/b/dataset"])
def test_out_under_a_regular_file_exits_2(tmp_path, under):
    (tmp_path / "file").write_text("not a folder\n")
    out = tmp_path / under
    message = refused(run_build(MINIMAL, out))
    assert message == f"Error: {tmp_path / 'file'} is not a folder, so {out} cannot be written"
    assert (tmp_path / "file").read_text() == "not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize(
    "out", ["/proc/wup-dataset", "/proc/self/wup-dataset", "/proc/wup/dataset", "/sys/wup-dataset"]
)
def test_out_in_a_kernel_filesystem_exits_2(out):
    message = refused(run_build(MINIMAL, out))
    assert message.startswith(f"Error: cannot write the build at {out}: "), message
    assert message.endswith("; nothing was built"), message
    assert not os.path.lexists(out)


@contextmanager
def unwritable(folder):
    """No entry can be created in or removed from `folder` while inside (chmod, or chattr +i for root)."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode:
            pytest.skip("root ignores permissions and chattr +i is not available here")
        undo = ["chattr", "-i", str(folder)]
    else:
        folder.chmod(0o555)
        undo = ["chmod", "755", str(folder)]
    try:
        probe = folder / "probe"
        try:
            probe.touch()
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip(f"{folder} stays writable here")
        yield
    finally:
        subprocess.run(undo, check=True)


def test_unwritable_parent_exits_2_and_keeps_the_last_good_build(tmp_path):
    parent = tmp_path / "site"
    out = parent / "dataset"
    build(MINIMAL, out)
    before = snapshot(out)
    with unwritable(parent):
        message = refused(run_build(MINIMAL, out))
        assert_untouched(out, before)
    reason = "Operation not permitted" if os.geteuid() == 0 else "Permission denied"
    assert message == (
        f"Error: cannot write the build at {out}: {reason}: {parent / '.dataset.link'}; the last good build is untouched"
    )


def test_unwritable_parent_without_a_build_exits_2(tmp_path):
    parent = tmp_path / "site"
    parent.mkdir()
    with unwritable(parent):
        message = refused(run_build(MINIMAL, parent / "dataset"))
    assert message.startswith(f"Error: cannot write the build at {parent / 'dataset'}: "), message
    assert message.endswith(f": {parent / '.dataset.lock'}; nothing was built"), message
    assert list(parent.iterdir()) == []


def test_unwritable_builds_folder_exits_2_and_keeps_the_last_good_build(tmp_path):
    out = tmp_path / "dataset"
    build(MINIMAL, out)
    before = snapshot(out)
    with unwritable(tmp_path / ".dataset.builds"):
        message = refused(run_build(MINIMAL, out))
    assert message.startswith(f"Error: cannot write the build at {out}: "), message
    assert message.endswith("; the last good build is untouched"), message
    assert_untouched(out, before)


def test_a_newline_in_out_stays_on_one_line(tmp_path):
    (tmp_path / "file").write_text("")
    out = tmp_path / "file" / "data\nset"
    message = refused(run_build(MINIMAL, out))
    assert message == f"Error: {tmp_path / 'file'} is not a folder, so {tmp_path / 'file'}/data\\nset cannot be written"


def test_a_lock_file_that_is_a_link_is_refused(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("mine\n")
    os.symlink(target, tmp_path / ".dataset.lock")
    message = refused(run_build(MINIMAL, tmp_path / "dataset"))
    assert message == (
        f"Error: {tmp_path / '.dataset.lock'} is a link, not the lock file of builds; move it away and build again"
    )
    assert target.read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dataset.lock", "precious.txt"]


def test_an_out_name_too_long_for_the_builds_entries_exits_2(tmp_path):
    out = tmp_path / ("a" * 250)  # a valid name, but `.NAME.builds` beside it is not
    message = refused(run_build(MINIMAL, out))
    assert message == (
        f"Error: cannot write the build at {out}: File name too long: {tmp_path / ('.' + 'a' * 250 + '.lock')}; "
        "nothing was built"
    )
    assert list(tmp_path.iterdir()) == []
