"""The linkcheck command: collect, check (unless offline), judge, report, and exit 0 / 1 / 2."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import yaml

from ..errors import ContentError
from ..registry import load_registry
from . import cache, report
from .collect import collect
from .fetch import Checker, Result, Settings
from .freshness import stale_entries
from .phones import check_numbers


def config_defaults(mkdocs_yml: Path, depth: int = 0) -> dict:
    """extra.linkcheck of a config file and the files it INHERITs (the file's own values win).
    Unknown YAML tags such as !ENV are ignored."""
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=Loader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    parent = data.get("INHERIT")
    inherited = config_defaults(mkdocs_yml.parent / parent, depth + 1) if isinstance(parent, str) and depth < 5 else {}
    return {**inherited, **((data.get("extra") or {}).get("linkcheck") or {})}


def parser(defaults: dict) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m curriculum linkcheck",
                                description="Check every external link and help line.")
    p.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                   help="the site's config file, for extra.linkcheck (default: mkdocs.yml; a district file works)")
    p.add_argument("--site", type=Path, default=Path("site"), help="built site folder (default: site)")
    p.add_argument("--registry", type=Path, default=Path("macros/resources.yml"))
    p.add_argument("--only", choices=["critical"], help="check only critical resources")
    p.add_argument("--offline", action="store_true", help="skip the network; check everything else")
    p.add_argument("--max-age", type=float, default=defaults.get("cache_days", 7),
                   help="reuse a good cached result for this many days (default 7)")
    p.add_argument("--freshness", type=int, default=defaults.get("freshness_days", 180),
                   help="list registry entries verified more than N days ago (default 180)")
    p.add_argument("--strict", action="store_true",
                   help="fail on stale registry entries and on unverified critical links")
    p.add_argument("--json", type=Path, help="write results as JSON")
    p.add_argument("--markdown", type=Path, default=Path(".cache/linkcheck-report.md"),
                   help="write a Markdown report (default .cache/linkcheck-report.md)")
    p.add_argument("--cache", type=Path, default=Path(".cache/linkcheck.json"))
    p.add_argument("--timeout", type=float, default=defaults.get("timeout", 20.0), help="read timeout, seconds")
    p.add_argument("--total-timeout", type=float, default=defaults.get("total_timeout", 600.0))
    p.add_argument("--retries", type=int, default=defaults.get("retries", 3))
    p.add_argument("--backoff", type=float, default=defaults.get("backoff", 2.0))
    p.add_argument("--spacing", type=float, default=defaults.get("spacing", 1.0))
    return p


def main(argv: list[str] | None = None) -> int:
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
    known, _ = first.parse_known_args(argv)
    args = parser(config_defaults(known.config)).parse_args(argv)
    try:
        registry = load_registry(args.registry)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    site = args.site if args.site.is_dir() else None
    if site is None:
        print(f"note: no built site at {args.site}; checking the registry only (run `make site` first)")
    targets = collect(registry, site)
    if args.only:
        targets = [t for t in targets if t.tier == args.only]

    other = [("error", p) for p in check_numbers(registry, site)]
    other += [("error" if args.strict else "warning", p) for p in stale_entries(registry, args.freshness)]

    if args.offline:
        results = {t.url: Result(t.url, "ok", None, None, "not fetched (offline)") for t in targets}
    else:
        fresh = cache.load(args.cache, args.max_age)
        todo = [t.url for t in targets if t.url not in fresh]
        settings = Settings(read_timeout=args.timeout, retries=args.retries, backoff=args.backoff,
                            spacing=args.spacing, total_timeout=args.total_timeout)
        checked = asyncio.run(Checker(settings).check_all(todo))
        results = {**fresh, **checked}
        cache.save(args.cache, {**cache.load(args.cache, float("inf")), **results})

    found = report.findings(targets, results, args.strict)
    print(report.summary(found, other, args.offline))
    if args.json:
        report.write_json(args.json, found, other)
    if args.markdown:
        report.write_markdown(args.markdown, found, other)
    failed = any(f.level == "error" for f in found) or any(level == "error" for level, _ in other)
    return 1 if failed else 0
