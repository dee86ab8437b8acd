"""Phone numbers with look-alike letters for digits (`patterns/phones.py`, PHONE_LOOKALIKE): posts
write them so to dodge filters. Hard negatives: letters without the phone shape, words of I/l/O."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns.phones import PHONE_LOOKALIKE


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in PHONE_LOOKALIKE.find(text)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("my cell is 4I5-555-0123 lol", "4I5-555-0123"),  # a post
        ("if found call 415-555-O123 !!", "415-555-O123"),  # a lost-dog post
        ("text me at (415) 555-O123", "(415) 555-O123"),  # parentheses
        ("whatsapp +44 77OO 900123", "+44 77OO 900123"),  # international
        ("Customer said reach her on 212.555.0l99 after 6", "212.555.0l99"),  # a support note
    ],
)
def test_lookalike_phones(text: str, value: str) -> None:
    assert found(text) == [value]


@pytest.mark.parametrize(
    "text",
    [
        "call 415-555-0123",  # all digits: the main phone finders' (no look-alike letter)
        "the Ill-IOI-lOOl word thing",  # letters only
        "ISBN 978-0-I23",  # no phone shape
        "555-O1O2 ext",  # fewer than 7 digits
        "room IO1-OO2-OOOO",  # too many letters
    ],
)
def test_not_lookalike_phones(text: str) -> None:
    assert found(text) == []
