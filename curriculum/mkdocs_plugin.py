"""The thin adapter between MkDocs and the engine: MkDocs events in, engine calls out, nothing else.
The only module that imports mkdocs.

Order (event priorities, not the order of mkdocs.yml's plugin list): the registry, district and
content are loaded and every content rule is run before the macros plugin starts (``on_config``,
early); a lesson's "at a glance" box is added after the macros have rendered the page, so no
front-matter text is ever read as a template (``on_page_markdown``, late); the built site is checked
and the outputs made after every other plugin has finished (``on_post_build``, late).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from . import catalog, configfile, escape, htmlcheck, i18n, kit, nav, rules
from .content import Content, collect
from .district import District, brand_css, district_text, example_values, load_district, load_district_file
from .errors import ContentError, Problem
from .linkcheck.cache import reached as linkcheck_reached
from .linkcheck.freshness import stale_entries
from .outputs import decks, docx, pdf
from .outputs.inputs import PageInput
from .outputs.plan import Download, OutputPlan
from .registry import Registry, load_registry
from .words import words

log = get_plugin_logger(__name__)
EXAMPLE = "district.example.yml"
# Notices that must be seen but must not fail a strict build (a date passing never breaks a build
# overnight; `make linkcheck` with --strict fails on it; a stale translation fails `make test`, not an
# English editor's build): outside the "mkdocs" loggers strict mode counts.
notice = logging.getLogger("curriculum.notice")
if not notice.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    notice.addHandler(_handler)
    notice.propagate = False


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
    # Word copies of the pages marked `word: true`. mkdocs.yml: `docx: !ENV [CURRICULUM_DOCX, true]`.
    docx = Switch(default=True)
    docx_cache = c.Dir(default=".cache/docx")
    # The link checker's results (make linkcheck): when each link was last reached, printed honestly.
    linkcheck_cache = c.Type(str, default=".cache/linkcheck.json")
    print_template = c.Optional(c.Dir(exists=True))   # default: print/ in the theme's custom_dir
    # The example district (district.example.yml) is fictional: a build that still prints its people, domain
    # or 555 numbers warns for each field (and so fails in strict mode). Only tests and demos turn this on.
    allow_example_district = c.Type(bool, default=False)
    # Slide decks (.pptx and the present view). mkdocs.yml: `decks: !ENV [CURRICULUM_DECKS, true]`.
    decks = Switch(default=True)
    decks_cache = c.Dir(default=".cache/decks")
    # The offline kit's build (`python -m curriculum kit` sets CURRICULUM_KIT=true, with Material's offline plugin).
    kit = Switch(default=False)
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
        # The config's words reach every page through Material's templates, which do not escape them.
        self.site_name = escape.plain(config.site_name or "")
        for key in ("site_name", "site_description", "site_author", "copyright"):
            if isinstance(config.get(key), str):
                config[key] = escape.html(config[key])
        self.docs_dir = Path(config.docs_dir)
        custom_dir = config.theme.custom_dir or str(self.root / "overrides")
        self.template_dir = Path(self.config.print_template or Path(custom_dir) / "print").resolve()
        self.page_inputs: dict[str, PageInput] = {}
        self.pdf_report: pdf.Report | None = None
        self.docx_report: docx.Report | None = None
        self.decks_report: decks.Report | None = None
        try:
            # Duplicate keys in mkdocs.yml and the district file (MkDocs would keep the last one silently).
            self.config_files = configfile.chain(Path(config.config_file_path))
            self.registry = load_registry(Path(self.config.registry), self._rel(self.config.registry))
            self._warn_stale(config)
            self.link_reached = linkcheck_reached(self.root / self.config.linkcheck_cache)
            self.district = self._load_district(config)
            self.content = collect(self.root, self._rel(self.config.lessons_dir), self._rel(self.config.handouts_dir),
                                   self._rel(self.config.snippets_dir))
            self.documents = self._check_sources()
            if self.config.kit:
                self.kit_shim = kit.shim_path(self.root)
                # Material's offline plugin would add the shim from unpkg.com: a local copy is listed first.
                config.extra["polyfills"] = [*config.extra.get("polyfills", []), kit.SHIM_URI]
            self.translations = self._plan_translations()
            config.nav = nav.expand(config.nav, self.content, self.docs_dir,
                                    where=configfile.where_set(self.config_files, "nav")[0],
                                    translations=self.translations, titles=self._title_of)
            if self.translations.pages:
                config.extra["alternate"] = True    # Material then shows our switcher (partials/alternate.html)
            staff = nav.folder_pages(self.docs_dir, "staff") if (self.docs_dir / "staff").is_dir() else []
            self.plan = OutputPlan()
            self.pdf_jobs: list = []
            if self.config.pdf:
                spanish = i18n.translated("families/index.md", "es")
                self.pdf_jobs, problems = pdf.plan_jobs(self.content, staff, self.project_name,
                                                        self._rel(str(self.docs_dir)),
                                                        spanish if spanish in self.translations.pages else None)
                if problems:
                    raise ContentError(problems, "the PDFs")
                for job in self.pdf_jobs:
                    for src_uri in job.shown_on:
                        self.plan.add(src_uri, Download(f"pdf/{job.name}", job.button, "pdf", job.lang))
            self.docx_jobs: list[docx.DocxJob] = []
            if self.config.docx:
                self.docx_jobs, problems = docx.plan_jobs(self.documents)
                if problems:
                    raise ContentError(problems, "the Word copies")
                for word in self.docx_jobs:
                    self.plan.add(word.src_uri, Download(word.file, word.button, "docx", word.lang))
            if self.config.decks:
                docs_files = {p.relative_to(self.docs_dir).as_posix() for p in self.docs_dir.rglob("*.md")}
                decks.plan(self.content, self.plan, docs_files)
        except ContentError as error:
            raise PluginError(error.report()) from None
        return config

    def _load_district(self, config) -> District:
        """The district details, each problem naming the district file (and line) that sets the field: a
        district file when one is given (its name, logo, colours and paper reach the header and the PDFs),
        else extra.district (the older flat form)."""
        self.district_file: Path | None = None
        files = self.config_files
        if self.config.district:
            self.district_file = (self.root / self.config.district).resolve()
            district = load_district_file(self.district_file)
        else:
            district = load_district(config.extra.get("district"),
                                     locate=lambda field: configfile.where_set(files, "extra", "district", field))
        if not district.configured:
            log.info("No district configured: pages use neutral wording (\"your school counselor or principal\"). "
                     "To name your people, build with a district file: make site DISTRICT=district.yml")
        if not self.config.allow_example_district:
            self._warn_example_values(district)
        # The PDFs keep the project's name (their documents are shared between editions); the cover and
        # footer name the district.
        self.project_name = self.site_name
        if district.short_name:
            config.site_name = escape.html(f"{escape.plain(config.site_name or '')}: {district.short_name}")
            self.site_name = escape.plain(config.site_name)
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

    def _warn_example_values(self, district: District) -> None:
        """A district edition must never print the example's fictional people, domain or 555 numbers: a
        warning per field (so strict builds fail)."""
        # The project's example, or else the one that ships with the engine (a fork may have deleted its copy).
        example_file = next((f for f in (self.root / EXAMPLE, Path(__file__).resolve().parents[1] / EXAMPLE)
                             if f.is_file()), None)
        example = None
        if example_file is not None:
            try:
                example = load_district_file(example_file)
            except ContentError:
                example = None
        for field, why in example_values(district, example):
            if self.district_file is not None:
                path, line = self._rel(str(self.district_file)), None
            else:
                path, line = configfile.where_set(self.config_files, "extra", "district", field)
            log.warning(str(Problem(path, f"district field '{field}': {why}", line,
                                    "Put in your district's real details before publishing.")))

    def _warn_stale(self, config) -> None:
        linkcheck = config.extra.get("linkcheck")
        days = linkcheck.get("freshness_days", 180) if isinstance(linkcheck, dict) else 180
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            path, line = configfile.where_set(self.config_files, "extra", "linkcheck", "freshness_days")
            raise ContentError([Problem(path, f"extra.linkcheck.freshness_days: {days!r} is not a number of days",
                                        line, "Write a whole number, e.g. 180.")], path)
        for problem in stale_entries(self.registry, days, path=self._rel(self.config.registry)):
            notice.warning(str(problem))

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

    # -- translations ----------------------------------------------------------------------------
    def _plan_translations(self) -> i18n.Plan:
        """The Spanish pages: each translation, and a fallback for each page of the Spanish scope that
        has none. Stale translations are warned about here (``make test`` fails on them)."""
        folders = [self._rel(p) for p in (str(self.docs_dir), self.config.handouts_dir) if Path(p).is_dir()]
        statuses, problems = i18n.statuses(self.root, folders)
        if problems:
            raise ContentError(problems, "the translations")
        for status in statuses:
            if status.stale:
                notice.warning(str(i18n.stale_problem(status)))
        self.translation_status = {s.path: s for s in statuses}
        docs_prefix = self._rel(str(self.docs_dir)) + "/"
        english = [p.relative_to(self.docs_dir).as_posix() for p in sorted(self.docs_dir.rglob("*.md"))]
        english += list(catalog.generated_pages(self.content))
        english += [h.path.as_posix() for h in self.content.handouts.values()]
        done = [s.path.removeprefix(docs_prefix) for s in statuses]
        handouts = self.content.handouts

        def in_scope(uri: str) -> bool:
            if uri in ("index.md", "resources.md") or uri.startswith("families/"):
                return True
            handout = self.content.handout_at(uri)
            return handout is not None and handout.meta.audience == "families" and handout.meta.lang == "en"

        self.handouts_by_uri = {h.path.as_posix(): h for h in handouts.values()}
        return i18n.plan(english, done, in_scope, "es")

    def _title_of(self, src_uri: str) -> str:
        """A page's title for the Spanish menu: its own front matter's, or the generated page's heading."""
        for path in (self.docs_dir / src_uri, self.root / src_uri):
            if path.is_file():
                meta = rules.document(path, self.root).meta
                if meta.get("title"):
                    return str(meta["title"])
        return ""

    def _fallback_markdown(self, page: i18n.PlannedPage) -> str:
        generated = catalog.generated_pages(self.content)
        if page.base in generated:
            text = generated[page.base]
        else:
            path = self.docs_dir / page.base
            text = (path if path.is_file() else self.root / page.base).read_text(encoding="utf-8")
        return i18n.localize_links(text, page.base, page.lang, lambda uri: uri in self.translations.pages
                                   and not self.translations.pages[uri].fallback)

    def page_lang(self, page) -> str:
        own = i18n.split(page.file.src_uri)[1]
        return own if own != i18n.DEFAULT else str((page.meta or {}).get("lang") or i18n.DEFAULT)

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
        for planned in self.translations.fallbacks():
            files.append(File.generated(config, planned.src_uri, content=self._fallback_markdown(planned)))
        # Translations are published under their language's folder: families/x.es.md -> es/families/x/.
        for file in files:
            if file.is_documentation_page() and i18n.split(file.src_uri)[1] != i18n.DEFAULT:
                file.dest_uri = i18n.dest_uri(file.src_uri, config.use_directory_urls)
        self.files = files
        if self.config.kit:
            files.append(File.generated(config, kit.SHIM_URI, abs_src_path=str(self.kit_shim)))
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
        if i18n.split(page.file.src_uri)[1] != i18n.DEFAULT:
            page.meta["lang"] = i18n.split(page.file.src_uri)[1]      # <html lang>, interface words (partials)
        lesson = self.content.lesson_at(page.file.src_uri)
        if lesson is not None:
            markdown = catalog.insert_after_h1(markdown, catalog.at_a_glance(lesson, self.content))
        return markdown

    @event_priority(-100)
    def on_page_content(self, html: str, page, config, files) -> str:
        handout = self.content.handout_at(page.file.src_uri)
        lang = self.page_lang(page)
        if handout is not None and handout.meta.lang != lang:
            # The page is in another language than the site: say so, for screen readers (WCAG 3.1.2).
            html = f'<div lang="{handout.meta.lang}">\n{html}\n</div>'
        # The PDFs are made from the page without the notices below (a notice prints in the PDF's footer).
        title = escape.plain(page.title or "")
        self.page_inputs[page.file.src_uri] = PageInput(page.file.src_uri, page.url, title, html)
        if isinstance(page.meta.get("title"), str):
            # Material prints the title unescaped (<title>, header, nav, footer): escape it once, as Markup.
            page.meta["title"] = escape.html(page.meta["title"])
        planned = self.translations.pages.get(page.file.src_uri)
        if planned is not None and planned.fallback:
            w = words(planned.lang)
            html = (f'<div class="admonition info fir-fallback" lang="{planned.lang}"><p class="admonition-title">'
                    f'{escape.html(w["fallback_title"])}</p><p>{escape.html(w["fallback"])}</p></div>\n'
                    f'<div lang="{i18n.DEFAULT}">\n{html}\n</div>')
        elif planned is not None:
            status = self.translation_status.get(self._rel(self._source_path(page.file)))
            if status is not None and not status.reviewed:
                w = words(planned.lang)
                contact = district_text(self.district, "contact", planned.lang)
                text = w["unreviewed"].format(contact=contact).replace(" a el ", " al ")   # Spanish: a + el
                html = (f'<div class="admonition note fir-unreviewed"><p class="admonition-title">'
                        f'{escape.html(w["unreviewed_title"])}</p><p>{escape.html(text)}'
                        f"</p></div>\n{html}")
        return html

    def _source_path(self, file) -> str:
        return file.abs_src_path or str(self.docs_dir / file.src_uri)

    def on_page_context(self, context, page, config, nav):
        """The page's download buttons (overrides/main.html shows them)."""
        downloads = self.plan.for_page(page.file.src_uri)
        page.meta["downloads"] = [{"href": get_relative_url(d.file, page.url), "label": d.label, "lang": d.lang,
                                   "kind": d.kind} for d in downloads]
        page.meta["print_label"] = words(downloads[0].lang if downloads else self.page_lang(page))["print"]
        page.meta["alternates"] = self._alternates(page)
        # hreflang <link>s in the head: not in the offline kit. Material fetches sitemap.xml beside each
        # one, which a browser refuses from file:// (an error on every page); no search engine reads a kit.
        page.meta["hreflang"] = not self.config.kit
        return context

    def _alternates(self, page) -> list[dict]:
        """The page's versions in each language, for the switcher and hreflang links (overrides/)."""
        versions = self.translations.alternates(page.file.src_uri)
        home = i18n.translated("index.md", "es")
        if not versions and home in self.translations.pages and i18n.split(page.file.src_uri)[1] == i18n.DEFAULT:
            versions = {"en": page.file.src_uri, "es": home}      # no counterpart: the Spanish home page
            exact = False
        else:
            exact = True
        out = []
        for lang, uri in versions.items():
            target = self.files.get_file_from_path(uri)
            if target is None:
                continue
            out.append({"lang": lang, "name": i18n.LANGS[lang], "href": get_relative_url(target.url, page.url),
                        "current": uri == page.file.src_uri, "exact": exact or uri == page.file.src_uri})
        return out if len(out) > 1 else []

    # -- after the build -------------------------------------------------------------------------
    def pdf_settings(self, config) -> pdf.Settings:
        return pdf.Settings(
            root=self.root, site_dir=Path(config.site_dir), template_dir=self.template_dir,
            cache_dir=Path(self.config.pdf_cache), paper="a4" if self.paper == "a4" else "letter",
            workers=self.config.pdf_workers,
            site_name=self.project_name, site_url=config.site_url or "",
            district_name=self.district.name, reviewed=self.registry.oldest_verified,
            reached=self.link_reached)

    def _with_source(self, problem: Problem, config) -> Problem:
        """A problem found in a built page names the Markdown file it came from, too: that is the file to fix."""
        built = str(problem.path).removeprefix("site/")
        for uri, page in self.page_inputs.items():
            url = page.url if not page.url or page.url.endswith(".html") else page.url + "index.html"
            if (url or "index.html") == built and uri in self.documents:
                return Problem(problem.path, f"{problem.message} (source: {self.documents[uri].path})",
                               problem.line, problem.hint)
        return problem

    def docx_settings(self, config) -> docx.Settings:
        d = self.district
        return docx.Settings(site_dir=Path(config.site_dir), cache_dir=Path(self.config.docx_cache),
                             paper=self.config.paper, workers=self.config.pdf_workers,
                             site_name=self.site_name, site_url=config.site_url or "", district_name=d.name,
                             district_phone=(d.phone, *(c.phone for c in d.contacts)),
                             district_email=(d.email, *(c.email for c in d.contacts)), district_website=d.website)

    @event_priority(-50)
    def on_post_build(self, config) -> None:
        site = Path(config.site_dir)
        self._write_redirects(site, config)
        try:
            rendered = [rules.Rendered(self.documents[uri], page.html)
                        for uri, page in self.page_inputs.items() if uri in self.documents]
            problems = rules.run(rendered, self.rules_context, rendered=True).problems
            if self.config.site_checks:
                problems += [self._with_source(p, config) for p in
                             htmlcheck.all_problems(site, self.registry.urls, config.site_url or "",
                                                    planned=self.plan.files)]
            if problems:
                raise ContentError(problems, "the built site")
            if self.config.pdf:
                jobs = pdf.compose(self.pdf_jobs, self.page_inputs, self.registry, self.pdf_settings(config),
                                   self.site_pages())
                self.pdf_report = pdf.run(jobs, self.pdf_settings(config), log=log.info, warn=log.warning)
            if self.config.docx and self.docx_jobs:
                self.docx_report = docx.run(self.docx_jobs, self.page_inputs, self.registry,
                                            self.docx_settings(config), log=log.info)
                log.info(self.docx_report.summary())
            if self.config.decks:
                deck_jobs = decks.lesson_jobs(self.content, self.page_inputs, self.registry, self.district)
                self.decks_report = decks.run(deck_jobs, decks.Settings(site, Path(self.config.decks_cache),
                                                                        self.config.pdf_workers), log=log.info)
            if self.config.kit:
                about = kit.about_page(self.site_name, self.district.name, self.registry, self.link_reached,
                                       kit.built_at(), kit.stylesheets(site))
                (site / kit.ABOUT).write_text(about, encoding="utf-8")
        except ContentError as error:
            raise PluginError(error.report()) from None

    def _write_redirects(self, site: Path, config) -> None:
        """The old addresses of pages that moved into the suffix layout lead to the pages' new homes."""
        for old, new in i18n.MOVED.items():
            target = self.files.get_file_from_path(new)
            if target is None:
                continue
            dest = i18n.dest_uri(old, config.use_directory_urls)
            lang = i18n.split(new)[1]
            text = f"{words(lang)['old_address']} {target.page.title if target.page else ''}".strip()
            path = site / dest
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(i18n.redirect_html(get_relative_url(target.url, i18n.url_of(dest)), text, lang),
                            encoding="utf-8")

    def on_serve(self, server, config, builder):
        for folder in (self.config.lessons_dir, self.config.handouts_dir, self.config.snippets_dir,
                       str(self.root / "macros")):
            if Path(folder).is_dir():
                server.watch(folder)
        return server
