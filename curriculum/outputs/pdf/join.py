"""Join rendered PDFs into one packet, keeping it tagged, linked and navigable.

A packet is its rendered cover and contents followed by the PDFs of its documents (the same
files, from the cache, that are published on their own). Joining instead of rendering the whole
packet as one document keeps a packet's time and memory proportional to its size: WeasyPrint holds
every page of a document in memory until it writes it.

pikepdf (qpdf) copies the pages; this module merges what no library merges on its own:
- the structure tree (PDF/UA): each document's tags go under a /Part of the packet's tree, and the
  keys of the parent tree (the page and link numbers that point into it) are shifted;
- links: a named destination becomes an explicit one, and a link to another document of the same
  packet becomes a link to that place in the packet: a link to the site page of a document (with
  site_url), or a ``PACKET_LINK`` (without site_url, written by the print repairs). A ``PACKET_LINK``
  to a document not in the packet is dropped, its text kept (``drop_packet_links`` does the same to
  a document's own PDF), so every document is laid out once, whatever PDFs hold it;
- bookmarks: one per contents section, with each document's own bookmarks under it;
- page numbers: every page after the cover carries its packet page number ("Packet page 30 of 61"),
  stamped as an artifact (pagination, outside the tag tree) in the packet's own font (``StampFont``).

pikepdf rather than pypdf: at x20 content pypdf's objects took the build over 1 GB, and pypdf
cannot write object streams, which made packets four times bigger (bench/RESULTS.md).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, NumberTree, OutlineItem, Pdf

from .model import PACKET_LINK

Target = tuple[int, float, float]        # page index in the packet, left, top
SETTLE_EVERY = 100                        # part PDFs held open at once while joining (memory vs re-reading)


class JoinError(Exception):
    pass


@dataclass(frozen=True)
class Member:
    slug: str
    pdf: Path
    section: str          # the contents heading it is listed under (its bookmark group)
    path: str = ""        # its page on the site, e.g. /handouts/k-2-ask-first/ (links to it join the packet)


@dataclass
class _Placed:
    member: Member
    first: int            # index of its first page in the packet
    pages: int
    dests: dict[str, Target]                             # its named destinations
    outline: list[tuple[str, Target, list]]                 # its bookmarks: (title, target, children)


def _as_list(obj) -> list:
    if obj is None:
        return []
    return list(obj) if isinstance(obj, Array) else [obj]


def _target(dest, pages: dict[tuple[int, int], int], first: int) -> Target | None:
    """An explicit destination [page /XYZ left top zoom] of a part, as a place in the packet."""
    if not isinstance(dest, Array) or len(dest) < 1 or not isinstance(dest[0], Dictionary):
        return None
    index = pages.get(dest[0].objgen)
    if index is None:
        return None
    left = float(dest[2]) if len(dest) > 2 and dest[2] is not None else 0.0
    top = float(dest[3]) if len(dest) > 3 and dest[3] is not None else 0.0
    return first + index, left, top


def _outline(items, dests: dict[str, Target], pages, first: int) -> list[tuple[str, Target, list]]:
    found = []
    for item in items:
        dest = item.destination
        target = dests.get(str(dest)) if isinstance(dest, (str, pikepdf.String)) else _target(dest, pages, first)
        if target is not None:
            found.append((str(item.title), target, _outline(item.children, dests, pages, first)))
    return found


def _shift(obj: Dictionary, key: str, offset: int) -> None:
    if key in obj:
        obj[key] = int(obj[key]) + offset


class _Packet:
    """The packet being joined, and the part PDFs its copied pages still read their data from."""

    def __init__(self, pdf: Pdf, source: Path):
        self.pdf, self.sources = pdf, list[Pdf]()
        tree = pdf.Root.get("/StructTreeRoot")
        documents = _as_list(tree.get("/K")) if tree is not None else []
        if tree is None or not documents or not isinstance(documents[0].get("/K"), Array):
            raise JoinError(f"{source}: the cover has no tagged document element")
        self.tree, self.document = tree, documents[0]
        self.numbers = NumberTree(tree.ParentTree)

    def settle(self) -> _Packet:
        """Write what is joined so far and read it back, so the part PDFs can be closed: keeps
        memory flat however many documents a packet holds."""
        buffer = io.BytesIO()
        self.pdf.save(buffer, deterministic_id=True)
        for src in self.sources:
            src.close()
        self.pdf.close()
        buffer.seek(0)
        return _Packet(Pdf.open(buffer), Path("the packet so far"))


def join(cover: Path, members: list[Member], site_url: str = "", stamp: StampFont | None = None,
         words: str = "Packet page {page} of {pages}") -> tuple[bytes, int]:
    """The packet's bytes and page count. The cover PDF gives the title, language and metadata.

    ``stamp``: the font to print packet page numbers in (none when not given), ``words`` their text."""
    packet = _Packet(Pdf.open(cover), cover)
    lang = str(packet.pdf.Root.get("/Lang", ""))
    next_key = max([int(packet.tree.get("/ParentTreeNextKey", 0)), *(int(k) + 1 for k in packet.numbers.keys())])
    placed: list[_Placed] = []
    for member in members:
        if len(packet.sources) >= SETTLE_EVERY:
            packet = packet.settle()
        out, src = packet.pdf, Pdf.open(member.pdf)
        packet.sources.append(src)
        source_tree = src.Root.get("/StructTreeRoot")
        if source_tree is None:
            raise JoinError(f"{member.pdf}: not tagged, so it cannot join a tagged packet")
        first, offset = len(out.pages), next_key
        pages = {page.obj.objgen: i for i, page in enumerate(src.pages)}
        dests = {}
        if "/Names" in src.Root and "/Dests" in src.Root.Names:
            for name, dest in NameTree(src.Root.Names.Dests).items():
                if (target := _target(dest, pages, first)) is not None:
                    dests[str(name)] = target
        with src.open_outline() as outline:
            bookmarks = _outline(outline.root, dests, pages, first)

        # The document's own top-level tags, cut loose from its root so copying stops there.
        children = [child for doc in _as_list(source_tree.get("/K")) for child in _as_list(doc.get("/K"))]
        for child in children:
            if isinstance(child, Dictionary) and "/P" in child:
                del child["/P"]
        out.pages.extend(src.pages)
        for page in out.pages[first:]:
            _shift(page.obj, "/StructParents", offset)
            for annot in _as_list(page.obj.get("/Annots")):
                _shift(annot, "/StructParent", offset)
        part = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Part, P=packet.document, K=Array()))
        part_lang = str(src.Root.get("/Lang", ""))
        if part_lang and part_lang != lang:
            part.Lang = pikepdf.String(part_lang)
        for child in children:
            copied = out.copy_foreign(child) if child.is_indirect else child
            if isinstance(copied, Dictionary):
                copied.P = part
            part.K.append(copied)
        packet.document.K.append(part)
        largest = -1
        for key, value in NumberTree(source_tree.ParentTree).items():
            packet.numbers[int(key) + offset] = _copy(out, value)
            largest = max(largest, int(key))
        next_key = offset + max(largest + 1, int(source_tree.get("/ParentTreeNextKey", 0)))
        placed.append(_Placed(member, first, len(src.pages), dests, bookmarks))
    packet.tree.ParentTreeNextKey = next_key

    out = packet.pdf
    _resolve_links(out, placed, site_url)
    _bookmarks(out, placed)
    if stamp is not None:
        _stamp_pages(out, stamp, words, first=1)

    buffer = io.BytesIO()
    out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
             deterministic_id=True)
    count = len(out.pages)
    for src in packet.sources:
        src.close()
    return buffer.getvalue(), count


def _copy(out: Pdf, value):
    """A parent-tree value of a part (an element, or a direct array of them) copied into the packet."""
    if value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(out, v) for v in value])
    return value


def _bookmarks(out: Pdf, placed: list[_Placed]) -> None:
    def item(title: str, target: Target, children: list) -> OutlineItem:
        page, left, top = target
        made = OutlineItem(title, page, "XYZ", left=left, top=top)
        made.children.extend(item(*child) for child in children)
        return made

    with out.open_outline() as outline:
        sections: dict[str, OutlineItem] = {}
        for p in placed:
            if p.member.section not in sections:
                sections[p.member.section] = item(p.member.section, (p.first, 0.0, _top(out, p.first)), [])
                sections[p.member.section].is_closed = False
                outline.root.append(sections[p.member.section])
            for bookmark in p.outline:
                new = item(*bookmark)
                new.is_closed = True
                sections[p.member.section].children.append(new)


def _top(out: Pdf, page: int) -> float:
    return float(out.pages[page].mediabox[3])


def _linked(uri: str, by_slug: Mapping[str, _Placed], by_path: Mapping[str, _Placed],
            base: str) -> tuple[_Placed | None, str, bool]:
    """(the member a link goes to, or None; its anchor; whether it is a PACKET_LINK)."""
    if uri.startswith(PACKET_LINK):
        parts = urlsplit(uri)
        return by_slug.get(unquote(parts.path.strip("/"))), unquote(parts.fragment), True
    if base and uri.startswith(base):
        parts = urlsplit(uri)
        path = "/" + unquote(parts.path)[len(urlsplit(base).path):].lstrip("/")
        return by_path.get(path), unquote(parts.fragment), False
    return None, "", False


def _resolve_links(out: Pdf, placed: list[_Placed], site_url: str = "") -> None:
    """Named destinations become explicit ones; links to a document of the packet go to its place in
    the packet; a PACKET_LINK to a document that is not in it is dropped (its text stays)."""
    by_slug = {p.member.slug: p for p in placed}
    by_path = {p.member.path: p for p in placed if p.member.path}
    base = site_url.rstrip("/") + "/" if site_url else ""
    owner_of = {page: p for p in placed for page in range(p.first, p.first + p.pages)}
    numbers = NumberTree(out.Root.StructTreeRoot.ParentTree) if "/StructTreeRoot" in out.Root else None
    for index, page in enumerate(out.pages):
        owner = owner_of.get(index)
        for annot in list(_as_list(page.obj.get("/Annots"))):
            if annot.get("/Subtype") != Name.Link:
                continue
            action = annot.get("/A")
            target = None
            if action is not None and action.get("/S") == Name.URI:
                other, anchor, marker = _linked(str(action.URI), by_slug, by_path, base)
                if other is not None:
                    target = (other.dests.get(anchor) if anchor else None) or (other.first, 0.0, _top(out, other.first))
                elif marker:
                    _drop_link(page, annot, numbers)
                    continue
            elif owner is not None:
                name = annot.get("/Dest")
                if name is None and action is not None and action.get("/S") == Name.GoTo:
                    name = action.get("/D")
                if isinstance(name, pikepdf.String):
                    target = owner.dests.get(str(name))
                    if target is None:
                        raise JoinError(f"{owner.member.pdf}: a link to '#{name}', which it does not contain")
            if target is not None:
                if "/A" in annot:
                    del annot["/A"]
                number, left, top = target
                annot.Dest = Array([out.pages[number].obj, Name.XYZ, left, top, 0])


# -- links that go nowhere on paper --------------------------------------------------------------
def _drop_link(page: pikepdf.Page, annot: Dictionary, numbers: NumberTree | None) -> None:
    """Remove a link annotation and keep its text tagged: its Link element becomes a Span."""
    annots = page.obj.get("/Annots")
    if isinstance(annots, Array):
        keep = [a for a in annots if not (a.is_indirect and annot.is_indirect and a.objgen == annot.objgen)]
        page.obj.Annots = Array(keep)
    key = annot.get("/StructParent")
    if numbers is None or key is None:
        return
    element = numbers.get(int(key))
    if isinstance(element, Dictionary):
        kids = _as_list(element.get("/K"))
        kept = [k for k in kids if not (isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR
                                        and k.get("/Obj") is not None and k.Obj.objgen == annot.objgen)]
        element.K = Array(kept)
        if element.get("/S") == Name.Link:
            element.S = Name.Span
    del numbers[int(key)]


def drop_packet_links(data: bytes) -> bytes:
    """A document's own PDF without the links that only mean something inside a packet (PACKET_LINK)."""
    pdf = Pdf.open(io.BytesIO(data))
    numbers = NumberTree(pdf.Root.StructTreeRoot.ParentTree) if "/StructTreeRoot" in pdf.Root else None
    for page in pdf.pages:
        for annot in list(_as_list(page.obj.get("/Annots"))):
            action = annot.get("/A")
            if action is not None and action.get("/S") == Name.URI and str(action.URI).startswith(PACKET_LINK):
                _drop_link(page, annot, numbers)
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
             deterministic_id=True)
    pdf.close()
    return buffer.getvalue()


# -- packet page numbers -------------------------------------------------------------------------
STAMP_SIZE = 8.5          # points, as the running footers (print.css)
STAMP_BOTTOM = 10 * 72 / 25.4     # the baseline, from the foot of the page: in the footer's line
STAMP_BOTTOM_SHEET = 5.5 * 72 / 25.4   # on a sheet of cards (no footer; the cards' own margin)


@dataclass
class StampFont:
    """A font embedded by WeasyPrint (a subset holding every character the stamp prints), read from a
    small PDF rendered for it: its font object, the code of each character and its width."""

    pdf: Pdf
    font: Dictionary
    codes: dict[str, bytes]
    widths: dict[str, float]           # per 1000 units of the font size

    @classmethod
    def read(cls, path: Path) -> StampFont:
        pdf = Pdf.open(path)
        fonts = pdf.pages[0].obj.Resources.Font
        font = next(iter(fonts.values()))
        assert isinstance(font, Dictionary)
        cmap = font.ToUnicode.read_bytes().decode("latin-1")
        codes: dict[str, bytes] = {}
        for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, flags=re.S):
            for code, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                codes.setdefault(bytes.fromhex(uni).decode("utf-16-be"), bytes.fromhex(code))
        for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, flags=re.S):
            for first, last, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                for offset in range(int(last, 16) - int(first, 16) + 1):
                    char = chr(int(uni, 16) + offset)
                    codes.setdefault(char, (int(first, 16) + offset).to_bytes(len(first) // 2, "big"))
        cid_widths: dict[int, float] = {}
        descendant = font.DescendantFonts[0]
        w = list(descendant.get("/W") or [])
        i = 0
        while i < len(w):
            start = int(w[i])
            if isinstance(w[i + 1], Array):
                for k, width in enumerate(w[i + 1]):
                    cid_widths[start + k] = float(width)
                i += 2
            else:
                for cid in range(start, int(w[i + 1]) + 1):
                    cid_widths[cid] = float(w[i + 2])
                i += 3
        default = float(descendant.get("/DW", 1000))
        widths = {c: cid_widths.get(int.from_bytes(b, "big"), default) for c, b in codes.items()}
        return cls(pdf, font, codes, widths)

    def text(self, text: str) -> tuple[bytes, float]:
        """The string operand for ``text`` and its width at 1 point, or KeyError for a missing glyph."""
        return b"".join(self.codes[c] for c in text), sum(self.widths[c] for c in text) / 1000


def _add_text(out: Pdf, page: pikepdf.Page, font: pikepdf.Object, resource: str, code: bytes, x: float, y: float,
              subtype: str) -> None:
    """Print one line of stamped text on ``page`` at (x, y), as an artifact (outside the tag tree)."""
    resources = page.obj.get("/Resources")
    if resources is None:
        page.obj.Resources = resources = Dictionary()
    elif resources.is_indirect:
        page.obj.Resources = resources = Dictionary({str(k): v for k, v in resources.items()})
    found = resources.get("/Font")
    fonts = Dictionary({str(k): v for k, v in found.items()}) if isinstance(found, Dictionary) else Dictionary()
    fonts[Name(f"/{resource}")] = font
    resources.Font = fonts
    body = (f"/Artifact <</Type /Pagination /Subtype /{subtype}>> BDC\nq 0.227 g BT /{resource} ".encode()
            + f"{STAMP_SIZE} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <".encode() + code.hex().encode() + b"> Tj ET Q\nEMC\n")
    page.contents_add(out.make_stream(b"q\n"), prepend=True)
    page.contents_add(out.make_stream(b"Q\n" + body), prepend=False)


def _stamp_pages(out: Pdf, stamp: StampFont, words: str, first: int) -> None:
    """Print "Packet page N of M" at the foot of every page from index ``first`` on, as an artifact."""
    font = out.copy_foreign(stamp.font)
    total = len(out.pages)
    for index in range(first, total):
        page = out.pages[index]
        label = words.format(page=index + 1, pages=total)
        try:
            code, width = stamp.text(label)
        except KeyError as missing:
            raise JoinError(f"the page-number font has no glyph for {missing}") from None
        width *= STAMP_SIZE
        box = [float(v) for v in page.mediabox]
        landscape = box[2] - box[0] > box[3] - box[1]
        x = box[2] - 20 * 72 / 25.4 - width if landscape else (box[0] + box[2] - width) / 2
        y = box[1] + (STAMP_BOTTOM_SHEET if landscape else STAMP_BOTTOM)
        _add_text(out, page, font, "FirPageNumber", code, x, y, "Footer")


FOOTER_LEFT = 15 * 72 / 25.4       # print.css's left page margin: where the running footer starts


def stamp_footer(data: bytes, stamp: StampFont, text: str) -> bytes:
    """The district's name at the foot of every page, left, where the running footer is. Stamped after
    rendering, so a document no district value touches is rendered once for every district edition
    (one shared PDF cache) and only this cheap step differs."""
    try:
        code, _width = stamp.text(text)
    except KeyError as missing:
        raise JoinError(f"the print font has no glyph for {missing} in the district name {text!r}") from None
    with Pdf.open(io.BytesIO(data)) as out:
        font = out.copy_foreign(stamp.font)
        for page in out.pages:
            box = [float(v) for v in page.mediabox]
            _add_text(out, page, font, "FirDistrict", code, box[0] + FOOTER_LEFT, box[1] + STAMP_BOTTOM, "Footer")
        buffer = io.BytesIO()
        out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
        return buffer.getvalue()
