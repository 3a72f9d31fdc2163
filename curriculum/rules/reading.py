"""Rule 'reading-level': family pages and family handouts are easy to read, on a phone, in a crisis.

Measured on the rendered page, not the Markdown: parents read what the macros produce (a help line's
name and number, the district's contact or the neutral "your school counselor or principal"), and
Markdown stripped of its macros leaves holes in exactly the sentences that matter most. Each block
(paragraph, list item, heading, table cell) is scored as a sentence of its own, so a bulleted list is
not read as one run-on sentence. English: Flesch-Kincaid grade at most 8. Spanish: Fernández-Huerta
reading ease at least 65 ("normal", about US grade 8).
"""

from __future__ import annotations

import re

import textstat
from lxml import html as lxml_html

from ..content import reading_grade
from ..errors import Problem
from . import Context, Rendered, Rule

MAX_GRADE = 8.0
MIN_SPANISH_EASE = 65.0
BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "summary", "label",
          "figcaption", "blockquote")
BREAK = "\u2029"                 # a paragraph separator no page uses
FURNITURE = ('.//a[contains(@class, "headerlink")] | .//*[contains(@class, "md-content__button")]'
             ' | .//button | .//aside[contains(@class, "md-source-file")] | .//script | .//style')


def readable_text(node) -> str:
    """The words of an element as sentences, one sentence per block, without the page's buttons."""
    for junk in node.xpath(FURNITURE):
        junk.drop_tree()
    for block in node.iter(*BLOCKS):
        block.append(lxml_html.fromstring(f"<span>{BREAK}</span>"))
    sentences = []
    for chunk in node.text_content().split(BREAK):
        chunk = re.sub(r"\s+", " ", chunk).strip().rstrip(":;,")
        if chunk:
            sentences.append(chunk if chunk[-1] in ".!?\"'”" else chunk + ".")
    return " ".join(sentences)


def html_text(html: str) -> str:
    return readable_text(lxml_html.fragment_fromstring(html or "<p></p>", create_parent="div"))


def spanish_ease(text: str) -> float:
    """Fernández-Huerta reading ease (Spanish): higher is easier."""
    textstat.set_lang("es")
    try:
        return round(textstat.fernandez_huerta(text), 1)
    finally:
        textstat.set_lang("en_US")


def check(page: Rendered, context: Context) -> list[Problem]:
    doc = page.document
    text = html_text(page.html)
    if doc.lang == "es":
        ease = spanish_ease(text)
        if ease < MIN_SPANISH_EASE:
            return [Problem(doc.path, f"reads at Fernández-Huerta ease {ease}; Spanish pages need at "
                                      f"least {MIN_SPANISH_EASE}", None, "Use shorter sentences and shorter words.")]
        return []
    level = reading_grade(text)
    if level > MAX_GRADE:
        return [Problem(doc.path, f"reads at Flesch-Kincaid grade {level}; family pages and handouts allow at "
                                  f"most {MAX_GRADE}", None, "Use shorter sentences and shorter words.")]
    return []


RULE = Rule("reading-level", "family pages' reading level, and every Spanish page's", check,
            applies=lambda doc: (doc.audience == "families" or doc.lang != "en") and doc.kind in ("page", "handout"),
            rendered=True)
