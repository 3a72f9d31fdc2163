"""`python -m curriculum editions DIR`: one site per district file in DIR, in site-editions/<name>/.

Every edition is checked before any is built, so a mistake in the twentieth file is reported at
once, not after nineteen builds. The editions are built one after another from the same project, so
they share one PDF cache (.cache/pdf): a document whose print HTML holds no district value is
rendered once for all of them (curriculum/outputs/cache.py writes entries atomically, so editions
built at the same time, e.g. CI jobs sharing the folder, are safe too).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from . import build
from .district import load_district_file
from .errors import ContentError, Problem


def district_files(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def check_all(files: list[Path]) -> list[Problem]:
    problems: list[Problem] = []
    for path in files:
        try:
            load_district_file(path)
        except ContentError as error:
            problems += error.problems
    return problems


def editions(folder: str, config: str = "mkdocs.yml", out: str = "site-editions") -> int:
    files = district_files(Path(folder)) if Path(folder).is_dir() else []
    if not files:
        print(f"{folder}: no district files (*.yml) found: put one district file per edition there "
              "(start from district.example.yml)", file=sys.stderr)
        return 2
    problems = check_all(files)
    if problems:
        print(ContentError(problems, f"the district files in {folder}").report(), file=sys.stderr)
        return 1
    started = time.perf_counter()
    for n, path in enumerate(files, 1):
        print(f"edition {n} of {len(files)}: {path.stem}", flush=True)
        code = build.build(config, str(Path(out) / path.stem), env={"CURRICULUM_DISTRICT": str(path.resolve())})
        if code != 0:
            print(f"edition {path.stem} ({path}) failed; the editions after it were not built", file=sys.stderr)
            return code
    print(f"Built {len(files)} editions into {out}/ in {time.perf_counter() - started:.0f} s")
    return 0
