"""curriculum/markdown_ext.py: Markdown table alignment becomes a class, never a style attribute
(the Content-Security-Policy in deploy/nginx.conf blocks style="")."""

from __future__ import annotations

import markdown

TABLE = "| Question | Yes | No |\n|:---|:-:|--:|\n| Safe? | [ ] | [ ] |\n"


def test_alignment_becomes_a_class():
    html = markdown.markdown(TABLE, extensions=["tables", "curriculum.markdown_ext"])
    assert "style=" not in html
    assert '<th class="fir-align-left">Question</th>' in html
    assert html.count('class="fir-align-center"') == 2      # the header cell and the body cell
    assert '<td class="fir-align-right">[ ]</td>' in html


def test_without_the_extension_python_markdown_writes_style():
    """Why the extension exists (and proof the tests above can fail without it)."""
    assert 'style="text-align: center;"' in markdown.markdown(TABLE, extensions=["tables"])
