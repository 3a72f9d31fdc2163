"""The data the PDF step works on: pages in, settings, documents and jobs, and the report out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from ..inputs import PageInput

Paper = Literal["letter", "a4"]
# How a document links to another document of its packet, as rendered: PACKET_LINK + slug [+ "#" +
# anchor]. ".invalid" is never a real host (RFC 2606); joining the packet replaces every such link.
PACKET_LINK = "https://packet.invalid/"


@dataclass(frozen=True)
class Settings:
    root: Path                          # the project root (where mkdocs.yml is)
    site_dir: Path
    template_dir: Path                  # overrides/print: page.html and print.css
    cache_dir: Path                     # .cache/pdf
    paper: Paper = "letter"
    workers: int = 0                    # 0: one per CPU core
    site_name: str = ""
    site_url: str = ""
    district_name: str = ""             # empty when no district is configured
    reviewed: dt.date | None = None     # the oldest 'verified' date of the registry (reviewed against sources)
    reached: Mapping[str, dt.date] = field(default_factory=dict)   # URL -> when the link checker reached it

    @property
    def pdf_dir(self) -> Path:
        return self.site_dir / "pdf"


class SitePage(NamedTuple):
    """A page of the web site, as a printed page names it: its title and the sections above it."""

    title: str
    sections: tuple[str, ...] = ()


@dataclass
class Doc:
    """One page placed in a PDF: a handout, a lesson plan, or a staff guide page."""

    slug: str             # unique in the site; the anchor of the document inside a packet
    src_uri: str          # the page it is printed from, e.g. handouts/k-2-ask-first.md
    title: str            # from the front matter (the printed title comes from the rendered page)
    source: str           # the file a teacher edits, named in messages, e.g. handouts/x.md
    kind: Literal["handout", "lesson", "page"]
    label: str            # the running header next to the title, e.g. "Grades K-2 · For students"
    lang: str = "en"
    audience: str | None = None
    budget: int | None = None           # most pages allowed (handouts' 'pages')
    form: str = ""                      # a handout's 'kind' (worksheet, card, letter, ...)
    bands: tuple[str, ...] = ()         # a handout's 'bands', a lesson's band
    card: str | None = None             # a card's size ('half', 'wallet'): printed n-up on a sheet
    notice: str = ""                    # a translation no fluent reader has checked says so in its footer
    page: PageInput | None = None       # the rendered page, attached when the pages are built

    @property
    def classes(self) -> list[str]:
        """The print template's body classes: print.css styles a document by what it is and who holds it."""
        out = [f"print-{self.kind}"]
        out += [f"print-for-{self.audience}"] if self.audience else []
        out += [f"print-form-{self.form}"] if self.form else []
        out += [f"print-card-{self.card}"] if self.card else []
        if self.audience == "students" and self.bands == ("k-2",):
            out.append("print-k-2")                       # five- to eight-year-olds: big type, space
        return out

    @property
    def rendered(self) -> PageInput:
        if self.page is None:
            raise RuntimeError(f"{self.source}: its page has not been rendered yet")
        return self.page


@dataclass
class Cover:
    title: str
    subtitle: str
    sections: list[tuple[str, list[Doc]]]   # contents: (heading, documents)


@dataclass
class Part:
    """One document of a packet: the very PDF published for it (its document is laid out once)."""

    doc: Doc
    section: str          # the contents heading it is listed under
    html: str = ""        # filled in by the stage
    key: str = ""
    path: str = ""        # its page on the site (links to it become links inside the packet)


@dataclass
class Job:
    """One PDF file to produce: one document, or a packet (a cover, then its parts joined)."""

    name: str             # file name under site/pdf/, e.g. k-2-ask-first.pdf
    title: str
    source: str           # named in messages
    docs: list[Doc]
    lang: str = "en"
    budget: int | None = None
    cover: Cover | None = None
    html: str = ""        # the complete print HTML (filled in by the stage); a packet's is its cover's
    key: str = ""         # content hash (filled in by the stage)
    parts: list[Part] = field(default_factory=list)     # a packet's documents, in order
    shown_on: list[str] = field(default_factory=list)   # the pages whose download button is this PDF
    button: str = ""                                     # that button's text
    dates: list[str] = field(default_factory=list)       # a packet cover: how current its resources are

    @property
    def packet(self) -> bool:
        return self.cover is not None

    @property
    def weight(self) -> int:
        """A cost estimate for scheduling: the biggest documents start first."""
        return len(self.html)


@dataclass
class Report:
    pages: dict[str, int] = field(default_factory=dict)     # file name -> page count
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    seconds: float = 0.0
    render_seconds: float = 0.0
    job_seconds: dict[str, float] = field(default_factory=dict)   # file name -> render time
    workers: int = 1

    def summary(self) -> str:
        head = f"{len(self.pages)} PDFs, {sum(self.pages.values())} pages"
        if not self.rendered:
            return f"{head}: all {len(self.cached)} from the cache ({self.seconds:.2f} s)"
        return (f"{head}: {len(self.rendered)} rendered, {len(self.cached)} from the cache "
                f"({self.seconds:.1f} s, {self.workers} worker{'s' if self.workers != 1 else ''})")
