"""Account labels written as bank shorthand, abbreviations and loyalty programme names, and labels
that say where the number is written (`account number on the form is ...`) (id_vocab.py,
identifiers.py); last-4 fragments stay visible."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns.identifiers import LabelledIdFinder

FINDER = LabelledIdFinder()


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in FINDER.find(text)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("RTN 021000021 DDA 4400112233", "4400112233"),  # finance: demand deposit account
        ("Loyalty: Bonvoy 118 822 047     Rate code: CORP1", "118 822 047"),  # travel profile
        ("my aadvantage number is 9TT4471203", "9TT4471203"),  # social post
        ("SkyMiles # 2204881744 on the booking", "2204881744"),  # support chat
        ("conf code K7QW2P and seat 14C", "K7QW2P"),  # booking code after `conf code`
        ("Named insured: D. Achebe   Pol. No. PA-771204388", "PA-771204388"),  # insurance abbreviation
        ("Sub ID: 2870441182001", "2870441182001"),  # telco / health plan subscriber
        ("mbr #88204117 called back", "88204117"),
        ("Lastschrift Stadtwerke, Kundennr. 300 4418 207   -88,40", "300 4418 207"),  # German statement
        ("Kto.-Nr.: 532 013 000", "532 013 000"),
        ("Vertragsnr. KV-0044-1882", "KV-0044-1882"),
        ("the account number on the form is VND-20448. Box 1", "VND-20448"),  # e-mail
        ("member ID on my card is W2O4881730 but", "W2O4881730"),  # chat
    ],
)
def test_found(text: str, value: str) -> None:
    assert value in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "see pol 2024 results",  # `pol` is a label only as a field or before an id
        "the rewards were 12000 points",
        "ff 1024 bytes",
        "the DDA was 2024",
        "sub 12345 units",
        "10/21  ZELLE TO WEXLER DANA CONF# 8R0QXZ3L     -60.00",  # a payment's confirmation
        "the number on the form is wrong",
    ],
)
def test_not_found(text: str) -> None:
    assert found(text) == []
