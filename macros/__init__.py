"""Macros for the curriculum's Markdown (mkdocs-macros-plugin loads this module).

Every phone number, text code and external link on the site comes through these functions from
macros/resources.yml, which the ``curriculum`` plugin has already checked when the build starts.
An unknown key stops the build with a message naming the page and the closest keys.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from curriculum import edition_pages, escape, resource_html, worksheet
from curriculum.district import district_text, reach_text
from curriculum.i18n import DEFAULT, split
from curriculum.registry import UnknownResource


def define_env(env):
    engine = env.conf["plugins"].get("curriculum")
    if engine is None:
        raise PluginError("macros/__init__.py needs the 'curriculum' plugin, which holds the registry and the "
                          "district details: add '- curriculum' to the plugins list of your mkdocs.yml, before "
                          "'- macros' (see the plugins list in the project's mkdocs.yml).")
    # extra.district would otherwise shadow the district() macro; it stays readable as extra.district.
    env.variables.pop("district", None)

    def page_name() -> str:
        page = getattr(env, "page", None)
        return page.file.src_uri if page is not None else "?"

    def page_lang() -> str:
        """The language of the page being rendered: its file name's suffix (page.es.md), or its front
        matter's ``lang`` (a handout written in Spanish), so macros speak the page's language by themselves."""
        page = getattr(env, "page", None)
        if page is None:
            return DEFAULT
        planned = engine.translations.pages.get(page.file.src_uri)
        if planned is not None and planned.fallback:
            return DEFAULT            # a fallback shows the English page: its help lines read in English too
        own = split(page.file.src_uri)[1]
        return own if own != DEFAULT else str((page.meta or {}).get("lang") or DEFAULT)

    def lookup(key: str):
        try:
            return engine.registry.get(key, where=page_name())
        except UnknownResource as error:
            raise ValueError(str(error)) from None

    @env.macro
    def resource(key: str, text: str | None = None) -> str:
        """A link to a resource, showing its name.

        {{ resource("take-it-down") }}  ->  <a href="https://takeitdown.ncmec.org">Take It Down</a>
        {{ resource("cybertipline", "report it online") }}  uses your own link text.
        """
        return resource_html.resource_link(lookup(key), text, page_lang())

    @env.macro
    def hotline(key: str) -> str:
        """A phone number or text code, printed and linked from the same registry field.

        {{ hotline("ncmec-hotline") }}     ->  1-800-THE-LOST (1-800-843-5678), a tel: link
        {{ hotline("crisis-text-line") }}  ->  Text HOME to 741741, an sms: link
        """
        try:
            return resource_html.hotline_link(lookup(key), page_lang())
        except ValueError as error:
            raise ValueError(f"{page_name()}: {error}") from None

    @env.macro
    def resources(audience: str | None = None, kind: str | None = None, group: str | None = None,
                  tier: str | None = None, style: str = "list") -> str:
        """A list (or table, with style="table") of registry entries that match every filter given.

        {{ resources(group="get-help") }}
        {{ resources(audience="families", tier="critical", style="table") }}
        """
        if style not in ("list", "table"):
            raise ValueError(f"{page_name()}: resources(style=...) must be 'list' or 'table', not {style!r}")
        try:
            chosen = resource_html.select(engine.registry, audience, kind, group, tier)
        except ValueError as error:
            raise ValueError(f"{page_name()}: {error}") from None
        if style == "table":
            return resource_html.resource_table(chosen, page_lang())
        return resource_html.resource_list(chosen, engine.link_reached, page_lang())

    @env.macro
    def resource_directory(heading_level: int = 2) -> str:
        """Every registry entry, grouped: get help now, report, remove images, learn more.

        {{ resource_directory() }}
        """
        return resource_html.directory(engine.registry, heading_level, engine.link_reached, page_lang())

    def phone_link() -> str:
        d = engine.district
        shown = escape.html(d.phone_display or d.phone)
        return f'<a class="fir-district" href="tel:{escape.html(d.phone)}">{shown}</a>'

    @env.macro
    def district(field: str, lang: str | None = None, fallback: str | None = None) -> str:
        """A district detail from extra.district, or neutral wording when it is not configured.

        {{ district("contact") }}  ->  "Ms. Rivera, school counselor", or "your school counselor or principal"
        {{ district("counselor", lang="es") }}  ->  the name, or "el consejero escolar"
        {{ district("school", fallback=blank()) }}  ->  the name, or a blank line to fill in on paper
        """
        lang = lang or page_lang()
        try:
            text = district_text(engine.district, field, lang, fallback)
        except KeyError as error:
            raise ValueError(f"{page_name()}: {error.args[0]}") from None
        if field == "phone" and engine.district.phone:
            return phone_link()
        if getattr(engine.district, field, ""):
            # The district's own words, as written: "<counselor name>" prints, never vanishes as a tag.
            return escape.html(text)
        return text

    @env.macro
    def district_reach(lang: str | None = None) -> str:
        """How to reach the school, in words that read well whatever is configured.

        "Please contact {{ district("contact") }} {{ district_reach() }}."  ->
        "... by phone at (555) 555-0100 or by email at office@example.org", or "... through your school's main office"
        """
        lang = lang or page_lang()
        if lang not in ("en", "es"):
            raise ValueError(f"{page_name()}: district_reach(lang=...) must be 'en' or 'es', not {lang!r}")
        d = engine.district
        if d.email:
            d = d.model_copy(update={"email": escape.html(d.email)})
        return reach_text(d, phone_link() if engine.district.phone else "", lang)

    @env.macro
    def reporting_steps(lang: str = "en", email: bool = True) -> str:
        """The district's reporting steps, in order, with names and numbers (an ordered list), or the
        neutral step when no district file gives them: the first-response card's runbook.

        {{ reporting_steps() }}
        """
        if lang not in ("en", "es"):
            raise ValueError(f"{page_name()}: reporting_steps(lang=...) must be 'en' or 'es', not {lang!r}")
        return edition_pages.reporting_steps(engine.district, lang, email)

    @env.macro
    def has_reporting_steps() -> bool:
        """Whether the district file gives its reporting steps: {% if has_reporting_steps() %} ..."""
        return bool(engine.district.reporting_steps)

    @env.macro
    def district_contacts() -> str:
        """The district's contacts (role, name, phone, email) as a table; neutral words when none."""
        return edition_pages.contacts_table(engine.district)

    @env.macro
    def before_you_print() -> str:
        """The sign-off sheet before a print run: every critical resource with its review and link-check
        dates, facts.md's must-check list, and the district values in use.

        {{ before_you_print() }}
        """
        try:
            return edition_pages.before_you_print(engine.registry, engine.link_reached, engine.district,
                                                  engine.root / engine.config.facts, engine.district_file,
                                                  engine.paper)
        except ValueError as error:
            raise ValueError(f"{page_name()}: {error}") from None

    @env.macro
    def blank(width: str = "medium", lines: int | None = None, hint: str = "") -> str:
        """A write-in blank, the one way to write one (never underscores: see CONTRIBUTING.md).

        My name: {{ blank() }}      1. {{ blank("long") }}      {{ blank(lines=3) }} (three writing lines)
        {{ district("contact", fallback=blank(hint="name")) }}  a caption under the line
        """
        try:
            return worksheet.blank(width, lines, hint)
        except ValueError as error:
            raise ValueError(f"{page_name()}: {error}") from None

    @env.macro
    def icon(name: str, size: str = "small", label: str = "") -> str:
        """A Material icon that ships with the theme, inlined: {{ icon("cat") }} beside a line to read,
        {{ icon("cat", "large") }} an outline to colour in. Never a person."""
        try:
            return worksheet.icon(name, size, label)
        except (ValueError, FileNotFoundError) as error:
            raise ValueError(f"{page_name()}: {error}") from None

    @env.macro
    def verified_date() -> str:
        """The date the oldest registry entry was last reviewed against its source: {{ verified_date() }}"""
        return engine.registry.oldest_verified.isoformat()
