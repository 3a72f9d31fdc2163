"""One error type for every problem a teacher or district editor can fix in a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Problem:
    """A problem in a source file, written for the person who edits that file."""

    path: Path | str
    message: str
    line: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        text = f"{where}: {self.message}"
        return f"{text}\n    -> {self.hint}" if self.hint else text


class ContentError(Exception):
    """Raised with every problem found, so one build reports all of them at once."""

    def __init__(self, problems: list[Problem], where: str = "the curriculum source"):
        self.problems = problems
        self.where = where
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found in {self.where}:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ContentError(problems)
