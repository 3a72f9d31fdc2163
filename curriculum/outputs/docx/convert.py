"""HTML to .docx: pandoc (pypandoc-binary ships it) with the reference document, then python-docx.

After pandoc, python-docx sets what pandoc leaves out or cannot express:
- the core properties: title, language, author (the district, or the site), subject;
- every bracketed note highlighted: counsel's notes ("[Counsel: ...]") in yellow, the district's
  choices ("[number]", "[date]") in turquoise, so a clerk finds each one, decides, and deletes it;
- each of the district's choices ("[date]"), and each blank (underlined space, or its caption
  "[name]"), a content control: a click selects it, and what is typed replaces it;
- the paper size and margins of every section.

Runs in the shared process pool (outputs/pool.py): each worker makes the reference document once.
"""

from __future__ import annotations

import copy
import io
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..pool import run_all
from . import reference
from .prepare import FILL_IN

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
BRACKETED = re.compile(r"\[[^\[\]]*[A-Za-z][^\[\]]*\]")
COUNSEL = re.compile(r"^\[\s*counsel\b", re.I)


@dataclass(frozen=True)
class Task:
    name: str
    html: str
    key: str
    title: str
    lang: str
    author: str
    subject: str
    paper: str = "letter"

    @property
    def weight(self) -> int:
        return len(self.html)


@dataclass
class Result:
    name: str
    key: str
    data: bytes = b""
    seconds: float = 0.0
    error: str = ""


_STATE: dict = {}


def pandoc_path() -> str:
    import pypandoc
    return pypandoc.get_pandoc_path()


def pandoc_version() -> str:
    import pypandoc
    return str(pypandoc.get_pandoc_version())


def init_worker(paper: str) -> None:
    """Make the reference document once per process (it depends only on pandoc and the paper)."""
    path = _STATE.get("reference")
    if path and _STATE.get("paper") == paper and os.path.exists(path):
        return
    handle, path = tempfile.mkstemp(prefix="fir-reference-", suffix=".docx")
    with os.fdopen(handle, "wb") as out:
        out.write(reference.make(pandoc_path(), paper, FILL_IN))
    _STATE.update(reference=path, paper=paper)


# -- python-docx post-processing ---------------------------------------------------------------------
def _runs(paragraph) -> list:
    from docx.oxml.ns import qn
    return [r for r in paragraph.iter(qn("w:r")) if r.find(qn("w:t")) is not None]


def _text(run) -> str:
    from docx.oxml.ns import qn
    return "".join(t.text or "" for t in run.iter(qn("w:t")))


def _split(run, at: int):
    """Split a run of one w:t at ``at`` characters; returns the second half (or None if it can't)."""
    from docx.oxml.ns import qn
    texts = run.findall(qn("w:t"))
    if len(texts) != 1 or any(c.tag not in (qn("w:rPr"), qn("w:t")) for c in run):
        return None
    value = texts[0].text or ""
    second = copy.deepcopy(run)
    texts[0].text, texts[0].attrib[XML_SPACE] = value[:at], "preserve"
    tail = second.find(qn("w:t"))
    tail.text, tail.attrib[XML_SPACE] = value[at:], "preserve"
    run.addnext(second)
    return second


def _control(runs: list, label: str) -> None:
    """Wrap ``runs`` (siblings, in order) in a content control showing them as its placeholder. A
    rich-text control: LibreOffice drops the formatting (underline, highlight) inside a plain-text one."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sdt = OxmlElement("w:sdt")
    properties = OxmlElement("w:sdtPr")
    alias, tag = OxmlElement("w:alias"), OxmlElement("w:tag")
    alias.set(qn("w:val"), label[:60])
    tag.set(qn("w:val"), "fill-in")
    properties.extend([alias, tag, OxmlElement("w:showingPlcHdr")])
    content = OxmlElement("w:sdtContent")
    runs[0].addprevious(sdt)
    sdt.extend([properties, content])
    content.extend(runs)


def blank_controls(document) -> int:
    """Every blank not yet in a control (one without a caption: underlined space) in one; returns how many."""
    from docx.oxml.ns import qn

    style_id = document.styles[FILL_IN].style_id
    count = 0
    for run in list(document.element.body.iter(qn("w:r"))):
        style = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        if style is not None and style.get(qn("w:val")) == style_id and run.getparent().tag != qn("w:sdtContent"):
            _control([run], "Fill in")
            count += 1
    return count


def mark_brackets(document) -> tuple[int, int]:
    """Highlight every bracketed note (tables included): counsel's in yellow, the district's choices
    in turquoise, each choice also a content control a clerk clicks and types over. A blank with a
    caption ("[name]") is such a choice. Returns (notes, controls)."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml.ns import qn

    notes = controls = 0
    for paragraph in list(document.element.body.iter(qn("w:p"))):
        runs = _runs(paragraph)
        full = "".join(_text(r) for r in runs)
        spans = [(m.start(), m.end(), COUNSEL.match(m.group(0)) is not None) for m in BRACKETED.finditer(full)]
        if not spans:
            continue
        cuts = sorted({edge for start, end, _ in spans for edge in (start, end)})
        at = 0
        for run in runs:                            # split runs at every bracket's start and end
            length = len(_text(run))
            piece, offset = run, at
            for cut in cuts:
                if offset < cut < at + length and piece is not None:
                    piece = _split(piece, cut - offset)
                    offset = cut
            at += length
        inside: list[list] = [[] for _ in spans]
        at = 0
        for run in _runs(paragraph):
            length = len(_text(run))
            for i, (start, end, _) in enumerate(spans):
                if length and start <= at and at + length <= end:
                    inside[i].append(run)
            at += length
        for (start, end, counsel), span_runs in zip(spans, inside, strict=True):
            if not span_runs:
                continue
            notes += 1
            for run in span_runs:
                run.get_or_add_rPr().highlight_val = WD_COLOR_INDEX.YELLOW if counsel else WD_COLOR_INDEX.TURQUOISE
            parent = span_runs[0].getparent()
            if not counsel and all(r.getparent() is parent for r in span_runs) \
                    and parent.tag in (qn("w:p"), qn("w:hyperlink")):
                _control(span_runs, full[start + 1:end - 1].strip())
                controls += 1
    return notes, controls


def finish(data: bytes, task: Task) -> bytes:
    from docx import Document
    from docx.shared import Inches

    document = Document(io.BytesIO(data))
    props = document.core_properties
    props.title, props.language, props.author = task.title, task.lang, task.author
    props.subject, props.keywords = task.subject, "editable copy"
    props.comments = "Made from the web page; highlighted text in brackets is for the district to decide and delete."
    mark_brackets(document)
    blank_controls(document)
    width, height = reference.PAPER[task.paper]
    for section in document.sections:
        section.page_width, section.page_height = Inches(width), Inches(height)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def convert_task(task: Task) -> Result:
    """One .docx: returns its bytes, or the error (never raises)."""
    import pypandoc

    started = time.perf_counter()
    handle, target = tempfile.mkstemp(prefix="fir-", suffix=".docx")
    os.close(handle)
    try:
        pypandoc.convert_text(task.html, "docx", format="html", outputfile=target,
                              extra_args=["--reference-doc", _STATE["reference"], "-M", f"lang={task.lang}"])
        with open(target, "rb") as made:
            data = finish(made.read(), task)
        return Result(task.name, task.key, data, time.perf_counter() - started)
    except Exception as error:                              # reported with the document's name
        return Result(task.name, task.key, seconds=time.perf_counter() - started,
                      error=f"{type(error).__name__}: {error}")
    finally:
        os.unlink(target)


def _failed(task: Task, message: str) -> Result:
    return Result(task.name, task.key, error=f"the Word copy: {message}")


def convert_all(tasks: Iterable[Task], paper: str, workers: int = 0, in_process_below: int = 3) -> Iterator[Result]:
    yield from run_all(list(tasks), init_worker, (paper,), convert_task, _failed, workers, in_process_below)
