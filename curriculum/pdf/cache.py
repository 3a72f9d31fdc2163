"""A content-hash cache of rendered PDFs (``.cache/pdf/`` under the project root).

The key covers everything that can change a PDF: the complete print HTML (content, repairs and the
filled-in template), the print template, print.css, the font files, the WeasyPrint version, the
paper size and the render code. An unchanged PDF is copied from the cache, never rendered again.
Entries are written atomically, so parallel builds can share the folder; entries unused for
``KEEP_DAYS`` are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

KEEP_DAYS = 30
RENDER_CODE = Path(__file__).with_name("render.py")


def weasyprint_version() -> str:
    """The installed WeasyPrint version, without importing it (importing takes a third of a second)."""
    return version("weasyprint")


def environment_key(template_fingerprint: str, paper: str) -> str:
    """The part of every key that does not depend on the page: template, CSS, fonts, versions."""
    digest = hashlib.sha256()
    for part in (template_fingerprint, paper, weasyprint_version(), RENDER_CODE.read_text(encoding="utf-8")):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def job_key(environment: str, html: str, assets: list[Path] | None = None) -> str:
    """The cache key of one PDF: its print HTML, the environment key and any local images it shows."""
    digest = hashlib.sha256(environment.encode())
    digest.update(html.encode())
    for path in assets or []:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


@dataclass
class Entry:
    pdf: Path
    pages: int


class PdfCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.pdf", self.folder / f"{key}.json"

    def get(self, key: str) -> Entry | None:
        pdf, meta = self._paths(key)
        try:
            pages = json.loads(meta.read_text())["pages"]
        except (OSError, ValueError, KeyError):
            return None
        if not pdf.is_file():
            return None
        now = time.time()
        os.utime(meta, (now, now))
        return Entry(pdf, int(pages))

    def put(self, key: str, data: bytes, pages: int) -> Entry:
        """Store atomically: the PDF first, then its page count (which marks the entry complete)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        pdf, meta = self._paths(key)
        for path, payload in ((pdf, data), (meta, json.dumps({"pages": pages}).encode())):
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temp, path)
        return Entry(pdf, pages)

    def copy(self, entry: Entry, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry.pdf, target)

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
                    meta.with_suffix(".pdf").unlink(missing_ok=True)
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
