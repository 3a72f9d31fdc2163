"""Split a Markdown file into its YAML front matter and body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ContentError, Problem
from .yamlfile import key_lines, parse_yaml, read_text


@dataclass
class Source:
    path: Path
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line number of the body's first line in the file
    meta_lines: dict[tuple[str, ...], int] = field(default_factory=dict)
    text: str = ""  # the whole file

    def line_of(self, *key: str) -> int | None:
        """Line of a front-matter key, e.g. line_of("vocabulary", "deepfake")."""
        for n in range(len(key), 0, -1):
            if key[:n] in self.meta_lines:
                return self.meta_lines[key[:n]]
        return 1 if key else None


def read_source(path: Path, display: Path | str | None = None, required: bool = True) -> Source:
    """Parse ``path``; errors name ``display`` (a path relative to the project) when given.

    ``required=False``: a file without front matter (a plain page, a snippet) has empty ``meta``."""
    name = display or path
    text = read_text(path, name)
    lines = text.split("\n")
    if not required and (not lines or lines[0].strip() != "---"):
        return Source(Path(path), {}, text, 1, {}, text)
    if not lines or lines[0].strip() != "---":
        raise ContentError([Problem(name, "the file must start with a '---' line opening its front matter", 1,
                                    "Copy the front matter from an existing file of the same kind.")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError([Problem(name, "the front matter is never closed with a '---' line", 1)]) from None
    yaml_text = "\n".join(lines[1:end])
    meta = parse_yaml(yaml_text, name, line_offset=1)
    if not isinstance(meta, dict):
        raise ContentError([Problem(name, "the front matter must be 'key: value' lines", 2)])
    offsets = {k: v + 1 for k, v in key_lines(yaml_text).items()}
    return Source(Path(path), meta, "\n".join(lines[end + 1:]), end + 2, offsets, text)
