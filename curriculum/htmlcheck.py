"""Checks on the built site (site/**/*.html). No MkDocs import: works on any folder of HTML.

- every internal link and #anchor resolves, including links written as raw HTML;
- no page loads an asset (script, stylesheet, font, image, iframe) from another host;
- every external link is in the registry;
- no template syntax or macro error text is left in a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from lxml import html as lxml_html

from .errors import Problem

ASSET_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
               "audio": "src", "embed": "src", "object": "data", "link": "href"}
LEFTOVERS = ("{{", "{%", "Macro Rendering Error", "Macro Syntax Error", "jinja2.exceptions")
CSS_URL = re.compile(r"url\(\s*['\"]?(?P<url>[^'\")]+)|@import\s+['\"](?P<imp>[^'\"]+)")
SKIP_SCHEMES = ("mailto:", "tel:", "sms:", "javascript:", "data:", "blob:")


@dataclass
class Page:
    path: Path            # relative to the site root
    tree: object


def _pages(site: Path) -> list[Page]:
    pages = []
    for path in sorted(site.rglob("*.html")):
        text = path.read_bytes()
        if not text.strip():
            continue
        pages.append(Page(path.relative_to(site), lxml_html.fromstring(text)))
    return pages


@lru_cache(maxsize=None)
def _ids(file: Path) -> frozenset[str]:
    tree = lxml_html.fromstring(file.read_bytes())
    return frozenset(tree.xpath("//@id") + tree.xpath("//a/@name"))


def is_external(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url))


def normalize(url: str) -> str:
    return urldefrag(url)[0].rstrip("/")


def _target_file(site: Path, page: Path, href: str) -> Path:
    path = unquote(urlsplit(href).path)
    if path.startswith("/"):
        target = site / path.lstrip("/")
    else:
        target = (site / page.parent / path) if path else site / page
    target = target.resolve()
    if target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site: Path) -> list[Problem]:
    """Every internal href (a, link, area) must reach a file, and its #fragment an id there."""
    problems = []
    root = site.resolve()
    for page in _pages(site):
        for element in page.tree.iter("a", "area"):
            href = (element.get("href") or "").strip()
            if not href or is_external(href) or href.startswith(SKIP_SCHEMES):
                continue
            target = _target_file(root, page.path, href)
            fragment = unquote(urlsplit(href).fragment)
            if not target.exists():
                problems.append(Problem(f"site/{page.path.as_posix()}", f"broken link '{href}'",
                                        element.sourceline))
            elif fragment and target.suffix == ".html" and fragment not in _ids(target):
                problems.append(Problem(f"site/{page.path.as_posix()}",
                                        f"broken anchor '#{fragment}' in link '{href}'", element.sourceline))
    return problems


def external_assets(site: Path) -> list[Problem]:
    """Nothing a page loads may come from another host: privacy, and it works offline."""
    problems = []
    for page in _pages(site):
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
    for css in sorted(site.rglob("*.css")):
        problems += _css_problems(f"site/{css.relative_to(site).as_posix()}", css.read_text(errors="replace"))
    return problems


def _css_problems(where: str, css: str) -> list[Problem]:
    out = []
    for match in CSS_URL.finditer(css):
        url = match["url"] or match["imp"]
        if is_external(url):
            out.append(Problem(where, f"stylesheet loads an external resource: {url}"))
    return out


def external_links(site: Path) -> dict[str, list[str]]:
    """Every external href in the site -> the pages that use it."""
    used: dict[str, list[str]] = {}
    for page in _pages(site):
        for element in page.tree.iter("a", "area"):
            href = (element.get("href") or "").strip()
            if is_external(href):
                used.setdefault(href, []).append(page.path.as_posix())
    return used


def unregistered_urls(site: Path, registered: set[str], site_url: str = "") -> list[Problem]:
    known = {normalize(u) for u in registered}
    own = normalize(site_url) if site_url else None
    problems = []
    for url, pages in sorted(external_links(site).items()):
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


def all_problems(site: Path, registered: set[str], site_url: str = "") -> list[Problem]:
    _ids.cache_clear()
    return [*broken_links(site), *external_assets(site), *unregistered_urls(site, registered, site_url),
            *leftover_templates(site)]
