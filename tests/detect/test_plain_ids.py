"""Ids and SSNs with invisible or full-width characters inside (patterns/plain_ids.py)."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns.plain_ids import PLAIN_IDS, PLAIN_SSN, plain_view


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for f in (PLAIN_IDS, PLAIN_SSN) for s in f.find(text)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # support chat pasted from a PDF: zero-width spaces between digit groups
        ("acct 4410\u200b2093\u200b88 thanks", [("4410\u200b2093\u200b88", "ACCOUNT_NUMBER")]),
        # HR form: an SSN with zero-width spaces and one typed on a full-width keyboard
        ("SSN: 536\u200b-22-\u200b1234", [("536\u200b-22-\u200b1234", "US_SSN")]),
        ("SSN: ５３６-２２-１２３４", [("５３６-２２-１２３４", "US_SSN")]),
        # insurance record: soft hyphens and a word joiner inside member and policy numbers
        ("Member ID: W22\u00ad04471\u00ad93", [("W22\u00ad04471\u00ad93", "HEALTH_PLAN_ID")]),
        ("policy no. HO3\u20600044812", [("HO3\u20600044812", "ACCOUNT_NUMBER")]),
        # full-width label and value
        ("ａｃｃｔ ４４１０２０９３８８", [("４４１０２０９３８８", "ACCOUNT_NUMBER")]),
    ],
)
def test_found(text: str, want: list[tuple[str, str]]) -> None:
    assert found(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "SSN 536-22-1234 and zw\u200b here",  # the plain rules find the SSN: not reported twice
        "family \u200d emoji 2024",
        "Ｍｙ ｎａｍｅ　ｉｓ ｎｏｔ ａ ｎｕｍｂｅｒ",
        "account 4410209388",  # nothing hidden: nothing to do
        "order \u200b12345",  # a hidden character beside a number no label names
    ],
)
def test_not_found(text: str) -> None:
    assert found(text) == []


def test_plain_view_offsets() -> None:
    text = "a\u200bｂ1"
    view = plain_view(text)
    assert view == ("ab1", [0, 2, 3, 4])
    assert plain_view("plain") is None
