"""HTML for registry entries. Pure functions, used by the macros and by the print path.

Every link carries ``data-resource="<key>"`` so tests and the PDF step can tell which registry
entries a page uses (for example to add QR codes for critical ones).
"""

from __future__ import annotations

from html import escape

from .registry import GROUP_TITLES, Registry, Resource


def _a(href: str, text: str, key: str, cls: str) -> str:
    return (f'<a class="{cls}" data-resource="{escape(key)}" href="{escape(href)}">'
            f"{escape(text)}</a>")


def resource_link(r: Resource, text: str | None = None) -> str:
    """A link with the resource's name (its web address, or its dial link for numbers)."""
    href = r.web or r.href
    return _a(href, text or r.name, r.key, "fir-resource")


def hotline_link(r: Resource) -> str:
    """The display text inside a tel: or sms: link built from the same field."""
    if not (r.phone or r.text):
        raise ValueError(f"resource '{r.key}' has no phone number or text code; use resource('{r.key}')")
    return _a(r.href, r.display or "", r.key, "fir-hotline")


def resource_item(r: Resource) -> str:
    """One entry as Markdown: name, what it is for, how to reach it, when it was checked."""
    reach = []
    if r.phone or r.text:
        reach.append(("Text: " if r.text else "Call: ") + hotline_link(r))
    if r.web:
        reach.append(resource_link(r, r.web.removeprefix("https://").rstrip("/")))
    details = " · ".join(reach)
    meta = []
    if r.hours:
        meta.append(escape(r.hours))
    meta.append(f"checked {r.verified.isoformat()}")
    return (f"- **{escape(r.name)}** ({escape(r.org)}). {escape(r.summary)}  \n"
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


def resource_list(resources: list[Resource]) -> str:
    return "\n".join(resource_item(r) for r in resources) + "\n"


def resource_table(resources: list[Resource]) -> str:
    rows = ["| Resource | What it is for | How to reach it |", "|---|---|---|"]
    for r in resources:
        reach = hotline_link(r) if (r.phone or r.text) else resource_link(r, (r.web or "").removeprefix("https://"))
        rows.append(f"| **{escape(r.name)}** | {escape(r.summary)} | {reach} |")
    return "\n".join(rows) + "\n"


def directory(registry: Registry, heading_level: int = 2) -> str:
    """The whole registry, grouped as get help now / report / remove images / learn more."""
    out = []
    for group, title in GROUP_TITLES.items():
        out.append(f"{'#' * heading_level} {title}\n")
        out.append(resource_list(select(registry, group=group)))
    return "\n".join(out)
