"""The engine's shape: no mkdocs import outside the adapter, one table of interface words, the nav,
the PDF switch, and the output plan that drives the download buttons."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ENV, ROOT, build_fixture
from curriculum import nav, words
from curriculum.content import collect
from curriculum.errors import ContentError
from curriculum.outputs.pdf import packets


def test_the_engine_never_imports_mkdocs():
    code = ("import sys\n"
            "import curriculum.outputs.pdf, curriculum.outputs.pdf.stage, curriculum.outputs.pdf.join\n"
            "import curriculum.linkcheck.run, curriculum.rules, curriculum.htmlcheck\n"
            "import curriculum.nav, curriculum.build\n"
            "import curriculum.rules.reading, curriculum.rules.image_handling\n"
            "bad = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.'))\n"
            "assert not bad, bad\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_language_has_every_interface_word():
    english = set(words.WORDS["en"])
    for lang, table in words.WORDS.items():
        assert set(table) == english, f"{lang}: missing {english - set(table)}, extra {set(table) - english}"
    assert words.words("fr") is words.WORDS["en"]


def test_nav_placeholders_expand_and_a_missing_folder_is_named():
    content = collect(ROOT)
    expanded = nav.expand(["index.md", {"Staff": ["@folder:staff"]}, "@handouts"], content, ROOT / "docs")
    staff = expanded[1]["Staff"]
    assert staff[0] == "staff/index.md" and len(staff) > 5
    assert [list(group)[0] for group in expanded[2:]] == ["For students", "For families", "For staff and leaders"]
    with pytest.raises(ContentError, match=r"the nav entry '@folder:staf' names the folder docs/staf/"):
        nav.expand(["@folder:staf"], content, ROOT / "docs")


def test_the_output_plan_names_each_page_s_downloads():
    content = collect(ROOT)
    jobs, problems = packets.plan_jobs(content, nav.folder_pages(ROOT / "docs", "staff"))
    assert not problems
    shown = {uri: job.name for job in jobs for uri in job.shown_on}
    assert shown["handouts/resource-card.md"] == "resource-card.pdf"
    assert shown["lessons/k-2/index.md"] == "packet-k-2.pdf"
    assert shown["staff/index.md"] == "packet-staff.pdf"
    spanish = next(job for job in jobs if job.name == "resource-card.es.pdf")
    assert spanish.button == "Descargar PDF"


def test_the_pdf_switch_comes_from_the_environment(tmp_path):
    """mkdocs.yml says `pdf: !ENV [CURRICULUM_PDF, true]`; MkDocs' own loader reads it."""
    from mkdocs.config import load_config
    for value, expected in (("0", False), ("false", False), ("1", True), (None, True)):
        env = {k: v for k, v in ENV.items() if k != "CURRICULUM_PDF"}
        if value is not None:
            env["CURRICULUM_PDF"] = value
        code = ("from mkdocs.config import load_config\n"
                "c = load_config('mkdocs.yml')\n"
                "print(c.plugins['curriculum'].config.pdf)\n")
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.stdout.strip().splitlines()[-1] == str(expected), (value, result.stderr[-2000:])
    assert load_config  # imported here only: the engine itself never imports mkdocs


def test_macros_without_the_curriculum_plugin_say_what_to_add(tmp_path):
    def drop_plugin(config: dict) -> None:
        config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "curriculum" in p)]
    import shutil

    from conftest import dump_config, fixture_config, mkdocs_build
    work = tmp_path / "good"
    shutil.copytree(ROOT / "tests/fixtures/good", work)
    config = fixture_config(work)
    drop_plugin(config)
    (work / "mkdocs.yml").write_text(dump_config(config))
    result = mkdocs_build(work / "mkdocs.yml", work / "site")
    assert result.returncode != 0
    assert "needs the 'curriculum' plugin" in result.output and "Traceback" not in result.output, result.output[-2000:]


def test_a_nav_placeholder_for_a_missing_folder_stops_the_build(tmp_path):
    result = build_fixture("good", tmp_path, overrides={"nav": ["index.md", "@folder:families"]})
    assert result.returncode != 0
    assert "the nav entry '@folder:families' names the folder docs/families/, which does not exist" in result.output
