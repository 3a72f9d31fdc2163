"""Join rendered PDFs into one packet, keeping it tagged, linked and navigable.

A packet is its rendered cover and contents followed by the PDFs of its documents (the same
files, from the cache, that are published on their own). Joining instead of rendering the whole
packet as one document keeps a packet's time and memory proportional to its size: WeasyPrint holds
every page of a document in memory until it writes it.

pikepdf (qpdf) copies the pages; this module merges what no library merges on its own:
- the structure tree (PDF/UA): each document's tags go under a /Part of the packet's tree, and the
  keys of the parent tree (the page and link numbers that point into it) are shifted;
- links: a named destination becomes an explicit one, and a link to another document of the same
  packet (``PACKET_LINK``, written by the print repairs) becomes a link to that place in the packet;
- bookmarks: one per contents section, with each document's own bookmarks under it.

pikepdf rather than pypdf: at x20 content pypdf's objects took the build over 1 GB, and pypdf
cannot write object streams, which made packets four times bigger (bench/RESULTS.md).
"""

from __future__ import annotations

import io
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
        self.pdf.save(buffer)
        for src in self.sources:
            src.close()
        self.pdf.close()
        buffer.seek(0)
        return _Packet(Pdf.open(buffer), Path("the packet so far"))


def join(cover: Path, members: list[Member]) -> tuple[bytes, int]:
    """The packet's bytes and page count. The cover PDF gives the title, language and metadata."""
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
    _resolve_links(out, placed)
    _bookmarks(out, placed)
    buffer = io.BytesIO()
    out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
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


def _resolve_links(out: Pdf, placed: list[_Placed]) -> None:
    """Named destinations become explicit ones; packet links go to their place in the packet."""
    by_slug = {p.member.slug: p for p in placed}
    owner_of = {page: p for p in placed for page in range(p.first, p.first + p.pages)}
    for index, page in enumerate(out.pages):
        owner = owner_of.get(index)
        for annot in _as_list(page.obj.get("/Annots")):
            if annot.get("/Subtype") != Name.Link:
                continue
            action = annot.get("/A")
            target = None
            if action is not None and action.get("/S") == Name.URI and str(action.URI).startswith(PACKET_LINK):
                uri = urlsplit(str(action.URI))
                slug, anchor = unquote(uri.path.strip("/")), unquote(uri.fragment)
                other = by_slug.get(slug)
                if other is None:
                    raise JoinError(f"a link to '{slug}', which is not in this packet")
                target = (other.dests.get(anchor) if anchor else None) or (other.first, 0.0, _top(out, other.first))
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
