"""Checks on the real site, built once per session: links, privacy, the single source, leftovers.

(Numbers and addresses typed by hand into the Markdown are stopped by the build's own rule:
curriculum/rules/single_source.py, tested in tests/test_rules.py.)"""

from __future__ import annotations

import re

from lxml import html

from conftest import ROOT
from curriculum import htmlcheck
from curriculum.district import NEUTRAL
from curriculum.registry import load_registry

REGISTRY = load_registry(ROOT / "macros/resources.yml")


def test_every_internal_link_and_anchor_resolves(built_site):
    problems = htmlcheck.broken_links(built_site)
    assert not problems, "\n".join(map(str, problems))


def test_link_checker_catches_a_broken_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#nope">x</a><a href="b.html#yes">y</a>')
    (tmp_path / "b.html").write_text('<h2 id="yes">Y</h2>')
    problems = htmlcheck.broken_links(tmp_path)
    assert [p.message for p in problems] == ["broken anchor '#nope' in link 'b.html#nope'"]


def test_no_external_assets(built_site):
    problems = htmlcheck.external_assets(built_site)
    assert not problems, "\n".join(map(str, problems))


def test_asset_checker_catches_fonts_scripts_and_css_imports(tmp_path):
    (tmp_path / "a.html").write_text('<link rel="stylesheet" href="https://fonts.googleapis.com/css">'
                                     '<script src="//cdn.example.org/x.js"></script><img src="logo.png">')
    (tmp_path / "s.css").write_text('@import "https://fonts.example.org/f.css"; b{background:url(x.png)}')
    assert len(htmlcheck.external_assets(tmp_path)) == 3


def test_every_external_link_is_in_the_registry(built_site):
    problems = htmlcheck.unregistered_urls(built_site, REGISTRY.urls)
    assert not problems, "\n".join(map(str, problems))


def test_no_template_text_or_macro_error_left(built_site):
    problems = htmlcheck.leftover_templates(built_site)
    assert not problems, "\n".join(map(str, problems))


def test_hotline_text_and_dial_link_agree_everywhere(built_site, site_pages):
    seen = 0
    for page in site_pages:
        for a in html.parse(str(page)).getroot().iter("a"):
            key = a.get("data-resource")
            if key is None or "fir-hotline" not in (a.get("class") or ""):
                continue
            r = REGISTRY.resources[key]
            lang = a.xpath("ancestor-or-self::*[@lang][1]/@lang")[0]     # a Spanish page shows the Spanish form
            assert a.get("href") == r.href and a.text_content() == r.words(lang)["display"], f"{page}: {key}"
            seen += 1
    assert seen > 0, "no hotline links found at all"


def test_resources_page_lists_every_entry_with_its_checked_date(built_site):
    page = html.parse(str(built_site / "resources/index.html")).getroot()
    article = page.xpath("//article")[0]
    text = article.text_content()
    keys = {a.get("data-resource") for a in article.iter("a")}
    assert keys >= set(REGISTRY.resources), f"missing: {set(REGISTRY.resources) - keys}"
    for group in ("Get help now", "Report", "Remove images", "Learn more"):
        assert group in [h.text_content().strip("¶ ") for h in article.iter("h2")]
    assert len(re.findall(r"reviewed \d{4}-\d\d-\d\d", text)) >= len(REGISTRY.resources)


def test_neutral_district_wording_without_a_district(built_site):
    about = html.parse(str(built_site / "about/index.html")).getroot().text_content()
    assert NEUTRAL["counsel"] in about
