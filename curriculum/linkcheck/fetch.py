"""Polite async checking of external URLs with httpx: per-host limits and spacing, HEAD then GET,
manual redirects (to spot permanent ones and loops), retries with backoff that honour Retry-After,
#fragment checks, and one overall time bound."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
from lxml import html

USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0 Safari/537.36 FakeImagesRealHarm-linkcheck/1.0")
RETRY_CODES = {403, 429, 500, 502, 503, 504}


@dataclass
class Settings:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    retries: int = 3
    backoff: float = 2.0          # seconds; doubles each retry
    max_retry_after: float = 60.0
    per_host: int = 2             # requests at once to one host
    spacing: float = 1.0          # seconds between requests to one host
    max_redirects: int = 10
    total_timeout: float = 600.0


@dataclass
class Result:
    url: str
    status: str                   # ok | moved | unverified | broken | fragment-missing
    code: int | None = None
    final_url: str | None = None
    detail: str = ""
    checked_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    def to_json(self) -> dict:
        return asdict(self)


def retry_after(response: httpx.Response, fallback: float, cap: float) -> float:
    value = response.headers.get("retry-after")
    if value:
        try:
            return min(max(float(value), 0.0), cap)
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            if when is not None:
                return min(max((when - dt.datetime.now(when.tzinfo)).total_seconds(), 0.0), cap)
    return min(fallback, cap)


class Checker:
    def __init__(self, settings: Settings | None = None):
        self.s = settings or Settings()
        self._locks: dict[str, asyncio.Semaphore] = {}
        self._last: dict[str, float] = {}
        self._spacing_lock: dict[str, asyncio.Lock] = {}

    async def _polite(self, host: str) -> None:
        lock = self._spacing_lock.setdefault(host, asyncio.Lock())
        async with lock:
            wait = self._last.get(host, 0.0) + self.s.spacing - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last[host] = time.monotonic()

    async def _request(self, client: httpx.AsyncClient, method: str, url: str, want_body: bool):
        """One request, following redirects by hand. Returns (response, final url, permanent?, body)."""
        seen = {url}
        permanent = False
        for _ in range(self.s.max_redirects + 1):
            host = urlsplit(url).hostname or ""
            semaphore = self._locks.setdefault(host, asyncio.Semaphore(self.s.per_host))
            async with semaphore:
                await self._polite(host)
                request = client.build_request(method, url)
                response = await client.send(request, stream=True)
                try:
                    body = (await response.aread()).decode(response.encoding or "utf-8", "replace") \
                        if want_body and not response.is_redirect else ""
                finally:
                    await response.aclose()
            if not response.is_redirect:
                return response, url, permanent, body
            permanent = permanent or response.status_code in (301, 308)
            url = urljoin(url, response.headers.get("location", ""))
            if url in seen:
                raise RedirectLoop(f"redirect loop at {url}")
            seen.add(url)
        raise RedirectLoop(f"more than {self.s.max_redirects} redirects")

    async def check(self, client: httpx.AsyncClient, url: str) -> Result:
        base, fragment = urldefrag(url)
        response = None
        for attempt in range(self.s.retries + 1):
            try:
                method = "GET" if fragment else "HEAD"
                response, final, permanent, body = await self._request(client, method, base, bool(fragment))
                code = response.status_code
                if method == "HEAD" and (400 <= code < 500 and code != 429 or code in (501,)):
                    # Many servers refuse or mishandle HEAD: ask again with GET before judging.
                    response, final, permanent, body = await self._request(client, "GET", base, False)
            except RedirectLoop as error:
                return Result(url, "broken", None, None, str(error))
            except httpx.TimeoutException:
                if attempt < self.s.retries:
                    await asyncio.sleep(self.s.backoff * 2 ** attempt)
                    continue
                return Result(url, "broken", None, None, f"no answer within the timeout ({self.s.retries + 1} tries)")
            except httpx.HTTPError as error:
                if attempt < self.s.retries:
                    await asyncio.sleep(self.s.backoff * 2 ** attempt)
                    continue
                return Result(url, "broken", None, None, f"{type(error).__name__}: {error}")
            code = response.status_code
            if code in RETRY_CODES and attempt < self.s.retries:
                await asyncio.sleep(retry_after(response, self.s.backoff * 2 ** attempt, self.s.max_retry_after))
                continue
            break
        assert response is not None
        code = response.status_code
        if code in (403, 429):
            return Result(url, "unverified", code, final,
                          f"HTTP {code} after {self.s.retries + 1} tries: the site refused an automatic check; "
                          "check it by hand")
        if code >= 400:
            return Result(url, "broken", code, final, f"HTTP {code}")
        if fragment and fragment not in anchors(body):
            return Result(url, "fragment-missing", code, final, f"the page has no #{fragment}")
        if permanent:
            return Result(url, "moved", code, final, f"permanent redirect: update the registry to {final}")
        return Result(url, "ok", code, final)

    async def check_all(self, urls: list[str]) -> dict[str, Result]:
        timeout = httpx.Timeout(self.s.read_timeout, connect=self.s.connect_timeout)
        results: dict[str, Result] = {}
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False,
                                     headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"}) as client:
            async def one(url: str) -> None:
                results[url] = await self.check(client, url)
            tasks = [asyncio.create_task(one(u)) for u in urls]
            done, pending = await asyncio.wait(tasks, timeout=self.s.total_timeout) if tasks else (set(), set())
            for task in pending:
                task.cancel()
        for url in urls:
            results.setdefault(url, Result(url, "broken", None, None,
                                           f"not checked within the overall limit of {self.s.total_timeout:.0f} s"))
        return results


class RedirectLoop(Exception):
    pass


def anchors(body: str) -> set[str]:
    if not body.strip():
        return set()
    tree = html.fromstring(body)
    return set(tree.xpath("//@id")) | set(tree.xpath("//a/@name"))
