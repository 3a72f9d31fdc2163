"""tel: and sms: links: E.164 form, the printed text agrees with the link, the same everywhere."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html

from ..errors import Problem
from ..links import DIAL_SCHEMES, E164, SHORT_CODE, dials
from ..registry import Registry


def check_numbers(registry: Registry, site: Path | None) -> list[Problem]:
    problems: list[Problem] = []
    for r in registry.resources.values():
        if r.phone and not (E164.match(r.phone) or SHORT_CODE.match(r.phone)):
            problems.append(Problem("macros/resources.yml", f"'{r.key}': {r.phone} is not in E.164 form"))
    if site is None or not site.is_dir():
        return problems
    seen: dict[str, dict[str, str]] = {}  # number -> {display text: first page}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        for a in html.parse(str(page)).getroot().iter("a"):
            href = a.get("href") or ""
            if not href.startswith(DIAL_SCHEMES):
                continue
            text = a.text_content().strip()
            number = re.split(r"[?;]", href[4:], maxsplit=1)[0]
            if href.startswith("tel:"):
                if not (E164.match(number) or SHORT_CODE.match(number)):
                    problems.append(Problem(f"site/{rel}", f"{href} is not in E.164 form", a.sourceline))
                if not dials(text, number):
                    problems.append(Problem(f"site/{rel}", f"the text {text!r} does not dial {href}", a.sourceline))
            elif number not in text:
                problems.append(Problem(f"site/{rel}", f"the text {text!r} does not show the code in {href}",
                                        a.sourceline))
            seen.setdefault(href, {}).setdefault(text, rel)
    for href, texts in seen.items():
        if len(texts) > 1:
            shown = "; ".join(f"{t!r} on {p}" for t, p in texts.items())
            problems.append(Problem("site", f"{href} is printed in {len(texts)} different ways: {shown}"))
    return problems
