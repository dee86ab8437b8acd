"""names/figures.py: public figures by one name, lower-case titles and kin words before a name,
a name in brackets after a relation, a lower-case given name with a surname. Cases from tweets,
Reddit, YouTube comments and Q&A; hard negatives where the same words are no person."""

from __future__ import annotations

import pytest

from maskgate.detect.names import NameLayer

LAYER = NameLayer()


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in LAYER.detect(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("honestly obama's speech tonight was so good lol", "obama"),  # tweet
        ("lebron is the goat and nobody can tell me otherwise 🐐", "lebron"),  # reddit
        ("who else came here after rihanna's halftime show? 2026 anyone", "rihanna"),  # youtube
        ("mr. musk pls fix the algorithm my feed is all bots", "mr. musk"),  # tweet
        ("lol dr. feinberg said i'm fine, no more pills", "dr. feinberg"),  # reddit
        ("tell auntie june i said hi 😘", "auntie june"),  # chat
        ("nana rose baked cookies for everyone 🍪", "nana rose"),  # facebook
        ("watching the game with big mike tonight 🏈", "big mike"),  # tweet: nickname adjective
        ("big rob ate all the wings at the watch party lmao", "big rob"),  # facebook
        ("aunt april sent me a card lol", "aunt april"),  # instagram
        ("my dad (ray) just texted me in all caps lol", "ray"),  # tweet
        ("i asked my roommate (priya) and she said no 😂", "priya"),  # reddit
        ("omg kirsty mcgowan was at the show last night", "kirsty mcgowan"),  # tweet
        ("ok but why is mark zuckerberg like that", "mark zuckerberg"),  # reddit
        ("i love obama lol", "obama"),  # tweet: "love" is the verb, not a given name
    ],
)
def test_people_in_posts(text: str, name: str) -> None:
    assert name in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "rose gold iphone case for sale lol, barely used",  # colour, not a person
        "happy bday to me lol 🎂",  # greeting, no name
        "my uncle said no lol",  # kin word, then a verb
        "big fan of this channel lol",  # adjective, then a noun
        "that left a big mark on my car smh",  # adjective after a determiner
        "happy anniversary to the new mr. and mrs. lol",  # titles, then a function word
        "i love the best fortnite skins tbh",  # words that are also names
        "def obama(x):\n    return x  # lol",  # code
        "the grace period is 2 days btw",  # word-name in a noun phrase
        "se observó una lesión, por lo que consideramos que quizá el cambio",  # Spanish function words
        "my dad (finally) got a new phone lol",  # brackets, but no name
    ],
)
def test_no_person(text: str) -> None:
    found_ = found(text)
    assert not found_, found_
