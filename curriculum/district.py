"""District details (``extra.district`` in mkdocs.yml) and the neutral wording used when one is not set.

A fork fills these in once; every page, letter and PDF then names the right people. With nothing
configured the site still reads naturally ("your school counselor or principal"), never a blank.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator

from . import escape
from .errors import ContentError, Problem
from .links import E164, FICTIONAL, dialable_problem, dialed_digits, dials
from .schemas import ROLES, Colors, Contact, ReportingStep
from .words import words

# Field -> the words a page shows when the district has not filled it in.
NEUTRAL: dict[str, str] = {
    "name": "your school district",
    "school": "your school",
    "contact": "your school counselor or principal",
    "counselor": "your school counselor",
    "principal": "your principal",
    "title_ix": "your district's Title IX coordinator",
    "safety_contact": "your school's safety team or school resource officer",
    "phone": "your school's main office",
    "email": "your school's main office",
    "reporting_procedure": "your school's reporting procedure",
    "policy_name": "your district's policy on bullying, harassment and technology use",
    "counsel": "your district's legal counsel",
    "website": "your school's website",
    # Family letters: where families can see the lesson materials, and how to opt out (if the district allows it).
    "preview": "ask your child's teacher or the school office, and they will show you",
    "opt_out": "If you have questions about your child taking part, please talk with your child's teacher "
               "or principal.",
}

# The same, for Spanish pages and handouts (lang="es"), in gender-inclusive words (a role, not "el consejero").
NEUTRAL_ES: dict[str, str] = {
    "name": "su distrito escolar",
    "school": "su escuela",
    "contact": "el equipo de consejería o la dirección de su escuela",
    "counselor": "el equipo de consejería de la escuela",
    "principal": "la dirección de la escuela",
    "title_ix": "la coordinación del Título IX del distrito",
    "safety_contact": "el equipo de seguridad de la escuela",
    "phone": "la oficina principal de la escuela",
    "email": "la oficina principal de la escuela",
    "reporting_procedure": "el procedimiento de la escuela para reportar",
    "policy_name": "la política del distrito sobre acoso y uso de la tecnología",
    "counsel": "la asesoría legal del distrito",
    "website": "el sitio web de la escuela",
    "preview": "pídalos al personal docente o a la oficina de la escuela, y se los mostrarán",
    "opt_out": "Si tiene preguntas sobre la participación de su hijo o hija, hable con el personal docente o con "
               "la dirección de la escuela.",
}

NEUTRAL_BY_LANG = {"en": NEUTRAL, "es": NEUTRAL_ES}

class District(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    school: str = ""
    contact: str = ""
    counselor: str = ""
    principal: str = ""
    title_ix: str = ""
    safety_contact: str = ""
    phone: str = ""
    phone_display: str = ""
    email: str = ""
    reporting_procedure: str = ""
    policy_name: str = ""
    counsel: str = ""
    website: str = ""
    preview: str = ""
    opt_out: str = ""
    # A district edition (a district file, see district.example.yml): the fields below, and the flat
    # ones above filled in from ``contacts`` and ``reporting_steps`` when not written out.
    short_name: str = ""
    state: str = ""
    logo: str = ""                  # SVG or PNG, relative to the district file; resolved when loaded
    colors: Colors | None = None
    contacts: list[Contact] = []
    reporting_steps: list[ReportingStep] = []
    policy_adopted: dt.date | None = None
    languages: list[str] = []
    paper: Literal["letter", "a4"] | None = None

    @field_validator("logo")
    @classmethod
    def _logo_file(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            return value
        base = Path((info.context or {}).get("base", "."))
        path = (base / value).resolve()
        if path.suffix.lower() not in (".svg", ".png"):
            raise ValueError(f"{value!r} must be an SVG or PNG file")
        if not path.is_file():
            raise ValueError(f"{value!r} does not exist (looked for {path}; the path is relative to the district file)")
        return str(path)

    @model_validator(mode="after")
    def _chain(self) -> District:
        roles = [c.role for c in self.contacts]
        twice = sorted({r for r in roles if roles.count(r) > 1})
        if twice:
            raise ValueError(f"contacts: more than one contact with role {', '.join(twice)}: a reporting step "
                             "names a role, so each role is one person (or one office)")
        missing = [s.role for s in self.reporting_steps if s.role not in roles]
        if missing:
            raise ValueError(f"reporting_steps names {', '.join(missing)}, but contacts has no one with that role; "
                             f"contacts has: {', '.join(roles) or 'nobody'}")
        steps = [s.role for s in self.reporting_steps]
        if len(set(steps)) != len(steps):
            raise ValueError("reporting_steps names the same role twice")
        # The flat fields pages already use (district("counselor"), ...), from the contacts.
        by_role = {c.role: c for c in self.contacts}
        derived: dict[str, str] = {}
        for field, role in (("counselor", "counselor"), ("principal", "principal"),
                            ("title_ix", "title-ix-coordinator"), ("safety_contact", "school-resource-officer")):
            if role in by_role:
                derived[field] = by_role[role].label
        if "safety_contact" not in derived and "district-safety-office" in by_role:
            derived["safety_contact"] = by_role["district-safety-office"].label
        if self.reporting_steps:       # whom families and staff contact first: the first step
            first = by_role[self.reporting_steps[0].role]
            derived.update(contact=first.label, phone=first.phone, phone_display=first.phone_display,
                           email=first.email)
        for field, value in derived.items():
            if not getattr(self, field):
                object.__setattr__(self, field, value)     # frozen: filled once, while validating
        return self

    def by_role(self, role: str) -> Contact:
        return next(c for c in self.contacts if c.role == role)

    @field_validator("phone")
    @classmethod
    def _e164(cls, value: str) -> str:
        if value and not E164.match(value):
            raise ValueError(f"{value!r} is not in E.164 form, e.g. '+15555550100'")
        if value and (why := dialable_problem(value)):
            raise ValueError(why)
        return value

    @model_validator(mode="after")
    def _display_dials_phone(self) -> District:
        # Checked as the registry checks its own numbers: the printed form dials what the link dials.
        if self.phone_display and not self.phone:
            raise ValueError("field 'phone_display': give 'phone' too (the number the link dials, in E.164 form)")
        if self.phone and self.phone_display and not dials(self.phone_display, self.phone):
            raise ValueError(f"field 'phone_display': {self.phone_display!r} dials "
                             f"{dialed_digits(self.phone_display) or 'nothing'}, but phone is {self.phone}; "
                             "the printed number and the link must agree")
        return self

    @property
    def configured(self) -> bool:
        return bool(self.name)


# Where a district field is set: field -> (file, line). The plugin passes the district file in use.
Locate = Callable[[str], tuple[str, int | None]]


def load_district(data: dict | None, source: str = "mkdocs.yml (extra.district)",
                  locate: Locate | None = None) -> District:
    """Check the district details; each problem names the file (and line) the field is set in."""
    where = locate or (lambda field: (source, None))
    if data is not None and not isinstance(data, dict):
        path, line = where("")
        raise ContentError([Problem(path, "extra.district must be 'field: value' lines", line)], path)
    try:
        return District.model_validate(data or {})
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = ".".join(str(p) for p in item["loc"])
            msg = item["msg"].removeprefix("Value error, ")
            named = re.match(r"field '(\w+)': (.*)", msg, flags=re.S)
            if named and not field:        # a check across fields names the field to fix
                field, msg = named.group(1), named.group(2)
            if item["type"] == "extra_forbidden":
                close = difflib.get_close_matches(field, District.model_fields, n=2)
                msg = f"unknown field '{field}'" + (f"; did you mean {', '.join(close)}?" if close else "")
            elif item["type"] == "string_type":
                msg = f"{item.get('input')!r} is not text; put the value in quotes"
            path, line = where(field.split(".")[0])
            hint = f"Known fields: {', '.join(District.model_fields)}." if item["type"] == "extra_forbidden" else ""
            problems.append(Problem(path, f"district field '{field}': {msg}", line, hint))
        raise ContentError(problems, str(problems[0].path) if problems else source) from None


# The example district (district.example.yml) is fictional: its people, its domain and its 555 numbers.
EXAMPLE_DOMAIN = re.compile(r"\bexample\.(?:org|com|net|edu)\b|\.example\b", re.I)
PHONE_LIKE = re.compile(r"\+?[\d(][\d\s().-]{6,}\d")


def example_values(district: District, example: District | None) -> list[tuple[str, str]]:
    """(field, why) for each value that is still the example's: a district edition must never print the
    fictional people of district.example.yml, an example.org address or a 555-01xx number."""
    found = []
    people = {getattr(example, f) for f in EXAMPLE_PEOPLE} - {""} if example else set()
    people |= {c.name for c in example.contacts} if example else set()
    for name, value in _texts(district):
        if not value:
            continue
        if example is not None and value == dict(_texts(example)).get(name) and \
                name.split(".")[-1] in EXAMPLE_PEOPLE + ("name", "school", "short_name"):
            found.append((name, f"{value!r} is the example's fictional value"))
        elif any(person and person.split(",")[0] in value for person in people):
            found.append((name, f"{value!r} names a fictional person from the example"))
        elif EXAMPLE_DOMAIN.search(value):
            found.append((name, f"{value!r} uses an example domain"))
        elif any(FICTIONAL.match(re.sub(r"[^\d+]", "", m)) for m in PHONE_LIKE.findall(value)) or \
                (name.split(".")[-1] == "phone" and FICTIONAL.match(value)):
            found.append((name, f"{value!r} is a fictional 555-01xx number"))
    return found


EXAMPLE_PEOPLE = ("contact", "counselor", "principal", "title_ix", "safety_contact")


def _texts(district: District) -> list[tuple[str, str]]:
    """(field, text) of every text the district gives, its contacts' included ('contacts.2.email')."""
    out = [(name, value) for name in District.model_fields if isinstance(value := getattr(district, name), str)]
    for number, contact in enumerate(district.contacts, start=1):
        out += [(f"contacts.{number}.{key}", value) for key, value in contact.model_dump().items()
                if isinstance(value, str)]
    return out


def district_text(district: District, field: str, lang: str = "en", fallback: str | None = None) -> str:
    """The configured value of ``field``, or else ``fallback``, or else neutral wording. Never empty."""
    if lang not in NEUTRAL_BY_LANG:
        raise KeyError(f"no neutral wording for language '{lang}'; use one of: {', '.join(NEUTRAL_BY_LANG)}")
    if fallback is not None and not fallback.strip():
        raise KeyError("a fallback must not be empty: a page never shows a blank")
    if field not in NEUTRAL:
        close = difflib.get_close_matches(field, NEUTRAL, n=3)
        raise KeyError(f"unknown district field '{field}'"
                       + (f"; did you mean {', '.join(close)}?" if close else "")
                       + f" Known fields: {', '.join(NEUTRAL)}.")
    value = getattr(district, field)
    return value or fallback or NEUTRAL_BY_LANG[lang][field]


def reach_text(district: District, phone_html: str, lang: str = "en") -> str:
    """How to reach the school, e.g. "by phone at (555) 555-0100 or by email at office@example.org"."""
    w = words(lang)
    ways = ([f"{w['reach_call']} {phone_html}"] if district.phone else []) + \
           ([f"{w['reach_email']} {escape.html(district.email)}"] if district.email else [])
    return f" {w['or']} ".join(ways) or w["reach_neutral"]


# A district file (district.example.yml) is a whole edition: these must be there, each named when missing.
REQUIRED = ("name", "short_name", "state", "website", "contacts", "reporting_steps", "policy_name",
            "policy_adopted", "languages")


def load_district_file(path: Path) -> District:
    """A district file: its own YAML (never a copy of mkdocs.yml), every required field named when
    missing, unknown fields refused with the closest known names, the logo looked up beside it."""
    from .yamlfile import load_yaml_file
    path = Path(path)
    data, _lines = load_yaml_file(path)
    if not isinstance(data, dict):
        raise ContentError([Problem(path, "a district file is a list of fields (name: ..., contacts: ...)",
                                    hint="Start from district.example.yml.")])
    missing = [field for field in REQUIRED if data.get(field) in (None, "", [], {})]
    problems = [Problem(path, f"district field '{field}' is missing: a district edition needs it",
                        hint="See district.example.yml for what each field holds.") for field in missing]
    try:
        district = District.model_validate(data, context={"base": str(path.resolve().parent)})
    except ValidationError as error:
        problems += _problems(error, str(path))
        raise ContentError(problems, "the district file") from None
    if problems:
        raise ContentError(problems, "the district file")
    return district


def _problems(error: ValidationError, source: str) -> list[Problem]:
    out = []
    for item in error.errors():
        field = ".".join(str(p) for p in item["loc"]) or "(the file)"
        msg = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            *parent, name = [str(p) for p in item["loc"]]
            known = list(District.model_fields)
            if parent and parent[0] == "contacts":
                known = list(Contact.model_fields)
            elif parent and parent[0] == "reporting_steps":
                known = list(ReportingStep.model_fields)
            elif parent and parent[0] == "colors":
                known = list(Colors.model_fields)
            close = difflib.get_close_matches(name, known, n=2)
            msg = f"unknown field '{name}'" + (f"; did you mean {', '.join(close)}?" if close else "")
            out.append(Problem(source, f"district field '{field}': {msg}", hint=f"Known fields: {', '.join(known)}."))
            continue
        if item["type"] == "literal_error" and "role" in field:
            msg += f" ({', '.join(f'{k}: {v}' for k, v in ROLES.items())})"
        out.append(Problem(source, f"district field '{field}': {msg}"))
    return out


def brand_css(district: District) -> str:
    """The site's colours from the district file, as Material's CSS custom properties (a stylesheet,
    never inline: the self-hosted Content-Security-Policy allows no inline style). Both colours were
    checked for contrast when the file was loaded; the values are #rrggbb, so nothing else gets in."""
    if district.colors is None:
        return ""
    p, a = district.colors.primary, district.colors.accent
    return ("/* From the district file (curriculum/district.py brand_css). */\n"
            '[data-md-color-scheme="default"], [data-md-color-scheme="slate"] {\n'
            f"  --md-primary-fg-color: {p};\n  --md-primary-fg-color--light: {p};\n"
            f"  --md-primary-fg-color--dark: {p};\n}}\n"
            f'[data-md-color-scheme="default"] {{\n  --md-accent-fg-color: {a};\n  --md-typeset-a-color: {p};\n}}\n')
