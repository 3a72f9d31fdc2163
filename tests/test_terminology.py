"""Words and instructions that must never appear in the content (CONTRIBUTING.md, "Content standards").

Over every content Markdown file (docs/, lessons/, handouts/, snippets/), front matter included:

1. **Banned terms.** "revenge porn" and "child pornography" (and "child porn") never appear, except
   inside the name of a statute (or the one organization whose name contains a banned term). What
   counts as "inside a statute's name" is deliberately narrow; see ``statute_name_spans``.
2. **CSAM is defined at first use.** On each page, the first bare "CSAM" is the one in
   "child sexual abuse material (CSAM)", so no reader meets the acronym before its meaning.
3. **No instruction to handle an image.** No sentence tells a reader to view, open, save, screenshot,
   copy, download, forward, send, print, keep a copy of, or delete an image. Negated sentences
   ("Never save it", "Do not screenshot", "Don't look at, save or forward the image") are fine. See
   ``image_handling_instructions`` for exactly what is caught.

The checkers are plain functions over text, so the unit tests at the bottom feed them bad and good
sentences: each rule is shown to fail on the kind of text it exists to stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTENT_DIRS = ("docs", "lessons", "handouts", "snippets")


def content_files() -> list[Path]:
    files = sorted(p for folder in CONTENT_DIRS for p in (ROOT / folder).rglob("*.md"))
    assert files, "no content Markdown found: the test is looking in the wrong place"
    return files


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@dataclass
class Finding:
    line: int
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}"


# --------------------------------------------------------------------------------------------------
# Markdown to plain sentences, with line numbers
# --------------------------------------------------------------------------------------------------

LIST_ITEM = re.compile(r"^(?P<indent> *)(?:[-*+]|\d+[.)])\s+(?P<text>.*)$")
HEADING = re.compile(r"^ *#{1,6}\s+(?P<text>.*)$")
ADMONITION = re.compile(r"^(?P<indent> *)(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+\"(?P<title>[^\"]*)\")?\s*$")
FENCE = re.compile(r"^ *(```|~~~)")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def plain(markdown: str) -> str:
    """Inline Markdown, macros and HTML to the words a reader sees (roughly)."""
    text = re.sub(r"\{\{-?\s*resource\(\s*\"[^\"]*\"\s*,\s*\"([^\"]*)\"\s*\)\s*-?\}\}", r"\1", markdown)
    text = re.sub(r"\{\{.*?\}\}", "someone", text)       # other macros: a name, a number, a link
    text = re.sub(r"\{%.*?%\}", " ", text)
    text = re.sub(r"\{:?\s*[#.][^}]*\}", " ", text)        # attr_list { #id }
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: keep the text
    text = re.sub(r"<[^>]+>", " ", text)                    # raw HTML tags
    text = re.sub(r"&nbsp;", " ", text)
    text = re.sub(r"[*_`]+", "", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Block:
    """One paragraph, list item, heading, admonition title or table row, as plain text."""
    line: int
    kind: str            # paragraph | item | heading | title | row
    indent: int
    text: str


def blocks(source: str) -> list[Block]:
    out: list[Block] = []
    current: Block | None = None
    fenced = False
    for number, raw in enumerate(source.split("\n"), start=1):
        if FENCE.match(raw):
            fenced = not fenced
            current = None
            continue
        if fenced:
            continue
        stripped = raw.strip()
        if not stripped or stripped == "---" or TABLE_RULE.match(stripped):
            current = None
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if m := ADMONITION.match(raw):
            out.append(Block(number, "title", indent, plain(m["title"] or "")))
            current = None
            continue
        if m := HEADING.match(raw):
            out.append(Block(number, "heading", indent, plain(m["text"])))
            current = None
            continue
        if stripped.startswith("|"):
            for cell in stripped.strip("|").split("|"):
                out.append(Block(number, "row", indent, plain(cell)))
            current = None
            continue
        if m := LIST_ITEM.match(raw):
            current = Block(number, "item", len(m["indent"]), plain(m["text"]))
            out.append(current)
            continue
        text = plain(stripped.lstrip(">").strip())
        if current is not None and current.kind in ("paragraph", "item"):
            current.text = f"{current.text} {text}".strip()
        else:
            current = Block(number, "paragraph", indent, text)
            out.append(current)
    return out


SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]*[A-Z0-9])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


# --------------------------------------------------------------------------------------------------
# 1. Banned terms
# --------------------------------------------------------------------------------------------------

BANNED = re.compile(r"\b(?:revenge[\s-]+porn\w*|child[\s-]+porn\w*)", re.I)
# Organizations whose proper name contains a banned term (CONTRIBUTING.md allows organization names).
# StopNCII.org is run by the "Revenge Porn Helpline" (facts.md §6). Exact, capitalized name only.
ORGANIZATION_NAMES = ("Revenge Porn Helpline",)
STATUTE_WORDS = r"(?:Act|Law|Code|Statute|Amendment)"
QUOTED = re.compile(r"\"[^\"\n]{0,200}\"|\u201c[^\u201d\n]{0,200}\u201d|(?<![*\w])\*[^*\n]{1,200}\*(?!\*)"
                    r"|(?<![_\w])_[^_\n]{1,200}_(?![_\w])")
TITLE_CASE_ACT = re.compile(r"(?:[A-Z][\w'.-]*\s+){0,8}?(?:Child Pornography|Revenge Porn)"
                            r"(?:\s+(?:[A-Z][\w'.-]*|of|and|the|on|to))*?\s+" + STATUTE_WORDS + r"\b")
USC = re.compile(r"\bU\.\s?S\.\s?C\.|§")


def statute_name_spans(text: str) -> list[tuple[int, int]]:
    """Where a banned term may appear: only inside a statute's name or a legal citation.

    A span is allowed when it is
    - a quoted or italicized title ("...", “...”, *...* or _..._) that contains the term in Title Case
      and a statute word (Act, Law, Code, Statute, Amendment), e.g. *Child Pornography Prevention Act*;
    - an unquoted Title Case name that ends in one of those words, e.g. Child Pornography Prevention Act;
    - the term in Title Case or in quotation marks within 60 characters of a citation ("U.S.C." or "§"),
      e.g. the legal term "child pornography" (18 U.S.C. § 2256);
    - an organization's exact name from ORGANIZATION_NAMES.
    Plain prose use, lower case or otherwise, is never allowed.
    """
    spans: list[tuple[int, int]] = []
    for m in QUOTED.finditer(text):
        inner = m.group(0)
        if re.search(r"Child Pornography|Revenge Porn", inner) and re.search(r"\b" + STATUTE_WORDS + r"\b", inner):
            spans.append(m.span())
    spans += [m.span() for m in TITLE_CASE_ACT.finditer(text)]
    for m in BANNED.finditer(text):
        before, after = text[max(0, m.start() - 60):m.start()], text[m.end():m.end() + 60]
        quoted = before.endswith(("\"", "\u201c")) and after.startswith(("\"", "\u201d"))
        title_case = m.group(0)[0].isupper()
        if (quoted or title_case) and (USC.search(before) or USC.search(after)):
            spans.append(m.span())
    for name in ORGANIZATION_NAMES:
        spans += [m.span() for m in re.finditer(re.escape(name), text)]
    return spans


def banned_terms(source: str) -> list[Finding]:
    found = []
    for block in blocks(source):
        allowed = statute_name_spans(block.text)
        for m in BANNED.finditer(block.text):
            if not any(start <= m.start() and m.end() <= end for start, end in allowed):
                found.append(Finding(block.line, f"'{m.group(0)}' in: {block.text[:160]}"))
    return found


# --------------------------------------------------------------------------------------------------
# 2. CSAM defined at first use
# --------------------------------------------------------------------------------------------------

BARE_CSAM = re.compile(r"\bCSAM\b")
DEFINED_CSAM = re.compile(r"child\s+sexual\s+abuse\s+material\s*\(\s*CSAM\s*\)", re.I)


def csam_first_use(source: str) -> Finding | None:
    """None when the page never says CSAM, or its first CSAM is inside the full definition."""
    text = re.sub(r"[*_`]+", "", source)
    first = BARE_CSAM.search(text)
    if first is None:
        return None
    definition = DEFINED_CSAM.search(text)
    if definition is not None and definition.start() < first.start() < definition.end():
        return None
    line = text.count("\n", 0, first.start()) + 1
    where = "is never defined" if definition is None else \
        f"is defined only later, on line {text.count(chr(10), 0, definition.start()) + 1}"
    return Finding(line, f"'CSAM' is used before it is defined: it {where}. Write "
                         "\"child sexual abuse material (CSAM)\" at its first use.")


# --------------------------------------------------------------------------------------------------
# 3. Instructions to handle an image
# --------------------------------------------------------------------------------------------------

# What an image is called. The look-ahead keeps "picture rules", "picture cards" and similar out.
IMAGE = (r"(?:(?:the|that|this|these|those|a|an|any|such|every|all|each|your|their|his|her|my|our|"
         r"its|one|some)\s+)?(?:(?!(?:about|of|for|with|in|on|to|from|that|which|and|or|me|us|him|her|them)\b)"
         r"[\w'-]+\s+){0,2}?(?:images?|pictures?|photos?|photographs?|videos?|"
         r"nudes?|deepfakes?|pics?|screenshots?|screen\s?shots?)\b"
         r"(?!\s+(?:rules?|cards?|books?|frames?|days?|walks?|sort|of\s+the\s+day))(?!-)")
PRONOUN = r"(?:it|them)\b"
EVIDENCE = r"(?:\s+[\w'-]+){0,5}?\s+(?:as|for)\s+(?:evidence|proof|the\s+investigation|the\s+police|police|law\s+enforcement|your\s+records|the\s+record)\b"
ACTIONS = [
    # verb + an image
    rf"\b(?:view|look\s+at|open|watch|save|download|copy|print|forward|send|delete|upload|collect|gather|store)\s+{IMAGE}",
    # verb + it/them (only verbs that, with a bare pronoun, mean handling an image)
    rf"\b(?:save|download|forward|delete|screenshot|screen-shot)\s+{PRONOUN}(?!\s+as\s+a?\s*PDF)",
    # screenshot as a verb
    r"\bscreen-?shot\s+(?:this|that|everything|the|any|all|those|these|every|each|what|her|his|their)\b",
    # take / grab / make a screenshot; photograph the screen
    r"\b(?:take|grab|make|get|snap)\s+(?:a\s+|some\s+|one\s+)?(?:screen-?shots?|screen\s+shots?|screen\s?grabs?)\b",
    r"\b(?:take|snap)\s+a\s+(?:photo|picture)\s+of\s+the\s+screen\b",
    # keep a copy (of an image / of it), or keep the image
    rf"\b(?:keep|make|hold\s+on\s+to)\s+(?:a\s+)?cop(?:y|ies)(?:\s+of\s+(?:{IMAGE}|{PRONOUN})|(?!\s+of\b))",
    rf"\b(?:keep|hold\s+on\s+to)\s+{IMAGE}",
    # save / keep / copy / screenshot anything "as evidence"
    rf"\b(?:save|keep|copy|screenshot|download|store)\b{EVIDENCE}",
]
ACTION = re.compile("|".join(f"(?:{a})" for a in ACTIONS), re.I)
ACTION_VERB = (r"(?:view|look\s+at|open|watch|save|download|copy|print|forward|send|delete|upload|"
               r"screen-?shot|keep|share|post|show|collect|store)")

NEGATION = re.compile(r"\b(?:never|not|no|none|nobody|nothing|without|avoid|refuse|refuses|nor|stop)\b"
                      r"|n't\b|\bcannot\b|\binstead\s+of\b|\brather\s+than\b", re.I)
NOT_NEGATION = re.compile(r"\b(?:don't|do\s+not|never)\s+forget\b|\bno\s+matter\b|\bnot\s+only\b", re.I)
# A new instruction can start after these, so negation before them does not carry over.
BREAK = re.compile(r";|:\s|,\s*and\s+then\b|,\s*and\b|\bbut\b|\binstead\b(?!\s+of)|\bthen\b|\bhowever\b", re.I)
# Leading words after which the verb still reads as an order to the reader.
CONDITION = re.compile(r"^(?:if|when|once|after|before|as\s+soon\s+as|whenever|to|in\s+case)\b[^,]*,\s*", re.I)
SUBJECT = r"(?:[\w'-]+\s+){0,3}?"
IMPERATIVE_PREFIX = re.compile(
    r"^\s*(?:(?:and|or|so|also|please|first|next|then|now|just|always|immediately|quickly|right\s+away|"
    r"simply|go\s+ahead\s+and|be\s+sure\s+to|make\s+sure\s+(?:to|you)|remember\s+to|"
    r"(?:don't|do\s+not|never)\s+forget\s+to|try\s+to|"
    r"you\s+(?:should|must|can|may|need\s+to|will\s+need\s+to|have\s+to|ought\s+to|might\s+want\s+to)|"
    r"(?:it\s+is|it's)\s+(?:a\s+good\s+idea|important|best|wise|helpful|okay|ok|fine|smart)\s+to|"
    + SUBJECT + r"(?:should|must|need\s+to|needs\s+to|have\s+to|has\s+to|ought\s+to|"
    r"(?:are|is)\s+(?:asked|expected|required|encouraged|told)\s+to)(?:\s+(?:also|always|first|then|immediately))?|"
    r"(?:ask|tell|have|let|get|help|encourage|remind|instruct|invite|urge)\s+(?:[\w'-]+\s+){0,3}?(?:to\s+)?|"
    + ACTION_VERB + r"(?:\s+(?:it|them))?\s*(?:,|\bor\b|\band\b))[\s,]*)*$", re.I)


def _segments(sentence: str) -> list[tuple[str, bool]]:
    """Split a sentence where a new instruction could start; say which parts inherit a negation.

    "Never open, save, print, and delete it" stays one part (a list of verbs); "Don't look at it, and
    save it for police" is two. A part after a negated lead-in ending in ":" inherits the negation.
    """
    parts: list[tuple[str, bool]] = []
    current, inherited, position = "", False, 0
    for m in BREAK.finditer(sentence):
        piece = sentence[position:m.start()]
        if m.group(0).lstrip().startswith(",") and re.search(ACTION_VERB + r"\s*$", current + piece, re.I):
            current += piece + m.group(0)
        else:
            current += piece
            parts.append((current, inherited))
            inherited = m.group(0).startswith(":") and negated(current)
            current = ""
        position = m.end()
    parts.append((current + sentence[position:], inherited))
    return parts


def negated(text: str) -> bool:
    return bool(NEGATION.search(NOT_NEGATION.sub(" ", text)))


def instruction_in(sentence: str, inherited: bool = False) -> str | None:
    """The words that tell the reader to handle an image, or None."""
    for index, (part, part_inherited) in enumerate(_segments(sentence)):
        part_negated = part_inherited or (inherited and index == 0)
        for m in ACTION.finditer(part):
            prefix = part[:m.start()]
            while (c := CONDITION.match(prefix.strip())) is not None and c.end() > 0:
                prefix = prefix.strip()[c.end():]
            if part_negated or negated(prefix):
                continue
            if IMPERATIVE_PREFIX.match(prefix.strip(" \"'(-\u201c") + " "):
                return m.group(0)
    return None


def image_handling_instructions(source: str) -> list[Finding]:
    """Sentences that tell the reader to view, save, screenshot, forward... an image.

    A sentence is flagged when an image-handling phrase ("save the image", "take a screenshot",
    "forward it to", "keep a copy", "save ... as evidence") is in the position of an order: at the start
    of a sentence or clause (after "if ...,", "then", "and", a list of verbs), after "you should/must/
    can", "staff should", "make sure to", "ask the student to", and the like. It is allowed when a
    negation comes before it in the same clause ("Never open, save or forward it", "Do not screenshot"),
    or when a list item sits under a negated lead-in ("Never:" / "What never to do").
    Descriptions ("students who forward images", "it is a crime to save it") are not orders.
    """
    found = []
    items = blocks(source)
    for i, block in enumerate(items):
        inherited = False
        if block.kind == "item":
            lead = next((b for b in reversed(items[:i])
                         if not (b.kind == "item" and b.indent >= block.indent) and b.kind != "row"), None)
            if lead is not None and (lead.kind in ("heading", "title") or lead.text.endswith(":")
                                     or re.fullmatch(r"[^.!?]*", lead.text)):
                last = sentences(lead.text)[-1] if lead.text else ""
                inherited = negated(last)
        for sentence in sentences(block.text):
            words = instruction_in(sentence, inherited)
            if words:
                found.append(Finding(block.line, f"tells the reader to handle an image ('{words}'): {sentence}"))
    return found


# --------------------------------------------------------------------------------------------------
# Tests over the real content
# --------------------------------------------------------------------------------------------------

def _report(problems: dict[str, list[Finding]]) -> str:
    return "\n".join(f"  {path}: {finding}" for path, found in problems.items() for finding in found)


def test_no_banned_terms_in_content():
    problems = {rel(p): found for p in content_files() if (found := banned_terms(p.read_text(encoding="utf-8")))}
    assert not problems, ("Never write 'revenge porn' or 'child pornography' (CONTRIBUTING.md, Terms). Say "
                          "'image-based sexual abuse' or 'child sexual abuse material (CSAM)' instead:\n"
                          + _report(problems))


def test_csam_is_defined_at_first_use_on_every_page():
    problems = {rel(p): [f] for p in content_files() if (f := csam_first_use(p.read_text(encoding="utf-8")))}
    assert not problems, "Define CSAM where a page first uses it:\n" + _report(problems)


def test_no_page_tells_a_reader_to_handle_an_image():
    problems = {rel(p): found for p in content_files()
                if (found := image_handling_instructions(p.read_text(encoding="utf-8")))}
    assert not problems, ("Never tell anyone to view, save, screenshot, copy, forward, print or delete an image "
                          "(CONTRIBUTING.md). Say what not to do, and who to tell:\n" + _report(problems))


# --------------------------------------------------------------------------------------------------
# Unit tests: each checker catches the text it exists to stop, and lets good text through
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Some people call this revenge porn.",
    "Deepfake nudes are a kind of Revenge Porn.",
    "It is child pornography, and it is illegal.",
    "Possessing child porn is a crime.",
    "The law calls it child pornography.",
    "Avoid the term \"revenge-porn\" in class.",
])
def test_banned_terms_are_caught(text):
    assert banned_terms(text), text


@pytest.mark.parametrize("text", [
    "Federal law still uses the term \"child pornography\" (18 U.S.C. § 2256).",
    "The *Child Pornography Prevention Act of 1996* was partly struck down.",
    "the Child Pornography Prevention Act was a federal law",
    "StopNCII.org is run by the Revenge Porn Helpline, part of SWGfL.",
    "Say image-based sexual abuse and child sexual abuse material (CSAM).",
])
def test_statute_and_organization_names_are_allowed(text):
    assert not banned_terms(text), text


def test_csam_rule():
    assert csam_first_use("No acronym here.") is None
    assert csam_first_use("Child sexual abuse material (CSAM) is illegal. Report CSAM.") is None
    assert csam_first_use("**Child sexual abuse material (CSAM)**: images of anyone under 18.") is None
    assert csam_first_use("Report CSAM to NCMEC.") is not None
    late = csam_first_use("Report CSAM now.\n\nChild sexual abuse material (CSAM) means ...")
    assert late is not None and late.line == 1 and "later" in late.text
    assert csam_first_use("Say child sexual abuse material. Later: CSAM.") is not None


@pytest.mark.parametrize("bad", [
    "Save the image as evidence.",
    "Take a screenshot of the post before it is deleted.",
    "Screenshot it and tell an adult.",
    "If you receive one, forward it to the principal.",
    "Download the image so police can see it.",
    "Keep a copy for the investigation.",
    "Keep a copy of the picture in a safe place.",
    "Staff should save the images on a school computer.",
    "You should take screenshots of everything.",
    "Ask the student to forward it to you.",
    "Make sure to keep the photos as evidence.",
    "Don't forget to save the image.",
    "Do not look at the image, and save it for police.",
    "Never post it; save it for the police instead.",
    "- Look at the picture to see how bad it is.",
    "1. **Print the image** and put it in the file.",
    "What to do: screenshot the chat.",
    "Delete the picture right away.",
    "If you are not sure, save the image.",
    "Save, screenshot or forward the image to the counselor.",
    "Then send the nudes to the Title IX coordinator.",
])
def test_instructions_to_handle_an_image_are_caught(bad):
    assert image_handling_instructions(bad), bad


@pytest.mark.parametrize("good", [
    "Never save the image.",
    "Do not screenshot it.",
    "Don't forward it to anyone.",
    "Don't look at, save or forward the image.",
    "Never open, save, screenshot, forward, print, and delete it.",
    "Never ask to see it, and never open, save, screenshot, forward, print or delete it.",
    "You do not need to save anything or keep a copy.",
    "Secure the device without looking at it.",
    "Students who forward images cause harm.",
    "It is a crime to save or share such images.",
    "Can I send that picture to the class group chat?",
    "Print the first-response card for every adult.",
    "Print the picture rules and hang them up.",
    "Keep a copy of this letter.",
    "Save it as a PDF to print later.",
    "Take It Down works on an image already on the person's own device.",
    "No employee shall view, copy, save, screenshot, download, print, forward or delete an image.",
    "Never tell a student to save, screenshot, download, forward or delete a picture, not even as proof.",
    "Instead of saving the image, report it.",
    "Keep the language about images exactly as strict as it is here.",
    'A kid messages her: "Send me a picture of you."',
])
def test_negated_and_descriptive_sentences_are_allowed(good):
    assert not image_handling_instructions(good), good


def test_list_under_a_negated_lead_in_is_allowed_and_under_a_plain_one_is_caught():
    negated_list = "**What you must never do:**\n\n- save the image\n- forward it to a friend\n"
    plain_list = "**What to do:**\n\n- save the image\n- forward it to a friend\n"
    headed = "## Never do these\n\n- Screenshot it.\n"
    assert not image_handling_instructions(negated_list)
    assert len(image_handling_instructions(plain_list)) == 2
    assert not image_handling_instructions(headed)
    assert image_handling_instructions("## Do these\n\n- Screenshot it.\n")


def test_findings_name_the_line():
    found = image_handling_instructions("---\ntitle: x\n---\n\nFine text.\n\nSave the image now.\n")
    assert [f.line for f in found] == [7]
