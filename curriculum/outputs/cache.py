"""A content-hash cache shared by every output family (``.cache/<family>/`` under the project root).

A key covers everything that can change a file: what it is made from (the complete print HTML, slide
model or document), the templates and fonts, the library versions and the code that makes it. An
unchanged file is copied from the cache, never made again. Entries are written atomically, so
parallel builds (and many district editions) can share one folder; entries unused for ``KEEP_DAYS``
are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

KEEP_DAYS = 30


def content_key(*parts: str | bytes, files: Iterable[Path] = ()) -> str:
    """A SHA-256 over ``parts`` (each kept apart from the next) and the names and bytes of ``files``."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


@dataclass
class Entry:
    path: Path
    meta: dict = field(default_factory=dict)    # e.g. {"pages": 3}; written with the file

    @property
    def pages(self) -> int:
        return int(self.meta.get("pages", 0))


class ContentCache:
    def __init__(self, folder: Path, suffix: str):
        self.folder = Path(folder)
        self.suffix = suffix

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}{self.suffix}", self.folder / f"{key}.json"

    def get(self, key: str) -> Entry | None:
        data, meta = self._paths(key)
        try:
            info = json.loads(meta.read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(info, dict) or not data.is_file():
            return None
        now = time.time()
        os.utime(meta, (now, now))
        return Entry(data, info)

    def put(self, key: str, data: bytes, **meta) -> Entry:
        """Store atomically: the file first, then its metadata (which marks the entry complete)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target, info = self._paths(key)
        for path, payload in ((target, data), (info, json.dumps(meta).encode())):
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.chmod(temp, 0o644)
            os.replace(temp, path)
        return Entry(target, meta)

    def copy(self, entry: Entry, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry.path, target)

    def prune(self, keep_days: int = KEEP_DAYS) -> int:
        """Remove entries not used for ``keep_days`` days; return how many were removed."""
        if not self.folder.is_dir():
            return 0
        limit = time.time() - keep_days * 86400
        removed = 0
        for meta in self.folder.glob("*.json"):
            try:
                if meta.stat().st_mtime < limit:
                    meta.unlink()
                    meta.with_suffix(self.suffix).unlink(missing_ok=True)
                    removed += 1
            except OSError:
                continue
        for temp in self.folder.glob(".tmp-*"):
            try:
                if temp.stat().st_mtime < time.time() - 3600:
                    temp.unlink()
            except OSError:
                continue
        return removed
