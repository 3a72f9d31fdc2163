"""Results cache (.cache/linkcheck.json): good results are reused until they are too old, so weekly
runs stay polite; a failed result is always checked again."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .fetch import Result

REUSABLE = {"ok", "moved"}


def load(path: Path, max_age_days: float, now: dt.datetime | None = None) -> dict[str, Result]:
    if not path.is_file():
        return {}
    now = now or dt.datetime.now(dt.UTC)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    fresh = {}
    for url, item in data.get("results", {}).items():
        result = Result(**item)
        age = now - dt.datetime.fromisoformat(result.checked_at)
        if result.status in REUSABLE and age <= dt.timedelta(days=max_age_days):
            fresh[url] = result
    return fresh


def save(path: Path, results: dict[str, Result]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"results": {u: r.to_json() for u, r in sorted(results.items())}}, indent=1))


def reached(path: Path) -> dict[str, dt.date]:
    """URL -> the day the link checker last reached it (fetched for real, answered ok or moved).

    Read by the build to print honest dates: a link no one has reached is never called checked.
    A missing or unreadable cache means no link has been reached.
    """
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    out: dict[str, dt.date] = {}
    for url, item in (data.get("results") or {}).items() if isinstance(data, dict) else ():
        if not isinstance(item, dict) or item.get("status") not in REUSABLE:
            continue
        if str(item.get("detail", "")).startswith("not fetched"):
            continue
        try:
            out[url] = dt.datetime.fromisoformat(str(item["checked_at"])).date()
        except (KeyError, ValueError):
            continue
    return out
