"""Rule 'csam': on each page, the first "CSAM" is the one in "child sexual abuse material (CSAM)",
so no reader meets the acronym before its meaning."""

from __future__ import annotations

import re

from ..errors import Problem
from . import Context, Document, Rule
from .text import Finding

BARE_CSAM = re.compile(r"\bCSAM\b")
# English, and Spanish: "material de abuso sexual infantil (CSAM)".
DEFINED_CSAM = re.compile(r"(?:child\s+sexual\s+abuse\s+material|material\s+de\s+abuso\s+sexual\s+infantil)"
                          r"\s*\(\s*CSAM\s*\)", re.I)


def csam_first_use(source: str) -> Finding | None:
    """None when the page never says CSAM, or its first CSAM is inside the full definition."""
    text = re.sub(r"[*_`]+", "", source)
    first = BARE_CSAM.search(text)
    if first is None:
        return None
    definition = DEFINED_CSAM.search(text)
    if definition is not None and definition.start() < first.start() < definition.end():
        return None
    line = text.count("\n", 0, first.start()) + 1
    where = "is never defined" if definition is None else \
        f"is defined only later, on line {text.count(chr(10), 0, definition.start()) + 1}"
    return Finding(line, f"'CSAM' is used before it is defined: it {where}. Write "
                         "\"child sexual abuse material (CSAM)\" at its first use.")


def check(doc: Document, context: Context) -> list[Problem]:
    finding = csam_first_use(doc.text)
    if finding and doc.lang == "es":
        finding = Finding(finding.line, finding.text.replace('Write "child sexual abuse material (CSAM)"',
                                                             'Write "material de abuso sexual infantil (CSAM)"'))
    return [Problem(doc.path, finding.text, finding.line)] if finding else []


RULE = Rule("csam", "CSAM defined at first use", check)
