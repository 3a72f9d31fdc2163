"""The reference document pandoc takes its styles from: pandoc's own default, with a few edits.

Made at build time (never committed as a binary), so it follows the pinned pandoc; its cache key is
pandoc's version and this file. The edits: a plain sans-serif body a district can restyle, the
character style of a fill-in blank (underlined), and the paper size.
"""

from __future__ import annotations

import io
import subprocess

PAPER = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}      # inches
BODY_FONT = "Arial"           # on every Windows and Mac machine; LibreOffice uses a metric twin


def pandoc_default(pandoc: str) -> bytes:
    return subprocess.run([pandoc, "--print-default-data-file", "reference.docx"], check=True,
                          capture_output=True, timeout=60).stdout


def make(pandoc: str, paper: str, fill_in: str) -> bytes:
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Inches, Pt

    doc = Document(io.BytesIO(pandoc_default(pandoc)))
    styles = doc.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        if name in [s.name for s in styles]:
            styles[name].font.name = BODY_FONT
    styles["Normal"].font.size = Pt(11)
    for level in (1, 2, 3, 4):
        styles[f"Heading {level}"].font.name = BODY_FONT
    blank = styles.add_style(fill_in, WD_STYLE_TYPE.CHARACTER)
    blank.base_style = styles["Default Paragraph Font"] if "Default Paragraph Font" in [s.name for s in styles] \
        else None
    blank.font.underline = True
    width, height = PAPER[paper]
    for section in doc.sections:
        section.page_width, section.page_height = Inches(width), Inches(height)
        section.left_margin = section.right_margin = Inches(0.9)
        section.top_margin = section.bottom_margin = Inches(0.8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
