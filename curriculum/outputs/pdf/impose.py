"""Cards printed n-up: a card is rendered at its own size, then copies of it are laid out on one sheet
of Letter or A4 paper, with cut marks, so a teacher prints a class set without wasting half a page.

- ``half``: two half-page cards (5.5 x 8.5 in, or A5) side by side on a landscape sheet;
- ``wallet``: ten wallet cards (3.5 x 2 in, or 85 x 55 mm), two columns of five, on a portrait sheet.

The sheet keeps the card's tags (PDF/UA): the first copy is the card page itself, moved into place,
so its marked content, structure tree and links are untouched; the other copies are one form XObject
of the same drawing with its marked-content tags taken out and the whole of it marked as an artifact
(a screen reader reads the card once). The cut marks are artifacts too. A card of two pages (front
and back) makes two sheets, each copy in the same place, so a duplex print backs every card.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

MM = 72 / 25.4


@dataclass(frozen=True)
class Layout:
    card: tuple[float, float]          # card width, height (points)
    sheet: tuple[float, float]         # sheet width, height (points)
    places: tuple[tuple[float, float], ...]    # lower-left corner of each copy on the sheet


def _grid(card: tuple[float, float], sheet: tuple[float, float], cols: int, rows: int,
          gutter: float) -> tuple[tuple[float, float], ...]:
    width, height = card
    left = (sheet[0] - cols * width - (cols - 1) * gutter) / 2
    bottom = (sheet[1] - rows * height) / 2
    return tuple((left + c * (width + gutter), bottom + (rows - 1 - r) * height)
                 for r in range(rows) for c in range(cols))


def layout(card: str, paper: str) -> Layout:
    """Where the copies of a ``card`` ('half' or 'wallet') go on a sheet of ``paper``."""
    if card == "half":
        size, sheet = ((5.5 * 72, 8.5 * 72), (11 * 72, 8.5 * 72)) if paper == "letter" else \
                      ((148 * MM, 210 * MM), (297 * MM, 210 * MM))
        return Layout(size, sheet, _grid(size, sheet, 2, 1, 0.0))
    if card == "wallet":
        size, sheet = ((3.5 * 72, 2 * 72), (8.5 * 72, 11 * 72)) if paper == "letter" else \
                      ((85 * MM, 55 * MM), (210 * MM, 297 * MM))
        return Layout(size, sheet, _grid(size, sheet, 2, 5, 0.25 * 72))
    raise ValueError(f"unknown card size {card!r}: use 'half' or 'wallet'")


def page_size(card: str, paper: str) -> str:
    """The CSS @page size a card is rendered at."""
    width, height = layout(card, paper).card
    return f"{width / 72:.4f}in {height / 72:.4f}in"


def _untagged(page: pikepdf.Page) -> bytes:
    """The page's drawing without its marked-content tags (MCIDs), for a copy that is an artifact."""
    out: list = []
    dropped: list[bool] = []
    for instruction in pikepdf.parse_content_stream(page):
        name, operands = str(instruction.operator), instruction.operands
        if name in ("BDC", "BMC"):
            props = operands[1] if name == "BDC" and len(operands) > 1 else None
            drop = isinstance(props, Dictionary) and "/MCID" in props
            dropped.append(drop)
            if drop:
                continue
        elif name == "EMC":
            if dropped and dropped.pop():
                continue
        out.append(instruction)
    return pikepdf.unparse_content_stream(out)


def _artifact(body: bytes, kind: str = "/Layout") -> bytes:
    return b"/Artifact <</Type " + kind.encode() + b">> BDC\n" + body + b"\nEMC\n"


def _cut_marks(spec: Layout) -> bytes:
    """Dashed cut lines between half cards; crop marks outside a grid of wallet cards."""
    (width, height), sheet_h = spec.card, spec.sheet[1]
    lines: list[tuple[float, float, float, float]] = []
    xs = sorted({round(x, 3) for x, _ in spec.places} | {round(x + width, 3) for x, _ in spec.places})
    ys = sorted({round(y, 3) for _, y in spec.places} | {round(y + height, 3) for _, y in spec.places})
    if len(spec.places) == 2:                       # half cards: one cut down the middle
        middle = spec.places[1][0]
        dash = b"[4 3] 0 d "
        lines.append((middle, 0, middle, sheet_h))
    else:
        dash = b""
        mark = 12.0
        for x in xs:
            lines += [(x, ys[0] - mark - 3, x, ys[0] - 3), (x, ys[-1] + 3, x, ys[-1] + 3 + mark)]
        for y in ys:
            lines += [(xs[0] - mark - 3, y, xs[0] - 3, y), (xs[-1] + 3, y, xs[-1] + 3 + mark, y)]
    path = b"".join(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l\n".encode() for x1, y1, x2, y2 in lines)
    return _artifact(b"q 0.5 w 0.45 G " + dash + b"\n" + path + b"S Q")


def impose(data: bytes, card: str, paper: str) -> tuple[bytes, int]:
    """The sheet(s) for a card PDF rendered at card size: (PDF bytes, page count)."""
    spec = layout(card, paper)
    pdf = Pdf.open(io.BytesIO(data))
    sheet_w, sheet_h = spec.sheet
    for number, page in enumerate(pdf.pages):
        x0, y0 = spec.places[0]
        name = Name(f"/FirCard{number}")         # pages may share one resource dictionary
        contents = page.obj.get("/Contents")
        streams = list(contents) if isinstance(contents, Array) else [contents] if contents is not None else []
        body = b"\n".join(stream.read_bytes() for stream in streams)
        width, height = spec.card
        resources = page.obj.get("/Resources")
        if not isinstance(resources, Dictionary):
            page.obj.Resources = resources = Dictionary()
        copy = pdf.make_stream(_artifact(_untagged(page), "/Pagination"),
                               Dictionary(Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, width, height]),
                                          Resources=resources))
        if "/XObject" not in resources:
            resources.XObject = Dictionary()
        resources.XObject[name] = copy
        placed = b"".join(f"q 1 0 0 1 {x:.3f} {y:.3f} cm {name} Do Q\n".encode() for x, y in spec.places[1:])
        content = (f"q 1 0 0 1 {x0:.3f} {y0:.3f} cm\n".encode() + body + b"\nQ\n" + placed + _cut_marks(spec))
        page.obj.Contents = pdf.make_stream(content)
        for box in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
            if box in page.obj:
                del page.obj[box]
        page.obj.MediaBox = Array([0, 0, sheet_w, sheet_h])
        for annot in page.obj.get("/Annots") or []:
            rect = [float(v) for v in annot.Rect]
            annot.Rect = Array([rect[0] + x0, rect[1] + y0, rect[2] + x0, rect[3] + y0])
    _shift_destinations(pdf, spec.places[0])
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
             deterministic_id=True)
    count = len(pdf.pages)
    pdf.close()
    return buffer.getvalue(), count


def _shift_destinations(pdf: Pdf, offset: tuple[float, float]) -> None:
    """Explicit destinations (/XYZ left top) follow the first copy to its place on the sheet."""
    def shift(dest) -> None:
        if isinstance(dest, Array) and len(dest) >= 4 and dest[1] == Name.XYZ:
            for index, by in ((2, offset[0]), (3, offset[1])):
                if dest[index] is not None:
                    dest[index] = float(dest[index]) + by

    if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        for _name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items():
            shift(dest if isinstance(dest, Array) else dest.get("/D"))
    with pdf.open_outline() as outline:
        items = list(outline.root)
        while items:
            item = items.pop()
            items.extend(item.children)
            if isinstance(item.destination, Array):
                shift(item.destination)
