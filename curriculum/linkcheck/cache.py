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
