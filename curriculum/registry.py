"""The resource registry (macros/resources.yml): every phone number, text code and external URL.

A pydantic model checks each entry when the build starts, so a wrong hotline never reaches a page.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator, model_validator

from .errors import ContentError, Problem
from .links import E164, SHORT_CODE, dialable_problem, dialed_digits, dials
from .yamlfile import load_yaml_file

Kind = Literal["phone", "text", "web", "report", "removal", "org", "research"]
Group = Literal["get-help", "report", "remove", "learn"]
Tier = Literal["critical", "reference"]
Audience = Literal["students", "families", "staff"]

GROUP_TITLES: dict[str, str] = {
    "get-help": "Get help now",
    "report": "Report",
    "remove": "Remove images",
    "learn": "Learn more",
}

class Labels(BaseModel):
    """An entry's words in another language, only where they differ; numbers and URLs are never repeated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(default=None, min_length=2)
    org: str | None = Field(default=None, min_length=2)      # only a description, never a real name, differs
    summary: str | None = Field(default=None, min_length=10)
    hours: str | None = None
    display: str | None = None


LABEL_FIELDS = ("name", "org", "summary", "hours", "display")


class Resource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str = Field(min_length=2)
    org: str = Field(min_length=2)
    kind: Kind
    phone: str | None = None
    text: str | None = None
    keyword: str | None = None
    display: str | None = None
    url: HttpUrl | None = None
    hours: str | None = None
    audiences: list[Audience] = Field(min_length=1)
    languages: list[str] = Field(min_length=1)
    group: Group
    summary: str = Field(min_length=10)
    source: str = Field(min_length=3)
    verified: dt.date
    tier: Tier
    # The number is a short code (911, 988, a text code like 741741): said so on purpose, never by a slip.
    short_code: bool = False
    es: Labels | None = None          # Spanish labels (name, summary, hours, display) where they differ

    def words(self, lang: str = "en") -> dict[str, str | None]:
        """name, summary, hours and display in ``lang``: its own labels where the entry has them."""
        own = {f: getattr(self, f) for f in LABEL_FIELDS}
        labels = getattr(self, lang, None) if lang != "en" else None
        if isinstance(labels, Labels):
            own.update({f: v for f in LABEL_FIELDS if (v := getattr(labels, f)) is not None})
        return own

    @field_validator("phone")
    @classmethod
    def _phone_form(cls, value: str | None) -> str | None:
        if value is not None and not (E164.match(value) or SHORT_CODE.match(value)):
            raise ValueError(f"{value!r} is not an E.164 number like '+18008435678' "
                             "or a short dialing code like '988'")
        return value

    @field_validator("text")
    @classmethod
    def _text_form(cls, value: str | None) -> str | None:
        if value is not None and not SHORT_CODE.match(value):
            raise ValueError(f"{value!r} is not a text short code like '741741'")
        return value

    @field_validator("verified")
    @classmethod
    def _not_in_future(cls, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise ValueError(f"{value} is in the future; give the day the entry was checked")
        return value

    @field_validator("url")
    @classmethod
    def _https(cls, value: HttpUrl | None) -> HttpUrl | None:
        if value is not None and value.scheme != "https":
            raise ValueError("use an https:// address")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Resource:
        if self.phone and (why := dialable_problem(self.phone, self.short_code)):
            raise ValueError(f"field 'phone': {why}")
        if self.text and not self.short_code:
            raise ValueError(f"field 'text': {self.text!r} is a short code: add 'short_code: true' to the entry")
        if self.kind == "phone" and not self.phone:
            raise ValueError("field 'phone': a phone resource needs a phone number")
        if self.kind == "text" and not (self.text and self.keyword):
            raise ValueError("field 'text': a text resource needs 'text' (the short code) and 'keyword'")
        if (self.phone or self.text) and not self.display:
            raise ValueError("field 'display': give the form people read, e.g. '1-800-THE-LOST (1-800-843-5678)'")
        if self.phone and self.display and not dials(self.display, self.phone):
            raise ValueError(f"field 'display': {self.display!r} dials {dialed_digits(self.display) or 'nothing'}, "
                             f"but phone is {self.phone}; the printed number and the link must agree")
        if self.text and self.display and (self.text not in self.display or (self.keyword or "") not in self.display):
            raise ValueError(f"field 'display': {self.display!r} must show the keyword and the short code")
        spanish = self.es.display if self.es else None
        if spanish and not (self.phone or self.text):
            raise ValueError("field 'es': a display form needs a phone number or a text code")
        if spanish and self.phone and not dials(spanish, self.phone):
            raise ValueError(f"field 'es': display {spanish!r} dials {dialed_digits(spanish) or 'nothing'}, "
                             f"but phone is {self.phone}; the printed number and the link must agree")
        if spanish and self.text and (self.text not in spanish or (self.keyword or "") not in spanish):
            raise ValueError(f"field 'es': display {spanish!r} must show the keyword and the short code")
        if self.kind not in ("phone", "text") and not self.url:
            raise ValueError(f"field 'url': a {self.kind} resource needs a url")
        return self

    @property
    def href(self) -> str:
        """Where a click goes: the dial link for numbers, the web address otherwise."""
        if self.phone:
            return f"tel:{self.phone}"
        if self.text:
            return f"sms:{self.text}?body={self.keyword}"
        return str(self.url)

    @property
    def web(self) -> str | None:
        return str(self.url) if self.url else None


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    verified_against: str
    resources: dict[str, Resource]

    @cached_property
    def urls(self) -> set[str]:
        return {r.web for r in self.resources.values() if r.web}

    @cached_property
    def oldest_verified(self) -> dt.date:
        return min(r.verified for r in self.resources.values())

    def get(self, key: str, where: str = "") -> Resource:
        try:
            return self.resources[key]
        except KeyError:
            raise UnknownResource(key, list(self.resources), where) from None


class UnknownResource(KeyError):
    def __init__(self, key: str, known: list[str], where: str = ""):
        close = difflib.get_close_matches(key, known, n=3, cutoff=0.4)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        place = f"{where}: " if where else ""
        self.message = (f"{place}unknown resource key '{key}'.{hint} "
                        "Every key is listed in macros/resources.yml.")
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def load_registry(path: Path, display: Path | str | None = None) -> Registry:
    """Read and check the registry; every bad entry is reported with its key, field and line (naming
    the file as ``display``, e.g. relative to the project, when given)."""
    data, lines = load_yaml_file(path, display)
    name = display or path
    if not isinstance(data, dict) or not isinstance(data.get("resources"), dict):
        raise ContentError([Problem(name, "expected a top-level 'resources:' mapping of key -> entry")])
    for key, entry in data["resources"].items():
        if isinstance(entry, dict):
            entry.setdefault("key", key)
    try:
        return Registry.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(str(p) for p in item["loc"])
            key = loc[1] if len(loc) > 1 and loc[0] == "resources" else None
            field = loc[2] if len(loc) > 2 else None
            message = item["msg"].removeprefix("Value error, ")
            named = re.match(r"field '(\w+)': (.*)", message, flags=re.S)
            if named and key and not field:  # a check across fields names the field to fix
                field, message = named.group(1), named.group(2)
                loc = (*loc, field)
            if key and field:
                text = f"resource '{key}', field '{field}': {message}"
            elif key:
                text = f"resource '{key}': {message}"
            else:
                text = f"{'.'.join(loc) or 'file'}: {message}"
            line = lines.get(loc[:3]) or lines.get(loc[:2])
            problems.append(Problem(name, text, line, "See the field list at the top of the file."))
        raise ContentError(problems) from None
