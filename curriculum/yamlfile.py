"""YAML loading that remembers line numbers, so errors can point at the line to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem


def read_text(path: Path, display: Path | str | None = None) -> str:
    """A source file's text. A file saved in another encoding is a Problem naming the file and the byte;
    a UTF-8 byte-order mark (some Windows editors add one) is accepted and dropped."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ContentError([Problem(display or path, f"the file is not UTF-8 text: byte 0x{data[error.start]:02x} "
                                    f"at position {error.start} cannot be read", line,
                                    "Save it as UTF-8 (in most editors: Save As, Encoding: UTF-8).")]) from None


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each mapping key path, e.g. ("resources", "988-lifeline", "phone"), to its 1-based line."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, str(key.value))
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, str(index))] = item.start_mark.line + 1
                walk(item, (*path, str(index)))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, ())
    return lines


def parse_yaml(text: str, path: Path | str, line_offset: int = 0) -> Any:
    """Parse YAML, turning a syntax error into a Problem that names the file and line."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        reason = getattr(error, "problem", None) or str(error)
        raise ContentError([Problem(path, f"the YAML cannot be read: {reason}", line,
                                    "Check indentation, colons and quotes on that line.")]) from None


def load_yaml_file(path: Path) -> tuple[Any, dict[tuple[str, ...], int]]:
    if not path.is_file():
        raise ContentError([Problem(path, "this file is missing",
                                    hint="Restore it from the repository, or fix the path in mkdocs.yml.")])
    text = read_text(path)
    return parse_yaml(text, path), key_lines(text)
