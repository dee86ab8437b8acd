"""The model's people in posts and chats (ner/spacy_backend.prose_only, ner/refine.py): lower-case
prose goes to the model, and its lower-case or word-like people are kept where the line has no case
and the name or the grammar says person; code, shouted lines and words stay out."""

from __future__ import annotations

import pytest

from maskgate.detect.ner.refine import refine_entity
from maskgate.detect.ner.spacy_backend import prose_only


@pytest.mark.parametrize(
    "piece",
    [
        "i love how kanye just does whatever he wants lol",  # tweet
        "just saw ed sheeran at the airport omg",  # instagram comment
        "tom was patching it, ask him when he is back",  # chat line
    ],
)
def test_lower_case_prose_goes_to_the_model(piece: str) -> None:
    assert prose_only(piece) == piece


@pytest.mark.parametrize(
    "piece",
    [
        "for i in range(10): total += values[i] * weights[i]",  # code
        "drwxr-xr-x 2 root root 4096 /var/lib/app/cache",  # shell output
        "LOST CAT ANSWERS TO MILO ORANGE TABBY BLUE COLLAR",  # shouted: the model reads capitals as names
        "1 2 3 4 5 6 7 8 9 10",
    ],
)
def test_code_numbers_and_shouting_do_not(piece: str) -> None:
    assert prose_only(piece) is None


def kept(text: str, value: str, label: str = "PERSON") -> list[str]:
    a = text.index(value)
    return [text[s:e] for s, e in refine_entity(text, label, a, a + len(value))]


@pytest.mark.parametrize(
    ("text", "value", "name"),
    [
        ("just saw ed sheeran at starbucks lol", "ed sheeran", "ed sheeran"),  # a known given name
        ("lol trump is such a clown honestly", "lol trump", "trump"),  # a word, but a person's verb after it
        ("Discord\npixelwolf: ty nyx", "nyx", "nyx"),  # a thanks cue before it
        ("Why is kanye so annoying", "kanye", "kanye"),  # a word no dictionary knows
        ("I think Trump and Putin are friends", "Trump", "Trump"),  # a word beside another name
        ("Why did Hope say that? Hope said no.", "Hope", "Hope"),
    ],
)
def test_model_people_in_posts_are_kept(text: str, value: str, name: str) -> None:
    assert kept(text, value) == [name]


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("Timeout in ms.\nset the timeout in milliseconds (max 600000)", "max", "PERSON"),
        ("Run it.\nthen run git config user.name to check", "git config", "PERSON"),
        ("New Post\nwe went to starbucks after", "starbucks", "ORG"),  # lower-case places and firms stay
        ("Use the Cache tab to clear it.", "Cache", "PERSON"),
        ("hmu if u want my old ps4. ask at the Y on Clark st", "hmu", "PERSON"),  # slang
    ],
)
def test_model_words_in_posts_are_dropped(text: str, value: str, label: str) -> None:
    assert kept(text, value, label) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("McKenzie and I went to the mall", "McKenzie"),  # post
        ("can't believe LeBron missed that", "LeBron"),  # tweet
        ("DiCaprio finally got his oscar", "DiCaprio"),  # comment
    ],
)
def test_prefixed_names_are_no_code(text: str, value: str) -> None:
    assert kept(text, value) == [value]


@pytest.mark.parametrize(
    ("text", "value"), [("raise TypeError here", "TypeError"), ("the UserCard view", "UserCard")]
)
def test_camel_case_code_is(text: str, value: str) -> None:
    assert kept(text, value) == []
