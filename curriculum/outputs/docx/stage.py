"""The Word step of the build: prepare each planned page, convert what changed, check, write.

``run`` first calls ``compose``, which is cheap (no pandoc): from the rendered pages it makes each
document's prepared HTML and cache key. Then it converts what the cache does not hold in the shared
pool, checks every file (cached or not) with the single-source rule, and writes ``site/docx/`` only
when all are good. Every problem is reported at once, naming the page a district editor has to change.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from ...errors import ContentError, Problem
from ...registry import Registry
from ..cache import ContentCache, content_key
from ..inputs import PageInput
from ..progress import Progress
from . import check
from .convert import Task, convert_all, pandoc_version
from .plan import DocxJob
from .prepare import prepare

Log = Callable[[str], None]
CODE = [Path(__file__).with_name(n) for n in ("convert.py", "reference.py")]


@dataclass(frozen=True)
class Settings:
    site_dir: Path
    cache_dir: Path                     # .cache/docx
    paper: str = "letter"
    workers: int = 0
    site_name: str = ""
    site_url: str = ""
    district_name: str = ""
    district_phone: str = ""
    district_email: str = ""
    district_website: str = ""


@dataclass
class Report:
    files: list[str] = field(default_factory=list)
    converted: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.converted:
            return f"{len(self.files)} Word copies: all from the cache ({self.seconds:.2f} s)"
        return (f"{len(self.files)} Word copies: {len(self.converted)} made, {len(self.cached)} from the cache "
                f"({self.seconds:.1f} s)")


def environment_key(paper: str) -> str:
    """What every Word copy depends on besides its page: pandoc, python-docx and the code that converts."""
    return content_key(paper, pandoc_version(), version("python-docx"), version("pypandoc-binary"),
                       *(p.read_bytes() for p in CODE))


def compose(jobs: list[DocxJob], pages: Mapping[str, PageInput], registry: Registry, settings: Settings) -> list[Task]:
    environment = environment_key(settings.paper)
    author = settings.district_name or settings.site_name
    tasks = []
    for job in jobs:
        page = pages.get(job.src_uri)
        if page is None:
            missing = Problem(job.source, "its Word copy was planned, but the page was not built",
                              hint="Is the page left out of the site (not_in_nav, draft)?")
            raise ContentError([missing], "the Word copies")
        job.title = page.title
        job.html = prepare(page.html, page.url, registry.resources, settings.site_url, survey=job.form == "survey")
        job.key = content_key(environment, job.html, job.title, job.lang, author)
        tasks.append(Task(job.name, job.html, job.key, job.title, job.lang, author, settings.site_name,
                          settings.paper))
    return tasks


def run(jobs: list[DocxJob], pages: Mapping[str, PageInput], registry: Registry, settings: Settings,
        log: Log | None = None) -> Report:
    started = time.perf_counter()
    tasks = compose(jobs, pages, registry, settings)
    report = Report(files=[j.name for j in jobs])
    cache = ContentCache(settings.cache_dir, ".docx")
    made: dict[str, bytes] = {}
    todo = []
    for task in tasks:
        entry = cache.get(task.key)
        if entry is not None:
            made[task.name] = entry.path.read_bytes()
            report.cached.append(task.name)
        else:
            todo.append(task)
    problems: list[Problem] = []
    source = {j.name: j.source for j in jobs}
    progress = Progress(len(todo), "Word copies", log)
    for result in convert_all(todo, settings.paper, settings.workers):
        progress.step()
        if result.error:
            problems.append(Problem(source[result.name], f"its Word copy docx/{result.name} could not be made: "
                                    f"{result.error}"))
            continue
        made[result.name] = result.data
        report.converted.append(result.name)
    allowed = check.Allowed.of(registry, settings.site_url, settings.district_phone, settings.district_email,
                               settings.district_website)
    for name, data in made.items():
        paragraphs, targets = check.docx_text(data)
        for what in check.problems_in(paragraphs, targets, allowed, settings.site_url):
            problems.append(Problem(source[name], f"its Word copy docx/{name} contains {what}",
                                    hint='Numbers and links come from macros/resources.yml: {{ hotline("key") }}, '
                                         '{{ resource("key") }} (README, "Add or update a resource").'))
    if problems:
        raise ContentError(problems, "the Word copies")
    for task in todo:                       # cached only once checked: a bad file is never reused
        cache.put(task.key, made[task.name])
    folder = settings.site_dir / "docx"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, data in made.items():
        (folder / name).write_bytes(data)
    cache.prune()
    report.seconds = time.perf_counter() - started
    return report
