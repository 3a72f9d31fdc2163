"""Rule 'blanks': a write-in blank is written ``{{ blank() }}``, never as underscores (CONTRIBUTING.md).

Markdown reads a line of only underscores as a horizontal rule (a thematic break): ``4. ________``
prints a rule above the number and no line to write on, and an indented ``______`` under a question
prints a rule inside the list item. So the build stops on

- a list item, or a line, that is only underscores (what Markdown turns into a rule), and
- a run of four or more underscores anywhere else in the text ("My name: ________"): one way to
  write a blank, so every blank prints the same, with room to write.

Fenced code and inline code are left alone, and so is the front matter.
"""

from __future__ import annotations

import re

from ..blocks import FENCE
from ..errors import Problem
from . import Context, Document, Rule

ONLY_UNDERSCORES = re.compile(r"(?:[-*+]|\d{1,9}[.)])?\s*(?:_\s*){3,}")       # the whole line, stripped
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
RUN = re.compile(r"_{4,}")
CODE_SPAN = re.compile(r"`[^`\n]*`")
HINT = ("Write a blank as {{ blank() }} ({{ blank(\"long\") }} for a longer one, {{ blank(lines=3) }} "
        "for writing lines under a question): it prints a line with room to write, on paper and on the web.")


def _body_lines(text: str):
    """(line number, line) of the Markdown outside the front matter and fenced code."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        start = end + 1 if end is not None else 0
    fenced = False
    for number, raw in enumerate(lines[start:], start=start + 1):
        if FENCE.match(raw):
            fenced = not fenced
            continue
        if not fenced:
            yield number, raw


def underscore_blanks(text: str) -> list[tuple[int, str]]:
    """(line, message) for every blank written with underscores."""
    found = []
    for number, raw in _body_lines(text):
        line = CODE_SPAN.sub("", raw)
        stripped = line.strip()
        if ONLY_UNDERSCORES.fullmatch(stripped):
            what = "a list item" if LIST_MARKER.match(line) else "a line"
            found.append((number, f"{what} of only underscores, which Markdown prints as a horizontal rule, "
                                  f"not a line to write on: {stripped[:60]}"))
        elif RUN.search(line):
            found.append((number, f"a blank written with underscores: {stripped[:80]}"))
    return found


def check(doc: Document, context: Context) -> list[Problem]:
    return [Problem(doc.path, message, line, HINT) for line, message in underscore_blanks(doc.text)]


RULE = Rule("blanks", "blanks written with underscores", check)
