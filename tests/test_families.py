"""The family pages and family handouts: reading level, the generated "What your child is learning"
page, the "targeted" guide's reporting links and image-handling wording, and district contacts in
the family letters.

Reading level is measured on the **built HTML** of each page's article, not on the Markdown:
parents read what the macros produce (resource names such as "1-800-THE-LOST (1-800-843-5678)",
the district's contact, or the neutral "your school counselor or principal"), and the Markdown
stripped of macros leaves holes in exactly the sentences that matter most ("Contact  at ."). Each
block (paragraph, list item, heading, table cell, admonition title, tab label) is scored as its own
sentence, so a bulleted list is not read as one run-on sentence.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from conftest import FIXTURES, ROOT, build_fixture, dump_config, fixture_config, mkdocs_build
from curriculum.content import reading_grade
from curriculum.rules import reading

FAMILY_DOCS = sorted((ROOT / "docs" / "families").glob("*.md"))
DISTRICT = {"name": "Riverbend Unified School District", "school": "Maple Grove Elementary",
            "contact": "Ms. Okafor, school counselor", "phone": "+15555550147",
            "phone_display": "(555) 555-0147", "email": "help@riverbend.example"}
NO_PDF = {"CURRICULUM_PDF": "0"}  # the fixture builds check web pages; the PDF tests live elsewhere


def front_matter(path: Path) -> dict:
    match = re.match(r"^---\n(.*?)\n---", path.read_text(encoding="utf-8"), flags=re.S)
    return yaml.safe_load(match.group(1)) if match else {}


FAMILY_HANDOUTS = sorted(p for p in (ROOT / "handouts").glob("*.md")
                         if p.name != "index.md" and front_matter(p).get("audience") == "families")


def page_html(site: Path, src: str) -> Path:
    """The built index.html for a source path like 'families/x.md' or 'handouts/x.md'."""
    from curriculum.i18n import dest_uri

    return site / dest_uri(src)        # a translation (x.es.md) is published under es/


def article(path: Path):
    tree = lxml_html.fromstring(path.read_bytes())
    found = tree.xpath('//article[contains(concat(" ", normalize-space(@class), " "), " md-content__inner ")]')
    assert found, f"{path}: no article element"
    return found[0]


def readable_text(path: Path) -> str:
    """The article's words as sentences (the reading-level rule's own reading of a page)."""
    return reading.readable_text(article(path))


# ------------------------------------------------------------------------------------ the pages exist
def test_family_pages_and_handouts_exist():
    names = {p.name for p in FAMILY_DOCS}
    assert {"index.md", "talking-with-your-child.md", "if-your-child-was-targeted.md",
            "if-your-child-made-or-shared.md", "apps-settings-warning-signs.md"} <= names
    slugs = {p.stem for p in FAMILY_HANDOUTS}
    bands = ("k-2", "3-5", "6-8", "9-12")
    assert {f"family-letter-{b}" for b in bands} <= slugs
    assert {f"family-tips-{b}" for b in bands} <= slugs
    assert {"if-your-child-is-targeted", "resource-card", "if-your-child-is-targeted.es",
            "resource-card.es"} <= slugs


# ------------------------------------------------------------------------------------ reading level
# The build itself holds every family page and handout to its reading level (curriculum/rules/reading.py,
# tested in tests/test_rules.py). Here: the rule reads the built page as a parent sees it.
def test_the_rule_reads_the_built_targeted_page_as_a_parent_does(built_site):
    text = readable_text(page_html(built_site, "families/if-your-child-was-targeted.md"))
    assert text.startswith("If your child was targeted") and "Download PDF" not in text and "¶" not in text
    assert reading_grade(text) <= reading.MAX_GRADE


# ------------------------------------------------------------------------------------ generated page
def test_what_your_child_is_learning_from_fixture(tmp_path):
    result = build_fixture("good", tmp_path, env=NO_PDF)
    assert result.returncode == 0, result.output[-3000:]
    page = page_html(result.site, "families/what-your-child-is-learning.md")
    text = re.sub(r"\s+", " ", article(page).text_content())
    assert "Fixture lesson" in text
    assert "What do we do when a picture is not OK?" in text
    assert "Read the fixture worksheet together at home." in text
    links = [a for a in article(page).iter("a") if a.text_content().strip() == "fixture worksheet"]
    assert links, "the Family connection link was not kept"
    for link in links:
        target = (page.parent / link.get("href")).resolve()
        target = target / "index.html" if target.is_dir() else target
        assert target.is_file(), f"link {link.get('href')!r} on the generated page does not resolve"
        assert "Fixture" in lxml_html.fromstring(target.read_bytes()).findtext(".//title")


# ------------------------------------------------------------------------------------ targeted page
NEGATION = re.compile(r"\b(don't|don’t|do not|never|not|no one|nobody|without)\b", re.I)
# Base forms only: an instruction is an imperative ("Save it"), while "NCMEC sends it to the police"
# or "having or sending it" describe, and do not tell the reader to do anything.
IMAGE_ACTION = re.compile(r"\b(view|look at|save|screenshot|screen shot|forward|send (?:it|them|the image)|copy|"
                          r"download|print it|share it)\b", re.I)
CLAUSE = re.compile(r"[;:]|\bthen\b|, but\b|\band\b(?= (?:then|later|also))", re.I)


def positive_image_instructions(text: str) -> list[str]:
    """Sentences that mention viewing, saving, screenshotting, copying or forwarding where no negation
    comes before the verb in the same clause ("Don't save, copy or forward it" is fine;
    "Don't panic, then screenshot it" is not)."""
    bad = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        for match in IMAGE_ACTION.finditer(sentence):
            clause = CLAUSE.split(sentence[:match.start()])[-1]
            if not NEGATION.search(clause):
                bad.append(sentence)
                break
    return bad


def test_image_instruction_check_can_fail():
    assert positive_image_instructions("Take a screenshot of the image. Then report it.")
    assert positive_image_instructions("Forward it to the principal.")
    assert positive_image_instructions("Don't panic, then screenshot it for the police.")
    assert positive_image_instructions("Keep a copy of the image; do not send it on.")
    assert not positive_image_instructions("Don't save it or forward it. Report it.")
    assert not positive_image_instructions("Do not save, copy or screenshot it. Never view it.")


@pytest.mark.parametrize("src", ["families/if-your-child-was-targeted.md", "handouts/if-your-child-is-targeted.md"])
def test_targeted_guide_reporting_links_and_no_image_handling(built_site, src):
    from curriculum.registry import load_registry
    registry = load_registry(ROOT / "macros" / "resources.yml")
    node = article(page_html(built_site, src))
    for key in ("cybertipline", "take-it-down"):
        entry = registry.get(key, where=src)
        links = node.xpath(f'.//a[@data-resource="{key}"]')
        assert links, f"{src} has no {key} link"
        assert any(a.text_content().strip() == entry.name for a in links), \
            f"{src}: the {key} link does not show the registry name {entry.name!r}"
        assert all(a.get("href") == (entry.web or entry.href) for a in links)
    bad = positive_image_instructions(readable_text(page_html(built_site, src)))
    assert not bad, f"{src} seems to tell the reader to handle the image: {bad}"


# ------------------------------------------------------------------------------------ district contacts
LETTERS = [p for p in FAMILY_HANDOUTS if p.stem.startswith("family-letter-") and ".es" not in p.suffixes]


SPANISH = ["if-your-child-is-targeted.es", "resource-card.es"]


def build_family_handouts(tmp_path: Path, district: dict):
    """tests/fixtures/families-district/ plus the real family letters and Spanish handouts (their
    internal links reduced to plain text, since the pages they point to are not in the fixture),
    built with the given extra.district."""
    work = tmp_path / "families-district"
    shutil.copytree(FIXTURES / "families-district", work)
    (work / "handouts").mkdir(exist_ok=True)
    spanish = [ROOT / "handouts" / f"{slug}.md" for slug in SPANISH]
    english = [ROOT / "handouts" / f"{slug.removesuffix('.es')}.md" for slug in SPANISH]  # their sources
    for path in [*LETTERS, *spanish, *english]:
        text = re.sub(r"\[([^\]]*)\]\((?!https?:)[^)]*\)", r"\1", path.read_text(encoding="utf-8"))
        (work / "handouts" / path.name).write_text(text, encoding="utf-8")
    config = work / "mkdocs.yml"
    data = fixture_config(work, {"extra": {"district": district}})
    for plugin in data["plugins"]:
        if isinstance(plugin, dict) and "curriculum" in plugin:
            plugin["curriculum"]["allow_example_district"] = True   # its 555 number and .example address
    config.write_text(dump_config(data))
    return mkdocs_build(config, work / "site", NO_PDF)


@pytest.fixture(scope="module")
def district_builds(tmp_path_factory):
    with_district = build_family_handouts(tmp_path_factory.mktemp("with-district"), DISTRICT)
    without = build_family_handouts(tmp_path_factory.mktemp("no-district"), {})
    return with_district, without


def test_letters_exist_for_every_band():
    assert {p.stem for p in LETTERS} == {f"family-letter-{b}" for b in ("k-2", "3-5", "6-8", "9-12")}


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_family_letter_names_the_configured_district(district_builds, letter):
    build, _ = district_builds
    assert build.returncode == 0, build.output[-3000:]
    node = article(page_html(build.site, f"handouts/{letter.name}"))
    text = re.sub(r"\s+", " ", node.text_content())
    assert "Dear families," in text
    closing = lxml_html.tostring(node, encoding="unicode").split("Sincerely,", 1)
    assert len(closing) == 2 and 'class="fir-blank' in closing[1], f"{letter.name} has no line to sign"
    for field in ("contact", "school", "phone_display", "email"):
        assert DISTRICT[field] in text, f"{letter.name} does not show the district {field}"
    assert node.xpath(f'.//a[@href="tel:{DISTRICT["phone"]}"]'), f"{letter.name}: no tel: link for the school"
    assert "your school counselor or principal" not in text


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_family_letter_without_district_uses_neutral_wording(district_builds, letter):
    _, build = district_builds
    assert build.returncode == 0, build.output[-3000:]
    node = article(page_html(build.site, f"handouts/{letter.name}"))
    text = re.sub(r"\s+", " ", node.text_content())
    assert "Dear families," in text
    assert "your school counselor or principal" in text
    assert "your school's main office" in text
    assert DISTRICT["contact"] not in text and DISTRICT["school"] not in text
    assert not node.xpath('.//a[contains(@class, "fir-district")]'), "a school phone link with no district set"


@pytest.mark.parametrize("slug", SPANISH)
def test_spanish_handouts_district_wording(district_builds, slug):
    with_district, without = district_builds
    shown = re.sub(r"\s+", " ", article(page_html(with_district.site, f"handouts/{slug}.md")).text_content())
    neutral = re.sub(r"\s+", " ", article(page_html(without.site, f"handouts/{slug}.md")).text_content())
    assert DISTRICT["contact"] in shown and DISTRICT["phone_display"] in shown
    assert "el equipo de consejería o la dirección de su escuela" in neutral
    assert "your school" not in neutral, "English neutral wording leaked into a Spanish handout"


def test_spanish_handout_pages_declare_their_language(built_site):
    """A screen reader must switch to Spanish for the Spanish handouts (WCAG 3.1.2)."""
    from curriculum.content import collect

    spanish = [h for h in collect(ROOT).handouts.values() if h.meta.lang == "es"]
    assert spanish
    for handout in spanish:
        root = lxml_html.parse(str(page_html(built_site, handout.path.as_posix()))).getroot()
        assert root.get("lang") == "es", f"{handout.path}: the page does not declare lang='es'"
