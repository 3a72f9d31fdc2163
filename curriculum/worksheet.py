"""What worksheets print besides words: write-in blanks and outline icons to colour.

Pure functions returning HTML, called by the macros (``{{ blank() }}``, ``{{ icon("cat") }}``) and
styled by overrides/assets/stylesheets/site.css (web) and overrides/print/print.css (paper).

- A **blank** is one way to write a write-in line: ``{{ blank() }}`` in a sentence, a list item or
  a table cell; ``{{ blank("long") }}`` for a longer one; ``{{ blank(lines=3) }}`` for three full
  writing lines under a question; ``hint=`` prints a small caption under the line ("name", "phone").
  Never underscores: a list item or line of only underscores is a horizontal rule in Markdown (the
  ``blanks`` rule stops the build on one).
- An **icon** is one of the Material Design Icons that ship with the theme (mkdocs-material's
  ``.icons/material``, Pictogrammers Free License: the icons are Apache 2.0), inlined as SVG and drawn
  as an outline, so a child can colour it and nothing is fetched. Objects and animals only: never an
  icon of a person (``PEOPLE`` lists the names that are refused).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from importlib.util import find_spec
from pathlib import Path

BLANK_WIDTHS = ("short", "medium", "long")
ICON_SIZES = {"small": 0.0, "medium": 0.45, "large": 0.3}    # size -> outline width in icon units (24 a side)
MAX_LINES = 12
# Icon names that draw a person (or a part of one other than a hand): never on a child's sheet.
PEOPLE = re.compile(r"^(?:account|human|face|baby|mother|father|family|person|emoticon|head|woman|man|"
                    r"gender|run|walk|yoga|karate|swim|ski|hiking|meditation|seat|wheelchair|star-face|"
                    r"teach|podium|doctor|nurse|police|dance|tooth|skull|bed-|bathtub)", re.I)


def blank(width: str = "medium", lines: int | None = None, hint: str = "") -> str:
    """A write-in blank: a line inside text, or ``lines`` full writing lines (at least 0.3 in apart)."""
    if lines is not None:
        if not isinstance(lines, int) or not 1 <= lines <= MAX_LINES:
            raise ValueError(f"blank(lines=...) must be a whole number from 1 to {MAX_LINES}, not {lines!r}")
        inner = '<span class="fir-blank-line"></span>' * lines
        caption = f'<span class="fir-blank-hint">{escape(hint)}</span>' if hint else ""
        return f'<span class="fir-blank-lines" data-lines="{lines}">{inner}{caption}</span>'
    if width not in BLANK_WIDTHS:
        raise ValueError(f"blank() width must be one of {', '.join(BLANK_WIDTHS)}, not {width!r}")
    caption = f'<span class="fir-blank-hint">{escape(hint)}</span>' if hint else ""
    return f'<span class="fir-blank fir-blank-{width}">{caption}</span>'


@lru_cache(maxsize=1)
def icon_folder() -> Path:
    """The Material Design Icons that mkdocs-material ships (found without importing the theme)."""
    spec = find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("mkdocs-material is not installed, so its icons cannot be found")
    return Path(next(iter(spec.submodule_search_locations))) / "templates" / ".icons" / "material"


@lru_cache(maxsize=256)
def _icon_paths(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name or ""):
        raise ValueError(f"icon() takes the name of a Material icon, like 'cat' or 'home', not {name!r}")
    if PEOPLE.match(name):
        raise ValueError(f"icon '{name}' draws a person: the curriculum never shows pictures of people")
    path = icon_folder() / f"{name}.svg"
    if not path.is_file():
        raise ValueError(f"there is no Material icon named '{name}' (see {icon_folder()})")
    svg = path.read_text(encoding="utf-8")
    paths = re.findall(r"<path\b[^>]*\bd=\"([^\"]+)\"", svg)
    if not paths:
        raise ValueError(f"icon '{name}' has no path to draw")
    return "".join(f'<path d="{escape(d)}"/>' for d in paths)


def icon(name: str, size: str = "small", label: str = "") -> str:
    """An icon: small and filled (beside a line a pre-reader must read), or medium or large and drawn
    as an outline to colour in.

    Decorative unless ``label`` is given (then it is announced as an image with that name).
    """
    if size not in ICON_SIZES:
        raise ValueError(f"icon() size must be one of {', '.join(ICON_SIZES)}, not {size!r}")
    paths = _icon_paths(name)
    named = f' role="img" aria-label="{escape(label)}"' if label else ' aria-hidden="true"'
    paint = ('fill="currentColor"' if not ICON_SIZES[size] else
             f'fill="none" stroke="currentColor" stroke-width="{ICON_SIZES[size]}" stroke-linejoin="round"')
    return f'<svg class="fir-icon fir-icon-{size}" viewBox="-1 -1 26 26"{named} {paint}>{paths}</svg>'
