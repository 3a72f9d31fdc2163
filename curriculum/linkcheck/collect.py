"""Gather every external URL, with where it is used and the tier of its registry entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from ..htmlcheck import external_links, normalize
from ..registry import Registry


@dataclass
class Target:
    url: str
    tier: str = "reference"          # critical | reference (from the registry)
    key: str | None = None           # registry key, when the URL is in the registry
    used_in: list[str] = field(default_factory=list)


def pdf_links(pdf_dir: Path) -> dict[str, list[str]]:
    """External URI link annotations in every PDF -> the PDFs that hold them."""
    used: dict[str, list[str]] = {}
    for pdf in sorted(pdf_dir.rglob("*.pdf")) if pdf_dir.is_dir() else []:
        for page in PdfReader(pdf).pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                uri = action.get_object().get("/URI") if action else None
                if uri and str(uri).startswith(("http://", "https://")):
                    used.setdefault(str(uri), []).append(f"pdf/{pdf.name}")
    return used


def collect(registry: Registry, site: Path | None) -> list[Target]:
    by_url: dict[str, Target] = {}
    by_norm = {normalize(r.web): r for r in registry.resources.values() if r.web}

    def add(url: str, where: str) -> None:
        target = by_url.get(url)
        if target is None:
            r = by_norm.get(normalize(url))
            target = by_url[url] = Target(url, r.tier if r else "reference", r.key if r else None)
        if where not in target.used_in:
            target.used_in.append(where)

    for r in registry.resources.values():
        if r.web:
            add(r.web, f"registry:{r.key}")
    if site is not None and site.is_dir():
        for url, pages in external_links(site).items():
            for page in pages:
                add(url, page)
        for url, pdfs in pdf_links(site / "pdf").items():
            for pdf in pdfs:
                add(url, pdf)
    return sorted(by_url.values(), key=lambda t: (t.tier != "critical", t.url))
