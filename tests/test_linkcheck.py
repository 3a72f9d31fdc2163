"""The link checker against a local HTTP server: every kind of answer is classified correctly,
retries honour Retry-After, the cache is polite, and the whole run is bounded."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from conftest import ROOT
from curriculum.linkcheck import cache
from curriculum.linkcheck.collect import Target, collect
from curriculum.linkcheck.fetch import Checker, Result, Settings
from curriculum.linkcheck.freshness import stale_entries
from curriculum.linkcheck.phones import check_numbers
from curriculum.linkcheck.report import judge
from curriculum.registry import load_registry

FAST = Settings(connect_timeout=1, read_timeout=0.5, retries=2, backoff=0.05, max_retry_after=2,
                spacing=0, total_timeout=30)


@pytest.fixture(scope="module")
def server():
    s = HTTPServer(host="127.0.0.1", threaded=True)  # threaded: a slow answer must not block the rest
    s.start()
    yield s
    s.clear()
    if s.is_running():
        s.stop()


def check(urls: list[str], settings: Settings = FAST) -> dict[str, Result]:
    # A thread of its own: Playwright's sync API may already run an event loop in this worker.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, Checker(settings).check_all(urls)).result()


def test_every_case_is_classified(server):
    server.clear()
    server.expect_request("/ok").respond_with_data("fine")
    server.expect_request("/moved").respond_with_response(Response(status=301, headers={"Location": "/ok"}))
    server.expect_request("/loop-a").respond_with_response(Response(status=302, headers={"Location": "/loop-b"}))
    server.expect_request("/loop-b").respond_with_response(Response(status=302, headers={"Location": "/loop-a"}))
    server.expect_request("/gone404").respond_with_data("no", status=404)
    server.expect_request("/gone410").respond_with_data("no", status=410)
    busy = Response("wait", status=429, headers={"Retry-After": "1"})
    server.expect_oneshot_request("/busy").respond_with_response(busy)
    server.expect_request("/busy").respond_with_data("now fine")
    server.expect_oneshot_request("/flaky").respond_with_data("oops", status=500)
    server.expect_request("/flaky").respond_with_data("fine")
    server.expect_request("/down").respond_with_data("down", status=503)
    server.expect_request("/forbidden").respond_with_data("no robots", status=403)
    server.expect_request("/slow").respond_with_handler(lambda r: (time.sleep(2), Response("late"))[1])
    server.expect_request("/page").respond_with_data('<h2 id="present">x</h2>', content_type="text/html")
    cases = {"/ok": "ok", "/moved": "moved", "/loop-a": "broken", "/gone404": "broken", "/gone410": "broken",
             "/busy": "ok", "/flaky": "ok", "/down": "broken", "/forbidden": "unverified", "/slow": "broken",
             "/page#missing": "fragment-missing", "/page#present": "ok"}
    started = time.monotonic()
    results = check([server.url_for(path) for path in cases])
    elapsed = time.monotonic() - started
    got = {path: results[server.url_for(path)].status for path in cases}
    assert got == cases
    assert results[server.url_for("/gone410")].code == 410
    assert "loop" in results[server.url_for("/loop-a")].detail
    assert "update the registry" in results[server.url_for("/moved")].detail
    assert elapsed >= 1.0, "Retry-After: 1 was not honoured"
    assert elapsed < 25, "the run must stay within its bounds"


def test_head_refused_falls_back_to_get(server):
    server.clear()
    server.expect_request("/nohead", method="HEAD").respond_with_data("", status=405)
    server.expect_request("/nohead", method="GET").respond_with_data("fine")
    assert check([server.url_for("/nohead")])[server.url_for("/nohead")].status == "ok"


def test_browser_like_user_agent(server):
    server.clear()
    server.expect_request("/ua").respond_with_data("fine")
    check([server.url_for("/ua")])
    agent = server.log[-1][0].headers["User-Agent"]
    assert agent.startswith("Mozilla/5.0") and "linkcheck" in agent


def test_overall_time_bound(server):
    server.clear()
    server.expect_request("/slow").respond_with_handler(lambda r: (time.sleep(3), Response("late"))[1])
    settings = Settings(connect_timeout=1, read_timeout=10, retries=0, backoff=0, spacing=0, total_timeout=0.5)
    started = time.monotonic()
    result = check([server.url_for("/slow")], settings)[server.url_for("/slow")]
    assert result.status == "broken" and "overall limit" in result.detail
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("status,tier,strict,level", [
    ("ok", "critical", False, "ok"),
    ("broken", "critical", False, "error"),
    ("broken", "reference", False, "warning"),
    ("fragment-missing", "critical", False, "error"),
    ("unverified", "critical", False, "warning"),
    ("unverified", "critical", True, "error"),
    ("moved", "critical", False, "warning"),
])
def test_tiers(status, tier, strict, level):
    assert judge(Target("https://x.org", tier), Result("https://x.org", status), strict) == level


def test_cache_reuses_good_results_and_rechecks_failures(tmp_path):
    path = tmp_path / "linkcheck.json"
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=10)).isoformat(timespec="seconds")
    cache.save(path, {"https://good.org": Result("https://good.org", "ok"),
                      "https://bad.org": Result("https://bad.org", "broken"),
                      "https://stale.org": Result("https://stale.org", "ok", checked_at=old)})
    assert set(cache.load(path, max_age_days=7)) == {"https://good.org"}


def test_freshness_lists_old_entries():
    registry = load_registry(ROOT / "macros/resources.yml")
    newest = max(r.verified for r in registry.resources.values())
    assert stale_entries(registry, 180, today=newest) == []
    stale = stale_entries(registry, 180, today=newest + dt.timedelta(days=400))
    assert len(stale) == len(registry.resources) and "days ago, limit 180" in stale[0].message


def test_numbers_must_agree_everywhere(tmp_path):
    registry = load_registry(ROOT / "macros/resources.yml")
    (tmp_path / "a.html").write_text('<a href="tel:+18008435678">1-800-THE-LOST (1-800-843-5678)</a>'
                                     '<a href="tel:+18008435678">1-800-843-5679</a>'
                                     '<a href="tel:800-843-5678">800-843-5678</a>'
                                     '<a href="sms:741741?body=HOME">Text HOME to 741741</a>')
    messages = [p.message for p in check_numbers(registry, tmp_path)]
    assert any("does not dial tel:+18008435678" in m for m in messages)
    assert any("800-843-5678 is not in E.164 form" in m for m in messages)
    assert any("printed in 2 different ways" in m for m in messages)
    assert not any("sms:" in m for m in messages)


def test_collect_dedupes_and_records_where_used(tmp_path):
    registry = load_registry(ROOT / "macros/resources.yml")
    (tmp_path / "p").mkdir()
    (tmp_path / "p/index.html").write_text('<a href="https://takeitdown.ncmec.org/">Take It Down</a>')
    targets = {t.url: t for t in collect(registry, tmp_path)}
    take = targets["https://takeitdown.ncmec.org/"]
    assert take.tier == "critical" and "registry:take-it-down" in take.used_in and "p/index.html" in take.used_in


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "curriculum", "linkcheck", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_cli_exit_codes(server, tmp_path):
    server.clear()
    server.expect_request("/gone").respond_with_data("no", status=404)
    registry = (ROOT / "tests/fixtures/bad-phone/resources.yml").read_text().replace(
        '+18008435679', '+18008435678') + f'''  dead:
    name: "A dead link"
    org: "Tests"
    kind: removal
    url: "https://127.0.0.1:1/unused"
    audiences: [families]
    languages: [en]
    group: remove
    summary: "A critical link that is gone."
    source: "tests"
    verified: {dt.date.today().isoformat()}
    tier: critical
'''
    (tmp_path / "resources.yml").write_text(registry)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(f'<a href="{server.url_for("/gone")}">gone</a>')
    common = ["--registry", str(tmp_path / "resources.yml"), "--cache", str(tmp_path / "c.json"),
              "--markdown", str(tmp_path / "r.md"), "--json", str(tmp_path / "r.json"),
              "--retries", "0", "--backoff", "0", "--spacing", "0", "--timeout", "2"]
    offline = run_cli("--offline", "--site", str(tmp_path / "none"), *common)
    assert offline.returncode == 0, offline.stdout + offline.stderr
    online = run_cli("--site", str(site), *common)
    assert online.returncode == 1, online.stdout + online.stderr
    assert "ERROR" in online.stdout and "unused" in online.stdout
    assert (tmp_path / "r.md").read_text().startswith("# Link check report")
    assert '"level": "error"' in (tmp_path / "r.json").read_text()
    assert run_cli("--no-such-option").returncode == 2


def test_linkcheck_reads_the_config_it_is_given_and_what_that_inherits(tmp_path):
    from curriculum.linkcheck.run import config_defaults, parser
    (tmp_path / "mkdocs.yml").write_text("extra:\n  linkcheck:\n    freshness_days: 90\n    timeout: 5\n"
                                         "plugins:\n  - curriculum:\n      pdf: !ENV [CURRICULUM_PDF, true]\n")
    (tmp_path / "district.yml").write_text("INHERIT: mkdocs.yml\nextra:\n  linkcheck:\n    timeout: 9\n")
    assert config_defaults(tmp_path / "district.yml") == {"freshness_days": 90, "timeout": 9}
    args = parser(config_defaults(tmp_path / "district.yml")).parse_args(["--config", str(tmp_path / "district.yml")])
    assert args.freshness == 90 and args.timeout == 9
