"""Text that fits its box: measured with the fonts' own metrics (Pillow's FreeType), never guessed.

A slide's body is set at ``BODY_PT``; when it does not fit its box, the slide is split into parts
("(1 of 2)"), never shrunk below 24 pt. Every width is measured with the site's font (Atkinson
Hyperlegible) and with DejaVu Sans (what LibreOffice on Debian shows when the font is missing, and
wider than Arial), and the wider one counts, so the text fits wherever the deck is opened.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from PIL import ImageFont

from .model import Deck, Slide, slide_title

FONT_NAME = "Atkinson Hyperlegible"
FONT_DIR = Path(__file__).resolve().parents[3] / "overrides" / "assets" / "fonts"
FALLBACKS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
BOLD_FALLBACKS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),)
EMU_PER_INCH = 914400
EMU_PER_PT = 12700

# 16:9, in inches.
SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN = 0.6
TITLE_BOX = (MARGIN, 0.35, SLIDE_W - 2 * MARGIN, 1.45)     # left, top, width, height
BODY_BOX = (MARGIN, 1.95, SLIDE_W - 2 * MARGIN, SLIDE_H - 1.95 - 0.45)
TITLE_SLIDE_TITLE = (MARGIN, 1.6, SLIDE_W - 2 * MARGIN, 2.6)
TITLE_SLIDE_SUB = (MARGIN, 4.4, SLIDE_W - 2 * MARGIN, 1.8)
INSET_X, INSET_Y = 0.1, 0.05          # the text frame's inner margins
BULLET_INDENT = 0.4                   # left margin of a bulleted paragraph
LINE = 1.2                            # line height, in ems (single spacing)
PARA_AFTER_PT = 10                    # space after each paragraph
TITLE_PT, BODY_PT, SUBTITLE_PT = 36, 28, 28
TITLE_SLIDE_PT = 44
MIN_BODY_PT = 24


@cache
def _font(bold: bool, which: int) -> ImageFont.FreeTypeFont:
    own = FONT_DIR / f"atkinson-hyperlegible-latin-{700 if bold else 400}-normal.woff2"
    paths = [own, *(BOLD_FALLBACKS if bold else FALLBACKS)]
    existing = [p for p in paths if p.is_file()]
    return ImageFont.truetype(str(existing[min(which, len(existing) - 1)]), 1000)


def width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of ``text`` at ``size_pt``: the wider of the site font and the fallback."""
    return max(_font(bold, i).getlength(text) for i in range(len(FALLBACKS) + 1)) * size_pt / 1000


def wrap(text: str, size_pt: float, box_width_pt: float, bold: bool = False) -> list[str]:
    """Greedy word wrap, as a presentation program does it (a word longer than a line stays whole)."""
    lines: list[str] = []
    for hard in text.split("\n"):
        line = ""
        for word in hard.split():
            trial = f"{line} {word}" if line else word
            if line and width_pt(trial, size_pt, bold) > box_width_pt:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


@cache
def _line_count(text: str, size_pt: float, box_width_pt: float, bold: bool) -> int:
    """Paginating measures each paragraph again for every slide it is tried on: once is enough."""
    return len(wrap(text, size_pt, box_width_pt, bold))


def text_height_pt(paragraphs: list[str], size_pt: float, box_width_in: float, bullets: bool = False,
                   bold: bool = False) -> float:
    usable = (box_width_in - 2 * INSET_X - (BULLET_INDENT if bullets else 0)) * 72
    lines = sum(_line_count(p, size_pt, usable, bold) for p in paragraphs)
    return lines * size_pt * LINE + max(len(paragraphs) - 1, 0) * PARA_AFTER_PT


def fits(paragraphs: list[str], size_pt: float, box: tuple[float, float, float, float], bullets: bool = False,
         bold: bool = False) -> bool:
    return text_height_pt(paragraphs, size_pt, box[2], bullets, bold) <= (box[3] - 2 * INSET_Y) * 72


def _pieces(text: str) -> list[str]:
    """A paragraph too long for a whole slide, cut at sentence ends."""
    return [s for s in re.split(r"(?<=[.!?;])\s+", text) if s]


def _split_body(slide: Slide) -> list[list[str]]:
    pages: list[list[str]] = [[]]
    queue = list(slide.body)
    while queue:
        paragraph = queue.pop(0)
        trial = [*pages[-1], paragraph]
        if fits(trial, BODY_PT, BODY_BOX, slide.bullets):
            pages[-1] = trial
            continue
        if pages[-1]:
            pages.append([])
            queue.insert(0, paragraph)
            continue
        pieces = _pieces(paragraph)
        if len(pieces) > 1:             # cut it in two halves at a sentence end, and try again
            half = max(1, len(pieces) // 2)
            queue[:0] = [" ".join(pieces[:half]), " ".join(pieces[half:])]
            continue
        raise ValueError(f"a sentence is too long for one slide: {paragraph[:80]!r}")
    return [p for p in pages if p] or [[]]


def title_size(slide: Slide) -> int:
    """The title's size: 36 pt (44 on the title slide), smaller for a long title, never below 24."""
    box = TITLE_SLIDE_TITLE if slide.kind == "title" else TITLE_BOX
    size = TITLE_SLIDE_PT if slide.kind == "title" else TITLE_PT
    while size > MIN_BODY_PT and not fits([slide_title(slide)], size, box, bold=True):
        size -= 2
    return size


def paginate(deck: Deck) -> Deck:
    """The deck with every slide whose body does not fit split into numbered parts."""
    slides: list[Slide] = []
    for slide in deck.slides:
        pages = [slide.body] if slide.kind == "title" else _split_body(slide)
        for number, body in enumerate(pages, 1):
            slides.append(replace(slide, body=body, part=(number, len(pages)),
                                  notes=slide.notes if number == 1 else []))
    return replace(deck, slides=slides)
