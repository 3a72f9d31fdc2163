"""Helpers for the real-browser tests (tests/test_browser.py) and the page-weight benchmark.

- ``serve(folder)``: a static HTTP server on 127.0.0.1 (random port) in a background thread.
- ``launch(playwright)``: the Debian Chromium (/usr/bin/chromium), headless, offline-friendly.
  Playwright's own browser downloads are never used.
- ``run_axe(page)``: inject axe-core from node_modules and return the WCAG 2.x A/AA violations.
- ``built_pages(site)``: the URL path of every page in a built site.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CURRICULUM_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LOCAL_HOSTS = {"127.0.0.1"}
# No sandbox (containers, root), and nothing that phones home. The resolver rule makes every host
# except 127.0.0.1 unresolvable, so a stray third-party request fails at once instead of waiting on
# the network (the request is still reported to page.on("request"), which is what the tests check).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
INSTALL_HINT = ("Install it with `make test-system-deps` (Debian package 'chromium'), or point "
                "CURRICULUM_CHROMIUM at a Chromium binary. The browser tests never download a browser.")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".woff2": "font/woff2", ".json": "application/json", ".js": "text/javascript",
                      ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on http://127.0.0.1:<free port>/ for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def launch(playwright, **kwargs):
    """Launch the system Chromium headless. Raises FileNotFoundError (with the fix) when it is missing."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"Chromium is not installed at {CHROMIUM}. {INSTALL_HINT}")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                                      **kwargs)


def is_local(url: str) -> bool:
    """True for requests that stay on this machine's test server (or never touch the network)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


def built_pages(site: Path) -> list[str]:
    """URL paths (relative to the site root) of every HTML page: 'index.html' -> '', 'a/index.html' -> 'a/'."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return pages


_AXE_RUN = """async ([tags, extra]) => {
  const rules = Object.fromEntries(extra.map(id => [id, {enabled: true}]));
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
    summary: v.nodes.length ? v.nodes[0].failureSummary : "",
  }));
}"""


def run_axe(page, tags: list[str] = WCAG_TAGS, extra_rules: list[str] = ()) -> list[dict]:
    """axe-core's violations for ``tags`` (plus the rules named in ``extra_rules``, e.g. best-practice
    ones) on the page as it is now. axe-core is injected from node_modules."""
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `npm ci` (or `make test`) to install axe-core.")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_AXE_RUN, [list(tags), list(extra_rules)])


def format_violations(url: str, violations: list[dict], limit: int = 8) -> str:
    lines = []
    for v in violations:
        shown = v["targets"][:limit]
        more = f" (+{len(v['targets']) - limit} more)" if len(v["targets"]) > limit else ""
        lines.append(f"{url}: {v['id']} ({v['impact']}): {v['help']}\n"
                     f"    at: {', '.join(shown)}{more}\n"
                     f"    {v['summary'].splitlines()[0] if v['summary'] else ''}".rstrip())
    return "\n".join(lines)
