"""Registry entries whose 'verified' date is older than the limit."""

from __future__ import annotations

import datetime as dt

from ..errors import Problem
from ..registry import Registry


def stale_entries(registry: Registry, max_days: int, today: dt.date | None = None,
                  path: str = "macros/resources.yml") -> list[Problem]:
    today = today or dt.date.today()
    return [Problem(path, f"'{r.key}' was last verified {r.verified} "
                    f"({(today - r.verified).days} days ago, limit {max_days})",
                    hint="Check it on the official site, then update 'verified'.")
            for r in registry.resources.values() if (today - r.verified).days > max_days]
