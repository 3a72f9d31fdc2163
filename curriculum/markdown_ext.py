"""A Python-Markdown extension (listed in mkdocs.yml's markdown_extensions as ``curriculum.markdown_ext``).

Column alignment in a Markdown table (``|:-:|``) comes out of Python-Markdown as a style attribute,
``<td style="text-align: center;">``. The Content-Security-Policy in deploy/nginx.conf allows no inline
styles, so a browser would ignore the alignment (and report a violation); the alternative,
``align="center"``, is obsolete HTML. This turns the alignment into a class, ``fir-align-center``,
which site.css and print.css style.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

ALIGN = re.compile(r"^\s*text-align:\s*(left|center|right)\s*;?\s*$")


class TableAlignClasses(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for cell in root.iter():
            if cell.tag not in ("th", "td"):
                continue
            match = ALIGN.match(cell.get("style", ""))
            if match:
                del cell.attrib["style"]
                cell.set("class", " ".join(filter(None, [cell.get("class"), f"fir-align-{match[1]}"])))


class CurriculumMarkdown(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After the table parser (a block processor), before serialization; priority is arbitrary.
        md.treeprocessors.register(TableAlignClasses(md), "curriculum_table_align", 5)


def makeExtension(**kwargs) -> CurriculumMarkdown:  # noqa: N802 - Python-Markdown's name
    return CurriculumMarkdown(**kwargs)
