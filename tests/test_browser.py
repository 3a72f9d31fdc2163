"""Real-browser tests of the built site: accessibility (axe-core, WCAG 2.1/2.2 A and AA, light and
dark palettes), keyboard use, small screens, browser printing, and privacy (no request leaves the
machine).

The site is the real build (`built_site`), served from 127.0.0.1 by a thread in this process. The
browser is the system Chromium (/usr/bin/chromium, installed by `make test`); when it is missing
these tests FAIL, they never skip: a school site that is not tested for accessibility is not done.
One browser is started per test process (so twice under `pytest -n 2`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import (AXE, INSTALL_HINT, built_pages, format_violations, is_local, launch, run_axe,
                     serve)
from curriculum.frontmatter import read_source

ROOT = Path(__file__).resolve().parents[1]
SHARDS = 3  # pages are split into shards so that pytest-xdist can share the axe work between workers
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


# -- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
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


@pytest.fixture(scope="session")
def pages(built_site) -> list[str]:
    found = built_pages(built_site)
    assert "" in found, "the built site has no home page"
    return found


def _url_of(src: Path) -> str:
    """The site URL path of a Markdown page ('lessons/k-2/01-x.md' -> 'lessons/k-2/01-x/')."""
    rel = src.with_suffix("").as_posix()
    return "" if rel == "index" else (rel[: -len("index")] if rel.endswith("/index") else rel + "/")


@pytest.fixture(scope="session")
def lesson_pages(pages) -> list[str]:
    urls = [_url_of(p.relative_to(ROOT)) for p in sorted((ROOT / "lessons").glob("*/*.md"))]
    urls = [u for u in urls if u in pages]
    assert urls, "no lesson page was built"
    return urls


@pytest.fixture(scope="session")
def handout_audiences(pages) -> dict[str, str]:
    """URL path of each handout page -> its audience (students, families, staff)."""
    found = {}
    for path in sorted((ROOT / "handouts").glob("*.md")):
        url = _url_of(path.relative_to(ROOT))
        if url in pages:
            found[url] = str(read_source(path).meta.get("audience", ""))
    return found


@pytest.fixture(scope="session")
def family_pages(pages, handout_audiences) -> list[str]:
    """Every family page: all of families/ (hand-written and generated) and the family handouts."""
    found = [p for p in pages if p.startswith("families/")]
    found += [url for url, audience in handout_audiences.items() if audience == "families"]
    assert found, "no family page was built"
    return found


@pytest.fixture(scope="session")
def representative_pages(pages, lesson_pages, family_pages, handout_audiences) -> dict[str, str]:
    """One page of each type: home, a lesson, a family page, a handout, resources."""
    assert "resources/" in pages, "the 'Get help' page (resources/) was not built"
    handouts = sorted(handout_audiences)
    assert handouts, "no handout page was built"
    families = [p for p in family_pages if p.startswith("families/")] or family_pages
    return {"home": "", "lesson": lesson_pages[0], "family page": families[0],
            "handout": handouts[0], "resources": "resources/"}


def _open(browser, url: str, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return context, page


# -- accessibility (axe-core) -----------------------------------------------------------------------
def _luminance(css_color: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_color)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


PALETTES = {"light": ("default", lambda lum: lum > 0.8), "dark": ("slate", lambda lum: lum < 0.05)}


def _check_palette(page, palette: str, path: str) -> None:
    """Make sure the palette under test really is the one on screen (attribute and colours)."""
    scheme, looks_right = PALETTES[palette]
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'", timeout=5000)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert looks_right(_luminance(background)), \
        f"/{path}: the {palette} palette is not on screen (body background {background})"


@pytest.mark.parametrize("shard", range(SHARDS))
@pytest.mark.parametrize("palette", PALETTES)
def test_axe_no_violations(browser, site_url, pages, palette, shard):
    """axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page, in either palette.

    Every <details> block is opened first, so that collapsed content (the disclosure protocol,
    teacher notes) is checked too. The search dialog's name (aria-dialog-name) is checked as well.
    """
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (or `make test`)"
    context = browser.new_context(color_scheme=palette, viewport=DESKTOP)
    page = context.new_page()
    failures = []
    try:
        for path in pages[shard::SHARDS]:
            page.goto(site_url + path, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            _check_palette(page, palette, path)
            page.evaluate("document.querySelectorAll('details:not([open])').forEach(d => d.open = true)")
            violations = run_axe(page, extra_rules=["aria-dialog-name"])
            if violations:
                failures.append(format_violations("/" + path, violations))
    finally:
        context.close()
    assert not failures, f"axe-core violations in the {palette} palette:\n" + "\n".join(failures)


@pytest.mark.parametrize("palette", PALETTES)
def test_axe_search_dialog(browser, site_url, palette):
    """The search dialog, open and showing results, has no violations either."""
    context, page = _open(browser, site_url, color_scheme=palette, viewport=DESKTOP)
    try:
        _check_palette(page, palette, "")
        page.locator(".md-search__input").click()
        page.keyboard.type("picture")
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        violations = run_axe(page, extra_rules=["aria-dialog-name"])
    finally:
        context.close()
    assert not violations, format_violations("/ (search open)", violations)


# -- keyboard ---------------------------------------------------------------------------------------
# Marks every element that should be reachable with Tab and returns their descriptions. Hidden
# elements (display:none, visibility:hidden, the `hidden` attribute, collapsed navigation sections),
# disabled ones and tabindex="-1" are left out; of a radio group only one button takes Tab (arrow
# keys move inside the group), as in every browser.
_MARK_TABBABLE = """() => {
  document.querySelectorAll('details:not([open])').forEach(d => d.open = true);
  const out = [];
  const radios = new Set();
  document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').forEach(el => {
    const tabindex = el.getAttribute('tabindex');
    if (tabindex !== null && tabindex !== '' && Number(tabindex) < 0) return;
    if (el.disabled || el.type === 'hidden' || el.closest('[hidden], [inert]')) return;
    if (!el.checkVisibility({checkVisibilityCSS: true, visibilityProperty: true})) return;
    if (el.tagName === 'INPUT' && el.type === 'radio') {
      if (radios.has(el.name)) return;
      radios.add(el.name);
      el.closest('form, body').querySelectorAll(`input[type=radio][name="${el.name}"]`)
        .forEach(r => r.dataset.tabGroup = el.name);
    }
    const id = String(out.length);
    el.dataset.tabId = id;
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\\s+/g, ' ');
    out.push(`<${el.tagName.toLowerCase()} class="${el.getAttribute('class') || ''}"> ${text.slice(0, 40)}`);
  });
  return out;
}"""

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const radio = el.dataset.tabGroup ? document.querySelector(`[data-tab-group="${el.dataset.tabGroup}"][data-tab-id]`) : null;
  return {id: el.dataset.tabId ?? (radio ? radio.dataset.tabId : null), visible: outline || shadow,
          what: `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') || ''}">`};
}"""


@pytest.mark.parametrize("kind", ["home", "lesson", "family page", "handout", "resources"])
def test_keyboard_reaches_everything_with_visible_focus(browser, site_url, representative_pages, kind):
    """Tab from the top of the page reaches every link, button, input and summary, and each one
    shows a focus indicator (a computed outline or box-shadow)."""
    path = representative_pages[kind]
    context, page = _open(browser, site_url + path, viewport=DESKTOP)
    try:
        expected = page.evaluate(_MARK_TABBABLE)
        reached: set[str] = set()
        invisible: list[str] = []
        for _ in range(len(expected) * 2 + 10):
            page.keyboard.press("Tab")
            focused = page.evaluate(_FOCUSED)
            if focused is None:  # focus left the document: the whole page has been walked
                break
            if not focused["visible"]:
                invisible.append(focused["what"])
            if focused["id"] is not None:
                reached.add(focused["id"])
    finally:
        context.close()
    missed = [what for i, what in enumerate(expected) if str(i) not in reached]
    assert not missed, f"/{path} ({kind}): Tab never reaches:\n  " + "\n  ".join(missed)
    assert not invisible, f"/{path} ({kind}): no visible focus indicator on:\n  " + "\n  ".join(invisible)


@pytest.mark.parametrize("kind", ["home", "lesson", "family page", "handout", "resources"])
def test_skip_link(browser, site_url, representative_pages, kind):
    """The first Tab focuses a visible "Skip to content" link; Enter jumps past the navigation."""
    path = representative_pages[kind]
    context, page = _open(browser, site_url + path, viewport=DESKTOP)
    try:
        page.keyboard.press("Tab")
        first = page.evaluate("""() => { const el = document.activeElement, r = el.getBoundingClientRect();
            return {text: el.textContent.trim(), href: el.getAttribute('href'), cls: el.className,
                    opacity: getComputedStyle(el).opacity, onscreen: r.width > 0 && r.height > 0 &&
                    r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth}; }""")
        assert first["text"] == "Skip to content", f"/{path}: the first Tab focuses {first}, not the skip link"
        assert first["onscreen"] and float(first["opacity"]) > 0.5, f"/{path}: the focused skip link is not visible: {first}"
        target = first["href"].split("#", 1)[1]
        page.keyboard.press("Enter")
        page.wait_for_function(f"location.hash === '#{target}'", timeout=5000)
        where = page.evaluate(f"""() => {{ const t = document.getElementById({target!r});
            if (!t) return null; const r = t.getBoundingClientRect();
            return {{inContent: !!t.closest('.md-content'), top: r.top, bottom: r.bottom}}; }}""")
        assert where and where["inContent"], f"/{path}: the skip link points to #{target}, which is not in the content"
        assert where["bottom"] > 0 and where["top"] < DESKTOP["height"], f"/{path}: Enter did not scroll to the content"
        page.keyboard.press("Tab")
        after = page.evaluate("""() => { const el = document.activeElement;
            return {inContent: !!el.closest('.md-content'), what: el.outerHTML.slice(0, 120)}; }""")
        assert after["inContent"], f"/{path}: after the skip link, Tab goes to {after['what']}, not into the content"
    finally:
        context.close()


# -- small screens ----------------------------------------------------------------------------------
def test_family_pages_fit_a_phone(browser, site_url, family_pages):
    """Families read on phones: no family page scrolls sideways at 375x812."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    wide = []
    try:
        for path in family_pages:
            page.goto(site_url + path, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            size = page.evaluate("""() => { const s = document.scrollingElement;
                const over = [...document.querySelectorAll('.md-content *')].filter(e => e.getBoundingClientRect().right > s.clientWidth + 1)
                  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''));
                return {scroll: s.scrollWidth, client: s.clientWidth, over}; }""")
            if size["scroll"] > size["client"]:
                wide.append(f"/{path}: {size['scroll']}px wide in a {size['client']}px screen (too wide: {size['over']})")
    finally:
        context.close()
    assert not wide, "family pages scroll sideways on a phone:\n" + "\n".join(wide)


# -- printing from the browser ----------------------------------------------------------------------
def test_print_hides_navigation(browser, site_url, lesson_pages):
    """A lesson printed from the browser shows the lesson, not the site's navigation."""
    path = lesson_pages[0]
    context, page = _open(browser, site_url + path, viewport=DESKTOP)
    try:
        page.emulate_media(media="print")
        shown = page.evaluate("""() => ['.md-header', '.md-tabs', '.md-sidebar--primary', '.md-sidebar--secondary',
                                       '.md-footer', '.md-search']
            .flatMap(sel => [...document.querySelectorAll(sel)].map(el => [sel, el]))
            .filter(([sel, el]) => el.checkVisibility({checkVisibilityCSS: true, visibilityProperty: true}))
            .map(([sel]) => sel)""")
        content = page.evaluate("document.querySelector('.md-content h1').checkVisibility()")
    finally:
        context.close()
    assert not shown, f"/{path}: printing still shows {shown}"
    assert content, f"/{path}: printing hides the lesson itself"


def test_print_shows_link_targets(browser, site_url, lesson_pages, pages):
    """Paper cannot be clicked: printed web links are followed by their address."""
    candidates = lesson_pages + [p for p in pages if p not in lesson_pages]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        for path in candidates:
            page.goto(site_url + path, wait_until="load")
            page.emulate_media(media="print")
            links = page.evaluate("""() => [...document.querySelectorAll('.md-content a[href^="http"]')]
                .map(a => ({href: a.getAttribute('href'), after: getComputedStyle(a, '::after').content}))""")
            if links:
                break
            page.emulate_media(media="screen")
        tel = page.evaluate("""() => [...document.querySelectorAll('.md-content a[href^="tel:"], .md-content a[href^="sms:"]')]
            .map(a => ({href: a.getAttribute('href'), after: getComputedStyle(a, '::after').content}))""")
    finally:
        context.close()
    assert links, "no page of the site has an external link to check"
    assert path in lesson_pages, f"no lesson has an external link; checked /{path} instead"
    missing = [link for link in links if link["href"] not in link["after"]]
    assert not missing, f"/{path}: printed links without their address: {missing[:5]}"
    noisy = [link for link in tel if link["after"] not in ("none", "normal", '""')]
    assert not noisy, f"/{path}: phone links print their tel:/sms: address: {noisy[:5]}"


# -- privacy ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_request_leaves_the_machine(browser, site_url, pages, shard):
    """Every request a page makes while it loads (and until the network is idle) goes to 127.0.0.1:
    no fonts, scripts, analytics or images from anywhere else."""
    context = browser.new_context(viewport=DESKTOP)
    outside: list[str] = []
    current = {"path": ""}
    context.on("request", lambda request: None if is_local(request.url)
               else outside.append(f"/{current['path']}: {request.resource_type} {request.url}"))
    page = context.new_page()
    try:
        for path in pages[shard::SHARDS]:
            current["path"] = path
            page.goto(site_url + path, wait_until="networkidle")
    finally:
        context.close()
    assert not outside, "requests to other hosts:\n" + "\n".join(sorted(set(outside)))


def test_search_makes_no_outside_request(browser, site_url):
    """Searching (the worker, the index, the results) stays on this machine too."""
    context = browser.new_context(viewport=DESKTOP)
    outside: list[str] = []
    context.on("request", lambda request: None if is_local(request.url) else outside.append(request.url))
    page = context.new_page()
    try:
        page.goto(site_url, wait_until="load")
        page.locator(".md-search__input").click()
        page.keyboard.type("picture")
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not outside, f"search requested: {outside}"
