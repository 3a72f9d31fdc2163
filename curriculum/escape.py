"""One way to put a string from a file an editor writes (front matter, the district file, the
registry, the config) into HTML: escaped, wherever it goes, so ``<counselor name>`` prints as written
and ``"><script>`` is only text. Every output family (site, PDFs, decks, Word copies) uses these.
"""

from __future__ import annotations

from markupsafe import Markup
from markupsafe import escape as _escape


def html(value: object) -> Markup:
    """``value`` as HTML text, safe in element text and in quoted attributes (quotes escaped too).
    Idempotent: an already escaped ``Markup`` is returned as it is, so Jinja's ``| e`` never escapes
    it twice and a template without autoescape prints it safely."""
    return _escape(value)


def markdown(value: object) -> str:
    """``value`` as text inside Markdown the engine generates: no raw HTML can pass through (``<``,
    ``>`` and ``&`` become entities); quotes are left as typed, since Markdown text is not an attribute."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(value: object) -> str:
    """The text an escaped value stands for (for code that escapes by itself: lxml, pikepdf, Jinja)."""
    return Markup(value).unescape() if isinstance(value, Markup) else str(value)
