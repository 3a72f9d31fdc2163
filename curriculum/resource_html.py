"""HTML for registry entries. Pure functions, used by the macros and by the print path.

Every link carries ``data-resource="<key>"`` so tests and the PDF step can tell which registry
entries a page uses (for example to add QR codes for critical ones).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from html import escape

from .registry import GROUP_TITLES, Registry, Resource
from .words import words

# URL -> the day the link checker last reached it (curriculum/linkcheck/cache.py ``reached``).
Reached = Mapping[str, dt.date]


def _key(url: str) -> str:
    return url.split("://", 1)[-1].lower().removeprefix("www.").rstrip("/")


def reached_on(r: Resource, reached: Reached | None) -> dt.date | None:
    """The day the link checker last reached this entry's web address, or None (never reached)."""
    if not r.web or not reached:
        return None
    if r.web in reached:
        return reached[r.web]
    wanted = _key(r.web)
    return next((day for url, day in reached.items() if _key(url) == wanted), None)


def entry_dates(r: Resource, reached: Reached | None = None, lang: str = "en") -> list[str]:
    """How current one entry is, in two dates kept apart: when its details were reviewed against our
    sources (the registry's ``verified``), and when the link checker last reached its web address.
    A link no one has reached is never called checked."""
    w = words(lang)
    out = [w["reviewed_short"].format(date=r.verified.isoformat())]
    if r.web:
        day = reached_on(r, reached)
        out.append(w["reached_short"].format(date=day.isoformat()) if day else w["not_reached_short"])
    else:
        out.append(w["numbers_unchecked_short"])
    return out


def currency(resources: Iterable[Resource], reached: Reached | None = None, lang: str = "en") -> list[str]:
    """The same for a set of entries (a card, a packet): the oldest review, and the link check."""
    chosen = list(resources)
    if not chosen:
        return []
    w = words(lang)
    out = [w["reviewed"].format(date=min(r.verified for r in chosen).isoformat())]
    linked = [r for r in chosen if r.web]
    days = [reached_on(r, reached) for r in linked]
    missing = sum(1 for d in days if d is None)
    if linked and not missing:
        out.append(w["reached"].format(date=min(d for d in days if d is not None).isoformat()))
    elif linked and missing == len(linked):
        out.append(w["not_reached"])
    elif linked:
        out.append(w["some_reached"].format(count=missing, total=len(linked)))
    if any(r.phone or r.text for r in chosen):
        out.append(w["numbers_unchecked"])
    return out


def _a(href: str, text: str, key: str, cls: str) -> str:
    return (f'<a class="{cls}" data-resource="{escape(key)}" href="{escape(href)}">'
            f"{escape(text)}</a>")


def resource_link(r: Resource, text: str | None = None, lang: str = "en") -> str:
    """A link with the resource's name (its web address, or its dial link for numbers)."""
    href = r.web or r.href
    return _a(href, text or r.words(lang)["name"] or r.name, r.key, "fir-resource")


def hotline_link(r: Resource, lang: str = "en") -> str:
    """The display text inside a tel: or sms: link built from the same field."""
    if not (r.phone or r.text):
        raise ValueError(f"resource '{r.key}' has no phone number or text code; use resource('{r.key}')")
    return _a(r.href, r.words(lang)["display"] or "", r.key, "fir-hotline")


def resource_item(r: Resource, reached: Reached | None = None, lang: str = "en") -> str:
    """One entry as Markdown: name, what it is for, how to reach it, and how current it is (when its
    details were reviewed, and when the link checker last reached it: ``entry_dates``)."""
    w, own = words(lang), r.words(lang)
    reach = []
    if r.phone or r.text:
        reach.append((w["text"] if r.text else w["call"]) + hotline_link(r, lang))
    if r.web:
        reach.append(resource_link(r, r.web.removeprefix("https://").rstrip("/")))
    details = " · ".join(reach)
    meta = []
    if own["hours"]:
        meta.append(escape(own["hours"] or ""))
    meta += [escape(part) for part in entry_dates(r, reached, lang)]
    name, org, summary = own["name"] or r.name, own["org"] or r.org, own["summary"] or r.summary
    return (f"- **{escape(name)}** ({escape(org)}). {escape(summary)}  \n"
            f"  {details}  \n  <small>{' · '.join(meta)}</small>")


def select(registry: Registry, audience: str | None = None, kind: str | None = None,
           group: str | None = None, tier: str | None = None) -> list[Resource]:
    chosen = [r for r in registry.resources.values()
              if (audience is None or audience in r.audiences)
              and (kind is None or r.kind == kind)
              and (group is None or r.group == group)
              and (tier is None or r.tier == tier)]
    if not chosen:
        raise ValueError(f"no resource matches audience={audience!r}, kind={kind!r}, "
                         f"group={group!r}, tier={tier!r}")
    return chosen


def resource_list(resources: list[Resource], reached: Reached | None = None, lang: str = "en") -> str:
    return "\n".join(resource_item(r, reached, lang) for r in resources) + "\n"


def resource_table(resources: list[Resource], lang: str = "en") -> str:
    w = words(lang)
    rows = [f"| {w['table_resource']} | {w['table_for']} | {w['table_reach']} |", "|---|---|---|"]
    for r in resources:
        own = r.words(lang)
        reach = hotline_link(r, lang) if (r.phone or r.text) else \
            resource_link(r, (r.web or "").removeprefix("https://"))
        rows.append(f"| **{escape(own['name'] or r.name)}** | {escape(own['summary'] or r.summary)} | {reach} |")
    return "\n".join(rows) + "\n"


def directory(registry: Registry, heading_level: int = 2, reached: Reached | None = None, lang: str = "en") -> str:
    """The whole registry, grouped as get help now / report / remove images / learn more."""
    out = []
    for group in GROUP_TITLES:
        out.append(f"{'#' * heading_level} {words(lang)['group_' + group]}\n")
        out.append(resource_list(select(registry, group=group), reached, lang))
    return "\n".join(out)
