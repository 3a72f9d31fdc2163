"""The content rules (curriculum/rules/): each unit-tested on small strings (no build), and each shown
to stop a real build, naming the file and line (one fixture build per rule).

The rules themselves live in the engine, so `make site` on a district's copy enforces them too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, build_fixture
from curriculum import blocks, rules
from curriculum.registry import load_registry
from curriculum.rules.csam import csam_first_use
from curriculum.rules.image_handling import image_handling_instructions
from curriculum.rules.reading import html_text, spanish_ease
from curriculum.rules.single_source import hand_typed
from curriculum.rules.terms import banned_terms

REGISTRY = load_registry(ROOT / "macros/resources.yml")
CONTEXT = rules.Context(REGISTRY)


def test_the_real_content_passes_every_source_rule():
    """The same check `make site` runs first (about a second, no build)."""
    documents, problems = rules.documents(ROOT)
    assert len(documents) > 50 and not problems
    outcome = rules.run(documents, CONTEXT)
    assert not outcome.problems, "\n".join(map(str, outcome.problems))


# --------------------------------------------------------------------------------------------------
# Unit tests: each checker catches the text it exists to stop, and lets good text through
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Some people call this revenge porn.",
    "Deepfake nudes are a kind of Revenge Porn.",
    "It is child pornography, and it is illegal.",
    "Possessing child porn is a crime.",
    "The law calls it child pornography.",
    "Avoid the term \"revenge-porn\" in class.",
])
def test_banned_terms_are_caught(text):
    assert banned_terms(text), text


@pytest.mark.parametrize("text", [
    "Federal law still uses the term \"child pornography\" (18 U.S.C. § 2256).",
    "The *Child Pornography Prevention Act of 1996* was partly struck down.",
    "the Child Pornography Prevention Act was a federal law",
    "StopNCII.org is run by the Revenge Porn Helpline, part of SWGfL.",
    "Say image-based sexual abuse and child sexual abuse material (CSAM).",
])
def test_statute_and_organization_names_are_allowed(text):
    assert not banned_terms(text), text


def test_csam_rule():
    assert csam_first_use("No acronym here.") is None
    assert csam_first_use("Child sexual abuse material (CSAM) is illegal. Report CSAM.") is None
    assert csam_first_use("**Child sexual abuse material (CSAM)**: images of anyone under 18.") is None
    assert csam_first_use("Report CSAM to NCMEC.") is not None
    late = csam_first_use("Report CSAM now.\n\nChild sexual abuse material (CSAM) means ...")
    assert late is not None and late.line == 1 and "later" in late.text
    assert csam_first_use("Say child sexual abuse material. Later: CSAM.") is not None


@pytest.mark.parametrize("bad", [
    "Save the image as evidence.",
    "Take a screenshot of the post before it is deleted.",
    "Screenshot it and tell an adult.",
    "If you receive one, forward it to the principal.",
    "Download the image so police can see it.",
    "Keep a copy for the investigation.",
    "Keep a copy of the picture in a safe place.",
    "Staff should save the images on a school computer.",
    "You should take screenshots of everything.",
    "Ask the student to forward it to you.",
    "Make sure to keep the photos as evidence.",
    "Don't forget to save the image.",
    "Do not look at the image, and save it for police.",
    "Never post it; save it for the police instead.",
    "- Look at the picture to see how bad it is.",
    "1. **Print the image** and put it in the file.",
    "What to do: screenshot the chat.",
    "Delete the picture right away.",
    "If you are not sure, save the image.",
    "Save, screenshot or forward the image to the counselor.",
    "Then send the nudes to the Title IX coordinator.",
])
def test_instructions_to_handle_an_image_are_caught(bad):
    assert image_handling_instructions(bad), bad


@pytest.mark.parametrize("good", [
    "Never save the image.",
    "Do not screenshot it.",
    "Don't forward it to anyone.",
    "Don't look at, save or forward the image.",
    "Never open, save, screenshot, forward, print, and delete it.",
    "Never ask to see it, and never open, save, screenshot, forward, print or delete it.",
    "You do not need to save anything or keep a copy.",
    "Secure the device without looking at it.",
    "Students who forward images cause harm.",
    "It is a crime to save or share such images.",
    "Can I send that picture to the class group chat?",
    "Print the first-response card for every adult.",
    "Print the picture rules and hang them up.",
    "Keep a copy of this letter.",
    "Save it as a PDF to print later.",
    "Take It Down works on an image already on the person's own device.",
    "No employee shall view, copy, save, screenshot, download, print, forward or delete an image.",
    "Never tell a student to save, screenshot, download, forward or delete a picture, not even as proof.",
    "Instead of saving the image, report it.",
    "Keep the language about images exactly as strict as it is here.",
    'A kid messages her: "Send me a picture of you."',
])
def test_negated_and_descriptive_sentences_are_allowed(good):
    assert not image_handling_instructions(good), good


def test_list_under_a_negated_lead_in_is_allowed_and_under_a_plain_one_is_caught():
    negated_list = "**What you must never do:**\n\n- save the image\n- forward it to a friend\n"
    plain_list = "**What to do:**\n\n- save the image\n- forward it to a friend\n"
    headed = "## Never do these\n\n- Screenshot it.\n"
    assert not image_handling_instructions(negated_list)
    assert len(image_handling_instructions(plain_list)) == 2
    assert not image_handling_instructions(headed)
    assert image_handling_instructions("## Do these\n\n- Screenshot it.\n")


def test_findings_name_the_line():
    found = image_handling_instructions("---\ntitle: x\n---\n\nFine text.\n\nSave the image now.\n")
    assert [f.line for f in found] == [7]


# -- single source -------------------------------------------------------------------------------
def test_single_source_catches_hand_typed_numbers_and_links():
    bad = "Call 1-800-843-5678 or 911, text HOME to 741741, dial 988, or visit takeitdown.ncmec.org or https://x.org."
    labels = {label for _, label, _ in hand_typed(bad, REGISTRY)}
    assert {"a web address", "a phone number", "crisis-text-line's number", "988-lifeline's number",
            "emergency-911's number", "take-it-down's address"} <= labels
    assert len([1 for _, _, text in hand_typed("Call 1-800-843-5678.", REGISTRY)]) == 1   # one finding per number
    assert hand_typed('Call {{ hotline("988-lifeline") }} or use {{ resource("take-it-down") }}.', REGISTRY) == []
    assert [line for line, _, _ in hand_typed('{{ resource("x",\n "y") }}\nwww.example.org', REGISTRY)] == [3]
    assert hand_typed('source_hash: "0f8c6c5d1008b911ad3834ce214fcb1339a3261e"', REGISTRY) == []


# -- reading level -------------------------------------------------------------------------------
def test_readable_text_splits_blocks_into_sentences():
    html = ('<h1>Title<a class="headerlink" href="#t">¶</a></h1>'
            "<ul><li>One thing</li><li>Another thing</li></ul><p>Done.</p>")
    assert html_text(html) == "Title. One thing. Another thing. Done."


def test_reading_rule_fails_hard_text_and_passes_plain_text():
    from curriculum.rules.reading import RULE
    hard = ("<p>Notwithstanding jurisdictional heterogeneity, administrative interventions necessitate "
            "comprehensive consultation with institutional legal counsel regarding evidentiary preservation.</p>")
    family = rules.Document("docs/families/x.md", "", {}, "page", "families")
    assert RULE.applies(family) and not RULE.applies(rules.Document("docs/staff/x.md", "", {}, "page", "staff"))
    assert RULE.check(rules.Rendered(family, hard), CONTEXT)
    assert not RULE.check(rules.Rendered(family, "<p>Tell an adult you trust. It is not your fault.</p>"), CONTEXT)
    spanish = rules.Document("handouts/es-x.md", "", {}, "handout", "families", "es")
    assert spanish_ease("No obstante la heterogeneidad jurisdiccional, las intervenciones administrativas "
                        "requieren consultas exhaustivas con asesoría jurídica institucional.") < 65
    assert RULE.check(rules.Rendered(spanish, "<p>No obstante la heterogeneidad jurisdiccional, las intervenciones "
                                              "administrativas requieren consultas exhaustivas.</p>"), CONTEXT)


# -- block types, read the way Python-Markdown reads them ----------------------------------------
@pytest.mark.parametrize("line", ["!!! say", "!!! Say", "!!!say", "!!! note say", '!!! SAY "Say this"',
                                  "??? say", "???+ say", '??? note say "Title"'])
def test_every_spelling_of_a_say_block_is_a_say_block(line):
    found = blocks.blocks(blocks.numbered(f"{line}\n    Words for students.\n\nAfter."))
    assert len(found) == 1 and found[0].has("say") and found[0].text == "Words for students."


def test_nested_blocks_and_fenced_code():
    text = "!!! facilitator\n    Note.\n\n    !!! say\n        Inner.\n\n```\n!!! say\n```\n"
    found = blocks.blocks(blocks.numbered(text))
    assert [(sorted(b.classes), b.line) for b in found] == [(["facilitator"], 1), (["say"], 4)]
    assert found[1].text == "Inner." and "Inner." in found[0].text


# -- the build enforces every rule, naming the file and line --------------------------------------
PAGE = "docs/index.md"
RULE_CASES = {
    "single-source": ("\nCall 1-800-843-5678 tonight.\n", r"a phone number typed by hand|ncmec-hotline's number"),
    "terms": ("\nSome people call it revenge porn.\n", r"a banned term"),
    "csam": ("\nReport CSAM to NCMEC.\n", r"'CSAM' is used before it is defined"),
    "image-handling": ("\nSave the image as evidence.\n", r"tells the reader to handle an image"),
}


def _append(path: str, text: str):
    def edit(work: Path) -> None:
        file = work / path
        file.write_text((file.read_text() if file.exists() else "") + text)
    return edit


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_the_build_stops_on_each_rule_naming_file_and_line(rule, tmp_path):
    text, message = RULE_CASES[rule]
    lines = (ROOT / "tests/fixtures/good" / PAGE).read_text().count("\n")
    result = build_fixture("good", tmp_path, edit=_append(PAGE, text))
    assert result.returncode != 0, result.output[-2000:]
    assert re.search(rf"{re.escape(PAGE)}:{lines + 2}: (?:{message})", result.output), result.output[-3000:]


def test_the_build_stops_on_a_family_page_that_is_hard_to_read(tmp_path):
    hard = ("---\ntitle: Hard\n---\n\n# Hard\n\nNotwithstanding jurisdictional heterogeneity, administrative "
            "interventions necessitate comprehensive consultation with institutional legal counsel regarding "
            "evidentiary preservation.\n")
    result = build_fixture("good", tmp_path, edit=lambda work: (work / "docs/families").mkdir()
                           or (work / "docs/families/hard.md").write_text(hard))
    assert result.returncode != 0
    assert re.search(r"docs/families/hard\.md: reads at Flesch-Kincaid grade [\d.]+; family pages", result.output), \
        result.output[-3000:]


def test_a_page_may_switch_a_rule_off_only_with_a_reason_that_the_build_prints(tmp_path):
    allowed = "---\ntitle: Quote\nallow:\n  single-source: \"Quotes a statute citation for the tests.\"\n---\n\n" \
              "# Quote\n\nCall 1-800-843-5678 tonight.\n"
    result = build_fixture("good", tmp_path, edit=lambda work: (work / "docs/quote.md").write_text(allowed))
    assert result.returncode == 0, result.output[-3000:]
    assert "docs/quote.md: rule 'single-source' is switched off for this page: Quotes a statute citation" \
        in result.output
    for case, (bad, message) in enumerate((
            ("  single-source: \"\"\n", r"'allow: single-source' needs a reason"),
            ("  single-sorce: \"why\"\n",
             r"'allow' names an unknown rule 'single-sorce' \(did you mean single-source\?\)"))):
        page = allowed.replace("  single-source: \"Quotes a statute citation for the tests.\"\n", bad)
        result = build_fixture("good", tmp_path / f"case-{case}",
                               edit=lambda work, page=page: (work / "docs/quote.md").write_text(page))
        assert result.returncode != 0, result.output[-2000:]
        assert re.search(rf"docs/quote\.md:4: {message}", result.output), result.output[-2000:]


def test_a_capitalised_facilitator_block_in_a_student_handout_stops_the_build(tmp_path):
    handout = "handouts/fixture-worksheet.md"
    result = build_fixture("good", tmp_path, edit=_append(handout, '\n!!! Facilitator "Answers"\n    Secret.\n'))
    assert result.returncode != 0
    assert re.search(rf"{handout}:\d+: a student handout contains a teacher-only 'facilitator' block",
                     result.output), result.output[-3000:]


def test_a_say_block_written_another_way_is_still_held_to_the_reading_level(tmp_path):
    lesson = "lessons/3-5/01-fixture-lesson.md"
    hard = ("\n!!! note Say\n    Contemporary generative technologies fundamentally complicate interpersonal "
            "accountability, necessitating comprehensive institutional deliberation.\n")
    def edit(work: Path) -> None:
        file = work / lesson
        text = file.read_text()
        file.write_text(text.replace("## Check for understanding", hard + "\n## Check for understanding", 1))
    result = build_fixture("good", tmp_path, edit=edit)
    assert result.returncode != 0
    assert "Say blocks read at grade" in result.output, result.output[-3000:]


# -- crisis paths ----------------------------------------------------------------------------------
from curriculum.rules import crisis  # noqa: E402  (kept beside its tests)

SNIPPETS = rules.snippets_of(rules.documents(ROOT, ["snippets"])[0])
CRISIS = rules.Context(REGISTRY, SNIPPETS)


def doc(text: str, path: str = "docs/staff/x.md", audience: str | None = "staff", lang: str = "en") -> rules.Document:
    return rules.Document(path, text, {}, "handout" if path.startswith("handouts/") else "page", audience, lang)


def test_the_crisis_snippets_exist_and_say_what_the_tool_needs():
    assert set(crisis.CAVEATS) | set(crisis.REQUESTS) <= set(SNIPPETS)
    assert "already" in SNIPPETS["take-it-down-limits.md"] and "never" in SNIPPETS["take-it-down-limits.md"]
    assert "48 hours" in SNIPPETS["removal-request.md"] and "48 horas" in SNIPPETS["removal-request-es.md"]


@pytest.mark.parametrize("text", ['Use {{ resource("take-it-down") }}.', "Try Take It Down.",
                                  '{% include "disclosure-protocol.md" %}'])
def test_take_it_down_without_its_limits_is_caught_even_through_a_snippet(text):
    bare = dict(SNIPPETS, **{"disclosure-protocol.md": "Families can use Take It Down."})
    assert crisis.check_caveat(doc(text), rules.Context(REGISTRY, bare))


@pytest.mark.parametrize("text", ['Use {{ resource("take-it-down") }}: {% include "take-it-down-limits.md" %}',
                                  "The TAKE IT DOWN Act says so.", "The Take It Down Act passed.",
                                  '{{ resource("take-it-down-act") }}', '{% include "disclosure-protocol.md" %}'])
def test_take_it_down_with_its_limits_or_the_act_alone_is_fine(text):
    assert not crisis.check_caveat(doc(text), CRISIS)


def test_family_pages_that_offer_take_it_down_name_the_removal_request():
    offered = 'Use {{ resource("take-it-down") }}: {% include "take-it-down-limits.md" %}'
    family = "docs/families/x.md"
    assert crisis.check_request(doc(offered, family, "families"), CRISIS)
    assert not crisis.check_request(doc(offered + '\n\n{% include "removal-request.md" %}', family, "families"),
                                    CRISIS)
    assert not crisis.check_request(doc(offered + " Or ask the site: its removal request must be acted on within "
                                        "48 hours.", family, "families"), CRISIS)
    card = "handouts/resource-card.md"
    assert crisis.check_request(doc("No tools here, but its removal request works within 48 hours.", card,
                                    "families"), CRISIS), "the cards always carry the whole checklist"
    assert crisis.REQUEST_RULE.applies(doc("", card, "families"))
    assert not crisis.REQUEST_RULE.applies(doc("", "docs/staff/x.md", "staff"))


@pytest.mark.parametrize("bad", ['Say: "I know the picture is fake."', "I know it's fake.", "I know it is fake.",
                                 "We know the image was not real.", "I'm telling you: I know that this is just fake.",
                                 "Dígale: sé que es falsa."])
def test_an_adult_asserting_the_image_is_fake_is_caught(bad):
    assert crisis.check_fake(doc(bad), CRISIS), bad


@pytest.mark.parametrize("good", ["It doesn't matter whether it is real or fake: it is not your fault.",
                                  "The picture is fake, but the harm is real.", 'Sam says, "Relax, it\'s fake."',
                                  "I know you are scared.", "If a picture is fake, can it still hurt someone?"])
def test_teaching_about_fakes_is_not_an_assertion(good):
    assert not crisis.check_fake(doc(good), CRISIS), good


CRISIS_CASES = {
    "take-it-down-limits": ("docs/tools.md", "# Tools\n\nYou can also use Take It Down.\n",
                            r"docs/tools\.md:3: offers Take It Down without saying what it needs"),
    "fake-assertion": ("docs/index.md", '\nSay: "I know the picture is fake."\n',
                       r"docs/index\.md:\d+: asserts that an image is fake"),
}


@pytest.mark.parametrize("rule", sorted(CRISIS_CASES))
def test_the_build_stops_on_each_crisis_rule(rule, tmp_path):
    path, text, message = CRISIS_CASES[rule]
    result = build_fixture("good", tmp_path, edit=_append(path, text))
    assert result.returncode != 0 and re.search(message, result.output), result.output[-3000:]


def test_the_build_stops_on_a_resource_card_without_the_removal_request(tmp_path):
    card = ("---\ntitle: Resource card\naudience: families\nbands: [all]\nkind: card\npages: 1\n"
            "description: A card used only by the tests.\n---\n\n# Resource card\n\nCall someone you trust.\n")
    result = build_fixture("good", tmp_path, edit=lambda work: (work / "handouts/resource-card.md").write_text(card))
    assert result.returncode != 0
    assert "handouts/resource-card.md:1: a page a family in crisis is sent to lacks the 48-hour removal request" \
        in result.output, result.output[-3000:]


def test_a_lesson_or_handout_may_switch_a_rule_off_in_its_front_matter(tmp_path):
    handout = "handouts/fixture-worksheet.md"

    def edit(work: Path) -> None:
        file = work / handout
        text = file.read_text().replace("---\n\n", '---\n\nThe phone number 555-555-0123 is made up.\n', 1)
        file.write_text(text.replace("lang: en\n", "").replace(
            "pages: 1\n", 'pages: 1\nallow:\n  single-source: "A made-up number, to show what not to trust."\n', 1))
    result = build_fixture("good", tmp_path, edit=edit)
    assert result.returncode == 0, result.output[-3000:]
    assert f"{handout}: rule 'single-source' is switched off for this page: A made-up number" in result.output


# -- blanks ----------------------------------------------------------------------------------------
from curriculum.rules.blanks import underscore_blanks  # noqa: E402  (kept beside its tests)


@pytest.mark.parametrize("text", ["4. ________", "- ____", "    ______________", "____", "1) _ _ _ _",
                                  "My name: ________", "| At home | ______ |",
                                  'Teacher, {{ district("school", fallback="________") }}'])
def test_underscore_blanks_are_caught(text):
    assert underscore_blanks(text), text


@pytest.mark.parametrize("text", ["My name: {{ blank() }}", "4. {{ blank(\"long\") }}", "    {{ blank(lines=3) }}",
                                  "The right choice is ___ because ___.", "`snake_case____name`",
                                  "```\n____\n```", "---\ntitle: x\n---\n\nText.", "a_b_c"])
def test_blanks_written_the_one_way_pass(text):
    assert not underscore_blanks(text), text


def test_an_underscore_list_item_is_reported_as_the_rule_markdown_makes_of_it():
    (line, message), = underscore_blanks("---\ntitle: x\n---\n\n1. {{ blank() }}\n2. ________\n")
    assert line == 6 and "list item of only underscores" in message and "horizontal rule" in message


def test_the_build_stops_on_an_underscore_blank_naming_file_and_line(tmp_path):
    handout = "handouts/fixture-worksheet.md"
    lines = (ROOT / "tests/fixtures/good" / handout).read_text().count("\n")
    result = build_fixture("good", tmp_path, edit=_append(handout, "\n1. ________\n"))
    assert result.returncode != 0, result.output[-2000:]
    assert re.search(rf"{re.escape(handout)}:{lines + 2}: a list item of only underscores", result.output), \
        result.output[-3000:]
    assert "{{ blank() }}" in result.output
