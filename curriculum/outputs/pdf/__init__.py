"""Printable PDFs: one per handout and lesson, a packet per grade band, and a staff packet.

Plain Python over the content HTML MkDocs has already rendered; it never imports mkdocs. The steps,
one module each:

- ``model``:    what goes in (``Settings``, ``Doc``, ``Job``) and what comes out (``Report``).
- ``packets``:  the plan: which documents go into which PDF, and which page offers each PDF.
- ``repair``:   make web HTML work on paper: open <details>, lay tabs out in sequence, print link
                targets, add QR codes, rewrite internal links (WeasyPrint runs no JavaScript).
- ``qr``:       the QR codes (segno, SVG).
- ``template``: our own print template and print.css (overrides/print/), never the Material page.
- ``cache``:    the cache keys (the content-hash cache is shared by every output family).
- ``render``:   WeasyPrint in the shared process pool, tagged (PDF/UA-1) with embedded fonts.
- ``join``:     packets: a rendered cover and contents, then the documents' own PDFs (pikepdf).
- ``stage``:    composes each document's print HTML, renders what changed, joins packets, checks
                page budgets, writes site/pdf/, reports.
"""

from __future__ import annotations

from . import packets
from .model import Report, Settings, SitePage
from .packets import plan_jobs
from .stage import compose, run

__all__ = ["packets", "Report", "Settings", "SitePage", "compose", "plan_jobs", "run"]
