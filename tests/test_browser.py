"""Real-browser tests of the built site: accessibility (axe-core, WCAG 2.1/2.2 A and AA, four screen
sizes, light and dark palettes), keyboard use, small screens, browser printing, and privacy (no
request leaves the machine).

The site is the real build (`built_site`), served from 127.0.0.1 by a thread in this process. The
browser is the system Chromium (/usr/bin/chromium, installed by `make test`); when it is missing
these tests FAIL, they never skip: a school site that is not tested for accessibility is not done.
One browser is started per test process (so twice under `pytest -n 2`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import AXE, WCAG_TAGS, built_pages, format_violations, is_local, run_axe, serve
from curriculum import i18n
from curriculum.frontmatter import read_source

ROOT = Path(__file__).resolve().parents[1]
SHARDS = 4  # pages are split into shards so that pytest-xdist can share the axe work between workers
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# axe-core runs on every page at each common screen size: a laptop (1280x720: the sidebar scrolls), a
# desktop (1280x900), a tablet (768x1024: navigation in a drawer) and a phone (375x812). Colours do not
# depend on the size, so both palettes are checked at the desktop size and the light one at the others.
# Each size is split into shards of about 43 axe runs, so that pytest-xdist keeps both workers busy.
AXE_SIZES = [  # (viewport, palettes, shards)
    (DESKTOP, ("light", "dark"), 4),
    ({"width": 1280, "height": 720}, ("light",), 2),
    ({"width": 768, "height": 1024}, ("light",), 2),
    (PHONE, ("light",), 2),
]
AXE_CASES = [pytest.param(viewport, palettes, shard, shards,
                          id=f"{viewport['width']}x{viewport['height']}-{'+'.join(palettes)}-{shard + 1}of{shards}")
             for viewport, palettes, shards in AXE_SIZES for shard in range(shards)]


# -- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def pages(built_site) -> list[str]:
    # The slide decks' present views (decks/*.html) have no Material palette: tests/test_decks_browser.py.
    found = [p for p in built_pages(built_site) if not p.startswith("decks/")]
    assert "" in found, "the built site has no home page"
    return found


def _url_of(src: Path) -> str:
    """The site URL path of a Markdown page ('lessons/k-2/01-x.md' -> 'lessons/k-2/01-x/')."""
    from curriculum.i18n import dest_uri, url_of

    return url_of(dest_uri(src.as_posix()))      # a translation (x.es.md) is under es/


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
    found = [p for p in pages if p.startswith(("families/", "es/families/"))]
    found += [url for url, audience in handout_audiences.items() if audience == "families"]
    assert found, "no family page was built"
    return found


@pytest.fixture(scope="session")
def representative_pages(pages, lesson_pages, family_pages, handout_audiences) -> dict[str, str]:
    """One page of each type: home, a lesson, a family page, a handout, resources."""
    assert "resources/" in pages, "the 'Get help' page (resources/) was not built"
    handouts = sorted(u for u in handout_audiences if not u.startswith("es/"))
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
    r, g, b = (float(v) / 255 for v in re.findall(r"[\d.]+", css_color)[:3])
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


def _switch_palette(page, palette: str, path: str) -> None:
    """Switch palettes the way a visitor does, with the sun/moon button in the header."""
    page.locator('[data-md-component="palette"] label:not([hidden])').click()
    _check_palette(page, palette, path)


@pytest.mark.parametrize(("viewport", "palettes", "shard", "shards"), AXE_CASES)
def test_axe_no_violations(browser, site_url, pages, viewport, palettes, shard, shards):
    """axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation (target-size included) on any page, at every
    size in AXE_SIZES: in both palettes at the desktop size, in the light palette at the others.

    Each page opens at that size in the light palette (the browser prefers light), is checked, is
    switched to the dark palette with the header's palette button when both are tested, and is checked
    again. Every <details> block is opened first, so that collapsed content (the disclosure protocol,
    teacher notes) is checked too. The search dialog's name (aria-dialog-name, a best-practice rule) is
    checked as well.
    """
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (or `make test`)"
    size = f"{viewport['width']}x{viewport['height']}"
    context = browser.new_context(color_scheme="light", viewport=viewport)
    page = context.new_page()
    failures, checked_rules = [], []
    try:
        # Spanish pages (es/) share the English pages' layout: checked at the desktop and phone sizes only.
        # The old Spanish addresses are redirect pages (curriculum/i18n.py MOVED): they navigate away at once.
        moved = {i18n.url_of(i18n.dest_uri(old)) for old in i18n.MOVED}
        chosen = [p for p in pages if p not in moved and (not p.startswith("es/") or viewport in (DESKTOP, PHONE))]
        for path in chosen[shard::shards]:
            page.goto(site_url + path, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.evaluate("document.querySelectorAll('details:not([open])').forEach(d => d.open = true)")
            for palette in palettes:
                if palette == "dark":
                    _switch_palette(page, "dark", path)
                else:
                    _check_palette(page, "light", path)
                violations = run_axe(page, extra_rules=["aria-dialog-name"])
                if not checked_rules:
                    checked_rules = page.evaluate("tags => axe.getRules(tags).map(r => r.ruleId)", WCAG_TAGS)
                    assert "target-size" in checked_rules, "axe does not run target-size (WCAG 2.5.8)"
                if violations:
                    failures.append(f"[{size}, {palette} palette] " + format_violations("/" + path, violations))
            if "dark" in palettes:
                _switch_palette(page, "light", path)  # the choice is remembered: set it back for the next page
    finally:
        context.close()
    assert not failures, "axe-core violations:\n" + "\n".join(failures)


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
# disabled ones and those taken out of the Tab order (tabindex="-1") are left out; of a radio group
# only one button takes Tab (arrow keys move inside the group), as in every browser.
_MARK_TABBABLE = """() => {
  document.querySelectorAll('details:not([open])').forEach(d => d.open = true);
  const out = [];
  const radios = new Set();
  document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').forEach(el => {
    if (el.tabIndex < 0) return;  // tabindex="-1", or a tabindex that is not a number
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

_FOCUSED = """async () => {
  const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
  // Let the page react to the focus (Material opens the search box on focus), then finish running
  // transitions (Material fades some links in) so that the styles are the final ones.
  await frame(); await frame();
  document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} });
  await frame();
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgba = c => { const m = (c.match(/[\\d.]+/g) || [0, 0, 0, 0]).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, bottom) => top.slice(0, 3).map((v, i) => v * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const lum = c => { const l = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
  const backdrop = e => {  // the opaque colour of an element, composited over its ancestors
    const layers = [];
    for (let a = e; a; a = a.parentElement) {
      const bg = rgba(getComputedStyle(a).backgroundColor);
      if (bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
    }
    return layers.reverse().reduce((acc, layer) => over(layer, acc), [255, 255, 255, 1]);
  };
  // What is on screen where the outline is drawn: look just outside the middle of each side.
  const behind = (e, s) => {
    const r = e.getBoundingClientRect(), d = parseFloat(s.outlineOffset || 0) + parseFloat(s.outlineWidth) / 2;
    const points = [[r.left - d, (r.top + r.bottom) / 2], [r.right + d, (r.top + r.bottom) / 2],
                    [(r.left + r.right) / 2, r.top - d], [(r.left + r.right) / 2, r.bottom + d]];
    const colours = [];
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const hit = document.elementsFromPoint(x, y).find(h => h !== e && !e.contains(h));
      if (hit) colours.push(backdrop(hit));
    }
    return colours.length ? colours : [backdrop(e.parentElement || e)];
  };
  const ring = e => { const s = getComputedStyle(e);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) {
      const ratios = behind(e, s).map(bg => { const fg = over(rgba(s.outlineColor), bg);
        const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); });
      return {kind: 'outline', ratio: Math.min(...ratios), color: s.outlineColor};
    }
    if (s.boxShadow && s.boxShadow !== 'none') return {kind: 'box-shadow', ratio: null, color: s.boxShadow};
    return null; };
  const box = el.getBoundingClientRect();
  // A visually hidden control (Material's palette radio buttons) must show its focus on a label that
  // is on screen: its own, or (for a radio button) one of its group's.
  const hidden = box.width < 2 || box.height < 2 || getComputedStyle(el).opacity === '0';
  let shown = [el];
  if (hidden) {
    const group = el.type === 'radio' && el.name
      ? [...document.querySelectorAll('input[type=radio]')].filter(r => r.name === el.name) : [el];
    shown = group.flatMap(r => [...(r.labels || [])])
      .filter(l => l.checkVisibility({checkVisibilityCSS: true, opacityProperty: true}));
  }
  const rings = shown.map(ring).filter(Boolean);
  const radio = el.dataset.tabGroup ? document.querySelector(`[data-tab-group="${el.dataset.tabGroup}"][data-tab-id]`) : null;
  return {id: el.dataset.tabId ?? (radio ? radio.dataset.tabId : null), ring: rings[0] || null,
          what: `<${el.tagName.toLowerCase()} class="${(el.getAttribute('class') || '').replace(' focus-visible', '')}">`
                + ` ${(el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 30)}`};
}"""


@pytest.mark.parametrize("kind", ["home", "lesson", "family page", "handout", "resources"])
@pytest.mark.parametrize("palette", PALETTES)
def test_keyboard_reaches_everything_with_visible_focus(browser, site_url, representative_pages, palette, kind):
    """Tab from the top of the page reaches every link, button, input and summary, and each one
    shows a focus indicator: an outline with 3:1 contrast against what is behind it, or a box-shadow."""
    path = representative_pages[kind]
    context, page = _open(browser, site_url + path, viewport=DESKTOP, color_scheme=palette)
    try:
        _check_palette(page, palette, path)
        expected = page.evaluate(_MARK_TABBABLE)
        reached: set[str] = set()
        problems: list[str] = []
        first, outside = None, 0
        for _ in range(len(expected) * 2 + 10):
            page.keyboard.press("Tab")
            focused = page.evaluate(_FOCUSED)
            if focused is None:
                # Focus is on the page itself: past the last element (the next Tab starts again at the
                # top), or Material's "Back to top" button hid itself while focused. Go on, unless
                # it happens twice in a row.
                outside += 1
                if outside == 2:
                    break
                continue
            outside = 0
            if focused["id"] is not None and focused["id"] == first:
                break  # back at the start: every element has had its turn
            first = first if first is not None else focused["id"]
            ring = focused["ring"]
            if ring is None:
                problems.append(f"{focused['what']}: no outline or box-shadow")
            elif ring["ratio"] is not None and ring["ratio"] < 3:
                problems.append(f"{focused['what']}: focus outline {ring['color']} has {ring['ratio']:.2f}:1 "
                                f"contrast with what is behind it (needs 3:1, WCAG 1.4.11)")
            if focused["id"] is not None:
                reached.add(focused["id"])
    finally:
        context.close()
    missed = [what for i, what in enumerate(expected) if str(i) not in reached]
    assert not missed, f"/{path} ({kind}, {palette}): Tab never reaches:\n  " + "\n  ".join(missed)
    problems = sorted(set(problems))
    assert not problems, (f"/{path} ({kind}, {palette} palette): focus is not clearly visible on:\n  "
                          + "\n  ".join(problems))


@pytest.mark.parametrize("kind", ["home", "lesson", "family page", "handout", "resources"])
def test_skip_link(browser, site_url, representative_pages, kind):
    """The first Tab focuses a visible "Skip to content" link; Enter jumps past the navigation."""
    path = representative_pages[kind]
    context, page = _open(browser, site_url + path, viewport=DESKTOP)
    try:
        page.keyboard.press("Tab")
        try:  # Material fades the skip link in (an opacity transition): give it a moment
            page.wait_for_function("getComputedStyle(document.activeElement).opacity === '1'", timeout=2000)
        except Exception:  # noqa: BLE001 - the assertion below says what is wrong
            pass
        first = page.evaluate("""() => { const el = document.activeElement, r = el.getBoundingClientRect();
            return {text: el.textContent.trim(), href: el.getAttribute('href'), cls: el.className,
                    opacity: getComputedStyle(el).opacity, onscreen: r.width > 0 && r.height > 0 &&
                    r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth}; }""")
        assert first["text"] == "Skip to content", f"/{path}: the first Tab focuses {first}, not the skip link"
        assert first["onscreen"] and float(first["opacity"]) > 0.5, \
            f"/{path}: the focused skip link is not visible: {first}"
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
                const over = [...document.querySelectorAll('.md-content *')]
                  .filter(e => e.getBoundingClientRect().right > s.clientWidth + 1 || e.scrollWidth > s.clientWidth)
                  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''));
                return {scroll: s.scrollWidth, client: s.clientWidth, over}; }""")
            if size["scroll"] > size["client"]:
                wide.append(f"/{path}: {size['scroll']}px wide in a {size['client']}px screen "
                            f"(too wide: {size['over']})")
    finally:
        context.close()
    assert not wide, "family pages scroll sideways on a phone:\n" + "\n".join(wide)


# -- printing from the browser ----------------------------------------------------------------------
def test_print_hides_navigation(browser, site_url, lesson_pages):
    """A lesson printed from the browser shows the lesson, not the site's navigation or buttons."""
    path = lesson_pages[0]
    context, page = _open(browser, site_url + path, viewport=DESKTOP)
    try:
        page.emulate_media(media="print")
        shown = page.evaluate("""() => ['.md-header', '.md-tabs', '.md-sidebar--primary', '.md-sidebar--secondary',
                                       '.md-footer', '.md-search']
            .flatMap(sel => [...document.querySelectorAll(sel)].map(el => [sel, el]))
            .filter(([sel, el]) => el.checkVisibility({checkVisibilityCSS: true, visibilityProperty: true}))
            .map(([sel]) => sel)""")
        controls = page.evaluate("""() => [...document.querySelectorAll('button, input, select, textarea, .md-button')]
            .filter(el => el.checkVisibility({checkVisibilityCSS: true, visibilityProperty: true}))
            .map(el => el.outerHTML.slice(0, 80))""")
        content = page.evaluate("document.querySelector('.md-content h1').checkVisibility()")
    finally:
        context.close()
    assert not shown, f"/{path}: printing still shows {shown}"
    assert not controls, f"/{path}: printing shows buttons or form fields, which paper cannot use: {controls}"
    assert content, f"/{path}: printing hides the lesson itself"


def test_print_shows_link_targets(browser, site_url, lesson_pages):
    """Paper cannot be clicked: in a printed lesson, web links are followed by their address
    (and phone links are not, since the number is already the link text)."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    links, tel, path = [], [], None
    try:
        page.emulate_media(media="print")
        for path in lesson_pages:  # the first lesson with a web link
            page.goto(site_url + path, wait_until="load")
            links = page.evaluate("""() => [...document.querySelectorAll('.md-content a[href^="http"]')]
                .map(a => ({href: a.getAttribute('href'), after: getComputedStyle(a, '::after').content}))""")
            if links:
                tel = page.evaluate("""() => [...document.querySelectorAll('.md-content a[href^="tel:"], .md-content a[href^="sms:"]')]
                    .map(a => ({href: a.getAttribute('href'), after: getComputedStyle(a, '::after').content}))""")
                break
    finally:
        context.close()
    assert links, "no lesson has a web link, so printed link targets cannot be checked"
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


def test_search_index_loads_only_when_search_opens(browser, site_url):
    """Page weight: the search index (the whole site's text) is not part of a page's first load; it
    is fetched when the visitor opens search, and search then works. A page opened from a search
    result (?h=...) fetches it at once, to highlight the words. (overrides/partials/javascripts/base.html)"""
    def visit(url: str, search: bool) -> tuple[list[str], list[str]]:
        context = browser.new_context(viewport=DESKTOP)
        fetched: list[str] = []
        context.on("request", lambda request: fetched.append(request.url) if "search_index" in request.url else None)
        page = context.new_page()
        try:
            page.goto(url, wait_until="networkidle")
            before = list(fetched)
            if search:
                page.keyboard.press("/")  # Material's keyboard shortcut for search
                page.keyboard.type("picture")
                page.wait_for_selector(".md-search-result__item", timeout=10000)
        finally:
            context.close()
        return before, fetched

    before, after = visit(site_url, search=True)
    assert not before, f"the search index was downloaded before search was opened: {before}"
    assert after, "opening search did not download the search index"
    from_result, _ = visit(site_url + "resources/?h=help", search=False)
    assert from_result, "a page opened from a search result (?h=...) did not load the index for highlighting"


# -- the slide decks' present view (site/decks/<slug>.html) --------------------------------------------
# Here, not in a module of their own: a second module would start a second Playwright in the same
# worker (the session fixtures are per module that imports them).


@pytest.fixture(scope="session")
def present_views(built_site) -> list[str]:
    views = sorted(f"decks/{p.name}" for p in (built_site / "decks").glob("*.html"))
    assert len(views) >= 16
    return views


def test_present_views_pass_axe_and_make_no_outside_request(browser, site_url, present_views):
    assert AXE.exists()
    context = browser.new_context(viewport=DESKTOP)
    outside: list[str] = []
    context.on("request", lambda r: None if is_local(r.url) else outside.append(r.url))
    page = context.new_page()
    failures = []
    try:
        for path in present_views:
            page.goto(site_url + path, wait_until="networkidle")
            violations = run_axe(page)
            if violations:
                failures.append(format_violations("/" + path, violations))
            page.keyboard.press("End")                 # the last slide (Who can help) too
            violations = run_axe(page)
            if violations:
                failures.append(format_violations("/" + path + "#end", violations))
    finally:
        context.close()
    assert not failures, "\n".join(failures)
    assert not outside, outside


def test_the_keyboard_moves_through_the_slides_and_reaches_every_control(browser, site_url, present_views):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site_url + present_views[0], wait_until="load")
        current = "() => [...document.querySelectorAll('.slide')].findIndex(s => !s.hidden)"
        visible = "() => [...document.querySelectorAll('.slide')].filter(s => s.checkVisibility()).length"
        assert page.evaluate(current) == 0 and page.evaluate(visible) == 1
        page.keyboard.press("ArrowRight")
        assert page.evaluate(current) == 1
        page.keyboard.press("ArrowLeft")
        assert page.evaluate(current) == 0
        page.keyboard.press("End")
        total = page.evaluate("document.querySelectorAll('.slide').length")
        assert page.evaluate(current) == total - 1
        assert "#" + str(total) in page.url
        # The notes are hidden until the presenter asks for them.
        assert not page.evaluate("() => [...document.querySelectorAll('.notes')].some(n => n.checkVisibility())")
        page.keyboard.press("n")
        assert page.evaluate("() => document.querySelector('.slide:not([hidden]) .notes')?.checkVisibility() ?? true")
        # Every control is reached by Tab and shows its focus.
        expected = page.evaluate(_MARK_TABBABLE)
        reached, problems = set(), []
        for _ in range(len(expected) + 3):
            page.keyboard.press("Tab")
            focused = page.evaluate(_FOCUSED)
            if focused is None or focused["id"] is None:
                continue
            reached.add(focused["id"])
            ring = focused["ring"]
            if ring is None or (ring["ratio"] is not None and ring["ratio"] < 3):
                problems.append(focused["what"])
        missed = [what for i, what in enumerate(expected) if str(i) not in reached]
        assert not missed and not problems, (missed, problems)
    finally:
        context.close()
