"""The thin adapter between MkDocs and the engine. The only module that imports mkdocs.

It adds lessons/ and handouts/ to the site, generates the catalog pages, inserts each lesson's
"at a glance" box, and after the build runs the HTML checks, then the PDF step (curriculum/pdf/).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from . import catalog, htmlcheck, pdf
from .content import Content, collect
from .district import District, load_district
from .errors import ContentError
from .registry import Registry, load_registry
from .schemas import BANDS

log = get_plugin_logger(__name__)
GENERATED_NAV_ORDER = {catalog.FAMILY_PAGE: 50}


def nav_order(path: Path) -> int:
    """The 'order:' in a page's front matter (99 when absent), for "@folder:" navigation."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---", text, flags=re.S)
    order = re.search(r"^order:\s*(\d+)", match.group(1), flags=re.M) if match else None
    return int(order.group(1)) if order else 99


def folder_nav(docs_dir: Path, folder: str) -> list[str]:
    """A docs/ folder's pages: index.md first, then by front-matter 'order', then file name."""
    pages = {p.relative_to(docs_dir).as_posix(): nav_order(p) for p in (docs_dir / folder).glob("*.md")}
    pages.update({uri: order for uri, order in GENERATED_NAV_ORDER.items() if uri.startswith(folder + "/")})
    return sorted(pages, key=lambda uri: (not uri.endswith("/index.md"), pages[uri], uri))


class CurriculumConfig(Config):
    lessons_dir = c.Type(str, default="lessons")
    handouts_dir = c.Type(str, default="handouts")
    registry = c.Type(str, default="macros/resources.yml")
    site_checks = c.Type(bool, default=True)
    # PDFs (curriculum/pdf/). CURRICULUM_PDF=0 in the environment turns them off (make serve does).
    pdf = c.Type(bool, default=True)
    paper = c.Choice(("letter", "a4"), default="letter")
    pdf_workers = c.Type(int, default=0)          # 0: one per CPU core
    pdf_cache = c.Type(str, default=".cache/pdf")
    print_template = c.Optional(c.Type(str))   # default: print/ in the theme's custom_dir (overrides/print)


class CurriculumPlugin(BasePlugin[CurriculumConfig]):
    """Registered as the ``curriculum`` plugin (see pyproject.toml)."""

    root: Path
    registry: Registry
    district: District
    content: Content

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        try:
            self.registry = load_registry(self.root / self.config.registry)
            self.district = load_district(config.extra.get("district"))
            self.content = collect(self.root, self.config.lessons_dir, self.config.handouts_dir)
        except ContentError as error:
            raise PluginError(error.report()) from None
        self.page_html: dict[str, str] = {}
        self.page_inputs: dict[str, pdf.PageInput] = {}
        self.pdf_on = pdf.pdf_enabled(self.config.pdf)
        self.pdf_report: pdf.Report | None = None
        self._staff: list[str] | None = None
        custom_dir = config.theme.custom_dir or str(self.root / "overrides")
        self.template_dir = (self.root / self.config.print_template if self.config.print_template
                             else Path(custom_dir) / "print").resolve()
        self.docs_dir = Path(config.docs_dir)
        config.nav = self._expand_nav(config.nav)
        return config

    # -- navigation ------------------------------------------------------------------------------
    def _lesson_nav(self) -> list:
        nav: list = [{"K-12 scope and sequence": catalog.SCOPE_PAGE}]
        for band, title in BANDS.items():
            lessons = self.content.band(band)
            if lessons:
                nav.append({title: [catalog.catalog_page(band),
                                    *[{l.meta.title: l.path.as_posix()} for l in lessons],
                                    {"Vocabulary": catalog.glossary_page(band)}]})
        return nav

    def _handout_nav(self) -> list:
        nav: list = []
        for audience in ("students", "families", "staff"):
            items = [{h.meta.title: h.path.as_posix()} for h in self.content.handouts.values()
                     if h.meta.audience == audience]
            if items:
                nav.append({f"For {audience}": items})
        return nav

    def _folder_nav(self, folder: str) -> list[str]:
        return folder_nav(self.docs_dir, folder)

    def _expand_nav(self, nav):
        """Replace the "@lessons", "@handouts" and "@folder:<name>" placeholders in mkdocs.yml's nav."""
        if isinstance(nav, list):
            out = []
            for item in nav:
                if item == "@lessons":
                    out.extend(self._lesson_nav())
                elif item == "@handouts":
                    out.extend(self._handout_nav())
                elif isinstance(item, str) and item.startswith("@folder:"):
                    out.extend(self._folder_nav(item.removeprefix("@folder:")))
                else:
                    out.append(self._expand_nav(item))
            return out
        if isinstance(nav, dict):
            return {k: self._expand_nav(v) for k, v in nav.items()}
        return nav

    # -- files -----------------------------------------------------------------------------------
    def on_files(self, files: Files, config) -> Files:
        for handout in self.content.handouts.values():
            files.append(self._file(handout.path.as_posix(), config))
        for lesson in self.content.lessons:
            files.append(self._file(lesson.path.as_posix(), config))
        generated = {catalog.SCOPE_PAGE: catalog.scope_and_sequence(self.content),
                     catalog.HANDOUTS_PAGE: catalog.handout_index(self.content),
                     catalog.FAMILY_PAGE: catalog.family_learning(self.content)}
        for band in BANDS:
            if self.content.band(band):
                generated[catalog.catalog_page(band)] = catalog.band_catalog(self.content, band)
                generated[catalog.glossary_page(band)] = catalog.glossary(self.content, band)
        for src_uri, text in generated.items():
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content=text))
        # The print template (overrides/print/) is for the PDFs, not a file of the web site.
        for file in list(files):
            if file.abs_src_path and Path(file.abs_src_path).resolve().is_relative_to(self.template_dir):
                files.remove(file)
        return files

    def _file(self, src_uri: str, config) -> File:
        return File(src_uri, str(self.root), config.site_dir, config.use_directory_urls,
                    inclusion=InclusionLevel.INCLUDED)

    # -- pages -----------------------------------------------------------------------------------
    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        lesson = self.content.lesson_at(page.file.src_uri)
        if lesson is not None:
            markdown = catalog.insert_after_h1(markdown, catalog.at_a_glance(lesson, self.content))
        return markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        handout = self.content.handout_at(page.file.src_uri)
        if handout is not None and handout.meta.lang != config.theme.get("language", "en"):
            # The page is in another language than the site: say so, for screen readers (WCAG 3.1.2).
            html = f'<div lang="{handout.meta.lang}">\n{html}\n</div>'
        self.page_html[page.file.src_uri] = html
        self.page_inputs[page.file.src_uri] = pdf.PageInput(page.file.src_uri, page.url, page.title or "", html)
        return html

    def _staff_pages(self) -> list[str]:
        """docs/staff/ pages in navigation order: they make up the staff packet."""
        if self._staff is None:
            self._staff = self._folder_nav("staff") if (self.docs_dir / "staff").is_dir() else []
        return self._staff

    def _pdf_for(self, src_uri: str) -> tuple[str, str] | None:
        """(PDF file name, button text) for a page that has a PDF."""
        handout = self.content.handout_at(src_uri)
        if handout is not None:
            return f"{handout.slug}.pdf", "Download PDF"
        lesson = self.content.lesson_at(src_uri)
        if lesson is not None:
            return f"{pdf.packets.lesson_slug(lesson)}.pdf", "Download PDF"
        for band, title in BANDS.items():
            if src_uri == catalog.catalog_page(band) and self.content.band(band):
                return pdf.packets.band_packet_name(band), f"Download the {title} packet (PDF)"
        if src_uri in self._staff_pages():
            return pdf.packets.STAFF_PACKET, "Download the staff packet (PDF)"
        return None

    def on_page_context(self, context, page, config, nav):
        """Tell overrides/main.html which PDF this page has: it shows "Download PDF" and "Print"."""
        target = self._pdf_for(page.file.src_uri) if self.pdf_on else None
        if target is not None:
            page.meta["pdf_href"] = get_relative_url(f"pdf/{target[0]}", page.url)
            page.meta["pdf_label"] = target[1]
        return context

    # -- after the build -------------------------------------------------------------------------
    def pdf_settings(self, config) -> pdf.Settings:
        return pdf.Settings(
            root=self.root, site_dir=Path(config.site_dir), template_dir=self.template_dir,
            cache_dir=self.root / self.config.pdf_cache, paper=self.config.paper, workers=self.config.pdf_workers,
            site_name=config.site_name or "", site_url=config.site_url or "",
            district_name=self.district.name, verified=self.registry.oldest_verified)

    def pdf_jobs(self, config) -> list:
        """Plan every PDF (no rendering yet). Raises ContentError."""
        return pdf.plan(self.content, self.page_inputs, self._staff_pages(), self.registry,
                        self.pdf_settings(config), docs_dir=self.docs_dir.name)

    def on_post_build(self, config) -> None:
        site = Path(config.site_dir)
        reports: list[str] = []
        jobs: list = []
        if self.pdf_on:
            linked = {target[0] for uri in self.page_inputs if (target := self._pdf_for(uri))}
            try:
                jobs = self.pdf_jobs(config)
                unplanned = sorted(linked - {job.name for job in jobs})
                if unplanned:
                    reports.append(f"Pages link to PDFs the PDF step does not make: {', '.join(unplanned)}")
            except ContentError as error:
                reports.append(error.report())
            # The pages link to PDFs that are written after the HTML checks; reserve their names so the
            # link check sees them. A failed PDF step removes the whole folder: no stale or empty PDF.
            (site / "pdf").mkdir(parents=True, exist_ok=True)
            for name in linked | {job.name for job in jobs}:
                (site / "pdf" / name).touch()
        try:
            if self.config.site_checks:
                problems = htmlcheck.all_problems(site, self.registry.urls, config.site_url or "")
                if problems:
                    reports.insert(0, ContentError(problems, "the built site").report())
            if reports:
                raise PluginError("\n".join(reports))
            if self.pdf_on:
                try:
                    self.pdf_report = pdf.run(jobs, self.pdf_settings(config), log=log.info, warn=log.warning)
                except ContentError as error:
                    raise PluginError(error.report()) from None
        except BaseException:
            shutil.rmtree(site / "pdf", ignore_errors=True)
            raise

    def on_serve(self, server, config, builder):
        for folder in (self.config.lessons_dir, self.config.handouts_dir, "snippets", "macros"):
            path = self.root / folder
            if path.is_dir():
                server.watch(str(path))
        return server
