"""Problems found in the data, each pointing at a file, a line, a record and a field."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

#: Unicode categories printed as escapes: controls, format characters (zero-width, bidi), line and
#: paragraph separators, unassigned and private-use code points, and surrogates.
UNPRINTED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cn", "Co", "Cs"}


ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def unicode_escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str) -> str:
    """Text from the data as it may reach a terminal: one line, every invisible or control character
    written as an escape (\\n, \\x1b, \\u200b), so a value cannot forge a line or colour a report."""
    if text.isprintable() and text.isascii():
        return text
    out = []
    for ch in text:
        if unicodedata.category(ch) in UNPRINTED_CATEGORIES or (ch.isspace() and ch != " "):
            out.append(ESCAPES.get(ch) or unicode_escape(ch))
        else:
            out.append(ch)
    return "".join(out)


#: A record id or field name longer than this is cut in a report (a hostile id can be 20,000 characters).
MAX_NAME_CHARS = 120


def shortened(text: str) -> str:
    return text if len(text) <= MAX_NAME_CHARS else text[: MAX_NAME_CHARS - 1] + "…"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, reported as `path:line: record-id: field: message`."""

    path: str
    line: int
    record_id: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{printable(self.path)}:{self.line}"
        named = (shortened(printable(part)) for part in (self.record_id, self.field))
        return ": ".join([where, *named, printable(self.message)])

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "record_id": self.record_id,
            "field": self.field,
            "message": self.message,
        }


class DataInvalid(Exception):
    """Raised when the data has problems; carries every problem found, sorted by place."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data")

    def report(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def display_path(path: Path, root: Path) -> str:
    """Path as shown in reports: relative to the data folder's parent when possible."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)
