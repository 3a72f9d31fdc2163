"""What a district edition adds to pages: the reporting steps in order, the contacts, and the
"before you print" sign-off sheet. Every district value is HTML-escaped here: it is the district's
text, never markup. The output is Markdown with inline HTML (the macros plugin returns it into a page).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from .district import NEUTRAL_BY_LANG, District
from .registry import Registry
from .resource_html import Reached, reached_on
from .schemas import ROLES
from .worksheet import blank

MUST_CHECK_HEADING = re.compile(r"^##\s+Must-check list", re.M)


def _tel(phone: str, shown: str) -> str:
    return f'<a class="fir-district" href="tel:{escape(phone)}">{escape(shown)}</a>'


def reporting_steps(district: District, lang: str = "en", email: bool = True) -> str:
    """A Markdown ordered list: who to call first, second, third, with name, number and (unless
    ``email`` is False, as on the card, where room is short) email. Markdown, not an HTML <ol>, so it
    can nest inside a page's own numbered step (indent it with ``| indent(4)``); each item's name is
    ``<strong class="fir-step">``."""
    if not district.reporting_steps:
        # No district file: the neutral step (or the older flat ``contact``), never a blank; on paper,
        # write-in lines for the name and number.
        who = escape(district.contact) if district.contact else NEUTRAL_BY_LANG[lang]["contact"]
        same_day = "el mismo día" if lang == "es" else "the same school day"
        name = "nombre" if lang == "es" else "name"
        phone = "teléfono" if lang == "es" else "phone"
        number = _tel(district.phone, district.phone_display or district.phone) if district.phone else \
            blank("short", hint=phone)
        return f'1. <strong class="fir-step">{who}</strong>, {same_day}: {blank(hint=name)} {number}'
    items = []
    for n, step in enumerate(district.reporting_steps, 1):
        c = district.by_role(step.role)
        when = f" ({escape(step.when)})" if step.when else ""
        mail = f", {escape(c.email)}" if email else ""
        items.append(f'{n}. <strong class="fir-step">{escape(c.label)}</strong>: '
                     f"{_tel(c.phone, c.shown_phone)}{mail}{when}")
    return "\n".join(items)


def contacts_table(district: District) -> str:
    if not district.contacts:
        return ""           # the neutral pages already say whom to ask
    rows = "".join(f"<tr><td>{escape(ROLES[c.role].capitalize())}</td><td>{escape(c.name)}</td>"
                   f"<td>{_tel(c.phone, c.shown_phone)}</td><td>{escape(c.email)}</td></tr>"
                   for c in district.contacts)
    return ('<p>How to reach them:</p>\n<table class="fir-contacts"><thead><tr><th>Role</th><th>Name</th>'
            f"<th>Phone</th><th>Email</th></tr></thead><tbody>{rows}</tbody></table>")


def must_check(facts: Path) -> list[str]:
    """facts.md's must-check list before printing, item by item (Markdown), in its own order."""
    try:
        text = facts.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"cannot read the facts file {facts} (the plugin's 'facts' option): {error}") from None
    found = MUST_CHECK_HEADING.search(text)
    if found is None:
        raise ValueError(f"{facts} has no '## Must-check list' section for the before-you-print page")
    section = text[found.end():]
    section = section.split("\n## ", 1)[0]
    return [m.group(1).strip() for m in re.finditer(r"^\d+\.\s+(.+)$", section, re.M)]


def before_you_print(registry: Registry, reached: Reached, district: District, facts: Path,
                     district_file: Path | None, paper: str) -> str:
    out = ["## Critical help lines and links", "",
           "Every entry the registry marks critical, with the day its details were last reviewed against "
           "its source and the day the link checker (`make linkcheck`) last reached its web address.", "",
           '<table class="fir-before-print"><thead><tr><th>Resource</th><th>Source reviewed</th>'
           "<th>Link last reached</th></tr></thead><tbody>"]
    for r in sorted((r for r in registry.resources.values() if r.tier == "critical"), key=lambda r: r.name):
        if r.web:
            day = reached_on(r, reached)
            link = day.isoformat() if day else "never reached: check it by hand"
        else:
            link = "no web address: call or text it to check"
        out.append(f'<tr><td data-resource="{escape(r.key)}">{escape(r.name)}</td><td>{r.verified.isoformat()}</td>'
                   f"<td>{escape(link)}</td></tr>")
    out += ["</tbody></table>", "", "## Facts to re-check before a print run", "",
            "From the project's verified facts (`reference/facts.md`, its must-check list):", ""]
    out += [f"{n}. {item}" for n, item in enumerate(must_check(facts), 1)]
    out += ["", "## District values in use", ""]
    if not district.configured:
        out += ["No district file is configured: every page uses neutral wording "
                "(\"your school counselor or principal\"). Build with `make site DISTRICT=district.yml` "
                "to name your people.", ""]
    rows = [("District file", str(district_file.name) if district_file else "none (extra.district in the config)"),
            ("Name", district.name), ("Short name", district.short_name), ("State", district.state),
            ("Website", district.website), ("Policy", district.policy_name),
            ("Policy adopted", district.policy_adopted.isoformat() if district.policy_adopted else ""),
            ("Languages offered", ", ".join(district.languages)), ("Paper", paper.capitalize() if paper else ""),
            ("Family letters: preview", district.preview), ("Family letters: opt-out", district.opt_out)]
    out.append('<table class="fir-district-values"><tbody>')
    for label, value in rows:
        out.append(f"<tr><th>{escape(label)}</th><td>{escape(value) if value else '<em>not set</em>'}</td></tr>")
    out.append("</tbody></table>")
    out += ["", "### Who staff call, in order", "", reporting_steps(district), ""]
    if district.contacts:
        out += ["### Every contact", "", contacts_table(district)]
    out += ["",
            "## Sign-off", "",
            "I have checked every critical entry above on its official website, the facts to re-check, and "
            "the district values, and they are right for this print run.", "",
            f"Curriculum coordinator: {blank('long', hint='name and signature')} "
            f"Date: {blank('short', hint='date')}", ""]
    return "\n".join(out)
