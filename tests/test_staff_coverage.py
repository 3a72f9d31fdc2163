"""The staff guide covers every part of the OCEPI guidance it is built on.

``HEADINGS`` maps every heading of ``ocepi-guidance-deepfakes.txt`` to the built page(s) and the
heading(s) (an h1, h2 or h3 id, or its text) that address it. ``PASSAGES`` does the same for the
guidance's un-headed paragraphs that carry their own topic (the nudify trend, why minors make these
images, the justice system, the resource list, the OCEPI "about" paragraph, ...), keyed by a phrase
that must still be in the guidance.

The test reads the guidance's headings itself, so a heading added to the guidance with no mapping
fails, and so does a mapping whose heading has left the guidance. It reads the real built site, so
a page or heading that disappears or is renamed fails too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
GUIDANCE_NAME = "ocepi-guidance-deepfakes.txt"
GUIDANCE_CANDIDATES = (ROOT / "reference" / GUIDANCE_NAME, ROOT.parent / "shared" / "reference" / GUIDANCE_NAME)

Target = tuple[str, str]   # (built page, relative to the site root; heading id or heading text)

# Every heading in the guidance, in order -> where the staff guide addresses it.
HEADINGS: dict[str, list[Target]] = {
    # The document's title: the staff guide as a whole.
    "Guidance for School-Based Professionals and School Leaders": [
        ("staff/index.html", "staff-and-leaders"),
        ("staff/index.html", "the-pages-in-this-guide"),
    ],
    "1 Know the issue": [
        ("staff/know-the-issue/index.html", "know-the-issue"),
    ],
    "What is GenAI and how does it work?": [
        ("staff/know-the-issue/index.html", "what-is-genai-and-how-does-it-work"),
    ],
    "Examples:": [
        ("staff/know-the-issue/index.html", "in-the-news"),
    ],
    "2 Understand the impact": [
        ("staff/understand-the-impact/index.html", "understand-the-impact"),
        ("staff/understand-the-impact/index.html", "the-harm"),
    ],
    "3 What can schools do?": [
        ("staff/index.html", "the-pages-in-this-guide"),
    ],
    "Understand the Problem.": [
        ("staff/surveys/index.html", "understanding-your-school"),
        ("staff/surveys/index.html", "three-levels"),
        ("staff/surveys/index.html", "three-ways"),
        ("staff/surveys/index.html", "the-surveys"),
    ],
    "Develop policies and procedures.": [
        ("staff/model-policy/index.html", "policy-text"),
        ("staff/investigating/index.html", "the-procedure-at-a-glance"),
        ("staff/interventions/index.html", "the-continuum"),
    ],
    "Develop and implement a victim-centered response program.": [
        ("staff/responding-to-a-report/index.html", "a-victim-centered-trauma-informed-response"),
        ("staff/model-policy/index.html", "supportive-measures"),
    ],
    "Invest in prevention programming.": [
        ("staff/prevention-program/index.html", "what-the-guidance-asks"),
        ("staff/prevention-program/index.html", "timeline"),
    ],
    "4 Resources, additional information, and requests for guidance": [
        ("staff/getting-help/index.html", "resources-and-getting-help"),
        ("staff/getting-help/index.html", "not-alone"),
    ],
}

# Paragraphs without a heading of their own, keyed by a phrase from them -> where they are addressed.
PASSAGES: dict[str, list[Target]] = {
    # 1 Know the issue
    "An emerging trend in the misuse of GenAI technology by minors": [
        ("staff/know-the-issue/index.html", "nudify-and-face-swap-apps"),
    ],
    "they often do so, we think, out of curiosity": [
        ("staff/know-the-issue/index.html", "why-young-people-make-these-images"),
    ],
    "may not understand the gravity of the harm": [
        ("staff/know-the-issue/index.html", "young-people-may-not-understand-the-harm-and-they-share"),
    ],
    "that system is often less equipped to deal with minors": [
        ("staff/know-the-issue/index.html", "why-the-justice-system-is-less-equipped-for-minors"),
    ],
    "In one of its variations, sextortion involves": [
        ("staff/know-the-issue/index.html", "notes"),
    ],
    # 2 Understand the impact
    "complex and distressing emotions surrounding who created the image": [
        ("staff/understand-the-impact/index.html", "the-questions-victims-live-with"),
    ],
    "this concern may cause victims of sexually explicit deepfakes not to come forward": [
        ("staff/understand-the-impact/index.html", "why-victims-may-not-come-forward"),
    ],
    # 3 What can schools do?
    "teachers, parents, and guardians are less aware than students": [
        ("staff/surveys/index.html", "why-start-here"),
    ],
    "legal, social, financial, and psychological implications": [
        ("staff/surveys/index.html", "legal-and-social-implications"),
        ("staff/the-law/index.html", "the-law-in-plain-language"),
    ],
    "a clearly defined approach to how they will investigate claims": [
        ("staff/investigating/index.html", "investigating"),
        ("staff/model-policy/index.html", "investigation"),
    ],
    "a clearly articulated set of potential interventions": [
        ("staff/interventions/index.html", "the-continuum"),
        ("staff/model-policy/index.html", "interventions"),
    ],
    "including state laws on mandated reporting": [
        ("staff/responding-to-a-report/index.html", "mandated-reporting"),
        ("staff/the-law/index.html", "mandated-reporting"),
    ],
    "Take it Down program (takeitdown.ncmec.org), which allows child victims": [
        ("staff/responding-to-a-report/index.html", "take-it-down"),
    ],
    "aware of the steps to take upon learning that a student has been victimized": [
        ("staff/responding-to-a-report/index.html", "the-first-hour"),
        ("staff/prevention-program/index.html", "staff-training"),
    ],
    "Schools can leverage existing prevention resources": [
        ("staff/prevention-program/index.html", "existing-resources"),
    ],
    "collaboration with key stakeholders is critical": [
        ("staff/prevention-program/index.html", "stakeholders"),
    ],
    # 4 Resources, additional information, and requests for guidance
    "a set of ten best practices for effective prevention programming": [
        ("staff/prevention-program/index.html", "ocepi-best-practices"),
    ],
    "NCMEC runs a 24-hour hotline for children and families": [
        ("staff/getting-help/index.html", "report"),
    ],
    "runs the CyberTipline that allows victims to file formal reports": [
        ("staff/getting-help/index.html", "report"),
    ],
    "Take It Down program allows children to anonymously take proactive steps": [
        ("staff/getting-help/index.html", "remove-images"),
    ],
    "experienced and well-situated to engage with schools on these issues": [
        ("staff/getting-help/index.html", "organizations"),
    ],
    "The Center for Democracy & Technology has conducted surveys": [
        ("staff/getting-help/index.html", "research"),
    ],
    "Thorn has also published information": [
        ("staff/getting-help/index.html", "research"),
    ],
    "can help schools and school districts develop appropriate policies and practices": [
        ("staff/getting-help/index.html", "help-with-policy-and-practice"),
    ],
    # The closing "about OCEPI" paragraph and the grant statement
    "The Online Child Exploitation Prevention Initiative (OCEPI) consists of": [
        ("staff/getting-help/index.html", "about-ocepi"),
    ],
    "This project was supported by Grant": [
        ("staff/getting-help/index.html", "about-ocepi"),
    ],
}


# --------------------------------------------------------------------------------------------------

def guidance_text() -> str:
    for path in GUIDANCE_CANDIDATES:
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.fail(f"the OCEPI guidance is missing; looked for {', '.join(str(p) for p in GUIDANCE_CANDIDATES)}")


def normalize(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def guidance_headings(text: str) -> list[str]:
    """The guidance's headings: short lines that stand alone between blank lines.

    A heading is at most 12 words and 100 characters, contains no "/" (so the bare web addresses of
    the Examples are not headings), and is not a list item ("1. **Know the issue**", "- ...") or a
    footnote ("¹In one...").
    """
    lines = text.split("\n")
    found = []
    for i, line in enumerate(lines):
        s = line.strip()
        alone = (i == 0 or not lines[i - 1].strip()) and (i + 1 == len(lines) or not lines[i + 1].strip())
        if (s and alone and len(s) <= 100 and len(s.split()) <= 12 and "/" not in s
                and not re.match(r"^(?:[-\u2022*]|\d+\.\s|[\u00b9\u00b2\u00b3\u2070-\u2079])", s)):
            found.append(normalize(s))
    return found


def heading_problems(headings: list[str], mapping: dict[str, list[Target]]) -> list[str]:
    keys = {normalize(k) for k in mapping}
    problems = [f"guidance heading {h!r} has no mapping in HEADINGS" for h in headings if h not in keys]
    problems += [f"HEADINGS maps {k!r}, which is no longer a heading in the guidance"
                 for k in sorted(keys - set(headings))]
    return problems


def passage_problems(text: str, mapping: dict[str, list[Target]]) -> list[str]:
    body = normalize(text)
    return [f"PASSAGES phrase {phrase!r} is no longer in the guidance" for phrase in mapping
            if normalize(phrase) not in body]


def page_headings(page: Path) -> tuple[set[str], set[str]]:
    """The (ids, texts) of a built page's h1-h3 headings in the article, without the permalink sign."""
    tree = lxml_html.fromstring(page.read_bytes())
    ids, texts = set(), set()
    for h in tree.xpath("//article//*[self::h1 or self::h2 or self::h3]"):
        for link in h.xpath(".//a[contains(concat(' ', @class, ' '), ' headerlink ')]"):
            link.drop_tree()
        if h.get("id"):
            ids.add(h.get("id"))
        texts.add(normalize(h.text_content()).lower())
    return ids, texts


def target_problems(site: Path, mapping: dict[str, list[Target]]) -> list[str]:
    problems = []
    cache: dict[str, tuple[set[str], set[str]] | None] = {}
    for part, targets in mapping.items():
        if not targets:
            problems.append(f"{part!r} is mapped to nothing")
        for page, heading in targets:
            if page not in cache:
                path = site / page
                cache[page] = page_headings(path) if path.exists() else None
            found = cache[page]
            if found is None:
                problems.append(f"{part!r}: page {page} is not in the built site")
            elif heading not in found[0] and normalize(heading).lower() not in found[1]:
                problems.append(f"{part!r}: {page} has no h1-h3 heading with id or text {heading!r}")
    return problems


# --------------------------------------------------------------------------------------------------

def test_every_guidance_heading_is_mapped():
    text = guidance_text()
    headings = guidance_headings(text)
    assert len(headings) >= 10, f"found only {headings}: the heading parser no longer fits the guidance"
    problems = heading_problems(headings, HEADINGS) + passage_problems(text, PASSAGES)
    assert not problems, "Update the table in tests/test_staff_coverage.py:\n  " + "\n  ".join(problems)


def test_every_mapped_page_and_heading_is_in_the_built_site(built_site):
    problems = target_problems(built_site, {**HEADINGS, **PASSAGES})
    assert not problems, ("The staff guide no longer covers part of the guidance (a page or heading was "
                          "removed or renamed). Restore it, or update the table:\n  " + "\n  ".join(problems))


# Unit tests for the machinery: each check fails on the problem it exists to catch.

def test_a_new_guidance_heading_without_a_mapping_fails():
    text = guidance_text()
    marker = "\n\nInvest in prevention programming.\n\n"
    assert marker in text
    changed = text.replace(marker, marker + "Support staff who are depicted.\n\n")
    problems = heading_problems(guidance_headings(changed), HEADINGS)
    assert problems == ["guidance heading 'Support staff who are depicted.' has no mapping in HEADINGS"]


def test_a_heading_removed_from_the_guidance_fails():
    text = guidance_text().replace("\n\nExamples:\n\n", "\n\n")
    assert any("'Examples:'" in p for p in heading_problems(guidance_headings(text), HEADINGS))


def test_a_passage_removed_from_the_guidance_fails():
    text = guidance_text().replace("Thorn has also published information", "Thorn wrote")
    assert passage_problems(text, PASSAGES) == ["PASSAGES phrase 'Thorn has also published information' "
                                                "is no longer in the guidance"]


def test_urls_list_items_and_footnotes_are_not_headings():
    sample = ("Intro paragraph that is long enough to be prose and not a heading at all, really.\n\n"
              "A Heading?\n\n1. **Know the issue**\n\nexample.com/some/path;\n\n- a list item\n\n"
              "\u00b9A footnote.\n\nExamples:\n")
    assert guidance_headings(sample) == ["A Heading?", "Examples:"]


def test_a_missing_page_or_heading_fails(tmp_path):
    page = tmp_path / "staff" / "x" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html><body><article><h1 id="x">X<a class="headerlink" href="#x">¶</a></h1>'
                    '<h2 id="kept">Kept heading</h2><h3 id="other">Sub heading</h3>'
                    '</article><h2 id="outside">Outside</h2></body></html>')
    ok = {"A": [("staff/x/index.html", "kept"), ("staff/x/index.html", "Sub heading"), ("staff/x/index.html", "X")]}
    assert target_problems(tmp_path, ok) == []
    assert target_problems(tmp_path, {"B": [("staff/x/index.html", "gone")]})
    assert target_problems(tmp_path, {"C": [("staff/missing/index.html", "kept")]})
    assert target_problems(tmp_path, {"D": [("staff/x/index.html", "outside")]}), "only headings in the article count"
    assert target_problems(tmp_path, {"E": []})
