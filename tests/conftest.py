"""Shared test helpers: build the real site once per test session, and build tiny fixture sites.

The real site is built once (shared between pytest-xdist workers through a lock), exactly as
`make site` builds it, and most tests read that build.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


class EnvTag:
    """mkdocs.yml's ``!ENV [NAME, default]``, kept as written when a test writes a config back out."""

    def __init__(self, value):
        self.value = value


class ConfigLoader(yaml.SafeLoader):
    pass


class ConfigDumper(yaml.SafeDumper):
    pass


ConfigLoader.add_constructor("!ENV", lambda loader, node: EnvTag(
    loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else loader.construct_scalar(node)))
ConfigDumper.add_representer(EnvTag, lambda dumper, tag: dumper.represent_sequence("!ENV", tag.value, flow_style=True)
                             if isinstance(tag.value, list) else dumper.represent_scalar("!ENV", tag.value))


def load_config(text: str) -> dict:
    return yaml.load(text, Loader=ConfigLoader)


def dump_config(config: dict) -> str:
    return yaml.dump(config, Dumper=ConfigDumper, sort_keys=False, allow_unicode=True)


@dataclass
class Build:
    returncode: int
    output: str
    site: Path


def mkdocs_build(config: Path, site: Path, env: dict | None = None) -> Build:
    """`mkdocs build --strict` (never with -q: quiet hides the warnings strict mode fails on)."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                            cwd=config.parent, env={**ENV, **(env or {})}, capture_output=True, text=True)
    return Build(result.returncode, result.stdout + result.stderr, site)


def fixture_config(case_dir: Path, overrides: dict | None = None) -> dict:
    """The real mkdocs.yml, pointed at the repository's theme, macros and snippets, without its nav.

    A case may add ``case.yml`` (merged on top) and its own docs/, lessons/, handouts/, and
    ``resources.yml`` (used instead of the real registry).
    """
    config = load_config((ROOT / "mkdocs.yml").read_text())
    config.pop("nav", None)
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    plugins = []
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "macros" in plugin:
            plugin["macros"].update(module_name=str(ROOT / "macros"), include_dir=str(ROOT / "snippets"))
        plugins.append(plugin)
    registry = case_dir / "resources.yml"
    plugins = [p for p in plugins if p != "curriculum" and not (isinstance(p, dict) and "curriculum" in p)]
    plugins.insert(1, {"curriculum": {"registry": str(registry if registry.exists() else ROOT / "macros/resources.yml"),
                                      "snippets_dir": str(ROOT / "snippets"),
                                      "pdf": EnvTag(["CURRICULUM_PDF", False]),
                                      "decks": EnvTag(["CURRICULUM_DECKS", False])}})
    config["plugins"] = plugins
    for ext in config["markdown_extensions"]:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            ext["pymdownx.snippets"]["base_path"] = [str(ROOT / "snippets"), str(case_dir / "snippets")]
    case = case_dir / "case.yml"
    for extra in (yaml.safe_load(case.read_text()) if case.exists() else {}), (overrides or {}):
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(config.get(key), dict):
                config[key].update(value)
            else:
                config[key] = value
    return config


def build_fixture(case: str, tmp_path: Path, overrides: dict | None = None, env: dict | None = None,
                  edit=None) -> Build:
    """Copy tests/fixtures/<case> to tmp_path, give it a config, and build it.

    ``edit(work_dir)`` may change the copy first, so one good fixture can yield many bad ones.
    """
    work = tmp_path / case
    shutil.copytree(FIXTURES / case, work)
    if edit is not None:
        edit(work)
    (work / "docs").mkdir(exist_ok=True)
    config = work / "mkdocs.yml"
    config.write_text(dump_config(fixture_config(work, overrides)))
    # Fixture sites skip the PDFs and decks unless a test asks for them (env={"CURRICULUM_PDF": "1"}).
    return mkdocs_build(config, work / "site", {"CURRICULUM_PDF": "0", "CURRICULUM_DECKS": "0", **(env or {})})


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once for the whole session (PDFs included)."""
    base = tmp_path_factory.getbasetemp()
    # xdist workers each get <session>/popen-gwN: share <session>. Without xdist, <session> itself.
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    site = shared / "real-site"
    marker = shared / "real-site.json"
    with open(shared / "real-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            result = mkdocs_build(ROOT / "mkdocs.yml", site)
            marker.write_text(json.dumps({"returncode": result.returncode, "output": result.output}))
        state = json.loads(marker.read_text())
    if state["returncode"] != 0:
        pytest.fail(f"the real site did not build:\n{state['output'][-4000:]}")
    return site


@pytest.fixture(scope="session")
def site_pages(built_site) -> list[Path]:
    return sorted(built_site.rglob("*.html"))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process, shared by every browser test (test_browser.py,
    test_nginx.py, test_kit.py): Playwright's sync API allows only one running instance per process."""
    from browser import INSTALL_HINT, launch
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra is missing
        pytest.fail("Playwright is not installed: run `make test` (it installs the test tools).")
    with sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except FileNotFoundError as error:
            pytest.fail(str(error))
        except Exception as error:  # noqa: BLE001 - any launch failure is a failure, with the fix
            pytest.fail(f"Chromium did not start: {error}\n{INSTALL_HINT}")
        yield chromium
        chromium.close()
