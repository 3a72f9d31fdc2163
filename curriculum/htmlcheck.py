"""Checks on the built site (site/**/*.html). No MkDocs import: works on any folder of HTML.

- every internal link and #anchor resolves, including links written as raw HTML;
- no link or source is a javascript:, data: or vbscript: URL; every <img> exists and has alt text;
- no page loads an asset (script, stylesheet, font, image, iframe) from another host;
- every external link is in the registry;
- no template syntax or macro error text is left in a page;
- no inline style attribute, on...="" handler or javascript: link, which the Content-Security-Policy
  in deploy/nginx.conf blocks (the page would look or work differently on a district's server).

It scales with the site: pages are parsed one at a time (never all held in memory), all_problems
parses each page once, and links are resolved against one listing of the site's files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

from lxml import html as lxml_html

from .errors import Problem
from .links import CSS_URL, UNSAFE_SCHEME, is_external

ASSET_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
               "audio": "src", "embed": "src", "object": "data", "link": "href"}
LEFTOVERS = ("{{", "{%", "Macro Rendering Error", "Macro Syntax Error", "jinja2.exceptions")
SKIP_SCHEMES = ("mailto:", "tel:", "sms:", "javascript:", "data:", "blob:")
# Attributes that take a URL a click or a load follows: a javascript:, data: or vbscript: value runs code.
URL_ATTRS = ("href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href")
# The theme's own search "share" button is a javascript:void(0) link (overrides/partials/search.html).
THEME_JS_LINK = "search-share"


@dataclass
class Page:
    path: Path            # relative to the site root
    tree: Any                 # an lxml HTML element


def _pages(site: Path) -> Iterator[Page]:
    """Each page, parsed, one at a time: only one page's tree is in memory at once (a big site's
    trees together would take gigabytes)."""
    for path in sorted(site.rglob("*.html")):
        text = path.read_bytes()
        if not text.strip():
            continue
        yield Page(path.relative_to(site), lxml_html.fromstring(text))


def _ids_of(tree) -> frozenset[str]:
    return frozenset(tree.xpath("//@id") + tree.xpath("//a/@name"))


@cache
def _ids(file: Path) -> frozenset[str]:
    return _ids_of(lxml_html.fromstring(file.read_bytes()))


def normalize(url: str) -> str:
    return urldefrag(url)[0].rstrip("/")


class _Files:
    """Every file and folder of the site, listed once, so that checking ~100 links on each of
    hundreds of pages costs string operations, not file-system calls."""

    def __init__(self, root: Path, planned: Iterable[str] = ()):
        self.root = str(root)
        self.files: set[str] = set()
        self.dirs: set[str] = {self.root}
        for folder, dirs, files in os.walk(self.root):
            self.dirs.update(os.path.join(folder, d) for d in dirs)
            self.files.update(os.path.join(folder, f) for f in files)
        for path in planned:             # written after the checks (PDFs): they count as there
            self.files.add(os.path.normpath(os.path.join(self.root, path)))
            self.dirs.add(os.path.dirname(os.path.normpath(os.path.join(self.root, path))))

    def target(self, page: Path, href: str) -> tuple[str, bool]:
        """(target file, whether it exists) for a link on ``page`` (a path relative to the root)."""
        path = unquote(urlsplit(href).path)
        if path.startswith("/"):
            target = os.path.join(self.root, path.lstrip("/"))
        elif path:
            target = os.path.join(self.root, os.path.dirname(page.as_posix()), path)
        else:
            target = os.path.join(self.root, page.as_posix())
        target = os.path.normpath(target)
        if target in self.dirs:
            target = os.path.join(target, "index.html")
        return target, target in self.files


def _page_broken_links(files: _Files, page: Page) -> list[Problem]:
    problems = []
    own = os.path.join(files.root, page.path.as_posix())
    own_ids = None
    for element in page.tree.iter("a", "area"):
        href = (element.get("href") or "").strip()
        if not href or is_external(href) or href.startswith(SKIP_SCHEMES):
            continue
        target, exists = files.target(page.path, href)
        fragment = unquote(urlsplit(href).fragment)
        if not exists:
            problems.append(Problem(f"site/{page.path.as_posix()}", f"broken link '{href}'",
                                    element.sourceline))
        elif fragment and target.endswith(".html"):
            if target == own:  # a link within the page (the table of contents): use this tree
                own_ids = own_ids if own_ids is not None else _ids_of(page.tree)
                ids = own_ids
            else:
                ids = _ids(Path(target))
            if fragment not in ids:
                problems.append(Problem(f"site/{page.path.as_posix()}",
                                        f"broken anchor '#{fragment}' in link '{href}'", element.sourceline))
    return problems


def _page_unsafe_links(page: Page) -> list[Problem]:
    """javascript:, data: and vbscript: URLs, wherever a page would follow or load them."""
    problems = []
    where = f"site/{page.path.as_posix()}"
    for element in page.tree.iter():
        if not isinstance(element.tag, str) or element.get("data-md-component") == THEME_JS_LINK:
            continue
        for attr in URL_ATTRS:
            value = element.get(attr)
            if value and UNSAFE_SCHEME.match(value):
                scheme = value.split(":")[0].strip().lower()
                problems.append(Problem(where, f"<{element.tag} {attr}=\"{value[:60]}\">: a {scheme}: link runs code "
                                        "instead of opening a page", element.sourceline,
                                        "Link to a page or a registry entry (resource()) instead."))
    return problems


def _page_images(files: _Files, page: Page) -> list[Problem]:
    """Raw <img> tags get the checks a Markdown image gets: the file exists, and there is alt text."""
    problems = []
    where = f"site/{page.path.as_posix()}"
    for element in page.tree.iter("img"):
        src = (element.get("src") or "").strip()
        if not src:
            problems.append(Problem(where, "<img> without a src", element.sourceline))
        elif not is_external(src) and not src.startswith(SKIP_SCHEMES):
            _, exists = files.target(page.path, src)
            if not exists:
                problems.append(Problem(where, f"<img src=\"{src}\">: the image file does not exist",
                                        element.sourceline,
                                        "Fix the path (relative to the page), or add the image to the docs folder."))
        decorative = element.get("aria-hidden") == "true" or element.get("role") in ("presentation", "none")
        if not (element.get("alt") or "").strip() and not decorative:
            problems.append(Problem(where, f"<img src=\"{src}\"> has no alt text", element.sourceline,
                                    'Add alt="what the picture shows", so screen readers can say it.'))
    return problems


def broken_links(site: Path, planned: Iterable[str] = ()) -> list[Problem]:
    """Every internal href (a, link, area) must reach a file, and its #fragment an id there.
    ``planned``: site paths of files that are written after the check (the PDFs)."""
    files = _Files(site.resolve(), planned)
    return [problem for page in _pages(site) for problem in _page_broken_links(files, page)]


def _page_external_assets(page: Page) -> list[Problem]:
    problems = []
    for tag, attr in ASSET_ATTRS.items():
        for element in page.tree.iter(tag):
            url = element.get(attr) or ""
            if tag == "link" and (element.get("rel") or "") in ("canonical", "alternate"):
                continue
            if is_external(url):
                problems.append(Problem(f"site/{page.path.as_posix()}",
                                        f"<{tag}> loads an external asset: {url}", element.sourceline))
    for style in page.tree.iter("style"):
        problems += _css_problems(f"site/{page.path.as_posix()}", style.text or "")
    return problems


CSP_HINT = ("The Content-Security-Policy in deploy/nginx.conf blocks it: use a class (styled in "
            "overrides/assets/stylesheets/site.css) or a listener in overrides/assets/javascripts/site.js.")


def _page_inline_code(page: Page) -> list[Problem]:
    problems = []
    for element in page.tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            blocked = name == "style" or name.startswith("on") or (
                name in ("href", "src", "action") and value.strip().lower().startswith("javascript:"))
            if blocked:
                problems.append(Problem(f"site/{page.path.as_posix()}",
                                        f'inline code <{element.tag} {name}="{value[:60]}">', element.sourceline,
                                        CSP_HINT))
    return problems


def _stylesheet_problems(site: Path) -> list[Problem]:
    problems = []
    for css in sorted(site.rglob("*.css")):
        problems += _css_problems(f"site/{css.relative_to(site).as_posix()}", css.read_text(errors="replace"))
    return problems


def external_assets(site: Path) -> list[Problem]:
    """Nothing a page loads may come from another host: privacy, and it works offline."""
    problems = [problem for page in _pages(site) for problem in _page_external_assets(page)]
    return problems + _stylesheet_problems(site)


def _css_problems(where: str, css: str) -> list[Problem]:
    out = []
    for match in CSS_URL.finditer(css):
        url = match["url"] or match["imp"]
        if is_external(url):
            out.append(Problem(where, f"stylesheet loads an external resource: {url}"))
    return out


def _page_external_links(page: Page, used: dict[str, list[str]]) -> None:
    for element in page.tree.iter("a", "area"):
        href = (element.get("href") or "").strip()
        if is_external(href):
            used.setdefault(href, []).append(page.path.as_posix())


def external_links(site: Path) -> dict[str, list[str]]:
    """Every external href in the site -> the pages that use it."""
    used: dict[str, list[str]] = {}
    for page in _pages(site):
        _page_external_links(page, used)
    return used


def unregistered_urls(site: Path, registered: set[str], site_url: str = "",
                      used: dict[str, list[str]] | None = None) -> list[Problem]:
    known = {normalize(u) for u in registered}
    own = normalize(site_url) if site_url else None
    problems = []
    for url, pages in sorted((external_links(site) if used is None else used).items()):
        if normalize(url) in known or (own and normalize(url).startswith(own)):
            continue
        problems.append(Problem(f"site/{pages[0]}", f"external link not in the registry: {url}",
                                hint="Add it to macros/resources.yml and link it with resource(); "
                                     f"used on {len(pages)} page(s)."))
    return problems


def leftover_templates(site: Path) -> list[Problem]:
    problems = []
    for path in sorted([*site.rglob("*.html"), *site.rglob("search_index.json")]):
        text = path.read_text(errors="replace")
        for marker in LEFTOVERS:
            index = text.find(marker)
            if index >= 0:
                line = text.count("\n", 0, index) + 1
                problems.append(Problem(f"site/{path.relative_to(site).as_posix()}",
                                        f"left-over template text {marker!r}", line,
                                        "A macro was not rendered. Check the Markdown source of this page."))
    return problems


def all_problems(site: Path, registered: set[str], site_url: str = "", planned: Iterable[str] = ()) -> list[Problem]:
    """All the checks above, reading and parsing each page once."""
    _ids.cache_clear()
    files = _Files(site.resolve(), planned)
    links: list[Problem] = []
    assets: list[Problem] = []
    used: dict[str, list[str]] = {}
    for page in _pages(site):
        links += _page_broken_links(files, page)
        links += _page_unsafe_links(page)
        links += _page_images(files, page)
        assets += _page_external_assets(page)
        assets += _page_inline_code(page)
        _page_external_links(page, used)
    assets += _stylesheet_problems(site)
    problems = [*links, *assets, *unregistered_urls(site, registered, site_url, used), *leftover_templates(site)]
    _ids.cache_clear()
    return problems
