"""Markdown as the rules read it: plain sentences with their line numbers.

Paragraphs, list items, headings, admonition titles and table cells become ``Block``s of plain text
(macros, links and HTML reduced to the words a reader sees), so a rule can look at sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..blocks import FENCE, opening


@dataclass
class Finding:
    line: int
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}"


LIST_ITEM = re.compile(r"^(?P<indent> *)(?:[-*+]|\d+[.)])\s+(?P<text>.*)$")
HEADING = re.compile(r"^ *#{1,6}\s+(?P<text>.*)$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def plain(markdown: str) -> str:
    """Inline Markdown, macros and HTML to the words a reader sees (roughly)."""
    text = re.sub(r"\{\{-?\s*resource\(\s*\"[^\"]*\"\s*,\s*\"([^\"]*)\"\s*\)\s*-?\}\}", r"\1", markdown)
    text = re.sub(r"\{\{.*?\}\}", "someone", text)       # other macros: a name, a number, a link
    text = re.sub(r"\{%.*?%\}", " ", text)
    text = re.sub(r"\{:?\s*[#.][^}]*\}", " ", text)        # attr_list { #id }
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: keep the text
    text = re.sub(r"<[^>]+>", " ", text)                    # raw HTML tags
    text = re.sub(r"&nbsp;", " ", text)
    text = re.sub(r"[*_`]+", "", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Block:
    """One paragraph, list item, heading, admonition title or table row, as plain text."""
    line: int
    kind: str            # paragraph | item | heading | title | row
    indent: int
    text: str


def blocks(source: str) -> list[Block]:
    """The text blocks of a Markdown file, with the line each starts on."""
    out: list[Block] = []
    current: Block | None = None
    fenced = False
    for number, raw in enumerate(source.split("\n"), start=1):
        if FENCE.match(raw):
            fenced = not fenced
            current = None
            continue
        if fenced:
            continue
        stripped = raw.strip()
        if not stripped or stripped == "---" or TABLE_RULE.match(stripped):
            current = None
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if (opened := opening(raw)) is not None:
            out.append(Block(number, "title", indent, plain(opened[2] or "")))
            current = None
            continue
        if m := HEADING.match(raw):
            out.append(Block(number, "heading", indent, plain(m["text"])))
            current = None
            continue
        if stripped.startswith("|"):
            for cell in stripped.strip("|").split("|"):
                out.append(Block(number, "row", indent, plain(cell)))
            current = None
            continue
        if m := LIST_ITEM.match(raw):
            current = Block(number, "item", len(m["indent"]), plain(m["text"]))
            out.append(current)
            continue
        text = plain(stripped.lstrip(">").strip())
        if current is not None and current.kind in ("paragraph", "item"):
            current.text = f"{current.text} {text}".strip()
        else:
            current = Block(number, "paragraph", indent, text)
            out.append(current)
    return out


SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]*[A-Z0-9])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]
