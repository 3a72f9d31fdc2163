"""Rebuild costs (issues 15 and 20): a cold build, a no-change rebuild and one edited lesson, each
against a plain build (PDFs, Word copies and decks off).

    .venv/bin/python bench/rebuilds.py [--runs 3] [--lesson lessons/6-8/03-...md] [--out bench/results-rebuilds.md]

Every run works in a fresh temporary copy of the project (site/ and .cache/ are never touched). In
each round, in this order: a plain build (PDFs, Word copies and decks off: the baseline), a cold build (empty PDF
cache), a no-change rebuild (full cache), then one lesson edited (a sentence appended) and built
again. Wall time by time.perf_counter; the load average (os.getloadavg) before and after each round.
Reported: medians over --runs and each build's ratio to the plain build of its round. Goals (issue
15): no-change rebuild at most 1.10x plain, one edited lesson at most 1.5x (issue 20: 1.3x).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(".venv", ".git", "site", ".site-*", ".cache", "node_modules", "__pycache__",
                                ".pytest_cache", "*.egg-info", "bench")
STEPS = ("plain", "cold", "no change", "one edited lesson")


def build(work: Path, pdf: bool) -> float:
    on = "1" if pdf else "0"      # plain: no PDFs, Word copies or decks (a plain mkdocs build of the pages)
    env = {**os.environ, "CURRICULUM_PDF": on, "CURRICULUM_DOCX": on, "CURRICULUM_DECKS": on,
           "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "curriculum", "build", "--site", str(work / "site")],
                            cwd=work, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"build failed in {work}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return seconds


def one_round(lesson: str) -> tuple[dict[str, float], tuple[float, ...], tuple[float, ...]]:
    before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-rebuilds-") as tmp:
        work = Path(tmp) / "project"
        shutil.copytree(ROOT, work, ignore=IGNORE)
        times = {"plain": build(work, pdf=False), "cold": build(work, pdf=True),
                 "no change": build(work, pdf=True)}
        with open(work / lesson, "a", encoding="utf-8") as f:
            f.write("\nOne more sentence for the benchmark.\n")
        times["one edited lesson"] = build(work, pdf=True)
    return times, before, os.getloadavg()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lesson", default=sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("lessons/6-8/*.md"))[0])
    parser.add_argument("--out", default=str(ROOT / "bench/results-rebuilds.md"))
    args = parser.parse_args()
    rounds = []
    for number in range(args.runs):
        times, before, after = one_round(args.lesson)
        rounds.append((times, before, after))
        print(f"round {number + 1}: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items())
              + f" (load {before[0]:.1f} -> {after[0]:.1f})", flush=True)
    lines = [
        "# Benchmark results: rebuild costs", "",
        f"Written by `bench/rebuilds.py` (rerun it to refresh). Machine: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. Measured {time.strftime('%Y-%m-%d %H:%M')}. Median of {args.runs} "
        "rounds; each round builds a fresh copy: plain (PDFs, Word copies and decks off), cold (all on), "
        f"no change, then `{args.lesson}` edited. Ratios are to the plain build of the same round.", "",
        "| Build | Wall (median) | Ratio to plain (median) |", "|---|---:|---:|",
    ]
    for step in STEPS:
        wall = statistics.median(r[0][step] for r in rounds)
        ratio = statistics.median(r[0][step] / r[0]["plain"] for r in rounds)
        lines.append(f"| {step} | {wall:.1f} s | {ratio:.2f}x |")
    lines += ["", "Load average (1, 5, 15 min) before and after each round:", ""]
    lines += [f"- round {i + 1}: {'/'.join(f'{x:.2f}' for x in b)} before, {'/'.join(f'{x:.2f}' for x in a)} after"
              for i, (_t, b, a) in enumerate(rounds)]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
