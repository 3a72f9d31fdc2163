"""The bad-input corpus: every mistake a teacher or district editor can make stops the build,
with a message that names the file (and line, where there is one).

Docs-only cases live in tests/fixtures/<case>/. Lesson and handout cases start from the valid
fixture tests/fixtures/good and break one thing each.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import ENV, FIXTURES, ROOT, Build, build_fixture, dump_config, fixture_config
from curriculum.build import mkdocs_command

LESSON = "lessons/3-5/01-fixture-lesson.md"
HANDOUT = "handouts/fixture-worksheet.md"


def replace(path: str, old: str, new: str):
    def edit(work: Path) -> None:
        file = work / path
        text = file.read_text()
        assert old in text, f"fixture text {old!r} not found in {path}"
        file.write_text(text.replace(old, new, 1))
    return edit


# case -> (how to break it, what the output must contain)
DOCS_CASES = {
    "unknown-resource-key": [r"index\.md", r"unknown resource key 'take-it-dwn'", r"Did you mean: take-it-down"],
    "undefined-variable": [r"index\.md", r"school_nmae"],
    "broken-relative-link": [r"index\.md", r"families/guide\.md"],
    "broken-anchor": [r"index\.md", r"first-hour"],
    "missing-snippet": [r"no-such-snippet\.md"],
    "jinja-attr-list": [r"index\.md"],
    "raw-html-broken-link": [r"site/index\.html:\d+", r"broken link 'no-such-page\.html'"],
    "leftover-template": [r"site/index\.html:\d+", r"left-over template text"],
    "inline-style": [r"site/index\.html:\d+", r'inline code <div style="color: red;">', r"<button onclick=",
                     r"deploy/nginx\.conf"],
    "bad-phone": [r"resources\.yml:\d+", r"resource 'ncmec-hotline', field 'display'", r"dials 18008435678"],
}


@pytest.mark.parametrize("case", sorted(DOCS_CASES))
def test_docs_case_fails_and_names_the_file(case, tmp_path):
    result = build_fixture(case, tmp_path)
    assert result.returncode != 0, f"{case} built without error:\n{result.output[-2000:]}"
    for pattern in DOCS_CASES[case]:
        assert re.search(pattern, result.output), f"{case}: {pattern!r} not in output:\n{result.output[-3000:]}"


LESSON_CASES = {
    "malformed-front-matter": (replace(LESSON, "duration: 45", "duration: [45"),
                               [rf"{LESSON}:\d+", "YAML cannot be read"]),
    "missing-lesson-field": (replace(LESSON, 'essential_question: "What do we do when a picture is not OK?"\n', ""),
                             [rf"{LESSON}:1", "missing the field 'essential_question'"]),
    "unknown-field": (replace(LESSON, "order: 1\n", "order: 1\ncolour: blue\n"),
                      [rf"{LESSON}:5", "unknown front-matter field 'colour'"]),
    "unknown-band": (replace(LESSON, 'band: "3-5"', 'band: "3-6"'), [rf"{LESSON}:3", "unknown band '3-6'"]),
    "unknown-handout": (replace(LESSON, 'handouts: ["fixture-worksheet"]', 'handouts: ["fixture-worksheeet"]'),
                        [rf"{LESSON}:\d+", "unknown handout 'fixture-worksheeet'"]),
    "minutes-do-not-add-up": (replace(LESSON, "## Activities (30 min)", "## Activities (25 min)"),
                              [rf"{LESSON}:\d+",
                               r"add up to 40 \(Warm-up 5 \+ Activities 25 \+ Wrap-up 10\), but duration is 45"]),
    "missing-disclosure": (replace(LESSON, '{% include "disclosure-protocol.md" %}', ""),
                           [rf"{LESSON}:\d+", "does not include the disclosure protocol"]),
    "section-out-of-order": (replace(LESSON, "## Overview\n\nA tiny lesson for tests.\n\n## Before you teach",
                                     "## Before you teach"),
                             [rf"{LESSON}", "no '## Overview' section"]),
    "reading-level-too-high": (replace(LESSON, "Today we talk about pictures. We will learn what to do.",
                                       "Contemporary generative technologies fundamentally complicate "
                                       "interpersonal accountability, necessitating comprehensive institutional "
                                       "deliberation regarding unauthorized manipulated representations."),
                               [rf"{LESSON}:\d+", r"Say blocks read at grade [\d.]+ .*Grades 3-5 allows at most 5.5"]),
    "teacher-note-in-student-handout": (
        replace(HANDOUT, "My trusted adult is", '!!! facilitator "Answer key"\n    Secret.\n\nMy trusted adult is'),
        [rf"{HANDOUT}:\d+", "student handout contains a teacher-only 'facilitator' block"]),
    "missing-yaml-registry": (lambda work: (work / "resources.yml").write_text("resources: {}\n")
                              or (work / "resources.yml").unlink(),
                              [r"macros/resources\.yml|resources\.yml", "this file is missing"]),
}


@pytest.mark.parametrize("case", sorted(LESSON_CASES))
def test_content_case_fails_and_names_the_file(case, tmp_path):
    edit, patterns = LESSON_CASES[case]
    overrides = None
    if case == "missing-yaml-registry":
        overrides = {"plugins": [p if p != "curriculum" and not (isinstance(p, dict) and "curriculum" in p)
                                 else {"curriculum": {"registry": str(tmp_path / "nowhere" / "resources.yml")}}
                                 for p in fixture_config(ROOT / "tests/fixtures/good")["plugins"]]}
    result = build_fixture("good", tmp_path, overrides=overrides, edit=edit)
    assert result.returncode != 0, f"{case} built without error:\n{result.output[-2000:]}"
    for pattern in patterns:
        assert re.search(pattern, result.output), f"{case}: {pattern!r} not in output:\n{result.output[-3000:]}"


def test_good_fixture_builds(tmp_path):
    """The corpus is only meaningful if the unbroken fixture builds."""
    result = build_fixture("good", tmp_path)
    assert result.returncode == 0, result.output[-3000:]


def test_unknown_district_field_is_named(tmp_path):
    result = build_fixture("good", tmp_path, overrides={"extra": {"district": {"councelor": "Ms. Rivera"}}})
    assert result.returncode != 0
    assert "district field 'councelor'" in result.output and "did you mean counselor" in result.output


def test_unknown_district_macro_field_names_the_page(tmp_path):
    misspelled = replace("docs/index.md", 'district("contact")', 'district("contcat")')
    result = build_fixture("good", tmp_path, edit=misspelled)
    assert result.returncode != 0
    assert "index.md" in result.output and "unknown district field 'contcat'" in result.output


# -- the measured pitfalls (DESIGN.md "Known pitfalls"): each one is pinned by a test ----------

def test_pitfall_quiet_strict_exits_zero_so_we_never_use_it(tmp_path):
    """`mkdocs build --strict -q` exits 0 on a broken anchor; without -q it fails. So our build never
    passes -q, and our own site check catches the anchor even then."""
    build_fixture("broken-anchor", tmp_path)  # copies the case and writes its config
    work = tmp_path / "broken-anchor"
    config = fixture_config(work)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "curriculum" in plugin:
            plugin["curriculum"]["site_checks"] = False  # MkDocs' own validation alone
    bare = work / "bare.yml"
    bare.write_text(dump_config(config))

    def run(config_file: Path, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([*mkdocs_command(str(config_file), str(tmp_path / "out")), *extra],
                              cwd=work, env=ENV, capture_output=True, text=True)

    assert run(bare, "-q").returncode == 0, "mkdocs changed: --strict -q now fails; the pitfall may be gone"
    assert run(bare).returncode != 0
    assert run(work / "mkdocs.yml", "-q").returncode != 0, "our site check must catch it even with -q"
    assert "-q" not in mkdocs_command("x", "y") and "--strict" in mkdocs_command("x", "y")


def test_pitfall_anchors_are_warnings_not_info():
    config = fixture_config(ROOT / "tests/fixtures/good")
    links = config["validation"]["links"]
    assert {links[k] for k in ("not_found", "anchors", "absolute_links", "unrecognized_links")} == {"warn"}
    assert config["strict"] is True


def test_pitfall_undefined_variables_fail_instead_of_staying_in_the_page():
    config = fixture_config(ROOT / "tests/fixtures/good")
    macros = next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)
    assert macros["on_undefined"] == "strict" and macros["on_error_fail"] is True


def test_failed_make_site_leaves_previous_site_untouched(tmp_path):
    """curriculum.build swaps a finished build into place; a failed one leaves the old site as it was."""
    from curriculum.build import build

    work = tmp_path / "swap"
    good = build_fixture("good", work)
    assert good.returncode == 0
    config = work / "good" / "mkdocs.yml"
    site = work / "published"
    assert build(str(config), str(site)) == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    lesson = work / "good" / LESSON
    lesson.write_text(lesson.read_text().replace("## Activities (30 min)", "## Activities (20 min)"))
    assert build(str(config), str(site)) != 0
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(work.glob(".published-*")), "a half-built folder was left behind"


# == the adversary's corpus (issue 14) ===========================================================
# Each case is one edit to a copy of tests/fixtures/good, built as `make site` builds it (strict, no
# PDFs). An error case must exit non-zero with one line naming the file (and line) and no traceback;
# a warning case must print its warning line; an "escaped" case must build and show the text as text.
# BADINPUT_RESULTS=<folder> records each run for tests/badinput_table.py (the corpus table).

REGISTRY = "resources.yml"
DISTRICT = "district.yml"
INDEX = "docs/index.md"
XSS = '"><script>alert(1)</script>'


@dataclass
class Case:
    cls: str                       # the class of mistake it covers (issue 14's headings)
    edit: Callable[[Path], None]
    message: str                   # a regex the one-line message must match (file first)
    kind: str = "error"            # error | warning | accepted
    config: str = "mkdocs.yml"     # the config built (district.yml: a district edition)
    command: str = "mkdocs"        # mkdocs (mkdocs build --strict) | make (python -m curriculum build)


def text_edit(path: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def edit(work: Path) -> None:
        if path == REGISTRY and not (work / REGISTRY).exists():
            shutil.copy(ROOT / "macros/resources.yml", work / REGISTRY)
        file = work / path
        text = file.read_text()
        assert old in text, f"fixture text {old!r} not found in {path}"
        file.write_text(text.replace(old, new, count))
    return edit


def registry_edit(old: str, new: str) -> Callable[[Path], None]:
    return text_edit(REGISTRY, old, new)


def write(path: str, text: str | bytes) -> Callable[[Path], None]:
    def edit(work: Path) -> None:
        file = work / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(text if isinstance(text, bytes) else text.encode())
    return edit


def district_file(body: str, inherit: bool = True) -> Callable[[Path], None]:
    """A district edition: district.yml that INHERITs the fixture's mkdocs.yml, as README says."""
    head = "INHERIT: mkdocs.yml\n" if inherit else ""
    return write(DISTRICT, head + "extra:\n  district:\n" + "".join(f"    {line}\n" for line in body.split("\n")))


def append(path: str, text: str) -> Callable[[Path], None]:
    def edit(work: Path) -> None:
        (work / path).write_text((work / path).read_text() + text)
    return edit


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(work: Path) -> None:
        for e in edits:
            e(work)
    return edit


def reencode(path: str, old: str, new: str, encoding: str) -> Callable[[Path], None]:
    """Save the file in another encoding, as a Windows or Latin-1 editor would."""
    def edit(work: Path) -> None:
        file = work / path
        text = file.read_text().replace(old, new, 1)
        file.write_bytes(text.encode(encoding))
    return edit


NCMEC = '''  ncmec-hotline:
    name: "NCMEC 24-hour hotline"'''
NCMEC_COPY = '''  ncmec-hotline:
    name: "NCMEC 24-hour hotline (copy)"
    org: "National Center for Missing & Exploited Children (NCMEC)"
    kind: phone
    phone: "+18008435679"
    display: "1-800-843-5679"
    audiences: [families]
    languages: [en]
    group: get-help
    summary: "A copy that was never renamed."
    source: "facts.md §2a"
    verified: 2026-11-29
    tier: critical

'''
COPY_REGISTRY = registry_edit("", "")      # the real registry, copied unchanged
TEXT_LINE_VERIFIED = "verified: 2026-11-29\n    tier: critical\n\n  ncmec"     # crisis-text-line's date
GOOD_PHONE = 'phone: "+18008435678"\n    display: "1-800-THE-LOST (1-800-843-5678)"'

CORPUS: dict[str, Case] = {
    # -- duplicate keys ------------------------------------------------------------------------
    "dup-registry-entry": Case(
        "duplicate keys", registry_edit(NCMEC, NCMEC_COPY + NCMEC),
        r"resources\.yml:\d+: the key 'ncmec-hotline' appears twice"),
    "dup-registry-field": Case(
        "duplicate keys", registry_edit(GOOD_PHONE, GOOD_PHONE + '\n    phone: "+18008435679"'),
        r"resources\.yml:\d+: the key 'phone' appears twice"),
    "dup-district-field": Case(
        "duplicate keys", district_file('counselor: "A"\ncounselor: "B"'),
        r"district\.yml:5: the key 'counselor' appears twice", config=DISTRICT),
    "dup-config-key": Case(
        "duplicate keys",
        append("mkdocs.yml", "site_name: Second name\n"),
        r"mkdocs\.yml:\d+: the key 'site_name' appears twice"),
    "dup-lesson-front-matter": Case(
        "duplicate keys", text_edit(LESSON, "order: 1\n", "order: 1\norder: 2\n"),
        rf"{LESSON}:5: the key 'order' appears twice"),
    "dup-handout-front-matter": Case(
        "duplicate keys", text_edit(HANDOUT, "pages: 1\n", "pages: 1\npages: 2\n"),
        rf"{HANDOUT}:7: the key 'pages' appears twice"),
    "dup-vocabulary-term": Case(
        "duplicate keys", text_edit(LESSON, "  upstander: ", '  upstander: "x"\n  upstander: '),
        rf"{LESSON}:\d+: the key 'upstander' appears twice"),
    # -- dialable numbers ----------------------------------------------------------------------
    "phone-nine-digits": Case(
        "dialable numbers", registry_edit(GOOD_PHONE, 'phone: "+1800843567"\n    display: "1-800-843-567"'),
        r"resources\.yml:\d+: resource 'ncmec-hotline', field 'phone': .*after \+1 come 10 digits"),
    "phone-eleven-digits": Case(
        "dialable numbers", registry_edit(GOOD_PHONE, 'phone: "+180084356781"\n    display: "1-800-843-56781"'),
        r"resources\.yml:\d+: resource 'ncmec-hotline', field 'phone': .*10 digits"),
    "phone-area-code-starts-with-1": Case(
        "dialable numbers", registry_edit(GOOD_PHONE, 'phone: "+11008435678"\n    display: "1-100-843-5678"'),
        r"resources\.yml:\d+: resource 'ncmec-hotline', field 'phone': .*North American"),
    "short-code-undeclared": Case(
        "dialable numbers", registry_edit('phone: "988"\n    short_code: true\n', 'phone: "988"\n'),
        r"resources\.yml:\d+: resource '988-lifeline', field 'phone': '988' is a short code"),
    "text-code-undeclared": Case(
        "dialable numbers", registry_edit('text: "741741"\n    short_code: true\n', 'text: "741741"\n'),
        r"resources\.yml:\d+: resource 'crisis-text-line', field 'text': .*short_code: true"),
    "hotline-short-number-typo": Case(
        "dialable numbers", registry_edit(GOOD_PHONE, 'phone: "8435678"\n    display: "843-5678"'),
        r"resources\.yml:\d+: resource 'ncmec-hotline', field 'phone': '8435678'"),
    "display-dials-another-number": Case(
        "dialable numbers", registry_edit("(1-800-843-5678)", "(1-800-843-5679)"),
        r"resources\.yml:\d+: resource 'ncmec-hotline', field 'display'.*must agree"),
    # -- the district's phone ------------------------------------------------------------------
    "district-phone-too-short": Case(
        "district phone", district_file('phone: "+1555010"'), r"district\.yml:4: district field 'phone': .*10 digits",
        config=DISTRICT),
    "district-phone-not-e164": Case(
        "district phone", district_file('phone: "555-0100"'),
        r"district\.yml:4: district field 'phone': .*not in E\.164 form", config=DISTRICT),
    "district-display-mismatch": Case(
        "district phone", district_file('phone: "+15555550100"\nphone_display: "(555) 555-0199"'),
        r"district\.yml:5: district field 'phone_display': .*dials 5555550199.*must agree", config=DISTRICT),
    "district-display-without-phone": Case(
        "district phone", district_file('phone_display: "(555) 555-0100"'),
        r"district\.yml:4: district field 'phone_display': give 'phone' too", config=DISTRICT),
    # -- example values left in ----------------------------------------------------------------
    "example-district-copied": Case(
        "example values", lambda w: shutil.copy(ROOT / "district.example.yml", w / DISTRICT),
        r"WARNING.*district\.yml:\d+: district field 'counselor': .*fictional", kind="warning", config=DISTRICT),
    "example-555-number": Case(
        "example values", district_file('phone: "+12125550142"'),
        r"WARNING.*district\.yml:4: district field 'phone': .*fictional 555-01xx", kind="warning", config=DISTRICT),
    "example-domain": Case(
        "example values", district_file('email: "office@example.org"'),
        r"WARNING.*district\.yml:4: district field 'email': .*example domain", kind="warning", config=DISTRICT),
    "example-person": Case(
        "example values", district_file('counselor: "Ms. Rivera, school counselor"'),
        r"WARNING.*district\.yml:4: district field 'counselor': .*example's fictional value", kind="warning",
        config=DISTRICT),
    # -- dates ---------------------------------------------------------------------------------
    "verified-in-future": Case(
        "dates",
        registry_edit(TEXT_LINE_VERIFIED, TEXT_LINE_VERIFIED.replace("2026-11-29", "2099-01-01")),
        r"resources\.yml:\d+: resource 'crisis-text-line', field 'verified': 2099-01-01 is in the future"),
    "verified-stale": Case(
        "dates",
        registry_edit(TEXT_LINE_VERIFIED, TEXT_LINE_VERIFIED.replace("2026-11-29", "2020-01-01")),
        r"WARNING.*resources\.yml: 'crisis-text-line' was last verified 2020-01-01", kind="accepted"),
    # -- unsafe links and images ---------------------------------------------------------------
    "javascript-link": Case(
        "unsafe links", text_edit(INDEX, "# Fixture home\n", "# Fixture home\n\n[Help](javascript:alert(1))\n"),
        r"site/index\.html:\d+: <a href=\"javascript:alert\(1\)\">: a javascript: link runs code"),
    "data-link-raw-html": Case(
        "unsafe links",
        text_edit(INDEX, "# Fixture home\n", '# Fixture home\n\n<a href="data:text/html,hi">Help</a>\n'),
        r"site/index\.html:\d+: <a href=\"data:text/html,hi\">: a data: link"),
    "vbscript-link": Case(
        "unsafe links", text_edit(INDEX, "# Fixture home\n", '# Fixture home\n\n<a href="VBScript:x">Help</a>\n'),
        r"site/index\.html:\d+: .*a vbscript: link runs code"),
    "raw-img-missing-file": Case(
        "unsafe links",
        text_edit(INDEX, "# Fixture home\n", '# Fixture home\n\n<img src="missing.png" alt="A chart">\n'),
        r"site/index\.html:\d+: <img src=\"missing\.png\">: the image file does not exist"),
    "raw-img-no-alt": Case(
        "unsafe links", text_edit(INDEX, "# Fixture home\n", '# Fixture home\n\n<img src="assets/favicon.svg">\n'),
        r"site/index\.html:\d+: <img src=\"assets/favicon\.svg\"> has no alt text"),
    # -- every error names the file ------------------------------------------------------------
    "latin1-lesson": Case(
        "names the file", reencode(LESSON, "A tiny lesson for tests.", "A tiny lesson, café.", "latin-1"),
        rf"{LESSON}:\d+: the file is not UTF-8 text: byte 0xe9.*\n\s+-> Save it as UTF-8"),
    "windows-1252-handout": Case(
        "names the file", reencode(HANDOUT, "My trusted adult is", "\u201cMy\u201d trusted adult is", "cp1252"),
        rf"{HANDOUT}:\d+: the file is not UTF-8 text: byte 0x93"),
    "latin1-docs-page": Case(
        "names the file", reencode(INDEX, "# Fixture home", "# Fixture home, señor", "latin-1"),
        r"docs/index\.md:1: the file is not UTF-8 text: byte 0xf1"),
    "latin1-registry": Case(
        "names the file",
        both(COPY_REGISTRY, reencode(REGISTRY, "NCMEC 24-hour", "NCMEC 24-hour é", "latin-1")),
        r"resources\.yml:\d+: the file is not UTF-8 text: byte 0xa7"),
    "latin1-district-file": Case(
        "names the file",
        lambda w: (district_file('counselor: "Ms. Muñoz"')(w), reencode(DISTRICT, "x", "x", "latin-1")(w)),
        r"district\.yml:\d+: the file is not UTF-8 text: byte 0xf1", config=DISTRICT, command="make"),
    "bom-lesson": Case(
        "names the file", lambda w: (w / LESSON).write_bytes(b"\xef\xbb\xbf" + (w / LESSON).read_bytes()),
        r"Documentation built in", kind="accepted"),
    "district-no-inherit": Case(
        "names the file", district_file('counselor: "Ms. Okafor"', inherit=False),
        r"district\.yml:1: this district file has no 'INHERIT: mkdocs\.yml' line", config=DISTRICT, command="make"),
    "district-inherit-missing-file": Case(
        "names the file",
        lambda w: (district_file('counselor: "Ms. Okafor"')(w), text_edit(DISTRICT, "mkdocs.yml", "mkdocs.yaml")(w)),
        r"district\.yml:1: INHERIT names 'mkdocs\.yaml', which does not exist", config=DISTRICT, command="make"),
    "district-unknown-field": Case(
        "names the file", district_file('councelor: "Ms. Okafor"'),
        r"district\.yml:4: district field 'councelor': unknown field.*did you mean counselor", config=DISTRICT),
    "district-field-not-text": Case(
        "names the file", district_file("name: [Lincoln, Unified]"),
        r"district\.yml:4: district field 'name': .*is not text", config=DISTRICT),
    "nav-missing-folder": Case(
        "names the file",
        append("mkdocs.yml", "nav:\n  - index.md\n  - Families:\n      - '@folder:familes'\n"),
        r"mkdocs\.yml: the nav entry '@folder:familes' names the folder docs/familes/"),
    "nav-unknown-placeholder": Case(
        "names the file",
        append("mkdocs.yml", "nav:\n  - index.md\n  - '@lesson'\n"),
        r"mkdocs\.yml: unknown nav placeholder '@lesson'"),
    "freshness-days-not-a-number": Case(
        "names the file", text_edit("mkdocs.yml", "extra:\n", "extra:\n  linkcheck:\n    freshness_days: six months\n"),
        r"mkdocs\.yml:\d+: extra\.linkcheck\.freshness_days: 'six months' is not a number of days"),
    "district-not-a-mapping": Case(
        "names the file", write(DISTRICT, "INHERIT: mkdocs.yml\nextra:\n  district: Lincoln Unified\n"),
        r"district\.yml:3: extra\.district must be 'field: value' lines", config=DISTRICT),
    "registry-yaml-tab": Case(
        "names the file",
        registry_edit('    kind: phone\n    phone: "+18008435678"', '    kind: phone\n\tphone: "+18008435678"'),
        r"resources\.yml:\d+: the YAML cannot be read"),
}


def run_case(case: Case, work: Path, env: dict | None = None) -> Build:
    """Copy the good fixture, give it a config, apply the case's one edit, and build it."""
    shutil.copytree(FIXTURES / "good", work)
    (work / "mkdocs.yml").write_text(dump_config(fixture_config(work)))
    case.edit(work)
    if (work / REGISTRY).exists():   # the case's registry copy: point the config at it
        (work / "mkdocs.yml").write_text((work / "mkdocs.yml").read_text().replace(
            str(ROOT / "macros/resources.yml"), str(work / REGISTRY)))
    site = work / "site"
    if case.command == "make":
        command = [sys.executable, "-m", "curriculum", "build", "--config", case.config, "--site", "site"]
    else:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", case.config, "-d", str(site)]
    result = subprocess.run(command, cwd=work, env={**ENV, "CURRICULUM_PDF": "0", **(env or {})},
                            capture_output=True, text=True)
    return Build(result.returncode, result.stdout + result.stderr, site)


def record(name: str, cls: str, returncode: int, message: str) -> None:
    folder = os.environ.get("BADINPUT_RESULTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.json").write_text(json.dumps(
            {"case": name, "class": cls, "exit": returncode, "message": message}))


def message_line(output: str, pattern: str) -> str:
    match = re.search(pattern, output)
    if not match:
        return ""
    start = output.rfind("\n", 0, match.start()) + 1
    end = output.find("\n", match.start())
    return output[start:end if end >= 0 else None].strip()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus(name, tmp_path):
    case = CORPUS[name]
    result = run_case(case, tmp_path / name)
    out = result.output
    line = message_line(out, case.message)
    record(name, case.cls, result.returncode, line)
    assert "Traceback" not in out, f"{name}: a traceback reached the user:\n{out[-3000:]}"
    assert line, f"{name}: {case.message!r} not in the output:\n{out[-3000:]}"
    if case.kind == "accepted":
        assert result.returncode == 0, f"{name} should build:\n{out[-3000:]}"
    else:
        # A warning fails too: `make site` is strict (mkdocs.yml `strict: true`, and --strict).
        assert result.returncode != 0, f"{name} built without error:\n{out[-2000:]}"
    if case.kind == "error":
        assert "BuildError" in out or "BUILD FAILED" in out or "Aborted" in out or "Error:" in out


def test_every_example_field_is_named(tmp_path):
    """The copied example district warns once for each fictional field, naming it."""
    result = run_case(CORPUS["example-district-copied"], tmp_path / "example")
    named = set(re.findall(r"district\.yml:\d+: district field '(\w+)'", result.output))
    assert {"name", "school", "contact", "counselor", "principal", "title_ix", "safety_contact", "phone",
            "phone_display", "email", "website", "opt_out"} <= named, result.output[-3000:]
    assert result.returncode != 0


def test_example_district_may_be_previewed_when_said_so(tmp_path):
    """allow_example_district (tests, demos) turns the example warnings off: the build passes."""
    def edit(work: Path) -> None:
        CORPUS["example-district-copied"].edit(work)
        text = (work / "mkdocs.yml").read_text()
        text = text.replace("snippets_dir:", "allow_example_district: true\n    snippets_dir:", 1)
        (work / "mkdocs.yml").write_text(text)
    result = run_case(Case("example values", edit, "", config=DISTRICT), tmp_path / "preview")
    assert result.returncode == 0 and "district field" not in result.output, result.output[-3000:]


# -- nothing raw reaches a page: one build with the attack in every place, each asserted apart ----
XSS_PLACES = {
    # place -> (page, marker): the marker follows the attack string, so each place is found apart.
    "lesson-title": ("lessons/3-5/01-fixture-lesson/index.html", "LESSONTITLE"),
    "handout-description": ("handouts/index.html", "DESCRIPTION"),
    "materials-item": ("lessons/3-5/01-fixture-lesson/index.html", "MATERIAL"),
    "objective": ("lessons/3-5/01-fixture-lesson/index.html", "OBJECTIVE"),
    "vocabulary-term": ("lessons/3-5/glossary/index.html", "VOCABULARY"),
    "district-name": ("index.html", "DISTRICT"),
    "site-name": ("index.html", "SITENAME"),
    "handout-title": ("handouts/fixture-worksheet/index.html", "HANDOUTTITLE"),
}


def _attack(work: Path) -> None:
    quoted = XSS.replace("'", "''")
    for path, old, new in [
        (LESSON, 'title: "Fixture lesson"', f"title: '{quoted}LESSONTITLE'"),
        (LESSON, '- "The fixture worksheet"', f"- '{quoted}MATERIAL'"),
        (LESSON, '- "Name a trusted adult."', f"- '{quoted}OBJECTIVE'"),
        (LESSON, '  upstander: "Someone', f"  '{quoted}VOCABULARY': \"Someone"),
        (HANDOUT, 'description: "A worksheet used only by the tests."', f"description: '{quoted}DESCRIPTION'"),
        (HANDOUT, 'title: "Fixture worksheet"', f"title: '{quoted}HANDOUTTITLE'"),
        (INDEX, "# Fixture home\n",
         '# Fixture home\n\nWe are {{ district("name") }}. Ask {{ district("counselor") }}.\n'),
    ]:
        text_edit(path, old, new)(work)
    district_file(f"name: '{quoted}DISTRICT'\ncounselor: \"<counselor name>\"")(work)
    (work / DISTRICT).write_text((work / DISTRICT).read_text() + f"site_name: '{quoted}SITENAME'\n")


@pytest.fixture(scope="module")
def attacked(tmp_path_factory) -> Build:
    result = run_case(Case("escaping", _attack, "", config=DISTRICT), tmp_path_factory.mktemp("xss") / "site")
    assert result.returncode == 0, result.output[-3000:]
    return result


@pytest.mark.parametrize("place", sorted(XSS_PLACES))
def test_attack_shows_as_text_only(place, attacked):
    page, marker = XSS_PLACES[place]
    html = (attacked.site / page).read_text()
    tree = lxml_html.fromstring(html)
    scripts = [s.text or "" for s in tree.iter("script")]
    assert not any("alert(1)" in s for s in scripts), f"{place}: a <script> from the content runs on {page}"
    assert XSS + marker in tree.text_content(), f"{place}: the text {XSS + marker!r} is not shown on {page}"
    # Attributes too: the quote never closes an attribute, so no element gains one from the attack.
    for element in tree.iter():
        for name in element.attrib:
            assert "alert" not in name and "script" not in name, f"{place}: attribute {name!r} on {page}"
    record(f"xss-{place}", "nothing raw", 0, f"site/{page}: shows {XSS + marker!r} as text, no <script> element")


def test_placeholder_in_district_value_prints_as_written(attacked):
    text = lxml_html.fromstring((attacked.site / "index.html").read_text()).text_content()
    assert "Ask <counselor name>." in text
    record("district-angle-brackets", "nothing raw", 0, "site/index.html: shows 'Ask <counselor name>.'")


# -- the site folder is safe to publish and to rebuild -------------------------------------------
def make_site(work: Path, site: str = "site", **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "curriculum", "build", "--config", "mkdocs.yml", "--site", site],
                            cwd=work, env={**ENV, "CURRICULUM_PDF": "0"}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kwargs)


@pytest.fixture
def good_work(tmp_path) -> Path:
    work = tmp_path / "good"
    shutil.copytree(FIXTURES / "good", work)
    (work / "mkdocs.yml").write_text(dump_config(fixture_config(work)))
    return work


def test_site_is_world_readable_and_a_killed_build_leaves_nothing(good_work):
    """make site: site/ readable by a web server running as another user (mkdtemp alone makes 0700),
    and the staging folder of a build that was killed is gone after the next build."""
    leftover = good_work / ".site-building-killed"
    leftover.mkdir()
    (leftover / "index.html").write_text("half a site")
    (good_work / ".site-old").mkdir()
    build = make_site(good_work, umask=0o077)
    output = build.communicate()[0]
    assert build.returncode == 0, output[-3000:]
    mode = (good_work / "site").stat().st_mode & 0o777
    record("site-world-readable", "site folder", build.returncode, f"site/ mode {mode:o} (umask 077)")
    assert mode & 0o005 == 0o005, f"site/ is mode {mode:o}: others cannot read it"
    left = sorted(p.name for p in good_work.iterdir() if p.name.startswith(".site-") and p.is_dir())
    record("killed-build-staging", "site folder", build.returncode, f"left after the next build: {left or 'nothing'}")
    assert not left, f"staging folders outlived the next build: {left}"


def test_a_second_build_in_the_same_folder_waits_for_the_first(good_work):
    from curriculum.build import locked
    target = (good_work / "site").resolve()
    with locked(target):             # the first build holds the lock
        second = make_site(good_work)
        deadline = time.monotonic() + 60
        # Wait until the second build says it waits (its output, read in a thread), or ends (a failure).
        said: list[str] = []
        reader = threading.Thread(target=lambda: said.extend(second.stdout), daemon=True)
        reader.start()
        while time.monotonic() < deadline and not any("Another build" in x for x in said) and second.poll() is None:
            time.sleep(0.2)
        assert second.poll() is None, "the second build did not wait for the lock:\n" + "".join(said)
        assert not list(good_work.glob(".site-building-*")), "the second build started while the first held the lock"
    second.wait(timeout=300)
    reader.join(timeout=60)
    output = "".join(said)
    line = message_line(output, r"Another build of site/ is running")
    record("second-build-waits", "site folder", second.returncode, line)
    assert line and second.returncode == 0, output[-3000:]


def test_site_never_disappears_during_the_swap(tmp_path):
    """The finished build replaces site/ in one exchange: a reader polling site/index.html never misses it."""
    from curriculum.build import swap_into_place
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("0")
    missing = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            if not (target / "index.html").exists():
                missing.append(1)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n in range(1, 200):
            staging = tmp_path / f".site-building-{n}"
            staging.mkdir()
            (staging / "index.html").write_text(str(n))
            swap_into_place(staging, target)
    finally:
        stop.set()
        thread.join()
    assert (target / "index.html").read_text() == "199" and not list(tmp_path.glob(".site-*"))
    record("swap-never-empty", "site folder", 0, f"199 swaps; site/index.html missing {len(missing)} times")
    assert not missing, f"site/ was missing {len(missing)} times during 199 swaps"


def test_packets_are_byte_reproducible_and_the_pdf_stage_shows_progress(tmp_path):
    """Two cold builds of the PDF fixture (no cache shared) give the same bytes: pikepdf's /ID is
    deterministic. After "rendering N documents" the build says how many are done."""
    runs = []
    for n in (1, 2):
        result = build_fixture("pdf-site", tmp_path / str(n), env={"CURRICULUM_PDF": "1"})
        assert result.returncode == 0, result.output[-3000:]
        runs.append(result)
    pdfs = sorted(p.relative_to(runs[0].site) for p in (runs[0].site / "pdf").glob("*.pdf"))
    differ = [str(p) for p in pdfs if (runs[0].site / p).read_bytes() != (runs[1].site / p).read_bytes()]
    record("pdf-reproducible", "site folder", 0,
           f"{len(pdfs)} PDFs built twice from cold; differing: {differ or 'none'}")
    assert pdfs and not differ, f"these PDFs differ between two builds: {differ}"
    output = runs[0].output
    rendering = re.search(r"rendering (\d+) of \d+ documents", output)
    done = re.search(r"PDF documents: (\d+) of (\d+) done", output)
    record("pdf-progress", "site folder", 0, done.group(0) if done else "")
    assert rendering and done and output.index(rendering.group(0)) < output.index(done.group(0))
    assert done.group(1) == done.group(2) == rendering.group(1)


def test_attack_in_a_pdf_is_text_only(tmp_path):
    """The PDFs print the attack as text: the title on the page and in the document's metadata, the
    district's name in the footer, never an entity like &#34; and never a tag."""
    from pypdf import PdfReader

    quoted = XSS.replace("'", "''")
    card = "handouts/pdf-staff-card.md"
    edit = text_edit(card, 'title: "PDF staff card"', f"title: '{quoted}CARD'")
    district = {"extra": {"district": {"name": XSS + "DISTRICT", "contact": "<counselor name>"}}}
    result = build_fixture("pdf-site", tmp_path, env={"CURRICULUM_PDF": "1"}, edit=edit, overrides=district)
    assert result.returncode == 0, result.output[-3000:]
    card_pdf = PdfReader(result.site / "pdf" / "pdf-staff-card.pdf")
    assert card_pdf.metadata.title == XSS + "CARD", card_pdf.metadata.title
    packet = PdfReader(result.site / "pdf" / "packet-staff.pdf")       # its contents list the card's title
    text = " ".join(page.extract_text() for page in packet.pages)
    squashed = re.sub(r"\s+", "", text)
    for shown in (XSS + "CARD", XSS + "DISTRICT", "<counselor name>"):
        assert re.sub(r"\s+", "", shown) in squashed, f"{shown!r} not printed in packet-staff.pdf:\n{text[:2000]}"
    assert "&#" not in text and "&lt;" not in text and "&quot;" not in text
    record("xss-pdf-title", "nothing raw", 0,
           f"pdf/packet-staff.pdf: prints {XSS + 'CARD'!r} as text; metadata title as typed")
