"""Collect and check the lessons and handouts: front matter, required sections, minutes,
the shared disclosure protocol and the reading level of the words said to students."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import textstat

from . import blocks
from .errors import ContentError, Problem
from .frontmatter import Source, read_source
from .schemas import BAND_MAX_GRADE, BAND_MINUTES, BANDS, HandoutMeta, LessonMeta, meta_problems
from .yamlfile import read_text

DISCLOSURE_SNIPPET = "disclosure-protocol.md"
DISCLOSURE_INCLUDE = '{% include "' + DISCLOSURE_SNIPPET + '" %}'
SECTIONS = ("Overview", "Before you teach", "Warm-up", "Activities", "Wrap-up",
            "Check for understanding", "Family connection")
TIMED = ("Warm-up", "Activities", "Wrap-up")

H2 = re.compile(r"^## +(?P<title>.+?) *$")
TIMED_TITLE = re.compile(r"^(?P<name>Warm-up|Activities|Wrap-up) \((?P<min>\d+) min\)$")


@dataclass
class Section:
    title: str
    line: int
    text: str
    minutes: int | None = None
    lines: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Lesson:
    path: Path            # relative to the project root, e.g. lessons/k-2/01-my-pictures.md
    meta: LessonMeta
    sections: dict[str, Section]
    say_text: str
    reading_grade: float

    @property
    def slug(self) -> str:
        return self.path.stem

    @property
    def band(self) -> str:
        return self.meta.band

    @property
    def family_connection(self) -> str:
        return self.sections["Family connection"].text.strip()


@dataclass
class Handout:
    path: Path
    meta: HandoutMeta

    @property
    def slug(self) -> str:
        return self.path.stem


@dataclass
class Content:
    lessons: list[Lesson] = field(default_factory=list)
    handouts: dict[str, Handout] = field(default_factory=dict)

    def lesson_at(self, src_uri: str) -> Lesson | None:
        """The lesson whose file is ``src_uri`` (e.g. "lessons/k-2/01-x.md"), if any."""
        return next((lesson for lesson in self.lessons if lesson.path.as_posix() == src_uri), None)

    def handout_at(self, src_uri: str) -> Handout | None:
        return next((h for h in self.handouts.values() if h.path.as_posix() == src_uri), None)

    def band(self, band: str) -> list[Lesson]:
        return sorted((lesson for lesson in self.lessons if lesson.band == band), key=lambda lesson: lesson.meta.order)


def _body_lines(source: Source):
    """(line number, text) for body lines outside fenced code."""
    return blocks.outside_code(blocks.numbered(source.body, source.body_line))


def plain_words(markdown: str) -> str:
    """Markdown to the plain sentences a reader hears, for readability scoring."""
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`>#|]", "", text)
    text = re.sub(r"^\s*(?:[-+]|\d+\.)\s+", "", text, flags=re.M)
    return re.sub(r"\s+", " ", text).strip()


def reading_grade(text: str) -> float:
    return round(textstat.flesch_kincaid_grade(text), 1) if text else 0.0


def _sections(source: Source, display: str, problems: list[Problem]) -> dict[str, Section]:
    sections: list[Section] = []
    for number, text in _body_lines(source):
        match = H2.match(text)
        if match:
            sections.append(Section(match["title"], number, ""))
        elif sections:
            sections[-1].text += text + "\n"
            sections[-1].lines.append((number, text))
    named: dict[str, Section] = {}
    for s in sections:
        timed = TIMED_TITLE.match(s.title)
        name = timed["name"] if timed else s.title
        if timed:
            s.minutes = int(timed["min"])
        elif s.title.split(" (")[0] in TIMED:
            problems.append(Problem(display, f"section '## {s.title}' must give its minutes, "
                                    f"like '## {s.title.split(' (')[0]} (10 min)'", s.line))
            name = s.title.split(" (")[0]
        if name not in SECTIONS:
            problems.append(Problem(display, f"unexpected section '## {s.title}'", s.line,
                                    f"A lesson has exactly these sections, in order: {', '.join(SECTIONS)}. "
                                    "Use '###' for a sub-heading."))
        elif name in named:
            problems.append(Problem(display, f"section '## {name}' appears twice", s.line))
        else:
            named[name] = s
    missing = [n for n in SECTIONS if n not in named]
    for name in missing:
        problems.append(Problem(display, f"the lesson has no '## {name}' section", source.body_line,
                                f"Sections, in order: {', '.join(SECTIONS)}."))
    present = [n for n in named if n in SECTIONS]
    expected = [n for n in SECTIONS if n in named]
    if present != expected:
        first_wrong = next(n for n, e in zip(present, expected, strict=True) if n != e)
        problems.append(Problem(display, f"section '## {first_wrong}' is out of order", named[first_wrong].line,
                                f"Sections, in order: {', '.join(SECTIONS)}."))
    return named


def check_lesson(path: Path, root: Path, handouts: dict[str, Handout],
                 snippets: Mapping[str, str] | None = None) -> tuple[Lesson | None, list[Problem]]:
    display = path.relative_to(root).as_posix()
    source = read_source(path, display)
    snippets = snippets or {}
    meta, problems = meta_problems(source, LessonMeta, display)
    sections = _sections(source, display, problems)
    if meta is None:
        return None, problems

    folder = path.parent.name
    if folder != meta.band:
        problems.append(Problem(display, f"the lesson is in lessons/{folder}/ but says band '{meta.band}'",
                                source.line_of("band"), "Move the file, or fix 'band'."))
    low, high = BAND_MINUTES[meta.band]
    if not low <= meta.duration <= high:
        problems.append(Problem(display, f"duration {meta.duration} min is outside {low}-{high} min for "
                                f"{BANDS[meta.band]}", source.line_of("duration")))
    for slug in meta.handouts:
        if slug not in handouts:
            problems.append(Problem(display, f"unknown handout '{slug}'", source.line_of("handouts"),
                                    f"Handouts are the files in handouts/ (without .md). Known: "
                                    f"{', '.join(sorted(handouts)) or 'none yet'}."))
    timed = [sections[n] for n in TIMED if n in sections and sections[n].minutes is not None]
    if len(timed) == len(TIMED):
        total = sum(s.minutes or 0 for s in timed)
        if total != meta.duration:
            parts = " + ".join(f"{s.title.split(' (')[0]} {s.minutes}" for s in timed)
            problems.append(Problem(display, f"section minutes add up to {total} ({parts}), "
                                    f"but duration is {meta.duration}", timed[0].line,
                                    "Change the minutes in the headings, or 'duration'."))
    before = sections.get("Before you teach")
    if before is not None and DISCLOSURE_INCLUDE not in before.text:
        problems.append(Problem(display, "'## Before you teach' does not include the disclosure protocol",
                                before.line, f"Add this line to the section: {DISCLOSURE_INCLUDE}"))

    # Snippets a Say block includes are read out too: score them with it.
    says = [(b.line, blocks.expand_includes(b.text, snippets)) for b in blocks.blocks(_body_lines(source))
            if b.has(blocks.SAY)]
    for name in ("Warm-up", "Wrap-up"):
        section = sections.get(name)
        if section is not None and not any(b.has(blocks.SAY) for b in blocks.blocks(section.lines)):
            problems.append(Problem(display, f"'## {section.title}' has no Say block", section.line,
                                    'Put the words for students in a block that starts with "!!! say".'))
    say_text = " ".join(plain_words(text) for _, text in says)
    grade = reading_grade(say_text)
    limit = BAND_MAX_GRADE[meta.band]
    if grade > limit:
        hardest = max(says, key=lambda s: reading_grade(plain_words(s[1])))
        problems.append(Problem(display, f"the Say blocks read at grade {grade} (Flesch-Kincaid); "
                                f"{BANDS[meta.band]} allows at most {limit}", hardest[0],
                                "Use shorter sentences and shorter words. The hardest block starts here."))
    return Lesson(Path(display), meta, sections, say_text, grade), problems


def check_handout(path: Path, root: Path) -> tuple[Handout | None, list[Problem]]:
    display = path.relative_to(root).as_posix()
    source = read_source(path, display)
    meta, problems = meta_problems(source, HandoutMeta, display)
    if meta is None:
        return None, problems
    if meta.audience == "students":
        for block in blocks.blocks(_body_lines(source)):
            if block.teacher_only:
                kind = sorted(block.classes & blocks.TEACHER_ONLY)[0]
                problems.append(Problem(display, f"a student handout contains a teacher-only '{kind}' block",
                                        block.line, "Move teacher notes into the lesson plan."))
        for number, text in _body_lines(source):
            heading = H2.match(text)
            if heading and heading["title"].startswith(("Before you teach", "Facilitator")):
                problems.append(Problem(display, "a student handout contains a teacher-only section", number))
    return Handout(Path(display), meta), problems


def collect(root: Path, lessons_dir: str = "lessons", handouts_dir: str = "handouts",
            snippets_dir: str = "snippets") -> Content:
    """Read every lesson and handout under ``root``; raise one ContentError listing all problems."""
    problems: list[Problem] = []
    content = Content()
    for path in sorted((root / handouts_dir).glob("*.md")):
        if path.name == "index.md":
            continue
        try:
            handout, found = check_handout(path, root)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        problems.extend(found)
        if handout:
            content.handouts[handout.slug] = handout
    lesson_root = root / lessons_dir
    snippets = {p.name: read_text(p, p.relative_to(root).as_posix() if p.is_relative_to(root) else p)
                for p in sorted((root / snippets_dir).glob("*.md"))}
    for path in sorted(lesson_root.glob("*/*.md")):
        if path.name == "index.md" or path.name == "glossary.md":
            continue
        if path.parent.name not in BANDS:
            problems.append(Problem(path.relative_to(root).as_posix(),
                                    f"unknown band folder '{path.parent.name}'", None,
                                    f"Lessons live in lessons/<band>/, band one of: {', '.join(BANDS)}."))
            continue
        try:
            lesson, found = check_lesson(path, root, content.handouts, snippets)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        problems.extend(found)
        if lesson:
            content.lessons.append(lesson)
    seen: dict[tuple[str, int], Lesson] = {}
    for lesson in content.lessons:
        key = (lesson.band, lesson.meta.order)
        if key in seen:
            problems.append(Problem(lesson.path.as_posix(), f"order {lesson.meta.order} is also used by "
                                    f"{seen[key].path.as_posix()}", None))
        seen[key] = lesson
    if problems:
        raise ContentError(problems)
    return content
