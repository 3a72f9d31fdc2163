"""The offline kit (`make kit`, curriculum/kit.py): one zip that opens from file:// with no network.

The kit is built once per test session (shared between pytest-xdist workers through a lock), after
the session's real build, so it reuses that build's PDF cache. The browser test unzips it and uses
it from file:// the way a teacher with a USB stick would.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.html
import pytest

from curriculum import kit
from curriculum.errors import ContentError
from curriculum.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
NAME = "fake-images-real-harm-kit"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def kit_zip(built_site, tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out = shared / "kit" / f"{NAME}.zip"
    marker = shared / "kit.json"
    with open(shared / "kit.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            result = subprocess.run([sys.executable, "-m", "curriculum", "kit", "--out", str(out)], cwd=ROOT,
                                    capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
            marker.write_text(json.dumps({"returncode": result.returncode, "output": result.stdout + result.stderr}))
        state = json.loads(marker.read_text())
    if state["returncode"] != 0:
        pytest.fail(f"`python -m curriculum kit` failed:\n{state['output'][-4000:]}")
    assert "Kit: " in state["output"] and f"{NAME}.zip" in state["output"], state["output"][-500:]
    return out


@pytest.fixture(scope="session")
def kit_dir(kit_zip, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kit-unzipped")
    with zipfile.ZipFile(kit_zip) as archive:
        archive.extractall(folder)
    return folder / NAME


def test_the_zip_is_one_folder_sorted_with_fixed_times(kit_zip):
    with zipfile.ZipFile(kit_zip) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names), "zip entries are not sorted"
    assert all(n.startswith(f"{NAME}/") for n in names), "everything sits in one folder named after the site"
    assert {i.date_time for i in infos} == {kit.zip_stamp()}, "zip entries carry the build machine's clock"
    assert {i.external_attr >> 16 for i in infos} == {0o644}


def test_the_kit_holds_the_site_every_pdf_and_a_true_manifest(kit_dir, built_site):
    for page in ("index.html", "resources.html", "lessons/k-2/01-my-pictures-belong-to-me.html", kit.ABOUT,
                 kit.SHIM_URI, "search/search_index.js"):
        assert (kit_dir / page).is_file(), f"the kit has no {page}"
    site_downloads = {p.relative_to(built_site).as_posix() for p in (built_site / "pdf").rglob("*") if p.is_file()}
    kit_downloads = {p.relative_to(kit_dir).as_posix() for p in (kit_dir / "pdf").rglob("*") if p.is_file()}
    assert site_downloads and kit_downloads == site_downloads, \
        f"the kit's PDFs differ from the site's: missing {sorted(site_downloads - kit_downloads)[:5]}"

    listed = {}
    for line in (kit_dir / kit.MANIFEST).read_text().splitlines():
        digest, rel = line.split("  ", 1)
        listed[rel] = digest
    files = {p.relative_to(kit_dir).as_posix() for p in kit_dir.rglob("*") if p.is_file()} - {kit.MANIFEST}
    assert set(listed) == files, f"the manifest misses {sorted(files - set(listed))[:5]}"
    assert list(listed) == sorted(listed), "the manifest is not sorted"
    wrong = [rel for rel, digest in listed.items()
             if hashlib.sha256((kit_dir / rel).read_bytes()).hexdigest() != digest]
    assert not wrong, f"checksums do not match: {wrong[:5]}"

    for page in sorted(kit_dir.rglob("*.html")):
        tree = lxml.html.parse(str(page)).getroot()
        outside = [s.get("src") for s in tree.iter("script") if s.get("src") and "://" in s.get("src")]
        assert not outside, f"{page.relative_to(kit_dir)} loads scripts from the network: {outside}"


def test_the_about_page_says_when_the_kit_was_built_and_checked(kit_dir):
    registry = load_registry(ROOT / "macros" / "resources.yml")
    tree = lxml.html.parse(str(kit_dir / kit.ABOUT)).getroot()
    text = " ".join(tree.text_content().split())
    assert "Kit built: 20" in text
    assert f"the oldest review is {registry.oldest_verified.isoformat()}" in text
    assert "link checker" in text
    rows = {r.xpath("string(td[1])"): r.xpath("string(td[3])") for r in tree.xpath("//tbody/tr")}
    for resource in registry.resources.values():
        assert rows.get(resource.name) == resource.verified.isoformat(), f"{resource.key}: {rows.get(resource.name)}"
    assert tree.xpath("//a[@href='index.html']"), "the about page does not link to the curriculum"


def test_a_missing_shim_is_one_clear_line(tmp_path):
    with pytest.raises(ContentError) as error:
        kit.shim_path(tmp_path)
    assert "iframe-worker" in error.value.report() and "npm ci" in error.value.report()


def test_reproducible_names_and_site_name_through_inherit(tmp_path):
    (tmp_path / "base.yml").write_text("site_name: 'Springfield USD: Fake Images'\nplugins:\n  - x: !ENV [A, 1]\n")
    (tmp_path / "district.yml").write_text("INHERIT: base.yml\nextra: {district: {name: X}}\n")
    assert kit.slug(kit.site_name(tmp_path / "district.yml")) == "springfield-usd-fake-images"


# -- from file://, in Chromium ---------------------------------------------------------------------
def test_kit_opens_from_file_with_search_navigation_and_pdfs(browser, kit_dir):
    root = kit_dir.as_uri() + "/"
    problems: list[str] = []
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    # Only the network counts: the PDF viewer loads its own chrome:// and chrome-extension:// parts.
    context.on("request", lambda r: problems.append(f"network request: {r.url}")
               if r.url.startswith(("http:", "https:", "ws:", "wss:", "ftp:")) else None)
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    try:
        page.goto(root + "index.html", wait_until="load")
        # Search (the index is a script and the worker runs in an iframe: iframe-worker).
        page.locator(".md-search__input").click()
        page.keyboard.type("picture")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        page.locator(".md-search-result__item a").first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith(root) and ".html" in page.url, f"a search result opened {page.url}"
        assert page.locator("article h1").count() == 1, f"{page.url} shows no page"

        # Navigation: a header tab, then links in the pages down to a lesson.
        page.goto(root + "index.html", wait_until="load")
        page.locator(".md-tabs__link", has_text="Teachers").click()
        page.wait_for_load_state("load")
        assert page.url == root + "teachers/index.html", page.url
        page.locator("article a[href='../lessons/k-2/index.html']").first.click()
        page.wait_for_load_state("load")
        assert page.url == root + "lessons/k-2/index.html", page.url
        page.locator("article a[href$='01-my-pictures-belong-to-me.html']").first.click()
        page.wait_for_load_state("load")
        assert page.url == root + "lessons/k-2/01-my-pictures-belong-to-me.html", page.url
        assert page.locator("article h1").inner_text().startswith("My body and my pictures belong to me")

        # The PDF button: from file:// Chromium ignores `download` (a file: page is its own origin) and
        # opens the PDF in its viewer, from which it prints or saves. The file is in the kit.
        page.locator(".fir-print-actions a[download]").first.click()
        pdf = root + "pdf/k-2-01-my-pictures-belong-to-me.pdf"
        page.wait_for_url(pdf, timeout=15000)
        assert (kit_dir / "pdf" / "k-2-01-my-pictures-belong-to-me.pdf").read_bytes()[:5] == b"%PDF-"

        # The about page links into the curriculum.
        page.goto(root + kit.ABOUT, wait_until="load")
        page.locator("a[href='index.html']").click()
        page.wait_for_load_state("load")
        assert page.url == root + "index.html"
    finally:
        context.close()
    assert not problems, "from file://:\n" + "\n".join(problems)


def test_the_about_page_escapes_the_district_name():
    registry = load_registry(ROOT / "macros" / "resources.yml")
    built = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    page = kit.about_page('Site "A" & <b>', "<script>alert(1)</script>", registry, {}, built)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Site &quot;A&quot; &amp; &lt;b&gt;" in page
    assert "Kit built: <strong>2026-01-02 00:00 UTC</strong>" in page
