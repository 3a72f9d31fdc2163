"""Render print HTML to PDF with WeasyPrint, in the shared process pool (curriculum/outputs/pool.py).

- Tagged PDF/UA-1: a structure tree, /MarkInfo, the document title shown, /Lang from <html lang>,
  image alt text; fonts are always embedded (subsetted).
- Each worker parses print.css and loads its fonts once, then reuses them for every document: the
  per-document font set-up is most of the cost of a small handout.
- Nothing is fetched from the network: only file: URLs inside the site and the print template
  folder, and data: URLs (the QR codes), are allowed.

WeasyPrint is imported only when something has to be rendered (the import alone takes ~0.3 s).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..pool import run_all

PDF_VARIANT = "pdf/ua-1"      # WeasyPrint 70 also has pdf/ua-2 (PDF 2.0); UA-1 is what readers support best


@dataclass(frozen=True)
class Task:
    name: str
    html: str
    key: str
    weight: int = 0


@dataclass
class Result:
    name: str
    key: str
    pdf: bytes = b""
    pages: int = 0
    seconds: float = 0.0
    error: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RenderSetup:
    css_path: str
    base_url: str                 # the site folder, as a file URL ending in "/"
    allowed_roots: tuple[str, ...]


_STATE: dict = {}


def _fetcher(allowed_roots: tuple[str, ...]):
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        """file: URLs inside the site or the template folder, and data: URLs. Never the network."""

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                path = os.path.realpath(unquote(urlsplit(url).path))
                if not any(path == root or path.startswith(root + os.sep) for root in allowed_roots):
                    raise ValueError(f"not a file of the site or the print template: {url}")
            elif scheme != "data":
                raise ValueError(f"PDFs never load anything from the network: {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"), fail_on_errors=False)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def init_worker(setup: RenderSetup) -> None:
    """Load WeasyPrint, print.css and the fonts once per process (a process that renders a second
    batch with the same set-up, e.g. the packet covers after a small rebuild, keeps them)."""
    if _STATE.get("setup") == setup and _STATE.get("pid") == os.getpid():
        return
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _fetcher(setup.allowed_roots)
    fonts = FontConfiguration()
    css = weasyprint.CSS(filename=setup.css_path, font_config=fonts, url_fetcher=fetcher)
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    for handler in [h for h in logger.handlers if isinstance(h, _Collect)]:
        logger.removeHandler(handler)
    logger.addHandler(collect)
    logger.propagate = False        # collected here and reported with the document's source file
    _STATE.update(setup=setup, pid=os.getpid(), fonts=fonts, css=css, fetcher=fetcher, collect=collect,
                  weasyprint=weasyprint)


def render_task(task: Task) -> Result:
    """One PDF: returns its bytes and page count, or the error (never raises)."""
    started = time.perf_counter()
    weasyprint = _STATE["weasyprint"]
    collect: _Collect = _STATE["collect"]
    collect.messages = []
    try:
        html = weasyprint.HTML(string=task.html, base_url=_STATE["setup"].base_url, url_fetcher=_STATE["fetcher"])
        document = html.render(font_config=_STATE["fonts"], stylesheets=[_STATE["css"]],
                               pdf_variant=PDF_VARIANT, pdf_tags=True)
        data = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
        return Result(task.name, task.key, data, len(document.pages), time.perf_counter() - started,
                      warnings=list(collect.messages))
    except Exception as error:                               # reported with the document's name
        return Result(task.name, task.key, seconds=time.perf_counter() - started,
                      error=f"{type(error).__name__}: {error}", warnings=list(collect.messages))


def _failed(task: Task, message: str) -> Result:
    return Result(task.name, task.key, error=f"the PDF {message}")


def render_all(tasks: Iterable[Task], setup: RenderSetup, workers: int = 0,
               in_process_below: int = 2) -> Iterator[Result]:
    """Render every task; yields results as they finish. ``workers`` 0 means one per core."""
    tasks = list(tasks)
    if len(tasks) >= max(in_process_below, 2) and workers != 1:
        import weasyprint  # noqa: F401  (imported once here; forked workers share it)
    yield from run_all(tasks, init_worker, (setup,), render_task, _failed, workers, in_process_below)


def setup_for(css_path: Path, site_dir: Path, template_dir: Path, font_files: Iterable[Path]) -> RenderSetup:
    roots = {os.path.realpath(site_dir), os.path.realpath(template_dir),
             *(os.path.realpath(p.parent) for p in font_files)}
    return RenderSetup(css_path=str(css_path), base_url=Path(site_dir).resolve().as_uri() + "/",
                       allowed_roots=tuple(sorted(roots)))
