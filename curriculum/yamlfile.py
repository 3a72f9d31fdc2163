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


class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice (plain YAML keeps the last one, so a
    registry entry copied and not renamed would silently replace the first)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        duplicate = first_duplicate(node)
        if duplicate is not None:
            raise DuplicateKey(*duplicate)
        return super().construct_mapping(node, deep=deep)


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, line: int, first: int):
        self.key, self.line, self.first = key, line, first
        super().__init__(f"the key '{key}' appears twice (lines {first} and {line})")


def first_duplicate(node: yaml.MappingNode) -> tuple[str, int, int] | None:
    """(key, line, first line) of the first key of ``node`` given twice, 1-based; merge keys aside."""
    seen: dict[str, int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        line = key.start_mark.line + 1
        if key.value in seen:
            return key.value, line, seen[key.value]
        seen[key.value] = line
    return None


def duplicate_keys(text: str, path: Path | str, line_offset: int = 0) -> list[Problem]:
    """Every duplicate key in a YAML text, at any depth, without constructing it: works on files with
    tags only MkDocs knows (``!ENV``, ``!relative``), such as mkdocs.yml and a district file."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []       # a syntax error is reported by whoever parses the file
    problems: list[Problem] = []

    def walk(node: yaml.Node | None) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    line = key.start_mark.line + 1 + line_offset
                    if key.value in seen:
                        problems.append(_duplicate_problem(path, key.value, line, seen[key.value]))
                    seen.setdefault(key.value, line)
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(root)
    return problems


def _duplicate_problem(path: Path | str, key: str, line: int, first: int) -> Problem:
    return Problem(path, f"the key '{key}' appears twice (first on line {first}); YAML would silently keep only "
                   "the last one", line, "Rename the copy, or delete one of the two.")


def parse_yaml(text: str, path: Path | str, line_offset: int = 0) -> Any:
    """Parse YAML, turning a syntax error or a duplicate key into a Problem that names the file and line."""
    duplicates = duplicate_keys(text, path, line_offset)
    if duplicates:
        raise ContentError(duplicates)
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        reason = getattr(error, "problem", None) or str(error)
        raise ContentError([Problem(path, f"the YAML cannot be read: {reason}", line,
                                    "Check indentation, colons and quotes on that line.")]) from None


def load_yaml_file(path: Path, display: Path | str | None = None) -> tuple[Any, dict[tuple[str, ...], int]]:
    """A YAML file's data and key lines; problems name ``display`` (the path as the editor knows it)."""
    name = display or path
    if not path.is_file():
        raise ContentError([Problem(name, "this file is missing",
                                    hint="Restore it from the repository, or fix the path in mkdocs.yml.")])
    text = read_text(path, name)
    return parse_yaml(text, name), key_lines(text)
