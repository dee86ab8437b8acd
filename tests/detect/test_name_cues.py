"""Names where a cue word or the place in a message says "person": chat verbs, kin words, clinical
roles, sign-off lines, "X and I"; each class with near misses that must stay unmasked."""

from __future__ import annotations

import pytest

from maskgate.detect.names import NameLayer

LAYER = NameLayer()


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in LAYER.detect(text)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a chat verb before a given name that is also a word (social, support, e-mail)
        ("Tell Deb I said hi", ["Deb"]),
        ("can you ping Mark when the build is green?", ["Mark"]),
        ("Please cc Grace on the reply.", ["Grace"]),
        # "X and I", "me and X": a person beside the writer (social, HR, clinical question)
        ("Yara and I finally opened the bakery!", ["Yara"]),
        ("Last week me and Ronan drove to Galway.", ["Ronan"]),
        ("My wife and I are worried; Hope and I both had the flu.", ["Hope"]),
        # a kin or role word right before a given name (clinical notes, social, HR)
        ("pt's daughter Grace at bedside, updated on plan.", ["Grace"]),
        ("asked for her son chidi to be called. Ph 07911 123456.", ["chidi"]),
        ("today my ex marcus texts me from a NEW number", ["marcus"]),
        ("RN Tran notified of K 3.1 at 02:10.", ["Tran"]),
        # the subject of a clinical verb
        ("Banks notified the on-call team. Fisher ordered KCl 40 mEq PO.", ["Banks", "Fisher"]),
        # sign-offs of posts and messages
        ("miss you all so much!!\nxoxo, Maria", ["Maria"]),
        ("see you at the party xoxo Jen", ["Jen"]),
        ("The governing law clause is still open.\n\nMark", ["Mark"]),
        ("Your background check has cleared. Welcome to the team!\n\nMehmet\nTalent Acquisition", ["Mehmet"]),
    ],
)
def test_cue_and_position_say_person(text: str, names: list[str]) -> None:
    assert found(text) == names


@pytest.mark.parametrize(
    "text",
    [
        # verbs before ordinary words, not names
        "Tell Support what you saw; ask Legal before signing.",
        "Mark the box and cc the client.",
        # "and I" after a thing or a place
        "Python and I never got along.",
        # kin words before ordinary words
        "her daughter will call back; the son of the owner signed",
        "the ward notified pharmacy. Lab ordered a repeat.",
        # a last line that is a word, a command or a heading
        "Run the tests before committing.\n\nDone",
        "Build finished.\n\nMay",
        "xoxo, the team",
    ],
)
def test_cues_leave_words_alone(text: str) -> None:
    assert found(text) == [], found(text)
