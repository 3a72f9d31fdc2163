"""The content rules, run by the build on every Markdown source (and, where a rule needs it, on the
rendered page), so `make site` on a district's copy stops the same mistakes `make test` does.

A rule is a small function from one document to the problems in it, each naming the file and line
(``Rule`` below). The rules, one module each:

- ``single_source``:  phone numbers, text codes and web addresses typed by hand, outside a macro;
- ``terms``:          banned terms ("revenge porn", "child pornography"), statute and organization
                      names excepted;
- ``csam``:           "child sexual abuse material (CSAM)" spelled out where a page first says CSAM;
- ``image_handling``: telling a reader to view, save, screenshot, forward, print or delete an image;
- ``reading``:        the reading level of the family pages and handouts (on the rendered text);
- ``crisis``:         Take It Down offered with its limits, the 48-hour removal request offered to
                      families, and no script that asserts an image is fake;
- ``blanks``:         write-in blanks written ``{{ blank() }}``, never as underscores (a line of only
                      underscores is a horizontal rule in Markdown).

A page may switch a rule off, only with a reason, which the build prints every time::

    allow:
      single-source: "Quotes the statute's citation, which looks like a phone number."
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, Problem
from ..frontmatter import read_source
from ..i18n import split
from ..registry import Registry

# The folders of a project whose Markdown the rules read, and the audience of each docs/ folder.
CONTENT_FOLDERS = ("docs", "lessons", "handouts", "snippets")
DOCS_AUDIENCE = {"families": "families", "staff": "staff", "teachers": "teachers"}


@dataclass
class Document:
    """One Markdown source, as the rules see it."""

    path: str                   # named in messages, relative to the project: docs/families/x.md
    text: str                   # the whole file, front matter included (line numbers count from it)
    meta: dict = field(default_factory=dict)
    kind: str = "page"          # page | lesson | handout | snippet
    audience: str | None = None  # students | families | staff | teachers
    lang: str = "en"
    meta_lines: dict = field(default_factory=dict)     # front-matter key path -> line

    def line_of(self, *key: str) -> int:
        for n in range(len(key), 0, -1):
            if key[:n] in self.meta_lines:
                return self.meta_lines[key[:n]]
        return 1

    @property
    def allowed(self) -> dict:
        value = self.meta.get("allow") or {}
        return value if isinstance(value, dict) else {}


@dataclass
class Rendered:
    """A document after MkDocs and the macros: its content HTML (what a reader sees)."""

    document: Document
    html: str


@dataclass(frozen=True)
class Context:
    registry: Registry
    snippets: Mapping[str, str] = field(default_factory=dict)    # file name -> text, for includes


def snippets_of(documents: Iterable[Document]) -> dict[str, str]:
    """The text of every snippet, by file name (as pages include them)."""
    return {Path(d.path).name: d.text for d in documents if d.kind == "snippet"}


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str                  # printed with each problem's hint
    check: Callable               # (Document | Rendered, Context) -> Iterable[Problem]
    applies: Callable[[Document], bool] = lambda document: True
    rendered: bool = False        # runs on the rendered page instead of the Markdown


def _rules() -> list[Rule]:
    from . import blanks, crisis, csam, image_handling, reading, single_source, terms
    return [single_source.RULE, terms.RULE, csam.RULE, image_handling.RULE, reading.RULE,
            crisis.CAVEAT_RULE, crisis.REQUEST_RULE, crisis.FAKE_RULE, blanks.RULE]


RULES: list[Rule] = []


def all_rules() -> list[Rule]:
    if not RULES:
        RULES.extend(_rules())
    return RULES


def rule_ids() -> list[str]:
    return [rule.id for rule in all_rules()]


# -- reading the sources -------------------------------------------------------------------------
def document(path: Path, root: Path) -> Document:
    """One Markdown file under ``root`` (or in a folder named like one of CONTENT_FOLDERS), with what
    the rules need to know about it."""
    display = path.relative_to(root).as_posix() if path.is_relative_to(root) else \
        path.relative_to(path.parent.parent).as_posix()
    source = read_source(path, display, required=False)
    folder = Path(display).parts[0]
    meta = source.meta
    suffix_lang = split(Path(display).name)[1]
    lines = source.meta_lines
    if folder == "lessons":
        return Document(display, source.text, meta, "lesson", "teachers", "en", lines)
    if folder == "handouts":
        return Document(display, source.text, meta, "handout", meta.get("audience"),
                        meta.get("lang", suffix_lang), lines)
    if folder == "snippets":
        return Document(display, source.text, meta, "snippet", None, "es" if display.endswith("-es.md") else "en")
    parts = Path(display).parts
    audience = DOCS_AUDIENCE.get(parts[1]) if len(parts) > 2 else None
    return Document(display, source.text, meta, "page", audience, str(meta.get("lang", suffix_lang)), lines)


def documents(root: Path, folders: Iterable[str] = CONTENT_FOLDERS) -> tuple[list[Document], list[Problem]]:
    """Every Markdown source under the given folders of ``root``; unreadable files are problems."""
    found, problems = [], []
    for folder in folders:
        for path in sorted((root / folder).resolve().rglob("*.md")):
            try:
                found.append(document(path, root))
            except ContentError as error:
                problems.extend(error.problems)
    return found, problems


# -- running the rules ---------------------------------------------------------------------------
@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)       # rules a page switched off, with the reason


def _allowance_problems(doc: Document) -> list[Problem]:
    value = doc.meta.get("allow")
    if value is None:
        return []
    if not isinstance(value, dict):
        return [Problem(doc.path, "front-matter field 'allow' must map rule names to reasons", doc.line_of("allow"),
                        'For example:  allow: {single-source: "why this page needs it"}. '
                        f"Rules: {', '.join(rule_ids())}.")]
    problems = []
    for rule, reason in value.items():
        if rule not in rule_ids():
            close = difflib.get_close_matches(str(rule), rule_ids(), n=2)
            guess = f" (did you mean {', '.join(close)}?)" if close else ""
            problems.append(Problem(doc.path, f"'allow' names an unknown rule '{rule}'{guess}",
                                    doc.line_of("allow", rule),
                                    f"Rules: {', '.join(rule_ids())}."))
        elif not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(doc.path, f"'allow: {rule}' needs a reason: say why this page may break the rule",
                                    doc.line_of("allow", rule), "The build prints the reason every time it runs."))
    return problems


def run(docs: Iterable[Document | Rendered], context: Context, rendered: bool = False) -> Outcome:
    """Run every rule of the stage (Markdown, or ``rendered`` pages) on every document."""
    outcome = Outcome()
    for item in docs:
        doc = item.document if isinstance(item, Rendered) else item
        if not rendered:
            outcome.problems += _allowance_problems(doc)
        for rule in all_rules():
            if rule.rendered != rendered or not rule.applies(doc):
                continue
            reason = doc.allowed.get(rule.id)
            if isinstance(reason, str) and reason.strip():
                outcome.notes.append(f"{doc.path}: rule '{rule.id}' is switched off for this page: {reason.strip()}")
                continue
            outcome.problems += list(rule.check(item, context))
    return outcome
