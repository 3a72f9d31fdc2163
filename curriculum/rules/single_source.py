"""Rule 'single-source': every phone number, text code and web address comes from the registry.

Outside a macro (``{{ ... }}``, ``{% ... %}``), a page may not contain a URL, anything shaped like a
phone number, or any registry entry's number or web host: each is typed by hand, and a hand-typed
number is the one that goes stale or wrong (README: "Never type a phone number or web address").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..errors import Problem
from ..links import TYPED_PHONE, TYPED_URL, TYPED_VANITY
from ..registry import Registry
from . import Context, Document, Rule

MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


_PATTERNS: dict[int, tuple[Registry, list[tuple[str, re.Pattern]]]] = {}


def patterns(registry: Registry) -> list[tuple[str, re.Pattern]]:
    """What must never be typed by hand: URLs, phone-number shapes, and every registry number and host."""
    cached = _PATTERNS.get(id(registry))
    if cached is not None and cached[0] is registry:
        return cached[1]
    found: list[tuple[str, re.Pattern]] = []
    for r in registry.resources.values():
        for number in filter(None, (r.text, r.phone and r.phone.removeprefix("+1").removeprefix("+"))):
            # Whole numbers only: "988" in "b988a" (a content hash) or "1988" is not the help line.
            found.append((f"{r.key}'s number", re.compile(rf"(?<![\w-]){re.escape(number)}(?![\w-])")))
        if r.web:
            host = (urlsplit(r.web).hostname or "").removeprefix("www.")
            found.append((f"{r.key}'s address", re.compile(rf"\b{re.escape(host)}\b", re.I)))
    # After the registry's own numbers and hosts, so a problem names the entry to use when it can.
    found += [("a web address", TYPED_URL), ("a phone number", TYPED_PHONE), ("a phone number", TYPED_VANITY)]
    _PATTERNS[id(registry)] = (registry, found)
    return found


def hand_typed(text: str, registry: Registry) -> list[tuple[int, str, str]]:
    """(line, what, the text) for each number or address outside a macro."""
    found = []
    masked = MACRO.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for number, line in enumerate(masked.split("\n"), 1):
        spans: list[tuple[int, int]] = []
        for label, pattern in patterns(registry):
            match = pattern.search(line)
            if match and not any(start < match.end() and match.start() < end for start, end in spans):
                spans.append(match.span())
                found.append((number, label, match.group(0)))
    return found


def check(doc: Document, context: Context) -> list[Problem]:
    return [Problem(doc.path, f"{label} typed by hand: {text!r}", line,
                    'Numbers and links come from macros/resources.yml: {{ hotline("key") }} for a number, '
                    '{{ resource("key") }} for a link (README, "Add or update a resource").')
            for line, label, text in hand_typed(doc.text, context.registry)]


RULE = Rule("single-source", "numbers and addresses typed by hand", check)
