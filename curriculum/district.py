"""District details (``extra.district`` in mkdocs.yml) and the neutral wording used when one is not set.

A fork fills these in once; every page, letter and PDF then names the right people. With nothing
configured the site still reads naturally ("your school counselor or principal"), never a blank.
"""

from __future__ import annotations

import difflib
import re

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import ContentError, Problem

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
}

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


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


def district_text(district: District, field: str) -> str:
    """The configured value of ``field``, or neutral wording. Never empty."""
    if field not in NEUTRAL:
        close = difflib.get_close_matches(field, NEUTRAL, n=3)
        raise KeyError(f"unknown district field '{field}'"
                       + (f"; did you mean {', '.join(close)}?" if close else "")
                       + f" Known fields: {', '.join(NEUTRAL)}.")
    value = getattr(district, field)
    return value or NEUTRAL[field]
