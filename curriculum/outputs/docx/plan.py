"""Which pages get a Word copy: those whose front matter says ``word: true``.

A handout's ``word`` is checked with the rest of its front matter (schemas.HandoutMeta); a page of
docs/ has no other schema, so its ``word`` and ``lang`` are checked here (schemas.PageMeta). The file is
``docx/<file stem>.docx``; its language comes from the page: ``lang`` in the front matter, else a
language suffix in the file name (``letter.es.md``), else English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from pydantic import ValidationError

from ...errors import Problem
from ...rules import Document
from ...schemas import PageMeta
from ...words import words

SUFFIX_LANG = re.compile(r"\.(?P<lang>[a-z]{2})\.md$")


@dataclass
class DocxJob:
    name: str             # file name under site/docx/, e.g. family-letter-k-2.docx
    src_uri: str          # the page it is made from, e.g. handouts/family-letter-k-2.md
    source: str           # the file a district editor changes, named in messages
    lang: str = "en"
    form: str = ""        # a handout's kind (survey, letter, ...): surveys get numbered questions
    title: str = ""       # filled in by compose, from the rendered page
    html: str = ""        # the prepared HTML (filled in by compose)
    key: str = ""         # content hash (filled in by compose)

    @property
    def button(self) -> str:
        return words(self.lang)["download_docx"]

    @property
    def file(self) -> str:
        return f"docx/{self.name}"

    @property
    def weight(self) -> int:
        return len(self.html)


def page_lang(path: str, meta: Mapping) -> str:
    """The language of a page: its front matter's ``lang``, else its file name's suffix, else English."""
    lang = meta.get("lang")
    if isinstance(lang, str) and lang:
        return lang
    match = SUFFIX_LANG.search(path)
    return match["lang"] if match else "en"


def plan_jobs(documents: Mapping[str, Document]) -> tuple[list[DocxJob], list[Problem]]:
    """A job for every page marked ``word: true`` (``documents``: src_uri -> its Markdown source)."""
    jobs: list[DocxJob] = []
    problems: list[Problem] = []
    for src_uri, doc in sorted(documents.items()):
        if doc.kind == "page" and ("word" in doc.meta or "lang" in doc.meta):
            try:
                PageMeta.model_validate(doc.meta)
            except ValidationError as error:
                for item in error.errors():
                    field = ".".join(str(p) for p in item["loc"])
                    problems.append(Problem(doc.path, f"front-matter field '{field}': "
                                            f"{item['msg'].removeprefix('Value error, ')}", doc.line_of(field),
                                            "word: true makes a Word copy of the page; leave it out for none."))
                continue
        if doc.meta.get("word") is not True or doc.kind not in ("page", "handout"):
            continue
        stem = PurePosixPath(src_uri).name.removesuffix(".md")
        jobs.append(DocxJob(name=f"{stem}.docx", src_uri=src_uri, source=doc.path,
                            lang=page_lang(doc.path, doc.meta), form=str(doc.meta.get("kind") or "")))
    seen: dict[str, DocxJob] = {}
    for job in jobs:
        if job.name in seen:
            problems.append(Problem(job.source, f"its Word copy would be docx/{job.name}, the same file as "
                                    f"the one of {seen[job.name].source}", hint="Rename one of the two files."))
        seen[job.name] = job
    return jobs, problems
