"""Hostile YAML is refused quickly, with a clear report, in bounded memory: never a crash.

Each file is validated by the real CLI in a child process whose address space is capped
(1.5 GiB) and whose run time is bounded, so a parser crash, a memory blow-up or a hang
fails the test instead of the machine.
"""

import resource
import shutil
import subprocess
import sys

import pytest

from .conftest import MINIMAL

LIMIT = 1536 * 2**20


def cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def validate(tmp_path, name, content: bytes):
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "positions" / name).write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "weapon_use_positions", "validate", "--data", str(data), "--today", "2026-01-01"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=cap_memory,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr.strip().splitlines()


def billion_laughs() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        name, previous = chr(97 + i), chr(96 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines.append("positions: *j")
    return ("\n".join(lines) + "\n").encode()


HOSTILE = [
    (
        "python-object-tag",
        b"positions:\n  - !!python/object/apply:os.system ['touch /tmp/pwned']\n",
        "data/positions/hostile.yaml:2: -: -: tags such as '!!python/object/apply:os.system' are not allowed",
    ),
    (
        "python-name-tag",
        b"sources: !!python/name:os.system\n",
        "data/positions/hostile.yaml:1: -: -: tags such as '!!python/name:os.system' are not allowed",
    ),
    (
        "billion-laughs",
        billion_laughs(),
        "data/positions/hostile.yaml:1: -: -: anchors and aliases (& and *) are not allowed in data files",
    ),
    (
        "deep-flow-nesting-one-line",
        b"positions: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "data/positions/hostile.yaml:1: -: -: line is over 20,000 characters",
    ),
    (
        "deep-flow-nesting-many-lines",
        b"positions: " + b"[\n" * 200_000 + b"]\n" * 200_000,
        "data/positions/hostile.yaml:64: -: -: nesting deeper than 64 levels",
    ),
    (
        "deep-block-nesting",
        b"positions:\n" + b"".join(b" " * i + b"-\n" for i in range(2000)) + b" " * 2000 + b"x\n",
        "data/positions/hostile.yaml:65: -: -: nesting deeper than 64 levels",
    ),
    (
        "deep-block-nesting-one-line",
        b"positions:\n" + b"- " * 5000 + b"x\n",
        "data/positions/hostile.yaml:2: -: -: nesting deeper than 64 levels",
    ),
    (
        "one-megabyte-line",
        b"positions:\n  - id: x\n    summary: " + b"A" * 2**20 + b"\n",
        "data/positions/hostile.yaml:3: -: -: line is over 20,000 characters",
    ),
]


@pytest.mark.parametrize("name,content,report", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_yaml_is_refused(tmp_path, name, content, report):
    status, lines = validate(tmp_path, "hostile.yaml", content)
    assert status == 1
    assert lines[0] == report


def test_hundred_megabyte_file_is_refused_without_reading_it(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    with open(data / "positions" / "huge.yaml", "wb") as f:
        f.write(b"positions:\n" + b"  - id: x\n" * (100 * 2**20 // 10))
    result = subprocess.run(
        [sys.executable, "-m", "weapon_use_positions", "validate", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=cap_memory,
    )
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[0]
        == "data/positions/huge.yaml:1: -: -: file is 100 MB, over the 64 MB limit: split it"
    )


def test_long_text_field_is_a_field_error(tmp_path):
    text = "A" * 5001
    content = f"weapon_systems:\n  - id: long\n    name: {text}\n    category: other\n".encode()
    status, lines = validate(tmp_path, "long.yaml", content)
    assert status == 1
    assert lines[0] == "data/positions/long.yaml:3: long: name: String should have at most 5000 characters"
