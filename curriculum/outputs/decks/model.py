"""The slide model every deck output is made from (the .pptx file and the present view).

A deck is a list of slides; each slide has a title, what the room sees (its body) and what only the
presenter sees (its notes). Everything a lesson keeps for the teacher (Say blocks, facilitator notes,
expected answers, timings) goes into ``notes``, never into ``body``: the renderers show ``body`` on the
slide and put ``notes`` in the speaker notes, so there is one place to get that right.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

Kind = Literal["title", "question", "vocabulary", "instructions", "card", "statement", "questions", "key",
               "help", "content"]


@dataclass
class Slide:
    kind: Kind
    title: str
    body: list[str] = field(default_factory=list)     # paragraphs (or bullets) shown on the slide
    notes: list[str] = field(default_factory=list)    # speaker notes: never on the slide
    subtitle: str = ""                                 # the title slide's second line
    bullets: bool = True                               # body as a bulleted list, or as plain paragraphs
    part: tuple[int, int] = (1, 1)                     # a slide too long for one is split: (2, 3) is 2 of 3


@dataclass
class Deck:
    slug: str                 # file name in site/decks/, e.g. 6-8-01-what-deepfakes-are
    title: str
    source: str               # the file an author edits, named in messages
    lang: str = "en"
    label: str = ""           # e.g. "Grades 6-8 · Lesson 1 · 45 minutes"
    slides: list[Slide] = field(default_factory=list)

    def to_json(self) -> str:
        """Everything a deck file is made from (part of its cache key)."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    @property
    def titles(self) -> list[str]:
        return [slide_title(s) for s in self.slides]


def slide_title(slide: Slide) -> str:
    """The title as shown: a slide split in parts says which part it is."""
    number, total = slide.part
    return slide.title if total == 1 else f"{slide.title} ({number} of {total})"
