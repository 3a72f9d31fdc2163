"""Pages generated from lesson front matter: they must show what the lessons say, and follow edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from conftest import build_fixture
from curriculum import catalog


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    result = build_fixture("good", tmp_path_factory.mktemp("catalog"),
                           edit=lambda work: (work / "lessons/3-5/01-fixture-lesson.md").write_text(
                               (work / "lessons/3-5/01-fixture-lesson.md").read_text()
                               .replace('title: "Fixture lesson"', 'title: "Renamed in front matter"')))
    assert result.returncode == 0, result.output[-3000:]
    return result.site


def text(site: Path, page: str) -> str:
    return html.parse(str(site / page / "index.html")).getroot().xpath("//article")[0].text_content()


def test_band_catalog_shows_title_minutes_and_question(good_site):
    page = text(good_site, "lessons/3-5")
    assert "Renamed in front matter" in page and "45" in page and "What do we do when a picture is not OK?" in page


def test_scope_and_sequence_and_glossary(good_site):
    assert "Renamed in front matter" in text(good_site, "lessons")
    glossary = text(good_site, "lessons/3-5/glossary")
    assert "upstander" in glossary and "Someone who helps when they see something hurtful." in glossary


def test_lesson_gets_an_at_a_glance_box_from_front_matter(good_site):
    root = html.parse(str(good_site / "lessons/3-5/01-fixture-lesson/index.html")).getroot()
    box = root.xpath("//div[contains(@class,'glance')]")[0].text_content()
    assert "Name a trusted adult." in box and "Fixture worksheet" in box and "45 minutes" in box
    assert root.xpath("//div[contains(@class,'say')]"), "Say blocks must carry the class 'say'"


def test_rebase_links_keeps_links_working_on_another_page():
    moved = catalog.rebase_links("See [the card](../../handouts/card.md#top) or [x](https://e.org).",
                                 "lessons/3-5/01-a.md", catalog.FAMILY_PAGE)
    assert moved == "See [the card](../handouts/card.md#top) or [x](https://e.org)."
