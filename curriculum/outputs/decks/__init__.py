"""Slide decks: one per lesson (and the staff training and family night sessions), from one slide
model (``model``) with two outputs: an editable .pptx (``powerpoint``) and a present view in the site
(``present``). Plain Python over the pages MkDocs rendered; it never imports mkdocs.

- ``lesson``:     a lesson page (rendered) -> a Deck: what goes on a slide, what goes in the notes.
- ``fit``:        text measured with the fonts' metrics; a slide too long for one is split in parts.
- ``powerpoint``: a Deck -> .pptx bytes (python-pptx).
- ``stage``:      plan the files, key them (outputs/cache.py), render what changed in the pool, write
                  site/decks/.
"""

from __future__ import annotations

from .model import Deck, Slide
from .stage import DeckJob, Report, Settings, lesson_jobs, plan, run

__all__ = ["Deck", "DeckJob", "Report", "Settings", "Slide", "lesson_jobs", "plan", "run"]
