"""Rule 'terms': never "revenge porn" or "child pornography" (CONTRIBUTING.md, Terms; facts.md §4c).

Allowed only inside the name of a statute or of an organization: what counts as that is deliberately
narrow (``statute_name_spans``). Plain prose use, lower case or otherwise, is never allowed.
"""

from __future__ import annotations

import re

from ..errors import Problem
from . import Context, Document, Rule
from .text import Finding, blocks

BANNED = re.compile(r"\b(?:revenge[\s-]+porn\w*|child[\s-]+porn\w*)", re.I)
# Organizations whose proper name contains a banned term (CONTRIBUTING.md allows organization names).
# StopNCII.org is run by the "Revenge Porn Helpline" (facts.md §6). Exact, capitalized name only.
ORGANIZATION_NAMES = ("Revenge Porn Helpline",)
STATUTE_WORDS = r"(?:Act|Law|Code|Statute|Amendment)"
QUOTED = re.compile(r"\"[^\"\n]{0,200}\"|\u201c[^\u201d\n]{0,200}\u201d|(?<![*\w])\*[^*\n]{1,200}\*(?!\*)"
                    r"|(?<![_\w])_[^_\n]{1,200}_(?![_\w])")
TITLE_CASE_ACT = re.compile(r"(?:[A-Z][\w'.-]*\s+){0,8}?(?:Child Pornography|Revenge Porn)"
                            r"(?:\s+(?:[A-Z][\w'.-]*|of|and|the|on|to))*?\s+" + STATUTE_WORDS + r"\b")
USC = re.compile(r"\bU\.\s?S\.\s?C\.|§")


def statute_name_spans(text: str) -> list[tuple[int, int]]:
    """Where a banned term may appear: only inside a statute's name or a legal citation.

    A span is allowed when it is
    - a quoted or italicized title ("...", “...”, *...* or _..._) that contains the term in Title Case
      and a statute word (Act, Law, Code, Statute, Amendment), e.g. *Child Pornography Prevention Act*;
    - an unquoted Title Case name that ends in one of those words, e.g. Child Pornography Prevention Act;
    - the term in Title Case or in quotation marks within 60 characters of a citation ("U.S.C." or "§"),
      e.g. the legal term "child pornography" (18 U.S.C. § 2256);
    - an organization's exact name from ORGANIZATION_NAMES.
    Plain prose use, lower case or otherwise, is never allowed.
    """
    spans: list[tuple[int, int]] = []
    for m in QUOTED.finditer(text):
        inner = m.group(0)
        if re.search(r"Child Pornography|Revenge Porn", inner) and re.search(r"\b" + STATUTE_WORDS + r"\b", inner):
            spans.append(m.span())
    spans += [m.span() for m in TITLE_CASE_ACT.finditer(text)]
    for m in BANNED.finditer(text):
        before, after = text[max(0, m.start() - 60):m.start()], text[m.end():m.end() + 60]
        quoted = before.endswith(("\"", "\u201c")) and after.startswith(("\"", "\u201d"))
        title_case = m.group(0)[0].isupper()
        if (quoted or title_case) and (USC.search(before) or USC.search(after)):
            spans.append(m.span())
    for name in ORGANIZATION_NAMES:
        spans += [m.span() for m in re.finditer(re.escape(name), text)]
    return spans


def banned_terms(source: str) -> list[Finding]:
    found = []
    for block in blocks(source):
        allowed = statute_name_spans(block.text)
        for m in BANNED.finditer(block.text):
            if not any(start <= m.start() and m.end() <= end for start, end in allowed):
                found.append(Finding(block.line, f"'{m.group(0)}' in: {block.text[:160]}"))
    return found


def check(doc: Document, context: Context) -> list[Problem]:
    return [Problem(doc.path, f"a banned term: {finding.text}", finding.line,
                    "Say 'image-based sexual abuse', or 'child sexual abuse material (CSAM)' (CONTRIBUTING.md, Terms).")
            for finding in banned_terms(doc.text)]


RULE = Rule("terms", "banned terms", check)
