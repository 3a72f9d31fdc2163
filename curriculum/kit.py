"""`python -m curriculum kit`: the offline kit, one zip a school can carry on a USB stick.

Unzipped, the folder opens from file:// with no network: navigation and search work (Material's
offline plugin, switched on by CURRICULUM_KIT=true in mkdocs.yml, and a local copy of its
iframe-worker shim), and it holds every PDF (and any other download) the site offers. Next to the
pages: ``about-this-kit.html`` (when the kit was built, and when each help line and link was last
reviewed and last reached by the link checker) and ``SHA256SUMS.txt`` (``sha256sum -c`` checks it).

The zip is made reproducibly where that is cheap: entries sorted, every timestamp fixed (to
SOURCE_DATE_EPOCH when set, else 1980-01-01), fixed permissions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from .build import mkdocs_command
from .errors import ContentError, Problem
from .registry import Registry

SHIM = Path("node_modules/iframe-worker/shim/index.js")      # npm package iframe-worker (package.json)
SHIM_URI = "assets/javascripts/iframe-worker-shim.js"        # where the kit's pages load it from
ABOUT = "about-this-kit.html"
MANIFEST = "SHA256SUMS.txt"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)                            # the earliest time a zip can hold


def shim_path(root: Path) -> Path:
    """The iframe-worker shim: without it, search from file:// silently does nothing."""
    path = root / SHIM
    if not path.is_file():
        raise ContentError([Problem(path, "the offline kit needs the iframe-worker package (it makes search "
                                          "work from file://)", hint="run `npm ci` (`make kit` does)")],
                           "the offline kit")
    return path


def stylesheets(site: Path) -> list[str]:
    """The theme's and the site's stylesheets, for the about page (Material's carry a hash in their name)."""
    found = sorted(site.glob("assets/stylesheets/main.*.min.css")) + [site / "assets/stylesheets/site.css"]
    return [p.relative_to(site).as_posix() for p in found if p.is_file()]


def built_at() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)


# -- the page about the kit (written by the build, so it uses the build's own registry) ---------------
def about_page(site_name: str, district_name: str, registry: Registry, reached: Mapping[str, dt.date],
               built: dt.datetime, stylesheets: Sequence[str] = ()) -> str:
    """The page, styled like the site when its stylesheets are given (paths relative to the site root)."""
    e = html.escape
    links = "".join(f'<link rel="stylesheet" href="{e(href)}">\n' for href in stylesheets)
    rows = []
    for resource in sorted(registry.resources.values(), key=lambda r: (r.tier != "critical", r.name.lower())):
        web = resource.web
        if web is None:
            checked = "a phone number or text code: not checked automatically, check before printing"
        elif web in reached:
            checked = reached[web].isoformat()
        else:
            checked = "not yet reached by the link checker: check before printing"
        rows.append(f"<tr><td>{e(resource.name)}</td><td>{e(resource.tier)}</td>"
                    f"<td>{resource.verified.isoformat()}</td><td>{e(checked)}</td></tr>")
    last = max(reached.values()).isoformat() if reached else None
    title = f"About this offline kit: {site_name}"
    edition = f"<p>Edition: {e(district_name)}.</p>" if district_name else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
{links}</head>
<body>
<div class="md-container"><main class="md-main"><div class="md-main__inner md-grid"><div class="md-content">
<article class="md-content__inner md-typeset">
<h1>{e(title)}</h1>
{edition}
<p><a href="index.html">Open the curriculum (index.html)</a>. Everything works from this folder with no
internet: pages, search, and every PDF. Links to outside help lines and websites need the internet.</p>
<h2>When this kit was made</h2>
<ul>
<li>Kit built: <strong>{built.strftime("%Y-%m-%d %H:%M UTC")}</strong>.</li>
<li>Help lines and links reviewed against their sources: the oldest review is
<strong>{registry.oldest_verified.isoformat()}</strong> (each one below).</li>
<li>{f"Links last reached by the link checker: <strong>{last}</strong>." if last else
     "No link has been reached by the link checker yet (<code>make linkcheck</code>): check them before printing."}</li>
</ul>
<p>Phone numbers and web addresses change. Before you print or teach from an old kit, check the
critical ones below on their official sites, or get a newer kit.</p>
<h2>Help lines and links in this kit</h2>
<table>
<thead><tr><th scope="col">Resource</th><th scope="col">Tier</th><th scope="col">Reviewed</th>
<th scope="col">Link last reached</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<h2>Is the kit complete?</h2>
<p><code>{MANIFEST}</code> lists a SHA-256 checksum for every file. On Linux or macOS, in this folder:
<code>sha256sum -c {MANIFEST}</code> (macOS: <code>shasum -a 256 -c {MANIFEST}</code>).</p>
<p>This is not legal advice. Laws differ by state; ask your district's legal counsel.</p>
</article>
</div></div></main></div>
</body>
</html>
"""


# -- the zip ---------------------------------------------------------------------------------------
def site_name(config: Path) -> str:
    """site_name from the config, following INHERIT (a district file inherits mkdocs.yml)."""
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)   # !ENV and friends: not needed here
    seen: set[Path] = set()
    while config not in seen:
        seen.add(config)
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader) or {}   # noqa: S506 - a SafeLoader
        if data.get("site_name"):
            return str(data["site_name"])
        if not data.get("INHERIT"):
            break
        config = (config.parent / str(data["INHERIT"])).resolve()
    return "site"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "site"


def files_of(folder: Path) -> list[tuple[str, Path]]:
    """Every file under ``folder`` by its relative name, in plain string order (as `sort` and zip listings show)."""
    return sorted((p.relative_to(folder).as_posix(), p) for p in folder.rglob("*") if p.is_file())


def manifest(folder: Path) -> str:
    lines = []
    for rel, path in files_of(folder):
        if rel != MANIFEST:
            lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {rel}")
    return "\n".join(lines) + "\n"


def zip_stamp() -> tuple[int, int, int, int, int, int]:
    """Every entry's time: SOURCE_DATE_EPOCH when set (reproducible builds), else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ZIP_EPOCH
    t = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return max(ZIP_EPOCH, (t.year, t.month, t.day, t.hour, t.minute, t.second))


def write_zip(folder: Path, out: Path, top: str) -> int:
    """Zip ``folder`` as ``top/...``: sorted, fixed times and modes. Returns the number of files."""
    stamp = zip_stamp()
    files = files_of(folder)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for rel, path in files:
            info = zipfile.ZipInfo(f"{top}/{rel}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3   # Unix, so the modes above are read everywhere the same way
            archive.writestr(info, path.read_bytes())
    return len(files)


def build_kit(config: str = "mkdocs.yml", out: str | None = None) -> int:
    """Build the kit's site (CURRICULUM_KIT=1) in a temporary folder and zip it to ``out``
    (default: dist/<site name>-kit.zip). A failed build leaves any previous zip untouched."""
    config_path = Path(config).resolve()
    name = f"{slug(site_name(config_path))}-kit"
    target = Path(out) if out else Path("dist") / f"{name}.zip"
    if target.suffix != ".zip":
        target = target / f"{name}.zip"
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".kit-building-", dir=target.parent))
    try:
        site = work / name
        # "true", not "1": Material's offline plugin wants a bool.
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CURRICULUM_KIT": "true"}
        result = subprocess.run(mkdocs_command(str(config_path), str(site)), env=env)
        if result.returncode != 0:
            print(f"\nKIT NOT MADE (the build failed, exit {result.returncode}). The messages above name each "
                  f"file to fix.", file=sys.stderr)
            return result.returncode
        missing = [p for p in (ABOUT, SHIM_URI, "search/search_index.js") if not (site / p).is_file()]
        if missing:
            print(f"KIT NOT MADE: the kit build did not write {', '.join(missing)} (is Material's offline plugin "
                  f"in {config_path.name}, switched on by CURRICULUM_KIT?)", file=sys.stderr)
            return 1
        (site / MANIFEST).write_text(manifest(site), encoding="utf-8")
        partial = work / f"{name}.zip"
        count = write_zip(site, partial, name)
        partial.replace(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = target.stat().st_size
    print(f"Kit: {target} ({count} files, {size / 1_000_000:.1f} MB)")
    return 0
