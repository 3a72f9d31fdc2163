"""A deck as an editable .pptx (python-pptx): real slide layouts with title placeholders (outline
view and screen readers read them), 16:9, the site's font with a sans-serif fallback, body text at
28 pt (at least 24), dark text on white (contrast far above 4.5:1), the language set on every run,
and the speaker notes filled in.
"""

from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from . import fit
from .model import Deck, Slide, slide_title

TEXT = RGBColor(0x1B, 0x1B, 0x1B)       # on white: 17:1
TITLE = RGBColor(0x33, 0x1D, 0x66)      # the site's dark primary colour; on white: 13:1
BACKGROUND = RGBColor(0xFF, 0xFF, 0xFF)
LANGS = {"en": "en-US", "es": "es-US"}
TITLE_LAYOUT, CONTENT_LAYOUT = 0, 1     # "Title Slide" and "Title and Content" of python-pptx's template


def _place(shape, box: tuple[float, float, float, float]) -> None:
    shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in box)


def _style_run(run, size: int, bold: bool, colour: RGBColor, lang: str) -> None:
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = colour
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", lang)
    # The site's font; pitchFamily 34 (variable pitch, sans serif) makes a viewer without it fall back
    # to its own sans-serif font (Arial, Helvetica, Liberation Sans), never to a serif one.
    for tag in ("a:latin", "a:ea", "a:cs"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    for tag in ("a:latin", "a:cs"):
        element = etree.SubElement(rpr, qn(tag))
        element.set("typeface", fit.FONT_NAME)
        element.set("pitchFamily", "34")
        element.set("charset", "0")


def _fill(frame, paragraphs: list[str], size: int, bold: bool, colour: RGBColor, lang: str, bullets: bool) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Inches(fit.INSET_X)
    frame.margin_top = frame.margin_bottom = Inches(fit.INSET_Y)
    frame.clear()
    for index, text in enumerate(paragraphs or [""]):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_before = Pt(0)
        paragraph.space_after = Pt(fit.PARA_AFTER_PT)
        paragraph.line_spacing = 1.0
        ppr = paragraph._p.get_or_add_pPr()
        indent = Emu(Inches(fit.BULLET_INDENT)) if bullets else 0
        ppr.set("marL", str(int(indent)))
        ppr.set("indent", str(-int(indent)))
        if not bullets:
            for old in ppr.findall(qn("a:buNone")):
                ppr.remove(old)
            etree.SubElement(ppr, qn("a:buNone"))
        run = paragraph.add_run()
        run.text = text
        _style_run(run, size, bold, colour, lang)


def _background(slide) -> None:
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = BACKGROUND


def _add(prs, slide: Slide, lang: str) -> None:
    if slide.kind == "title":
        page = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
        title, subtitle = page.shapes.title, page.placeholders[1]
        _place(title, fit.TITLE_SLIDE_TITLE)
        _place(subtitle, fit.TITLE_SLIDE_SUB)
        _fill(title.text_frame, [slide_title(slide)], fit.title_size(slide), True, TITLE, lang, False)
        _fill(subtitle.text_frame, slide.subtitle.split("\n"), fit.SUBTITLE_PT, False, TEXT, lang, False)
        title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        subtitle.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    else:
        page = prs.slides.add_slide(prs.slide_layouts[CONTENT_LAYOUT])
        title, body = page.shapes.title, page.placeholders[1]
        _place(title, fit.TITLE_BOX)
        _place(body, fit.BODY_BOX)
        _fill(title.text_frame, [slide_title(slide)], fit.title_size(slide), True, TITLE, lang, False)
        title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        _fill(body.text_frame, slide.body, fit.BODY_PT, False, TEXT, lang, slide.bullets)
        body.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    _background(page)
    notes = page.notes_slide.notes_text_frame
    notes.text = "\n\n".join(slide.notes) if slide.notes else slide_title(slide)


def pptx_bytes(deck: Deck) -> bytes:
    """The .pptx file of a paginated deck (see fit.paginate)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(fit.SLIDE_W), Inches(fit.SLIDE_H)
    lang = LANGS.get(deck.lang, deck.lang)
    props = prs.core_properties
    props.title = deck.title
    props.language = lang
    props.subject = deck.label
    props.author = "Fake Images, Real Harm"
    props.comments = f"Made from {deck.source}; edit the lesson, not this file, to change every copy."
    for slide in deck.slides:
        _add(prs, slide, lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
