"""Which files the output families write, and which page offers each one (its download buttons).

Made before the pages are built, from the content alone, so the buttons, the link check of the
built site and the renderers all follow the same plan: a button can never point at a file that is
not made, and nothing is reconciled afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Download:
    file: str           # site path, e.g. "pdf/k-2-ask-first.pdf"
    label: str          # the button's text, e.g. "Download PDF"
    kind: str           # "pdf", and later "pptx", "docx"
    lang: str = "en"    # the language of the label


@dataclass
class OutputPlan:
    by_page: dict[str, list[Download]] = field(default_factory=dict)    # page src_uri -> its downloads

    def add(self, src_uri: str, download: Download) -> None:
        self.by_page.setdefault(src_uri, []).append(download)

    def for_page(self, src_uri: str) -> list[Download]:
        return self.by_page.get(src_uri, [])

    @property
    def files(self) -> set[str]:
        """Every file a page links to, as a site path (the outputs are written after the link check)."""
        return {d.file for downloads in self.by_page.values() for d in downloads}
