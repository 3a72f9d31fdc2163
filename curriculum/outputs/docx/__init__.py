"""Editable Word copies (.docx) of the pages marked ``word: true``: the model policy, family letters and
tip sheets, staff cards and checklists, surveys. A district edits them, adds its letterhead, signs them.

The same shape as the PDF family, sharing its code (curriculum/outputs/): a plan made before the
pages are built (which page offers which file), a content-hash cache, the shared process pool.
Plain Python over the rendered pages (macros rendered, district values filled in); never imports mkdocs.

- ``plan``:      which pages get a Word copy, its file name and language (``DocxJob``).
- ``prepare``:   web HTML made ready for Word: blanks become fill-in fields, survey questions numbered
                 lists with their choices as lists, link addresses printed, tabs and boxes laid out.
- ``reference``: the reference document pandoc takes its styles from, made from pandoc's own.
- ``convert``:   pandoc (pypandoc-binary) to .docx, then python-docx: title and language, counsel's
                 bracketed notes highlighted, blanks as content controls, paper size.
- ``check``:     the single-source rule on the Word text: every number and address from the registry.
- ``stage``:     compose, convert what the cache does not hold, check, write ``site/docx/``.
"""

from __future__ import annotations

from .plan import DocxJob, page_lang, plan_jobs
from .stage import Report, Settings, compose, run

__all__ = ["DocxJob", "Report", "Settings", "compose", "page_lang", "plan_jobs", "run"]
