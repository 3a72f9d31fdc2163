"""First-load page weight: what a visitor's browser downloads to show one page, per page type.

    .venv/bin/python bench/page_weight.py [--site DIR] [--runs 3] [--out bench/results-build.md]

For each page type (home, a lesson, a family page, a handout, resources) the page is opened in a
fresh browser context (empty cache) and every response is counted until the network is idle. The
same pages are measured on a *stock Material* build of the same Markdown: a temporary copy of the
project whose mkdocs.yml keeps the content settings (plugins, Markdown extensions, nav) but uses
Material's default theme settings (no custom_dir, no extra CSS, default features, default fonts).

- Bytes are what the browser received (response bodies plus headers: Resource Timing's
  transferSize), as served by a plain static server with no compression. A gzip estimate of the bodies is
  given too, because most school web hosts compress text.
- Requests to other hosts (stock Material asks Google Fonts for Roboto) cannot load here, which has
  no internet: they are listed separately and not counted.

Needs the test tools (`make test-deps`): Playwright and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import mkdocs_yaml  # noqa: E402  (bench/mkdocs_yaml.py: keeps mkdocs.yml's !ENV tag)
from build import machine_note, write_section  # noqa: E402  (bench/build.py)

from browser import is_local, launch, serve  # noqa: E402  (tests/browser)

COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "site", ".site-*", ".cache", "node_modules", "__pycache__",
                                     ".pytest_cache", "*.egg-info", "bench")
TARGET = 0.60  # a lesson's first load must be at most 60% of the stock Material page's


def mkdocs_build(project: Path, site: Path, config: str = "mkdocs.yml", strict: bool = True) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CURRICULUM_PDF": "0"}
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / config), "-d", str(site)]
    if strict:
        command.insert(4, "--strict")
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed for {project / config}:\n{(result.stdout + result.stderr)[-3000:]}")


def stock_project(work: Path) -> Path:
    """A copy of the project with Material's default theme settings and the same content."""
    project = work / "stock"
    shutil.copytree(ROOT, project, ignore=COPY_IGNORE)
    shutil.rmtree(project / "overrides", ignore_errors=True)
    config = mkdocs_yaml.load(ROOT / "mkdocs.yml")
    config["theme"] = {"name": "material", "language": config.get("theme", {}).get("language", "en")}
    config.pop("extra_css", None)
    config.pop("extra_javascript", None)
    config.get("extra", {}).pop("generator", None)
    config["strict"] = False
    options = mkdocs_yaml.plugin_options(config, "curriculum")
    options["site_checks"] = False  # its privacy check would (rightly) reject Google Fonts
    (project / "mkdocs.yml").write_text(mkdocs_yaml.dump(config))
    return project


def page_types(site: Path) -> dict[str, str]:
    """URL path of one page of each type, chosen the same way every run."""
    def url(src: Path) -> str:
        rel = src.with_suffix("").as_posix()
        return rel[: -len("index")] if rel.endswith("/index") else rel + "/"

    lessons = sorted((ROOT / "lessons").glob("*/*.md"))
    handouts = sorted(p for p in (ROOT / "handouts").glob("*.md") if p.name != "index.md")
    types = {"home": "", "lesson": url(lessons[0].relative_to(ROOT)) if lessons else None,
             "family page": "families/", "handout": url(handouts[0].relative_to(ROOT)) if handouts else None,
             "resources": "resources/"}
    return {name: path for name, path in types.items()
            if path is not None and (site / path / "index.html").exists()}


_ENTRIES = """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .map(e => ({url: e.name, type: e.initiatorType, transfer: e.transferSize, body: e.encodedBodySize}))"""


def load(browser, site: Path, base: str, path: str) -> dict:
    """Open a page with an empty cache and wait until the network is idle; count what was transferred.

    The counts come from the browser's Resource Timing entries (transferSize: headers + body as
    received, 0 when served from the cache), which also see the search worker's script. The gzip
    estimate compresses the same files from the built site.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: None if is_local(r.url) else external.append(r.url))
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(300)
    entries = page.evaluate(_ENTRIES)
    context.close()
    local = []
    for entry in entries:
        if not is_local(entry["url"]) or entry["transfer"] == 0:
            continue
        url = urlsplit(entry["url"]).path
        file = site / url.lstrip("/")
        if file.is_dir() or url.endswith("/"):
            file = file / "index.html"
        body = file.read_bytes() if file.is_file() else b""
        local.append({"url": url, "type": entry["type"], "bytes": entry["transfer"],
                      "gzip": len(gzip.compress(body, 6)) if body else entry["body"]})
    return {"requests": local, "external": sorted(set(external)),
            "bytes": sum(r["bytes"] for r in local), "gzip": sum(r["gzip"] for r in local)}


def measure(browser, site: Path, types: dict[str, str], runs: int) -> dict[str, dict]:
    out = {}
    with serve(site) as base:
        for name, path in types.items():
            samples = [load(browser, site, base, path) for _ in range(runs)]
            middle = sorted(samples, key=lambda s: s["bytes"])[len(samples) // 2]
            out[name] = {**middle, "bytes": statistics.median(s["bytes"] for s in samples),
                         "gzip": statistics.median(s["gzip"] for s in samples)}
    return out


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def breakdown(result: dict) -> dict[str, int]:
    """Bytes per kind of resource: HTML, CSS, JS (page and search worker), search index, fonts, other."""
    kinds: dict[str, int] = {}
    for r in result["requests"]:
        path = r["url"]
        kind = ("search index" if path.endswith("search_index.json") else
                "JS" if path.endswith(".js") else "CSS" if path.endswith(".css") else
                "fonts" if path.endswith((".woff2", ".woff", ".ttf")) else
                "HTML" if r["type"] == "navigation" else "images/other")
        kinds[kind] = kinds.get(kind, 0) + r["bytes"]
    return kinds


def report(ours: dict, stock: dict, runs: int) -> tuple[str, bool]:
    lines = ["## Page weight (first load, empty cache)", "", machine_note(), "",
             f"Median of {runs} loads per page in Chromium; bytes received (bodies + headers) from a plain "
             "static server with no compression, and a gzip estimate of the bodies. *Stock* is the same "
             "Markdown built with Material's default theme settings.", "",
             "| Page type | Ours | Stock Material | Ours / stock | Ours (gzip) | Stock (gzip) | Ours / stock (gzip) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name in ours:
        if name not in stock:
            continue
        o, s = ours[name], stock[name]
        lines.append(f"| {name} | {kb(o['bytes'])} | {kb(s['bytes'])} | {o['bytes'] / s['bytes']:.0%} | "
                     f"{kb(o['gzip'])} | {kb(s['gzip'])} | {o['gzip'] / s['gzip']:.0%} |")
    ok = "lesson" in ours and "lesson" in stock and ours["lesson"]["bytes"] <= TARGET * stock["lesson"]["bytes"]
    if "lesson" in ours and "lesson" in stock:
        ratio = ours["lesson"]["bytes"] / stock["lesson"]["bytes"]
        lines += ["", f"**Target** (a lesson's first load at most {TARGET:.0%} of stock Material's): "
                      f"{ratio:.0%} — {'met' if ok else 'MISSED'}."]
        o, s = breakdown(ours["lesson"]), breakdown(stock["lesson"])
        lines += ["", "Where a lesson page's bytes go:", "", "| Resource | Ours | Stock |", "|---|---:|---:|"]
        for kind in sorted(set(o) | set(s), key=lambda k: -max(o.get(k, 0), s.get(k, 0))):
            lines.append(f"| {kind} | {kb(o.get(kind, 0))} | {kb(s.get(kind, 0))} |")
        lines.append(f"| requests | {len(ours['lesson']['requests'])} | {len(stock['lesson']['requests'])} |")
    external = sorted({u for r in stock.values() for u in r["external"]})
    ours_external = sorted({u for r in ours.values() for u in r["external"]})
    lines += ["", "Requests to other hosts (not counted above; this machine is offline):", "",
              f"- ours: {', '.join(ours_external) if ours_external else 'none'}",
              f"- stock: {', '.join(external) if external else 'none'}"]
    if external:
        lines.append("  (Google Fonts: a stylesheet, then the Roboto and Roboto Mono files it names; "
                     "those would add to stock's weight online, and tell Google about every visit.)")
    return "\n".join(lines) + "\n", ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an existing build of this project (default: build one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results-build.md")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        work = Path(tmp)
        site = args.site
        if site is None:
            site = work / "ours"
            print("building the site (no PDFs)...", file=sys.stderr)
            mkdocs_build(ROOT, site)
        print("building the stock Material copy...", file=sys.stderr)
        stock_site = work / "stock-site"
        mkdocs_build(stock_project(work), stock_site, strict=False)
        types = page_types(site)
        with sync_playwright() as playwright:
            browser = launch(playwright)
            ours = measure(browser, site, types, args.runs)
            stock = measure(browser, stock_site, types, args.runs)
            browser.close()
    text, ok = report(ours, stock, args.runs)
    print(text)
    write_section(args.out, "page-weight", text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
