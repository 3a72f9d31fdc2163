"""Which pages go into which PDF.

- One PDF per handout: ``pdf/<handout slug>.pdf``.
- One lesson plan per lesson: ``pdf/<band>-<file stem>.pdf`` (stems may repeat across bands).
- One packet per grade band, ``pdf/packet-<band>.pdf``: a cover and contents, the band's lessons in
  order, then its handouts for students, for families and (only if a lesson lists one) for staff. In
  each group the handouts the lessons list come first (in lesson order), then the others for that
  band or for all grades. Other staff handouts go in the staff packet.
- One Spanish packet per band, ``pdf/packet-<band>.es.pdf``: the band's Spanish handouts for families
  and students (the English packets hold English documents only).
- One staff packet, ``pdf/packet-staff.pdf``: a cover and contents, the pages of docs/staff/ in their
  navigation order, then every handout for staff. Family guides are not in it: they are web pages,
  and their printable parts are the family handouts.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...catalog import catalog_page
from ...content import Content, Handout, Lesson
from ...errors import Problem
from ...schemas import BANDS
from ...words import words
from .model import Cover, Doc, Job, Part

STAFF_PACKET = "packet-staff.pdf"


def band_packet_name(band: str, lang: str = "en") -> str:
    return f"packet-{band}.pdf" if lang == "en" else f"packet-{band}.{lang}.pdf"


def lesson_slug(lesson: Lesson) -> str:
    return f"{lesson.band}-{lesson.slug}"


def grades_label(bands: Sequence[str], lang: str = "en") -> str:
    w = words(lang)
    if "all" in bands:
        return w["all_grades"]
    return w["grades"].format(", ".join(BANDS[b].removeprefix("Grades ") for b in bands))


def handout_doc(handout: Handout) -> Doc:
    m = handout.meta
    label = f"{grades_label(list(m.bands), m.lang)} · {words(m.lang)[m.audience]}"
    unreviewed = m.lang != "en" and not (m.reviewed_by or "").strip()
    return Doc(slug=handout.slug, src_uri=handout.path.as_posix(), title=m.title, source=handout.path.as_posix(),
               kind="handout", label=label, lang=m.lang, audience=m.audience, budget=m.pages, form=m.kind,
               bands=tuple(m.bands), card=(m.card or "half") if m.kind == "card" else None,
               notice=words(m.lang)["unreviewed_print"] if unreviewed else "")


def lesson_doc(lesson: Lesson) -> Doc:
    m = lesson.meta
    label = f"{BANDS[m.band]} · " + words()["lesson_label"].format(order=m.order, minutes=m.duration)
    return Doc(slug=lesson_slug(lesson), src_uri=lesson.path.as_posix(), title=m.title,
               source=lesson.path.as_posix(), kind="lesson", label=label, audience="teachers", bands=(m.band,))


def page_doc(src_uri: str, title: str, docs_dir_name: str = "docs") -> Doc:
    slug = "page-" + src_uri.removesuffix(".md").replace("/", "-")
    return Doc(slug=slug, src_uri=src_uri, title=title, source=f"{docs_dir_name}/{src_uri}", kind="page",
               label=words()["staff"], audience="staff")


def _parts(sections: list[tuple[str, list[Doc]]]) -> list[Part]:
    return [Part(doc, heading) for heading, docs in sections for doc in docs]


def spanish_packets(handouts: dict[str, Doc], content: Content, shown_on: Sequence[str]) -> list[Job]:
    """``packet-<band>.es.pdf``: a band's Spanish handouts for families and students, with a Spanish
    cover (the English packets hold English documents only)."""
    w = words("es")
    jobs = []
    for band in BANDS:
        if not content.band(band):
            continue
        chosen = [d for d in sorted(handouts.values(), key=lambda d: d.title.lower())
                  if d.lang == "es" and (band in d.bands or "all" in d.bands)]
        sections = [(w[f"section_{audience}"], group) for audience in ("families", "students")
                    if (group := [d for d in chosen if d.audience == audience])]
        if not sections:
            continue
        grades = grades_label([band], "es")
        name = band_packet_name(band, "es")
        cover = Cover(title=f"{grades}: materiales para familias",
                      subtitle=f"{len(chosen)} documento{'s' if len(chosen) != 1 else ''} en español",
                      sections=sections)
        jobs.append(Job(name=name, title=f"{grades}: materiales para familias", source=f"the Spanish packet "
                        f"(pdf/{name})", docs=[p.doc for p in _parts(sections)], lang="es", cover=cover,
                        parts=_parts(sections), shown_on=list(shown_on),
                        button=w["download_packet"].format(title=grades)))
    return jobs


def plan_jobs(content: Content, staff_pages: Sequence[tuple[str, str]], site_name: str = "",
              docs_dir: str = "docs", spanish_page: str | None = None) -> tuple[list[Job], list[Problem]]:
    """Every PDF to make, with the documents in each and the pages that offer it, in a stable order.

    ``staff_pages``: (src_uri, title) of the pages of docs/staff/, in navigation order. Needs no
    rendered page: the plan is made before the pages are built, so the pages' download buttons and
    the PDF step follow one plan.
    """
    problems: list[Problem] = []
    w = words()
    handouts = {slug: handout_doc(handout) for slug, handout in content.handouts.items()}
    lessons: dict[str, list[Doc]] = {band: [lesson_doc(lesson) for lesson in content.band(band)] for band in BANDS}

    jobs: list[Job] = []
    for doc in handouts.values():
        jobs.append(Job(name=f"{doc.slug}.pdf", title=doc.title, source=doc.source, docs=[doc], lang=doc.lang,
                        budget=doc.budget, shown_on=[doc.src_uri], button=words(doc.lang)["download_pdf"]))
    for band in BANDS:
        for doc in lessons[band]:
            jobs.append(Job(name=f"{doc.slug}.pdf", title=doc.title, source=doc.source, docs=[doc],
                            shown_on=[doc.src_uri], button=w["download_pdf"]))

    for band, title in BANDS.items():
        if not lessons[band]:
            continue
        chosen: list[Doc] = []
        for lesson in content.band(band):
            for slug in lesson.meta.handouts:
                if slug in handouts and handouts[slug] not in chosen and handouts[slug].lang == "en":
                    chosen.append(handouts[slug])
        for audience in ("students", "families"):
            for doc in sorted(handouts.values(), key=lambda d: d.title.lower()):
                bands = content.handouts[doc.slug].meta.bands
                if doc.audience == audience and (band in bands or "all" in bands) and doc not in chosen \
                        and doc.lang == "en":
                    chosen.append(doc)
        sections = [(w["section_lessons"], lessons[band])]
        for audience in ("students", "families", "staff"):
            group = [d for d in chosen if d.audience == audience]
            if group:
                sections.append((w[f"section_{audience}"], group))
        name = band_packet_name(band)
        cover = Cover(title=f"{title}: lessons and handouts",
                      subtitle=f"{len(lessons[band])} lesson{'s' if len(lessons[band]) != 1 else ''} "
                               f"and {len(chosen)} handout{'s' if len(chosen) != 1 else ''}", sections=sections)
        jobs.append(Job(name=name, title=f"{title} packet" + (f": {site_name}" if site_name else ""),
                        source=f"the {title} packet (pdf/{name})", docs=[p.doc for p in _parts(sections)],
                        cover=cover, parts=_parts(sections), shown_on=[catalog_page(band)],
                        button=w["download_packet"].format(title=title)))

    jobs += spanish_packets(handouts, content, [spanish_page] if spanish_page else [])

    staff_docs = [page_doc(uri, title, docs_dir) for uri, title in staff_pages]
    staff_handouts = sorted((d for d in handouts.values() if d.audience == "staff"), key=lambda d: d.title.lower())
    if staff_docs or staff_handouts:
        sections = [(s, docs) for s, docs in ((w["section_pages"], staff_docs),
                                              (w["section_staff"], staff_handouts)) if docs]
        cover = Cover(title="Staff and leaders: guide and handouts",
                      subtitle="For principals, counselors, Title IX coordinators and every adult a student "
                               "might tell", sections=sections)
        jobs.append(Job(name=STAFF_PACKET, title="Staff and leaders packet" + (f": {site_name}" if site_name else ""),
                        source=f"the staff packet (pdf/{STAFF_PACKET})", docs=[p.doc for p in _parts(sections)],
                        cover=cover, parts=_parts(sections), shown_on=[uri for uri, _ in staff_pages],
                        button=w["download_staff_packet"]))

    seen: dict[str, Job] = {}
    for job in jobs:
        if job.name in seen:
            problems.append(Problem(job.source, f"its PDF would be pdf/{job.name}, the same file as "
                                    f"{seen[job.name].source}", hint="Rename one of the two files."))
        seen[job.name] = job
    return jobs, problems
