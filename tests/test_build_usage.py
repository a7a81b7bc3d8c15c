"""Usage errors of build, validate, serve and publish-folder exit 2 with one clear message, never 1 or a traceback.

Exit 1 is kept for invalid data: a data folder or dataset that is not there is a usage error.
"""

import os
import subprocess
import sys

import pytest


def run(*argv):
    return subprocess.run([sys.executable, "-m", "weapon_use_positions", *argv], capture_output=True, text=True)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["serve", "--data", "/nonexistent"], "Error: No such option '--data'. Did you mean '--dataset'?"),
        (["serve", "--dataset", "/nonexistent"], "no built database in /nonexistent"),
        (["publish-folder", "{tmp}/site", "--dataset", "/nonexistent"], "no built database in /nonexistent"),
        (
            ["build", "--data", "/nonexistent", "--out", "{tmp}/out"],
            "Invalid value for '--data': /nonexistent does not exist",
        ),
        (["validate", "--data", "/nonexistent"], "Invalid value for '--data': /nonexistent does not exist"),
        (["validate", "--data", "{tmp}/file"], "Invalid value for '--data': Directory '{tmp}/file' is a file."),
        (
            ["build", "--data", "{tmp}/file", "--out", "{tmp}/out"],
            "Invalid value for '--data': Directory '{tmp}/file' is a file.",
        ),
        (["validate", "--data", "{tmp}/fifo"], "Invalid value for '--data': {tmp}/fifo is not a folder"),
        (["build", "--wait", "-1", "--out", "{tmp}/out"], "Invalid value for '--wait': -1.0 is not in the range x>=0."),
    ],
)
def test_usage_errors_exit_2(tmp_path, argv, message):
    (tmp_path / "file").write_text("not a folder\n")
    os.mkfifo(tmp_path / "fifo")
    result = run(*(arg.format(tmp=tmp_path) for arg in argv))
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert message.format(tmp=tmp_path) in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "file"]  # nothing was written
