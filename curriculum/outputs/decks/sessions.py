"""Decks for the sessions adults run: the all-staff training and the family night. Each is made from
its script page as MkDocs rendered it (docs/staff/training-session.md, docs/families/family-night.md),
which includes the same snippets as the guides (the first-hour protocol), so no slide is a second copy.

Rules, simpler than a lesson's: the page title makes the title slide; each timed ``##`` section
("Welcome (3 min)") a slide of its list items; each ``###`` (a practice scenario) a slide of its
quote; a boxed list (the first-hour steps) a slide of its bold leads; an "example" box ("What a good
response sounds like") a slide of its own. Paragraphs, Say blocks and facilitator blocks (the answer
key) are the speaker notes. Sections without minutes ("Before the session") go in the title slide's notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html

from ...district import District
from ...registry import Registry
from .lesson import (
    MINUTES,
    NUMBERED,
    admonition_body,
    admonition_title,
    classes,
    help_slide,
    lead_of,
    split_answer,
    text_of,
)
from .model import Deck, Slide


@dataclass(frozen=True)
class Session:
    slug: str              # site/decks/<slug>.pptx
    src_uri: str           # the script page, under docs/
    kind: str              # the title slide's second line, before the minutes
    audience: str          # whose help lines close the deck: staff or families


SESSIONS = (
    Session("staff-training", "staff/training-session.md", "All-staff training", "staff"),
    Session("family-night", "families/family-night.md", "Family night", "families"),
)


def _items(element) -> tuple[list[str], list[str]]:
    """A list's items for a slide (the bold lead, or the item without its answer) and for the notes."""
    shown, notes = [], []
    for li in element:
        if li.tag != "li":
            continue
        lead, rest = lead_of(li)
        said, hidden = split_answer(text_of(li)) if not lead else (lead.rstrip(".:,"), rest)
        shown.append(NUMBERED.sub("", said))
        if hidden:
            notes.append(f"{said} {hidden}")
    return shown, notes


def session_deck(session: Session, page_html: str, registry: Registry, district: District) -> Deck:
    root = lxml_html.fragment_fromstring(page_html, create_parent="div")
    h1 = root.find(".//h1")
    title = text_of(h1).rstrip("¶").strip() if h1 is not None else session.slug
    minutes = sum(int(m) for h2 in root.iter("h2") for m in MINUTES.findall(text_of(h2).rstrip("¶")))
    label = f"{session.kind} · {minutes} minutes"
    deck = Deck(slug=session.slug, title=title, source=f"docs/{session.src_uri}", label=label)
    opening = Slide("title", title, subtitle=label + (f"\n{district.name}" if district.name else ""), bullets=False)
    deck.slides.append(opening)
    current = opening
    timed = False
    for element in root:
        names = classes(element)
        if element.tag == "h1" or "headerlink" in names:
            continue
        if element.tag in ("h2", "h3"):
            heading = text_of(element).rstrip("¶").strip()
            timed = bool(MINUTES.search(heading)) or element.tag == "h3"
            if timed:
                current = Slide("instructions" if element.tag == "h2" else "card", NUMBERED.sub("", heading),
                                bullets=element.tag == "h2")
                deck.slides.append(current)
            else:
                current = opening
                current.notes.append(heading)
            continue
        if "admonition" in names or element.tag == "details":
            box_title = admonition_title(element) or (element.findtext("summary") or "").strip()
            if "say" in names:
                current.notes.append("Say: " + admonition_body(element))
            elif "example" in names and timed:
                said = [text_of(p) for p in element.findall("p") if "admonition-title" not in classes(p)]
                deck.slides.append(Slide("content", box_title, said, bullets=False))
            elif timed and element.find("ol") is not None and "facilitator" not in names:
                shown, notes = _items(element.find("ol"))
                extra = [text_of(p) for p in element.findall("p") if "admonition-title" not in classes(p)]
                deck.slides.append(Slide("content", box_title, shown, notes=notes + extra))
                current = deck.slides[-1]
            else:
                current.notes.append(f"{box_title}: {admonition_body(element)}" if box_title else text_of(element))
            continue
        if element.tag in ("ul", "ol") and timed:
            shown, notes = _items(element)
            current.body.extend(shown)
            current.notes.extend(notes)
        elif "slide" in names or element.tag == "blockquote" and timed:      # { .slide }: on the slide as written
            current.body.extend([text_of(p) for p in element.findall("p")] or [text_of(element)])
        elif text_of(element):
            current.notes.append(text_of(element))
    for slide in deck.slides:          # a timed part with no list shows its first instruction
        if slide.kind == "instructions" and not slide.body and slide.notes:
            slide.body.append(split_answer(slide.notes[0])[0])
        slide.notes = [n for n in slide.notes if n]
        if not slide.notes:
            slide.notes = [slide.title]
    deck.slides.append(help_slide(registry, district, session.audience))
    return deck


def sessions_on_site(docs_files: set[str]) -> list[Session]:
    """The sessions whose script page the site has (a fork may leave one out)."""
    return [s for s in SESSIONS if s.src_uri in docs_files]


