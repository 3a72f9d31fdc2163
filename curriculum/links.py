"""What a phone number, a text code and an external address look like: one definition of each.

Used by the registry and the district file (numbers people dial), the site and PDF checks (links),
and the single-source rule (numbers and addresses typed by hand into a page).
"""

from __future__ import annotations

import re

# Numbers as stored: E.164 ("+18008435678"), or a short dialing or text code ("988", "741741").
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
SHORT_CODE = re.compile(r"^\d{3,6}$")
KEYPAD = {c: d for d, letters in {"2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO",
                                  "7": "PQRS", "8": "TUV", "9": "WXYZ"}.items() for c in letters}

# Links: another host (with or without a scheme), and any scheme at all.
EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
DIAL_SCHEMES = ("tel:", "sms:")
# Stylesheet references: url(...) and @import "...".
CSS_URL = re.compile(r"url\(\s*['\"]?(?P<url>[^'\")]+)['\"]?\s*\)|@import\s+['\"](?P<imp>[^'\"]+)")

# Typed by hand in prose (never allowed: numbers and addresses come from the registry's macros).
TYPED_URL = re.compile(r"https?://|\bwww\.", re.I)
TYPED_PHONE = re.compile(r"\b1?[-. (]*\d{3}[-. )]+\d{3}[-. ]\d{4}\b")
TYPED_VANITY = re.compile(r"\b1-8\d\d-[0-9A-Z]{3}-[0-9A-Z]{4}\b")


def is_external(url: str) -> bool:
    return bool(EXTERNAL.match(url))


def dialed_digits(display: str) -> str:
    """The digits a person dials from a display form.

    "1-800-THE-LOST (1-800-843-5678)" -> "18008435678": when the display gives the number in
    brackets, that is what people dial; otherwise letters are mapped to keypad digits.
    """
    bracketed = re.search(r"\(([^)]*\d[^)]*)\)", display)
    text = bracketed.group(1) if bracketed else display
    return "".join(KEYPAD.get(c, c) for c in text.upper() if c.isdigit() or c in KEYPAD)


def dials(display: str, phone: str) -> bool:
    """Whether the printed ``display`` dials ``phone`` (E.164 or a short code), with or without the 1."""
    want = phone.removeprefix("+")
    got = dialed_digits(display)
    return got == want or (want.startswith("1") and got == want.removeprefix("1"))
