"""The site's navigation: mkdocs.yml's nav with its placeholders expanded from the content.

- ``"@lessons"``: the scope and sequence, then per band its catalog, its lessons and its glossary;
- ``"@handouts"``: the handouts, grouped by audience;
- ``"@folder:<name>"``: the pages of docs/<name>/: index.md first, then by front-matter ``order``;
- ``"@spanish"``: the Spanish pages (translations and fallbacks, curriculum/i18n.py), in the order of
  their English pages. Translations (page.es.md) never appear in the English menus.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import catalog, escape, i18n
from .content import Content
from .errors import ContentError, Problem
from .frontmatter import read_source
from .schemas import BANDS
from .words import AUDIENCES, audience_title

GENERATED_ORDER = {catalog.FAMILY_PAGE: 50}     # generated pages placed in a folder's menu
FOLDER = "@folder:"


def page_order(path: Path, display: str) -> tuple[int, str]:
    """(order, title) from a page's front matter: order 99 and the file name when it has none."""
    meta = read_source(path, display, required=False).meta
    order = meta.get("order", 99)
    if not isinstance(order, int):
        raise ContentError([Problem(display, f"front-matter field 'order': {order!r} is not a whole number", 1)])
    return order, str(meta.get("title") or path.stem)


def folder_pages(docs_dir: Path, folder: str) -> list[tuple[str, str]]:
    """(src_uri, title) of a docs/ folder's pages: index.md first, then by 'order', then file name."""
    pages: dict[str, tuple[int, str]] = {}
    for path in sorted((docs_dir / folder).glob("*.md")):
        uri = path.relative_to(docs_dir).as_posix()
        if i18n.split(uri)[1] != i18n.DEFAULT:
            continue
        pages[uri] = page_order(path, f"{docs_dir.name}/{uri}")
    pages.update({uri: (order, uri) for uri, order in GENERATED_ORDER.items() if uri.startswith(folder + "/")})
    ordered = sorted(pages, key=lambda uri: (not uri.endswith("/index.md"), pages[uri][0], uri))
    return [(uri, pages[uri][1]) for uri in ordered]


def lesson_nav(content: Content) -> list:
    nav: list = [{"K-12 scope and sequence": catalog.SCOPE_PAGE}]
    for band, title in BANDS.items():
        lessons = content.band(band)
        if lessons:
            nav.append({title: [catalog.catalog_page(band),
                                *[{escape.html(lesson.meta.title): lesson.path.as_posix()} for lesson in lessons],
                                {"Vocabulary": catalog.glossary_page(band)}]})
    return nav


def handout_nav(content: Content) -> list:
    nav: list = []
    for audience in AUDIENCES:
        items = [{escape.html(h.meta.title): h.path.as_posix()} for h in content.handouts.values()
                 if h.meta.audience == audience and i18n.split(h.path.as_posix())[1] == i18n.DEFAULT]
        if items:
            nav.append({audience_title(audience): items})
    return nav


SPANISH_SECTIONS = {"families/": "Familias", "handouts/": "Materiales"}
SPANISH_HOME, SPANISH_HELP = "Inicio", "Ayuda"


def spanish_nav(translations: i18n.Plan, content: Content, docs_dir: Path,
                titles: Callable[[str], str]) -> list:
    """The Spanish menu: home, the family pages, the family and student sheets, the help page."""
    pages = translations.in_lang("es")
    by_base = {p.base: p for p in pages}
    out: list = []
    if "index.md" in by_base:
        out.append({SPANISH_HOME: by_base["index.md"].src_uri})
    families = [uri for uri, _ in folder_pages(docs_dir, "families")] if (docs_dir / "families").is_dir() else []
    order = {uri: n for n, uri in enumerate(families)}
    family = sorted((p for p in pages if p.base.startswith("families/")), key=lambda p: order.get(p.base, 99))
    if family:
        out.append({SPANISH_SECTIONS["families/"]: [p.src_uri for p in family]})
    handouts = [p for p in pages if p.base.startswith("handouts/")]

    def handout_key(p: i18n.PlannedPage) -> tuple:
        h = content.handout_at(p.src_uri) or content.handout_at(p.base)
        audience = h.meta.audience if h else ""
        return (p.fallback, audience != "families", p.base)

    if handouts:
        out.append({SPANISH_SECTIONS["handouts/"]: [{titles(p.src_uri) or titles(p.base): p.src_uri}
                                                     if titles(p.src_uri) or titles(p.base) else p.src_uri
                                                     for p in sorted(handouts, key=handout_key)]})
    if "resources.md" in by_base:
        out.append({SPANISH_HELP: by_base["resources.md"].src_uri})
    return out


def expand(nav: Any, content: Content, docs_dir: Path, where: str = "mkdocs.yml",
           translations: i18n.Plan | None = None, titles: Callable[[str], str] = lambda uri: "") -> Any:
    """``nav`` with every placeholder replaced. Raises ContentError naming a placeholder whose folder
    does not exist."""
    if isinstance(nav, list):
        out: list = []
        for item in nav:
            if item == "@spanish":
                out.extend(spanish_nav(translations or i18n.Plan(), content, docs_dir, titles))
            elif item == "@lessons":
                out.extend(lesson_nav(content))
            elif item == "@handouts":
                out.extend(handout_nav(content))
            elif isinstance(item, str) and item.startswith(FOLDER):
                folder = item.removeprefix(FOLDER)
                if not (docs_dir / folder).is_dir():
                    raise ContentError([Problem(where, f"the nav entry '{item}' names the folder "
                                                f"{docs_dir.name}/{folder}/, which does not exist",
                                                hint="Fix the folder name in the nav, or create the folder.")])
                out.extend(uri for uri, _ in folder_pages(docs_dir, folder))
            elif isinstance(item, str) and item.startswith("@"):
                raise ContentError([Problem(where, f"unknown nav placeholder '{item}'",
                                            hint="Use '@lessons', '@handouts' or '@folder:<name>' "
                                                 "(a folder of docs/).")])
            else:
                out.append(expand(item, content, docs_dir, where, translations, titles))
        return out
    if isinstance(nav, dict):
        return {key: expand(value, content, docs_dir, where, translations, titles) for key, value in nav.items()}
    return nav
