"""Phones that strict validation rejects but the writing says are phones (issue 11 item 1):
unassigned area codes in the standard shape, labels in parentheses or across aligned columns,
local numbers after a telephony verb. Examples from several genres; figures stay unmasked."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())


def phones(text: str) -> list[str]:
    spans = sorted({(s.start, s.end) for s in LAYER.detect(text) if s.label == "PHONE"})
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # standard NANP shape, unassigned area code 555 / fictional exchanges
        ("Patient callback: please ring (555) 123-4567 after 2pm.", ["(555) 123-4567"]),
        ("Hi team, my new number is 555-123-4567, thanks.", ["555-123-4567"]),
        ("support@acme.test | 555.867.5309 | Mon-Fri", ["555.867.5309"]),
        ("1-555-010-9999 (toll free)", ["1-555-010-9999"]),
        ("Emergency contacts: 555-123-4567 and 555-987-6543.", ["555-123-4567", "555-987-6543"]),
        ("930.167.3943", ["930.167.3943"]),  # NANP exchange 1xx: still written as a phone
        # a phone label in parentheses (clinical forms, e-mail signatures)
        ("Referring physician: Dr. Lee (Phone: 555-123-4567)", ["555-123-4567"]),
        ("Billing office (Fax: 555-123-9876).", ["555-123-9876"]),
        ("Escalate to the on-call nurse (contact: 555.201.3344)", ["555.201.3344"]),
        ("Reach her (contact # 4471 2209) before noon.", ["4471 2209"]),
        # a label followed by aligned spaces, tabs or table pipes
        ("Name:       Odile Brun\nPhone:      555-123-4567\nEmail:      o@x.test", ["555-123-4567"]),
        ("Home Phone\t\t555-0199", ["555-0199"]),
        ("| Mobile | 555-301-2211 |", ["555-301-2211"]),
        ("| Fax number | 020 7946 0000 |", ["020 7946 0000"]),
        # a local 7-digit number right after a telephony verb
        ("Call 555-1234 for details.", ["555-1234"]),
        ("Text me on 555 1234 when you land", ["555 1234"]),
        ("call 555-0100", ["555-0100"]),
        ("dial 867-5309 from the lobby", ["867-5309"]),
        # a local 3-4 number in a conversation about phones (the question may be a line above)
        ("[10:20] Lisa: can you text me your new number?\n[10:21] Mike: Sure! It's 555-0123.", ["555-0123"]),
        ("Name: Robert White, Phone: +1234567890. Last visit: 2023-09-15.", ["+1234567890"]),
        ("Great news! My number is 555-1234 if you need me.", ["555-1234"]),
        ("The defendant has a contact number of 555-1234.", ["555-1234"]),
        # context makes a possible national number a phone (UK drama range, unassigned)
        ("my mobile, in case you need it, 07700 900123", ["07700 900123"]),
        ("Office tel 020 7946 0000 (switchboard)", ["020 7946 0000"]),
        (
            "Follow up with Dr. Lambert at Northside Cardiology ((770) 555-0160) in 1 week.",
            ["(770) 555-0160"],
        ),
        # international
        ("WhatsApp +44 20 7946 0000 or +1 555 123 4567", ["+44 20 7946 0000", "+1 555 123 4567"]),
    ],
)
def test_phones_in_phone_writing_are_found(text: str, expected: list[str]) -> None:
    assert phones(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "we reach 1 000 000 users a month",
        "the call returned 200 404 500.",
        "call graph at 1.2.3.4.",
        "ticket 555 123 4567 closed",  # spaced 3-3-4 with no phone word: figures
        "EIN 12-3456789 filed with the IRS",
        "SSN 123-45-6789 on file",
        "released 2024-01-15, build 12345678",
        "Contact: John Doe (ext. team)",
        "phone model 2019, 64 GB",
        "Phone: 1.2.3",
        "dial 2024-01-15 into the form",
        "2026-11-22 10:02:11,551 INFO took 123 456 ms",
        "contact sheet rows 12 345 678",
        "x = f(1234 5678 9012)",
        "Our number of 1234567 users grew",
        "Fixed in build 123-4567 of the app",
        "The number of tests rose in 1990-2000",
    ],
)
def test_figures_near_phone_words_are_not_phones(text: str) -> None:
    assert phones(text) == []
