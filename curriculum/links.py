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


# North American numbers (+1): a three-digit area code and exchange, neither starting with 0 or 1, then four.
NANP = re.compile(r"^\+1[2-9]\d{2}[2-9]\d{6}$")
# The reserved fictional range 555-0100 to 555-0199 (any area code): never a real line.
FICTIONAL = re.compile(r"^\+?1?\d{3}55501\d{2}$")
# Links that run code instead of opening a page: never allowed anywhere on the site.
UNSAFE_SCHEME = re.compile(r"^\s*(?:javascript|data|vbscript):", re.I)


def dialable_problem(phone: str, short_code: bool = False) -> str | None:
    """Why ``phone`` (as stored) cannot be dialed, or None. A short code (988, a text code) is allowed
    only where the caller says it is one (the registry's ``short_code: true``)."""
    if SHORT_CODE.match(phone):
        return None if short_code else (f"{phone!r} is a short code; if it really is one (like 988), "
                                        "add 'short_code: true' to the entry, else give the full number")
    if not E164.match(phone):
        return f"{phone!r} is not an E.164 number like '+18008435678'"
    if phone.startswith("+1") and not NANP.match(phone):
        digits = len(phone) - 2
        return (f"{phone!r} is not a North American number: after +1 come 10 digits (a 3-digit area code and a "
                f"7-digit number, neither starting with 0 or 1), here {digits}")
    return None


def is_external(url: str) -> bool:
    return bool(EXTERNAL.match(url))


def dialed_digits(display: str) -> str:
    """The digits a person dials from a display form.

    "1-800-THE-LOST (1-800-843-5678)" -> "18008435678": when the display gives the whole number in
    brackets, that is what people dial; otherwise letters are mapped to keypad digits.
    """
    bracketed = re.search(r"\(([^)]*\d[^)]*)\)", display)
    # "(555) 555-0100": brackets around an area code only are part of the number, not its spelled-out form.
    whole = bracketed and sum(c.isdigit() for c in bracketed.group(1)) >= 7
    text = bracketed.group(1) if whole and bracketed else display
    return "".join(KEYPAD.get(c, c) for c in text.upper() if c.isdigit() or c in KEYPAD)


def dials(display: str, phone: str) -> bool:
    """Whether the printed ``display`` dials ``phone`` (E.164 or a short code), with or without the 1."""
    want = phone.removeprefix("+")
    got = dialed_digits(display)
    return got == want or (want.startswith("1") and got == want.removeprefix("1"))
