"""``python -m curriculum translations``: which translations are stale, and what changed in English.

    python -m curriculum translations            list every translation; exit 1 when one is stale
    python -m curriculum translations --diff     also show the English diff since the recorded hash
    python -m curriculum translations --scores site
                                                 also print each translation's Fernández-Huerta reading
                                                 ease, measured on the built page as the build's rule does
    python -m curriculum translations --confirm handouts/resource-card.es.md
                                                 record the English source's hash today (after updating
                                                 the translation, or re-reading it and finding it current)

The English text a translation was made from is found in git history: the latest commit in which
the English file has the recorded hash (a shallow clone may not hold it; the command says so).
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
from pathlib import Path

from . import i18n
from .errors import ContentError

FOLDERS = ("docs", "handouts")


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None
    return done.stdout if done.returncode == 0 else None


def text_at_hash(root: Path, source: str, wanted: str) -> str | None:
    """The English source's text whose content hash is ``wanted``, from git history (newest first)."""
    commits = _git(root, "log", "--format=%H", "--", source)
    for commit in (commits or "").split():
        text = _git(root, "show", f"{commit}:{source}")
        if text is not None and i18n.content_hash(text) == wanted:
            return text
    return None


def english_diff(root: Path, status: i18n.Status) -> str:
    old = text_at_hash(root, status.source, status.recorded)
    if old is None:
        return (f"  (the English text with hash {status.recorded} is not in this clone's git history: compare "
                f"{status.path} with {status.source} by hand)\n")
    new = (root / status.source).read_text(encoding="utf-8")
    diff = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                f"{status.source} (translated from {status.recorded})",
                                f"{status.source} (now {status.current})")
    return "".join(diff)


def confirm(root: Path, path: str) -> str:
    """Write the English source's hash today into the translation's ``source_hash``."""
    target = (root / path).resolve()
    status, problems = i18n.status_of(target, root)
    if problems or status is None:
        raise ContentError(problems)
    text = target.read_text(encoding="utf-8")
    new, count = re.subn(r'^(source_hash:\s*)["\']?[^"\'\n]*["\']?\s*$', rf'\g<1>"{status.current}"', text,
                         count=1, flags=re.M)
    if count != 1:
        raise ContentError([i18n.stale_problem(status)])
    target.write_text(new, encoding="utf-8")
    return status.current


def reading_ease(site: Path, status: i18n.Status) -> float | None:
    """The reading ease of a built translation's content, as rule 'reading-level' measures it (the
    notices the plugin adds around the content are not counted, as the rule does not see them)."""
    from lxml import html as lxml_html

    from .rules.reading import readable_text, spanish_ease

    page = site / i18n.dest_uri(status.path.removeprefix("docs/"))
    if not page.is_file():
        return None
    found = lxml_html.parse(str(page)).getroot().xpath('//article[contains(@class, "md-content__inner")]')
    if not found:
        return None
    article = found[0]
    for extra in article.xpath('.//*[contains(@class, "fir-unreviewed") or contains(@class, "fir-fallback")]'):
        extra.drop_tree()
    return spanish_ease(readable_text(article))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m curriculum translations", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".", help="the project folder (where mkdocs.yml is)")
    parser.add_argument("--diff", action="store_true", help="show the English changes since each stale translation")
    parser.add_argument("--scores", metavar="SITE", help="print each translation's reading ease on the built SITE")
    parser.add_argument("--confirm", metavar="FILE", help="record the English source's current hash in FILE")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    try:
        if args.confirm:
            print(f"{args.confirm}: source_hash is now {confirm(root, args.confirm)}")
            return 0
        found, problems = i18n.statuses(root, [f for f in FOLDERS if (root / f).is_dir()])
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    stale = [s for s in found if s.stale]
    for s in found:
        state = "STALE" if s.stale else "current"
        review = f"reviewed by {s.reviewed_by}" if s.reviewed else "not reviewed by a fluent reader"
        score = ""
        if args.scores:
            ease = reading_ease(Path(args.scores), s)
            score = f"; Fernández-Huerta {ease}" if ease is not None else "; not built"
        print(f"{state:8} {s.path}  (from {s.source}; {review}; made by: {s.translated_by}{score})")
        if s.stale and args.diff:
            print(english_diff(root, s))
    print(f"{len(found)} translation{'s' if len(found) != 1 else ''}, {len(stale)} stale")
    return 1 if stale or problems else 0
