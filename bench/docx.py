"""What the Word copies add to a build: cold (empty .cache/docx) and warm (every copy cached).

    .venv/bin/python bench/docx.py [--runs 5] [--out bench/results-docx.md]

How it measures:
- Every build runs in a temporary copy of the project (never in site/ or the real .cache/docx), as
  `python -m mkdocs build --strict`, with the PDFs off (CURRICULUM_PDF=0) so only the Word step varies.
- Three builds per round, interleaved so a change in the machine's load hits all three alike:
  `base` (CURRICULUM_DOCX=0), `cold` (Word copies on, .cache/docx emptied first), `warm` (on, cached).
- Reported: the medians of wall time and of CPU time (the build and every process it started, from
  getrusage) over the rounds, the added time (cold - base, warm - base), the Word step's own time from
  the build's log line, and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from build import COPY_IGNORE, write_section  # noqa: E402  (bench/build.py: the same copy and results file)

STEP = re.compile(r"Word copies: .*?\(([\d.]+) s\)")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(work: Path, docx: bool) -> tuple[float, float, float | None]:
    """(wall time, CPU time of the build and every process it started, the Word step's logged time)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CURRICULUM_PDF": "0", "CURRICULUM_DOCX": "1" if docx else "0"}
    started, cpu_before = time.perf_counter(), cpu()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(work / "site")],
                            cwd=work, env=env, capture_output=True, text=True)
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_before
    if result.returncode != 0:
        raise SystemExit(f"the build failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    step = STEP.search(result.stdout + result.stderr)
    return seconds, cpu_seconds, float(step[1]) if step else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results-docx.md")
    args = parser.parse_args()
    times: dict[str, list[float]] = {"base": [], "cold": [], "warm": []}
    cpus: dict[str, list[float]] = {"base": [], "cold": [], "warm": []}
    steps: dict[str, list[float]] = {"cold": [], "warm": []}
    load_before = os.getloadavg()
    files = 0
    with tempfile.TemporaryDirectory(prefix="bench-docx-") as temp:
        work = Path(temp) / "project"
        shutil.copytree(ROOT, work, ignore=COPY_IGNORE, symlinks=True)
        build(work, True)                                            # warm the imports and the OS cache
        for round_ in range(args.runs):
            seconds, cpu_seconds, _ = build(work, False)
            times["base"].append(seconds)
            cpus["base"].append(cpu_seconds)
            shutil.rmtree(work / ".cache/docx", ignore_errors=True)
            for mode in ("cold", "warm"):
                seconds, cpu_seconds, step = build(work, True)
                times[mode].append(seconds)
                cpus[mode].append(cpu_seconds)
                if step is not None:
                    steps[mode].append(step)
            files = len(list((work / "site/docx").glob("*.docx")))
            print(f"round {round_ + 1}: " + ", ".join(f"{m} {t[-1]:.2f} s" for m, t in times.items()), flush=True)
    load_after = os.getloadavg()
    med = {m: statistics.median(t) for m, t in times.items()}
    cpu_med = {m: statistics.median(t) for m, t in cpus.items()}
    step_med = {m: statistics.median(s) if s else float("nan") for m, s in steps.items()}
    lines = [
        "## Word copies (bench/docx.py)",
        "",
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {args.runs} interleaved rounds, PDFs off; load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after (1-minute).",
        "",
        "| Build | Median wall time | Spread | Median CPU time | Word step (log) | Added wall time | Added CPU time |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode, label in (("base", "base (CURRICULUM_DOCX=0)"), ("cold", "cold (.cache/docx empty)"),
                        ("warm", "warm (every copy cached)")):
        step = f"{step_med[mode]:.2f} s" if mode in step_med else "-"
        added = (f"{med[mode] - med['base']:+.2f} s | {cpu_med[mode] - cpu_med['base']:+.2f} s" if mode != "base"
                 else "- | -")
        lines.append(f"| {label} | {med[mode]:.2f} s | {min(times[mode]):.2f}-{max(times[mode]):.2f} s "
                     f"| {cpu_med[mode]:.2f} s | {step} | {added} |")
    lines += ["", "The Word step's own time (from the build's log line: compose, convert, check, write) is the "
              "figure to trust on a loaded machine; the added wall time also carries the other jobs' noise."]
    lines += ["", f"Each warm or cold build makes {files} Word copies."]
    text = "\n".join(lines) + "\n"
    args.out.write_text("# Benchmark results: Word copies\n\nWritten by bench/docx.py; rerun it to refresh.\n\n" + text)
    write_section(ROOT / "bench/RESULTS.md", "docx", text)
    print(text)


if __name__ == "__main__":
    main()
