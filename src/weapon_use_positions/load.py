"""Read the YAML data files into validated records, keeping where each record came from.

Every file in the data folder is a mapping whose keys are record types (`actors`,
`weapon_systems`, `sources`, `positions`, `retirements`) and whose values are lists of records.
Problems are collected, never raised one at a time: a contributor sees them all.

Each file is read once with the C loader and validated in bulk (the fast path). Only a file
with a problem is read again node by node, to point every problem at its line.
Validated records are kept as named tuples (records.py). The release snapshots under
`data/releases/` are read here too: they are part of the input.
"""

from __future__ import annotations

import gc
import os
import re
import stat
import sys
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from .history import Snapshot, read_snapshots
from .models import CONTROL_CHARACTERS, RECORD_TYPES, VERSIONED_TYPES
from .paths import SNAPSHOT_FOLDER
from .problems import Problem, display_path
from .records import to_row

#: Limits that keep a hostile file from exhausting memory or the parser's stack.
MAX_FILE_BYTES = 64 * 2**20
MAX_LINE_CHARS = 20_000
MAX_DEPTH = 64

#: Block nesting shows as deep indentation or as many "- " on one line.
DEEP_BLOCK = re.compile(rb"\n {%d,}\S|(?:- ){%d}" % (2 * MAX_DEPTH, MAX_DEPTH))

BOOL_TAG = "tag:yaml.org,2002:bool"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class DataLoader(yaml.CSafeLoader):
    """The C loader with YAML 1.2 booleans (only true/false, so `no` stays a string), dates left
    as text for the models to parse (a bad date is a field error, not a crash), and a note of
    every mapping that repeats a key (YAML would silently keep the last value)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.repeated_keys = False
        self.aliases = False

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:  # a node reached twice: an alias
            self.aliases = True
        return super().construct_object(node, deep)

    def construct_mapping(self, node, deep=False):
        keys = [key.value for key, _ in node.value]
        if len(keys) != len(set(keys)):
            self.repeated_keys = True
        return super().construct_mapping(node, deep)


DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (BOOL_TAG, TIMESTAMP_TAG)]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
DataLoader.add_implicit_resolver(BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

ADAPTERS = {kind: TypeAdapter(list[model]) for kind, model in RECORD_TYPES.items()}


@dataclass(frozen=True)
class Origin:
    """Where a record was read: the file (as shown and on disk) and its index in its list."""

    path: str
    file: Path
    index: int


@dataclass
class Dataset:
    """Validated records (named tuples) of every type, in file order, with where each came from.

    `dataset.positions` and the like are the records of one type (`records["positions"]`).
    """

    #: Per record type, the validated records.
    records: dict[str, list] = field(default_factory=lambda: {kind: [] for kind in RECORD_TYPES})
    #: Snapshots of released versions, oldest first (history.py).
    snapshots: list[Snapshot] = field(default_factory=list)
    #: The files read, as (path on disk, path as shown in reports).
    files: list = field(default_factory=list)
    #: Per kind, for each record: file number * 2**32 + index in the file's list.
    places: dict[str, array] = field(default_factory=lambda: {kind: array("q") for kind in RECORD_TYPES})
    #: Ids of records that failed validation, by kind: checks skip what depends on them.
    invalid: dict[str, set] = field(default_factory=lambda: {kind: set() for kind in RECORD_TYPES})
    #: Some file or folder could not be read or parsed at all: checks of the whole (every released
    #: id present, every reference known) would only report what follows from that, so they wait.
    incomplete: bool = False

    def __getattr__(self, name: str) -> list:
        records = self.__dict__.get("records", {})
        if name in records:
            return records[name]
        raise AttributeError(name)

    def add(self, kind: str, row, file_no: int, index: int) -> None:
        self.records[kind].append(row)
        self.places[kind].append(file_no << 32 | index)

    def origin(self, kind: str, number: int) -> Origin:
        """Where the number-th record of a kind came from."""
        place = self.places[kind][number]
        path, shown = self.files[place >> 32]
        return Origin(shown, path, place & 0xFFFFFFFF)

    def counts(self) -> dict[str, int]:
        """How many records of each versioned type."""
        return {kind: len(self.records[kind]) for kind in VERSIONED_TYPES}


#: The endings of data files; an upper-case ending (`.YAML`) is reported, not skipped.
DATA_SUFFIXES = (".yaml", ".yml")


def data_files(data_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The YAML files under the data folder, in a stable order, and a report for every entry that
    is not a plain readable file inside it: a symbolic link (which could point anywhere), a folder or
    FIFO named like a data file, an upper-case ending, a folder that cannot be listed."""
    root = Path(data_dir)
    files, problems = [], []

    def report(path: Path, message: str) -> None:
        problems.append(Problem(display_path(path, root), 0, "-", "-", message))

    def unlistable(error: OSError) -> None:
        report(Path(error.filename), f"folder cannot be read ({error.strerror}): its files are not checked")

    for folder, folders, names in os.walk(root, onerror=unlistable):
        here = Path(folder)
        if here == root and SNAPSHOT_FOLDER in folders:
            folders.remove(SNAPSHOT_FOLDER)  # release snapshots are read on their own (history.py)
        for name in sorted(folders):
            path = here / name
            if path.is_symlink():
                report(path, "symbolic link: data files and folders must be inside the data folder, not links")
                folders.remove(name)
            elif path.suffix.lower() in DATA_SUFFIXES:
                report(path, "a folder named like a data file: rename it")
        folders.sort()
        for name in names:
            path = here / name
            if path.suffix.lower() not in DATA_SUFFIXES:
                continue
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                report(path, "symbolic link: data files must be regular files inside the data folder, not links")
            elif not stat.S_ISREG(mode):
                report(path, "not a regular file (a FIFO, socket or device): data files are plain files")
            elif path.suffix not in DATA_SUFFIXES:
                report(path, f"data files end in lower-case {' or '.join(DATA_SUFFIXES)}: rename it")
            else:
                files.append(path)
    return sorted(files), problems


def read_data_file(path: Path) -> bytes:
    """A file's bytes, refusing to follow a link or to wait on a FIFO swapped in since the walk."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        return f.read(MAX_FILE_BYTES + 1)


def load_records(data_dir: Path, progress=None) -> tuple[Dataset, list[Problem]]:
    """Parse and validate every file under data_dir, and read its release snapshots;
    return the good records and all problems.

    `progress`, if given, wraps the list of files (e.g. a progress bar).
    """
    snapshots, problems = read_snapshots(Path(data_dir))
    dataset = Dataset(snapshots=snapshots)
    files, found = data_files(data_dir)
    dataset.incomplete = bool(found or problems)  # a file or snapshot not read: see Dataset.incomplete
    problems += found
    if not files and not found:
        problems.append(Problem(str(data_dir), 0, "-", "-", "no .yaml files found in the data folder"))
    with no_cycle_collection():
        for path in progress(files) if progress else files:
            dataset.files.append((path, display_path(path, data_dir)))
            problems.extend(load_file(path, len(dataset.files) - 1, dataset))
    return dataset, problems


@contextmanager
def no_cycle_collection():
    """Pause Python's cycle collector: loading makes millions of objects and no cycles, and the
    collector's passes over a growing heap would otherwise cost as much as the parsing itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def hostile_input(path: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    """Read a file, refusing (with a report) what could exhaust memory or crash the parser."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                shown, 1, "-", "-", f"file is {size / 2**20:.0f} MB, over the {MAX_FILE_BYTES >> 20} MB limit: split it"
            )
        ]
    try:
        raw = read_data_file(path)
    except OSError as error:
        return None, [Problem(shown, 0, "-", "-", f"file cannot be read ({error.strerror or error})")]
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            return None, [Problem(shown, number, "-", "-", f"line is over {MAX_LINE_CHARS:,} characters")]
    if raw.count(b"[") + raw.count(b"{") > 4 * MAX_DEPTH or DEEP_BLOCK.search(raw):
        line = too_deep(raw)
        if line:
            return None, [Problem(shown, line, "-", "-", f"nesting deeper than {MAX_DEPTH} levels")]
    return raw, []


#: At most this many lines with control characters are reported for one file.
MAX_CHARACTER_REPORTS = 20
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """The file as text (UTF-8, with or without a byte-order mark), or one report saying why not,
    then a report for each line that holds a control character, at its line and column."""
    if raw.startswith(UTF16_MARKS):
        return None, [Problem(shown, 1, "-", "-", "file is UTF-16: save it as UTF-8")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(shown, line, "-", "-", f"not valid UTF-8 (byte {raw[error.start]:#04x})")]
    if CONTROL_CHARACTERS.search(text) is None:
        return text, []
    problems, lines = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        found = CONTROL_CHARACTERS.search(line)
        if found is None:
            continue
        lines += 1
        if lines <= MAX_CHARACTER_REPORTS:
            message = f"control character U+{ord(found.group()):04X} at column {found.start() + 1} is not allowed"
            problems.append(Problem(shown, number, "-", "-", message))
    if lines > MAX_CHARACTER_REPORTS:
        more = lines - MAX_CHARACTER_REPORTS
        problems.append(Problem(shown, number, "-", "-", f"and {more} more lines with control characters"))
    return (None if problems else text), problems


#: What may be a YAML feature data files do not use (tags, anchors, aliases, merge keys, complex
#: keys, directives): only files that match are read event by event to be sure.
FEATURE_HINT = re.compile(r"(?:^|[\s\[{,])[!&*]\S|<<\s*:|[\]}]\s*:(?:\s|$)|^\s*\?(?:\s|$)|^%", re.MULTILINE)


#: Python converts integers of at most this many digits; a longer one in a file is reported at its line.
MAX_DIGITS = sys.get_int_max_str_digits()
LONG_NUMBER = re.compile(rf"(?<![\w.])[-+]?\d{{{MAX_DIGITS + 1},}}")

ANCHORS = "anchors and aliases (& and *) are not allowed in data files"


def yaml_features(text: str, shown: str) -> list[Problem]:
    """A report at its line for each YAML feature data files refuse: they can hide or repeat
    values (merge keys, tags such as !!binary), expand a small file (anchors and aliases), or
    cannot be a record's field name (a list or mapping as a key)."""
    problems = []
    stack: list = []  # per open collection: for a mapping, whether its next node is a key
    anchored = False  # anchors and aliases are reported once, where the first one is

    def starts_node() -> bool:
        is_key = bool(stack) and stack[-1] is True
        if stack and isinstance(stack[-1], bool):
            stack[-1] = not stack[-1]
        return is_key

    def report(event, message):
        problems.append(Problem(shown, event.start_mark.line + 1, "-", "-", message))

    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.DocumentStartEvent) and (event.version or event.tags):
                report(event, "YAML directives (%YAML, %TAG) are not allowed")
            elif isinstance(event, yaml.AliasEvent):
                starts_node()
                if not anchored:
                    report(event, ANCHORS)
                    anchored = True
            elif isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                is_key = starts_node()
                if event.anchor is not None and not anchored:
                    report(event, ANCHORS)
                    anchored = True
                if event.tag is not None and event.tag != "!":
                    report(event, f"tags such as {short_tag(event.tag)!r} are not allowed")
                if is_key and not isinstance(event, yaml.ScalarEvent):
                    report(event, "a list or mapping cannot be a key")
                elif is_key and event.value == "<<" and not event.style:
                    report(event, "merge keys (<<) are not allowed: write each key out")
                if not isinstance(event, yaml.ScalarEvent):
                    stack.append(True if isinstance(event, yaml.MappingStartEvent) else None)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.YAMLError:
        return problems  # a syntax error: the parser reports it with its line
    return problems


def short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def too_deep(raw: bytes) -> int | None:
    """Line where collections nest deeper than MAX_DEPTH (read as events: no recursion), or None."""
    depth = 0
    try:
        for event in yaml.parse(raw, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # a syntax error: reported by the parser itself
    return None


def load_file(path: Path, file_no: int, dataset: Dataset) -> list[Problem]:
    """Validate one file's records into the dataset; return its problems."""
    shown = dataset.files[file_no][1]
    raw, problems = hostile_input(path, shown)
    text = None
    if not problems:
        text, problems = decode_text(raw, shown)
    if not problems and FEATURE_HINT.search(text):
        problems = yaml_features(text, shown)
    if problems:
        dataset.incomplete = True  # none of the file's records is read
        return problems
    try:
        loader = DataLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except Exception:  # any parse problem: the locating path reports it with its line
        return locate_problems(raw, file_no, dataset)
    if loader.aliases:
        dataset.incomplete = True
        return [alias_problem(raw, shown)]
    if loader.repeated_keys or not isinstance(data, dict) or not all(k in RECORD_TYPES for k in data):
        return locate_problems(raw, file_no, dataset)
    validated = {}
    for kind, items in data.items():
        try:
            validated[kind] = ADAPTERS[kind].validate_python(items)
        except ValidationError:
            return locate_problems(raw, file_no, dataset)
    for kind, records in validated.items():
        for index, record in enumerate(records):
            dataset.add(kind, to_row(record), file_no, index)
    return []


def alias_problem(raw: bytes, shown: str) -> Problem:
    """Anchors and aliases let a small file expand into a huge one: they are not allowed."""
    line = next(
        (e.start_mark.line + 1 for e in yaml.parse(raw, Loader=yaml.CSafeLoader) if isinstance(e, yaml.AliasEvent)), 1
    )
    return Problem(shown, line, "-", "-", ANCHORS)


def parse_yaml(raw: bytes, shown: str) -> tuple[yaml.Node | None, object, list[Problem]]:
    """Parse one file's bytes into a node tree (for line numbers) and Python data: for a mapping,
    a list of (key node, value node, value), so that a repeated key keeps each of its values."""
    text, problems = decode_text(raw, shown)
    if problems:
        return None, None, problems
    loader = DataLoader(text)
    try:
        node = loader.get_single_node()
        if isinstance(node, yaml.MappingNode):  # each top-level value on its own, repeated keys included
            data = [(key, value, loader.construct_object(value, deep=True)) for key, value in node.value]
        else:
            data = loader.construct_document(node) if node is not None else None
        if loader.aliases:
            return None, None, [alias_problem(raw, shown)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        message = " ".join(part for part in (error.context, error.problem) if part)
        if "constructor for the tag" in message:
            message = f"tags such as {error.problem.split(chr(39))[1]!r} are not allowed"
            return None, None, [Problem(shown, line, "-", "-", message)]
        return None, None, [Problem(shown, line, "-", "-", f"YAML syntax: {message}")]
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as error:
        long_number = LONG_NUMBER.search(text)
        if isinstance(error, ValueError) and long_number:  # Python refuses to convert such an integer
            line = text.count("\n", 0, long_number.start()) + 1
            return None, None, [Problem(shown, line, "-", "-", f"a number of more than {MAX_DIGITS:,} digits")]
        return None, None, yaml_features(text, shown) or [Problem(shown, 1, "-", "-", f"YAML: {error}")]
    finally:
        loader.dispose()
    return node, data, []


def locate_problems(raw: bytes, file_no: int, dataset: Dataset) -> list[Problem]:
    """Read a file node by node: add its valid records, report each problem at its line."""
    shown = dataset.files[file_no][1]
    node, data, problems = parse_yaml(raw, shown)
    if problems:
        dataset.incomplete = True  # the file could not be parsed: none of its records is read
        return problems
    if node is None:
        return [Problem(shown, 1, "-", "-", "file is empty")]
    if not isinstance(node, yaml.MappingNode):
        dataset.incomplete = True
        return [Problem(shown, node.start_mark.line + 1, "-", "-", "expected a mapping of record types to lists")]
    problems = duplicate_keys(node, shown, "-")
    for key_node, value_node, value in data:
        kind = key_node.value
        line = key_node.start_mark.line + 1
        if kind not in RECORD_TYPES:
            known = ", ".join(RECORD_TYPES)
            problems.append(Problem(shown, line, "-", str(kind), f"unknown record type (expected one of {known})"))
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            problems.append(Problem(shown, line, "-", kind, "expected a list of records"))
            continue
        for index, (item_node, item) in enumerate(zip(value_node.value, value)):
            problems.extend(locate_record(kind, index, item_node, item, file_no, dataset))
    return problems


def locate_record(kind, index, item_node, item, file_no: int, dataset: Dataset) -> list[Problem]:
    """Validate one record; add it to the dataset or return its problems, each with its line."""
    shown = dataset.files[file_no][1]
    line = item_node.start_mark.line + 1
    if not isinstance(item, dict):
        dataset.invalid[kind].add(f"{kind}[{index}]")
        return [Problem(shown, line, f"{kind}[{index}]", "-", "expected a mapping (a record)")]
    record_id = item.get("id") if isinstance(item.get("id"), str) else f"{kind}[{index}]"
    problems = duplicate_keys(item_node, shown, record_id)
    try:
        record = RECORD_TYPES[kind].model_validate(item)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            loc = detail["loc"]
            place = node_at(item_node, loc) or item_node
            message = detail["msg"].removeprefix("Value error, ")
            problems.append(Problem(shown, place.start_mark.line + 1, record_id, field_name(loc), message))
        dataset.invalid[kind].add(record_id)
        return problems
    dataset.add(kind, to_row(record), file_no, index)  # valid, though its file repeats a key (reported)
    return problems


def duplicate_keys(node: yaml.Node, shown: str, record_id: str) -> list[Problem]:
    """YAML silently keeps the last of two equal keys; report every repeated key instead."""
    problems = []
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            if key_node.value in seen:
                problems.append(
                    Problem(shown, key_node.start_mark.line + 1, record_id, str(key_node.value), "key appears twice")
                )
            seen.add(key_node.value)
            if record_id != "-":
                problems.extend(duplicate_keys(value_node, shown, record_id))
    elif isinstance(node, yaml.SequenceNode) and record_id != "-":
        for child in node.value:
            problems.extend(duplicate_keys(child, shown, record_id))
    return problems


def node_at(node: yaml.Node | None, loc: tuple) -> yaml.Node | None:
    """The node a pydantic error location points at (a key's node for a mapping field)."""
    found = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                return found
            found, node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            found = node = node.value[part]
        else:
            return found
    return found


def field_name(loc: tuple) -> str:
    """('conditions', 0, 'kind') -> 'conditions[0].kind'."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "-"


def record_node(root: yaml.Node | None, kind: str, index: int) -> yaml.Node | None:
    """The node of the index-th record of a kind in a parsed file."""
    if not isinstance(root, yaml.MappingNode):
        return None
    for key_node, value_node in root.value:
        if key_node.value == kind and isinstance(value_node, yaml.SequenceNode) and index < len(value_node.value):
            return value_node.value[index]
    return None


class Locator:
    """Finds the line of a loaded record's field, reading each file again (once) only when asked."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.roots: dict[Path, yaml.Node | None] = {}

    def place(self, kind: str, number: int, field_path: tuple = ()) -> tuple[str, int]:
        """(path as shown, line) of the number-th record of a kind, or of one of its fields."""
        origin = self.dataset.origin(kind, number)
        if origin.file not in self.roots:
            self.roots[origin.file] = parse_yaml(origin.file.read_bytes(), origin.path)[0]
        node = record_node(self.roots[origin.file], kind, origin.index)
        found = node_at(node, field_path) or node
        return origin.path, (found.start_mark.line + 1 if found is not None else 0)
