"""The thin adapter between MkDocs and the engine: MkDocs events in, engine calls out, nothing else.
The only module that imports mkdocs.

Order (event priorities, not the order of mkdocs.yml's plugin list): the registry, district and
content are loaded and every content rule is run before the macros plugin starts (``on_config``,
early); a lesson's "at a glance" box is added after the macros have rendered the page, so no
front-matter text is ever read as a template (``on_page_markdown``, late); the built site is checked
and the outputs made after every other plugin has finished (``on_post_build``, late).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from . import catalog, htmlcheck, nav, rules
from .content import Content, collect
from .district import District, brand_css, load_district, load_district_file
from .errors import ContentError
from .linkcheck.cache import reached as linkcheck_reached
from .outputs import pdf
from .outputs.inputs import PageInput
from .outputs.plan import Download, OutputPlan
from .registry import Registry, load_registry
from .words import words

log = get_plugin_logger(__name__)


class Switch(c.Type):
    """On or off: true/false, and also 1/0, on/off and yes/no (as an environment variable gives them)."""

    WORDS = {"1": True, "true": True, "on": True, "yes": True, "0": False, "false": False, "off": False, "no": False}

    def __init__(self, default: bool):
        super().__init__(bool, default=default)

    def run_validation(self, value: object) -> bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in self.WORDS:
            return self.WORDS[word]
        raise ValidationError(f"expected true or false (or 1 / 0), not {value!r}")


class CurriculumConfig(Config):
    lessons_dir = c.Dir(default="lessons")
    handouts_dir = c.Dir(default="handouts")
    snippets_dir = c.Dir(default="snippets")
    registry = c.File(default="macros/resources.yml")
    site_checks = c.Type(bool, default=True)
    # PDFs. mkdocs.yml sets `pdf: !ENV [CURRICULUM_PDF, true]`: CURRICULUM_PDF=0 turns them off (make serve).
    pdf = Switch(default=True)
    paper = c.Choice(("letter", "a4"), default="letter")
    pdf_workers = c.Type(int, default=0)          # 0: one per CPU core
    pdf_cache = c.Dir(default=".cache/pdf")
    # The link checker's results (make linkcheck): when each link was last reached, printed honestly.
    linkcheck_cache = c.Type(str, default=".cache/linkcheck.json")
    print_template = c.Optional(c.Dir(exists=True))   # default: print/ in the theme's custom_dir
    # A district file (district.example.yml): `make site DISTRICT=district.yml` sets CURRICULUM_DISTRICT.
    district = c.Type(str, default="")
    facts = c.Type(str, default="reference/facts.md")  # its must-check list is on the before-you-print page


class CurriculumPlugin(BasePlugin[CurriculumConfig]):
    """Registered as the ``curriculum`` plugin (see pyproject.toml)."""

    root: Path
    registry: Registry
    district: District
    content: Content
    plan: OutputPlan

    @event_priority(50)
    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        self.docs_dir = Path(config.docs_dir)
        custom_dir = config.theme.custom_dir or str(self.root / "overrides")
        self.template_dir = Path(self.config.print_template or Path(custom_dir) / "print").resolve()
        self.page_inputs: dict[str, PageInput] = {}
        self.pdf_report: pdf.Report | None = None
        try:
            self.registry = load_registry(Path(self.config.registry))
            self.link_reached = linkcheck_reached(self.root / self.config.linkcheck_cache)
            self.district = self._load_district(config)
            self.content = collect(self.root, self._rel(self.config.lessons_dir), self._rel(self.config.handouts_dir),
                                   self._rel(self.config.snippets_dir))
            self.documents = self._check_sources()
            config.nav = nav.expand(config.nav, self.content, self.docs_dir)
            staff = nav.folder_pages(self.docs_dir, "staff") if (self.docs_dir / "staff").is_dir() else []
            self.plan = OutputPlan()
            self.pdf_jobs: list = []
            if self.config.pdf:
                self.pdf_jobs, problems = pdf.plan_jobs(self.content, staff, config.site_name or "",
                                                        self._rel(str(self.docs_dir)))
                if problems:
                    raise ContentError(problems, "the PDFs")
                for job in self.pdf_jobs:
                    for src_uri in job.shown_on:
                        self.plan.add(src_uri, Download(f"pdf/{job.name}", job.button, "pdf", job.lang))
        except ContentError as error:
            raise PluginError(error.report()) from None
        return config

    def _load_district(self, config) -> District:
        """The district file when one is given, else extra.district (the older flat form); its name,
        logo, colours and paper size reach the header and the PDFs."""
        self.district_file: Path | None = None
        if self.config.district:
            self.district_file = (self.root / self.config.district).resolve()
            district = load_district_file(self.district_file)
        else:
            district = load_district(config.extra.get("district"))
        if not district.configured:
            log.info("No district configured: pages use neutral wording (\"your school counselor or principal\"). "
                     "To name your people, build with a district file: make site DISTRICT=district.yml")
        # The PDFs keep the project's name (their documents are shared between editions); the cover and
        # footer name the district.
        self.project_name = config.site_name or ""
        if district.short_name:
            config.site_name = f"{config.site_name}: {district.short_name}"
        if district.logo:
            self.logo_uri = f"assets/district/logo{Path(district.logo).suffix.lower()}"
            config.theme["logo"] = self.logo_uri
        if district.colors is not None:
            config.extra_css.append(self.BRAND_CSS)
        return district

    BRAND_CSS = "assets/stylesheets/district.css"

    @property
    def paper(self) -> str:
        return self.district.paper or self.config.paper

    def _rel(self, path: str) -> str:
        """A configured folder as the engine names it: relative to the project when inside it."""
        resolved = Path(path).resolve()
        return resolved.relative_to(self.root).as_posix() if resolved.is_relative_to(self.root) else str(resolved)

    def _check_sources(self) -> dict[str, rules.Document]:
        """Run every content rule on every Markdown source; returns the documents by page src_uri."""
        folders = [self._rel(p) for p in (str(self.docs_dir), self.config.lessons_dir, self.config.handouts_dir,
                                          self.config.snippets_dir) if Path(p).is_dir()]
        documents, problems = rules.documents(self.root, folders)
        self.rules_context = rules.Context(self.registry, rules.snippets_of(documents))
        outcome = rules.run(documents, self.rules_context)
        for note in outcome.notes:
            log.info(note)
        if problems or outcome.problems:
            raise ContentError(problems + outcome.problems, "the content (content rules)")
        docs_prefix = self._rel(str(self.docs_dir)) + "/"
        return {d.path.removeprefix(docs_prefix): d for d in documents if d.kind != "snippet"}

    # -- files -----------------------------------------------------------------------------------
    def on_files(self, files: Files, config) -> Files:
        paths = [h.path for h in self.content.handouts.values()] + [lesson.path for lesson in self.content.lessons]
        for path in paths:
            files.append(File(path.as_posix(), str(self.root), config.site_dir, config.use_directory_urls,
                              inclusion=InclusionLevel.INCLUDED))
        if self.district.logo:
            files.append(File.generated(config, self.logo_uri, abs_src_path=self.district.logo))
        if self.district.colors is not None:
            files.append(File.generated(config, self.BRAND_CSS, content=brand_css(self.district)))
        for src_uri, text in catalog.generated_pages(self.content).items():
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content=text))
        # The print template (overrides/print/) is for the PDFs, not a file of the web site.
        for file in list(files):
            if file.abs_src_path and Path(file.abs_src_path).resolve().is_relative_to(self.template_dir):
                files.remove(file)
        return files

    def on_nav(self, nav, config, files):
        self.nav = nav
        return nav

    def site_pages(self) -> dict[str, pdf.SitePage]:
        """Every page of the site by its path ("/families/x/"): its title and the sections above it in
        the navigation, so a printed handout can say where on the site to find a page it names."""
        found: dict[str, pdf.SitePage] = {}

        def walk(items, trail: tuple[str, ...]) -> None:
            for item in items:
                if getattr(item, "is_page", False) and item.file is not None:
                    title = item.title or item.file.name
                    found.setdefault("/" + item.url.lstrip("/"), pdf.SitePage(title, trail))
                elif getattr(item, "children", None):
                    walk(item.children, (*trail, item.title) if item.title else trail)

        if getattr(self, "nav", None) is not None:
            walk(self.nav.items, ())
        return found

    # -- pages -----------------------------------------------------------------------------------
    @event_priority(-50)
    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        lesson = self.content.lesson_at(page.file.src_uri)
        if lesson is not None:
            markdown = catalog.insert_after_h1(markdown, catalog.at_a_glance(lesson, self.content))
        return markdown

    @event_priority(-100)
    def on_page_content(self, html: str, page, config, files) -> str:
        handout = self.content.handout_at(page.file.src_uri)
        if handout is not None and handout.meta.lang != config.theme.get("language", "en"):
            # The page is in another language than the site: say so, for screen readers (WCAG 3.1.2).
            html = f'<div lang="{handout.meta.lang}">\n{html}\n</div>'
        self.page_inputs[page.file.src_uri] = PageInput(page.file.src_uri, page.url, page.title or "", html)
        return html

    def on_page_context(self, context, page, config, nav):
        """The page's download buttons (overrides/main.html shows them)."""
        downloads = self.plan.for_page(page.file.src_uri)
        page.meta["downloads"] = [{"href": get_relative_url(d.file, page.url), "label": d.label, "lang": d.lang}
                                  for d in downloads]
        page.meta["print_label"] = words(downloads[0].lang if downloads else "en")["print"]
        return context

    # -- after the build -------------------------------------------------------------------------
    def pdf_settings(self, config) -> pdf.Settings:
        return pdf.Settings(
            root=self.root, site_dir=Path(config.site_dir), template_dir=self.template_dir,
            cache_dir=Path(self.config.pdf_cache), paper="a4" if self.paper == "a4" else "letter",
            workers=self.config.pdf_workers,
            site_name=self.project_name, site_url=config.site_url or "",
            district_name=self.district.name, reviewed=self.registry.oldest_verified,
            reached=self.link_reached)

    @event_priority(-50)
    def on_post_build(self, config) -> None:
        site = Path(config.site_dir)
        try:
            rendered = [rules.Rendered(self.documents[uri], page.html)
                        for uri, page in self.page_inputs.items() if uri in self.documents]
            problems = rules.run(rendered, self.rules_context, rendered=True).problems
            if self.config.site_checks:
                problems += htmlcheck.all_problems(site, self.registry.urls, config.site_url or "",
                                                   planned=self.plan.files)
            if problems:
                raise ContentError(problems, "the built site")
            if self.config.pdf:
                jobs = pdf.compose(self.pdf_jobs, self.page_inputs, self.registry, self.pdf_settings(config),
                                   self.site_pages())
                self.pdf_report = pdf.run(jobs, self.pdf_settings(config), log=log.info, warn=log.warning)
        except ContentError as error:
            raise PluginError(error.report()) from None

    def on_serve(self, server, config, builder):
        for folder in (self.config.lessons_dir, self.config.handouts_dir, self.config.snippets_dir,
                       str(self.root / "macros")):
            if Path(folder).is_dir():
                server.watch(folder)
        return server
