"""Self-hosting: the shipped deploy/nginx.conf, in a real nginx, serving the real build.

One nginx (Debian's `nginx`, installed by `make test`) is started per test process, on 127.0.0.1 and a
free port, with its own prefix, pid file, logs and temp folders under the test's temp folder, so it
needs no root and touches nothing in /etc or /var. Its server block only says where to listen and
which folder to serve, then includes deploy/nginx.conf itself (not a copy), so these tests check the
file a district installs. When nginx is missing the tests FAIL with the line to install it.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import lxml.html
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
DESKTOP = {"width": 1280, "height": 900}
LESSON = "lessons/k-2/01-my-pictures-belong-to-me/"   # a page with a PDF button and a Print button
YEAR = 31536000

# The test's own top-level config: where to listen and what to serve; everything else is the shipped file.
MAIN_CONF = """\
daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {site};
        include {shipped};
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def run_nginx(site: Path, tmp: Path, shipped: Path = SHIPPED):
    """nginx serving ``site`` with ``shipped`` included; yields its base URL. Stopped on exit."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run `make test-system-deps` (Debian package 'nginx').")
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(MAIN_CONF.format(tmp=tmp, port=port, site=site, shipped=shipped, mime_types=MIME_TYPES))
    test = subprocess.run([NGINX, "-t", "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)],
                          capture_output=True, text=True)
    assert test.returncode == 0, f"nginx rejects {shipped.name}:\n{test.stderr}"
    process = subprocess.Popen([NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(200):   # wait until it accepts connections (at most about 10 s)
            if process.poll() is not None:
                pytest.fail(f"nginx stopped at once:\n{process.stderr.read() if process.stderr else ''}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.05)
        else:
            pytest.fail("nginx did not start listening")
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def nginx_url(built_site, tmp_path_factory):
    with run_nginx(built_site, tmp_path_factory.mktemp("nginx")) as url:
        yield url


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body


def get(url: str, **headers: str) -> Response:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as r:   # noqa: S310 - our own 127.0.0.1 server
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def served_csp(nginx_url: str) -> dict[str, list[str]]:
    header = get(nginx_url).headers["Content-Security-Policy"]
    assert header, "no Content-Security-Policy header"
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


# -- headers, pages, PDFs ------------------------------------------------------------------------
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def check_security_headers(response: Response, what: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, f"{what}: {name} is {response.headers[name]!r}"
    assert response.headers["Content-Security-Policy"], f"{what}: no Content-Security-Policy"
    policy = response.headers["Permissions-Policy"] or ""
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in policy, f"{what}: Permissions-Policy does not turn off {feature}: {policy!r}"


def test_pages_pdfs_and_headers(nginx_url, built_site):
    """Pages, PDFs and assets are served with the security headers; pages are never cached without
    asking again; content-hashed assets are cached for a year; a missing page is the site's 404 page."""
    for path in ("", LESSON, "resources/", "handouts/"):
        page = get(nginx_url + path)
        assert page.status == 200, f"/{path}: {page.status}"
        assert page.headers.get_content_type() == "text/html", f"/{path}: {page.headers['Content-Type']}"
        assert (built_site / path / "index.html").read_bytes() == page.body, f"/{path} is not the built page"
        check_security_headers(page, f"/{path}")
        assert page.headers["Cache-Control"] == "no-cache", f"/{path}: Cache-Control {page.headers['Cache-Control']}"

    redirect = urllib.request.build_opener(NoRedirect).open
    with pytest.raises(urllib.error.HTTPError) as moved:
        redirect(nginx_url + LESSON.rstrip("/"))
    assert moved.value.code == 301 and moved.value.headers["Location"] == "/" + LESSON, \
        "a page address without its final slash should redirect (relatively) to the page"

    missing = get(nginx_url + "no-such-page/")
    assert missing.status == 404
    assert missing.body == (built_site / "404.html").read_bytes(), "a missing page does not show the site's 404 page"
    check_security_headers(missing, "404")

    pdfs = sorted((built_site / "pdf").glob("*.pdf"))
    assert pdfs, "the build made no PDFs"
    for pdf in (pdfs[0], built_site / "pdf" / "packet-k-2.pdf"):
        served = get(nginx_url + f"pdf/{pdf.name}")
        assert served.status == 200 and served.headers.get_content_type() == "application/pdf", pdf.name
        assert served.body == pdf.read_bytes(), f"{pdf.name} is not the built PDF"
        check_security_headers(served, pdf.name)
        assert served.headers["Cache-Control"] == "no-cache", pdf.name

    hashed = [p for p in (built_site / "assets").rglob("*.min.*")
              if re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", p.name)]
    assert any(p.suffix == ".js" for p in hashed) and any(p.suffix == ".css" for p in hashed), hashed
    for asset in hashed:
        rel = asset.relative_to(built_site).as_posix()
        served = get(nginx_url + rel)
        assert served.status == 200, rel
        assert served.headers["Cache-Control"] == f"public, max-age={YEAR}, immutable", \
            f"/{rel}: Cache-Control {served.headers['Cache-Control']}"
        check_security_headers(served, rel)
    for rel in ("assets/stylesheets/site.css", "assets/javascripts/site.js", "search/search_index.json"):
        served = get(nginx_url + rel)
        assert served.status == 200, rel
        assert served.headers["Cache-Control"] == "no-cache", f"/{rel}: no hash in its name, never cache it long"

    index = get(nginx_url + "search/search_index.json", **{"Accept-Encoding": "gzip"})
    assert index.headers["Content-Encoding"] == "gzip", "the search index is sent uncompressed"
    assert gzip.decompress(index.body) == (built_site / "search" / "search_index.json").read_bytes()
    assert index.headers.get_content_type() == "application/json"
    font = next((built_site / "assets" / "fonts").glob("*.woff2")).relative_to(built_site).as_posix()
    assert get(nginx_url + font).headers.get_content_type() == "font/woff2", font


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_csp_is_strict(nginx_url):
    """No 'unsafe-inline' or 'unsafe-eval' anywhere; nothing is allowed from another host."""
    csp = served_csp(nginx_url)
    assert csp["default-src"] == ["'none'"], csp
    for directive, sources in csp.items():
        for source in sources:
            assert source in ("'self'", "'none'", "data:") or source.startswith("'sha256-"), \
                f"{directive} allows {source}"
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"]


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_inline_script_is_allowed_and_nothing_else_is_inline(nginx_url, built_site):
    """Every page's inline scripts and <style> blocks are allowed by hash in the served CSP, and no page
    has a style="" attribute, an on...="" handler or a javascript: link, which the CSP would block.
    (The browser test below proves the same in Chromium on a few pages; this covers every page.)"""
    csp = served_csp(nginx_url)
    allowed, allowed_styles = set(csp["script-src"]), set(csp["style-src"])
    problems: dict[str, set[str]] = {}
    for page in sorted(built_site.rglob("*.html")):
        rel = page.relative_to(built_site).as_posix()
        tree = lxml.html.parse(str(page)).getroot()
        for script in tree.iter("script"):
            if script.get("src") is None and script.get("type") != "application/json":   # JSON is data, never run
                digest = _hash(script.text or "")
                if digest not in allowed:
                    what = f"inline script {digest} not in the CSP: {(script.text or '')[:60]!r}"
                    problems.setdefault(what, set()).add(rel)
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag == "style" and _hash(element.text or "") not in allowed_styles:
                what = f"<style> {_hash(element.text or '')} not in the CSP: {(element.text or '').strip()[:40]!r}"
                problems.setdefault(what, set()).add(rel)
            for name, value in element.attrib.items():
                if name == "style" or name.startswith("on"):
                    problems.setdefault(f'<{element.tag} {name}="{value[:40]}">', set()).add(rel)
                elif name in ("href", "src") and value.strip().lower().startswith("javascript:"):
                    problems.setdefault(f'<{element.tag} {name}="{value[:40]}">', set()).add(rel)
    assert not problems, "blocked by deploy/nginx.conf's CSP:\n" + "\n".join(
        f"  {what} (in {len(pages)} pages, e.g. {sorted(pages)[0]})" for what, pages in problems.items())


# -- in Chromium: search, palette, PDF and Print buttons, no CSP violation ---------------------------
# Every violation on every page is sent to the test at once (a page's own list would be lost when it
# navigates); Chromium also logs each one as a console error, which is caught too.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", e => window.__firCsp(`${e.violatedDirective} blocked `
  + `${e.blockedURI || "inline"} (${e.sourceFile || ""}:${e.lineNumber || ""}) ${e.sample || ""}`));
"""


def check_site_in_chromium(browser, url: str, deck: str | None = None) -> list[str]:
    """Use the site the way a visitor does under the shipped headers; returns every problem seen."""
    problems: list[str] = []
    context = browser.new_context(viewport=DESKTOP, color_scheme="light", accept_downloads=True)
    context.expose_function("__firCsp", lambda text: problems.append(f"CSP violation: {text}"))
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    # A failed request is reported below with its address (the console line has none).
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") and not m.text.startswith("Failed to load resource") else None)
    context.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
               if r.status >= 400 and not r.url.endswith("/sitemap.xml") else None)
    # Known, not a policy matter: since the Spanish edition, Material looks for sitemap.xml next to the
    # page (for its language links) and gets a 404 there; reported to the lead, left out here.
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))

    try:
        # Search: the index (XHR) and the search worker both run under the policy.
        page.goto(url, wait_until="load")
        page.locator(".md-search__input").click()
        page.keyboard.type("picture")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        first = page.locator(".md-search-result__item a").first
        target = first.get_attribute("href")
        first.click()
        page.wait_for_load_state("load")
        assert page.url.split("#")[0].split("?")[0] != url, f"a search result ({target}) did not open a page"

        # The palette toggle, remembered on the next page (Material's hashed inline script reads it).
        page.goto(url + LESSON, wait_until="load")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
        page.locator('[data-md-component="palette"] label:not([hidden])').click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'", timeout=5000)
        page.goto(url + "resources/", wait_until="load")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate", \
            "the dark palette chosen on one page is not restored on the next"
        page.locator('[data-md-component="palette"] label:not([hidden])').click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'", timeout=5000)

        # The PDF button downloads the PDF; the Print button opens printing (window.print, counted here).
        page.goto(url + LESSON, wait_until="load")
        button = page.locator(".fir-print-actions a[download]").first
        with page.expect_download() as download:
            button.click()
        saved = download.value.path()
        assert saved and Path(saved).read_bytes()[:5] == b"%PDF-", \
            f"the PDF button gave {download.value.suggested_filename}"
        page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
        page.locator(".fir-print-actions button[data-fir-print]").click()
        assert page.evaluate("window.__printed") == 1, "the Print button did not open printing"

        # A deck's present view (its own inline script and style, allowed by hash): the keys move slides.
        if deck:
            page.goto(url + deck, wait_until="load")
            current = "[...document.querySelectorAll('.slide')].findIndex(s => s.classList.contains('current'))"
            first = page.evaluate(current)
            page.keyboard.press("ArrowRight")
            assert (first, page.evaluate(current)) == (0, 1), f"/{deck}: the arrow key did not move to the next slide"
    finally:
        context.close()
    return problems


def test_search_palette_and_buttons_work_under_the_csp(browser, nginx_url, built_site):
    decks = sorted((built_site / "decks").glob("*.html")) if (built_site / "decks").is_dir() else []
    deck = decks[0].relative_to(built_site).as_posix() if decks else None
    problems = check_site_in_chromium(browser, nginx_url, deck)
    assert not problems, "under deploy/nginx.conf:\n" + "\n".join(problems)
