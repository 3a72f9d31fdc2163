"""The decks' present view (site/decks/<slug>.html) in Chromium: axe finds nothing, the keyboard
moves through the slides and reaches every control with a visible focus, nothing leaves the machine,
and the room never sees the speaker notes unless the presenter shows them."""

from __future__ import annotations

import pytest
from test_browser import _FOCUSED, _MARK_TABBABLE, browser, site_url  # noqa: F401 (pytest fixtures)

from browser import AXE, format_violations, is_local, run_axe

DESKTOP = {"width": 1280, "height": 720}


@pytest.fixture(scope="session")
def present_views(built_site) -> list[str]:
    views = sorted(f"decks/{p.name}" for p in (built_site / "decks").glob("*.html"))
    assert len(views) >= 16
    return views


def test_present_views_pass_axe_and_make_no_outside_request(browser, site_url, present_views):  # noqa: F811
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


def test_the_keyboard_moves_through_the_slides_and_reaches_every_control(browser, site_url,  # noqa: F811
                                                                         present_views):
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
