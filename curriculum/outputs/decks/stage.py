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
from . import fit, powerpoint
from .lesson import lesson_deck
from .model import Deck

FOLDER = "decks"
PPTX_LABEL = "Download slides (.pptx)"
CODE = [Path(__file__).with_name(name) for name in ("model.py", "fit.py", "powerpoint.py")]


@dataclass(frozen=True)
class Settings:
    site_dir: Path
    cache_dir: Path                   # .cache/decks
    workers: int = 0


@dataclass
class DeckJob:
    deck: Deck
    key: str = ""

    @property
    def weight(self) -> int:
        return len(self.deck.slides)

    @property
    def pptx(self) -> str:
        return f"{FOLDER}/{self.deck.slug}.pptx"


@dataclass
class Report:
    made: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    slides: dict[str, int] = field(default_factory=dict)      # deck slug -> slide count


def deck_slug(lesson: Lesson) -> str:
    return f"{lesson.band}-{lesson.slug}"


def plan(content: Content, output_plan: OutputPlan) -> None:
    """The buttons of every lesson page (made before the pages are built)."""
    for lesson in content.lessons:
        output_plan.add(lesson.path.as_posix(), Download(f"{FOLDER}/{deck_slug(lesson)}.pptx", PPTX_LABEL, "pptx"))


def lesson_jobs(content: Content, pages: Mapping[str, PageInput], registry: Registry,
                district: District) -> list[DeckJob]:
    jobs = []
    problems = []
    for lesson in content.lessons:
        page = pages.get(lesson.path.as_posix())
        if page is None:
            problems.append(Problem(lesson.path.as_posix(), "the lesson page was not built, so it has no deck"))
            continue
        jobs.append(DeckJob(lesson_deck(lesson, page.html, registry, district, deck_slug(lesson))))
    if problems:
        raise ContentError(problems, "the slide decks")
    return jobs


def environment_key() -> str:
    fonts = sorted(fit.FONT_DIR.glob("*.woff2")) + [*fit.FALLBACKS, *fit.BOLD_FALLBACKS]
    return content_key(version("python-pptx"), version("pillow"), *(p.read_bytes() for p in CODE), files=fonts)


def _init() -> None:
    fit.width_pt("warm up the fonts", fit.BODY_PT)


def _work(job: DeckJob) -> tuple[DeckJob, bytes | None, int, str]:
    try:
        deck = fit.paginate(job.deck)
        return job, powerpoint.pptx_bytes(deck), len(deck.slides), ""
    except ValueError as error:
        return job, None, 0, str(error)


def _failed(job: DeckJob, why: str) -> tuple[DeckJob, bytes | None, int, str]:
    return job, None, 0, why


def run(jobs: list[DeckJob], settings: Settings, log: Callable[[str], None] | None = None) -> Report:
    """Write every deck into site/decks/: from the cache when its key is known, else made in the pool."""
    cache = ContentCache(settings.cache_dir, ".pptx")
    environment = environment_key()
    report = Report()
    todo = []
    for job in jobs:
        job.key = content_key(environment, job.deck.to_json())
        entry = cache.get(job.key)
        if entry is not None:
            cache.copy(entry, settings.site_dir / job.pptx)
            report.cached.append(job.deck.slug)
            report.slides[job.deck.slug] = int(entry.meta.get("slides", 0))
        else:
            todo.append(job)
    progress = Progress(len(todo), "Slide decks", log)
    problems = []
    for job, data, count, why in run_all(todo, _init, (), _work, _failed, settings.workers, in_process_below=6):
        progress.step()
        if data is None:
            problems.append(Problem(job.deck.source, f"its slide deck could not be made: {why}"))
            continue
        entry = cache.put(job.key, data, slides=count)
        cache.copy(entry, settings.site_dir / job.pptx)
        report.made.append(job.deck.slug)
        report.slides[job.deck.slug] = count
    if problems:
        raise ContentError(problems, "the slide decks")
    cache.prune()
    if log:
        log(f"Slide decks: {len(report.made)} made, {len(report.cached)} from the cache ({settings.cache_dir})")
    return report
