"""Names that are also ordinary words or places, taken where the position says "person"."""

from __future__ import annotations

import pytest

from maskgate.detect.names import NameLayer
from maskgate.detect.ner.refine import refine_entity

LAYER = NameLayer()


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in LAYER.detect(text)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # the subject of a speech or action verb (legal, clinical, chat, news)
        ("Banks signed the lease on Friday.", ["Banks"]),
        ("Hope said she would call back tomorrow.", ["Hope"]),
        ("Victoria administered the second dose at 10:40.", ["Victoria"]),
        ("ok so Will replied that he agreed, and Grace explained the rest", ["Will", "Grace"]),
        ("At the hearing Summer testified that the invoice was late.", ["Summer"]),
        # after a rank, office or title
        (
            "The report was reviewed by Major Anil Deshpande and Sgt. Young.",
            ["Major Anil Deshpande", "Sgt. Young"],
        ),
        (
            "Dr. Young reviewed the scan. Capt. Banks and Lt. Cole were present.",
            ["Dr. Young", "Capt. Banks", "Lt. Cole"],
        ),
        ("Seen with Nurse Rose Fisher on ward 4.", ["Rose Fisher"]),
        ("Officer Price wrote the report; Judge Hope dismissed it.", ["Price", "Hope"]),
        # the surname alone after the full name
        ("Rosalind Young joined in 2019. Young later moved to Leeds.", ["Rosalind Young", "Young"]),
        ("Glenn Fisher called twice. Fisher wants a refund.", ["Glenn Fisher", "Fisher"]),
        ("Patient: Rose Fisher\nPlan: Fisher to return in 2 weeks.", ["Rose Fisher", "Fisher"]),
    ],
)
def test_position_says_person(text: str, names: list[str]) -> None:
    assert found(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "The hope is that banks will lower rates. Young people like victoria sponges.",
        "The Banks signed the agreement.",  # a determiner: a group, not a person
        "Sales reported a strong quarter and Security reviewed the logs.",
        "We played in the Major League last year; General Motors said no.",
        "He lives on King Street near Queen Square.",
        "Anestesia general. Posición de litotomía.",
        "Rosalind Young joined in 2019.\n\nYoung people were the target audience.",
        "Hope is not a strategy. Will this work?",
    ],
)
def test_ordinary_words_stay(text: str) -> None:
    got = found(text)
    assert all(g in ("Rosalind Young",) for g in got), got


@pytest.mark.parametrize("word", ["Young", "Fisher", "Rose", "Banks"])
def test_model_names_that_are_words_are_kept(word: str) -> None:
    text = f"I met {word} yesterday."
    a = text.index(word)
    assert [text[x:y] for x, y in refine_entity(text, "PERSON", a, a + len(word))] == [word]


def test_ordinary_word_the_model_calls_a_person_is_dropped() -> None:
    text = "Check the Landlord tab."
    a = text.index("Landlord")
    assert list(refine_entity(text, "PERSON", a, a + len("Landlord"))) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # casual text written without capitals (social posts, chat)
        ("lol ben really said he'd be 5 min", ["ben"]),
        ("feeling blessed, my son hope turns 5 today!!", ["hope"]),
        ("ty grandma lupe for the tamales", ["grandma lupe"]),
        ("tuesday i find out my roommate kayla has been borrowing my clothes", ["kayla"]),
        ("congrats to dr. amina yusuf on her phd defense today", ["dr. amina yusuf"]),
        # a speaker with a role in brackets, in a chat transcript
        (
            "Ayumi (Support): Could you confirm your date of birth?\nKen Obi: 14/02/1985\nAyumi (Support): Thank you Ken",
            ["Ayumi", "Ken Obi", "Ayumi", "Ken"],
        ),
        # a name beside a handle or an address, a dash signature
        (
            "# Contributors\n- Rose Young (@ryoung) — parser\n- Grant Fisher (@gfisher) — CLI",
            ["Rose Young", "Grant Fisher"],
        ),
        ("Moved to 3:30 in EB3321. Bring your P&L.\n-Mike", ["Mike"]),
    ],
)
def test_casual_text_handles_and_signatures(text: str, names: list[str]) -> None:
    assert found(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "se observó una lesión hiperostótica, por lo que consideramos que quizá el cambio de tipo",
        "- Fixed the parser\n- None\n-Updated docs",
        "the support team (@support) will reply",
        "deploy the api, then restart nginx and check the logs",
    ],
)
def test_casual_rules_leave_words_alone(text: str) -> None:
    assert found(text) == []
