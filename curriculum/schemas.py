"""Front-matter schemas for lessons and handouts (see "The content model" in DESIGN.md)."""

from __future__ import annotations

import difflib
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import Problem
from .frontmatter import Source

BANDS: dict[str, str] = {"k-2": "Grades K-2", "3-5": "Grades 3-5", "6-8": "Grades 6-8", "9-12": "Grades 9-12"}
# The usual lesson length per band, and the highest Flesch-Kincaid grade allowed in its Say blocks.
BAND_MINUTES: dict[str, tuple[int, int]] = {"k-2": (20, 40), "3-5": (35, 55), "6-8": (35, 55), "9-12": (40, 60)}
BAND_MAX_GRADE: dict[str, float] = {"k-2": 3.0, "3-5": 5.5, "6-8": 8.0, "9-12": 10.5}
CASEL = ("Self-awareness", "Self-management", "Social awareness", "Relationship skills",
         "Responsible decision-making")

Band = Literal["k-2", "3-5", "6-8", "9-12"]


class Standards(BaseModel):
    model_config = ConfigDict(extra="allow")
    casel: list[str] = Field(min_length=1)

    @field_validator("casel")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        for item in value:
            if item not in CASEL:
                raise ValueError(f"'{item}' is not a CASEL competency; use one of: {', '.join(CASEL)}")
        return value


class SlideOptions(BaseModel):
    """A lesson's ``slides:`` front matter: where the deck's default choice is wrong (CONTRIBUTING.md, "Slides")."""

    model_config = ConfigDict(extra="forbid")

    key_message: str | None = Field(default=None, min_length=3)    # the "Key message" slide, as written


class LessonMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=3)
    band: Band
    order: int = Field(ge=1, le=20)
    duration: int = Field(ge=10, le=90)
    essential_question: str = Field(min_length=10)
    objectives: list[str] = Field(min_length=1)
    vocabulary: dict[str, str] = Field(min_length=1)
    materials: list[str] = Field(min_length=1)
    handouts: list[str] = Field(min_length=1)
    standards: Standards
    content_note: str = Field(min_length=10)
    allow: dict[str, str] = Field(default_factory=dict)      # content rules switched off, with reasons
    slides: SlideOptions | None = None                        # the slide deck's overrides (optional)

    @field_validator("essential_question")
    @classmethod
    def _question(cls, value: str) -> str:
        if not value.rstrip().endswith("?"):
            raise ValueError("write the essential question as a question, ending with '?'")
        return value


class HandoutMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=3)
    audience: Literal["students", "families", "staff"]
    bands: list[Band | Literal["all"]] = Field(min_length=1)
    kind: Literal["worksheet", "scenario-cards", "exit-ticket", "tip-sheet", "letter", "card",
                  "checklist", "survey", "one-pager", "guide"]
    pages: Literal[1, 2]
    description: str = Field(min_length=10)
    lang: Literal["en", "es"] = "en"
    allow: dict[str, str] = Field(default_factory=dict)      # content rules switched off, with reasons
    word: bool = Field(False, strict=True)   # a Word copy (curriculum/outputs/docx/) and its button
    # A card's size on paper: printed n-up on one sheet with cut marks (curriculum/outputs/pdf/impose.py).
    card: Literal["half", "wallet"] | None = None
    # A translation (handout.es.md): what it was made from and who checked it (curriculum/i18n.py).
    source_hash: str | None = None
    translated_by: str | None = None
    reviewed_by: str | None = None

    @model_validator(mode="after")
    def _card_size(self) -> HandoutMeta:
        if self.card is not None and self.kind != "card":
            raise ValueError(f"field 'card': only a handout of kind 'card' has a card size, not a {self.kind}")
        return self


class PageMeta(BaseModel):
    """The fields of a docs/ page the engine reads (any others are the page's own)."""

    model_config = ConfigDict(extra="allow")

    word: bool = Field(False, strict=True)   # an editable Word copy, as for a handout
    lang: Literal["en", "es"] = "en"


M = TypeVar("M", bound=BaseModel)


def meta_problems(source: Source, model: type[M], display: str) -> tuple[M | None, list[Problem]]:
    """Validate front matter; each problem names the file, the field and its line."""
    try:
        return model.model_validate(source.meta), []
    except ValidationError as error:
        problems = []
        for item in error.errors():
            line: int | None
            loc = tuple(str(p) for p in item["loc"])
            field = ".".join(loc)
            if item["type"] == "missing":
                msg = f"front matter is missing the field '{field}'"
                hint = "Every lesson needs: " + ", ".join(model.model_fields) if model is LessonMeta else \
                       "Every handout needs: " + ", ".join(model.model_fields)
                line = 1
            elif item["type"] == "extra_forbidden":
                close = difflib.get_close_matches(loc[0], model.model_fields, n=2)
                guess = f" (did you mean {', '.join(close)}?)" if close else ""
                msg = f"unknown front-matter field '{field}'{guess}"
                hint = "Remove it, or fix its spelling."
                line = source.line_of(*loc)
            else:
                msg = f"front-matter field '{field}': {item['msg'].removeprefix('Value error, ')}"
                if item["type"] == "literal_error" and loc[0] == "band":
                    msg = f"unknown band {source.meta.get('band')!r}; use one of: {', '.join(BANDS)}"
                hint = ""
                line = source.line_of(*loc)
            problems.append(Problem(display, msg, line, hint))
        return None, problems


# -- the district file's parts (curriculum/district.py holds the District model itself) -------------

# A contact's role -> how a page names it ("Ms. Rivera, school counselor").
ROLES: dict[str, str] = {
    "counselor": "school counselor",
    "principal": "principal",
    "title-ix-coordinator": "Title IX coordinator",
    "school-resource-officer": "school resource officer",
    "district-safety-office": "district safety office",
}
Role = Literal["counselor", "principal", "title-ix-coordinator", "school-resource-officer", "district-safety-office"]
HEX_COLOR = r"^#[0-9a-fA-F]{6}$"
# WCAG 2.x AA for normal text (1.4.3): text must reach 4.5:1 against what it sits on.
MIN_CONTRAST = 4.5
WHITE = "#ffffff"


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    name: str = Field(min_length=2)
    phone: str = Field(min_length=4)
    phone_display: str = ""
    email: str = Field(pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")

    @field_validator("phone")
    @classmethod
    def _e164(cls, value: str) -> str:
        from .links import E164
        if not E164.match(value):
            raise ValueError(f"{value!r} is not in E.164 form, e.g. '+15555550100'")
        return value

    @property
    def label(self) -> str:
        """"Ms. Rivera, school counselor"."""
        return f"{self.name}, {ROLES[self.role]}"

    @property
    def shown_phone(self) -> str:
        return self.phone_display or self.phone


class ReportingStep(BaseModel):
    """One step of the reporting chain: whom to call (a contact's role), and when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    when: str = ""       # e.g. "right away, the same school day"

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, value):
        return {"role": value} if isinstance(value, str) else value


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2.x contrast ratio of two colours (relative luminance), from ColorAide."""
    from coloraide import Color
    return float(Color(foreground).contrast(Color(background), method="wcag21"))


class Colors(BaseModel):
    """The site header's colours. ``primary`` is the header and tab bar, under white text; ``accent``
    is the colour of links under the pointer and of focus rings, on the white page."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    primary: str = Field(pattern=HEX_COLOR)
    accent: str = Field(pattern=HEX_COLOR)

    @model_validator(mode="after")
    def _readable(self) -> Colors:
        for name, value, text_on in (("primary", self.primary, "white header text"),
                                     ("accent", self.accent, "the white page, as link text")):
            ratio = contrast(value, WHITE)
            if ratio < MIN_CONTRAST:
                raise ValueError(f"colors.{name} {value} has a contrast of {ratio:.2f}:1 with {text_on}; "
                                 f"it needs at least {MIN_CONTRAST}:1 (WCAG 1.4.3). Choose a darker shade.")
        return self
