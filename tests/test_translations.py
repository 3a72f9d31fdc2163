"""The Spanish edition (issue 19): the suffix layout, the switcher, the translation status, the
freshness gate, the fallbacks, and what a Spanish reader sees on the page and on paper.

Unit tests on the engine (curriculum/i18n.py) first; then the freshness command on the stale
fixture (tests/fixtures/i18n-site) and on the real tree; then the real built site (shared session build).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from lxml import html as lxml_html

from conftest import ENV, FIXTURES, ROOT, build_fixture
from curriculum import i18n
from curriculum.district import NEUTRAL
from curriculum.registry import LABEL_FIELDS, load_registry
from curriculum.translations import FOLDERS

REGISTRY = load_registry(ROOT / "macros/resources.yml")


def command(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "curriculum", "translations", *args], cwd=cwd, env=ENV,
                          capture_output=True, text=True)


# -- the engine ------------------------------------------------------------------------------------
@pytest.mark.parametrize("src, base, lang, dest", [
    ("families/index.es.md", "families/index.md", "es", "es/families/index.html"),
    ("handouts/resource-card.es.md", "handouts/resource-card.md", "es", "es/handouts/resource-card/index.html"),
    ("index.es.md", "index.md", "es", "es/index.html"),
    ("families/index.md", "families/index.md", "en", "families/index.html"),
    ("handouts/x.fr.md", "handouts/x.fr.md", "en", "handouts/x.fr/index.html"),   # not a language we publish
])
def test_suffix_layout(src, base, lang, dest):
    assert i18n.split(src) == (base, lang)
    assert i18n.dest_uri(src) == dest
    if lang != "en":
        assert i18n.translated(base, lang) == src


def test_content_hash_ignores_line_endings_only():
    assert i18n.content_hash("a\nb\n") == i18n.content_hash("a\r\nb\r\n")
    assert i18n.content_hash("a\nb\n") != i18n.content_hash("a\nc\n")


def test_plan_falls_back_and_links_both_ways():
    english = ["index.md", "families/index.md", "families/guide.md", "staff/index.md"]
    plan = i18n.plan(english, ["families/index.es.md"], lambda uri: uri.startswith("families/"))
    assert set(plan.pages) == {"families/index.es.md", "families/guide.es.md"}
    assert not plan.pages["families/index.es.md"].fallback and plan.pages["families/guide.es.md"].fallback
    assert plan.alternates("families/index.md") == {"en": "families/index.md", "es": "families/index.es.md"}
    assert plan.alternates("families/index.es.md") == {"en": "families/index.md", "es": "families/index.es.md"}
    assert plan.alternates("staff/index.md") == {}          # outside the Spanish scope: no counterpart


def test_fallback_links_go_to_spanish_versions_that_exist():
    text = "[a](guide.md) [b](../handouts/x.md#top) [c](other.md) [d](https://example.org/x.md)"
    exists = {"families/guide.es.md", "handouts/x.es.md"}.__contains__
    out = i18n.localize_links(text, "families/index.md", "es", exists)
    assert out == "[a](guide.es.md) [b](../handouts/x.es.md#top) [c](other.md) [d](https://example.org/x.md)"


def test_registry_spanish_labels_never_repeat_numbers_or_urls():
    """Spanish labels hold words only; a Spanish display form must dial the same number."""
    for key, entry in REGISTRY.resources.items():
        if entry.es is None:
            continue
        assert set(type(entry.es).model_fields) == set(LABEL_FIELDS), key
        for field in LABEL_FIELDS:
            value = getattr(entry.es, field) or ""
            assert not re.search(r"https?://|www\.", value), f"{key}.es.{field} repeats a web address"
        assert entry.words("es")["display"] == (entry.es.display or entry.display)
    assert "2" in (REGISTRY.resources["988-lifeline"].words("es")["summary"] or ""), "988's Spanish option"


def test_registry_rejects_a_spanish_display_that_dials_another_number(tmp_path):
    from curriculum.errors import ContentError

    text = (ROOT / "macros/resources.yml").read_text(encoding="utf-8")
    bad = text.replace('      display: "Envíe HOME por texto al 741741"',
                       '      display: "Envíe HOME por texto al 741740"')
    assert bad != text
    (tmp_path / "resources.yml").write_text(bad, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_registry(tmp_path / "resources.yml")
    assert "crisis-text-line" in error.value.report() and "'es'" in error.value.report()


# -- the freshness gate -----------------------------------------------------------------------------
def test_no_translation_in_the_real_tree_is_stale():
    """`make test` fails here, naming the file, when an English source changed after its translation."""
    statuses, problems = i18n.statuses(ROOT, FOLDERS)
    assert not problems, "\n".join(map(str, problems))
    stale = [str(i18n.stale_problem(s)) for s in statuses if s.stale]
    assert not stale, "stale translations:\n" + "\n".join(stale)
    assert statuses


REQUIRED = ["docs/index.es.md", "docs/families/index.es.md", "docs/resources.es.md",
            "docs/families/if-your-child-was-targeted.es.md",
            *(f"handouts/family-{kind}-{band}.es.md" for kind in ("letter", "tips")
              for band in ("k-2", "3-5", "6-8", "9-12")),
            "handouts/if-your-child-is-targeted.es.md", "handouts/resource-card.es.md",
            "handouts/3-5-my-help-plan.es.md", "handouts/6-8-if-it-happens-card.es.md",
            "handouts/9-12-sextortion-help-plan.es.md"]


def test_the_issues_documents_are_translated():
    assert set(REQUIRED) <= {s.path for s in i18n.statuses(ROOT, FOLDERS)[0]}


def test_no_translation_claims_a_review():
    """The translations in this repository were drafted without a fluent reviewer: none says otherwise."""
    statuses, _ = i18n.statuses(ROOT, FOLDERS)
    assert [s.path for s in statuses if s.reviewed] == []


def test_freshness_command_exit_codes():
    stale = command("--root", str(FIXTURES / "i18n-site"))
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert re.search(r"STALE +docs/families/index\.es\.md", stale.stdout)
    assert re.search(r"current +docs/index\.es\.md", stale.stdout)
    current = command()
    assert current.returncode == 0, current.stdout + current.stderr


def test_confirm_and_diff_since_the_recorded_hash(tmp_path):
    """--diff shows the English change since the translation's hash (from git history); --confirm
    records the new hash, and the command passes again."""
    work = tmp_path / "site"
    shutil.copytree(FIXTURES / "i18n-site", work)
    source = work / "docs/families/index.md"
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    assert command("--confirm", "docs/families/index.es.md", "--root", str(work)).returncode == 0
    assert command("--root", str(work)).returncode == 0
    source.write_text(source.read_text() + "\nA new English sentence.\n")
    subprocess.run([*git, "commit", "-qam", "v2"], check=True)
    diff = command("--diff", "--root", str(work))
    assert diff.returncode == 1
    assert "+A new English sentence." in diff.stdout and "STALE" in diff.stdout


def test_stale_fixture_warns_in_the_build_and_falls_back(tmp_path):
    build = build_fixture("i18n-site", tmp_path)
    assert build.returncode == 0, build.output[-3000:]
    assert re.search(r"WARNING .*docs/families/index\.es\.md:\d+: stale translation", build.output), build.output
    fallback = build.site / "es/families/guide/index.html"
    page = lxml_html.parse(str(fallback)).getroot()
    assert page.get("lang") == "es"
    assert page.xpath("//div[contains(@class, 'fir-fallback')][@lang='es']"), "no Spanish fallback notice"
    assert page.xpath("//article//div[@lang='en']//h1"), "the English content is not marked lang='en'"
    # reviewed: no notice; not reviewed: the notice
    unreviewed = "//*[contains(@class,'fir-unreviewed')]"
    assert not lxml_html.parse(str(build.site / "es/index.html")).getroot().xpath(unreviewed)
    assert lxml_html.parse(str(build.site / "es/families/index.html")).getroot().xpath(unreviewed)


# -- the real site ----------------------------------------------------------------------------------
def _translations() -> list[i18n.Status]:
    return i18n.statuses(ROOT, FOLDERS)[0]


def _src_uri(path: str) -> str:
    return path.removeprefix("docs/")


def _page(site: Path, src_uri: str):
    return lxml_html.parse(str(site / i18n.dest_uri(src_uri))).getroot()


def _switch(page, lang: str) -> str:
    links = page.xpath(f"//header//a[contains(@class,'md-select__link')][@hreflang='{lang}']/@href")
    assert links, f"no switcher link to {lang}"
    return links[0]


def _resolve(site: Path, src_uri: str, href: str) -> Path:
    here = (site / i18n.dest_uri(src_uri)).parent
    target = (here / href).resolve()
    return target / "index.html" if href.endswith("/") or target.is_dir() else target


@pytest.mark.parametrize("status", _translations(), ids=lambda s: s.path)
def test_switcher_links_page_and_translation_both_ways(built_site, status):
    spanish, english = _src_uri(status.path), _src_uri(status.source)
    es_page, en_page = _page(built_site, spanish), _page(built_site, english)
    assert _resolve(built_site, spanish, _switch(es_page, "en")) == (built_site / i18n.dest_uri(english)).resolve()
    assert _resolve(built_site, english, _switch(en_page, "es")) == (built_site / i18n.dest_uri(spanish)).resolve()
    for page, other in ((es_page, "en"), (en_page, "es")):
        assert page.xpath(f"//head/link[@rel='alternate'][@hreflang='{other}']"), "no hreflang link"


def test_every_spanish_page_declares_its_language(built_site):
    pages = sorted((built_site / "es").rglob("*.html"))
    assert pages
    for path in pages:
        assert lxml_html.parse(str(path)).getroot().get("lang") == "es", path


ENGLISH_REACH = ("Call: ", "Text: ", "24 hours a day", "Online, any time")


@pytest.mark.parametrize("status", _translations(), ids=lambda s: s.path)
def test_no_english_hotline_text_on_a_spanish_page(built_site, status):
    """Registry words on a Spanish page are the Spanish labels; organization names are the only English."""
    article = _page(built_site, _src_uri(status.path)).xpath("//article")[0]
    text = re.sub(r"\s+", " ", article.text_content())
    used = {a.get("data-resource") for a in article.xpath(".//a[@data-resource]")}
    for key in used:
        entry = REGISTRY.resources[key]
        for field in ("summary", "hours", "display"):
            english = getattr(entry, field)
            # a display of digits and a vanity number (1-800-THE-LOST) reads the same in Spanish
            if english and (field != "display" or re.search(r"[a-z]{2}", english)):
                assert english not in text, f"{key}: the English {field} {english!r} is on the page"
    for phrase in ENGLISH_REACH + (NEUTRAL["contact"], NEUTRAL["school"] + "'s"):
        assert phrase not in text, f"English {phrase!r} on a Spanish page"


@pytest.mark.parametrize("status", _translations(), ids=lambda s: s.path)
def test_unreviewed_translation_says_so_on_the_page(built_site, status):
    notice = _page(built_site, _src_uri(status.path)).xpath("//article//*[contains(@class, 'fir-unreviewed')]")
    assert bool(notice) == (not status.reviewed)
    if notice:
        assert "Ninguna persona con dominio del español" in notice[0].text_content()


def test_spanish_pdfs_are_spanish_and_say_they_are_unreviewed(built_site):
    """Every Spanish handout has a PDF with /Lang es and the unreviewed notice in its footer or card
    margin; each band has a Spanish packet; the English packets hold English documents only."""
    handouts = [s for s in _translations() if s.path.startswith("handouts/")]
    assert handouts
    for status in handouts:
        pdf = built_site / "pdf" / (Path(status.path).stem + ".pdf")
        with pikepdf.open(pdf) as doc:
            assert str(doc.Root.Lang) == "es", pdf.name
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Traducción sin revisar" in re.sub(r"\s+", " ", text), f"{pdf.name}: no unreviewed notice"
    for band in ("k-2", "3-5", "6-8", "9-12"):
        with pikepdf.open(built_site / "pdf" / f"packet-{band}.es.pdf") as packet:
            assert str(packet.Root.Lang) == "es"
        english = subprocess.run(["pdftotext", str(built_site / "pdf" / f"packet-{band}.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout
        assert "Traducción sin revisar" not in english and "Estimadas familias" not in english, band


def test_old_spanish_addresses_lead_to_the_new_pages(built_site):
    for old, new in i18n.MOVED.items():
        page = lxml_html.parse(str(built_site / i18n.dest_uri(old))).getroot()
        href = page.xpath("//a/@href")[0]
        assert _resolve(built_site, old, href) == (built_site / i18n.dest_uri(new)).resolve()


# -- the rules read Spanish -------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["Guarde la imagen para la policía.", "Mírela para saber qué pasó.",
                                 "Tome una captura de pantalla del chat.",
                                 "Si pasa algo, reenvíe la foto a la escuela.",
                                 "No la mire, pero guárdela.", "Pídale que le mande la foto.",
                                 "Debe guardar la imagen.", "Guarda los mensajes como prueba."])
def test_spanish_orders_to_handle_an_image_are_caught(bad):
    from curriculum.rules.image_handling import spanish_instructions

    assert spanish_instructions(bad), bad


@pytest.mark.parametrize("good", ["No la mire, no la guarde, no la reenvíe.", "No le pida que se la muestre.",
                                  "No se la mande a nadie, ni a la escuela.",
                                  "Nadie debe mirar, guardar ni reenviar la imagen.",
                                  "Si alguien comparte una foto cruel o privada, no la pases.",
                                  "Quiere que le mande fotos reales, o lo va a publicar.",
                                  "Compartir estas imágenes puede traer castigos.", "Guarda esta hoja."])
def test_spanish_negations_and_descriptions_are_allowed(good):
    from curriculum.rules.image_handling import spanish_instructions

    assert not spanish_instructions(good), good


def test_spanish_pages_are_held_to_the_rules():
    """A Spanish page of any audience gets the Spanish reading bound; a Spanish student sheet that offers
    Take It Down is pointed at the Spanish student caveat; CSAM may be defined in Spanish."""
    from curriculum import rules
    from curriculum.rules import crisis, csam, reading

    page = rules.document(ROOT / "docs/resources.es.md", ROOT)
    assert page.lang == "es" and reading.RULE.applies(page)
    sheet = rules.Document("handouts/x.es.md", "# Hoja\n\nUsa Take It Down.\n", {}, "handout", "students", "es")
    problems = crisis.check_caveat(sheet, rules.Context(REGISTRY))
    assert problems and "take-it-down-limits-students-es.md" in problems[0].hint
    assert csam.csam_first_use("Puede ser material de abuso sexual infantil (CSAM). El CSAM es...") is None
    assert csam.csam_first_use("El CSAM es un delito.") is not None
