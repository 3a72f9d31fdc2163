"""Which pages go into which PDF.

- One PDF per handout: ``pdf/<handout slug>.pdf``.
- One lesson plan per lesson: ``pdf/<band>-<file stem>.pdf`` (stems may repeat across bands).
- One packet per grade band, ``pdf/packet-<band>.pdf``: a cover and contents, the band's lessons in
  order, then its handouts for students, for families and (only if a lesson lists one) for staff. In
  each group the handouts the lessons list come first (in lesson order), then the others for that
  band or for all grades. Other staff handouts go in the staff packet.
- One staff packet, ``pdf/packet-staff.pdf``: a cover and contents, the pages of docs/staff/ in their
  navigation order, then every handout for staff. Family guides are not in it: they are web pages,
  and their printable parts are the family handouts.
"""

from __future__ import annotations

from typing import Mapping

from ..content import Content, Handout, Lesson
from ..errors import Problem
from ..schemas import BANDS
from .model import Cover, Doc, Job, PageInput, Part

STAFF_PACKET = "packet-staff.pdf"

WORDS: dict[str, dict[str, str]] = {
    "en": {"grades": "Grades {}", "all": "All grades", "students": "For students", "families": "For families",
           "staff": "For staff and leaders", "lesson": "Lesson {order} · {minutes} minutes · Lesson plan"},
    "es": {"grades": "Grados {}", "all": "Todos los grados", "students": "Para estudiantes",
           "families": "Para familias", "staff": "Para el personal y la dirección",
           "lesson": "Lección {order} · {minutes} minutos · Plan de la lección"},
}
SECTION_TITLES = {"lessons": "Lessons", "students": "Handouts for students", "families": "Handouts for families",
                  "staff": "Handouts for staff", "pages": "Guide"}


def band_packet_name(band: str) -> str:
    return f"packet-{band}.pdf"


def lesson_slug(lesson: Lesson) -> str:
    return f"{lesson.band}-{lesson.slug}"


def grades_label(bands: list[str], lang: str = "en") -> str:
    words = WORDS.get(lang, WORDS["en"])
    if "all" in bands:
        return words["all"]
    return words["grades"].format(", ".join(BANDS[b].removeprefix("Grades ") for b in bands))


def handout_doc(handout: Handout, page: PageInput) -> Doc:
    m = handout.meta
    words = WORDS.get(m.lang, WORDS["en"])
    label = f"{grades_label(list(m.bands), m.lang)} · {words[m.audience]}"
    return Doc(slug=handout.slug, page=page, source=handout.path.as_posix(), kind="handout", label=label,
               lang=m.lang, audience=m.audience, budget=m.pages)


def lesson_doc(lesson: Lesson, page: PageInput) -> Doc:
    m = lesson.meta
    label = f"{BANDS[m.band]} · " + WORDS["en"]["lesson"].format(order=m.order, minutes=m.duration)
    return Doc(slug=lesson_slug(lesson), page=page, source=lesson.path.as_posix(), kind="lesson",
               label=label, audience="teachers")


def page_doc(page: PageInput, docs_dir_name: str = "docs") -> Doc:
    slug = "page-" + page.src_uri.removesuffix(".md").replace("/", "-")
    return Doc(slug=slug, page=page, source=f"{docs_dir_name}/{page.src_uri}", kind="page",
               label=WORDS["en"]["staff"], audience="staff")


def _page(pages: Mapping[str, PageInput], src_uri: str, problems: list[Problem]) -> PageInput | None:
    page = pages.get(src_uri)
    if page is None:
        problems.append(Problem(src_uri, "this page was not rendered, so it has no PDF",
                                hint="Check that it is not excluded from the site (not_in_nav, exclude_docs)."))
    return page


def _parts(sections: list[tuple[str, list[Doc]]]) -> list[Part]:
    return [Part(doc, heading) for heading, docs in sections for doc in docs]


def plan_jobs(content: Content, pages: Mapping[str, PageInput], staff_pages: list[str],
              site_name: str = "", docs_dir: str = "docs") -> tuple[list[Job], list[Problem]]:
    """Every PDF to make, with the documents in each, in a stable order."""
    problems: list[Problem] = []
    handouts: dict[str, Doc] = {}
    for slug, handout in content.handouts.items():
        page = _page(pages, handout.path.as_posix(), problems)
        if page is not None:
            handouts[slug] = handout_doc(handout, page)
    lessons: dict[str, list[Doc]] = {band: [] for band in BANDS}
    for band in BANDS:
        for lesson in content.band(band):
            page = _page(pages, lesson.path.as_posix(), problems)
            if page is not None:
                lessons[band].append(lesson_doc(lesson, page))

    jobs: list[Job] = []
    for doc in handouts.values():
        jobs.append(Job(name=f"{doc.slug}.pdf", title=doc.page.title, source=doc.source, docs=[doc],
                        lang=doc.lang, budget=doc.budget))
    for band in BANDS:
        for doc in lessons[band]:
            jobs.append(Job(name=f"{doc.slug}.pdf", title=doc.page.title, source=doc.source, docs=[doc]))

    for band, title in BANDS.items():
        if not lessons[band]:
            continue
        chosen: list[Doc] = []
        for lesson in content.band(band):
            for slug in lesson.meta.handouts:
                if slug in handouts and handouts[slug] not in chosen:
                    chosen.append(handouts[slug])
        for audience in ("students", "families"):
            for doc in sorted(handouts.values(), key=lambda d: d.page.title.lower()):
                bands = content.handouts[doc.slug].meta.bands
                if doc.audience == audience and (band in bands or "all" in bands) and doc not in chosen:
                    chosen.append(doc)
        sections = [(SECTION_TITLES["lessons"], lessons[band])]
        for audience in ("students", "families", "staff"):
            group = [d for d in chosen if d.audience == audience]
            if group:
                sections.append((SECTION_TITLES[audience], group))
        name = band_packet_name(band)
        cover = Cover(title=f"{title}: lessons and handouts",
                      subtitle=f"{len(lessons[band])} lesson{'s' if len(lessons[band]) != 1 else ''} "
                               f"and {len(chosen)} handout{'s' if len(chosen) != 1 else ''}", sections=sections)
        jobs.append(Job(name=name, title=f"{title} packet" + (f": {site_name}" if site_name else ""),
                        source=f"the {title} packet (pdf/{name})", docs=[p.doc for p in _parts(sections)],
                        cover=cover, parts=_parts(sections)))

    staff_docs = [page_doc(p, docs_dir) for uri in staff_pages if (p := _page(pages, uri, problems)) is not None]
    staff_handouts = sorted((d for d in handouts.values() if d.audience == "staff"),
                            key=lambda d: d.page.title.lower())
    if staff_docs or staff_handouts:
        sections = [(s, docs) for s, docs in ((SECTION_TITLES["pages"], staff_docs),
                                              (SECTION_TITLES["staff"], staff_handouts)) if docs]
        cover = Cover(title="Staff and leaders: guide and handouts",
                      subtitle="For principals, counselors, Title IX coordinators and every adult a student "
                               "might tell", sections=sections)
        jobs.append(Job(name=STAFF_PACKET, title="Staff and leaders packet" + (f": {site_name}" if site_name else ""),
                        source=f"the staff packet (pdf/{STAFF_PACKET})", docs=[p.doc for p in _parts(sections)],
                        cover=cover, parts=_parts(sections)))

    seen: dict[str, Job] = {}
    for job in jobs:
        if job.name in seen:
            problems.append(Problem(job.source, f"its PDF would be pdf/{job.name}, the same file as "
                                    f"{seen[job.name].source}", hint="Rename one of the two files."))
        seen[job.name] = job
    return jobs, problems
