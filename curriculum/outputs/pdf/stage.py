"""The PDF step of the build: repair and place each page of the plan, render what changed.

The plan (``packets.plan_jobs``) is made before the pages are built. ``compose`` is cheap (no
WeasyPrint): from the rendered pages it builds each document's print HTML and cache key. ``run``
renders the documents the cache does not hold in the process pool, then makes each packet: its
cover and contents (rendered, now that every document's page count is known) joined with its
documents' PDFs. It checks each handout's page budget, then writes ``site/pdf/``. Every problem is
reported at once, naming the file a teacher or district editor has to change.

A document is laid out once however many PDFs hold it: its packets join the very file that is
published for it. Its links to other documents are resolved at join time (join.py): inside a packet
they go to the page in the packet; in its own PDF they are site links (with site_url) or dropped to
text. A card (``card: half`` or ``wallet``) is rendered at card size and imposed n-up on one sheet
(impose.py): the sheet is its PDF, and what its packets hold.
"""

from __future__ import annotations

import copy
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from ...errors import ContentError, Problem
from ...registry import Registry
from ...resource_html import currency
from ...words import WORDS, words
from ..cache import ContentCache, Entry, content_key
from ..inputs import PageInput
from ..progress import Progress
from . import repair
from .cache import environment_key, job_key, pdf_cache
from .model import PACKET_LINK, Doc, Job, Report, Settings, SitePage
from .render import Task, render_all, setup_for
from .template import PlacedDoc, PrintTemplate

Log = Callable[[str], None]
JOIN_CODE = Path(__file__).with_name("join.py")
IMPOSE_CODE = Path(__file__).with_name("impose.py")
COVER_PAGES_GUESS = 2           # the cover and one page of contents; rendered again if it is more
# Every character a packet page number can print ("Packet page 30 of 61", in every language).
STAMP_TEXT = "0123456789 " + "".join(sorted({c for w in WORDS.values() for c in w["packet_page"]} - set("{}")))


class _Prepared:
    """A document after the repairs that do not depend on the PDF it goes in."""

    def __init__(self, doc: Doc, page: PageInput, settings: Settings, problems: list[Problem]):
        root = repair.parse(page.html)
        repair.remove_permalinks(root)
        repair.remove_interactive(root)
        repair.open_details(root)
        repair.sequential_tabs(root)
        repair.site_relative_assets(root, page.url)
        for item in repair.rules_in_list_items(root):
            problems.append(Problem(doc.source, f"a list item prints a horizontal rule, not a line to write on: "
                                    f"'{item}'", hint="Write a blank as {{ blank() }} (CONTRIBUTING.md)."))
        if doc.kind == "handout" and doc.audience == "students":
            for note in repair.teacher_notes(root):
                problems.append(Problem(doc.source, f"this student handout contains a teacher-only {note} "
                                        "block, so its PDF would show it to students",
                                        hint="Teacher notes belong in the lesson plan. Check the snippets "
                                             "and includes this handout uses."))
        self.root = root
        self.path, _ = repair.site_path(page.url, "")
        self.ids = repair.ids_in(root) | {f"doc-{doc.slug}"}
        self.assets = sorted({settings.site_dir / img.get("src") for img in root.iter("img")
                              if not img.get("src", "").startswith("data:")})


def _compose(doc: Doc, prepared: _Prepared, template: PrintTemplate, settings: Settings, registry: Registry,
             environment: str, documents: Mapping[str, tuple[str, set[str]]],
             site_pages: Mapping[str, SitePage]) -> tuple[str, str]:
    """The print HTML of one document and its cache key, the same in every PDF that holds it.
    ``documents``: site path -> (slug, ids) of every page printed as a document."""
    root = copy.deepcopy(prepared.root)
    guides = repair.linked_site_pages(root, doc.rendered.url) if doc.kind == "handout" else []
    repair.resolve_internal_links(root, doc.rendered.url, settings.site_url, prepared.ids, documents)
    listed = {r.key for r in repair.qr_resources(root, registry.resources)} if doc.card else set()
    repair.print_link_targets(root, registry.resources, site_links=doc.kind != "handout", listed=listed)
    if doc.kind == "handout":
        repair.add_qr_codes(root, registry.resources, doc.lang)
        repair.add_site_guides(root, guides, settings.site_url, site_pages, settings.site_name, doc.lang)
    if doc.card:
        repair.add_dates(root, currency(repair.linked_resources(root, registry.resources), settings.reached,
                                        doc.lang))
    placed = PlacedDoc(doc, repair.serialize(root), repair.has_h1(root))
    # No district value here: the district's footer is stamped on afterwards (_laid_out), so a document
    # no district value touches has the same key, and is rendered once, in every district edition.
    html = template.render(title=doc.rendered.title, lang=doc.lang, kind=doc.kind, paper=settings.paper, docs=[placed],
                           site_name=settings.site_name, district="", description=doc.rendered.title)
    return html, job_key(environment, html, prepared.assets)


def _cover(job: Job, template: PrintTemplate, settings: Settings, environment: str,
           starts: Mapping[str, int]) -> tuple[str, str]:
    html = template.render(title=job.title, lang=job.lang, kind="packet", paper=settings.paper, docs=[],
                           cover=job.cover, site_name=settings.site_name, district=settings.district_name,
                           dates=job.dates, description=job.cover.subtitle if job.cover else "", starts=starts)
    return html, job_key(environment, html)


def _stamp_html(lang: str) -> str:
    """A page holding every character of a packet page number, in the footer's font: the join copies
    its (subsetted, embedded) font to stamp the numbers with."""
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{STAMP_TEXT}</title>'
            f'</head><body><p class="print-stamp">{STAMP_TEXT}</p></body></html>')


def _footer_html(lang: str, text: str) -> str:
    """A page holding the district's name in the footer's font: the footer stamp copies its font."""
    from html import escape
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(text)}</title>'
            f'</head><body><p class="print-stamp">{escape(text)}</p></body></html>')


def _starts(job: Job, pages: Mapping[str, int], cover_pages: int) -> dict[str, int]:
    """The page of the packet each document starts on (1 is the cover)."""
    starts, at = {}, cover_pages + 1
    for part in job.parts:
        starts[part.doc.slug] = at
        at += pages[part.key]
    return starts


def join_key(cover_key: str, part_keys: list[str], site_url: str = "", stamp_key: str = "") -> str:
    return content_key(JOIN_CODE.read_bytes(), version("pikepdf"), cover_key, site_url, stamp_key, *part_keys)


def _environment(settings: Settings) -> tuple[PrintTemplate, str]:
    try:
        template = PrintTemplate(settings.template_dir)
        return template, environment_key(template.fingerprint, settings.paper)
    except (FileNotFoundError, OSError) as error:
        raise ContentError([Problem(settings.template_dir, str(error))], "the print template") from None


def compose(jobs: list[Job], pages: Mapping[str, PageInput], registry: Registry, settings: Settings,
            site_pages: Mapping[str, SitePage] | None = None) -> list[Job]:
    """Give every planned PDF (``packets.plan_jobs``) its documents' print HTML and cache keys, from
    the rendered pages. ``site_pages``: every page of the site (for the pages a handout names).
    Raises ContentError."""
    problems: list[Problem] = []
    template, environment = _environment(settings)
    prepared: dict[str, _Prepared] = {}
    for job in jobs:
        for doc in job.docs:
            if doc.slug in prepared:
                continue
            page = pages.get(doc.src_uri)
            if page is None:
                problems.append(Problem(doc.source, "this page was not rendered, so it has no PDF",
                                        hint="Check that it is not excluded from the site (not_in_nav, exclude_docs)."))
                continue
            doc.page = page
            prepared[doc.slug] = _Prepared(doc, page, settings, problems)
    if problems:
        raise ContentError(problems, "the PDFs")
    documents = {p.path: (slug, p.ids) for slug, p in prepared.items()}
    composed: dict[str, tuple[str, str]] = {}
    for job in jobs:
        for doc in job.docs:
            if doc.slug not in composed:
                composed[doc.slug] = _compose(doc, prepared[doc.slug], template, settings, registry, environment,
                                              documents, site_pages or {})
        if not job.packet:
            job.html, job.key = composed[job.docs[0].slug]
        for part in job.parts:
            part.html, part.key = composed[part.doc.slug]
            part.path = prepared[part.doc.slug].path
        if job.packet:          # the cover says how current the help lines and links in the packet are
            linked = {r.key: r for d in job.docs for r in repair.linked_resources(prepared[d.slug].root,
                                                                                   registry.resources)}
            job.dates = currency(linked.values(), settings.reached, job.lang)
    return jobs


def run(jobs: list[Job], settings: Settings, log: Log | None = None, warn: Log | None = None) -> Report:
    """Write site/pdf/: cached PDFs are copied, the others made. Raises ContentError on any problem."""
    started = time.perf_counter()
    report = Report()
    cache = pdf_cache(settings.cache_dir)
    shutil.rmtree(settings.cache_dir / "over-budget", ignore_errors=True)   # only this build's
    problems: list[Problem] = []
    template, environment = _environment(settings)
    setup = setup_for(template.css_path, settings.site_dir, settings.template_dir, template.font_files)

    # 1. Every document, once (a published PDF first: a packet holds the very same file), and the
    #    page whose font prints packet page numbers.
    units: dict[str, _Unit] = {}
    for job in jobs:
        if not job.packet:
            units.setdefault(job.key, _Unit(Task(job.name, job.html, job.key, len(job.html)), job.source, True))
    for job in jobs:
        for part in job.parts:
            task = Task(f"{job.name} ({part.doc.slug})", part.html, part.key, len(part.html))
            units.setdefault(part.key, _Unit(task, part.doc.source, False))
    stamps: dict[str, str] = {}
    for lang in sorted({job.lang for job in jobs if job.packet}):
        html = _stamp_html(lang)
        stamps[lang] = key = job_key(environment, html)
        units.setdefault(key, _Unit(Task(f"packet page numbers ({lang})", html, key, 0), "print.css", False))
    footers: dict[str, str] = {}
    if settings.district_name:
        for lang in sorted({doc.lang for job in jobs for doc in job.docs if not doc.card}):
            html = _footer_html(lang, settings.district_name)
            footers[lang] = key = job_key(environment, html)
            units.setdefault(key, _Unit(Task(f"district footer ({lang})", html, key, 0), "print.css", False))
    entries: dict[str, Entry | None] = {key: cache.get(key) for key in units}
    missing = [unit.task for key, unit in units.items() if entries[key] is None]
    if missing:
        report.workers = min(settings.workers or _cores(), len(missing))
        if log:
            log(f"rendering {len(missing)} of {len(units)} documents on {report.workers} worker"
                f"{'s' if report.workers != 1 else ''} ({len(units) - len(missing)} unchanged, from the cache)")
        progress = Progress(len(missing), "PDF documents", log)
        problems += _render(missing, setup, settings.workers, units, entries, cache, report, warn or log, progress)
    if problems:
        raise ContentError(problems, "the PDFs")

    # 2. What each document is in a PDF: a card imposed on its sheet; its own PDF without the links
    #    that only mean something inside a packet.
    from .join import JoinError  # pikepdf
    laid_out: dict[str, Entry] = {}          # a document's key -> the PDF its packets join
    for job in jobs:
        for doc, key in ([(job.docs[0], job.key)] if not job.packet else [(p.doc, p.key) for p in job.parts]):
            if key not in laid_out:
                footer = entries[footers[doc.lang]] if doc.lang in footers else None
                try:
                    laid_out[key] = _laid_out(doc, key, entries, cache, settings, report, job, footer)
                except JoinError as error:         # a character the print font lacks
                    problems.append(Problem(job.source, str(error)))
    if problems:
        raise ContentError(problems, "the PDFs")
    for job in jobs:
        if not job.packet:
            entries[job.key] = _published(job, laid_out[job.key], cache, report)

    # 3. Each packet: its cover and contents (all covers rendered together, on the pool), then its
    #    documents joined behind it, page numbers on.
    packets = [job for job in jobs if job.packet]
    covers, problems = _covers(packets, template, environment, setup, settings, laid_out, entries, cache, report,
                               warn or log)
    for job in packets if not problems else []:
        stamp = entries[stamps[job.lang]]
        assert stamp is not None
        problems += _join_packet(job, covers[job.name], settings, laid_out, entries, cache, report, stamp)
    if problems:
        raise ContentError(problems, "the PDFs")
    report.render_seconds = time.perf_counter() - started

    # 4. Page budgets, then site/pdf/: nothing is written into the site when a PDF is wrong.
    for job in jobs:
        entry = entries[job.key]
        assert entry is not None
        if job.budget is not None and entry.pages > job.budget:
            # The failed build keeps no site/pdf/, so keep this PDF where the editor can look at it.
            look = settings.cache_dir / "over-budget" / job.name
            cache.copy(entry, look)
            problems.append(Problem(
                job.source, f"the printed handout has {entry.pages} pages, but its front matter says "
                f"'pages: {job.budget}'",
                hint=("Shorten it to fit, or split it. " if job.budget >= 2 else
                      "Shorten it to fit on one page, or set 'pages: 2' if it really needs two. ")
                + f"To see what spills over, open {_shown(look, settings.root)}"))
    if problems:
        raise ContentError(problems, "the PDFs")
    for job in jobs:
        entry = entries[job.key]
        assert entry is not None
        if job.name not in report.rendered:
            report.cached.append(job.name)
        cache.copy(entry, settings.pdf_dir / job.name)
        report.pages[job.name] = entry.pages
    wanted = {job.name for job in jobs}
    for old in settings.pdf_dir.glob("*.pdf") if settings.pdf_dir.is_dir() else []:
        if old.name not in wanted:          # e.g. a renamed handout, after a build with --dirty
            old.unlink()
    cache.prune()
    report.seconds = time.perf_counter() - started
    if log:
        log(report.summary())
    return report


@dataclass(frozen=True)
class _Unit:
    task: Task
    source: str           # the file named in messages
    published: bool       # its PDF is a file of site/pdf/ (not only a packet's document)


def _render(tasks: list[Task], setup, workers: int, units: Mapping[str, _Unit], entries: dict[str, Entry | None],
            cache: ContentCache, report: Report, warn: Log | None, progress: Progress | None = None) -> list[Problem]:
    problems = []
    for result in render_all(tasks, setup, workers):
        if progress:
            progress.step()
        source = units[result.key].source
        report.job_seconds[result.name] = result.seconds
        for message in result.warnings:
            (warn or (lambda _m: None))(f"{source}: while making pdf/{result.name}: {message}")
        if result.error:
            problems.append(Problem(source, f"could not make pdf/{result.name}: {result.error}"))
            continue
        entries[result.key] = cache.put(result.key, result.pdf, pages=result.pages)
        if units[result.key].published:
            report.rendered.append(result.name)
    return problems


def _laid_out(doc: Doc, key: str, entries: Mapping[str, Entry | None], cache: ContentCache, settings: Settings,
              report: Report, job: Job, footer: Entry | None = None) -> Entry:
    """The PDF of a document as its packets hold it: its render with the district's footer stamped on,
    or for a card (which has no footer) the sheet of cards."""
    rendered = entries[key]
    assert rendered is not None
    if not doc.card:
        if footer is None:
            return rendered
        from .join import StampFont, stamp_footer  # pikepdf, only when a district is configured

        stamped_key = content_key(JOIN_CODE.read_bytes(), version("pikepdf"), "footer", key, footer.path.stem)
        stamped = cache.get(stamped_key)
        if stamped is None:
            data = stamp_footer(rendered.path.read_bytes(), StampFont.read(footer.path), settings.district_name)
            stamped = cache.put(stamped_key, data, pages=rendered.pages)
        return stamped
    from .impose import impose  # pikepdf, only when a card is made

    sheet_key = content_key(IMPOSE_CODE.read_bytes(), version("pikepdf"), key, doc.card, settings.paper)
    sheet = cache.get(sheet_key)
    if sheet is None:
        data, count = impose(rendered.path.read_bytes(), doc.card, settings.paper)
        sheet = cache.put(sheet_key, data, pages=count)
        if not job.packet and job.name not in report.rendered:
            report.rendered.append(job.name)
    return sheet


def _published(job: Job, entry: Entry, cache: ContentCache, report: Report) -> Entry:
    """A document's own PDF: its links that only mean something inside a packet are dropped."""
    if PACKET_LINK not in job.html:
        return entry
    from .join import drop_packet_links

    key = content_key(JOIN_CODE.read_bytes(), version("pikepdf"), "own", entry.path.stem)
    own = cache.get(key)
    if own is None:
        own = cache.put(key, drop_packet_links(entry.path.read_bytes()), pages=entry.pages)
        if job.name not in report.rendered:
            report.rendered.append(job.name)
    return own


def _covers(packets: list[Job], template: PrintTemplate, environment: str, setup, settings: Settings,
            laid_out: Mapping[str, Entry], entries: dict[str, Entry | None], cache: ContentCache, report: Report,
            warn: Log | None) -> tuple[dict[str, tuple[Entry, str]], list[Problem]]:
    """Every packet's cover and contents: job name -> (its PDF, its key). A cover needs only its
    documents' page counts, so all of them render in one pool run (again for those whose contents
    run longer than guessed). Sets each packet's ``job.html``."""
    guess = {job.name: COVER_PAGES_GUESS for job in packets}
    done: dict[str, tuple[Entry, str]] = {}
    for _attempt in range(3):
        todo = [job for job in packets if job.name not in done]
        if not todo:
            break
        keys: dict[str, str] = {}
        units: dict[str, _Unit] = {}
        for job in todo:
            pages = {part.key: laid_out[part.key].pages for part in job.parts}
            job.html, key = _cover(job, template, settings, environment, _starts(job, pages, guess[job.name]))
            keys[job.name] = key
            entries[key] = cache.get(key)
            if entries[key] is None:
                units[key] = _Unit(Task(f"{job.name} (cover)", job.html, key, len(job.html)), job.source, False)
        problems = _render([unit.task for unit in units.values()], setup, settings.workers, units, entries, cache,
                           report, warn) if units else []
        if problems:
            return done, problems
        for job in todo:
            cover = entries[keys[job.name]]
            assert cover is not None
            if cover.pages == guess[job.name]:
                done[job.name] = (cover, keys[job.name])
            guess[job.name] = cover.pages
    return done, [Problem(job.source, f"the contents of pdf/{job.name} do not settle on a page count")
                  for job in packets if job.name not in done]


def _join_packet(job: Job, cover_and_key: tuple[Entry, str], settings: Settings, laid_out: Mapping[str, Entry],
                 entries: dict[str, Entry | None], cache: ContentCache, report: Report, stamp: Entry) -> list[Problem]:
    """Join the packet's cover and its documents' PDFs. Sets ``job.key``."""
    from .join import JoinError, Member, StampFont, join  # pikepdf, only when a packet is made

    cover, cover_key = cover_and_key
    job.key = join_key(cover_key, [laid_out[part.key].path.stem for part in job.parts], settings.site_url,
                       stamp.path.stem)
    entry = cache.get(job.key)
    if entry is None:
        members = [Member(part.doc.slug, laid_out[part.key].path, part.section, part.path) for part in job.parts]
        try:
            data, count = join(cover.path, members, settings.site_url, StampFont.read(stamp.path),
                               words(job.lang)["packet_page"])
        except JoinError as error:
            return [Problem(job.source, f"could not join pdf/{job.name}: {error}")]
        entry = cache.put(job.key, data, pages=count)
        report.rendered.append(job.name)
    entries[job.key] = entry
    return []


def _cores() -> int:
    from ..pool import cpu_count
    return cpu_count()


def _shown(path, root) -> str:
    """A path relative to the project when it is inside it (shorter to read)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
