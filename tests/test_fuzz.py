"""Fuzzing: generated records and mutated YAML give reports, never a traceback.

CI runs a few thousand examples; set WUP_FUZZ_EXAMPLES for a longer run (the closing note
of the reliability issue gives the count of the long run).
"""

import datetime as dt
import os
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weapon_use_positions.checks import validate_data
from weapon_use_positions.models import RECORD_TYPES
from weapon_use_positions.problems import DataInvalid

from .bad_inputs.cases import BASE
from .conftest import MINIMAL

EXAMPLES = int(os.environ.get("WUP_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    data = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(MINIMAL, data)
    return data


def only_reports(data, content):
    """Validate with the fuzzed file in place: a clean pass or DataInvalid, nothing else."""
    path = data / "positions" / "fuzz.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    try:
        validate_data(data, today=dt.date(2026, 1, 1))
    except DataInvalid as error:
        assert error.problems and all(p.path and p.message for p in error.problems)
        for problem in error.problems:
            str(problem)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.dates().map(str),
    st.sampled_from(["permitted", "limited", "all", "AAA", "UKR", "https://example.org/x", "javascript:x"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
#: Every field of every record type, and one that no record type has.
FIELDS = sorted({name for model in RECORD_TYPES.values() for name in model.model_fields} | {"colour"})


@FUZZ
@given(
    records=st.lists(st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS)), max_size=3),
    kind=st.sampled_from(["positions", "sources", "actors", "weapon_systems", "retirements", "other"]),
)
def test_generated_records_give_reports(tree, records, kind):
    only_reports(tree, yaml.safe_dump({kind: records}, allow_unicode=True))


@st.composite
def mutated(draw):
    text = BASE.encode()
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["delete", "insert", "replace", "duplicate-line", "swap-lines"]))
        at = draw(st.integers(0, len(text)))
        if operation == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif operation == "insert":
            text = (
                text[:at]
                + draw(
                    st.binary(min_size=1, max_size=8)
                    | st.sampled_from(
                        [b":", b"-", b"&a", b"*a", b"!!", b"\t", b"[", b"{", b"'", b'"', b"\n  ", b"\xff"]
                    )
                )
                + text[at:]
            )
        elif operation == "replace":
            text = text[:at] + draw(st.binary(min_size=1, max_size=4)) + text[at + 1 :]
        else:
            lines = text.split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if operation == "duplicate-line":
                lines.insert(i, lines[j])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = b"\n".join(lines)
    return text


@FUZZ
@given(content=mutated())
def test_mutated_yaml_gives_reports(tree, content):
    only_reports(tree, content)
