"""District details (``extra.district`` in mkdocs.yml) and the neutral wording used when one is not set.

A fork fills these in once; every page, letter and PDF then names the right people. With nothing
configured the site still reads naturally ("your school counselor or principal"), never a blank.
"""

from __future__ import annotations

import difflib

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import ContentError, Problem
from .links import E164
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

    @field_validator("phone")
    @classmethod
    def _e164(cls, value: str) -> str:
        if value and not E164.match(value):
            raise ValueError(f"{value!r} is not in E.164 form, e.g. '+15555550100'")
        return value

    @property
    def configured(self) -> bool:
        return bool(self.name)


def load_district(data: dict | None, source: str = "mkdocs.yml (extra.district)") -> District:
    try:
        return District.model_validate(data or {})
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = ".".join(str(p) for p in item["loc"])
            msg = item["msg"].removeprefix("Value error, ")
            if item["type"] == "extra_forbidden":
                close = difflib.get_close_matches(field, District.model_fields, n=2)
                msg = f"unknown field '{field}'" + (f"; did you mean {', '.join(close)}?" if close else "")
            problems.append(Problem(source, f"district field '{field}': {msg}",
                                    hint=f"Known fields: {', '.join(District.model_fields)}."))
        raise ContentError(problems) from None


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
           ([f"{w['reach_email']} {district.email}"] if district.email else [])
    return f" {w['or']} ".join(ways) or w["reach_neutral"]
