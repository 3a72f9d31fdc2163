"""Checks on the real site, built once per session: links, privacy, the single source, leftovers."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html

from conftest import ROOT
from curriculum import htmlcheck
from curriculum.district import NEUTRAL
from curriculum.registry import load_registry

REGISTRY = load_registry(ROOT / "macros/resources.yml")
CONTENT_DIRS = ("docs", "lessons", "handouts", "snippets")
MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def content_files() -> list[Path]:
    return sorted(p for d in CONTENT_DIRS for p in (ROOT / d).rglob("*.md"))


def single_source_patterns() -> list[tuple[str, re.Pattern]]:
    """What must never be typed by hand: URLs, phone-number shapes, and every registry number and host."""
    patterns = [("a URL", re.compile(r"https?://|\bwww\.")),
                ("a phone number", re.compile(r"\b1?[-. (]*\d{3}[-. )]+\d{3}[-. ]\d{4}\b")),
                ("a vanity phone number", re.compile(r"\b1-8\d\d-[0-9A-Z]{3}-[0-9A-Z]{4}\b"))]
    for r in REGISTRY.resources.values():
        for number in filter(None, (r.text, r.phone and r.phone.removeprefix("+1").removeprefix("+"))):
            patterns.append((f"{r.key}'s number", re.compile(rf"(?<![\d-]){re.escape(number)}(?![\d-])")))
        if r.web:
            host = urlsplit(r.web).hostname.removeprefix("www.")
            patterns.append((f"{r.key}'s address", re.compile(rf"\b{re.escape(host)}\b", re.I)))
    return patterns


def hand_typed(text: str) -> list[tuple[int, str, str]]:
    found = []
    patterns = single_source_patterns()
    for number, line in enumerate(MACRO.sub(lambda m: " " * len(m.group(0)), text).split("\n"), 1):
        for label, pattern in patterns:
            match = pattern.search(line)
            if match:
                found.append((number, label, match.group(0)))
    return found


def test_single_source_checker_catches_hand_typed_numbers_and_links():
    bad = "Call 1-800-843-5678 or 911, text HOME to 741741, dial 988, or visit takeitdown.ncmec.org or https://x.org."
    labels = {label for _, label, _ in hand_typed(bad)}
    assert {"a URL", "a phone number", "crisis-text-line's number", "988-lifeline's number", "emergency-911's number",
            "take-it-down's address"} <= labels
    assert hand_typed('Call {{ hotline("988-lifeline") }} or use {{ resource("take-it-down") }}.') == []


@pytest.mark.parametrize("path", content_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_number_or_url_outside_a_macro(path):
    problems = [f"{path.relative_to(ROOT)}:{n}: {label} typed by hand: {text!r}"
                for n, label, text in hand_typed(path.read_text())]
    assert not problems, "Use the registry macros instead:\n" + "\n".join(problems)


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
            assert a.get("href") == r.href and a.text_content() == r.display, f"{page}: {key}"
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
    assert text.count("checked ") >= len(REGISTRY.resources)


def test_neutral_district_wording_without_a_district(built_site):
    about = html.parse(str(built_site / "about/index.html")).getroot().text_content()
    assert NEUTRAL["counsel"] in about
