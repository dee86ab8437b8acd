"""SSN variants (issue 11 item 3): dots, spaces, digits spaced out, every way of labelling one; a
labelled number is masked even when it is reserved or an advertising number."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())


def ssns(text: str) -> list[str]:
    spans = sorted({(s.start, s.end) for s in LAYER.detect(text) if s.label == "US_SSN"})
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # forms and HR records
        ("SOCIALNUM: 219-09-9999", ["219-09-9999"]),
        ("Social Security No. 536.22.1234", ["536.22.1234"]),
        ("SSN# 5 3 6 2 2 1 2 3 4", ["5 3 6 2 2 1 2 3 4"]),
        ("SSN# 5 3 6 - 2 2 - 1 2 3 4 thanks", ["5 3 6 - 2 2 - 1 2 3 4"]),
        ("Soc Sec #: 536221234", ["536221234"]),
        ("Employee SSN  536 22 1234\nStart date  2024-01-15", ["536 22 1234"]),
        # labelled reserved / advertising / invalid numbers: the writer meant an SSN
        ("SSN: 987-65-4321", ["987-65-4321"]),
        ("SSN 078-05-1120 (on the card)", ["078-05-1120"]),
        ("ssn: 000-12-3456", ["000-12-3456"]),
        ("SSN 666-12-3456", ["666-12-3456"]),
        ("SSN 923-45-6789", ["923-45-6789"]),
        # JSON, XML, e-mail, chat
        ('{"social_security_number": "536-22-1234"}', ["536-22-1234"]),
        ('{\\"ssn\\": \\"536221234\\"}', ["536221234"]),
        ("<SSN>536.22.1234</SSN>", ["536.22.1234"]),
        ("hey, her ssn is 536.22.1234 if the form asks", ["536.22.1234"]),
        # dotted alone: nothing else is written 3.2.4
        ("Applicant 536.22.1234 approved", ["536.22.1234"]),
        # words, a parenthesis or markup between the label and the value (HR notes, I-9 forms, XML)
        ("Her SSN on file is 536-22-1234; call her back.", ["536-22-1234"]),
        ("The SSN provided was 000123456 but it failed verification.", ["000123456"]),
        ("Social Security Number (SSN): 987-65-4329", ["987-65-4329"]),
        ("SSN/TIN: 536-22-1234", ["536-22-1234"]),
        ("SSN - 000-12-3456", ["000-12-3456"]),
        ("S.S.N. 536 22 1234", ["536 22 1234"]),
        ("social security no. 536221234", ["536221234"]),
        ("Social: 536221234", ["536221234"]),
        ("<SSN>219099999</SSN>", ["219099999"]),
        ("<socialSecurityNumber>219099999</socialSecurityNumber>", ["219099999"]),
        ("ssn=536221234&dob=1980", ["536221234"]),
        # the label alone on the line above (perhaps underlined), or right after the value
        ("Social Security Number:\n000123456\nDOB: 1/1/1980", ["000123456"]),
        ("SSN\n-----\n000-12-3456", ["000-12-3456"]),
        ("000-12-3456 (SSN)", ["000-12-3456"]),
        ("ids: 000123456 - social security no.", ["000123456"]),
        # masked, but more than the last four still shows
        ("SSN: 536-22-XXXX", ["536-22-XXXX"]),
        ("Soc Sec # 536-2X-XXXX on the scan", ["536-2X-XXXX"]),
        # columns named so
        ("last_name,social,plan\nOduya,536221234,PPO\n", ["536221234"]),
        # the last four, said so: what call centres and forms verify identity with
        ("SSN last 4: 1234", ["1234"]),
        ("Verified caller with SSN (last four digits) 9912.", ["9912"]),
        ("please confirm the last 4 of your social: 4471", ["4471"]),
    ],
)
def test_ssn_variants_are_found(text: str, expected: list[str]) -> None:
    assert ssns(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ssn_hash = 123456789012345",
        "SSN 536-22-12345",
        "SSN: 000-00-0000 is the placeholder",  # all zeros: a filler, not a number
        "release 100.2.2024 notes",
        "order 666.12.3456 shipped",  # area 666 is never issued and nothing labels it
        "ref 123-00-6789",
        # another number stands between the label and the value, or a sentence ends there
        "SSN 1234 (last four), zip 941021234",
        "SSN verified. Our reference for the call is 000123456",
        # the last four only, masked the usual way: a fragment, not an SSN
        "SSN: XXX-XX-1234",
        "ssn_last4=1234 account 000123456",
        "social media reach 123456789 impressions",
        "Totals\n-----\n000123456",
        "SSN verified\n000123456 is the order",
    ],
)
def test_non_ssns_are_left_alone(text: str) -> None:
    assert ssns(text) == []
