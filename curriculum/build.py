"""`python -m curriculum build`: build the site into a temporary folder, then swap it into place.

A failed build leaves the previous site/ exactly as it was: never half a site. The site folder is
safe to publish and to rebuild:

- one build at a time per folder (a lock file next to it); a second build waits, and says so;
- the finished folder replaces the old one in one atomic exchange (``renameat2(RENAME_EXCHANGE)`` on
  Linux), so site/ never disappears, even for a moment, while a web server is reading it;
- site/ is readable by everyone (a web server running as another user, ``cp -a``, ``rsync -a``);
- a build that was killed leaves a staging folder, which the next build removes.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import configfile
from .errors import ContentError


def mkdocs_command(config: str, site_dir: str) -> list[str]:
    # Never "-q" with "--strict": quiet mode hides the warnings that strict mode turns into failure.
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", config, "--site-dir", site_dir]


def preflight(config: Path) -> ContentError | None:
    """What MkDocs would read without complaint, or with a traceback: a config file in another encoding,
    a duplicate key, a district file without its INHERIT line. None when the config is fine."""
    try:
        files = configfile.chain(config)
    except ContentError as error:
        return error
    missing = configfile.missing_inherit(files)
    return ContentError([missing], "the site's config") if missing else None


@contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold the build lock of ``target``; a second build in the same folder waits for the first."""
    lock_path = target.with_name(f".{target.name}.lock")
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Another build of {target.name}/ is running (lock: {lock_path.name}); waiting for it to finish...",
                  file=sys.stderr, flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def leftovers(target: Path) -> list[Path]:
    """Staging and old folders of builds that were killed (only called while holding the lock)."""
    return sorted([*target.parent.glob(f".{target.name}-building-*"), *target.parent.glob(f".{target.name}-old")])


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 with RENAME_EXCHANGE); False where not supported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_into_place(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is, atomically when the system allows it; the old site goes."""
    if not target.exists():
        staging.rename(target)
        return
    if _renameat2_exchange(staging, target):
        shutil.rmtree(staging)          # now holds the old site
        return
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def build(config: str = "mkdocs.yml", site: str = "site", env: dict[str, str] | None = None) -> int:
    problem = preflight(Path(config))
    if problem is not None:
        print(f"{problem.report()}\n\nBUILD FAILED. The previous {Path(site).name}/ was left untouched.",
              file=sys.stderr)
        return 1
    target = Path(site).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target):
        for stale in leftovers(target):
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask | 0o755)   # mkdtemp makes it 0700: a web server could not read it
        try:
            result = subprocess.run(mkdocs_command(config, str(staging)),
                                    env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            print(f"\nBUILD FAILED (exit {result.returncode}). The messages above name each file to fix.\n"
                  f"The previous {target.name}/ was left untouched.", file=sys.stderr)
            return result.returncode
        swap_into_place(staging, target)
    print(f"Built {target}")
    return 0
