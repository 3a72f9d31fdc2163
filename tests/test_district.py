"""District editions (issue 18): the district file's schema (no builds), one branded fixture build,
the reporting steps on the card, escaping, the before-you-print page, and editions sharing a cache."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from conftest import ENV, FIXTURES, ROOT, EnvTag, build_fixture, dump_config, fixture_config, mkdocs_build
from curriculum.district import load_district_file
from curriculum.edition_pages import must_check
from curriculum.errors import ContentError
from curriculum.schemas import contrast

EXAMPLE = yaml.safe_load((ROOT / "district.example.yml").read_text())


def write(tmp_path: Path, data: dict, logo: bool = True) -> Path:
    """A district file in tmp_path (with its logo beside it unless ``logo`` is False)."""
    data = dict(data)
    if "logo" in data:
        data["logo"] = "logo.svg"
        if logo:
            shutil.copy(ROOT / "editions/logos/lincoln.svg", tmp_path / "logo.svg")
    path = tmp_path / "district.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def problems(tmp_path: Path, data: dict, logo: bool = True) -> str:
    with pytest.raises(ContentError) as error:
        load_district_file(write(tmp_path, data, logo))
    return error.value.report()


# == the schema, without builds ===================================================================
def test_example_district_file_is_valid():
    district = load_district_file(ROOT / "district.example.yml")
    assert district.configured and district.short_name == "Lincoln USD"
    assert [s.role for s in district.reporting_steps] == ["counselor", "principal", "title-ix-coordinator"]
    # The flat fields the pages use come from the contacts.
    assert district.counselor == "Ms. Rivera, school counselor" and district.phone == "+15555550100"
    assert district.contact == "Ms. Rivera, school counselor"       # the first reporting step


def test_unknown_key_gets_did_you_mean(tmp_path):
    data = {**EXAMPLE, "contcts": EXAMPLE["contacts"]}
    report = problems(tmp_path, data)
    assert "unknown field 'contcts'; did you mean contacts" in report and "district.yml" in report
    nested = {**EXAMPLE, "contacts": [{**EXAMPLE["contacts"][0], "phnoe": "x"}, *EXAMPLE["contacts"][1:]]}
    assert "unknown field 'phnoe'; did you mean phone" in problems(tmp_path, nested)


def test_every_missing_required_field_is_named(tmp_path):
    data = {k: v for k, v in EXAMPLE.items() if k not in ("short_name", "state", "policy_adopted")}
    report = problems(tmp_path, data)
    for field in ("short_name", "state", "policy_adopted"):
        assert f"district field '{field}' is missing" in report
    assert "'name' is missing" not in report


def test_low_contrast_colour_is_refused(tmp_path):
    report = problems(tmp_path, {**EXAMPLE, "colors": {"primary": "#f3a6d0", "accent": "#8a1c5c"}})
    assert "colors.primary #f3a6d0" in report and "4.5:1" in report
    report = problems(tmp_path, {**EXAMPLE, "colors": {"primary": "#0b5d3b", "accent": "#ff9900"}})
    assert "colors.accent #ff9900" in report
    # The WCAG formula at its known points: black on white is 21:1, a colour on itself 1:1.
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#777777") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") >= 4.5 > contrast("#777777", "#ffffff")


def test_missing_or_wrong_logo_is_refused(tmp_path):
    assert "does not exist" in problems(tmp_path, EXAMPLE, logo=False)
    gif = tmp_path / "logo.gif"
    gif.write_bytes(b"GIF89a")
    path = write(tmp_path, EXAMPLE)
    path.write_text(path.read_text().replace("logo.svg", "logo.gif"))
    with pytest.raises(ContentError, match="must be an SVG or PNG"):
        load_district_file(path)


def test_bad_paper_and_unknown_roles_are_refused(tmp_path):
    assert "district field 'paper'" in problems(tmp_path, {**EXAMPLE, "paper": "legal"})
    steps = {**EXAMPLE, "reporting_steps": ["counselor", "nurse"]}
    assert "reporting_steps.1.role" in problems(tmp_path, steps)
    no_contact = {**EXAMPLE, "contacts": EXAMPLE["contacts"][:1]}
    assert "reporting_steps names principal" in problems(tmp_path, no_contact)
    bad_phone = {**EXAMPLE, "contacts": [{**EXAMPLE["contacts"][0], "phone": "555-0100"}, *EXAMPLE["contacts"][1:]]}
    assert "E.164" in problems(tmp_path, bad_phone)


def test_must_check_list_comes_from_facts():
    items = must_check(ROOT / "reference" / "facts.md")
    assert len(items) >= 5 and items[0].startswith("Get the OCEPI")


# == one branded fixture build (no PDFs) ==========================================================
def edition_config(work: Path, district: str | EnvTag | None, **plugin) -> Path:
    """The fixture config with the curriculum plugin given a district file (and other options)."""
    config = fixture_config(work)
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "curriculum" in entry:
            entry["curriculum"].update(facts=str(ROOT / "reference/facts.md"), **plugin)
            if district:
                entry["curriculum"]["district"] = district
    path = work / "mkdocs.yml"
    path.write_text(dump_config(config))
    return path


def edition_copy(tmp_path: Path) -> Path:
    work = tmp_path / "district-edition"
    shutil.copytree(FIXTURES / "district-edition", work)
    (work / "handouts").mkdir()
    shutil.copy(ROOT / "handouts/staff-first-response-card.md", work / "handouts")
    (work / "docs/about").mkdir()
    shutil.copy(ROOT / "docs/about/before-you-print.md", work / "docs/about")
    return work


@pytest.fixture(scope="module")
def branded(tmp_path_factory):
    work = edition_copy(tmp_path_factory.mktemp("branded"))
    result = mkdocs_build(edition_config(work, "district.yml"), work / "site", {"CURRICULUM_PDF": "0"})
    assert result.returncode == 0, result.output[-3000:]
    return work / "site"


def page(site: Path, url: str):
    return lxml_html.parse(str(site / url / "index.html")).getroot()


def text(node) -> str:
    return re.sub(r"\s+", " ", node.text_content())


def test_card_lists_reporting_steps_in_order(branded):
    steps = page(branded, "handouts/staff-first-response-card").xpath("//article//li[strong[@class='fir-step']]")
    shown = [text(li) for li in steps]
    assert len(shown) == 3
    for item, (name, phone) in zip(shown, [("First, school counselor", "(555) 555-0110"),
                                           ("Mr. Second, principal", "(555) 555-0111"),
                                           ("Dr. Third, Title IX coordinator", "(555) 555-0112")], strict=True):
        assert name in item and phone in item
    assert "right away" in shown[0]
    tel = steps[1].xpath(".//a/@href")
    assert tel == ["tel:+15555550111"]


def test_district_values_are_escaped(branded):
    for url in ("", "handouts/staff-first-response-card", "about/before-you-print"):
        tree = page(branded, url)
        for script in tree.xpath("//script"):
            assert "alert(" not in (script.text or ""), f"{url or 'home'}: a district value ran as a script"
    home = text(page(branded, "").xpath("//article")[0])
    assert "Fixture <script>alert(1)</script> District" in home
    assert "Ms. <script>alert(2)</script>First, school counselor" in home
    card = text(page(branded, "handouts/staff-first-response-card").xpath("//article")[0])
    assert "<script>alert(2)</script>First" in card


def test_header_shows_logo_name_and_colours(branded):
    tree = page(branded, "")
    assert tree.xpath("//title")[0].text.endswith("Fake Images, Real Harm: Fixture SD")
    assert "assets/district/logo.svg" in tree.xpath("//*[contains(@class, 'md-logo')]//img/@src")
    assert (branded / "assets/district/logo.svg").read_bytes() == (FIXTURES / "district-edition/logo.svg").read_bytes()
    assert "assets/stylesheets/district.css" in tree.xpath("//link[@rel='stylesheet']/@href")
    css = (branded / "assets/stylesheets/district.css").read_text()
    assert "--md-primary-fg-color: #0b5d3b" in css and "--md-accent-fg-color: #8a1c5c" in css


def test_before_you_print_page(branded):
    registry = yaml.safe_load((ROOT / "macros/resources.yml").read_text())["resources"]
    critical = {k for k, r in registry.items() if r["tier"] == "critical"}
    tree = page(branded, "about/before-you-print")
    rows = tree.xpath("//table[@class='fir-before-print']/tbody/tr")
    assert {r.xpath("./td/@data-resource")[0] for r in rows} == critical
    for row in rows:
        key = row.xpath("./td/@data-resource")[0]
        assert text(row).count(str(registry[key]["verified"])) >= 1
        shown = text(row)
        assert "never reached" in shown or "no web address" in shown or re.search(r"\d{4}-\d\d-\d\d.*\d{4}", shown)
    body = text(tree.xpath("//article")[0])
    for item in must_check(ROOT / "reference/facts.md"):
        assert re.sub(r"\*\*|`", "", item)[:40] in body
    assert "Fixture Policy 1.2" in body and "2025-01-15" in body and "A4" in body and "en, es" in body
    assert "second@fixture.example.org" in body and tree.xpath("//table[@class='fir-contacts']")
    assert "Curriculum coordinator:" in body and tree.xpath("//article//*[contains(@class, 'fir-blank')]")


def test_neutral_build_says_so_once(tmp_path):
    result = build_fixture("good", tmp_path)
    assert result.returncode == 0, result.output[-2000:]
    assert result.output.count("No district configured") == 1


def test_bad_district_file_stops_the_build_naming_it(tmp_path):
    work = edition_copy(tmp_path)
    (work / "district.yml").write_text((work / "district.yml").read_text().replace("short_name:", "shortname:"))
    result = mkdocs_build(edition_config(work, "district.yml"), work / "site", {"CURRICULUM_PDF": "0"})
    assert result.returncode != 0 and "Traceback" not in result.output
    assert "district.yml: district field 'shortname': unknown field 'shortname'; did you mean short_name" \
        in result.output
    assert not (work / "site").exists()


# == PDFs: the district's paper size and its name in the footer ==================================
def test_pdf_is_a4_with_district_footer(tmp_path):
    from pypdf import PdfReader
    work = tmp_path / "pdf-site"
    shutil.copytree(FIXTURES / "pdf-site", work)
    shutil.copy(FIXTURES / "district-edition/district.yml", work)
    shutil.copy(FIXTURES / "district-edition/logo.svg", work)
    result = mkdocs_build(edition_config(work, "district.yml", pdf_cache=str(tmp_path / "cache")), work / "site",
                          {"CURRICULUM_PDF": "1"})
    assert result.returncode == 0, result.output[-3000:]
    for card in ("pdf-family-es", "pdf-staff-card"):        # a sheet of cards: A4 too, either way up
        box = PdfReader(work / f"site/pdf/{card}.pdf").pages[0].mediabox
        assert sorted((round(float(box.width)), round(float(box.height)))) == [595, 842]
    reader = PdfReader(work / "site/pdf/3-5-01-pdf-lesson.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)     # A4, not Letter (612 x 792)
    footer = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert "Fixture<script>alert(1)</script>District" in footer


# == many editions, one cache ====================================================================
def test_editions_share_the_pdf_cache(tmp_path):
    work = tmp_path / "pdf-site"
    shutil.copytree(FIXTURES / "pdf-site", work)
    editions = work / "editions"
    editions.mkdir()
    shutil.copy(FIXTURES / "district-edition/logo.svg", editions)
    base = (FIXTURES / "district-edition/district.yml").read_text()
    (editions / "a-first.yml").write_text(base)
    (editions / "b-second.yml").write_text(base.replace("Fixture <script>alert(1)</script> District", "Second District")
                                           .replace("Fixture SD", "Second SD"))
    config = edition_config(work, EnvTag(["CURRICULUM_DISTRICT", ""]), pdf_cache=str(tmp_path / "shared-cache"))
    result = subprocess.run([sys.executable, "-m", "curriculum", "editions", str(editions), "--config", str(config),
                             "--out", str(tmp_path / "site-editions")],
                            cwd=work, env={**ENV, "CURRICULUM_PDF": "1"}, capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    for name in ("a-first", "b-second"):
        assert (tmp_path / "site-editions" / name / "pdf/pdf-family-es.pdf").is_file()
    assert "Second SD" in (tmp_path / "site-editions/b-second/index.html").read_text()
    rendered = [int(m[1]) for m in re.finditer(r"rendering (\d+) of (\d+) documents", output)]
    assert len(rendered) == 2, output[-3000:]
    first, second = rendered
    assert second < first, f"the second edition rendered {second} documents, the first {first}: nothing shared"
    # The editions differ only in the district's name, which no document's body shows: the second edition
    # renders one thing only, the page its footer stamp's font comes from.
    assert second == 1, f"the second edition rendered {second} documents; only its footer font should be new"
    # The shared lesson still names each edition's own district in its footer (stamped after rendering).
    from pypdf import PdfReader
    footer = PdfReader(tmp_path / "site-editions/b-second/pdf/3-5-01-pdf-lesson.pdf").pages[0].extract_text()
    assert "Second District" in footer and "alert(1)" not in footer
