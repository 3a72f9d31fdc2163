"""Build time and peak memory: the site alone, site + PDFs from an empty PDF cache (cold), and
site + PDFs with a full cache (warm), for the content as it is and scaled x5 and x20.

    .venv/bin/python bench/build.py [--scales 1,5,20] [--modes site,cold,warm] [--runs 5]
                                    [--runs-large 3] [--out bench/results-build.md]

How it measures:
- Every build runs in a temporary copy of the project (never in site/ or the real .cache/pdf), as
  `python -m mkdocs build --strict`, exactly like `make site` does.
- Each run is started by a fresh measuring process (this script with --measure), so that
  resource.getrusage(RUSAGE_CHILDREN) covers that one build and its PDF workers only. Wall time is
  time.perf_counter(). "Peak memory" is the most the whole process tree (the build and its PDF
  worker processes together) held at once: the sum of their PSS, which counts pages the forked
  workers share once, sampled every 50 ms from /proc. "Largest process" is getrusage's ru_maxrss
  (the peak RSS of the single biggest process).
- Scaled content: the copy gets k-1 extra copies of every lesson (new order and title, each copy
  pointing at its own copies of the handouts), every handout, and every family and staff guide.
  Lesson `order` is capped at 20 per band by the schema, so the copy's schema cap is raised; nothing
  else in the engine is changed.
- Reported: medians over the runs, their spread, and ratios to the unscaled content.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "site", ".site-*", ".cache", "node_modules", "__pycache__",
                                     ".pytest_cache", "*.egg-info", "bench")
TIME_TARGET = 21.0       # x20 content may take at most 21 times as long to build
RSS_TARGET = 1024 ** 3   # 1 GB
PAGE = os.sysconf("SC_PAGE_SIZE")


# -- results file -----------------------------------------------------------------------------------
def write_section(path: Path, name: str, text: str) -> None:
    """Put ``text`` between this section's markers in ``path``, keeping the other sections."""
    begin, end = f"<!-- begin:{name} -->", f"<!-- end:{name} -->"
    old = path.read_text() if path.exists() else "# Benchmark results: build and page weight\n\n" \
        "Written by bench/build.py and bench/page_weight.py; rerun them to refresh.\n"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    if begin in old and end in old:
        new = old[: old.index(begin)] + block + old[old.index(end) + len(end):]
    else:
        new = old.rstrip() + "\n\n" + block + "\n"
    path.write_text(new)


def machine_note() -> str:
    cpu = "unknown CPU"
    try:
        names = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), flags=re.M)
        cpu = names[0].strip() if names else cpu
    except OSError:
        pass
    try:
        mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1]) / 1024 ** 2
    except (OSError, TypeError):
        mem = 0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"Machine: {os.cpu_count()} cores ({cpu}), {mem:.1f} GB RAM, Python {platform.python_version()}, "
            f"load average {load} at the start. A shared, noisy machine: compare ratios more than seconds. "
            f"Measured {time.strftime('%Y-%m-%d %H:%M')}.")


# -- one measured build (runs in its own process) ---------------------------------------------------
def tree_memory(root_pid: int) -> int:
    """Memory of a process and all its descendants now: the sum of their PSS (proportional set
    size), which counts a page shared by forked PDF workers once, not once per process as an RSS
    sum would. Falls back to RSS where PSS is not available."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            ppid = int(text[text.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+) kB", rollup, flags=re.M)[1]) * 1024
        except (OSError, TypeError, ValueError):
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            except (OSError, ValueError, IndexError):
                pass
    return total


def measure_child(cwd: str, command: list[str]) -> None:
    """Run ``command``; print one JSON line: seconds, tree peak RSS, largest process, CPU, exit code."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_memory(proc.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        log.seek(0)
        tail = log.read().decode(errors="replace")[-3000:]
    print(json.dumps({"seconds": seconds, "tree_peak": peak, "max_process": usage.ru_maxrss * 1024,
                      "cpu": usage.ru_utime + usage.ru_stime, "returncode": proc.returncode, "log": tail}))


def timed_build(project: Path, site: Path, pdf: bool) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CURRICULUM_PDF": "1" if pdf else "0",
           "PYTHONPATH": str(project) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    shutil.rmtree(site, ignore_errors=True)
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    out = subprocess.run([sys.executable, __file__, "--measure", str(project), "--", *build],
                         env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["returncode"] != 0:
        sys.exit(f"the build of {project.name} failed:\n{result['log']}")
    result["pdfs"] = len(list((site / "pdf").rglob("*.pdf"))) if (site / "pdf").is_dir() else 0
    result["pages"] = len(list(site.rglob("*.html")))
    return result


# -- scaled copies of the project -------------------------------------------------------------------
def split_front_matter(text: str) -> tuple[dict, str]:
    match = re.match(r"^---\n(.*?)\n---\n", text, flags=re.S)
    if not match:
        return {}, text
    return yaml.safe_load(match[1]) or {}, text[match.end():]


def join_front_matter(meta: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000) + "---\n" + body


def scale_content(project: Path, scale: int) -> None:
    """Add scale-1 copies of every lesson, handout, family guide and staff guide."""
    schema = project / "curriculum" / "schemas.py"
    text = schema.read_text()
    patched = re.sub(r"(order: int = Field\([^)]*le=)\d+", r"\g<1>100000", text)
    schema.write_text(patched)
    handouts = [p for p in sorted((project / "handouts").glob("*.md")) if p.name != "index.md"]
    lessons = [p for p in sorted((project / "lessons").glob("*/*.md")) if p.name not in ("index.md", "glossary.md")]
    guides = [p for folder in ("families", "staff") for p in sorted((project / "docs" / folder).glob("*.md"))
              if p.name != "index.md"]
    for copy in range(2, scale + 1):
        for path in handouts:
            meta, body = split_front_matter(path.read_text())
            meta["title"] = f"{meta.get('title', path.stem)} (copy {copy})"
            path.with_name(f"{path.stem}-x{copy}.md").write_text(join_front_matter(meta, body))
        for path in lessons:
            meta, body = split_front_matter(path.read_text())
            meta["title"] = f"{meta['title']} (copy {copy})"
            meta["order"] = int(meta["order"]) + 100 * (copy - 1)
            meta["handouts"] = [f"{slug}-x{copy}" for slug in meta.get("handouts", [])]
            stem = re.sub(r"^\d+-", "", path.stem)
            path.with_name(f"{meta['order']:04d}-{stem}-x{copy}.md").write_text(join_front_matter(meta, body))
        for path in guides:
            text = path.read_text()
            meta, body = split_front_matter(text)
            if meta.get("title"):
                meta["title"] = f"{meta['title']} (copy {copy})"
                text = join_front_matter(meta, body)
            path.with_name(f"{path.stem}-x{copy}.md").write_text(text)


def content_size(project: Path) -> tuple[int, int]:
    files = [p for folder in ("docs", "lessons", "handouts") for p in (project / folder).rglob("*.md")]
    return len(files), sum(p.stat().st_size for p in files)


def make_project(work: Path, scale: int) -> Path:
    project = work / f"project-x{scale}"
    shutil.copytree(ROOT, project, ignore=COPY_IGNORE)
    if scale > 1:
        scale_content(project, scale)
    return project


# -- the benchmark ----------------------------------------------------------------------------------
MODES = {"site": "site only (CURRICULUM_PDF=0)", "cold": "site + PDFs, empty PDF cache",
         "warm": "site + PDFs, full PDF cache"}


def run(scales: list[int], modes: list[str], runs: int, runs_large: int) -> dict:
    results: dict = {"scales": {}, "machine": machine_note()}
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        for scale in scales:
            project = make_project(work, scale)
            n = runs if scale < 20 else runs_large
            files, size = content_size(project)
            entry = results["scales"][scale] = {"files": files, "bytes": size, "modes": {}}
            site = work / f"site-x{scale}"
            for mode in modes:
                samples = []
                if mode == "warm" and not (project / ".cache" / "pdf").exists():
                    timed_build(project, site, pdf=True)  # fill the cache (not timed)
                for i in range(n):
                    if mode == "cold":
                        shutil.rmtree(project / ".cache" / "pdf", ignore_errors=True)
                    sample = timed_build(project, site, pdf=mode != "site")
                    samples.append(sample)
                    print(f"x{scale} {mode} run {i + 1}/{n}: {sample['seconds']:.2f} s, "
                          f"peak {sample['tree_peak'] / 2 ** 20:.0f} MB, {sample['pages']} pages, "
                          f"{sample['pdfs']} PDFs", file=sys.stderr, flush=True)
                entry["modes"][mode] = samples
            entry["pages"] = samples[-1]["pages"]
            shutil.rmtree(project, ignore_errors=True)
            shutil.rmtree(site, ignore_errors=True)
    return results


def med(samples: list[dict], key: str) -> float:
    return statistics.median(s[key] for s in samples)


def report(results: dict, runs: int, runs_large: int) -> tuple[str, bool]:
    scales = results["scales"]
    base = scales.get(1)
    lines = ["## Build time and peak memory", "", results.get("machine") or machine_note(), "",
             f"Median of {runs} runs{f' ({runs_large} for x20)' if 20 in scales else ''}; spread is min-max. Content: "
             + "; ".join(f"x{s}: {e['files']} Markdown files, {e['bytes'] / 1024:,.0f} KB, {e['pages']} pages"
                         for s, e in scales.items()) + ".", "",
             "| Content | Build | Time (median) | Spread | Time vs x1 | CPU time | CPU vs x1 "
             "| Peak memory (tree PSS) | Largest process (RSS) | PDFs |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    ok = True
    notes = []
    for scale, entry in scales.items():
        for mode, samples in entry["modes"].items():
            t = med(samples, "seconds")
            spread = f"{min(s['seconds'] for s in samples):.2f}-{max(s['seconds'] for s in samples):.2f} s"
            ratio = cpu_ratio = ""
            if base and mode in base["modes"] and scale != 1:
                r = t / med(base["modes"][mode], "seconds")
                ratio = f"x{r:.1f}"
                cpu_ratio = f"x{med(samples, 'cpu') / med(base['modes'][mode], 'cpu'):.1f}"
                if scale == 20 and r > TIME_TARGET:
                    ok = False
                    notes.append(f"x20 {mode}: x{r:.1f} is over the x{TIME_TARGET:.0f} target")
            peak = max(max(s["tree_peak"], s["max_process"]) for s in samples)
            if peak > RSS_TARGET:
                ok = False
                notes.append(f"x{scale} {mode}: peak memory {peak / 2 ** 20:.0f} MB is over 1 GB")
            pdfs = samples[-1]["pdfs"]
            lines.append(f"| x{scale} | {MODES[mode]} | {t:.2f} s | {spread} | {ratio or '-'} | "
                         f"{med(samples, 'cpu'):.2f} s | {cpu_ratio or '-'} | "
                         f"{med(samples, 'tree_peak') / 2 ** 20:.0f} MB (max {peak / 2 ** 20:.0f}) | "
                         f"{med(samples, 'max_process') / 2 ** 20:.0f} MB | {pdfs} |")
    if any(e["modes"].get("cold") and e["modes"]["cold"][-1]["pdfs"] == 0 for e in scales.values()):
        notes.append("the PDF builds made no PDFs (the PDF step is off or not there yet): PDF rows equal site-only")
    lines += ["", f"**Targets** (x20 content builds in at most x{TIME_TARGET:.0f} the time; peak memory at most 1 GB): "
              + ("met." if ok else "MISSED: " + "; ".join(n for n in notes if "target" in n or "GB" in n) + ".")]
    lines += [f"- Note: {n}." for n in notes if not ("target" in n or "GB" in n)]
    return "\n".join(lines) + "\n", ok


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        cwd, command = sys.argv[2], sys.argv[sys.argv.index("--") + 1:]
        measure_child(cwd, command)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,5,20")
    parser.add_argument("--modes", default="site,cold,warm")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (x1 and x5)")
    parser.add_argument("--runs-large", type=int, default=3, help="runs per measurement at x20")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results-build.md")
    parser.add_argument("--json", type=Path, help="also save the raw samples here")
    parser.add_argument("--report-from", type=Path, help="only write the report, from samples saved with --json")
    args = parser.parse_args()
    if args.report_from:
        results = json.loads(args.report_from.read_text())
        results["scales"] = {int(scale): entry for scale, entry in results["scales"].items()}
        text, ok = report(results, args.runs, args.runs_large)
        print(text)
        write_section(args.out, "build", text)
        return 0 if ok else 1
    scales = sorted(int(s) for s in args.scales.split(","))
    modes = [m for m in args.modes.split(",") if m]
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown mode(s) {', '.join(sorted(unknown))}; use {', '.join(MODES)}")
    results = run(scales, modes, args.runs, args.runs_large)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    text, ok = report(results, args.runs, args.runs_large)
    print(text)
    write_section(args.out, "build", text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
