"""Printable PDFs: one per handout and lesson, a packet per grade band, and a staff packet.

Plain Python over the content HTML MkDocs has already rendered; it never imports mkdocs (the plugin
in curriculum/mkdocs_plugin.py hands it the pages). The steps, one module each:

- ``model``:    what goes in (``PageInput``, ``Settings``) and what comes out (``Report``).
- ``repair``:   make web HTML work on paper: open <details>, lay tabs out in sequence, print link
                targets, add QR codes, rewrite internal links (WeasyPrint runs no JavaScript).
- ``qr``:       the QR codes (segno, SVG).
- ``template``: our own print template and print.css (overrides/print/), never the Material page.
- ``packets``:  which documents go into which PDF: single handouts and lessons, band and staff packets.
- ``cache``:    a content-hash cache in .cache/pdf/: an unchanged PDF is never rendered twice.
- ``render``:   WeasyPrint in a fork-based process pool, tagged (PDF/UA-1) with embedded fonts.
- ``stage``:    runs the steps in order, checks page budgets, writes site/pdf/, reports.
"""

from __future__ import annotations

from . import packets
from .model import PageInput, Report, Settings, pdf_enabled
from .stage import plan, run

__all__ = ["packets", "PageInput", "Report", "Settings", "pdf_enabled", "plan", "run"]
