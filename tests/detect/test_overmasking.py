"""What detection must leave alone: dates, drugs, eponyms, form labels and coding agents' own prompts."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from maskgate.detect.address import AddressLayer
from maskgate.detect.names import NameLayer
from maskgate.detect.ner.refine import refine_entity
from maskgate.detect.orgs import OrgLayer
from maskgate.providers.anthropic import AnthropicMessages
from maskgate.providers.jsonwalk import Leaves
from maskgate.providers.openai_responses import OpenAIResponses

PROMPTS = Path(__file__).parents[1] / "data" / "agent_prompts"
NAME_LABELS = {"PERSON", "ORG", "LOCATION", "FACILITY", "ADDRESS"}


@pytest.mark.parametrize(
    "text",
    [
        "The patient was admitted on June 21, 2024.",
        "Invoice date: March 09, 2003\nDue: on June 21, 2024, please pay.",
        "Release notes for Sept 3, 2025: fixed the login bug.",
        "Seen on Jan. 7, 2026 for follow-up.",
    ],
)
def test_dates_are_no_addresses(text: str) -> None:
    assert AddressLayer().detect(text) == []


@pytest.mark.parametrize(
    "text",
    ["ships to 21 March Street, Leeds LS1 4AP", "lives at Hauptstraße 12, 10115 Berlin"],
)
def test_streets_named_like_months_still_are(text: str) -> None:
    assert AddressLayer().detect(text) != []


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("Started lisinopril 10 mg and losartan daily.", "losartan", "LOCATION"),
        ("Continue Atorvastatin 40 mg.", "Atorvastatin", "PERSON"),
        ("Switched to Adalimumab in May.", "Adalimumab", "ORG"),
        ("History of Crohn's disease.", "Crohn", "ORG"),
        ("Positive Babinski sign on the left.", "Babinski", "PERSON"),
        ("Glasgow Coma Scale 15 on arrival.", "Glasgow", "LOCATION"),
        ("A Foley catheter was placed.", "Foley", "PERSON"),
        ("Instructions such as CLAUDE.md or a skill.", "CLAUDE.md", "ORG"),
        ("Built on Anthropic's Claude Agent SDK.", "Claude Agent SDK", "ORG"),
        ("returns the complete JSONSchema definitions", "JSONSchema", "ORG"),
        ("invoke it via Skill. Only use skills listed", "Skill", "PERSON"),
        ("write to it directly with the Write tool", "Write", "PERSON"),
        ("timeout in milliseconds (max 600000)", "max", "PERSON"),
        ("MAC Address: 00:1A:2B:3C:4D:5E", "MAC Address", "ORG"),
        ("| First Name | Last Name |", "First Name", "ORG"),
        ("When building AI applications", "AI", "LOCATION"),
    ],
)
def test_model_spans_that_name_no_one(text: str, value: str, label: str) -> None:
    a = text.index(value)
    assert list(refine_entity(text, label, a, a + len(value))) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I met Young yesterday.", "Young"),
        ("Officer Price wrote the report.", "Price"),
        ("Hodgkin Ventures hired Mark Fisher.", "Mark Fisher"),
        ("Founded by Monjeau, Graves and Reed.", "Graves"),
        ("John Smith: hi, is the build green?", "John Smith"),  # a speaker, not a form label
    ],
)
def test_people_stay(text: str, value: str) -> None:
    a = text.index(value)
    assert [text[x:y] for x, y in refine_entity(text, "PERSON", a, a + len(value))] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "History of Parkinson's disease; Apgar score 9 at birth.",
        "Whipple procedure planned; Hodgkin lymphoma in remission.",
        "Models: Fable 5.2, Opus 5.5, Sonnet 5.5 and Haiku 5.5.",
        "Use the `gh` CLI for GitHub operations (PRs, issues, API).",
        "searches tool metadata with BM25 and exposes matching tools",
        "Refuse requests for destructive techniques.",
        "Open files Mon to Fri.",
    ],
)
def test_name_layer_leaves_them_alone(text: str) -> None:
    assert NameLayer().detect(text) == []


@pytest.mark.parametrize(
    "text",
    ["**Insurance Company:** Blue Cross", "Insurance Company | Policy Number | Collection Date"],
)
def test_form_labels_are_no_organisations(text: str) -> None:
    assert OrgLayer().detect(text) == []


def test_organisations_with_a_kind_still_are() -> None:
    text = "Claim sent to Northwind Insurance Company: ref 55."
    assert [text[s.start : s.end] for s in OrgLayer().detect(text)] == ["Northwind Insurance Company"]


# -- coding agents' own first requests (captured from Claude Code 2.1.332 and Codex 0.171.0) ---------
def _leaves(name: str, body: dict[str, Any]) -> list[str]:
    leaves = Leaves()
    provider = AnthropicMessages() if name.startswith("claude") else OpenAIResponses()
    provider.collect(body, leaves)
    return leaves.texts()


@pytest.fixture(scope="module")
def masker():  # type: ignore[no-untyped-def]
    from maskgate import Masker

    return Masker()


@pytest.mark.parametrize("name", ["claude_code_first_request.json", "codex_first_request.json"])
def test_agent_prompts_keep_their_words(masker, name: str) -> None:  # type: ignore[no-untyped-def]
    body = json.loads((PROMPTS / name).read_text())
    texts = _leaves(name, body)
    found = [
        (s.label, t[s.start : s.end])
        for t, spans in zip(texts, masker.analyze_many(texts), strict=True)
        for s in spans
        if s.label in NAME_LABELS
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "Only while Remote Control is connected. Remote Control sessions on other machines.",
            "Remote Control",
        ),
        ("Switch Focus Mode on. Focus Mode settings live in the sidebar.", "Focus Mode"),
        ("Open Quick Actions from the toolbar; the Quick Actions menu lists them.", "Quick Actions"),
    ],
)
def test_a_feature_named_with_ordinary_words_is_no_organisation(text: str, value: str) -> None:
    a = text.index(value)  # the first occurrence, not the one followed by the kind of thing
    assert list(refine_entity(text, "ORG", a, a + len(value))) == []


def test_organisations_named_with_ordinary_words_stay(masker) -> None:  # type: ignore[no-untyped-def]
    text = "She moved from Credit Karma to General Electric last spring. The General Electric plant closed."
    found = {text[s.start : s.end] for s in masker.analyze_many([text])[0]}
    assert {"Credit Karma", "General Electric"} <= found


def test_user_data_planted_in_an_agent_prompt_is_still_masked(masker) -> None:  # type: ignore[no-untyped-def]
    body = json.loads((PROMPTS / "claude_code_first_request.json").read_text())
    planted = copy.deepcopy(body)
    block = planted["messages"][0]["content"][0]
    block["text"] = block["text"].replace(
        "Current branch: master",
        "Current branch: master\nUser email: rosalind.porter@example.org\nGit user: Rosalind Mae Porter",
    )
    texts = _leaves("claude", planted)
    found = {
        (s.label, t[s.start : s.end])
        for t, spans in zip(texts, masker.analyze_many(texts), strict=True)
        for s in spans
    }
    assert ("EMAIL", "rosalind.porter@example.org") in found
    assert ("PERSON", "Rosalind Mae Porter") in found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Tolerating PO. SpO2 95% on 2L NC.", "PO"),
        ("Electronically signed: Priyanka Venkataraman, MD 02/11/2025", "MD"),
        ("no diffuse ST elevation", "ST"),
        ("Portfolio rebalance: sell 4% of US large cap", "US"),
        ("fonts include glyphs for Devanagari and Vietnamese diacritics", "Devanagari"),
        ("she prefers letters in English but Urdu interpreter helpful", "Urdu"),
    ],
)
def test_abbreviations_and_languages_are_no_places(text: str, value: str) -> None:
    a = text.index(value)
    assert list(refine_entity(text, "LOCATION", a, a + len(value))) == []


@pytest.mark.parametrize(
    ("text", "value", "place"),
    [
        ("Previous login from 86.44.19.203 (Dublin, IE).", "Dublin", "Dublin, IE"),
        ("Relocating to Austin, TX next month.", "Austin", "Austin, TX"),
        ("Previous login (Dublin, IE).", "IE", "IE"),  # a region code right after its place stays
        ("She moved to Paris last year.", "Paris", "Paris"),
    ],
)
def test_places_keep_their_region_code(text: str, value: str, place: str) -> None:
    a = text.index(value)
    assert [text[x:y] for x, y in refine_entity(text, "LOCATION", a, a + len(value))] == [place]


@pytest.mark.parametrize(
    ("text", "value", "kept"),
    [
        ("Attached is your offer for Mechanical Engineer II. Base $118,000", "Mechanical Engineer II", False),
        ("notice of resignation from my role as Account Executive.", "Account Executive", False),
        ("Position: Staff Software Engineer, Payments Platform", "Staff Software", False),
        ("Lead Data Analysts meet on Fridays", "Lead Data Analysts", False),
        ("She is the American Express Director of Sales.", "American Express", True),
        ("He joined General Electric as an engineer.", "General Electric", True),
    ],
)
def test_job_titles_are_no_organisations(text: str, value: str, kept: bool) -> None:
    a = text.index(value)
    assert bool(list(refine_entity(text, "ORG", a, a + len(value)))) == kept
