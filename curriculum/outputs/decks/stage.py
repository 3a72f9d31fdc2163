"""Plan, key, render and write the decks (site/decks/<slug>.pptx and the present view)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from ...content import Content, Lesson
from ...district import District
from ...errors import ContentError, Problem
from ...registry import Registry
from ..cache import ContentCache, content_key
from ..inputs import PageInput
from ..plan import Download, OutputPlan
from ..pool import run_all
from ..progress import Progress
from . import fit, powerpoint, present
from .lesson import lesson_deck
from .model import Deck
from .sessions import session_deck, sessions_on_site

FOLDER = "decks"
PPTX_LABEL = "Download slides (.pptx)"
PRESENT_LABEL = "Present"
CODE = [Path(__file__).with_name(name) for name in ("model.py", "fit.py", "powerpoint.py", "present.py")]


@dataclass(frozen=True)
class Settings:
    site_dir: Path
    cache_dir: Path                   # .cache/decks
    workers: int = 0


@dataclass
class DeckJob:
    deck: Deck
    back: str = ""          # the page the present view links back to, relative to site/decks/
    key: str = ""

    @property
    def weight(self) -> int:
        return len(self.deck.slides)

    @property
    def pptx(self) -> str:
        return f"{FOLDER}/{self.deck.slug}.pptx"

    @property
    def html(self) -> str:
        return f"{FOLDER}/{self.deck.slug}.html"


@dataclass
class Report:
    made: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    slides: dict[str, int] = field(default_factory=dict)      # deck slug -> slide count


def deck_slug(lesson: Lesson) -> str:
    return f"{lesson.band}-{lesson.slug}"


def plan(content: Content, output_plan: OutputPlan, docs_files: set[str]) -> None:
    """The buttons of every lesson page and session script page (made before the pages are built).
    ``docs_files``: the Markdown files under docs/, as page src_uris ("staff/training-session.md")."""
    pages = [(lesson.path.as_posix(), deck_slug(lesson)) for lesson in content.lessons]
    pages += [(session.src_uri, session.slug) for session in sessions_on_site(docs_files)]
    for src_uri, slug in pages:
        output_plan.add(src_uri, Download(f"{FOLDER}/{slug}.html", PRESENT_LABEL, "present"))
        output_plan.add(src_uri, Download(f"{FOLDER}/{slug}.pptx", PPTX_LABEL, "pptx"))


def lesson_jobs(content: Content, pages: Mapping[str, PageInput], registry: Registry,
                district: District) -> list[DeckJob]:
    """A job per lesson, and per session script page the site has (the staff training, family night)."""
    jobs = []
    problems = []
    for lesson in content.lessons:
        page = pages.get(lesson.path.as_posix())
        if page is None:
            problems.append(Problem(lesson.path.as_posix(), "the lesson page was not built, so it has no deck"))
            continue
        jobs.append(DeckJob(lesson_deck(lesson, page.html, registry, district, deck_slug(lesson)),
                            back="../" + page.url))
    for session in sessions_on_site(set(pages)):
        page = pages[session.src_uri]
        jobs.append(DeckJob(session_deck(session, page.html, registry, district), back="../" + page.url))
    if problems:
        raise ContentError(problems, "the slide decks")
    return jobs


def environment_key() -> str:
    fonts = sorted(fit.FONT_DIR.glob("*.woff2")) + [*fit.FALLBACKS, *fit.BOLD_FALLBACKS]
    return content_key(version("python-pptx"), version("pillow"), *(p.read_bytes() for p in CODE), files=fonts)


def _init() -> None:
    fit.width_pt("warm up the fonts", fit.BODY_PT)


Made = tuple[DeckJob, bytes | None, bytes, int, str]     # job, .pptx, present view, slides, what failed


def _work(job: DeckJob) -> Made:
    try:
        deck = fit.paginate(job.deck)
        return job, powerpoint.pptx_bytes(deck), present.present_html(deck, job.back).encode(), len(deck.slides), ""
    except ValueError as error:
        return job, None, b"", 0, str(error)


def _failed(job: DeckJob, why: str) -> Made:
    return job, None, b"", 0, why


def run(jobs: list[DeckJob], settings: Settings, log: Callable[[str], None] | None = None) -> Report:
    """Write every deck into site/decks/: from the cache when its key is known, else made in the pool."""
    cache = ContentCache(settings.cache_dir, ".pptx")
    views = ContentCache(settings.cache_dir, ".html")
    environment = environment_key()
    report = Report()
    todo = []
    for job in jobs:
        job.key = content_key(environment, job.deck.to_json(), job.back)
        entry, view = cache.get(job.key), views.get(job.key + "-view")
        if entry is not None and view is not None:
            cache.copy(entry, settings.site_dir / job.pptx)
            views.copy(view, settings.site_dir / job.html)
            report.cached.append(job.deck.slug)
            report.slides[job.deck.slug] = int(entry.meta.get("slides", 0))
        else:
            todo.append(job)
    progress = Progress(len(todo), "Slide decks", log)
    problems = []
    for job, data, view_html, count, why in run_all(todo, _init, (), _work, _failed, settings.workers,
                                                    in_process_below=6):
        progress.step()
        if data is None:
            problems.append(Problem(job.deck.source, f"its slide deck could not be made: {why}"))
            continue
        entry = cache.put(job.key, data, slides=count)
        cache.copy(entry, settings.site_dir / job.pptx)
        views.copy(views.put(job.key + "-view", view_html), settings.site_dir / job.html)
        report.made.append(job.deck.slug)
        report.slides[job.deck.slug] = count
    if problems:
        raise ContentError(problems, "the slide decks")
    cache.prune()
    views.prune()
    if log:
        log(f"Slide decks: {len(report.made)} made, {len(report.cached)} from the cache ({settings.cache_dir})")
    return report
