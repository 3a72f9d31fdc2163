"""Editable Word copies (curriculum/outputs/docx/): the policy, letters, tip sheets, cards, surveys.

- the preparation and the checks on small strings (no build);
- the Word copies of the real site (the session build): structure, properties, highlights, links,
  and LibreOffice converting every one of them (one soffice call for all);
- tiny fixture sites (tests/fixtures/docx-site, with the real policy and letters copied in): the
  district's names, the neutral wording, the cache, and an unknown number failing the build.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from lxml import html as lxml_html

from conftest import FIXTURES, ROOT, build_fixture, dump_config, fixture_config, mkdocs_build
from curriculum.htmlcheck import LEFTOVERS
from curriculum.outputs.docx import check, page_lang, plan_jobs, prepare
from curriculum.outputs.docx.convert import Task, convert_task, init_worker
from curriculum.outputs.pdf.qr import display_url
from curriculum.registry import load_registry
from curriculum.rules import documents

REGISTRY = load_registry(ROOT / "macros/resources.yml")
# The documents issue 17 lists: each must have a Word copy (more pages may ask for one).
LISTED = {"model-policy", "family-letter-k-2", "family-letter-3-5", "family-letter-6-8", "family-letter-9-12",
          "family-tips-k-2", "family-tips-3-5", "family-tips-6-8", "family-tips-9-12", "staff-first-response-card",
          "investigation-checklist", "staff-summary", "survey-families", "survey-staff", "survey-students-6-12"}
DISTRICT = {"name": "Riverbend Unified School District", "school": "Maple Grove Elementary",
            "contact": "Ms. Okafor, school counselor", "counselor": "Ms. Okafor, school counselor",
            "principal": "Mr. Lindqvist, principal", "phone": "+15555550142", "phone_display": "(555) 555-0142",
            "email": "office@maplegrove.example.org", "policy_name": "Board Policy 5145.9",
            "counsel": "the Riverbend district's legal counsel", "reporting_procedure": "the Riverbend Safe Report"}
SUMMARY = re.compile(r"(\d+) Word copies: (?:(\d+) made, (\d+) from the cache|all from the cache)")


def planned() -> dict[str, str]:
    """Word file name -> the page it is made from, from the sources' front matter."""
    docs, _ = documents(ROOT, ["docs", "handouts"])
    by_uri = {d.path.removeprefix("docs/"): d for d in docs}
    jobs, problems = plan_jobs(by_uri)
    assert not problems
    return {job.name: job.src_uri for job in jobs}


def page_url(src_uri: str) -> str:
    return src_uri.removesuffix(".md") + "/"


def article(site: Path, src_uri: str):
    tree = lxml_html.parse(str(site / page_url(src_uri) / "index.html")).getroot()
    return tree.xpath("//article")[0]


def open_docx(path: Path):
    return Document(str(path))


def paragraphs(document) -> list:
    return list(document.element.body.iter(qn("w:p")))


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def style_name(document, p) -> str:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    if style is None:
        return "Normal"
    return document.styles.get_by_id(style.get(qn("w:val")), 1).name   # 1: WD_STYLE_TYPE.PARAGRAPH


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def unhyphenated(text: str) -> str:
    return re.sub(r"[\s-]+", "", text)


# == preparation and checks, on small strings ====================================================
def test_survey_questions_become_numbered_items_with_their_choices_as_a_list():
    html = ('<p><strong>3.</strong> How familiar are you?<br>\n[ ] Very  [ ] Somewhat<br>\n[ ] Not at all</p>'
            '<p><strong>4.</strong> Anything else? <strong>No names.</strong></p><p>Plain text [ ] here</p>')
    out = lxml_html.fragment_fromstring(prepare.prepare(html, "handouts/x/", {}, survey=True), create_parent="div")
    lists = out.xpath("./ol")
    assert [ol.get("start") for ol in lists] == ["3", "4"]
    assert lists[0].xpath("./li/p")[0].text_content().strip() == "How familiar are you?"
    assert [li.text_content().strip() for li in lists[0].xpath("./li/ul/li")] == \
           [f"{prepare.BOX} Very", f"{prepare.BOX} Somewhat", f"{prepare.BOX} Not at all"]
    assert not lists[1].xpath(".//ul") and "No names." in lists[1].text_content()
    assert out.xpath("./p")[0].text_content() == f"Plain text {prepare.BOX} here"


def test_blanks_become_fill_in_runs_and_links_show_their_address():
    html = ('<p>Name: <span class="fir-blank fir-blank-short"></span> Tell '
            '<span class="fir-blank fir-blank-medium"><span class="fir-blank-hint">name</span></span>, see '
            '<a href="https://takeitdown.ncmec.org/" data-resource="take-it-down">Take It Down</a> '
            '<a class="headerlink" href="#x">¶</a></p><p><span class="fir-blank-lines" data-lines="2">'
            '<span class="fir-blank-line"></span><span class="fir-blank-line"></span></span></p>')
    out = lxml_html.fragment_fromstring(prepare.prepare(html, "handouts/x/", REGISTRY.resources), create_parent="div")
    fills = out.xpath(f'.//span[@custom-style="{prepare.FILL_IN}"]')
    assert [f.text for f in fills][:2] == [prepare.NBSP * prepare.BLANK_SPACES["short"], "[name]"]
    assert len(fills) == 4                                   # and one run per writing line
    assert "(takeitdown.ncmec.org)" in out.text_content() and "¶" not in out.text_content()
    assert out.xpath(".//a")[0].attrib == {"href": "https://takeitdown.ncmec.org/"}


def test_page_language_comes_from_front_matter_then_the_file_name():
    assert page_lang("handouts/x.md", {"lang": "es"}) == "es"
    assert page_lang("handouts/family-letter-k-2.es.md", {}) == "es"
    assert page_lang("handouts/family-letter-k-2.md", {}) == "en"


def test_the_single_source_check_on_word_text():
    allowed = check.Allowed.of(REGISTRY, "https://curriculum.example.org/", district_phone="+15555550142",
                               district_email="office@maplegrove.example.org")
    good = ["Call 1-800-THE-LOST (1-800-843-5678) or 988.", "Report at report.cybertip.org.",
            "School: (555) 555-0142, office@maplegrove.example.org"]
    targets = ["tel:+18008435678", "https://report.cybertip.org", "https://curriculum.example.org/staff/"]
    assert check.problems_in(good, targets, allowed, "https://curriculum.example.org/") == []
    bad = check.problems_in(["Call 1-800-555-0199 or see www.example.com/help.", "Hi {{ name }}"],
                            ["https://evil.example.net/x", "tel:+18005550199"], allowed)
    assert sorted(bad) == ["a link that is not in the registry: 'https://evil.example.net/x'",
                           "a link that is not in the registry: 'tel:+18005550199'",
                           "a phone number that is not in the registry: '1-800-555-0199'",
                           "a web address that is not in the registry: 'www.example.com/help'",
                           "left-over template text '{{'"]


def test_bracketed_notes_are_highlighted_and_choices_become_controls():
    init_worker("letter")
    html = ("<h1>Policy</h1><p>Within <strong>[number]</strong> days. [Counsel: check the <em>state</em> "
            'law.] Adopted: [date].</p><p>Signed: <span class="fir-blank fir-blank-short"></span></p>')
    html = prepare.prepare(html, "staff/policy/", {})
    result = convert_task(Task("p.docx", html, "k", "Policy", "en", "District", "Site"))
    assert not result.error, result.error
    document = Document(io.BytesIO(result.data))
    joined: dict = {}
    for run in document.element.body.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is not None and rpr.highlight_val is not None:
            joined.setdefault(rpr.highlight_val, []).append(text_of(run))
    assert "".join(joined[WD_COLOR_INDEX.YELLOW]) == "[Counsel: check the state law.]"
    assert sorted(joined[WD_COLOR_INDEX.TURQUOISE]) == ["[date]", "[number]"]
    controls = [text_of(sdt) for sdt in document.element.body.iter(qn("w:sdt"))]
    assert controls == ["[number]", "[date]", prepare.NBSP * prepare.BLANK_SPACES["short"]]
    # counsel's note stays text to delete; a control is rich text (LibreOffice keeps its formatting)
    assert not list(document.element.body.iter(qn("w:text")))
    assert document.core_properties.title == "Policy" and document.core_properties.language == "en"


# == the Word copies of the real site ============================================================
def test_every_listed_document_has_a_word_copy_and_a_button(built_site):
    names = planned()
    assert {n.removesuffix(".docx") for n in names} >= LISTED
    assert {p.name for p in (built_site / "docx").glob("*.docx")} == set(names)
    spanish = [uri for uri in names.values() if uri.startswith("handouts/es-")]
    assert spanish, "the Spanish handouts have Word copies too"
    for name, uri in names.items():
        folder = built_site / page_url(uri)
        tree = lxml_html.parse(str(folder / "index.html")).getroot()
        links = tree.xpath("//*[contains(@class, 'fir-print-actions')]//a[@download]")
        hrefs = [a.get("href") for a in links]
        assert hrefs[0].endswith(".pdf"), f"{uri}: the PDF button comes first"
        word = [a for a in links if a.get("href").endswith(".docx")]
        assert len(word) == 1, uri
        assert (folder / word[0].get("href")).resolve() == (built_site / "docx" / name).resolve()
        lang = "es" if uri.startswith("handouts/es-") else "en"
        label = {"en": "Download Word (.docx)", "es": "Descargar Word (.docx)"}[lang]
        assert word[0].text_content().strip() == label


@pytest.mark.parametrize("name", sorted(planned()))
def test_word_structure_follows_the_page(built_site, name):
    uri = planned()[name]
    document = open_docx(built_site / "docx" / name)
    node = article(built_site, uri)
    expected = [(int(h.tag[1]), squash(h.text_content().replace("¶", ""))) for h in node.iter("h1", "h2", "h3")]
    found = [(int(s.removeprefix("Heading ")), squash(text_of(p))) for p in paragraphs(document)
             if (s := style_name(document, p)).startswith("Heading ")]
    assert found == expected
    items = len(node.xpath(".//li"))
    numbered = [p for p in paragraphs(document) if p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None]
    assert len(numbered) >= items and (numbered or not items), f"{name}: {items} list items, {len(numbered)} in lists"
    tables = node.xpath(".//table")
    assert len(document.tables) == len(tables)
    text = "\n".join(text_of(p) for p in paragraphs(document))
    assert not [m for m in LEFTOVERS if m in text]
    lang = "es" if uri.startswith("handouts/es-") else "en"
    assert document.core_properties.language == lang
    assert document.core_properties.title == lxml_html.parse(
        str(built_site / page_url(uri) / "index.html")).getroot().findtext(".//title").split(" - ")[0].strip()
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert defaults is not None and defaults.get(qn("w:val")).startswith(lang)


@pytest.mark.parametrize("name", sorted(planned()))
def test_links_are_hyperlinks_showing_their_address(built_site, name):
    document = open_docx(built_site / "docx" / name)
    rels = document.part.rels
    for p in paragraphs(document):
        for link in p.iter(qn("w:hyperlink")):
            rid = link.get(qn("r:id"))
            if rid is None:
                continue
            target = rels[rid].target_ref
            shown = squash(text_of(p)).lower()
            if target.startswith("http"):
                assert squash(display_url(target)).lower() in shown, f"{name}: {target} not shown"
            else:
                digits = re.sub(r"\D", "", target.split(":", 1)[1].split("?")[0]).removeprefix("1")
                assert digits in re.sub(r"\D", "", shown) or target.startswith("mailto:"), f"{name}: {target}"


def level(p) -> int | None:
    """The list level of a paragraph (0 for an item, 1 for an item of a list inside it), or None."""
    ilvl = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}")
    return None if ilvl is None else int(ilvl.get(qn("w:val")))


@pytest.mark.parametrize("name", ["survey-families.docx", "survey-staff.docx", "survey-students-6-12.docx"])
def test_surveys_number_every_question_and_list_its_choices(built_site, converted, name):
    source = (ROOT / "handouts" / name.replace(".docx", ".md")).read_text()
    questions = [int(n) for n in re.findall(r"^\*\*(\d+)\.\*\*", source, re.M)]
    document = open_docx(built_site / "docx" / name)
    items = [p for p in paragraphs(document) if level(p) == 0]
    choices = [p for p in paragraphs(document) if level(p) == 1]
    in_tables = sum(text_of(c._tc).count(prepare.BOX) for t in document.tables for row in t.rows for c in row.cells)
    # every '[ ]' outside a table is an answer choice: an item of the list under its question
    assert len(choices) == source.count("[ ]") - in_tables and in_tables % 3 == 0 and len(items) >= len(questions)
    text = subprocess.run(["pdftotext", str(converted / name.replace(".docx", ".pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    numbers = [int(n) for n in re.findall(r"^(\d{1,2})\.\s", text, re.M)]      # not a text code's "741741."
    assert numbers == questions, f"{name}: LibreOffice numbers the questions {numbers}"


def test_counsel_notes_are_highlighted_in_the_policy(built_site):
    document = open_docx(built_site / "docx" / "model-policy.docx")
    yellow = []
    for p in paragraphs(document):
        run_text = "".join(text_of(r) for r in p.iter(qn("w:r"))
                           if (rpr := r.find(qn("w:rPr"))) is not None and rpr.highlight_val == WD_COLOR_INDEX.YELLOW)
        if run_text:
            yellow.append(run_text)
    source = (ROOT / "docs/staff/model-policy.md").read_text()
    assert len(yellow) == source.count("[Counsel:") > 0
    assert all(y.startswith("[Counsel:") and y.endswith("]") for y in yellow)
    controls = [text_of(sdt) for sdt in document.element.body.iter(qn("w:sdt"))]
    assert controls.count("[date]") == 2, "Adopted and Last reviewed are controls to fill in"


@pytest.fixture(scope="module")
def converted(built_site, tmp_path_factory) -> Path:
    """Every Word copy of the real site through LibreOffice, in one soffice call."""
    out = tmp_path_factory.mktemp("libreoffice")
    profile = out / "profile"
    files = sorted(str(p) for p in (built_site / "docx").glob("*.docx"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *files], check=True, capture_output=True, timeout=600)
    return out


@pytest.mark.parametrize("name", sorted(planned()))
def test_libreoffice_converts_each_copy_with_its_headings_and_hotlines(built_site, converted, name):
    pdf = converted / name.replace(".docx", ".pdf")
    assert pdf.is_file(), f"LibreOffice did not convert {name}"
    # pdftotext drops the hyphen where a line breaks after one ("1-800-" / "THE-LOST"): compare without
    plain = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = unhyphenated(plain)
    node = article(built_site, planned()[name])
    for h in node.iter("h1", "h2", "h3"):
        assert unhyphenated(h.text_content().replace("¶", "")) in text, f"{name}: heading {h.text_content()!r}"
    linked = node.xpath(".//a[@data-resource]")
    for a in linked:                    # a number as the registry prints it; a web resource's address
        resource = REGISTRY.resources[a.get("data-resource")]
        dial = (a.get("href") or "").startswith(("tel:", "sms:"))
        shown = resource.display if dial else display_url(a.get("href"))
        assert unhyphenated(shown).lower() in text.lower(), f"{name}: {shown}"


# == fixture sites ===============================================================================
COPIED = ["docs/staff/model-policy.md", "handouts/family-letter-k-2.md", "handouts/family-letter-9-12.md",
          "handouts/es-if-your-child-was-targeted.md"]


def build_docx_site(work: Path, district: dict, env: dict | None = None):
    """tests/fixtures/docx-site plus the real policy and some letters (links to pages outside the
    fixture reduced to text), built with the given extra.district, PDFs off."""
    if not work.exists():
        shutil.copytree(FIXTURES / "docx-site", work)
        for path in COPIED:
            target = work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            text = re.sub(r"\[([^\]]*)\]\((?!https?:)[^)]*\)", r"\1", (ROOT / path).read_text(encoding="utf-8"))
            target.write_text(text, encoding="utf-8")
    config = work / "mkdocs.yml"
    config.write_text(dump_config(fixture_config(work, {"extra": {"district": district}})))
    return mkdocs_build(config, work / "site", {"CURRICULUM_PDF": "0", **(env or {})})


def docx_words(path: Path) -> str:
    paragraphs_, _ = check.docx_text(path.read_bytes())
    return re.sub(r"\s+", " ", " ".join(paragraphs_))


@pytest.fixture(scope="module")
def district_sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("docx-district")
    return build_docx_site(base / "with", DISTRICT), build_docx_site(base / "without", {})


def test_the_district_names_appear_and_the_neutral_wording_without_one(district_sites):
    with_district, without = district_sites
    assert with_district.returncode == 0, with_district.output[-3000:]
    assert without.returncode == 0, without.output[-3000:]
    policy = docx_words(with_district.site / "docx/model-policy.docx")
    assert DISTRICT["policy_name"] in policy and DISTRICT["counsel"] in policy
    neutral = docx_words(without.site / "docx/model-policy.docx")
    assert "your district's policy on bullying, harassment and technology use" in neutral
    assert DISTRICT["policy_name"] not in neutral
    for letter in ("family-letter-k-2.docx", "family-letter-9-12.docx"):
        named = docx_words(with_district.site / "docx" / letter)
        assert DISTRICT["school"] in named and DISTRICT["phone_display"] in named and DISTRICT["email"] in named
        plain = docx_words(without.site / "docx" / letter)
        assert "your school counselor or principal" in plain and DISTRICT["school"] not in plain
    spanish = docx_words(without.site / "docx/es-if-your-child-was-targeted.docx")
    assert "el equipo de consejería o la dirección de su escuela" in spanish
    assert Document(str(without.site / "docx/es-if-your-child-was-targeted.docx")).core_properties.language == "es"


def test_unchanged_copies_come_from_the_cache(tmp_path):
    work = tmp_path / "site"
    first = build_docx_site(work, {})
    assert first.returncode == 0, first.output[-3000:]
    made = SUMMARY.search(first.output)
    assert made and made[2] == str(len(COPIED)) and made[3] == "0", first.output[-2000:]
    again = build_docx_site(work, {})
    assert again.returncode == 0 and re.search(rf"{len(COPIED)} Word copies: all from the cache", again.output)
    letter = work / "handouts/family-letter-k-2.md"
    letter.write_text(letter.read_text() + "\nOne more line for the letter.\n")
    changed = build_docx_site(work, {})
    found = SUMMARY.search(changed.output)
    assert found and (found[2], found[3]) == ("1", str(len(COPIED) - 1)), changed.output[-2000:]
    assert "One more line for the letter." in docx_words(work / "site/docx/family-letter-k-2.docx")


BAD_PHONE = """---
title: "A letter with a number typed by hand"
audience: families
bands: ["all"]
kind: letter
pages: 1
description: "A fixture: the Markdown rule is switched off, so only the Word check can catch the number."
word: true
allow: {single-source: "A fixture for the Word copy's own check."}
---

# A letter

Call the front desk at 555-201-7788.
"""


def test_an_unknown_number_in_a_word_copy_fails_the_build_naming_the_file(tmp_path):
    def edit(work: Path) -> None:
        (work / "handouts").mkdir(exist_ok=True)
        (work / "handouts/typed-number.md").write_text(BAD_PHONE)

    result = build_fixture("docx-site", tmp_path, edit=edit)
    assert result.returncode != 0
    assert ("handouts/typed-number.md: its Word copy docx/typed-number.docx contains a phone number that is "
            "not in the registry: '555-201-7788'") in result.output
    assert "Traceback" not in result.output


def test_a_page_word_field_must_be_true_or_false(tmp_path):
    def edit(work: Path) -> None:
        (work / "docs/page.md").write_text("---\ntitle: A page\nword: maybe\n---\n\n# A page\n")

    result = build_fixture("docx-site", tmp_path, edit=edit)
    assert result.returncode != 0
    assert "docs/page.md:3: front-matter field 'word'" in result.output, result.output[-2000:]


def test_markup_in_a_district_field_stays_text():
    """A district name like '<script>' (escaped by the macros in the page) is text in Word, never markup."""
    init_worker("letter")
    html = prepare.prepare("<h1>Letter</h1><p>From &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co.</p>", "x/", {})
    result = convert_task(Task("x.docx", html, "k", 'A "quoted" <title>', "en", "<b>District</b>", "Site"))
    assert not result.error, result.error
    document = Document(io.BytesIO(result.data))
    assert "From <script>alert(1)</script> & Co." in [text_of(p) for p in paragraphs(document)]
    assert document.core_properties.title == 'A "quoted" <title>'
    assert document.core_properties.author == "<b>District</b>"
