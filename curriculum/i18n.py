"""Translations in the suffix layout: ``page.md`` is English (the source), ``page.es.md`` its Spanish
translation, published under ``es/`` (``families/index.es.md`` -> ``es/families/index.html``).

Why not mkdocs-static-i18n (1.3.1): measured on this site, it crashes on the pages our plugin generates
(``TypeError`` on a File whose ``abs_src_path`` is None), only localizes files inside docs_dir (our
lessons/ and handouts/ live outside it) and rebuilds the whole site once per language. Here one build
makes both languages.

Each translation records in its front matter how it was made and what it was made from:

    source_hash: "3f2a..."   # the English source's content hash when it was translated (or re-confirmed)
    translated_by: "..."     # who or what made it
    reviewed_by: ""          # empty until a fluent reviewer has checked it: never claim a review

A translation whose ``source_hash`` no longer matches its English source is stale
(``python -m curriculum translations``). A page of the Spanish scope without a translation falls back
to the English page, under ``es/``, with a notice in Spanish. No mkdocs import here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .frontmatter import read_source

DEFAULT = "en"
LANGS = {"en": "English", "es": "Español"}
TRANSLATED = tuple(lang for lang in LANGS if lang != DEFAULT)
SUFFIX = re.compile(r"^(?P<base>.+)\.(?P<lang>[a-z]{2})\.md$")
FIELDS = ("source_hash", "translated_by", "reviewed_by")


def split(src_uri: str) -> tuple[str, str]:
    """("families/index.es.md") -> ("families/index.md", "es"); an English path is its own base."""
    match = SUFFIX.match(src_uri)
    if match and match["lang"] in TRANSLATED:
        return match["base"] + ".md", match["lang"]
    return src_uri, DEFAULT


def translated(base_uri: str, lang: str) -> str:
    """("families/index.md", "es") -> "families/index.es.md"."""
    return base_uri if lang == DEFAULT else base_uri.removesuffix(".md") + f".{lang}.md"


def dest_uri(src_uri: str, use_directory_urls: bool = True) -> str:
    """Where a page is written: English as MkDocs does it, a translation under its language's folder."""
    base, lang = split(src_uri)
    stem = base.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        dest = stem.removesuffix("index") + "index.html"
    elif stem == "README" or stem.endswith("/README"):
        dest = stem.removesuffix("README") + "index.html"
    else:
        dest = stem + ("/index.html" if use_directory_urls else ".html")
    return dest if lang == DEFAULT else f"{lang}/{dest}"


def url_of(dest: str) -> str:
    """A destination file's URL, as MkDocs makes it with use_directory_urls ("es/families/")."""
    return dest.removesuffix("index.html")


def content_hash(text: str) -> str:
    """The content hash recorded in a translation's ``source_hash`` (line endings do not count)."""
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


# -- translation status --------------------------------------------------------------------------
@dataclass(frozen=True)
class Status:
    path: str             # the translation, relative to the project: docs/families/index.es.md
    source: str           # its English source: docs/families/index.md
    lang: str
    recorded: str         # the source hash the translation says it was made from
    current: str          # the English source's hash today
    translated_by: str
    reviewed_by: str
    line: int = 1         # the line of source_hash, for messages

    @property
    def stale(self) -> bool:
        return self.recorded != self.current

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by.strip())


def status_of(path: Path, root: Path) -> tuple[Status | None, list[Problem]]:
    """The status of one translation file; problems when its front matter or its source is missing."""
    display = path.relative_to(root).as_posix()
    base, lang = split(display)
    source = root / base
    meta = read_source(path, display, required=False)
    problems = []
    if not source.is_file():
        return None, [Problem(display, f"a translation of {base}, which does not exist", 1,
                              "Name a translation after its English page: page.md -> page.es.md.")]
    missing = [name for name in FIELDS if name not in meta.meta]
    if missing:
        problems.append(Problem(display, f"a translation's front matter needs {', '.join(missing)}", 1,
                                "source_hash: the English page's hash (python -m curriculum translations "
                                "--confirm FILE writes it); translated_by: who or what made it; reviewed_by: "
                                '"" until a fluent reviewer has checked it.'))
        return None, problems
    values = {name: meta.meta[name] for name in FIELDS}
    for name, value in values.items():
        if not isinstance(value, str):
            problems.append(Problem(display, f"front-matter field '{name}' must be text (in quotes)",
                                    meta.line_of(name)))
    if problems:
        return None, problems
    if not str(values["translated_by"]).strip():
        problems.append(Problem(display, "front-matter field 'translated_by' is empty: say how the translation "
                                "was made", meta.line_of("translated_by")))
    current = content_hash(source.read_text(encoding="utf-8"))
    return Status(display, base, lang, str(values["source_hash"]), current, str(values["translated_by"]),
                  str(values["reviewed_by"]), meta.line_of("source_hash") or 1), problems


def translation_files(root: Path, folders: Iterable[str]) -> list[Path]:
    found = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.md")):
            if split(path.name)[1] != DEFAULT:
                found.append(path)
    return found


def statuses(root: Path, folders: Iterable[str]) -> tuple[list[Status], list[Problem]]:
    out, problems = [], []
    for path in translation_files(root, folders):
        status, found = status_of(path, root)
        problems += found
        if status is not None:
            out.append(status)
    return out, problems


def stale_problem(status: Status) -> Problem:
    return Problem(status.path, f"stale translation: {status.source} changed since it was translated "
                   f"(recorded {status.recorded}, now {status.current})", status.line,
                   f"Update the translation, then run: python -m curriculum translations --confirm {status.path}")


# -- the per-language plan -----------------------------------------------------------------------
@dataclass(frozen=True)
class PlannedPage:
    lang: str
    base: str          # the English page's src_uri
    src_uri: str       # the translation's src_uri (a fallback's is generated: same name)
    fallback: bool     # True: no translation yet, the English page is shown with a notice


@dataclass
class Plan:
    pages: dict[str, PlannedPage] = field(default_factory=dict)     # src_uri -> page (translated languages)

    def counterpart(self, src_uri: str, lang: str) -> str | None:
        """The src_uri of the page in ``lang`` that ``src_uri`` is a version of, if there is one."""
        base, own = split(src_uri)
        if lang == own:
            return src_uri
        if lang == DEFAULT:
            return base if own in TRANSLATED else None
        other = translated(base, lang)
        return other if other in self.pages else None

    def alternates(self, src_uri: str) -> dict[str, str]:
        """lang -> src_uri of each version of the page, the page itself included."""
        found = {}
        for lang in LANGS:
            other = self.counterpart(src_uri, lang)
            if other is not None:
                found[lang] = other
        return found if len(found) > 1 else {}

    def fallbacks(self) -> list[PlannedPage]:
        return [p for p in self.pages.values() if p.fallback]

    def in_lang(self, lang: str) -> list[PlannedPage]:
        return [p for p in self.pages.values() if p.lang == lang]


def plan(english: Iterable[str], translations: Iterable[str], in_scope: Callable[[str], bool],
         lang: str = "es") -> Plan:
    """Every page of ``lang``: each translation, and each English page of the scope that has none (a
    fallback). ``english``/``translations``: src_uris as MkDocs names them."""
    done = {split(uri)[0] for uri in translations if split(uri)[1] == lang}
    out = Plan()
    for base in sorted(done):
        out.pages[translated(base, lang)] = PlannedPage(lang, base, translated(base, lang), False)
    for base in english:
        if split(base)[1] == DEFAULT and base not in done and in_scope(base):
            out.pages[translated(base, lang)] = PlannedPage(lang, base, translated(base, lang), True)
    return out


LINK = re.compile(r"(?P<open>\]\()(?P<target>[^)\s#]+\.md)(?P<rest>[#)\s])")


def localize_links(markdown: str, page_uri: str, lang: str, exists: Callable[[str], bool]) -> str:
    """Links of a fallback page to English pages that have a ``lang`` version go to that version."""
    folder = Path(page_uri).parent

    def fix(match: re.Match) -> str:
        target = match["target"]
        if "://" in target or split(target)[1] != DEFAULT:
            return match.group(0)
        resolved = (folder / target).as_posix()
        parts: list[str] = []
        for part in resolved.split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        if exists(translated("/".join(parts), lang)):
            return match["open"] + translated(target, lang) + match["rest"]
        return match.group(0)

    return LINK.sub(fix, markdown)


# Pages that moved into the suffix layout: their old addresses still lead to them (printed links, bookmarks).
MOVED = {"handouts/es-if-your-child-was-targeted.md": "handouts/if-your-child-is-targeted.es.md",
         "handouts/es-resource-card.md": "handouts/resource-card.es.md"}


def redirect_html(href: str, text: str, lang: str) -> str:
    """A small page that sends the reader on to ``href`` (no script: a meta refresh and a link)."""
    from html import escape

    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(text)}</title>\n"
            f'<meta http-equiv="refresh" content="0; url={escape(href)}">\n'
            f'<link rel="canonical" href="{escape(href)}">\n'
            f'</head>\n<body>\n<main>\n<p><a href="{escape(href)}">{escape(text)}</a></p>\n</main>\n</body>\n</html>\n')
