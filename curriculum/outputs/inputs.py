"""What every output family is made from: the pages as MkDocs rendered them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInput:
    """One page as MkDocs rendered it: the content HTML only (never the Material page around it)."""

    src_uri: str          # e.g. handouts/k-2-ask-first.md, staff/index.md
    url: str              # the page's site URL, e.g. handouts/k-2-ask-first/
    title: str
    html: str
