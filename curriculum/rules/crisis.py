"""Rules for what a family, a student and the first adult are told at the moment of crisis.

- 'take-it-down-limits': a document that offers Take It Down also says, in that document, what it
  needs: a copy the young person already has (never download, ask for or collect one), the image
  never leaves the device, and no promise that it works for AI-made images (facts.md §2b). The words
  are one snippet per audience (snippets/take-it-down-limits*.md), included where the tool is named.
- 'removal-request': a family document that offers Take It Down also offers the TAKE IT DOWN Act's
  48-hour removal request (facts.md §4a), the route that does not depend on Take It Down's scope.
  The targeted-child page, its one-pagers and the resource cards carry it in full, as the checklist
  of what a valid request holds (snippets/removal-request*.md); other family documents name it.
- 'fake-assertion': no script has an adult say that an image is fake ("I know it is fake"): an adult
  has not seen it and must never check, and help never depends on whether it is real.
"""

from __future__ import annotations

import re

from ..blocks import expand_includes, included
from ..errors import Problem
from . import Context, Document, Rule

TOOL = re.compile(r"\bTake It Down\b(?!\s+Act)|\bresource\(\s*[\"']take-it-down[\"']\s*[,)]")
CAVEATS = ("take-it-down-limits.md", "take-it-down-limits-students.md", "take-it-down-limits-es.md",
           "take-it-down-limits-students-es.md")
REQUESTS = ("removal-request.md", "removal-request-es.md")
NAMED_REQUEST = re.compile(r"removal request[^.]*48 hours|48 hours[^.]*removal request|solicitud de eliminación"
                           r"[^.]*48 horas|48 horas[^.]*solicitud de eliminación", re.I)
# The documents a family in crisis is sent to first: they always carry the 48-hour request.
ALWAYS_REQUEST = ("docs/families/if-your-child-was-targeted.md", "docs/families/if-your-child-was-targeted.es.md",
                  "handouts/if-your-child-is-targeted.md", "handouts/if-your-child-is-targeted.es.md",
                  "handouts/resource-card.md", "handouts/resource-card.es.md")
FAKE = re.compile(
    r"\b(?:I|we)\s+(?:know|can\s+tell|are\s+sure|am\s+sure)\s+(?:that\s+)?"
    r"(?:it|this|that|they|the\s+(?:picture|image|photo|video|pic)s?)\s*(?:is|was|are|were|'s|’s)\s+"
    r"(?:just\s+|only\s+|all\s+)?(?:a\s+)?(?:fake|not\s+real|made\s+up|ai-made)\b"
    r"|\b(?:sé|sabemos)\s+que\s+(?:la\s+(?:foto|imagen)\s+)?es\s+(?:falsa|falso|fals[ao]\s+o\s+fals[ao])\b",
    re.I)


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _expanded(doc: Document, context: Context) -> str:
    """The document with its snippets written out after each include (a snippet may name the tool)."""
    return expand_includes(doc.text, context.snippets, keep=True)


def check_caveat(doc: Document, context: Context) -> list[Problem]:
    text = _expanded(doc, context)
    if TOOL.search(text) is None or included(text) & set(CAVEATS):
        return []
    named = TOOL.search(doc.text)
    line = _line(doc.text, named.start()) if named else 1
    want = {("es", "students"): CAVEATS[3], ("es", "families"): CAVEATS[2]}.get(
        (doc.lang, doc.audience or ""), CAVEATS[2] if doc.lang == "es" else
        CAVEATS[1] if doc.audience == "students" else CAVEATS[0])
    return [Problem(doc.path, "offers Take It Down without saying what it needs (a copy the young person "
                    "already has; never download, ask for or collect one)", line,
                    f'Add {{% include "{want}" %}} where the tool is offered (students: take-it-down-limits-'
                    "students.md; Spanish: take-it-down-limits-es.md, students: take-it-down-limits-students-es.md).")]


def check_request(doc: Document, context: Context) -> list[Problem]:
    text = _expanded(doc, context)
    if included(text) & set(REQUESTS):
        return []
    want = REQUESTS[1] if doc.lang == "es" else REQUESTS[0]
    hint = (f'Add {{% include "{want}" %}}: it works whether the image is real or AI-made, and the family needs '
            "no copy of it.")
    if doc.path in ALWAYS_REQUEST:
        return [Problem(doc.path, "a page a family in crisis is sent to lacks the 48-hour removal request "
                        "checklist", 1, hint)]
    if TOOL.search(text) and not NAMED_REQUEST.search(text):
        return [Problem(doc.path, "offers Take It Down without the TAKE IT DOWN Act's 48-hour removal request",
                        1, hint + " On a short sheet, at least name it: the site's own removal request, "
                        "which it must act on within 48 hours.")]
    return []


def check_fake(doc: Document, context: Context) -> list[Problem]:
    return [Problem(doc.path, f"asserts that an image is fake: '{m.group(0)}'", _line(doc.text, m.start()),
                    "An adult has not seen the image and must never check. Say: \"It doesn't matter whether it "
                    "is real or fake: it is not your fault.\"")
            for m in FAKE.finditer(doc.text)]


CAVEAT_RULE = Rule("take-it-down-limits", "Take It Down offered with its limits", check_caveat,
                   applies=lambda doc: doc.kind != "snippet")
REQUEST_RULE = Rule("removal-request", "the 48-hour removal request offered to families", check_request,
                    applies=lambda doc: doc.kind != "snippet" and (doc.audience == "families"
                                                                   or doc.path in ALWAYS_REQUEST))
FAKE_RULE = Rule("fake-assertion", "no script asserts that an image is fake", check_fake)
