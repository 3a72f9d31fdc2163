"""Our own print template (overrides/print/page.html + print.css), filled in for one PDF.

Never the Material page: WeasyPrint truncates it (flex layout, height: 100%).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote

import jinja2
from markupsafe import Markup

from ...links import CSS_URL
from ...words import words
from .impose import page_size
from .model import PACKET_LINK, Cover, Doc

TEMPLATE = "page.html"
STYLESHEET = "print.css"


def css_string(text: str) -> Markup:
    """A CSS string literal for 'content:' inside <style> (where HTML escaping does not apply)."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
               .replace("<", "\\3c ").replace(">", "\\3e "))
    return Markup(f'"{escaped}"')


@dataclass
class PlacedDoc:
    """A document ready for the template: its repaired body HTML and what the template shows."""

    doc: Doc
    body: str
    has_h1: bool

    def __getattr__(self, name):      # the template reads doc.slug, doc.label, ... directly
        return getattr(self.doc, name)

    @property
    def title(self) -> str:
        return self.doc.rendered.title


class PrintTemplate:
    """page.html and print.css from one folder, and a fingerprint of everything they use."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.css_path = self.directory / STYLESHEET
        missing = [p for p in (self.directory / TEMPLATE, self.css_path) if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"the print template is missing {', '.join(str(p) for p in missing)}")
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(self.directory)), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        env.filters["css_string"] = css_string
        self._template = env.get_template(TEMPLATE)
        self.template_text = (self.directory / TEMPLATE).read_text(encoding="utf-8")
        self.css_text = self.css_path.read_text(encoding="utf-8")

    @cached_property
    def font_files(self) -> list[Path]:
        """The local files print.css loads (the fonts), in order."""
        files = []
        for match in CSS_URL.finditer(self.css_text):
            url = match["url"] or match["imp"]
            if re.match(r"^[a-z][a-z0-9+.-]*:", url, flags=re.I):
                continue
            path = (self.directory / unquote(url)).resolve()
            if not path.is_file():
                raise FileNotFoundError(f"{self.css_path}: url({url}) does not exist ({path})")
            files.append(path)
        return files

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the template, the stylesheet and the font files it loads."""
        digest = hashlib.sha256()
        for part in (self.template_text.encode(), self.css_text.encode()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        for path in self.font_files:
            data = path.read_bytes()
            digest.update(path.name.encode() + len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    def render(self, *, title: str, lang: str, kind: str, paper: str, docs: list[PlacedDoc],
               cover: Cover | None = None, site_name: str = "", district: str = "",
               dates: Sequence[str] = (), description: str = "",
               starts: Mapping[str, int] | None = None) -> str:
        """The print HTML. A packet's cover is rendered on its own, with ``starts`` (slug -> the page
        each document starts on) for its contents, and ``dates`` (how current its help lines and
        links are). No date is printed in a footer: a registry date changes only what shows it."""
        labels = words(lang)
        single = docs[0].doc if len(docs) == 1 else None
        body_classes = " ".join(single.classes) if single is not None else f"print-{kind}"
        card = single.card if single is not None else None
        notice = single.notice if single is not None else ""
        footer = " · ".join(part for part in (district, notice) if part)
        size = page_size(card, paper) if card else paper
        return self._template.render(
            title=title, lang=lang, kind=kind, paper=paper, docs=docs, cover=cover, labels=labels,
            site_name=site_name, district=district, dates=list(dates), footer=footer, card=card,
            notice=notice,
            page_size=size, body_classes=body_classes,
            page_counter=Markup(labels["page_counter"]), author=district or site_name, description=description,
            starts=starts or {}, packet_link=PACKET_LINK)
