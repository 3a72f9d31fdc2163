"""The PDF step: what it adds to a rebuild, how it scales with workers, one handout, peak memory.

    .venv/bin/python bench/pdf.py [--runs 5] [--handout k-2-ask-first] [--wait-idle 120]
                                  [--min-cores 1.8] [--max-pairs 12] [--out bench/results-pdf.md]
    .venv/bin/python bench/pdf.py --quick     # one run of everything: checks the script works

What it measures (medians over --runs, at least 5; time.perf_counter for wall time,
resource.getrusage for CPU and peak resident memory):

1. Rebuild, nothing changed: `mkdocs build --strict` with PDFs on and a full PDF cache, against the
   same build with PDFs off (CURRICULUM_PDF=0). Target: at most 1.15 times as long.
2. Cold PDF stage: every PDF rendered from an empty cache, with 2 worker processes and with 1.
   Target: 2 workers at least 1.7 times as fast. On a shared machine another job may hold a core;
   the free cores are measured around each pair of runs and contended pairs are reported apart.
3. One one-page handout on one warm worker, against a plain WeasyPrint render of exactly the same
   print HTML with no stylesheet (the system default font, DejaVu). Target: at most 0.5 times as long.
   Also measured with WeasyPrint's fontTools subsetter forced (as on a machine without
   libharfbuzz-subset0), and cold (a new process: import, set-up and one render).
4. Peak resident memory of the cold PDF stage: the main process and the largest worker.

Every build runs in a temporary copy of the project, so site/ and .cache/pdf are never touched. The
PDF stage runs in a fresh process per measurement (this script with --stage), fed with the jobs the
plugin planned, so each run pays for its own WeasyPrint import and worker start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(".venv", ".git", "site", ".site-*", ".cache", "node_modules", "__pycache__",
                                ".pytest_cache", "*.egg-info", "bench")
TARGETS = {"rebuild": 1.15, "speedup": 1.7, "handout": 0.5}
NOTES = """Why figure 3 misses its target: the 0.5x target assumed that subsetting the font is most of the
cost of a small PDF (DESIGN.md: about 97%, with fontTools). With libharfbuzz-subset0 installed (it is
in the Makefile's system packages), WeasyPrint subsets with HarfBuzz and a one-page render is mostly
layout, which both renders share. Ours is still faster (one font family, loaded once per worker and
reused; no per-document font set-up), and 3b shows the margin where fontTools does the subsetting.
Cold (3c), ours also pays for parsing print.css and decoding the four WOFF2 faces once per worker
(about 0.1 s); a build pays that once per worker, not per PDF."""


def _burn(n: int) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - started


def parallel_capacity(n: int = 8_000_000) -> float:
    """How many cores this machine gives us right now: 2 * (one busy loop alone) / (two at once).

    2.0 when both cores are free; about 1.0 when another job keeps one core busy (the machine is
    shared), in which case no pool can be 1.7 times as fast.
    """
    import multiprocessing
    alone = _burn(n)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        started = time.perf_counter()
        pool.map(_burn, [n, n])
        together = time.perf_counter() - started
    return 2 * alone / together


def wait_for_idle(limit: float) -> None:
    """Wait (at most ``limit`` seconds) until the 1-minute load average is below 0.5."""
    deadline = time.time() + limit
    while os.getloadavg()[0] > 0.5 and time.time() < deadline:
        time.sleep(5)


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> str:
    return f"{min(values):.3f}-{max(values):.3f}"


def machine_note() -> str:
    names = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), flags=re.M)
    from importlib.metadata import version
    cores = len(os.sched_getaffinity(0))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        from weasyprint.text.ffi import harfbuzz_subset
        subsetter = "HarfBuzz (libharfbuzz-subset)" if harfbuzz_subset else "fontTools"
    except Exception:                                        # pragma: no cover
        subsetter = "unknown"
    return (f"Machine: {cores} cores ({names[0].strip() if names else 'unknown CPU'}), Python "
            f"{platform.python_version()}, WeasyPrint {version('weasyprint')}, font subsetting by {subsetter}; "
            f"load average {load} at the start (a shared machine: other jobs ran at the same time, so compare "
            f"ratios of interleaved runs more than seconds). Measured {time.strftime('%Y-%m-%d %H:%M')}.")


# -- helpers run in their own process ------------------------------------------------------------
def stage_once(jobs_file: str, workers: int, cache_dir: str) -> None:
    """One cold PDF stage (empty cache): print seconds, counts and peak memory as JSON."""
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from curriculum.outputs import pdf
    jobs, settings = pickle.loads(Path(jobs_file).read_bytes())
    settings = replace(settings, workers=workers, cache_dir=Path(cache_dir))
    report = pdf.run(jobs, settings)
    seconds = time.perf_counter() - started
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds, "rendered": len(report.rendered), "pages": sum(report.pages.values()),
                      "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                      "rss_main_kb": me.ru_maxrss, "rss_worker_kb": kids.ru_maxrss}))


def handout_once(jobs_file: str, name: str, runs: int, fonttools: bool, cold: str) -> None:
    """Our render of one handout vs a plain WeasyPrint render of the same HTML: print ms as JSON."""
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import logging
    if fonttools:
        import weasyprint.pdf.fonts as pdf_fonts
        pdf_fonts.harfbuzz_subset = None           # what WeasyPrint does without libharfbuzz-subset0
    from curriculum.outputs.pdf import render
    from curriculum.outputs.pdf.template import PrintTemplate
    jobs, settings = pickle.loads(Path(jobs_file).read_bytes())
    job = next(j for j in jobs if j.name == name)
    template = PrintTemplate(settings.template_dir)
    setup = render.setup_for(template.css_path, settings.site_dir, settings.template_dir, template.font_files)
    task = render.Task(job.name, job.html, job.key)

    def plain():
        import weasyprint
        weasyprint.HTML(string=job.html, base_url=setup.base_url).write_pdf()

    def ours():
        result = render.render_task(task)
        assert not result.error and result.pages == 1, (result.error, result.pages)

    if cold:                                       # a new process: import, set-up, one render
        if cold == "ours":
            render.init_worker(setup)
            ours()
        else:
            plain()
        print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))
        return
    render.init_worker(setup)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)   # fontTools mode warns once per font
    for _ in range(3):
        ours(), plain()
    times: dict[str, list[float]] = {"ours": [], "plain": []}
    for _ in range(runs):                          # interleaved, so both see the same machine load
        for label, fn in (("ours", ours), ("plain", plain)):
            t = time.perf_counter()
            fn()
            times[label].append((time.perf_counter() - t) * 1000)
    print(json.dumps(times))


def run_json(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the measurements ----------------------------------------------------------------------------
def copy_project(into: Path) -> Path:
    work = into / "project"
    shutil.copytree(ROOT, work, ignore=IGNORE, symlinks=True)
    return work


def mkdocs_build(work: Path, site: Path, pdf: bool) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CURRICULUM_PDF": "1" if pdf else "0"}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(work / "mkdocs.yml"),
                          "-d", str(site)], cwd=work, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"the build failed:\n{out.stderr[-4000:]}")
    if pdf and "from the cache" not in out.stderr + out.stdout:
        raise SystemExit("no PDF summary in the build output")
    return seconds


def plan_jobs(work: Path, site: Path, jobs_file: Path) -> int:
    """Build once in-process with PDFs off, then plan and compose the PDFs as the build does (the
    plan from the content and the staff pages, the print HTML from the rendered pages); save the jobs.

    Uses the engine's public PDF entry points (curriculum.outputs.pdf: plan_jobs, compose) and what
    the plugin holds after a build (content, rendered pages, registry, PDF settings).
    """
    code = f"""
import os, pickle, sys, logging
os.environ.update(NO_MKDOCS_2_WARNING="1", CURRICULUM_PDF="0")
logging.disable(logging.INFO)
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.commands.build import build
from curriculum import nav
from curriculum.outputs import pdf
config = load_config({str(work / 'mkdocs.yml')!r}, site_dir={str(site)!r})
build(config)
plugin = config.plugins["curriculum"]
docs_dir = Path(config.docs_dir)
staff = nav.folder_pages(docs_dir, "staff") if (docs_dir / "staff").is_dir() else []
jobs, problems = pdf.plan_jobs(plugin.content, staff, config.site_name or "",
                               os.path.relpath(docs_dir, plugin.root))
if problems:
    sys.exit("planning the PDFs failed: " + "; ".join(map(str, problems)))
settings = plugin.pdf_settings(config)
jobs = pdf.compose(jobs, plugin.page_inputs, plugin.registry, settings)
open({str(jobs_file)!r}, "wb").write(pickle.dumps((jobs, settings)))
print(len(jobs))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"planning failed:\n{out.stderr[-4000:]}")
    return int(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--handout", default="k-2-ask-first")
    parser.add_argument("--out", help="where to write the results (default: bench/results-pdf.md; "
                        "with --quick, nowhere)")
    parser.add_argument("--quick", action="store_true",
                        help="one run of each figure (one cold-stage pair, a few handout renders), to check that "
                             "the script works: the figures mean little")
    parser.add_argument("--only", default="rebuild,stage,handout")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                        help="before each cold-stage pair, wait up to this long for a quiet machine")
    parser.add_argument("--min-cores", type=float, default=1.8,
                        help="a cold-stage pair counts in the main figure only if this many cores were free")
    parser.add_argument("--max-pairs", type=int, default=12, help="give up retrying contended pairs after this many")
    parser.add_argument("--stage", nargs=3, metavar=("JOBS", "WORKERS", "CACHE"), help=argparse.SUPPRESS)
    parser.add_argument("--single", nargs=5, metavar=("JOBS", "NAME", "RUNS", "FONTTOOLS", "COLD"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        stage_once(args.stage[0], int(args.stage[1]), args.stage[2])
        return 0
    if args.single:
        jobs, name, runs, fonttools, cold = args.single
        handout_once(jobs, name, int(runs), fonttools == "1", "" if cold == "-" else cold)
        return 0
    runs = 1 if args.quick else max(5, args.runs)
    warm_runs, fonttools_runs = (3, 3) if args.quick else (max(15, runs), max(9, runs))
    max_pairs = 1 if args.quick else max(runs, args.max_pairs)
    out = args.out or (None if args.quick else str(ROOT / "bench" / "results-pdf.md"))
    only = set(args.only.split(","))
    note = machine_note()
    print(note, flush=True)
    lines = ["# Benchmark results: the PDF step", "",
             "Written by `bench/pdf.py` (rerun it to refresh). " + note, ""]
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as temp:
        temp = Path(temp)
        work = copy_project(temp)
        jobs_file = temp / "jobs.pickle"
        count = plan_jobs(work, temp / "planned-site", jobs_file)
        print(f"{count} PDFs planned", flush=True)
        rows = []

        if "rebuild" in only:
            mkdocs_build(work, temp / "warm", pdf=True)             # fills the copy's .cache/pdf
            plain, rebuild = [], []
            for i in range(runs):
                plain.append(mkdocs_build(work, temp / f"plain-{i}", pdf=False))
                rebuild.append(mkdocs_build(work, temp / f"pdf-{i}", pdf=True))
                print(f"  rebuild run {i + 1}: plain {plain[-1]:.2f} s, with PDFs {rebuild[-1]:.2f} s", flush=True)
            ratio = median(rebuild) / median(plain)
            rows.append(("1. Rebuild, nothing changed, PDFs on (cache full) vs PDFs off",
                         f"{median(rebuild):.2f} s vs {median(plain):.2f} s (spreads {spread(rebuild)} / "
                         f"{spread(plain)})", f"{ratio:.2f}x", f"<= {TARGETS['rebuild']}x",
                         "met" if ratio <= TARGETS["rebuild"] else "missed"))

        if "stage" in only:
            # Pairs (2 workers, then 1) run back to back. The machine is shared: before and after each
            # pair we measure how many cores were free for us. A pair that did not have both cores
            # (below --min-cores either time) is kept in the "all pairs" figures but not in the main
            # one, and is retried, up to --max-pairs in all. Both figures are reported.
            pairs: list[dict] = []
            while sum(p["clean"] for p in pairs) < runs and len(pairs) < max_pairs:
                if args.wait_idle:
                    wait_for_idle(args.wait_idle)
                before = parallel_capacity()
                pair = {"load": os.getloadavg()[0]}
                for workers in (2, 1):
                    cache_dir = temp / f"cache-{workers}-{len(pairs)}"
                    pair[workers] = run_json(["--stage", str(jobs_file), str(workers), str(cache_dir)])
                    shutil.rmtree(cache_dir, ignore_errors=True)
                after = parallel_capacity()
                pair.update(cores=min(before, after), clean=min(before, after) >= args.min_cores)
                pairs.append(pair)
                print(f"  cold stage pair {len(pairs)}: 2 workers {pair[2]['seconds']:.1f} s, 1 worker "
                      f"{pair[1]['seconds']:.1f} s, {pair[1]['rendered']} PDFs, {pair[1]['pages']} pages; cores free "
                      f"{before:.2f}/{after:.2f} -> {'kept' if pair['clean'] else 'contended'}", flush=True)
            n_clean = sum(p["clean"] for p in pairs)
            clean = [p for p in pairs if p["clean"]] or pairs
            kept = f"{n_clean} pairs with both cores free" if n_clean else "no pair had both cores free: all pairs"
            one, two = [p[1]["seconds"] for p in clean], [p[2]["seconds"] for p in clean]
            speedup = median(one) / median(two)
            all_one, all_two = [p[1]["seconds"] for p in pairs], [p[2]["seconds"] for p in pairs]
            cpu1, cpu2 = (median([p[w]["cpu"] for p in clean]) for w in (1, 2))
            first = pairs[0][1]
            rows.append(("2. Cold PDF stage, 2 workers vs 1 worker",
                         f"{median(two):.1f} s vs {median(one):.1f} s ({first['rendered']} PDFs, {first['pages']} "
                         f"pages; {kept}, spreads {spread(two)} / {spread(one)}; "
                         f"CPU {cpu2:.1f} s vs {cpu1:.1f} s. All {len(pairs)} pairs, including those where another "
                         f"job held a core (cores free {min(p['cores'] for p in pairs):.2f}-"
                         f"{max(p['cores'] for p in pairs):.2f} of 2): {median(all_two):.1f} s vs "
                         f"{median(all_one):.1f} s = {median(all_one) / median(all_two):.2f}x)",
                         f"{speedup:.2f}x faster", f">= {TARGETS['speedup']}x",
                         "met" if speedup >= TARGETS["speedup"] else "missed"))
            main_mb = max(p[2]["rss_main_kb"] for p in pairs) / 1024
            worker_mb = max(p[2]["rss_worker_kb"] for p in pairs) / 1024
            single_mb = max(p[1]["rss_main_kb"] for p in pairs) / 1024
            rows.append(("4. Peak RSS of the cold PDF stage",
                         f"2 workers: main process {main_mb:.0f} MB, largest worker {worker_mb:.0f} MB "
                         f"(at most {main_mb + 2 * worker_mb:.0f} MB together); 1 worker: {single_mb:.0f} MB",
                         "", "(measured)", ""))

        if "handout" in only:
            name = f"{args.handout}.pdf"
            warm = run_json(["--single", str(jobs_file), name, str(warm_runs), "0", "-"])
            ratio = median(warm["ours"]) / median(warm["plain"])
            rows.append((f"3. One one-page handout (pdf/{name}), warm worker, vs plain WeasyPrint (DejaVu)",
                         f"{median(warm['ours']):.1f} ms vs {median(warm['plain']):.1f} ms "
                         f"({len(warm['ours'])} interleaved runs)", f"{ratio:.2f}x", f"<= {TARGETS['handout']}x",
                         "met" if ratio <= TARGETS["handout"] else "missed"))
            slow = run_json(["--single", str(jobs_file), name, str(fonttools_runs), "1", "-"])
            ratio_ft = median(slow["ours"]) / median(slow["plain"])
            rows.append(("3b. The same, fontTools subsetting forced (no libharfbuzz-subset0)",
                         f"{median(slow['ours']):.1f} ms vs {median(slow['plain']):.1f} ms", f"{ratio_ft:.2f}x",
                         f"<= {TARGETS['handout']}x", "met" if ratio_ft <= TARGETS["handout"] else "missed"))
            cold = {label: [run_json(["--single", str(jobs_file), name, "1", "0", label])["ms"] for _ in range(runs)]
                    for label in ("ours", "plain")}
            ratio_cold = median(cold["ours"]) / median(cold["plain"])
            rows.append(("3c. The same, cold: a new process (import, set-up, one render)",
                         f"{median(cold['ours']):.0f} ms vs {median(cold['plain']):.0f} ms", f"{ratio_cold:.2f}x",
                         "(information)", ""))

    lines += ["| Measurement | Medians | Ratio | Target | |", "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in sorted(rows, key=lambda row: row[0].split(" ", 1)[0])]
    lines += ["", f"Runs: {runs} per figure ({warm_runs} interleaved renders for the warm handout figures). "
              "Rebuild runs alternate plain and PDF builds. Cold-stage runs come in pairs (2 workers, then 1); "
              "\"cores free\" is 2 x (one busy loop alone) / (two busy loops at once), measured before and "
              f"after each pair; the main figure uses the pairs where it stayed at {args.min_cores} or more.", "",
              NOTES, ""]
    if out:
        Path(out).write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
