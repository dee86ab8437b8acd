"""Proper nouns in chat and posts that no other rule takes (names/proper.py): capitalised words that
are no English word, and lower-case words no dictionary knows, in lines with chat signs or no case.
Cases from tweets, Reddit and YouTube comments, chats and texts, with the hard negatives of the class:
code and shell lines, form labels, speaker labels, clinical words, clipped and inflected words."""

from __future__ import annotations

import pytest

from maskgate.detect.names import NameLayer
from maskgate.detect.names.proper import _ChatLines, _word_like
from maskgate.detect.words import english_words

NAMES = NameLayer()


def names(text: str) -> list[str]:
    return [text[s.start : s.end] for s in NAMES.detect(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Was Snape good or bad tho lol", "Snape"),  # a character, Reddit
        ("Shaq on the panel is always gold lmao", "Shaq"),  # a nickname, tweet
        ("Kayla from accounting just quit lmao", "Kayla"),  # a given name opening a chat line
        ("idk why Halvorsen even bothers, he's done 😭", "Halvorsen"),  # a surname alone, YouTube
        ("who else is here because zendaya posted this on her story 😍", "zendaya"),  # lower case
        ("i already cried 3 times jack antonoff you did it again", "antonoff"),  # lower-case surname
        ("watching pedri and yamal tonight lol", "yamal"),  # -al is a name ending too, not only clinical
        ("ngl Jalen Hurts is overrated", "Jalen Hurts"),  # a surname that is also a word, after a name
        ("omg Okonjo-Iweala just said that?? legend", "Okonjo-Iweala"),  # double surname
        # English prose of any register: inside a sentence, or opening it as a verb's subject
        ("I honestly think Halvorsen was right about the merger.", "Halvorsen"),  # Reddit, proper case
        ("The thread is locked now. Kowalczyk said it was a repost.", "Kowalczyk"),  # subject of "said"
    ],
)
def test_proper_names_in_chat(text: str, found: str) -> None:
    assert any(found in n for n in names(text)), names(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("$ whoami && pwd\nrkapoor", "whoami"),  # a shell line
        ("sudo useradd -m -s /bin/bash nokoye", "useradd"),  # flags and paths: code
        ('  "telecom": [{"system": "phone"}]  lol', "telecom"),  # a JSON key
        ("hi my dad is 81 and on warfarin, can he take tylenol for his knee? i'm worried", "warfarin"),
        ("pt had hydrocolloid applied, u know the drill", "hydrocolloid"),  # a clinical word
        ("no acute intracranial bleed thank god lol", "intracranial"),  # a clinical adjective
        ("19:50 - Pawfect Grooming: Hi yes! this is the front desk lol", "Pawfect"),  # a speaker label
        ("Prescriber: see attached, thx!!", "Prescriber"),  # a form label
        ("saw someone w/ conf code on ig lol", "conf"),  # a clipped word ("conference")
        ("the app won't let me rebook lol", "rebook"),  # a prefixed word
        ("my feed is 90% lookups and bots lmao", "lookups"),  # an inflected word
        ("Follow-up in 2 weeks lol", "Follow-up"),  # a compound
        ("just finished the xbox update lol", "xbox"),  # after a determiner: a thing
        ("Does rosuvastatin need dose adjustment in Asian patients?", "Asian"),  # a people's name
        ("Ticket #58213 - Can't log into the portal", "Can't"),  # a contraction
        ("se observó una lesión, por lo que consideramos que quizá el cambio lol", "observó"),  # Spanish
        ("Room 1412   Arr 11/18/24   Dep 11/21/24", "Arr"),  # aligned columns: a table
        ("I will be in Portland Monday and Tuesday.", "Monday"),  # a day after a place
    ],
)
def test_not_proper_names(text: str, word: str) -> None:
    assert not any(word in n for n in names(text)), names(text)


def test_formal_lines_are_not_chat() -> None:
    # proper case, no chat signs: the model and the cue rules judge these, not this rule
    text = "Durant Holdings filed the Q3 report. Medicaid CIN attached."
    lines = _ChatLines(text)
    assert not lines.chatty(0)
    assert _ChatLines("Kayla from accounting just quit lmao").chatty(0)
    assert not _ChatLines("const x = lol(1)").chatty(0)


def test_word_like() -> None:
    english = english_words()
    assert _word_like("cardholder", english)  # compound
    assert _word_like("tokenizer", english)  # suffix
    assert _word_like("celeb", english)  # clipped
    assert not _word_like("zendaya", english)
    assert not _word_like("antonoff", english)
