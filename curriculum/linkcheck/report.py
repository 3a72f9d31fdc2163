"""Turn results into findings (error / warning), a human summary, JSON and Markdown."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from .collect import Target
from .fetch import Result


@dataclass
class Finding:
    level: str          # error | warning | ok
    target: Target
    result: Result

    @property
    def line(self) -> str:
        where = ", ".join(self.target.used_in[:3]) + (" ..." if len(self.target.used_in) > 3 else "")
        label = self.result.status.upper() if self.result.status != "ok" else "OK"
        code = f" [{self.result.code}]" if self.result.code else ""
        return (f"{self.level.upper():7} {label}{code} {self.target.url} ({self.target.tier}; {where}) "
                f"{self.result.detail}")


def judge(target: Target, result: Result, strict: bool = False) -> str:
    if result.status == "ok":
        return "ok"
    if result.status in ("moved",):
        return "warning"
    if result.status == "unverified":
        return "error" if strict and target.tier == "critical" else "warning"
    return "error" if target.tier == "critical" else "warning"


def findings(targets: list[Target], results: dict[str, Result], strict: bool) -> list[Finding]:
    return [Finding(judge(t, results[t.url], strict), t, results[t.url]) for t in targets if t.url in results]


def summary(found: list[Finding], other: list[tuple[str, Problem]], offline: bool) -> str:
    lines = []
    counts = {level: sum(f.level == level for f in found) for level in ("error", "warning", "ok")}
    if offline:
        lines.append(f"Offline: {len(found)} URLs collected, not fetched.")
    else:
        lines.append(f"{len(found)} URLs: {counts['ok']} OK, {counts['warning']} warnings, {counts['error']} errors.")
    for f in sorted(found, key=lambda f: (f.level != "error", f.level != "warning")):
        if f.level != "ok":
            lines.append("  " + f.line)
    for level, problem in other:
        lines.append(f"  {level.upper():7} {problem}")
    return "\n".join(lines)


def write_json(path: Path, found: list[Finding], other: list[tuple[str, Problem]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "urls": [{"level": f.level, "tier": f.target.tier, "key": f.target.key, "used_in": f.target.used_in,
                  **f.result.to_json()} for f in found],
        "other": [{"level": level, "message": str(p)} for level, p in other],
    }, indent=1))


def write_markdown(path: Path, found: list[Finding], other: list[tuple[str, Problem]]) -> None:
    rows = ["# Link check report", "", "| Level | Status | URL | Tier | Used in | Detail |",
            "|---|---|---|---|---|---|"]
    for f in sorted(found, key=lambda f: ({"error": 0, "warning": 1, "ok": 2}[f.level], f.target.url)):
        rows.append(f"| {f.level} | {f.result.status} {f.result.code or ''} | {f.target.url} | {f.target.tier} | "
                    f"{len(f.target.used_in)} place(s) | {f.result.detail.replace('|', '/')} |")
    if other:
        rows += ["", "## Numbers and freshness", ""] + [f"- **{level}**: {p}" for level, p in other]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n")
