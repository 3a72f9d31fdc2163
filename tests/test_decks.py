"""Slide decks (issue 16): one .pptx per lesson from the lesson page, opened as a teacher would open
it (python-pptx and LibreOffice), with nothing for the teacher's eyes only on a slide."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from conftest import ROOT, build_fixture, mkdocs_build
from curriculum.content import collect
from curriculum.district import load_district
from curriculum.outputs.decks import fit
from curriculum.outputs.decks.lesson import hotlines, lesson_deck
from curriculum.outputs.decks.stage import deck_slug
from curriculum.registry import load_registry

CONTENT = collect(ROOT)
REGISTRY = load_registry(ROOT / "macros/resources.yml")
DECKS_ON = {"CURRICULUM_DECKS": "1"}
EMU_PER_INCH = 914400


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def article(site: Path, src_uri: str):
    return lxml_html.parse(str(site / src_uri.removesuffix(".md") / "index.html")).getroot().xpath("//article")[0]


def article_html(site: Path, src_uri: str) -> str:
    return "".join(lxml_html.tostring(e, encoding="unicode") for e in article(site, src_uri))


def deck_file(site: Path, lesson) -> Path:
    return site / "decks" / f"{deck_slug(lesson)}.pptx"


def slide_texts(slide) -> list[str]:
    """What the room sees: every text on the slide itself (never its notes)."""
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def title_of(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def test_every_lesson_has_a_deck_whose_slides_derive_from_the_lesson(built_site):
    district = load_district({})
    for lesson in CONTENT.lessons:
        prs = Presentation(str(deck_file(built_site, lesson)))
        titles = [title_of(s) for s in prs.slides]
        expected = fit.paginate(lesson_deck(lesson, article_html(built_site, lesson.path.as_posix()), REGISTRY,
                                            district, deck_slug(lesson)))
        assert titles == expected.titles, lesson.path
        # ... and from the Markdown itself: the title, every activity heading and card, the closing slides.
        source = (ROOT / lesson.path).read_text()
        assert titles[0] == lesson.meta.title and titles[1] == "Essential question"
        assert titles[-2:] == ["Key message", "Who can help"]
        activities = re.findall(r"^### +(?:\d+\. +)?(.+?) +\(\d+ min\)", source, flags=re.M)
        whole = [re.sub(r" \(\d+ of \d+\)$", "", t) for t in titles if not re.search(r" \((?!1 of)\d+ of \d+\)$", t)]
        found = [re.sub(r" \(\d+ min\)$", "", t) for t in whole if re.search(r" \(\d+ min\)$", t)]
        assert found[1:-1] == activities, (lesson.path, activities, titles)      # between warm-up and wrap-up
        for card in re.findall(r"^\*\*(Card [^*]+?)[.:]?\*\*\s*$", source, flags=re.M):
            assert card.strip() in titles, (lesson.path, card)
        assert lesson.meta.essential_question in slide_texts(prs.slides[1])[1]


def teacher_only_texts(site: Path) -> set[str]:
    """The Say and facilitator blocks of every lesson, and the answers, as the student-handout test finds them."""
    notes = set()
    for lesson in CONTENT.lessons:
        page = article(site, lesson.path.as_posix())
        for block in page.xpath(".//*[contains(concat(' ', @class, ' '), ' say ')"
                                " or contains(concat(' ', @class, ' '), ' facilitator ')]"):
            # Without the block's title ("Say"): a slide would show the words, not the box around them.
            body = squash(" ".join(child.text_content() for child in block
                                   if "admonition-title" not in (child.get("class") or "")))
            if len(body) >= 60:
                notes.add(body)
        for strong in page.xpath(".//li//strong[substring(normalize-space(.), string-length(normalize-space(.)))"
                                 " = ':']"):
            item = strong.xpath("ancestor::li[1]")[0]
            before = item.text_content().split(strong.text_content())[0]
            after = item.text_content().split(strong.text_content(), 1)[1]
            if before.strip() and len(squash(after)) >= 20:     # "... **Sextortion:** an image, ...": an answer
                notes.add(squash(after)[:40])
        for text in page.xpath(".//text()"):
            answer = re.search(r"(?:Expected(?: answers?| response)?|Listen for|Look for):\s*(.{20,})", text)
            if answer:
                notes.add(squash(answer.group(1))[:40])
    # An answer may restate a vocabulary definition, which belongs on the vocabulary slide.
    public = squash(" ".join(f"{t} {d}" for lesson in CONTENT.lessons for t, d in lesson.meta.vocabulary.items()))
    return {n for n in notes if len(n) >= 12 and n not in public}


def test_no_teacher_only_text_on_any_slide_only_in_the_notes(built_site):
    notes = teacher_only_texts(built_site)
    assert any("disclosureprotocol" in n for n in notes) and len(notes) > 100
    leaks, in_notes = [], 0
    for lesson in CONTENT.lessons:
        prs = Presentation(str(deck_file(built_site, lesson)))
        words = " ".join(t for s in prs.slides for t in slide_texts(s))
        shown = squash(words)
        spoken = squash(" ".join(s.notes_slide.notes_text_frame.text for s in prs.slides))
        leaks += [f"{lesson.path}: {n[:60]}" for n in notes if n in shown]
        in_notes += sum(1 for n in notes if n in spoken)
        lead = re.search(r"(?:Expected(?: answers?| responses?)?|Listen for|Look for)[^.:]*:", words, flags=re.I)
        assert lead is None, (lesson.path, lead)
    assert not leaks, "\n".join(leaks)
    assert in_notes > 50        # the Say blocks and answers are there, in the notes


def test_decks_are_16_9_with_real_layouts_large_type_the_site_font_a_language_and_notes(built_site):
    for lesson in CONTENT.lessons:
        prs = Presentation(str(deck_file(built_site, lesson)))
        assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, abs=0.01)
        assert prs.core_properties.language == "en-US" and prs.core_properties.title == lesson.meta.title
        for number, slide in enumerate(prs.slides, 1):
            where = f"{lesson.path} slide {number}"
            assert slide.shapes.title is not None and title_of(slide).strip(), where
            assert slide.slide_layout.name in ("Title Slide", "Title and Content"), where
            assert slide.notes_slide.notes_text_frame.text.strip(), where
            for shape in slide.shapes:
                for paragraph in shape.text_frame.paragraphs:
                    for run in paragraph.runs:
                        assert run.font.size.pt >= 24, where
                        rpr = run._r.find("{http://schemas.openxmlformats.org/drawingml/2006/main}rPr")
                        assert rpr.get("lang") == "en-US", where
                        latin = rpr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}latin")
                        assert latin.get("typeface") == "Atkinson Hyperlegible", where
                        assert latin.get("pitchFamily") == "34", where      # a sans-serif fallback
                        assert contrast(str(run.font.color.rgb), background(slide)) >= 4.5, where


def background(slide) -> str:
    fill = slide.background.fill
    return str(fill.fore_color.rgb)


def contrast(foreground: str, back: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(foreground), luminance(back)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_is_measured():
    assert contrast("1B1B1B", "FFFFFF") > 15 and contrast("777777", "FFFFFF") < 4.5


def test_no_slide_overflows_its_boxes(built_site):
    """Every text box holds its text at the size set, measured with the fonts' metrics (fit.py)."""
    over = []
    decks = sorted((built_site / "decks").glob("*.pptx"))
    assert len(decks) == len(CONTENT.lessons) + 2          # and the staff training and family night
    for path in decks:
        prs = Presentation(str(path))
        for number, slide in enumerate(prs.slides, 1):
            for shape in slide.shapes:
                if not shape.has_text_frame:
                    continue
                paragraphs = shape.text_frame.paragraphs
                sizes = {run.font.size.pt for p in paragraphs for run in p.runs}
                bold = any(run.font.bold for p in paragraphs for run in p.runs)
                bulleted = any(int(p._p.pPr.get("marL", "0")) > 0 for p in paragraphs if p._p.pPr is not None)
                box = (0, 0, Emu(shape.width).inches, Emu(shape.height).inches)
                texts = [p.text for p in paragraphs]
                if sizes and not fit.fits(texts, max(sizes), box, bulleted, bold):
                    over.append(f"{path.name} slide {number} ({title_of(slide)!r})")
    assert not over, "\n".join(over)


def test_the_fit_measure_catches_an_overflow():
    long = ["A sentence that goes on and on for a while. " * 6] * 4
    assert not fit.fits(long, 28, fit.BODY_BOX)
    assert fit.fits(["Short."], 28, fit.BODY_BOX)
    assert fit.width_pt("Wide", 28) > fit.width_pt("Wide", 24)


@pytest.fixture(scope="session")
def converted(built_site, tmp_path_factory) -> Path:
    """Every deck converted to PDF by LibreOffice, in one soffice call (starting it is the slow part)."""
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice is missing: make test-deps installs libreoffice-impress")
    out = tmp_path_factory.mktemp("lo")
    profile = tmp_path_factory.mktemp("lo-profile")
    decks = sorted(str(p) for p in (built_site / "decks").glob("*.pptx"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *decks], check=True, capture_output=True, timeout=600)
    return out


def test_libreoffice_opens_every_deck_and_shows_each_title_and_the_hotlines(built_site, converted):
    lines = [r.display for r in hotlines(REGISTRY) if r.display]
    assert lines
    for lesson in CONTENT.lessons:
        pdf = converted / f"{deck_slug(lesson)}.pdf"
        assert pdf.is_file(), f"LibreOffice did not convert {lesson.path}'s deck"
        reader = PdfReader(str(pdf))
        prs = Presentation(str(deck_file(built_site, lesson)))
        assert len(reader.pages) == len(prs.slides), lesson.path
        for page, slide in zip(reader.pages, prs.slides, strict=True):
            assert squash(title_of(slide)) in squash(page.extract_text()), (lesson.path, title_of(slide))
        last = squash(reader.pages[-1].extract_text())
        for line in lines:
            assert squash(line) in last, (lesson.path, line)


def fixture_decks(site: Path) -> dict[str, Presentation]:
    return {p.stem: Presentation(str(p)) for p in sorted((site / "decks").glob("*.pptx"))}


def all_text(prs) -> str:
    return " ".join(t for s in prs.slides for t in slide_texts(s))


def test_changing_a_hotline_in_the_registry_changes_every_deck(tmp_path):
    def new_hours(work: Path) -> None:
        text = (ROOT / "macros/resources.yml").read_text()
        (work / "resources.yml").write_text(text.replace('hours: "24 hours a day, 7 days a week"\n    audiences: '
                                                         '[students, families, staff]\n    languages: [en, es]',
                                                         'hours: "FIXTURE HOURS"\n    audiences: '
                                                         '[students, families, staff]\n    languages: [en, es]', 1))

    result = build_fixture("decks-site", tmp_path, env=DECKS_ON, edit=new_hours)
    assert result.returncode == 0, result.output[-3000:]
    decks = fixture_decks(result.site)
    assert len(decks) == 2
    for name, prs in decks.items():
        assert "988 Suicide & Crisis Lifeline: call 988 (FIXTURE HOURS)" in all_text(prs), name
    # The fixture's answers and teacher notes stay in the notes.
    for prs in decks.values():
        shown = all_text(prs)
        notes = " ".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
        assert "FIXTURE-" not in shown
    first = decks["3-5-01-fixture-lesson"]
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in first.slides)
    for marker in ("FIXTURE-EXPECTED-ANSWER", "FIXTURE-TEACHER-ONLY-NOTE", "FIXTURE-LISTEN-FOR-ANSWER"):
        assert marker in notes, marker
    titles = [title_of(s) for s in first.slides]
    assert "Card A: The group chat" in titles and "Agree or disagree (10 min)" in titles
    assert sum(t.startswith("Agree or disagree: statement") for t in titles) == 2


SUMMARY = re.compile(r"Slide decks: (\d+) made, (\d+) from the cache")


def test_an_unchanged_lesson_is_not_rebuilt(tmp_path):
    first = build_fixture("decks-site", tmp_path, env=DECKS_ON)
    assert first.returncode == 0, first.output[-3000:]
    assert SUMMARY.search(first.output).groups() == ("2", "0")
    work = tmp_path / "decks-site"
    config, site = work / "mkdocs.yml", work / "site"
    again = mkdocs_build(config, site, {"CURRICULUM_PDF": "0", **DECKS_ON})
    assert SUMMARY.search(again.output).groups() == ("0", "2"), again.output[-2000:]
    lesson = work / "lessons/3-5/02-second-lesson.md"
    lesson.write_text(lesson.read_text().replace("It is never your fault.", "It is never, ever your fault."))
    changed = mkdocs_build(config, site, {"CURRICULUM_PDF": "0", **DECKS_ON})
    assert SUMMARY.search(changed.output).groups() == ("1", "1"), changed.output[-2000:]


def test_the_key_message_can_be_set_in_front_matter(tmp_path):
    def key(work: Path) -> None:
        path = work / "lessons/3-5/02-second-lesson.md"
        path.write_text(path.read_text().replace("---\n\n#", 'slides:\n  key_message: "FIXTURE KEY MESSAGE"\n---\n\n#',
                                                 1))

    result = build_fixture("decks-site", tmp_path, env=DECKS_ON, edit=key)
    assert result.returncode == 0, result.output[-3000:]
    prs = fixture_decks(result.site)["3-5-02-second-lesson"]
    key_slide = next(s for s in prs.slides if title_of(s) == "Key message")
    assert "FIXTURE KEY MESSAGE" in " ".join(slide_texts(key_slide))


def test_an_author_marks_what_goes_on_a_slide_and_district_text_is_escaped(tmp_path):
    def mark(work: Path) -> None:
        path = work / "lessons/3-5/02-second-lesson.md"
        text = path.read_text().replace("## Wrap-up (10 min)", "Hold up FIXTURE-ON-A-SLIDE.\n{ .slide }\n\n"
                                        "Students stand in a circle FIXTURE-NOTES-ONLY.\n{ .notes }\n\n"
                                        "## Wrap-up (10 min)")
        path.write_text(text.replace("!!! say\n    Today we talk", "!!! say slide\n    Today we talk"))

    result = build_fixture("decks-site", tmp_path, env=DECKS_ON, edit=mark,
                           overrides={"extra": {"district": {"name": "<script>alert(1)</script> Unified"}}})
    assert result.returncode == 0, result.output[-3000:]
    prs = fixture_decks(result.site)["3-5-02-second-lesson"]
    shown = all_text(prs)
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    assert "Hold up FIXTURE-ON-A-SLIDE." in shown
    assert "FIXTURE-NOTES-ONLY" not in shown and "FIXTURE-NOTES-ONLY" in notes
    assert "We will learn what to do." in shown          # the warm-up's Say block, marked "slide"
    assert "<script>alert(1)</script> Unified" in " ".join(slide_texts(prs.slides[0]))
    view = (result.site / "decks/3-5-02-second-lesson.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Unified" in view and "<script>alert" not in view


def test_the_staff_training_and_family_night_decks_come_from_their_scripts(built_site, converted):
    staff = Presentation(str(built_site / "decks/staff-training.pptx"))
    titles = [title_of(s) for s in staff.slides]
    assert titles[0] == "All-staff training: the first five minutes"
    assert "All-staff training · 45 minutes" in slide_texts(staff.slides[0])[1]
    for scenario in ("A student tells you in the hallway", "A student tries to show you the image",
                     "A parent calls", "A colleague forwards you a screenshot"):
        number = next(i for i, t in enumerate(titles) if t.endswith(scenario))
        assert titles[number + 1].startswith("What a good response sounds like"), scenario
    # The first-hour steps are the staff guide's own (one snippet), as the slide shows them.
    steps = re.findall(r"^ +\d\. \*\*(.+?)[.,]?\*\*", (ROOT / "snippets/first-hour.md").read_text(), flags=re.M)
    slide = next(s for s in staff.slides if title_of(s) == "What to do in the first hour")
    shown = [p.text for p in slide.placeholders[1].text_frame.paragraphs]
    assert len(shown) == len(steps) == 6
    for step, line in zip(steps, shown, strict=True):       # the words around a district field, in order
        assert all(squash(part) in squash(line) for part in re.split(r"\{\{.*?\}\}", step)), (step, line)
    # The answer key is for the facilitator: in the notes, never on a slide.
    key = article(built_site, "staff/training-session.md").xpath(".//details[contains(@class, 'facilitator')]//li")
    assert len(key) == 10
    on_slides = squash(all_text(staff))
    notes = squash(" ".join(s.notes_slide.notes_text_frame.text for s in staff.slides))
    for answer in key:
        assert squash(answer.text_content()) not in on_slides and squash(answer.text_content()) in notes
    questions = re.findall(r"^\d+\. ", (ROOT / "handouts/staff-knowledge-check.md").read_text(), flags=re.M)
    assert len(questions) == 10
    family = Presentation(str(built_site / "decks/family-night.pptx"))
    assert "Family night · 30 minutes" in slide_texts(family.slides[0])[1]
    assert title_of(family.slides[-1]) == "Who can help"
    # Take It Down is never offered on a slide without its limits.
    shown = all_text(family)
    assert "Take It Down" in shown and "already has on their own device" in shown
    for name in ("staff-training", "family-night"):
        assert (converted / f"{name}.pdf").is_file()
