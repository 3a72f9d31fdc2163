"""What the slide decks add to a build: the site without decks, with decks from an empty deck cache
(cold), and with a full one (warm), PDFs off in all three so only the decks differ.

    .venv/bin/python bench/decks.py [--runs 3] [--out bench/RESULTS.md]

Every build runs in a temporary copy of the project (never in site/ or the real .cache/), as
`python -m mkdocs build --strict`, like `make site`. The three kinds of build are interleaved (site,
cold, warm, site, cold, warm, ...) so that the load of a shared machine falls on all of them alike;
the 1-minute load average is recorded before each run. Reported: medians, the spread, and the
decks' added time (cold or warm minus site) as medians of the per-round differences.
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
COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "site", ".site-*", ".cache", "node_modules", "__pycache__",
                                     ".pytest_cache", "*.egg-info", "bench")
BEGIN, END = "<!-- begin:decks -->", "<!-- end:decks -->"


def build(work: Path, decks: bool) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CURRICULUM_PDF": "0", "CURRICULUM_DECKS": "1" if decks else "0"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(work / "site")],
                            cwd=work, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/RESULTS.md")
    args = parser.parse_args()
    times: dict[str, list[float]] = {"site": [], "cold": [], "warm": []}
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-decks-") as temp:
        work = Path(temp) / "project"
        shutil.copytree(ROOT, work, ignore=COPY_IGNORE)
        cache = work / ".cache" / "decks"
        build(work, True)                       # warm the OS file cache and Python's bytecode once
        for round_ in range(args.runs):
            for mode in ("site", "cold", "warm"):
                if mode == "cold":
                    shutil.rmtree(cache, ignore_errors=True)
                loads.append(os.getloadavg()[0])
                times[mode].append(build(work, mode != "site"))
                print(f"round {round_ + 1} {mode}: {times[mode][-1]:.2f} s (load {loads[-1]:.2f})", flush=True)
        decks = len(list((work / "site" / "decks").glob("*.pptx")))
    med = {k: statistics.median(v) for k, v in times.items()}
    cold_add = statistics.median(c - s for c, s in zip(times["cold"], times["site"], strict=True))
    warm_add = statistics.median(w - s for w, s in zip(times["warm"], times["site"], strict=True))
    spread = {k: f"{min(v):.1f}-{max(v):.1f}" for k, v in times.items()}
    text = f"""{BEGIN}
## Slide decks (bench/decks.py, {time.strftime('%Y-%m-%d')})

{decks} decks (16 lessons, the staff training, family night), PDFs off in every build so only the decks
differ; {args.runs} interleaved rounds on {os.cpu_count()} cores, Python {platform.python_version()};
1-minute load average during the runs {min(loads):.2f}-{max(loads):.2f} (median {statistics.median(loads):.2f}).

| Build | Median | Range |
|---|---|---|
| Site, no decks | {med['site']:.2f} s | {spread['site']} s |
| Site + decks, empty deck cache (cold) | {med['cold']:.2f} s | {spread['cold']} s |
| Site + decks, full deck cache (warm) | {med['warm']:.2f} s | {spread['warm']} s |

Decks add **{cold_add:.2f} s** to a cold build and **{warm_add:.2f} s** to a warm one (medians of the
per-round differences).
{END}"""
    old = args.out.read_text() if args.out.exists() else "# Benchmark results\n"
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + text + old[old.index(END) + len(END):]
    else:
        new = old.rstrip() + "\n\n" + text + "\n"
    args.out.write_text(new)
    print(text)


if __name__ == "__main__":
    main()
