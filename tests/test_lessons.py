"""The real lessons: sixteen of them, four per band, each runnable and each safe to hand out."""

from __future__ import annotations

import pytest
from lxml import html

from conftest import ROOT
from curriculum.content import collect
from curriculum.i18n import dest_uri
from curriculum.schemas import BAND_MAX_GRADE, BANDS

CONTENT = collect(ROOT)
LESSONS = CONTENT.lessons


def test_four_lessons_per_band():
    assert {band: len(CONTENT.band(band)) for band in BANDS} == {band: 4 for band in BANDS}
    for band in BANDS:
        assert [lesson.meta.order for lesson in CONTENT.band(band)] == [1, 2, 3, 4]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.path.stem)
def test_lesson_has_a_student_handout_and_family_materials(lesson):
    audiences = {CONTENT.handouts[slug].meta.audience for slug in lesson.meta.handouts}
    assert "students" in audiences, f"{lesson.path}: no student handout"
    family = lesson.family_connection
    assert f"family-letter-{lesson.band}.md" in family and f"family-tips-{lesson.band}.md" in family, \
        f"{lesson.path}: Family connection should link the band's family letter and tip sheet"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.path.stem)
def test_say_blocks_read_at_the_band_level(lesson):
    assert lesson.say_text, f"{lesson.path}: no Say blocks"
    assert lesson.reading_grade <= BAND_MAX_GRADE[lesson.band]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.path.stem)
def test_built_lesson_page_has_say_blocks_disclosure_and_glance(built_site, lesson):
    page = built_site / lesson.path.with_suffix("") / "index.html"
    root = html.parse(str(page)).getroot()
    assert root.xpath("//div[contains(concat(' ', @class, ' '), ' say ')]"), "Say blocks must carry class 'say'"
    summaries = [s.text_content() for s in root.xpath("//details[contains(@class,'facilitator')]/summary")]
    assert any("disclosure protocol" in s for s in summaries), f"{page}: disclosure protocol missing"
    assert root.xpath("//div[contains(@class,'glance')]"), f"{page}: at-a-glance box missing"


def test_student_handouts_carry_no_teacher_only_notes(built_site):
    lesson_notes = set()
    for lesson in LESSONS:
        root = html.parse(str(built_site / lesson.path.with_suffix("") / "index.html")).getroot()
        for note in root.xpath("//*[contains(@class,'facilitator') or contains(@class,'say')]//p"):
            text = " ".join(note.text_content().split())
            if len(text) > 40:
                lesson_notes.add(text)
    assert lesson_notes
    students = [h for h in CONTENT.handouts.values() if h.meta.audience == "students"]
    assert students
    for handout in students:
        root = html.parse(str(built_site / dest_uri(handout.path.as_posix()))).getroot()
        article = root.xpath("//article")[0]
        assert not article.xpath(".//*[contains(@class,'say') or contains(@class,'facilitator') or "
                                 "contains(@class,'glance')]"), f"{handout.path}: teacher-only block"
        text = " ".join(article.text_content().split())
        leaked = [n for n in lesson_notes if n in text]
        assert not leaked, f"{handout.path} repeats teacher-only text: {leaked[0][:80]}"


def test_generated_pages_exist_for_every_band(built_site):
    assert (built_site / "lessons/index.html").exists()
    for band in BANDS:
        assert (built_site / f"lessons/{band}/index.html").exists()
        assert (built_site / f"lessons/{band}/glossary/index.html").exists()
