"""The site's config file (mkdocs.yml, or a district file that INHERITs it), read the way an editor
sees it: which file says what, on which line. MkDocs reads the config itself; this module checks
what MkDocs would accept silently (a duplicate key, another encoding, a district file that forgot
its INHERIT line), and says which file and line a district field comes from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ContentError, Problem
from .yamlfile import duplicate_keys, key_lines, read_text

MAIN_CONFIG = "mkdocs.yml"


class _AnyTag(yaml.SafeLoader):
    """Reads a config file whatever its tags (``!ENV``, ``!relative``): only its plain keys matter here."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass
class ConfigFile:
    path: Path
    display: str                   # as messages name it: relative to the working folder when inside it
    data: dict
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)


def display_name(path: Path) -> str:
    resolved = path.resolve()
    cwd = Path.cwd().resolve()
    return resolved.relative_to(cwd).as_posix() if resolved.is_relative_to(cwd) else str(resolved)


def chain(config: Path) -> list[ConfigFile]:
    """The config file and every file it INHERITs, the file itself first. Raises ContentError naming
    the file for another encoding, a duplicate key, unreadable YAML or a missing parent."""
    files: list[ConfigFile] = []
    path: Path | None = config
    while path is not None and len(files) < 10:
        display = display_name(path)
        if not path.is_file():
            raise ContentError([Problem(display, "this config file is missing")], "the site's config")
        text = read_text(path, display)
        problems = duplicate_keys(text, display)
        if problems:
            raise ContentError(problems, "the site's config")
        try:
            data = yaml.load(text, Loader=_AnyTag) or {}  # noqa: S506 (a SafeLoader subclass)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise ContentError([Problem(display, f"the YAML cannot be read: {getattr(error, 'problem', None) or error}",
                                        mark.line + 1 if mark else None,
                                        "Check indentation, colons and quotes on that line.")],
                               "the site's config") from None
        if not isinstance(data, dict):
            raise ContentError([Problem(display, "a config file must be 'key: value' lines", 1)], "the site's config")
        files.append(ConfigFile(path, display, data, key_lines(text)))
        parent = data.get("INHERIT")
        path = Path(os.path.normpath(path.parent / parent)) if isinstance(parent, str) else None
        if path is not None and not path.is_file():
            raise ContentError([Problem(display, f"INHERIT names '{parent}', which does not exist",
                                        files[-1].lines.get(("INHERIT",)),
                                        f"Write 'INHERIT: {MAIN_CONFIG}' (the path is relative to this file).")],
                               "the site's config")
    return files


def missing_inherit(files: list[ConfigFile]) -> Problem | None:
    """A district file that does not start from mkdocs.yml: without the INHERIT line MkDocs builds a bare
    site with none of the curriculum's plugins, and prints dozens of unrelated warnings."""
    first = files[0]
    if first.path.name == MAIN_CONFIG or "INHERIT" in first.data or "plugins" in first.data:
        return None
    return Problem(first.display, f"this district file has no 'INHERIT: {MAIN_CONFIG}' line", 1,
                   f"Add the line 'INHERIT: {MAIN_CONFIG}' at the top (see district.example.yml): "
                   "a district file changes only what differs from the main config.")


def where_set(files: list[ConfigFile], *key: str) -> tuple[str, int | None]:
    """(file, line) of the file in the chain that sets ``key`` (the nearest wins, as in MkDocs)."""
    for file in files:
        if key in file.lines:
            return file.display, file.lines[key]
    for n in range(len(key) - 1, 0, -1):       # not set anywhere: the nearest enclosing key
        for file in files:
            if key[:n] in file.lines:
                return file.display, file.lines[key[:n]]
    return files[0].display, None
