"""Many district editions in one run (issue 18): total time and peak memory of `python -m curriculum
editions` for N generated fictional editions, against N separate builds (each with its own cache).

    .venv/bin/python bench/editions.py [--counts 1,5,20] [--out bench/results-editions.md]

How it measures:
- Everything runs in a temporary copy of the project, never in site/ or the real .cache/pdf.
- Each edition file is district.example.yml with a new name, short name and contact names (all
  fictional, 555 numbers), so every edition differs in every district value, as real ones would.
- "One separate build": `python -m curriculum build` of one edition from an empty PDF cache, with
  PDFs; N separate builds cost N times that (each district building alone has its own cache).
- "N editions": `python -m curriculum editions` over N files from an empty PDF cache: the editions
  share one cache, so a document whose print HTML holds no district value is rendered once.
- Time is wall time; peak memory is the whole process tree's PSS at its highest and the largest
  single process (bench/build.py's measuring process, sampled every 50 ms).
- Reported: each figure and the ratio of N editions to N separate builds. One run each: the machine
  is shared, so read the ratios, and the load average printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import build as benchbuild  # noqa: E402  (bench/build.py: the measuring process and machine note)

ROOT = BENCH.parent


def edition(n: int, logo: Path) -> dict:
    data = yaml.safe_load((ROOT / "district.example.yml").read_text())
    data.update(name=f"Fictional District {n}", short_name=f"District {n}", logo=str(logo))
    for key in ("school", "preview", "opt_out", "reporting_procedure"):
        data.pop(key, None)
    for i, contact in enumerate(data["contacts"]):
        contact["name"] = f"{contact['name'].split()[0]} {chr(65 + n % 26)}"
        contact["phone"] = f"+1555555{(n * 5 + i) % 10000:04d}"
        contact["email"] = f"c{i}@d{n}.example.org"
        contact["phone_display"] = f"(555) 555-{(n * 5 + i) % 10000:04d}"
    return data


def measured(project: Path, command: list[str]) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CURRICULUM_PDF": "1"}
    out = subprocess.run([sys.executable, str(BENCH / "build.py"), "--measure", str(project), "--", *command],
                         env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["returncode"] != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result['log']}")
    return result


def run(counts: list[int], on_result=None) -> tuple[dict, dict, str]:
    note = benchbuild.machine_note()
    with tempfile.TemporaryDirectory(prefix="bench-editions-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT, project, ignore=benchbuild.COPY_IGNORE)
        logo = project / "editions/logos/lincoln.svg"
        cache = project / ".cache/pdf"
        one = Path(tmp) / "one.yml"
        one.write_text(yaml.safe_dump(edition(0, logo)))
        shutil.rmtree(cache, ignore_errors=True)
        single = measured(project, ["env", f"CURRICULUM_DISTRICT={one}", sys.executable, "-m", "curriculum",
                                    "build", "--site", str(Path(tmp) / "one")])
        print(f"one separate build: {single['seconds']:.1f} s", flush=True)
        results = {}
        for n in counts:
            folder = Path(tmp) / f"editions-{n}"
            folder.mkdir()
            for i in range(1, n + 1):
                (folder / f"district-{i:02d}.yml").write_text(yaml.safe_dump(edition(i, logo)))
            shutil.rmtree(cache, ignore_errors=True)
            out = Path(tmp) / f"site-editions-{n}"
            result = measured(project, [sys.executable, "-m", "curriculum", "editions", str(folder), "--out", str(out)])
            rendered = [int(m[1]) for m in re.finditer(r"rendering (\d+) of (\d+) documents", result["log"])]
            result["rendered_last"] = rendered[-1] if rendered else None
            results[n] = result
            print(f"{n} editions: {result['seconds']:.1f} s", flush=True)
            if on_result is not None:       # written after each count: a slow machine may stop the run
                on_result(single, results, note)
            shutil.rmtree(out, ignore_errors=True)
    return single, results, note


def report(single: dict, results: dict, note: str) -> str:
    mb = 1024 ** 2
    lines = ["## District editions (bench/editions.py)", "", note, "",
             f"One separate build (one edition, empty PDF cache, with PDFs): {single['seconds']:.1f} s, "
             f"peak {single['tree_peak'] / mb:.0f} MB (largest process {single['max_process'] / mb:.0f} MB).", "",
             "| Editions | Total time | Peak memory (tree) | Largest process | N separate builds | Ratio | "
             "vs 5 separate builds |",
             "|---|---|---|---|---|---|---|"]
    for n, r in sorted(results.items()):
        separate = n * single["seconds"]
        five = 5 * single["seconds"]
        lines.append(f"| {n} | {r['seconds']:.1f} s | {r['tree_peak'] / mb:.0f} MB | {r['max_process'] / mb:.0f} MB | "
                     f"{separate:.1f} s | {r['seconds'] / separate:.2f} | {r['seconds'] / five:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", default="1,5,20")
    parser.add_argument("--out", type=Path, default=BENCH / "results-editions.md")
    args = parser.parse_args()
    def write(single: dict, results: dict, note: str) -> str:
        text = report(single, results, note)
        args.out.write_text("# Benchmark results: district editions\n\nWritten by bench/editions.py.\n\n" + text)
        return text

    print(write(*run(sorted(int(c) for c in args.counts.split(",")), write)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
