"""Pages generated from lesson front matter, so they can never drift from the lessons:
the K-12 scope and sequence, a catalog and a glossary per band, each lesson's "at a glance" box,
and the families' "What your child is learning" page."""

from __future__ import annotations

import posixpath
import re

from . import escape
from .content import Content, Lesson
from .schemas import BANDS
from .words import AUDIENCES, audience_title

SCOPE_PAGE = "lessons/index.md"
FAMILY_PAGE = "families/what-your-child-is-learning.md"
HANDOUTS_PAGE = "handouts/index.md"
LINK = re.compile(r"(\]\()(?P<target>[^)\s]+)(\))")


def catalog_page(band: str) -> str:
    return f"lessons/{band}/index.md"


def glossary_page(band: str) -> str:
    return f"lessons/{band}/glossary.md"


def rel(target: str, page: str) -> str:
    """Relative link from the source file ``page`` to the source file ``target``."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def rebase_links(markdown: str, from_page: str, to_page: str) -> str:
    """Rewrite relative links written for ``from_page`` so they work on ``to_page``."""
    def fix(match: re.Match) -> str:
        target = match["target"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "/")):
            return match.group(0)
        path, _, anchor = target.partition("#")
        absolute = posixpath.normpath(posixpath.join(posixpath.dirname(from_page), path))
        return f"{match[1]}{rel(absolute, to_page)}{'#' + anchor if anchor else ''}{match[3]}"
    return LINK.sub(fix, markdown)


def _title(text: str) -> str:
    """Front-matter text placed in generated Markdown: escaped (no raw HTML), safe in a table cell."""
    return escape.markdown(text).replace("|", "\\|")


def scope_and_sequence(content: Content) -> str:
    bands = [b for b in BANDS if content.band(b)]
    rows = max((len(content.band(b)) for b in bands), default=0)
    out = ["# K-12 scope and sequence", "",
           "Each column is a grade band; each row is the order the lessons are taught in. "
           "This page is generated from the lessons themselves.", ""]
    out.append("| | " + " | ".join(f"[{BANDS[b]}]({rel(catalog_page(b), SCOPE_PAGE)})" for b in bands) + " |")
    out.append("|---|" + "---|" * len(bands))
    for i in range(rows):
        cells = []
        for b in bands:
            lessons = content.band(b)
            if i < len(lessons):
                lesson = lessons[i]
                cells.append(f"[{_title(lesson.meta.title)}]({rel(lesson.path.as_posix(), SCOPE_PAGE)})<br>"
                             f"<small>{lesson.meta.duration} min</small>")
            else:
                cells.append("")
        out.append(f"| {i + 1} | " + " | ".join(cells) + " |")
    out += ["", "## Minutes per band", ""]
    for b in bands:
        total = sum(lesson.meta.duration for lesson in content.band(b))
        out.append(f"- **{BANDS[b]}**: {len(content.band(b))} lessons, {total} minutes in all.")
    return "\n".join(out) + "\n"


def band_catalog(content: Content, band: str) -> str:
    page = catalog_page(band)
    out = [f"# {BANDS[band]} lessons", "",
           f"[Vocabulary for {BANDS[band]}]({rel(glossary_page(band), page)}) · "
           f"[K-12 scope and sequence]({rel(SCOPE_PAGE, page)})", "",
           "| # | Lesson | Minutes | Essential question |", "|---|---|---|---|"]
    for lesson in content.band(band):
        out.append(f"| {lesson.meta.order} | [{_title(lesson.meta.title)}]({rel(lesson.path.as_posix(), page)}) | "
                   f"{lesson.meta.duration} | {_title(lesson.meta.essential_question)} |")
    return "\n".join(out) + "\n"


def glossary(content: Content, band: str) -> str:
    page = glossary_page(band)
    terms: dict[str, tuple[str, Lesson]] = {}
    for lesson in content.band(band):
        for term, meaning in lesson.meta.vocabulary.items():
            terms.setdefault(term, (meaning, lesson))
    out = [f"# Vocabulary: {BANDS[band]}", "",
           "Words from this band's lessons, in plain language. Generated from the lessons.", ""]
    for term in sorted(terms, key=str.lower):
        meaning, lesson = terms[term]
        source = f"[{_title(lesson.meta.title)}]({rel(lesson.path.as_posix(), page)})"
        out += [_title(term), f":   {_title(meaning)} <small>({source})</small>", ""]
    return "\n".join(out) + "\n"


def at_a_glance(lesson: Lesson, content: Content) -> str:
    m = lesson.meta
    page = lesson.path.as_posix()
    handouts = ", ".join(f"[{_title(content.handouts[s].meta.title)}]({rel(content.handouts[s].path.as_posix(), page)})"
                         for s in m.handouts)
    lines = [
        f"**{BANDS[m.band]} · Lesson {m.order} · {m.duration} minutes**",
        "",
        f"**Essential question:** {_title(m.essential_question)}",
        "",
        "**Students will be able to:**",
        "",
        *[f"- {_title(o)}" for o in m.objectives],
        "",
        "**Materials:** " + "; ".join(_title(item) for item in m.materials),
        "",
        f"**Handouts:** {handouts}",
        "",
        "**Vocabulary:** " + ", ".join(_title(term) for term in m.vocabulary),
        "",
        "**Standards (CASEL):** " + ", ".join(_title(s) for s in m.standards.casel),
    ]
    body = "\n".join(f"    {line}" if line else "" for line in lines)
    note = "\n".join(f"    {escape.markdown(line)}" for line in m.content_note.strip().split("\n"))
    return (f'!!! glance "At a glance"\n\n{body}\n\n'
            f'!!! facilitator "Before you teach: content note"\n\n{note}\n')


def insert_after_h1(markdown: str, block: str) -> str:
    match = re.search(r"^# .+$", markdown, flags=re.M)
    if not match:
        return block + "\n" + markdown
    return markdown[:match.end()] + "\n\n" + block + markdown[match.end():]


def family_learning(content: Content) -> str:
    out = ["# What your child is learning", "",
           "Each grade band has a short set of lessons about pictures, privacy and getting help. "
           "Here is what each lesson covers and one thing you can do at home. "
           "This page is made from the lessons themselves, so it always matches what is taught.", ""]
    bands = [b for b in BANDS if content.band(b)]
    if not bands:
        out.append("The lessons are not published yet.")
    for b in bands:
        out += [f"## {BANDS[b]}", ""]
        for lesson in content.band(b):
            family = rebase_links(lesson.family_connection, lesson.path.as_posix(), FAMILY_PAGE)
            out += [f"### {_title(lesson.meta.title)}", "",
                    f"*The big question:* {_title(lesson.meta.essential_question)}", "",
                    "*At home:*", "", family, ""]
    return "\n".join(out) + "\n"


def handout_index(content: Content) -> str:
    out = ["# Handouts", "",
           "Every handout is a web page and a printable PDF. Lesson handouts are listed with their lessons too.", ""]
    for audience in AUDIENCES:
        title = audience_title(audience)
        handouts = sorted((h for h in content.handouts.values() if h.meta.audience == audience),
                          key=lambda h: h.meta.title.lower())
        if not handouts:
            continue
        out += [f"## {title}", "", "| Handout | Grades | Pages | What it is |", "|---|---|---|---|"]
        for h in handouts:
            bands = ", ".join("all" if b == "all" else BANDS[b].removeprefix("Grades ") for b in h.meta.bands)
            out.append(f"| [{_title(h.meta.title)}]({rel(h.path.as_posix(), HANDOUTS_PAGE)}) | {bands} | "
                       f"{h.meta.pages} | {_title(h.meta.description)} |")
        out.append("")
    if len(out) == 3:
        out.append("No handouts yet.")
    return "\n".join(out) + "\n"


def generated_pages(content: Content) -> dict[str, str]:
    """src_uri -> Markdown of every page generated from the lessons and handouts."""
    pages = {SCOPE_PAGE: scope_and_sequence(content), HANDOUTS_PAGE: handout_index(content),
             FAMILY_PAGE: family_learning(content)}
    for band in BANDS:
        if content.band(band):
            pages[catalog_page(band)] = band_catalog(content, band)
            pages[glossary_page(band)] = glossary(content, band)
    return pages
