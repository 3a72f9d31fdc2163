"""The bad-input corpus: every mistake a teacher or district editor can make stops the build,
with a message that names the file (and line, where there is one).

Docs-only cases live in tests/fixtures/<case>/. Lesson and handout cases start from the valid
fixture tests/fixtures/good and break one thing each.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ENV, ROOT, build_fixture, dump_config, fixture_config
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
