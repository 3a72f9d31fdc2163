"""Command line: `python -m curriculum <command>`."""

from __future__ import annotations

import argparse
import sys

from . import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m curriculum", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build the site (PDFs and Word copies too) into site/, safely")
    b.add_argument("--config", default="mkdocs.yml", help="MkDocs config file (default: mkdocs.yml)")
    b.add_argument("--site", default="site", help="output folder (default: site)")
    k = commands.add_parser("kit", help="build the offline kit: one zip that opens from file:// (dist/)")
    k.add_argument("--config", default="mkdocs.yml", help="MkDocs config file (default: mkdocs.yml)")
    k.add_argument("--out", default=None, help="the zip, or a folder for it (default: dist/<site name>-kit.zip)")
    e = commands.add_parser("editions", help="build one site per district file in a folder, sharing the PDF cache")
    e.add_argument("folder", help="a folder of district files (see district.example.yml)")
    e.add_argument("--config", default="mkdocs.yml", help="MkDocs config file (default: mkdocs.yml)")
    e.add_argument("--out", default="site-editions", help="where each edition's site goes (default: site-editions)")
    commands.add_parser("linkcheck", help="check external links and help lines (see --help)", add_help=False)
    if argv is None:
        argv = sys.argv[1:]
    commands.add_parser("translations", help="list stale translations, show the English diff (see --help)",
                        add_help=False)
    if argv[:1] == ["translations"]:
        from .translations import main as translations
        return translations(argv[1:])
    if argv[:1] == ["linkcheck"]:
        from .linkcheck.run import main as linkcheck
        return linkcheck(argv[1:])
    args = parser.parse_args(argv)
    if args.command == "build":
        return build.build(args.config, args.site)
    if args.command == "kit":
        from .kit import build_kit
        return build_kit(args.config, args.out)
    if args.command == "editions":
        from .editions import editions
        return editions(args.folder, args.config, args.out)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
