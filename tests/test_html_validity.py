"""The W3C Nu HTML Checker (vnu.jar, npm package `vnu-jar`) finds no HTML error in the built site,
except the few that Material's own templates emit on every page (MATERIAL_ERRORS below).

vnu runs once, in one Java process, over every page of the real build (`built_site`): starting Java
and loading the HTML schema is most of its cost. When Java or vnu.jar is missing the tests FAIL with
the fix; they never skip.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# vnu needs a thread stack of 512k or more. The client compiler only (TieredStopAtLevel=1) and the
# serial collector check the whole site in about 9 s instead of about 23 s; the findings are the same.
JAVA_OPTIONS = ["-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
INSTALL_HINT = ("Run `make test-deps` (it installs vnu-jar from package-lock.json with npm, and Java with "
                "the Debian package default-jre-headless).")


@dataclass(frozen=True)
class Allowed:
    message: str  # vnu's message, exactly
    extract: str  # a regular expression that vnu's extract (the source around the error) must contain
    why: str      # which Material template emits it


_AUTOCOMPLETE = ("Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
                 "“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, “search”, "
                 "“tel”, “text”, “time”, “url”, or “week”.")

# Errors that Material's templates (mkdocs-material 9.8, material/templates/) emit, and that we do not
# patch by overriding whole Material templates. Each entry matches one element, and each must still
# occur somewhere in the real site (test_built_site_is_valid_html), so the table cannot go stale.
MATERIAL_ERRORS = [
    Allowed(_AUTOCOMPLETE, re.escape('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" '
                                     'id="__drawer" autocomplete="off">'),
            "base.html: the hidden checkbox that opens the navigation drawer has autocomplete=off "
            "(it stops Firefox restoring the checked state on back/forward)."),
    Allowed(_AUTOCOMPLETE, re.escape('<input class="md-toggle" data-md-toggle="search" type="checkbox" '
                                     'id="__search" autocomplete="off">'),
            "base.html: the same for the hidden checkbox that opens search."),
    Allowed("Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
            r'<label class="md-nav__link(?: md-nav__link--active)? ?" for="__nav_\d+" '
            r'id="__nav_\d+_label" tabindex="">',
            "partials/nav-item.html: `{% set tabindex = \"0\" if not is_section %}` renders tabindex=\"\" "
            "on the label of the current top-level section, which is a section under navigation.tabs."),
    Allowed("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
            re.escape('<label class="md-nav__title" for="__toc">'),
            "partials/toc.html: the table of contents' title is a label for input#__toc, which "
            "partials/nav-item.html only writes for a plain page, not for a section's index page "
            "(navigation.indexes): families/, staff/, teachers/, handouts/, about/."),
]


def run_vnu(files: list[Path]) -> list[dict]:
    """vnu's errors (type "error" or "non-document-error") for ``files``, checked in one Java process."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(f"Java is not installed, so the HTML checker cannot run. {INSTALL_HINT}")
    if not VNU.exists():
        pytest.fail(f"{VNU.relative_to(ROOT)} is missing. {INSTALL_HINT}")
    assert files, "no HTML file to check"
    result = subprocess.run([java, *JAVA_OPTIONS, "-jar", str(VNU), "--stdout", "--format", "json",
                             "--errors-only", *map(str, files)], capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu did not run (exit code {result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    if result.returncode not in (0, 1) or (result.returncode == 1 and not messages):
        pytest.fail(f"vnu failed (exit code {result.returncode}):\n{result.stderr[-2000:]}")
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def material_entry(message: dict) -> Allowed | None:
    """The MATERIAL_ERRORS entry that explains ``message``, if any."""
    for allowed in MATERIAL_ERRORS:
        if message.get("message") == allowed.message and re.search(allowed.extract, message.get("extract", "")):
            return allowed
    return None


def describe(message: dict, root: Path) -> str:
    url = message.get("url", "")
    page = url.split(root.as_posix() + "/", 1)[-1] if url else "?"
    extract = " ".join(message.get("extract", "").split())
    return f"{page}:{message.get('lastLine', '?')}: {message.get('message')}\n    near: {extract[:160]}"


def ours(messages: list[dict], root: Path) -> list[str]:
    return [describe(m, root) for m in messages if material_entry(m) is None]


# -- the real site ----------------------------------------------------------------------------------
def test_built_site_is_valid_html(built_site):
    """Every page of the real build passes the W3C checker, apart from Material's own errors; and every
    MATERIAL_ERRORS entry still matches an error there (when Material fixes one, or a template of ours
    replaces it, the entry must go, so that it cannot hide an error of ours). One test, so vnu runs once."""
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 50, f"only {len(pages)} pages in {built_site}"
    messages = run_vnu(pages)
    problems = ours(messages, built_site)
    assert not problems, (f"{len(problems)} HTML error(s) found by the W3C checker (vnu), not from Material:\n"
                          + "\n".join(problems[:40]))
    unused = [a for a in MATERIAL_ERRORS if not any(material_entry(m) is a for m in messages)]
    assert not unused, "MATERIAL_ERRORS entries that match nothing any more (remove them):\n" + \
        "\n".join(f"- {a.message} / {a.extract}" for a in unused)


# -- the check itself can fail ----------------------------------------------------------------------
def test_checker_finds_an_error_injected_into_a_page(built_site, tmp_path):
    """A copy of a real page with a duplicate id (and, in a second copy, a broken <meta> quote like the
    one Material used to print from a handout's description) fails; the untouched copy passes."""
    page = (built_site / "handouts" / "3-5-upstander-cards" / "index.html").read_text(encoding="utf-8")
    assert page.count('id="__drawer"') == 1
    clean = tmp_path / "clean.html"
    clean.write_text(page, encoding="utf-8")
    duplicate = tmp_path / "duplicate-id.html"
    duplicate.write_text(page.replace("</h1>", '</h1>\n<p id="__drawer">again</p>', 1), encoding="utf-8")
    quote = tmp_path / "meta-quote.html"
    quote.write_text(re.sub(r'(<meta name="description" content=")', r'\1a "quoted" word ', page, count=1),
                     encoding="utf-8")

    by_file: dict[str, list[dict]] = {}
    for message in run_vnu([clean, duplicate, quote]):
        by_file.setdefault(Path(message.get("url", "?")).name, []).append(message)
    assert not ours(by_file.get("clean.html", []), tmp_path), ours(by_file["clean.html"], tmp_path)
    assert by_file.get("clean.html"), "Material's own errors should show up on the copy too (the table is used)"
    found = ours(by_file.get("duplicate-id.html", []), tmp_path)
    assert any("Duplicate ID “__drawer”" in f for f in found), found
    found = ours(by_file.get("meta-quote.html", []), tmp_path)
    assert any("not allowed on element “meta”" in f for f in found), found
