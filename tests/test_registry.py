"""The registry model, the macros' building blocks and the district fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from curriculum import resource_html
from curriculum.district import NEUTRAL, District, district_text, load_district
from curriculum.errors import ContentError
from curriculum.registry import UnknownResource, dialed_digits, load_registry

REGISTRY = load_registry(ROOT / "macros/resources.yml")

GOOD = """\
verified_against: "tests"
resources:
  line:
    name: "A line"
    org: "An org"
    kind: phone
    phone: "+18008435678"
    display: "1-800-THE-LOST (1-800-843-5678)"
    audiences: [families]
    languages: [en]
    group: get-help
    summary: "What it is for, in a sentence."
    source: "facts.md §2a"
    verified: 2026-11-29
    tier: critical
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "resources.yml"
    path.write_text(text)
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as error:
        load_registry(write(tmp_path, text))
    return [str(p) for p in error.value.problems]


def test_the_real_registry_holds_the_critical_resources():
    must = {"988-lifeline", "crisis-text-line", "take-it-down", "stopncii", "cybertipline", "ncmec-hotline",
            "netsmartz", "is-your-explicit-content-out-there"}
    assert must <= set(REGISTRY.resources)
    for key in must - {"netsmartz"}:
        assert REGISTRY.resources[key].tier == "critical", key


def test_the_registry_holds_every_link_named_in_the_guidance():
    guidance = (ROOT / "reference/ocepi-guidance-deepfakes.txt").read_text()
    named = ["icactaskforce.org/ocepi", "report.cybertip.org", "takeitdown.ncmec.org", "missingkids.org",
             "a21.org", "carlyryanfoundation.com", "know2protect.gov", "secretservice.gov/investigations/ncmec",
             "icactaskforce.org", "huit.harvard.edu/ai", "missingkids.org/theissues/sextortion",
             "info.thorn.org/navigating-deepfake-nudes", "Thorn_DeepfakeNudes&YoungPeople_Mar2025.pdf",
             "2024-09-26-final-Civic-Tech-Fall-Polling-research-1.pdf",
             "FINAL-UPDA-TED-CDT-2024-NCII-Polling-Slide-Deck.pdf",
             "beverly-hills-school-expels-students-deepfake-nude-photos-rcna142480",
             "nj-westfield-high-school-artificial-intelligence-pornographic-images/14009286",
             "for-deepfake-nude-victims-the-future-is-already-here-00160483"]
    urls = " ".join(u.lower() for u in REGISTRY.urls)
    for fragment in named:
        assert fragment.lower() in guidance.lower(), f"test table out of date: {fragment}"
        assert fragment.lower() in urls, f"guidance link missing from the registry: {fragment}"
    assert "1-800-THE-LOST (1-800-843-5678)" in guidance
    assert REGISTRY.resources["ncmec-hotline"].display == "1-800-THE-LOST (1-800-843-5678)"


def test_a_good_entry_loads(tmp_path):
    registry = load_registry(write(tmp_path, GOOD))
    assert registry.resources["line"].href == "tel:+18008435678"


@pytest.mark.parametrize("old,new,expected", [
    ('phone: "+18008435678"', 'phone: "+18008435679"', "resources.yml:8: resource 'line', field 'display'"),
    ('phone: "+18008435678"', 'phone: "800-843-5678"',
     "resource 'line', field 'phone': '800-843-5678' is not an E.164"),
    ("tier: critical", "tier: urgent", "resource 'line', field 'tier'"),
    ("    summary: \"What it is for, in a sentence.\"\n", "", "resource 'line', field 'summary': Field required"),
    ("verified: 2026-11-29", "verified: last week", "resource 'line', field 'verified'"),
    ("kind: phone", "kind: phone\n    colour: red", "resource 'line', field 'colour': Extra inputs are not permitted"),
])
def test_a_bad_entry_names_the_key_the_field_and_the_line(tmp_path, old, new, expected):
    found = problems(tmp_path, GOOD.replace(old, new))
    assert any(expected in p for p in found), found


def test_urls_must_be_https(tmp_path):
    text = GOOD.replace('kind: phone\n    phone: "+18008435678"\n    display: "1-800-THE-LOST (1-800-843-5678)"',
                        'kind: web\n    url: "http://example.org"')
    assert any("field 'url'" in p and "https" in p for p in problems(tmp_path, text))


def test_malformed_yaml_names_the_line(tmp_path):
    found = problems(tmp_path, GOOD.replace("audiences: [families]", "audiences: [families"))
    assert found and "resources.yml:" in found[0] and "YAML cannot be read" in found[0]


def test_dialed_digits_reads_vanity_and_bracketed_forms():
    assert dialed_digits("1-800-THE-LOST (1-800-843-5678)") == "18008435678"
    assert dialed_digits("1-800-THE-LOST") == "18008435678"
    assert dialed_digits("988") == "988"


def test_unknown_key_lists_the_closest_keys():
    with pytest.raises(UnknownResource) as error:
        REGISTRY.get("takeitdown", where="lessons/6-8/03.md")
    assert "lessons/6-8/03.md" in str(error.value) and "take-it-down" in str(error.value)


def test_hotline_link_prints_and_dials_the_same_field():
    link = resource_html.hotline_link(REGISTRY.resources["ncmec-hotline"])
    assert 'href="tel:+18008435678"' in link and ">1-800-THE-LOST (1-800-843-5678)<" in link
    text = resource_html.hotline_link(REGISTRY.resources["crisis-text-line"])
    assert 'href="sms:741741?body=HOME"' in text
    with pytest.raises(ValueError):
        resource_html.hotline_link(REGISTRY.resources["take-it-down"])


def test_resources_filter_fails_loudly_when_nothing_matches():
    assert resource_html.select(REGISTRY, audience="families", tier="critical")
    with pytest.raises(ValueError):
        resource_html.select(REGISTRY, kind="phone", group="learn")


def test_district_is_never_empty():
    empty = District()
    for field in NEUTRAL:
        assert district_text(empty, field).strip(), field
    assert district_text(load_district({"counselor": "Ms. Rivera"}), "counselor") == "Ms. Rivera"
    with pytest.raises(KeyError):
        district_text(empty, "councelor")
    with pytest.raises(ContentError):
        load_district({"phone": "555-0100"})


def test_district_spanish_fallback_and_reach_wording():
    from curriculum.district import reach_text

    empty = District()
    assert district_text(empty, "counselor", lang="es") == "el equipo de consejería de la escuela"
    assert district_text(empty, "school", fallback="_____") == "_____"
    assert district_text(load_district({"school": "Lincoln MS"}), "school", fallback="_____") == "Lincoln MS"
    with pytest.raises(KeyError):
        district_text(empty, "school", fallback="  ")
    assert reach_text(empty, "") == "through your school's main office"
    both = load_district({"phone": "+15555550100", "email": "office@example.org"})
    assert reach_text(both, "<a>555</a>") == "by phone at <a>555</a> or by email at office@example.org"
    assert reach_text(load_district({"email": "office@example.org"}), "", "es") == \
        "por correo electrónico a office@example.org"


def test_in_repo_reference_copy_matches_the_shared_source():
    """reference/ is a copy so a fork builds and tests alone; where the shared original is present
    (as in our CI), the copy must not drift from it."""
    shared = ROOT.parent / "shared" / "reference"
    for name in ("facts.md", "ocepi-guidance-deepfakes.txt"):
        copy = ROOT / "reference" / name
        assert copy.is_file(), f"reference/{name} is missing"
        if shared.is_dir():
            assert copy.read_bytes() == (shared / name).read_bytes(), f"reference/{name} differs from shared/"
