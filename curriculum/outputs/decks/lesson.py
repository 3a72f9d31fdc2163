"""A lesson's deck, read from the lesson page as MkDocs rendered it (macros rendered, district values
filled in), so a changed lesson, hotline or district field reaches its slides with no second copy.

What goes where, by default (CONTRIBUTING.md, "Slides"):

- the title slide (lesson, band, minutes, the district's name), the essential question, the vocabulary;
- one slide per section of the lesson that students take part in: the warm-up, each activity (its
  heading, minutes and instructions) and the wrap-up;
- each scenario card (a bold line before a quote, or a paragraph that starts with a bold "Card ...")
  and each statement of an agree/true-false round on its own slide;
- discussion questions (a list after a line that mentions questions) on a slide, only the question;
- the key message (the wrap-up's Say block, or ``slides: {key_message: ...}`` in the front matter),
  and a closing "Who can help" slide (the district's contacts and the registry's help lines).

Say blocks, facilitator blocks, timings, "Expected answer", "Listen for", "Look for", answers in
brackets after a question and answer columns of tables go to the speaker notes, never on a slide.
An author overrides the default with attr_list: ``{ .slide }`` puts a paragraph, list or quote on a
slide as written, ``{ .notes }`` keeps it in the notes, and ``!!! say slide`` shows a Say block too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lxml import html as lxml_html

from ...content import Lesson
from ...district import District, district_text
from ...registry import Registry, Resource
from ...schemas import BANDS
from .model import Deck, Slide

WS = re.compile(r"\s+")
MINUTES = re.compile(r"\s*\((\d+) min\)\s*$")
NUMBERED = re.compile(r"^\d+\.\s+")
# Where an answer starts inside a paragraph or a list item: from here on it is for the teacher.
ANSWER = re.compile(r"\b(?:Expected(?: strong)?(?: answers?| responses?)?|Listen for|Look for|Answers? to listen for)"
                    r"\b[^:.]*?:", re.I)
# An answer in brackets after a question: 'Ask: "Have you seen one?" (No.)'
BRACKETED_ANSWER = re.compile(r"(\?[\"”’']?)\s*\(([^()]*)\)")
TEACHER_LEADS = ("Support", "Support:", "If a student", "If students", "Note any", "Follow up")
ANSWER_COLUMNS = ("listen for", "answer", "why", "how we know", "what is true", "expected", "look for")
QUESTIONS_LEAD = re.compile(r"\bquestions?\b", re.I)
STATEMENTS_LEAD = re.compile(r"\bstatements?\b|\bread each\b", re.I)
CARD_LEAD = re.compile(r"^(Card|Story|Scenario)\b", re.I)
STUDENT_SECTIONS = ("Warm-up", "Activities", "Wrap-up")


def text_of(element) -> str:
    return WS.sub(" ", element.text_content()).strip()


def classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def heading_text(element) -> str:
    """A heading without its permalink mark."""
    for link in element.findall(".//a"):
        if "headerlink" in classes(link):
            link.drop_tree()
    return text_of(element)


def split_answer(text: str) -> tuple[str, str]:
    """(what the room may see, what only the teacher sees) of one paragraph or list item."""
    notes: list[str] = []

    def keep_question(match: re.Match[str]) -> str:
        notes.append(match.group(2).strip())
        return match.group(1)

    shown = BRACKETED_ANSWER.sub(keep_question, text)
    cut = ANSWER.search(shown)
    if cut:
        notes.insert(0, shown[cut.start():].strip())
        shown = shown[:cut.start()].strip()
    return shown.strip(), " ".join(n for n in notes if n)


def lead_of(item) -> tuple[str, str]:
    """A list item's bold or italic lead and the rest: ("If a picture is fake ...", "Expected answer: ...")."""
    holder = item[0] if len(item) and item[0].tag == "p" else item
    first = holder[0] if len(holder) else None
    if first is None or first.tag not in ("strong", "em", "b") or (holder.text or "").strip():
        return "", text_of(item)
    lead = text_of(first)
    whole = text_of(item)
    return lead, whole[len(lead):].strip() if whole.startswith(lead) else whole


def labelled_answer(item) -> tuple[str, str]:
    """An item whose answer follows a bold label after the text ("... **Sextortion:** an image, a
    threat and a demand"): (the text before the label, the label and what follows); ("", "") if none."""
    whole = text_of(item)
    for strong in item.iter("strong", "b"):
        label = text_of(strong)
        at = whole.find(label)
        if label.endswith(":") and at > 0:
            return whole[:at].strip(), whole[at:].strip()
    return "", ""


def admonition_title(element) -> str:
    title = element.find("p")
    return text_of(title) if title is not None and "admonition-title" in classes(title) else ""


def admonition_body(element) -> str:
    parts = [text_of(child) for child in element
             if not (child.tag == "p" and "admonition-title" in classes(child))]
    return " ".join(p for p in parts if p)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text) if s]


class _Builder:
    """Walks the rendered lesson once, section by section, and emits slides."""

    def __init__(self, deck: Deck):
        self.deck = deck
        self.current: Slide | None = None
        self.base = 0           # the index of the current section's instructions slide

    def slide(self, slide: Slide) -> Slide:
        self.deck.slides.append(slide)
        self.current = slide
        return slide

    def note(self, text: str, prefix: str = "") -> None:
        if text and self.current is not None:
            self.current.notes.append(f"{prefix}{text}")

    def section(self, title: str, minutes: str, elements: Sequence) -> None:
        """One timed part of the lesson (the warm-up, an activity, the wrap-up)."""
        heading = f"{title} ({minutes} min)" if minutes else title
        base = self.slide(Slide("instructions", heading, notes=[f"Timing: {minutes} minutes."] if minutes else []))
        self.base = len(self.deck.slides) - 1
        lead = ""           # the last paragraph's text: does the next list hold questions or answers?
        lead_is_answer = False
        card_title = ""     # a bold line waiting for its quote
        index = 0
        while index < len(elements):
            element = elements[index]
            index += 1
            names = classes(element)
            if "notes" in names:
                self.note(text_of(element))
                continue
            if "admonition" in names or element.tag == "details":
                self._admonition(element, names)
                continue
            if "slide" in names:
                self.slide(Slide("content", title, [text_of(element)], bullets=False))
                continue
            if element.tag == "blockquote":
                self.slide(Slide("card", card_title or title, [text_of(p) for p in element.findall("p")]
                                 or [text_of(element)], bullets=False))
                card_title = ""
                lead, lead_is_answer = "", False
                continue
            if element.tag == "p":
                whole = text_of(element)
                lead_strong, rest = lead_of(element)
                if lead_strong and not rest:           # a bold line: a card's title, or a list's heading
                    nxt = elements[index] if index < len(elements) else None
                    if nxt is not None and nxt.tag == "blockquote":
                        card_title = lead_strong.rstrip(".:")
                        continue
                    lead = whole
                    lead_is_answer = bool(ANSWER.search(whole)) and not QUESTIONS_LEAD.search(whole)
                    if lead_is_answer or not QUESTIONS_LEAD.search(whole):
                        self.note(whole)
                    continue
                if lead_strong and CARD_LEAD.match(lead_strong):
                    self.slide(Slide("card", lead_strong.rstrip(".:"), [split_answer(rest)[0]], bullets=False))
                    self.note(split_answer(rest)[1])
                    lead, lead_is_answer = "", True        # a list right after a card holds its answers
                    continue
                lead = whole
                shown, hidden = split_answer(whole)
                # "Ask, and listen for:" / "Expected answers:": the list after it holds answers.
                lead_is_answer = bool(ANSWER.search(whole)) and whole.endswith(":") and \
                    not QUESTIONS_LEAD.search(whole)
                if whole.startswith(TEACHER_LEADS) or not shown:
                    self.note(whole)
                else:
                    base.body.append(shown)        # an activity's instructions stay on its first slide
                    if hidden:
                        base.notes.append(f"{shown} {hidden}")
                continue
            if element.tag in ("ol", "ul"):
                self._list(element, heading, title, lead, lead_is_answer)
                lead, lead_is_answer = "", False
                continue
            if element.tag == "table" or element.find(".//table") is not None:
                self._table(element.find(".//table") if element.tag != "table" else element, title)
                continue
            self.note(text_of(element))

    def _admonition(self, element, names: set[str]) -> None:
        title = admonition_title(element)
        body = admonition_body(element)
        if "say" in names:
            self.note(body, "Say: ")
            if "slide" in names:
                self.slide(Slide("content", title or (self.current.title if self.current else ""),
                                 sentences(body), bullets=False))
                self.note(body, "Say: ")
        elif "glance" not in names:
            self.note(body, f"{title}: " if title else "Facilitator note: ")

    def _list(self, element, heading: str, title: str, lead: str, lead_is_answer: bool) -> None:
        items = [li for li in element if li.tag == "li"]
        if lead_is_answer:                     # "Expected answers:", "Listen for:" ...
            for li in items:
                self.note(text_of(li))
            return
        labelled = [labelled_answer(li) for li in items]
        if items and all(shown for shown, _ in labelled):     # "... **Not sextortion:** ...": one slide each
            for number, (example, answer) in enumerate(labelled, 1):
                self.slide(Slide("statement", f"{title}: {number} of {len(items)}", [split_answer(example)[0]],
                                 bullets=False, notes=[answer]))
            return
        leads = [lead_of(li) for li in items]
        has_leads = all(lead for lead, _ in leads)
        if QUESTIONS_LEAD.search(lead):
            shown = [ld.rstrip(".") if ld else split_answer(text_of(li))[0] for (ld, _), li in zip(leads, items,
                                                                                                 strict=True)]
            slide = self.slide(Slide("questions", f"{title}: questions" if title else "Questions",
                                     [s for s in shown if s]))
            for (ld, rest), li in zip(leads, items, strict=True):
                answer = rest if ld else split_answer(text_of(li))[1]
                if answer:
                    slide.notes.append(f"{ld or split_answer(text_of(li))[0]} {answer}".strip())
            return
        statements = has_leads and (STATEMENTS_LEAD.search(lead) or any(ANSWER.search(rest) for _, rest in leads))
        if statements:
            for number, (ld, rest) in enumerate(leads, 1):
                self.slide(Slide("statement", f"{title}: statement {number} of {len(leads)}", [ld], bullets=False,
                                 notes=[rest] if rest else []))
            return
        target = self.deck.slides[self.base]
        for li in items:
            before, label = labelled_answer(li)
            said, hidden = split_answer(before or text_of(li))
            hidden = " ".join(h for h in (hidden, label) if h)
            if said:
                target.body.append(NUMBERED.sub("", said))
            if hidden:
                target.notes.append(f"{said} {hidden}")

    def _table(self, table, title: str) -> None:
        head = [text_of(th) for th in table.iter("th")]
        hidden = [i for i, name in enumerate(head) if name.lower().rstrip("?") in ANSWER_COLUMNS]
        rows = [[text_of(td) for td in tr.findall("td")] for tr in table.iter("tr")]
        rows = [r for r in rows if r]
        shown_cols = [i for i in range(len(head)) if i not in hidden and head[i] not in ("#",)]
        if hidden and len(rows) <= 10:      # read-aloud statements with answers: one slide each
            for number, row in enumerate(rows, 1):
                shown = " ".join(row[i] for i in shown_cols if i < len(row))
                self.slide(Slide("statement", f"{title}: {number} of {len(rows)}", [shown], bullets=False,
                                 notes=[f"{head[i]}: {row[i]}" for i in hidden if i < len(row)]))
            return
        slide = self.slide(Slide("content", title, []))
        for row in rows:
            cells = [row[i] for i in shown_cols if i < len(row)]
            slide.body.append(" · ".join(c for c in cells if c))


def hotlines(registry: Registry, audience: str = "students") -> list[Resource]:
    """The help lines a closing slide shows: the registry's critical phone and text lines for ``audience``."""
    return [r for r in registry.resources.values()
            if r.tier == "critical" and r.kind in ("phone", "text") and audience in r.audiences
            and r.group == "get-help"]


def help_lines(registry: Registry, audience: str) -> list[str]:
    lines = []
    for r in hotlines(registry, audience):
        how = r.display if r.kind == "text" else f"call {r.display}"
        lines.append(f"{r.name}: {how}" + (f" ({r.hours})" if r.hours else ""))
    return lines


def school_lines(district: District, lang: str = "en") -> list[str]:
    lines = [f"At school: {district_text(district, 'contact', lang)}"]
    if district.counselor:
        lines.append(f"Counselor: {district.counselor}")
    if district.phone:
        lines.append(f"School office: {district.phone_display or district.phone}")
    return lines


def help_slide(registry: Registry, district: District, audience: str = "students") -> Slide:
    return Slide("help", "Who can help", [*school_lines(district), *help_lines(registry, audience)],
                 notes=["The help lines come from the resource registry (macros/resources.yml); the school "
                        "contacts from the district file."])


def key_message(lesson: Lesson, wrap_says: Iterable[str]) -> list[str]:
    configured = lesson.meta.slides.key_message if lesson.meta.slides else None
    if configured:
        return [configured]
    says = list(wrap_says)
    if not says:
        return [lesson.meta.essential_question]
    chosen = [s for s in sentences(says[-1]) if not s.startswith(("Here is what", "Let's", "Here's what"))]
    return chosen[:3]


def lesson_deck(lesson: Lesson, page_html: str, registry: Registry, district: District, slug: str) -> Deck:
    m = lesson.meta
    label = f"{BANDS[m.band]} · Lesson {m.order} · {m.duration} minutes"
    deck = Deck(slug=slug, title=m.title, source=lesson.path.as_posix(), label=label)
    root = lxml_html.fragment_fromstring(page_html, create_parent="div")
    subtitle = label + (f"\n{district.name}" if district.name else "")
    title_notes = [f"Content note: {m.content_note}"] if m.content_note else []
    deck.slides.append(Slide("title", m.title, subtitle=subtitle, notes=title_notes, bullets=False))
    deck.slides.append(Slide("question", "Essential question", [m.essential_question], bullets=False,
                             notes=["Objectives: " + " ".join(m.objectives)]))
    deck.slides.append(Slide("vocabulary", "Words we will use",
                             [f"{term}: {meaning}" for term, meaning in m.vocabulary.items()]))

    # The page's top-level elements, grouped by section (h2) and, inside Activities, by activity (h3).
    sections: list[tuple[str, str, list]] = []
    for element in root:
        if element.tag == "h2":
            name = heading_text(element)
            timed = MINUTES.search(name)
            sections.append((MINUTES.sub("", name), timed.group(1) if timed else "", []))
        elif element.tag == "h3" and sections and sections[-1][0].startswith(("Activities", "activity:")):
            name = heading_text(element)
            timed = MINUTES.search(name)
            sections.append(("activity:" + NUMBERED.sub("", MINUTES.sub("", name)),
                             timed.group(1) if timed else "", []))
        elif sections:
            sections[-1][2].append(element)
    builder = _Builder(deck)
    wrap_says: list[str] = []
    for name, minutes, elements in sections:
        if name.startswith("activity:"):
            builder.section(name.removeprefix("activity:"), minutes, elements)
        elif name in ("Warm-up", "Wrap-up"):
            builder.section(name, minutes, elements)
            if name == "Wrap-up":
                wrap_says = [admonition_body(e) for e in elements if "say" in classes(e)]
        elif name == "Activities" and elements:     # text before the first activity (or no ### activities)
            builder.section(name, minutes, elements)
        elif name == "Overview":
            deck.slides[0].notes.append("Overview: " + " ".join(text_of(e) for e in elements))
    deck.slides.append(Slide("key", "Key message", key_message(lesson, wrap_says), bullets=False))
    deck.slides.append(help_slide(registry, district))
    for slide in deck.slides:
        slide.notes = [n for n in slide.notes if n]
    return deck
