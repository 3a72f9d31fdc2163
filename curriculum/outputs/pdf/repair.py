"""Make web HTML work on paper, before WeasyPrint sees it (WeasyPrint runs no JavaScript).

Each function does one thing to an lxml tree made by ``parse`` and is tested on small HTML strings:

- ``open_details``:        every <details> is open, so its text is printed;
- ``sequential_tabs``:     tabs (pymdownx.tabbed) are laid out one after another, each with its title;
- ``print_link_targets``:  the web address (or number) of every external link is printed after it;
- ``add_qr_codes``:        on handouts, a QR code for each critical registry resource the page links;
- ``add_site_guides``:     on handouts, the address and a QR code of each site page it names (or,
                            without site_url, where on the site to find it, in words);
- ``resolve_internal_links``: links to other site pages become absolute (with site_url), or, to a
                            page printed as a document, a PACKET_LINK (kept inside a packet by the
                            join, dropped from the document's own PDF), or plain text;
- ``site_relative_assets``: images are found in the built site, whatever the page's folder;
- ``teacher_notes``:       finds 'say' and 'facilitator' blocks (never allowed in student handouts).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from html import escape
from urllib.parse import quote, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from ...blocks import TEACHER_ONLY
from ...links import DIAL_SCHEMES, EXTERNAL, SCHEME
from ...registry import Resource
from ...words import words
from .model import PACKET_LINK
from .qr import display_url, qr_data_uri

INTERACTIVE = ("script", "noscript", "input", "button", "select", "textarea", "iframe", "object", "embed")


# -- parsing -------------------------------------------------------------------------------------
def parse(html: str) -> etree._Element:
    """The page's content HTML inside one <div> (content HTML is a fragment, not a document)."""
    return lxml_html.fragment_fromstring(html or "", create_parent="div")


def serialize(root: etree._Element) -> str:
    """The children of the wrapper made by ``parse`` (the wrapper itself is left out)."""
    out = [escape(root.text, quote=False)] if root.text else []
    out += [lxml_html.tostring(child, encoding="unicode") for child in root]
    return "".join(out)


def classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def _unwrap(element: etree._Element) -> None:
    """Remove the element but keep its text and children in place."""
    element.drop_tag()


def _insert_after(element: etree._Element, new: etree._Element) -> None:
    """Put ``new`` right after ``element``, before the text that followed it."""
    new.tail = element.tail
    element.tail = None
    element.addnext(new)


def _norm(text: str) -> str:
    text = re.sub(r"\s+", "", text.lower())
    text = re.sub(r"^(?:https?:)?//", "", text)
    return text.removeprefix("www.").rstrip("/")


# -- small clean-ups -----------------------------------------------------------------------------
def remove_permalinks(root: etree._Element) -> etree._Element:
    """The '¶' after each heading (toc permalink) means nothing on paper."""
    for a in list(root.iter("a")):
        if "headerlink" in classes(a):
            a.drop_tree()
    return root


def remove_interactive(root: etree._Element) -> etree._Element:
    """Scripts, form controls and embedded frames cannot work on paper."""
    for element in list(root.iter(*INTERACTIVE)):
        element.drop_tree()
    return root


# -- details and tabs ----------------------------------------------------------------------------
def open_details(root: etree._Element) -> etree._Element:
    """Open every <details> (collapsible blocks, '???' in Markdown), so all of it is printed."""
    for details in root.iter("details"):
        details.set("open", "open")
    return root


def _tab_pairs(tabbed: etree._Element) -> list[tuple[etree._Element | None, etree._Element]]:
    """(label, content) for each tab of a pymdownx.tabbed set, alternate or classic style."""
    children = [c for c in tabbed if isinstance(c.tag, str)]
    labels_box = next((c for c in children if "tabbed-labels" in classes(c)), None)
    content_box = next((c for c in children if "tabbed-content" in classes(c)), None)
    if labels_box is not None and content_box is not None:          # alternate_style: true
        labels = [label for label in labels_box if label.tag == "label"]
        blocks = [b for b in content_box if "tabbed-block" in classes(b)]
        return [(labels[i] if i < len(labels) else None, block) for i, block in enumerate(blocks)]
    pairs = []                                                      # classic style: label, content, ...
    label = None
    for child in children:
        if child.tag == "label":
            label = child
        elif "tabbed-content" in classes(child):
            pairs.append((label, child))
            label = None
    return pairs


def sequential_tabs(root: etree._Element) -> etree._Element:
    """Lay every tab out one after another, each under its own title (only one shows on screen)."""
    for tabbed in list(root.iter("div")):
        if "tabbed-set" not in classes(tabbed):
            continue
        out = etree.Element("div", {"class": "print-tabs"})
        for label, block in _tab_pairs(tabbed):
            tab = etree.SubElement(out, "div", {"class": "print-tab"})
            title = etree.SubElement(tab, "p", {"class": "print-tab-title"})
            title.text = label.text_content().strip() if label is not None else ""
            if block.text and block.text.strip():
                title.tail = block.text
            for child in list(block):
                tab.append(child)
        out.tail = tabbed.tail
        tabbed.getparent().replace(tabbed, out)
    return root


# -- links ---------------------------------------------------------------------------------------
def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _dial_text(href: str, resource: Resource | None) -> str | None:
    """What to print after a tel:/sms: link whose text does not already show the number."""
    if resource is not None and resource.display:
        return resource.display
    number = href.split(":", 1)[1].split("?", 1)[0]
    return number or None


SITE_LINK = "print-site-link"     # the class of a link to another page of the site (resolve_internal_links)


def print_link_targets(root: etree._Element, resources: Mapping[str, Resource] | None = None,
                       site_links: bool = True, listed: set[str] | frozenset[str] = frozenset()) -> etree._Element:
    """After each external link, print where it goes, unless the link text already shows it.

    Web links get their address in brackets; tel:/sms: links whose text is a name get the number
    from the registry (the same field as the link, so the two cannot disagree). ``site_links``
    False: links to the site's own pages get none (a handout lists them: ``add_site_guides``);
    nor do the registry entries in ``listed`` (a card prints their addresses beside their QR codes).
    """
    resources = resources or {}
    for a in list(root.iter("a")):
        href = (a.get("href") or "").strip()
        text = a.text_content()
        resource = resources.get(a.get("data-resource") or "")
        extra = None
        if href.startswith(PACKET_LINK) or (not site_links and SITE_LINK in classes(a)) \
                or (EXTERNAL.match(href) and a.get("data-resource") in listed):
            continue                    # a link inside the packet, or listed with the page's guides
        if EXTERNAL.match(href):
            shown = display_url(href)
            if _norm(shown) not in _norm(text):
                extra = f" ({shown})"
        elif href.lower().startswith(DIAL_SCHEMES):
            number = _digits(href.split(":", 1)[1].split("?", 1)[0]).removeprefix("1")
            if not number or number not in _digits(text):
                dial = _dial_text(href, resource)
                extra = f": {dial}" if dial else None
        elif href.lower().startswith("mailto:"):
            address = href[7:].split("?", 1)[0]
            if address.lower() not in text.lower():
                extra = f" ({address})"
        if extra:
            span = etree.Element("span", {"class": "print-url"})
            span.text = extra
            _insert_after(a, span)
    return root


def site_path(page_url: str, href: str) -> tuple[str, str]:
    """(site path, fragment) of a relative link on the page at ``page_url``.

    "../k-2-ask-first/#rules" on "handouts/x/" -> ("/handouts/k-2-ask-first/", "rules").
    """
    joined = urljoin("/" + page_url.lstrip("/"), href)
    parts = urlsplit(joined)
    path = posixpath.normpath(parts.path) if parts.path else "/"
    if parts.path.endswith("/") and not path.endswith("/"):
        path += "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path, parts.fragment


def resolve_internal_links(root: etree._Element, page_url: str, site_url: str = "",
                           ids: set[str] | None = None,
                           packet: Mapping[str, tuple[str, set[str]]] | None = None) -> etree._Element:
    """Make links to other pages of the site work on paper.

    - a link to a place on this same page becomes a '#' link; one whose target is not on the page
      (``ids``, when given) is dropped and its text kept;
    - with ``site_url``, any other page becomes an absolute link (class SITE_LINK): a packet that
      holds that page's document links it inside the packet instead (the join);
    - without it, a page printed as a document (``packet``: site path -> (its slug, its ids))
      becomes ``PACKET_LINK`` + slug [+ '#' + anchor]: the join links it inside a packet that holds
      it, and drops it (keeping the text) everywhere else, its own PDF included;
    - otherwise the link is dropped and its text kept (a relative link means nothing on paper).
    """
    packet = packet or {}
    base = site_url.rstrip("/")
    own, _ = site_path(page_url, "")
    for a in list(root.iter("a")):
        href = (a.get("href") or "").strip()
        if not href:
            continue
        if EXTERNAL.match(href) or SCHEME.match(href):
            continue
        path, fragment = site_path(page_url, href) if not href.startswith("#") else (own, href[1:])
        if path == own and fragment:
            if ids is None or fragment in ids:
                a.set("href", "#" + fragment)
            else:
                _unwrap(a)
            continue
        if base:
            a.set("href", base + path + (f"#{fragment}" if fragment else ""))
            a.set("class", " ".join(sorted(classes(a) | {SITE_LINK})))
        elif path in packet:
            slug, their_ids = packet[path]
            anchor = f"#{quote(fragment)}" if fragment and fragment in their_ids else ""
            a.set("href", PACKET_LINK + quote(slug) + anchor)
        else:
            _unwrap(a)
    return root


def site_relative_assets(root: etree._Element, page_url: str) -> etree._Element:
    """Point images at the built site relative to its root ("assets/x.png"), whatever the page.

    The print HTML is rendered with the site folder as its base, so the same HTML (and the same
    cache key) works in a single PDF and in a packet. Images from other hosts are never fetched.
    """
    for img in list(root.iter("img")):
        src = (img.get("src") or "").strip()
        if not src or src.startswith("data:"):
            continue
        if EXTERNAL.match(src) or SCHEME.match(src):
            img.drop_tree()
            continue
        path, _ = site_path(page_url, src)
        img.set("src", path.lstrip("/"))
    return root


# -- QR codes ------------------------------------------------------------------------------------
def linked_resources(root: etree._Element, resources: Mapping[str, Resource]) -> list[Resource]:
    """Registry entries linked on the page (by data-resource), in order of first use."""
    seen: dict[str, Resource] = {}
    for a in root.iter("a"):
        key = a.get("data-resource")
        if key and key in resources and key not in seen:
            seen[key] = resources[key]
    return list(seen.values())


def qr_resources(root: etree._Element, resources: Mapping[str, Resource]) -> list[Resource]:
    """The critical resources (help lines, reporting, removal) linked on the page that have a web address."""
    return [r for r in linked_resources(root, resources) if r.tier == "critical" and r.web]


def add_qr_codes(root: etree._Element, resources: Mapping[str, Resource], lang: str = "en") -> etree._Element:
    """Append a row of QR codes, one per critical resource with a web address linked on the page."""
    chosen = qr_resources(root, resources)
    if not chosen:
        return root
    text = words(lang)
    aside = etree.SubElement(root, "aside", {"class": "print-qr"})
    heading = etree.SubElement(aside, "p", {"class": "print-qr-heading"})
    heading.text = text["qr_heading"]
    for r in chosen:
        assert r.web is not None              # qr_resources keeps only entries with a web address
        url = display_url(r.web)
        label = r.words(lang)["name"] or r.name
        figure = etree.SubElement(aside, "figure", {"class": "print-qr-code"})
        etree.SubElement(figure, "img", {"src": qr_data_uri(r.web),
                                         "alt": text["qr_alt"].format(name=label, url=url)})
        caption = etree.SubElement(figure, "figcaption")
        name = etree.SubElement(caption, "strong")
        name.text = label
        name.tail = " "
        address = etree.SubElement(caption, "span", {"class": "print-qr-url"})
        address.text = url
    return root


# -- the site pages a handout names ----------------------------------------------------------------
def linked_site_pages(root: etree._Element, page_url: str) -> list[tuple[str, str]]:
    """(site path, link text) of each other page of the site the page links, in order of first use
    (read before ``resolve_internal_links``, while the links are still relative)."""
    own, _ = site_path(page_url, "")
    seen: dict[str, str] = {}
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or EXTERNAL.match(href) or SCHEME.match(href):
            continue
        path, _ = site_path(page_url, href)
        if path != own and path not in seen:
            seen[path] = re.sub(r"\s+", " ", a.text_content()).strip()
    return list(seen.items())


def add_site_guides(root: etree._Element, guides: list[tuple[str, str]], site_url: str,
                    pages: Mapping[str, tuple[str, tuple[str, ...]]], site_name: str = "",
                    lang: str = "en") -> etree._Element:
    """Append the site pages a handout names: with ``site_url``, each one's short address and a QR
    code; without it, where on the site to find it, in words (its title and sections), and no code.

    ``pages``: site path -> (title, the navigation sections above it).
    """
    if not guides:
        return root
    text = words(lang)
    aside = etree.SubElement(root, "aside", {"class": "print-qr print-guides"})
    heading = etree.SubElement(aside, "p", {"class": "print-qr-heading"})
    heading.text = text["guides_heading"] if site_url else text["guides_find"].format(site=site_name or "")
    base = site_url.rstrip("/")
    listing = None if base else etree.SubElement(aside, "p", {"class": "print-guide"})
    for number, (path, link_text) in enumerate(guides):
        title, sections = pages.get(path, (link_text, ()))
        if listing is not None:        # one line: each page's title and where it is on the site
            name = etree.SubElement(listing, "strong")
            name.text = title
            name.tail = (" " + text["guides_where"].format(sections=" › ".join(sections)) if sections else "") + \
                ("; " if number < len(guides) - 1 else ".")
            continue
        url = base + path
        shown = display_url(url)
        figure = etree.SubElement(aside, "figure", {"class": "print-qr-code"})
        etree.SubElement(figure, "img", {"src": qr_data_uri(url), "alt": text["qr_alt"].format(name=title, url=shown)})
        caption = etree.SubElement(figure, "figcaption")
        name = etree.SubElement(caption, "strong")
        name.text = title
        name.tail = " "
        address = etree.SubElement(caption, "span", {"class": "print-qr-url"})
        address.text = shown
    return root


def add_dates(root: etree._Element, lines: list[str]) -> etree._Element:
    """Append how current the page's help lines and links are (``resource_html.currency``)."""
    if lines:
        note = etree.SubElement(root, "p", {"class": "print-dates"})
        note.text = ". ".join(line.rstrip(".") for line in lines) + "."
    return root


# -- checks --------------------------------------------------------------------------------------
def teacher_notes(root: etree._Element) -> list[str]:
    """The titles of 'say' and 'facilitator' blocks (admonitions or details) in the page."""
    found = []
    for element in root.iter("div", "details", "aside"):
        kinds = classes(element) & TEACHER_ONLY
        if kinds and (element.tag == "details" or "admonition" in classes(element)):
            title = next((c for c in element if "admonition-title" in classes(c) or c.tag == "summary"), None)
            name = title.text_content().strip() if title is not None else ""
            found.append(f"{sorted(kinds)[0]}" + (f" ('{name}')" if name else ""))
    return found


def rules_in_list_items(root: etree._Element) -> list[str]:
    """The text of each list item holding a horizontal rule: a blank written as underscores, which
    Markdown reads as a thematic break (the 'blanks' rule catches it in the source)."""
    return [re.sub(r"\s+", " ", li.text_content()).strip()[:60] for li in root.iter("li")
            if next(li.iter("hr"), None) is not None]


def ids_in(root: etree._Element) -> set[str]:
    return {element.get("id") for element in root.iter() if isinstance(element.tag, str) and element.get("id")}


def has_h1(root: etree._Element) -> bool:
    return next(root.iter("h1"), None) is not None
