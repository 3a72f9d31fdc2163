"""Cache keys of the PDF family (the cache itself is shared: curriculum/outputs/cache.py).

A PDF's key covers its complete print HTML (content, repairs and the filled-in template), the print
template, print.css and the fonts (the template fingerprint), the paper size, the WeasyPrint version
and the render code, and the local images it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

from ..cache import ContentCache, content_key

RENDER_CODE = Path(__file__).with_name("render.py")


def weasyprint_version() -> str:
    """The installed WeasyPrint version, without importing it (importing takes a third of a second)."""
    return version("weasyprint")


def environment_key(template_fingerprint: str, paper: str) -> str:
    """The part of every key that does not depend on the page: template, CSS, fonts, versions."""
    return content_key(template_fingerprint, paper, weasyprint_version(), RENDER_CODE.read_bytes())


def job_key(environment: str, html: str, assets: Iterable[Path] = ()) -> str:
    """The cache key of one PDF: its print HTML, the environment key and any local images it shows."""
    return content_key(environment, html, files=assets)


def pdf_cache(folder: Path) -> ContentCache:
    return ContentCache(folder, ".pdf")
