"""The printable PDFs (curriculum/outputs/pdf/): one per handout and lesson, band and staff packets.

Three kinds of tests:
- the repair functions on small HTML strings (fast, no build);
- the PDFs of the real site (built once per session by the ``built_site`` fixture, PDFs on);
- tiny fixture sites (tests/fixtures/pdf-site) for the cache, the page budget and failed builds.
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import ROOT, build_fixture, dump_config, fixture_config, load_config, mkdocs_build
from curriculum.build import build as safe_build
from curriculum.content import collect
from curriculum.htmlcheck import normalize
from curriculum.nav import folder_pages
from curriculum.outputs.pdf import cache, packets, repair, template
from curriculum.outputs.pdf.model import PACKET_LINK
from curriculum.registry import load_registry
from curriculum.schemas import BANDS

REGISTRY = load_registry(ROOT / "macros/resources.yml")
PDF_ON = {"CURRICULUM_PDF": "1"}
SUMMARY = re.compile(r"(\d+) PDFs, (\d+) pages: (?:(\d+) rendered, (\d+) from the cache|all (\d+) from the cache)")


def squash(text: str) -> str:
    """Text without any whitespace: PDF text extraction breaks lines where the layout does."""
    return re.sub(r"\s+", "", text)


# == repairs, on small HTML strings ==============================================================
def run(step, html: str, *args, **kwargs) -> str:
    root = repair.parse(html)
    step(root, *args, **kwargs)
    return repair.serialize(root)


def test_details_are_opened():
    out = run(repair.open_details, '<details class="note"><summary>More</summary><p>Hidden</p></details>')
    tree = lxml_html.fromstring(out)
    assert tree.get("open") == "open"
    assert "Hidden" in tree.text_content()


def test_tabs_are_laid_out_one_after_another():
    tabs = ('<div class="tabbed-set tabbed-alternate" data-tabs="1:2">'
            '<input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio">'
            '<input id="__tabbed_1_2" name="__tabbed_1" type="radio">'
            '<div class="tabbed-labels"><label for="__tabbed_1_1">English</label>'
            '<label for="__tabbed_1_2">Español</label></div>'
            '<div class="tabbed-content"><div class="tabbed-block"><p>Hello</p></div>'
            '<div class="tabbed-block"><p>Hola</p></div></div></div><p>After</p>')
    out = run(repair.sequential_tabs, tabs)
    assert "tabbed-set" not in out and "<input" not in out
    assert out.index("English") < out.index("Hello") < out.index("Español") < out.index("Hola") < out.index("After")
    assert out.count('class="print-tab-title"') == 2


def test_classic_tabs_too():
    tabs = ('<div class="tabbed-set" data-tabs="1:2"><input id="a" type="radio"><label for="a">One</label>'
            '<div class="tabbed-content"><p>First</p></div><input id="b" type="radio"><label for="b">Two</label>'
            '<div class="tabbed-content"><p>Second</p></div></div>')
    out = run(repair.sequential_tabs, tabs)
    assert out.index("One") < out.index("First") < out.index("Two") < out.index("Second")


def test_external_link_targets_are_printed():
    take = REGISTRY.resources["take-it-down"]
    html = (f'<p><a data-resource="take-it-down" href="{take.web}">Take It Down</a>, then more.</p>'
            '<p><a href="https://example.org/path/">example.org/path</a></p>')
    out = run(repair.print_link_targets, html, REGISTRY.resources)
    assert "Take It Down</a><span class=\"print-url\"> (takeitdown.ncmec.org)</span>, then more." in out
    assert out.count("print-url") == 1          # the second link already shows its address


def test_numbers_are_printed_after_named_phone_links_only():
    ncmec = REGISTRY.resources["ncmec-hotline"]
    named = f'<a data-resource="ncmec-hotline" href="{ncmec.href}">{ncmec.name}</a>'
    shown = f'<a data-resource="ncmec-hotline" href="{ncmec.href}">{ncmec.display}</a>'
    assert f": {ncmec.display}" in run(repair.print_link_targets, named, REGISTRY.resources)
    assert "print-url" not in run(repair.print_link_targets, shown, REGISTRY.resources)
    assert "(a@b.org)" in run(repair.print_link_targets, '<a href="mailto:a@b.org">write to us</a>')


def test_internal_links_become_absolute_packet_links_or_text():
    html = ('<p><a href="../k-2-ask-first/">Ask first</a> and <a href="../../staff/#steps">staff</a> '
            'and <a href="#here">here</a> and <a href="#gone">gone</a> '
            'and <a href="../../staff/#nowhere">nowhere</a></p><h2 id="here">Here</h2>')
    page = "handouts/resource-card/"
    with_url = run(repair.resolve_internal_links, html, page, "https://example.org/fir/")
    assert 'href="https://example.org/fir/handouts/k-2-ask-first/"' in with_url
    assert 'href="https://example.org/fir/staff/#steps"' in with_url
    without = run(repair.resolve_internal_links, html, page, "", {"here"})
    assert "Ask first" in without and "k-2-ask-first" not in without      # link dropped, text kept
    assert 'href="#here"' in without and 'href="#gone"' not in without and "gone" in without
    packet = run(repair.resolve_internal_links, html, page, "", {"here"},
                 {"/handouts/k-2-ask-first/": ("k-2-ask-first", {"doc-k-2-ask-first"}),
                  "/staff/": ("page-staff-index", {"steps"})})
    assert f'href="{PACKET_LINK}k-2-ask-first"' in packet and f'href="{PACKET_LINK}page-staff-index#steps"' in packet
    assert f'href="{PACKET_LINK}page-staff-index">nowhere' in packet        # a missing anchor: the page
    assert 'href="#here"' in packet
    printed = run(repair.print_link_targets, packet)
    assert "packet.invalid" not in lxml_html.fromstring(printed).text_content()


def test_qr_codes_for_critical_web_resources_only():
    r = REGISTRY.resources
    html = (f'<p><a data-resource="take-it-down" href="{r["take-it-down"].web}">Take It Down</a> '
            f'<a data-resource="crisis-text-line" href="{r["crisis-text-line"].href}">text</a> '
            f'<a data-resource="ncmec" href="{r["ncmec"].web}">NCMEC</a> '
            f'<a data-resource="take-it-down" href="{r["take-it-down"].web}">again</a></p>')
    tree = lxml_html.fromstring(f"<div>{run(repair.add_qr_codes, html, r)}</div>")
    images = tree.xpath("//aside[@class='print-qr']//img")
    assert len(images) == 1                      # no web address / reference tier / duplicate: no code
    assert images[0].get("src").startswith("data:image/svg+xml")
    assert "Take It Down" in images[0].get("alt") and "takeitdown.ncmec.org" in images[0].get("alt")
    spanish = run(repair.add_qr_codes, html, r, "es")
    assert "Código QR de Take It Down" in spanish
    assert "print-qr" not in run(repair.add_qr_codes, "<p>No links</p>", r)


def test_teacher_notes_are_found():
    html = ('<div class="admonition say"><p class="admonition-title">Say</p><p>Hi</p></div>'
            '<details class="facilitator"><summary>Note</summary><p>x</p></details>'
            '<div class="admonition tip"><p class="admonition-title">Tip</p></div>')
    assert repair.teacher_notes(repair.parse(html)) == ["say ('Say')", "facilitator ('Note')"]


def test_images_point_into_the_site_and_permalinks_go():
    out = run(repair.site_relative_assets, '<img src="../../assets/a.png" alt="A"><img src="https://x.org/b.png">',
              "lessons/k-2/01-x/")
    assert '<img src="lessons/assets/a.png" alt="A">' in out and "x.org" not in out
    assert "¶" not in run(repair.remove_permalinks, '<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2>')


def test_helpers():
    assert template.css_string('A "B" </style>') == '"A \\"B\\" \\3c /style\\3e "'
    env = cache.environment_key("t", "letter")
    assert env != cache.environment_key("t", "a4") and env != cache.environment_key("u", "letter")
    assert cache.job_key(env, "<p>a</p>") != cache.job_key(env, "<p>b</p>")


# == the real site ===============================================================================
CONTENT = collect(ROOT)


def page_url(src_uri: str) -> str:
    from curriculum.i18n import dest_uri, url_of

    return url_of(dest_uri(src_uri))       # a translation (x.es.md) is under es/


def staff_pages() -> list[tuple[str, str]]:
    return folder_pages(ROOT / "docs", "staff")        # the order of the staff packet


@functools.lru_cache(maxsize=1)
def planned() -> dict[str, list[str]]:
    """PDF file name -> the src_uri of every page in it (the same planner the build uses)."""
    return {job.name: [d.src_uri for d in job.docs] for job in plan()}


def plan() -> list:
    """The build's PDF jobs for the real content (the same plan the build makes, before any page is built)."""
    jobs, problems = packets.plan_jobs(CONTENT, staff_pages())
    assert not problems
    return jobs


@functools.cache
def reader(path: Path) -> PdfReader:
    return PdfReader(path)


@functools.cache
def pdf_text(path: Path) -> str:
    return squash(" ".join(page.extract_text() for page in reader(path).pages))


def article(site: Path, src_uri: str):
    tree = lxml_html.parse(str(site / page_url(src_uri) / "index.html")).getroot()
    return tree.xpath("//article")[0]


def test_every_expected_pdf_exists(built_site):
    expected = {f"{slug}.pdf" for slug in CONTENT.handouts}
    expected |= {f"{lesson.band}-{lesson.slug}.pdf" for lesson in CONTENT.lessons}
    expected |= {f"packet-{band}.pdf" for band in BANDS if CONTENT.band(band)}
    expected |= {f"packet-{band}.es.pdf" for band in BANDS if CONTENT.band(band)}     # the Spanish packets
    expected.add("packet-staff.pdf")
    found = {p.name for p in (built_site / "pdf").glob("*.pdf")}
    assert found == expected
    assert set(planned()) == expected
    for name in found:
        assert len(reader(built_site / "pdf" / name).pages) >= 1


@pytest.mark.parametrize("name", sorted(planned()))
def test_every_hotline_on_a_page_is_printed_in_its_pdf(built_site, name):
    text = pdf_text(built_site / "pdf" / name)
    missing = []
    for uri in planned()[name]:
        for a in article(built_site, uri).xpath(".//a[@data-resource]"):
            resource = REGISTRY.resources[a.get("data-resource")]
            shown = resource.words(a.xpath("ancestor-or-self::*[@lang][1]/@lang")[0])["display"] or ""
            if (a.get("href") or "").startswith(("tel:", "sms:")) and squash(shown) not in text:
                missing.append(f"pdf/{name}: {shown} (from {uri})")
    assert not missing, "\n".join(missing)


def test_every_link_in_every_pdf_goes_to_the_registry_or_the_site(built_site):
    web = {normalize(u) for u in REGISTRY.urls}
    dial = {r.href for r in REGISTRY.resources.values()}
    bad = []
    for pdf in sorted((built_site / "pdf").glob("*.pdf")):
        for page in reader(pdf).pages:
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                if annot.get("/Subtype") != "/Link":
                    continue
                action = annot.get("/A")
                action = action.get_object() if action is not None else {}
                uri = str(action.get("/URI", ""))
                if action.get("/S") == "/URI":
                    if not (normalize(uri) in web or uri in dial):
                        bad.append(f"pdf/{pdf.name}: {uri}")
                elif annot.get("/Dest") is None and action.get("/S") != "/GoTo":
                    bad.append(f"pdf/{pdf.name}: a link that goes nowhere ({dict(annot)})")
    assert not bad, "\n".join(bad)


def test_teacher_notes_never_reach_a_student_handout_pdf(built_site):
    notes = set()
    for lesson in CONTENT.lessons:
        for block in article(built_site, lesson.path.as_posix()).xpath(
                ".//*[contains(concat(' ', @class, ' '), ' say ')"
                " or contains(concat(' ', @class, ' '), ' facilitator ')]"):
            title = block.xpath("./*[contains(@class, 'admonition-title')] | ./summary")
            if title:
                notes.add(squash(title[0].text_content()))
            body = squash(block.text_content())
            if len(body) >= 60:
                notes.add(body)
    notes = {n for n in notes if len(n) >= 12}     # "Say" on its own may be an ordinary word
    assert any("disclosureprotocol" in n for n in notes)
    students = [h for h in CONTENT.handouts.values() if h.meta.audience == "students"]
    assert students
    leaks = [f"pdf/{h.slug}.pdf: {n[:60]}" for h in students for n in notes
             if n in pdf_text(built_site / "pdf" / f"{h.slug}.pdf")]
    assert not leaks, "\n".join(leaks)


def _struct_alts(node, out: list[str], depth: int = 0) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if depth > 60:
        return
    if isinstance(node, dict):
        if "/Alt" in node:
            out.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            _struct_alts(kids, out, depth + 1)
    elif isinstance(node, list):
        for kid in node:
            _struct_alts(kid, out, depth + 1)


def test_pdfs_are_tagged_titled_in_their_language_with_fonts_embedded(built_site):
    langs = {f"{slug}.pdf": h.meta.lang for slug, h in CONTENT.handouts.items()}
    langs |= {f"packet-{band}.es.pdf": "es" for band in BANDS}
    problems = []
    for pdf in sorted((built_site / "pdf").glob("*.pdf")):
        r = reader(pdf)
        catalog = r.trailer["/Root"]
        title = (r.metadata or {}).get("/Title")
        if not title:
            problems.append(f"{pdf.name}: no document title")
        if str(catalog.get("/Lang")) != langs.get(pdf.name, "en"):
            problems.append(f"{pdf.name}: /Lang is {catalog.get('/Lang')}")
        if "/StructTreeRoot" not in catalog or not catalog.get("/MarkInfo", {}).get("/Marked"):
            problems.append(f"{pdf.name}: not tagged")
        if not catalog.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
            problems.append(f"{pdf.name}: the viewer does not show the title")
        for page in r.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts")
                described = descendants[0].get_object() if descendants else font
                descriptor = described.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"{pdf.name}: font {font.get('/BaseFont')} is not embedded")
    assert not problems, "\n".join(sorted(set(problems)))


def test_qr_codes_carry_alt_text(built_site):
    with_qr = [slug for slug, h in CONTENT.handouts.items()
               if repair.qr_resources(repair.parse(lxml_html.tostring(article(built_site, h.path.as_posix()),
                                                                    encoding="unicode")), REGISTRY.resources)]
    assert with_qr, "no handout links a critical resource with a web address"
    for slug in with_qr[:3]:
        alts: list[str] = []
        _struct_alts(reader(built_site / "pdf" / f"{slug}.pdf").trailer["/Root"]["/StructTreeRoot"], alts)
        assert any(a.startswith(("QR code for", "Código QR de")) for a in alts), f"{slug}: {alts[:5]}"


def test_pages_with_a_pdf_have_download_and_print_buttons(built_site):
    pages = {h.path.as_posix(): f"{slug}.pdf" for slug, h in CONTENT.handouts.items()}
    pages |= {lesson.path.as_posix(): f"{lesson.band}-{lesson.slug}.pdf" for lesson in CONTENT.lessons}
    pages |= {f"lessons/{b}/index.md": f"packet-{b}.pdf" for b in BANDS if CONTENT.band(b)}
    pages |= {uri: "packet-staff.pdf" for uri, _ in staff_pages()}
    for uri, name in pages.items():
        folder = built_site / page_url(uri)
        tree = lxml_html.parse(str(folder / "index.html")).getroot()
        links = [a for a in tree.xpath("//*[contains(@class, 'fir-print-actions')]//a[@download]")
                 if a.get("href", "").endswith(".pdf")]              # a Word copy's button may sit beside it
        assert len(links) == 1, uri
        href = links[0].get("href")
        assert not href.startswith(("/", "http")), f"{uri}: {href} is not relative"
        assert (folder / href).resolve() == (built_site / "pdf" / name).resolve(), uri
        button = tree.xpath("//*[contains(@class, 'fir-print-actions')]//button")
        lang = CONTENT.handouts[Path(uri).stem].meta.lang if uri.startswith("handouts/") else "en"
        assert button and button[0].get("data-fir-print") is not None and button[0].get("onclick") is None
        assert button[0].text_content().strip() == {"en": "Print", "es": "Imprimir"}[lang], uri
    home = lxml_html.parse(str(built_site / "index.html")).getroot()
    assert not home.xpath("//*[contains(@class, 'fir-print-actions')]")


# == fixture sites ===============================================================================
HANDOUT = "handouts/pdf-student-card.md"


def summary(output: str) -> tuple[int, int, int]:
    """(PDFs, rendered, from the cache) from the build's log line."""
    match = SUMMARY.search(output)
    assert match, f"no PDF summary in the output:\n{output[-2000:]}"
    if match[5]:
        return int(match[1]), 0, int(match[5])
    return int(match[1]), int(match[3]), int(match[4])


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def append(work: Path, path: str, text: str) -> None:
    file = work / path
    file.write_text(file.read_text() + text)


def test_cache_hit_skips_rendering_and_the_key_covers_the_paper(tmp_path):
    first = build_fixture("pdf-site", tmp_path, env=PDF_ON)
    assert first.returncode == 0, first.output[-3000:]
    assert summary(first.output) == (7, 7, 0)        # with the Spanish packet of its Spanish family handout
    work = tmp_path / "pdf-site"
    config, site = work / "mkdocs.yml", work / "site"
    before = digests(site / "pdf")

    again = mkdocs_build(config, site, PDF_ON)
    assert again.returncode == 0, again.output[-3000:]
    assert summary(again.output) == (7, 0, 7)
    assert digests(site / "pdf") == before

    append(work, HANDOUT, "\nOne more line for the student card.\n")
    changed = mkdocs_build(config, site, PDF_ON)
    assert changed.returncode == 0, changed.output[-3000:]
    assert summary(changed.output) == (7, 2, 5)     # the card, and the 3-5 packet that holds it

    data = load_config(config.read_text())
    for plugin in data["plugins"]:
        if isinstance(plugin, dict) and "curriculum" in plugin:
            plugin["curriculum"]["paper"] = "a4"
    config.write_text(dump_config(data))
    a4 = mkdocs_build(config, site, PDF_ON)
    assert a4.returncode == 0, a4.output[-3000:]
    assert summary(a4.output) == (7, 7, 0)
    box = PdfReader(site / "pdf" / "pdf-student-card.pdf").pages[0].mediabox
    assert sorted([round(float(box.width)), round(float(box.height))]) == [595, 842]     # two cards on A4


def test_pdfs_repair_the_page_and_resolve_packet_links(tmp_path):
    district = {"extra": {"district": {"name": "Fixture Unified School District", "contact": "Ms. Fixture"}}}
    result = build_fixture("pdf-site", tmp_path, env=PDF_ON, overrides=district)
    assert result.returncode == 0, result.output[-3000:]
    pdf = tmp_path / "pdf-site/site/pdf"
    staff = pdf_text(pdf / "packet-staff.pdf")
    for marker in ("PDF-FIXTURE-DETAILS-BODY", "PDF-FIXTURE-TAB-ONE", "PDF-FIXTURE-TAB-TWO", "(report.cybertip.org)"):
        assert squash(marker) in staff
    targets = set()
    for page in PdfReader(pdf / "packet-staff.pdf").pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            targets.add(str(action.get_object().get("/S")) if action else "dest")
    assert "/URI" in targets and ({"/GoTo", "dest"} & targets)      # links into the packet itself
    tagged = subprocess.run(["pdfinfo", "-struct-text", str(pdf / "packet-staff.pdf")],
                            capture_output=True, text=True, check=True).stdout
    for marker in ("PDF-FIXTURE-DETAILS-BODY", "PDF-FIXTURE-TAB-TWO", "Ms. Fixture"):   # a page and a handout
        assert marker in tagged, f"{marker} is not in the tags a screen reader follows"
    assert "PDF-FIXTURE-TEACHER-NOTE" in pdf_text(pdf / "3-5-01-pdf-lesson.pdf")
    assert "PDF-FIXTURE-TEACHER-NOTE" not in pdf_text(pdf / "pdf-student-card.pdf")
    card = pdf_text(pdf / "pdf-staff-card.pdf")
    assert "Ms.Fixture" in card
    lesson = pdf_text(pdf / "3-5-01-pdf-lesson.pdf")
    assert squash("Fixture Unified School District") in lesson            # the footer names the district,
    assert "checked" not in lesson.lower() and "Page1of2" in lesson      # and prints no registry date
    spanish = PdfReader(pdf / "pdf-family-es.pdf")
    assert str(spanish.trailer["/Root"]["/Lang"]) == "es"
    assert "Datosrevisados" in pdf_text(pdf / "pdf-family-es.pdf")     # a card's dates line, in Spanish


def test_pdf_step_can_be_switched_off(tmp_path):
    result = build_fixture("pdf-site", tmp_path, env={"CURRICULUM_PDF": "0"})
    assert result.returncode == 0, result.output[-3000:]
    site = tmp_path / "pdf-site/site"
    assert not (site / "pdf").exists()
    assert "fir-print-actions" not in (site / "handouts/pdf-student-card/index.html").read_text()


def test_a_handout_longer_than_its_page_budget_fails_the_build(tmp_path):
    long_text = "".join(f"\nParagraph {i}: if a picture makes you feel bad, stop and tell a grown-up you trust.\n"
                        for i in range(70))
    result = build_fixture("pdf-site", tmp_path, env=PDF_ON, edit=lambda w: append(w, HANDOUT, long_text))
    assert result.returncode != 0
    assert re.search(rf"{re.escape(HANDOUT)}: the printed handout has \d pages, but its front matter says "
                     r"'pages: 1'", result.output), result.output[-3000:]
    assert not (tmp_path / "pdf-site/site/pdf").exists()          # no PDFs from a failed build
    assert "open .cache/pdf/over-budget/pdf-student-card.pdf" in result.output
    assert (tmp_path / "pdf-site/.cache/pdf/over-budget/pdf-student-card.pdf").is_file()


def test_a_teacher_note_slipped_into_a_student_handout_fails_the_build(tmp_path):
    result = build_fixture("pdf-site", tmp_path, env=PDF_ON,
                           edit=lambda w: append(w, HANDOUT, '\n--8<-- "teacher-note.md"\n'))
    assert result.returncode != 0
    assert f"{HANDOUT}: this student handout contains a teacher-only say" in result.output, result.output[-3000:]


def test_a_failed_build_leaves_the_previous_site_and_no_stale_pdf(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("CURRICULUM_PDF", "1")
    work = tmp_path / "pdf-site"
    shutil.copytree(ROOT / "tests/fixtures/pdf-site", work)
    (work / "mkdocs.yml").write_text(dump_config(fixture_config(work)))
    config, site = str(work / "mkdocs.yml"), str(work / "site")
    assert safe_build(config, site) == 0, capfd.readouterr().err[-3000:]
    old = digests(work / "site")
    assert "pdf/pdf-student-card.pdf" in old
    handout = work / HANDOUT
    good = handout.read_text()

    handout.write_text(good + '\nCall {{ hotline("no-such-line") }}.\n')           # a broken macro
    assert safe_build(config, site) != 0
    err = capfd.readouterr()
    assert "no-such-line" in err.out + err.err

    handout.write_text(good + "".join(f"\nLine {i} of a handout that is far too long.\n" for i in range(80)))
    assert safe_build(config, site) != 0                                            # over its page budget
    err = capfd.readouterr()
    assert HANDOUT in err.out + err.err

    assert digests(work / "site") == old
    assert not list(work.glob(".site-building-*"))


# == packets: joined documents ===================================================================
MCID = re.compile(rb"/MCID\s+(\d+)")


def ident(obj) -> int | None:
    """The object number of a reference or of a resolved object (pypdf resolves some on access)."""
    if hasattr(obj, "idnum"):
        return obj.idnum
    reference = getattr(obj, "indirect_reference", None)
    return reference.idnum if reference is not None else None


def number_tree(node) -> list[tuple[int, object]]:
    """Every (key, value) of a PDF number tree: flat /Nums, or /Kids holding more of them."""
    node = node.get_object()
    nums = node.get("/Nums") or []
    pairs = [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in node.get("/Kids") or []:
        pairs += number_tree(kid)
    return pairs


def structure_problems(path: Path) -> list[str]:
    """Where the tags of a PDF do not hang together (what a screen reader follows)."""
    r = PdfReader(path)
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(r.pages)}
    tree = r.trailer["/Root"]["/StructTreeRoot"].get_object()
    problems: list[str] = []
    marked: dict[tuple[int, int], object] = {}          # (page, mcid) -> the element that holds it
    names = set(r.named_destinations)

    def walk(ref, parent_ref, depth=0):
        element = ref.get_object()
        if depth > 200 or not isinstance(element, dict) or "/S" not in element:
            return
        if element.get("/P") is None or element.get("/P").idnum != parent_ref.idnum:
            problems.append(f"{element['/S']} ({ref.idnum}) does not point back to its parent")
        page = element.get("/Pg")
        if page is not None and page.idnum not in pages:
            problems.append(f"{element['/S']} ({ref.idnum}) is on a page that is not in the PDF")
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        for kid in kids:
            obj = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(obj, int):
                marked[(pages.get(page.idnum) if page is not None else -1, int(obj))] = ref.idnum
            elif isinstance(obj, dict) and "/S" in obj:
                walk(kid, ref, depth + 1)
            elif isinstance(obj, dict) and obj.get("/Type") == "/MCR":
                kid_page = obj.get("/Pg") or page
                marked[(pages.get(kid_page.idnum), int(obj["/MCID"]))] = ref.idnum

    top = tree["/K"]
    for ref in top if isinstance(top, list) else [top]:
        walk(ref, tree.indirect_reference)
    parents = dict(number_tree(tree["/ParentTree"]))
    if parents and int(tree.get("/ParentTreeNextKey", max(parents) + 1)) <= max(parents):
        problems.append("/ParentTreeNextKey is not past every key")
    for index, page in enumerate(r.pages):
        contents = page.get_contents()       # (an empty-looking dict even when it has data: test for None)
        found = {int(m) for m in MCID.findall(contents.get_data())} if contents is not None else set()
        if found:
            key = page.get("/StructParents")
            if key is None or int(key) not in parents:
                problems.append(f"page {index + 1} has tagged content but no /StructParents in the parent tree")
                continue
            owners = parents[int(key)].get_object()
            if not isinstance(owners, list):
                problems.append(f"page {index + 1}: its /StructParents entry is not a list of elements")
                continue
            for mcid in sorted(found):
                owner = owners[mcid].get_object() if mcid < len(owners) and owners[mcid] is not None else None
                holds = isinstance(owner, dict) and (
                    mcid in [k for k in (owner.get("/K") if isinstance(owner.get("/K"), list) else [owner.get("/K")])
                             if isinstance(k, int)]
                    and owner.get("/Pg") is not None and owner.get("/Pg").idnum == page.indirect_reference.idnum)
                reached = marked.get((index, mcid))
                # WeasyPrint leaves some elements (running headers) out of the tree; they must still match.
                if not holds or (reached is not None and reached != ident(owner)):
                    problems.append(f"page {index + 1}: marked content {mcid} is not where the parent tree says")
        for annot_ref in page.get("/Annots") or []:
            annot = annot_ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            key = annot.get("/StructParent")
            owner = parents.get(int(key)) if key is not None else None
            owner = owner.get_object() if owner is not None else None
            kids = owner.get("/K") if isinstance(owner, dict) else None
            kids = kids if isinstance(kids, list) else [kids]
            objrs = [k.get_object() for k in kids if hasattr(k, "get_object")]
            if not any(isinstance(o, dict) and o.get("/Type") == "/OBJR" and o.get("/Obj").idnum == annot_ref.idnum
                       for o in objrs):
                problems.append(f"page {index + 1}: a link is not tagged (no Link element points to it)")
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is None and action is not None and action.get_object().get("/S") == "/GoTo":
                dest = action.get_object().get("/D")
            if isinstance(dest, list) and dest[0].idnum not in pages:
                problems.append(f"page {index + 1}: a link goes to a page that is not in the PDF")
            elif isinstance(dest, str) and dest not in names:
                problems.append(f"page {index + 1}: a link goes to '#{dest}', which is not in the PDF")
    return problems


def test_every_pdf_has_a_structure_tree_that_hangs_together(built_site):
    bad = {pdf.name: problems[:5] for pdf in sorted((built_site / "pdf").glob("*.pdf"))
           if (problems := structure_problems(pdf))}
    assert not bad, bad


def test_the_structure_check_catches_a_broken_join(built_site, tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, NumberObject
    writer = PdfWriter(clone_from=str(built_site / "pdf/packet-k-2.pdf"))
    for page in writer.pages[3:]:
        page[NameObject("/StructParents")] = NumberObject(int(page["/StructParents"]) + 1)   # keys not shifted right
    writer.write(tmp_path / "broken.pdf")
    assert any("marked content" in p or "parent tree" in p for p in structure_problems(tmp_path / "broken.pdf"))


def test_a_packet_is_its_documents_in_the_order_and_pages_its_contents_says(built_site):
    for job in (j for j in plan() if j.cover is not None):
        packet = reader(built_site / "pdf" / job.name)
        lines = "\n".join(p.extract_text() for p in packet.pages[1:4]).splitlines()
        contents = [(squash(m[1]), int(m[2])) for line in lines if (m := re.match(r"(.+?)\s*\.{3,}\s*(\d+)\s*$", line))]
        outline = [(squash(str(item.title)), packet.get_destination_page_number(item))
                   for item in _flatten(packet.outline)]
        assert [listed for listed, _ in contents] == [page_title(built_site, p.doc.src_uri) for p in job.parts], \
            f"{job.name}: the contents do not list its documents in order"
        for part, (_, number) in zip(job.parts, contents, strict=True):
            title = doc_title(built_site, part.doc.src_uri)
            start = number - 1
            assert title in squash(packet.pages[start].extract_text()), f"{job.name}: {part.doc.slug} p. {start + 1}"
            own = f"{part.doc.slug}.pdf" if part.doc.kind == "handout" else None
            if own:        # the packet holds the same pages as the handout's own PDF, its page numbers added
                alone = reader(built_site / "pdf" / own)
                assert [unstamped(p.extract_text()) for p in packet.pages[start:start + len(alone.pages)]] == \
                       [squash(p.extract_text()) for p in alone.pages]
            assert (title, start) in outline, f"{job.name}: no bookmark for {part.doc.slug} on page {start + 1}"
        assert {squash(s) for s, _ in job.cover.sections} <= {t for t, _ in outline}


STAMP = re.compile(r"Packetpage\d+of\d+|Página\d+de\d+delpaquete")


def unstamped(text: str) -> str:
    return STAMP.sub("", squash(text))


def _flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def page_title(site: Path, src_uri: str, squashed: bool = True) -> str:
    """The page's title (front matter), as the contents of a packet lists it."""
    tree = lxml_html.parse(str(site / page_url(src_uri) / "index.html")).getroot()
    title = tree.findtext(".//title").rsplit(" - ", 1)[0]
    return squash(title) if squashed else title


def doc_title(site: Path, src_uri: str) -> str:
    """The page's first heading, as its first page and its bookmark show it."""
    h1 = article(site, src_uri).xpath(".//h1")[0]
    return squash("".join(h1.xpath("./text() | ./*[not(contains(@class, 'headerlink'))]//text()")))


def test_screen_readers_find_every_document_of_a_packet_in_its_tags(built_site):
    """An independent reader (poppler) finds one tagged part, with its own heading, per document."""
    for job_name, uris in planned().items():
        if not job_name.startswith("packet-"):
            continue
        tree = subprocess.run(["pdfinfo", "-struct", str(built_site / "pdf" / job_name)],
                              capture_output=True, text=True, check=True).stdout
        parts = re.split(r"^  Part\b.*$", tree, flags=re.M)[1:]
        assert len(parts) == len(uris), f"{job_name}: {len(parts)} tagged parts for {len(uris)} documents"
        assert all(re.search(r"^\s+H1\b", part, flags=re.M) for part in parts), job_name


def test_joining_an_untagged_pdf_fails_naming_it(built_site, tmp_path):
    from pypdf import PdfWriter

    from curriculum.outputs.pdf.join import JoinError, Member, join
    plain = PdfWriter()
    plain.add_blank_page(612, 792)
    plain.write(tmp_path / "plain.pdf")
    with pytest.raises(JoinError, match=r"plain\.pdf: not tagged"):
        join(built_site / "pdf/k-2-ask-first.pdf", [Member("plain", tmp_path / "plain.pdf", "Handouts")])


def test_a_packet_joined_in_stages_is_the_same_packet(built_site, tmp_path, monkeypatch):
    """Big packets are written and re-read every SETTLE_EVERY documents; the result must not change."""
    from curriculum.outputs.pdf import join as joining
    names = [uri for uri in planned()["packet-staff.pdf"] if uri.startswith("handouts/")]
    members = [joining.Member(Path(uri).stem, built_site / "pdf" / f"{Path(uri).stem}.pdf", "Handouts")
               for uri in names] * 2
    members = [joining.Member(f"{m.slug}-{i}", m.pdf, m.section) for i, m in enumerate(members)]
    cover = built_site / "pdf/resource-card.pdf"
    made = {}
    for every in (1000, 3):
        monkeypatch.setattr(joining, "SETTLE_EVERY", every)
        data, count = joining.join(cover, members)
        (tmp_path / f"{every}.pdf").write_bytes(data)
        packet = PdfReader(tmp_path / f"{every}.pdf")
        assert count == len(packet.pages)
        assert not structure_problems(tmp_path / f"{every}.pdf"), every
        made[every] = ([squash(p.extract_text()) for p in packet.pages],
                       [len(p.get("/Annots") or []) for p in packet.pages])
    assert len(members) > 3 * 2                      # it settled more than once
    assert made[3] == made[1000]


# == printed materials that fit the hands that use them (issue 15) ================================
MARGIN = 16 * 72 / 25.4          # print.css: the running header and footer sit in the page margin
K2_SHEETS = sorted(slug for slug, h in CONTENT.handouts.items()
                   if h.meta.audience == "students" and list(h.meta.bands) == ["k-2"])
CARDS = sorted(slug for slug, h in CONTENT.handouts.items() if h.meta.kind == "card")
CARD_COPIES = {"half": 2, "wallet": 10}


def body_text_sizes(path: Path) -> list[tuple[int, float, str]]:
    """(page, size in points, text) of every run of text in the body of each page (outside the
    running header and footer), as drawn: the font size times the text and graphics matrices."""
    import math
    found: list[tuple[int, float, str]] = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font, size, number=number, height=height):
            if not text.strip():
                return
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if MARGIN - 2 < y < height - MARGIN + 2:
                found.append((number, round(size * math.sqrt(abs(a * d - b * c)), 1), text.strip()))
        page.extract_text(visitor_text=visit)
    return found


def small_text(path: Path, least: float) -> list[str]:
    return [f"{path.name} page {page}: {size} pt: {text[:40]!r}" for page, size, text in body_text_sizes(path)
            if size < least]


def test_k2_student_sheets_print_body_text_of_at_least_14pt(built_site):
    assert len(K2_SHEETS) >= 4
    small = [line for slug in K2_SHEETS for line in small_text(built_site / "pdf" / f"{slug}.pdf", 14)]
    assert not small, "\n".join(small[:20])


def test_the_text_size_check_catches_small_text(built_site):
    assert small_text(built_site / "pdf" / "family-letter-k-2.pdf", 14)       # a family letter is 10.5 pt


def blank_share(path: Path, page: int = 1) -> float:
    """The share of the page's body (inside the margins) left blank below its last mark, in the
    worst of the card places of a sheet of cards (a cut line, inked from top to bottom, is not a mark)."""
    from PIL import Image
    with __import__("tempfile").TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", str(page), "-l", str(page), "-png", str(path),
                        f"{folder}/p"], check=True)
        image = Image.open(next(Path(folder).glob("p*.png"))).convert("L")
    box = PdfReader(path).pages[page - 1].mediabox
    width, height = image.size
    margin = int(height * MARGIN / float(box.height))
    top, bottom = margin, height - margin
    pixels = image.load()
    ink = [[pixels[x, y] < 200 for y in range(top, bottom)] for x in range(width)]
    lines = {x for x, column in enumerate(ink) if sum(column) > 0.6 * len(column)}     # cut lines, box sides
    places = 2 if float(box.width) > float(box.height) else 1        # a landscape sheet holds two half cards
    worst = 0.0
    for place in range(places):
        columns = [x for x in range(place * width // places, (place + 1) * width // places) if x not in lines]
        inked = [y for y in range(bottom - top) if any(ink[x][y] for x in columns)]
        worst = max(worst, (bottom - top - 1 - max(inked)) / (bottom - top) if inked else 1.0)
    return worst


@pytest.mark.parametrize("slug", K2_SHEETS + CARDS)
def test_k2_sheets_and_cards_leave_no_big_blank(built_site, slug):
    share = blank_share(built_site / "pdf" / f"{slug}.pdf")
    assert share <= 0.25, f"pdf/{slug}.pdf page 1: {share:.0%} of the page is left blank below its content"


def test_the_picture_check_catches_a_half_empty_page(tmp_path):
    from pypdf import PdfWriter
    blank = PdfWriter()
    blank.add_blank_page(612, 792)
    blank.write(tmp_path / "blank.pdf")
    assert blank_share(tmp_path / "blank.pdf") > 0.9


@pytest.mark.parametrize("slug", CARDS)
def test_a_card_prints_n_up_on_one_sheet(built_site, slug):
    card = CONTENT.handouts[slug].meta.card or "half"
    pdf = PdfReader(built_site / "pdf" / f"{slug}.pdf")
    assert len(pdf.pages) == 1, f"pdf/{slug}.pdf: {len(pdf.pages)} sheets"
    box = pdf.pages[0].mediabox
    assert {round(float(box.width)), round(float(box.height))} == {612, 792}, f"pdf/{slug}.pdf is not on Letter"
    title = squash(page_title(built_site, CONTENT.handouts[slug].path.as_posix()))
    heading = doc_title(built_site, CONTENT.handouts[slug].path.as_posix())
    text = squash(pdf.pages[0].extract_text())
    assert text.count(heading) == CARD_COPIES[card], f"pdf/{slug}.pdf: {text.count(heading)} cards ({title})"
    tagged = subprocess.run(["pdfinfo", "-struct-text", str(built_site / "pdf" / f"{slug}.pdf")],
                            capture_output=True, text=True, check=True).stdout
    assert squash(tagged).count(heading) == 1, f"pdf/{slug}.pdf: a screen reader should read the card once"


@pytest.mark.parametrize("name", sorted(n for n in planned() if n.startswith("packet-")))
def test_every_packet_page_prints_its_packet_page_number(built_site, name):
    from curriculum.words import words

    pdf = PdfReader(built_site / "pdf" / name)
    total = len(pdf.pages)
    stamp = words("es" if name.endswith(".es.pdf") else "en")["packet_page"]    # a Spanish packet, in Spanish
    missing = [f"pdf/{name} page {n}" for n, page in enumerate(pdf.pages, start=1)
               if n > 1 and squash(stamp.format(page=n, pages=total)) not in squash(page.extract_text())]
    assert not missing, "\n".join(missing[:10])
    assert squash(stamp.split("{")[0]) not in squash(pdf.pages[0].extract_text()), \
        f"pdf/{name}: the cover prints no counter"
    assert not structure_problems(built_site / "pdf" / name)


def test_no_list_item_holds_a_horizontal_rule(built_site):
    """A write-in blank written as underscores is an <hr> in a list item (Markdown's thematic break)."""
    bad = []
    for h in CONTENT.handouts.values():
        for li in article(built_site, h.path.as_posix()).xpath(".//li[.//hr]"):
            bad.append(f"{h.path}: {squash(li.text_content())[:40]!r}")
    assert not bad, "\n".join(bad)
    assert repair.rules_in_list_items(repair.parse("<ol><li><p>1</p><hr></li></ol>"))
    assert not repair.rules_in_list_items(repair.parse("<ol><li>1</li></ol><hr>"))


def test_blanks_print_as_lines_with_room_to_write(built_site):
    tree = article(built_site, "handouts/6-8-if-it-happens-card.md")
    assert len(tree.xpath(".//li/span[contains(@class, 'fir-blank')]")) >= 3
    css = (ROOT / "overrides/print/print.css").read_text()
    height = re.search(r"\.fir-blank-line \{[^}]*height: ([\d.]+)mm", css)
    assert height and float(height[1]) >= 0.3 * 25.4, "writing lines at least 0.3 in apart"


def test_resource_dates_are_told_apart_and_only_where_shown(built_site):
    checked = [p.name for p in (built_site / "pdf").glob("*.pdf") if "Resourceschecked" in pdf_text(p)]
    assert not checked, f"a footer still calls the resources checked: {checked}"
    cover = squash(reader(built_site / "pdf" / "packet-6-8.pdf").pages[0].extract_text())
    assert "Detailsreviewedagainstoursources" in cover
    assert "reachedbythelinkchecker" in cover
    assert "Detailsreviewedagainstoursources" in pdf_text(built_site / "pdf" / "resource-card.pdf")
    assert "Detailsreviewed" not in pdf_text(built_site / "pdf" / "k-2-ask-first.pdf")
    resources = lxml_html.parse(str(built_site / "resources/index.html")).getroot().text_content()
    assert "reviewed 20" in resources and "checked 20" not in resources


def test_family_letters_say_where_to_find_the_guides_they_name(built_site):
    for slug in (s for s in CONTENT.handouts if s.startswith("family-letter-")):
        text = pdf_text(built_site / "pdf" / f"{slug}.pdf")
        named = article(built_site, CONTENT.handouts[slug].path.as_posix()).xpath(
            ".//a[not(@data-resource) and not(starts-with(@href, '#')) and not(starts-with(@href, 'http'))]")
        assert named, slug
        marker = "Laspáginasquesemencionan" if slug.endswith(".es") else "Thepagesnamedhere"
        assert marker in text, f"pdf/{slug}.pdf does not list the pages it names"
        assert len(reader(built_site / "pdf" / f"{slug}.pdf").pages) == 1, f"pdf/{slug}.pdf is not one page"
