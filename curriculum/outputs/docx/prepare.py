"""The rendered page made ready for pandoc's HTML reader, so Word gets real structure.

- what means nothing in a document goes: heading permalinks, scripts, form controls, icons;
- collapsible blocks and tabs are laid out in full (shared with the PDFs: outputs/pdf/repair.py),
  and a box's title becomes a bold line (pandoc has no boxes);
- each link shows its address (web links) or number (dial links), as on paper; links to the site's
  own pages become absolute with ``site_url``, or plain text without it;
- a ``{{ blank() }}`` becomes a fill-in run (character style FILL_IN): underlined space to type
  over, or its caption in brackets ("[name]"), which convert.py makes a content control;
- a write-in box ``[ ]`` becomes a ballot box;
- a survey question (a paragraph that starts with a bold "3.") becomes a numbered list item with
  its answer choices as a bulleted list under it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from lxml import etree
from lxml import html as lxml_html

from ...registry import Resource
from ..pdf import repair

FILL_IN = "Fill-in"                      # the character style of a blank (reference.py defines it)
BOX = "\u2610"                           # ☐
CHOICE = re.compile(r"\[ \]")
QUESTION = re.compile(r"^\s*(\d+)\.\s*$")
# How wide a blank is when it has no caption, in no-break spaces (a blank's widths: worksheet.py).
BLANK_SPACES = {"short": 12, "medium": 24, "long": 40}
NBSP = "\u00a0"


def _fill_in(text: str) -> etree._Element:
    span = etree.Element("span", {"custom-style": FILL_IN})
    span.text = text
    return span


def _blank_text(blank: etree._Element) -> str:
    hint = blank.xpath("string(.//span[contains(@class, 'fir-blank-hint')])").strip()
    width = next((w for w in BLANK_SPACES if f"fir-blank-{w}" in repair.classes(blank)), "medium")
    return f"[{hint}]" if hint else NBSP * BLANK_SPACES[width]


def blanks(root: etree._Element) -> int:
    """Each blank becomes a fill-in run; a blank of several lines, one run per line. Returns how many."""
    count = 0
    for blank in list(root.iter("span")):
        names = repair.classes(blank)
        if "fir-blank-lines" in names:
            lines = int(blank.get("data-lines") or 1)
            hint = blank.xpath("string(.//span[contains(@class, 'fir-blank-hint')])").strip()
            new = etree.Element("span")
            for i in range(lines):
                if i:
                    etree.SubElement(new, "br")
                new.append(_fill_in(NBSP * BLANK_SPACES["long"] * 2))
            if hint:
                etree.SubElement(new, "br").tail = hint
        elif "fir-blank" in names:
            new = _fill_in(_blank_text(blank))
        else:
            continue
        count += 1
        new.tail = blank.tail
        blank.getparent().replace(blank, new)
    return count


def boxes(root: etree._Element) -> None:
    """Admonitions and opened <details> as plain blocks under a bold title line."""
    for title in list(root.xpath(".//p[contains(concat(' ', @class, ' '), ' admonition-title ')] | .//summary")):
        p = etree.Element("p")
        strong = etree.SubElement(p, "strong")
        strong.text = title.text_content().strip()
        p.tail = title.tail
        title.getparent().replace(title, p)
    for details in list(root.iter("details")):
        details.tag = "div"
        details.attrib.pop("open", None)


def drop_decoration(root: etree._Element) -> None:
    """Inline icons (svg) and images: the documents carry no pictures; an image's alt text stays."""
    for element in list(root.iter("svg", "{http://www.w3.org/2000/svg}svg")):
        element.drop_tree()
    for img in list(root.iter("img")):
        alt = (img.get("alt") or "").strip()
        if alt:
            span = etree.Element("span")
            span.text, span.tail = alt, img.tail
            img.getparent().replace(img, span)
        else:
            img.drop_tree()


def _inner(element: etree._Element) -> str:
    out = [escape(element.text, quote=False)] if element.text else []
    out += [lxml_html.tostring(child, encoding="unicode") for child in element]
    return "".join(out)


def _strip_breaks(markup: str) -> str:
    return re.sub(r"^(?:\s|<br\s*/?>|&#160;|\u00a0)+|(?:\s|<br\s*/?>|&#160;|\u00a0)+$", "", markup)


def _fragment(markup: str, tag: str) -> etree._Element:
    return lxml_html.fragment_fromstring(markup, create_parent=tag)


def survey_questions(root: etree._Element) -> int:
    """'**3.** Question?<br>[ ] Yes [ ] No' becomes item 3 of a numbered list, with a list of choices.
    Returns how many questions were found."""
    count = 0
    for p in list(root.iter("p")):
        first = next((c for c in p if isinstance(c.tag, str)), None)
        if first is None or first.tag != "strong" or (p.text or "").strip() or not QUESTION.match(first.text_content()):
            continue
        number = QUESTION.match(first.text_content())[1]       # type: ignore[index]
        rest = (first.tail or "")
        first.tail = None
        p.remove(first)
        p.text = rest + (p.text or "")
        parts = CHOICE.split(_inner(p))
        ol = etree.Element("ol", {"start": number})
        li = etree.SubElement(ol, "li")
        li.append(_fragment(_strip_breaks(parts[0]), "p"))
        choices = [_strip_breaks(c) for c in parts[1:]]
        if any(choices):
            ul = etree.SubElement(li, "ul")
            for choice in choices:
                ul.append(_fragment(f"{BOX} {choice}", "li"))
        ol.tail = p.tail
        p.getparent().replace(p, ol)
        count += 1
    return count


def ballot_boxes(root: etree._Element) -> None:
    """Every remaining '[ ]' (checklists, survey tables) as a ballot box."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("text", "tail"):
            value = getattr(element, attr)
            if value and "[ ]" in value:
                setattr(element, attr, CHOICE.sub(BOX, value))


def prepare(html: str, page_url: str, resources: Mapping[str, Resource], site_url: str = "",
            survey: bool = False) -> str:
    """The page's content HTML as pandoc should read it."""
    root = repair.parse(html)
    repair.remove_permalinks(root)
    repair.remove_interactive(root)
    repair.open_details(root)
    repair.sequential_tabs(root)
    drop_decoration(root)
    boxes(root)
    blanks(root)
    if survey:
        survey_questions(root)
    ballot_boxes(root)
    repair.resolve_internal_links(root, page_url, site_url)
    repair.print_link_targets(root, resources, site_links=True)
    for a in root.iter("a"):            # pandoc needs no classes or data; keep the address only
        for name in list(a.attrib):
            if name not in ("href",):
                del a.attrib[name]
    return repair.serialize(root)
