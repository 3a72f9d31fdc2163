"""Markdown blocks as Python-Markdown reads them: admonitions (``!!! say``) and collapsible blocks
(``??? facilitator``), so every check sees the block types the site shows.

Python-Markdown lower-cases the type and keeps every word as a class: ``!!! Say``, ``!!!say`` and
``!!! note say`` are all Say blocks. The patterns are the extensions' own (markdown.extensions.
admonition, pymdownx.details), anchored to a whole line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

# Words meant for the teacher only: never in a student handout, never on a slide.
TEACHER_ONLY = frozenset({"say", "facilitator"})
SAY = "say"

ADMONITION = re.compile(r'^(?P<indent> *)!!! ?(?P<classes>[\w\-]+(?: +[\w\-]+)*)(?: +"(?P<title>.*?)")? *$')
DETAILS = re.compile(r'^(?P<indent> *)\?{3}\+? ?(?:(?P<classes>[\w\-]+(?: +[\w\-]+)*?)?(?: +"(?P<title>.*?)")'
                     r'|(?P<bare>[\w\-]+(?: +[\w\-]+)*?)) *$')
FENCE = re.compile(r"^ *(```|~~~)")
# A snippet included by the macros plugin: {% include "name.md" %}
INCLUDE = re.compile(r"\{%-?\s*include\s+[\"'](?P<name>[\w./-]+)[\"']\s*-?%\}")


@dataclass
class Block:
    classes: frozenset[str]   # lower case, as the HTML class list
    line: int                 # of the opening '!!!' or '???' line
    title: str | None
    text: str                 # the block's body, dedented

    def has(self, name: str) -> bool:
        return name in self.classes

    @property
    def teacher_only(self) -> bool:
        return bool(self.classes & TEACHER_ONLY)


def opening(line: str) -> tuple[int, frozenset[str], str | None] | None:
    """(indent, classes, title) when ``line`` opens an admonition or a collapsible block."""
    match = ADMONITION.match(line) or DETAILS.match(line)
    if match is None:
        return None
    groups = match.groupdict()
    words = (groups.get("classes") or groups.get("bare") or "").lower().split()
    return len(match["indent"]), frozenset(words), groups.get("title")


def outside_code(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """The (line number, text) pairs that are not inside fenced code."""
    fenced = False
    for number, text in lines:
        if FENCE.match(text):
            fenced = not fenced
            continue
        if not fenced:
            yield number, text


def blocks(lines: Iterable[tuple[int, str]]) -> list[Block]:
    """Every admonition and collapsible block (nested ones too), from (line number, text) pairs."""
    found: list[tuple[int, Block, list[str]]] = []       # (indent, block, body lines)
    open_blocks: list[tuple[int, Block, list[str]]] = []
    for number, text in outside_code(lines):
        indent = len(text) - len(text.lstrip(" "))
        while open_blocks and text.strip() and indent <= open_blocks[-1][0]:
            open_blocks.pop()
        for _, _, body in open_blocks:
            body.append(text)
        start = opening(text)
        if start is not None:
            at, classes, title = start
            entry: tuple[int, Block, list[str]] = (at, Block(classes, number, title, ""), [])
            found.append(entry)
            open_blocks.append(entry)
    out = []
    for indent, block, body in found:
        block.text = "\n".join(line[indent + 4:] if line.startswith(" " * (indent + 4)) else line.strip()
                               for line in body).strip()
        out.append(block)
    return out


def expand_includes(text: str, snippets: Mapping[str, str], keep: bool = False, depth: int = 4) -> str:
    """``text`` with each ``{% include "x.md" %}`` written out from ``snippets`` (file name -> text),
    nested ones too. ``keep``: leave each include statement in place, before its text."""
    for _ in range(depth):
        grown = INCLUDE.sub(lambda m: (m.group(0) if keep else "")
                            + snippets.get(m["name"].rsplit("/", 1)[-1], ""), text)
        if grown == text:
            break
        text = grown
    return text


def included(text: str) -> set[str]:
    """The file names of the snippets ``text`` includes."""
    return {m["name"].rsplit("/", 1)[-1] for m in INCLUDE.finditer(text)}


def numbered(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    return [(first_line + i, line) for i, line in enumerate(text.split("\n"))]
