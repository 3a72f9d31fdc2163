"""`python -m curriculum build`: build the site into a temporary folder, then swap it into place.

A failed build leaves the previous site/ exactly as it was: never half a site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def mkdocs_command(config: str, site_dir: str) -> list[str]:
    # Never "-q" with "--strict": quiet mode hides the warnings that strict mode turns into failure.
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", config, "--site-dir", site_dir]


def build(config: str = "mkdocs.yml", site: str = "site", env: dict[str, str] | None = None) -> int:
    target = Path(site).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    result = subprocess.run(mkdocs_command(config, str(staging)),
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"\nBUILD FAILED (exit {result.returncode}). The messages above name each file to fix.\n"
              f"The previous {target.name}/ was left untouched.", file=sys.stderr)
        return result.returncode
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Built {target}")
    return 0
