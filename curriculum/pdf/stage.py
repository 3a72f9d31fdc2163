"""The PDF step of the build: plan every PDF, repair and place each page, render what changed.

``plan`` is cheap (no WeasyPrint): it decides the files and builds each one's print HTML and cache
key. ``run`` copies unchanged PDFs from the cache, renders the rest in a process pool, writes
``site/pdf/`` and checks each handout's page budget. Every problem is reported at once, naming the
file a teacher or district editor has to change.
"""

from __future__ import annotations

import shutil
import time
from typing import Callable, Mapping

from ..content import Content
from ..errors import ContentError, Problem
from ..registry import Registry
from . import repair
from .cache import PdfCache, environment_key, job_key
from .model import Job, PageInput, Report, Settings
from .packets import plan_jobs
from .render import Task, render_all, setup_for
from .template import PlacedDoc, PrintTemplate

Log = Callable[[str], None]


def _compose(job: Job, template: PrintTemplate, settings: Settings, registry: Registry,
             environment: str) -> list[Problem]:
    """Fill in ``job.html`` and ``job.key``; return problems found in the pages."""
    problems: list[Problem] = []
    packet = job.cover is not None or len(job.docs) > 1
    anchors: dict[str, tuple[str, str]] = {}
    trees = []
    ids: set[str] = set()
    assets = []
    for doc in job.docs:
        root = repair.parse(doc.page.html)
        repair.remove_permalinks(root)
        repair.remove_interactive(root)
        repair.open_details(root)
        repair.sequential_tabs(root)
        repair.site_relative_assets(root, doc.page.url)
        if doc.kind == "handout" and doc.audience == "students":
            for note in repair.teacher_notes(root):
                problems.append(Problem(doc.source, f"this student handout contains a teacher-only {note} "
                                        "block, so its PDF would show it to students",
                                        hint="Teacher notes belong in the lesson plan. Check the snippets "
                                             "and includes this handout uses."))
        prefix = f"{doc.slug}--" if packet else ""
        repair.prefix_ids(root, prefix)
        path, _ = repair.site_path(doc.page.url, "")
        anchors[path] = (f"doc-{doc.slug}", prefix)
        ids |= repair.ids_in(root) | {f"doc-{doc.slug}"}
        assets += [settings.site_dir / img.get("src") for img in root.iter("img")
                   if not img.get("src", "").startswith("data:")]
        trees.append((doc, root))
    placed = []
    for doc, root in trees:
        repair.resolve_internal_links(root, doc.page.url, settings.site_url, anchors, ids)
        repair.print_link_targets(root, registry.resources)
        if doc.kind == "handout":
            repair.add_qr_codes(root, registry.resources, doc.lang)
        placed.append(PlacedDoc(doc, repair.serialize(root), repair.has_h1(root)))
    description = job.docs[0].page.title if len(job.docs) == 1 else (job.cover.subtitle if job.cover else "")
    job.html = template.render(title=job.title, lang=job.lang, kind="packet" if packet else job.docs[0].kind,
                               paper=settings.paper, docs=placed, cover=job.cover, site_name=settings.site_name,
                               district=settings.district_name, verified=settings.verified,
                               description=description)
    job.key = job_key(environment, job.html, sorted(set(assets)))
    return problems


def plan(content: Content, pages: Mapping[str, PageInput], staff_pages: list[str], registry: Registry,
         settings: Settings, docs_dir: str = "docs") -> list[Job]:
    """Every PDF this build makes, with its print HTML and cache key. Raises ContentError."""
    jobs, problems = plan_jobs(content, pages, staff_pages, settings.site_name, docs_dir)
    try:
        template = PrintTemplate(settings.template_dir)
        environment = environment_key(template.fingerprint, settings.paper)
    except (FileNotFoundError, OSError) as error:
        raise ContentError([Problem(settings.template_dir, str(error))], "the print template") from None
    for job in jobs:
        problems += _compose(job, template, settings, registry, environment)
    if problems:
        raise ContentError(problems, "the PDFs")
    return jobs


def run(jobs: list[Job], settings: Settings, log: Log | None = None, warn: Log | None = None) -> Report:
    """Write site/pdf/: cached PDFs are copied, the others rendered. Raises ContentError on any problem."""
    started = time.perf_counter()
    report = Report()
    cache = PdfCache(settings.cache_dir)
    shutil.rmtree(settings.cache_dir / "over-budget", ignore_errors=True)   # only this build's
    problems: list[Problem] = []
    entries = {job.name: cache.get(job.key) for job in jobs}
    by_name = {job.name: job for job in jobs}
    missing = [Task(job.name, job.html, job.key, job.weight) for job in jobs if entries[job.name] is None]
    if missing:
        template = PrintTemplate(settings.template_dir)
        setup = setup_for(template.css_path, settings.site_dir, settings.template_dir, template.font_files)
        render_started = time.perf_counter()
        report.workers = min(settings.workers or _cores(), len(missing))
        if log:
            log(f"rendering {len(missing)} of {len(jobs)} PDFs on {report.workers} worker"
                f"{'s' if report.workers != 1 else ''} ({len(jobs) - len(missing)} unchanged, from the cache)")
        for result in render_all(missing, setup, settings.workers):
            job = by_name[result.name]
            report.job_seconds[job.name] = result.seconds
            for message in result.warnings:
                (warn or log or (lambda _m: None))(f"{job.source}: while making pdf/{job.name}: {message}")
            if result.error:
                problems.append(Problem(job.source, f"could not make pdf/{job.name}: {result.error}"))
                continue
            entries[job.name] = cache.put(result.key, result.pdf, result.pages)
            report.rendered.append(job.name)
        report.render_seconds = time.perf_counter() - render_started
    for job in jobs:
        entry = entries[job.name]
        if entry is None:
            continue
        if job.name not in report.rendered:
            report.cached.append(job.name)
        cache.copy(entry, settings.pdf_dir / job.name)
        report.pages[job.name] = entry.pages
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
    wanted = {job.name for job in jobs}
    for old in settings.pdf_dir.glob("*.pdf") if settings.pdf_dir.is_dir() else []:
        if old.name not in wanted:          # e.g. a renamed handout, after a build with --dirty
            old.unlink()
    cache.prune()
    report.seconds = time.perf_counter() - started
    if problems:
        raise ContentError(problems, "the PDFs")
    if log:
        log(report.summary())
    return report


def _cores() -> int:
    from .render import cpu_count
    return cpu_count()


def _shown(path, root) -> str:
    """A path relative to the project when it is inside it (shorter to read)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
