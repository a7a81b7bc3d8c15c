"""Problems found in the data, each pointing at a file, a line, a record and a field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, reported as `path:line: record-id: field: message`."""

    path: str
    line: int
    record_id: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.record_id}: {self.field}: {self.message}"

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
