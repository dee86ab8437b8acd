"""Identifier classes from the round-2 formats (bank letters, W-2/1099, KYC, EOBs, e-prescriptions,
police and school records): taxpayer labels, OCR'd SSNs, code prefixes, form lines above tables,
check digits after spaced groups, year-serial report numbers."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns.identifiers import LabelledIdFinder
from maskgate.detect.patterns.open_ids import OpenIdLayer
from maskgate.detect.patterns.phones import PhoneFinder
from maskgate.detect.patterns.us import SSN_OCR, TIN_LABELLED

OPEN = OpenIdLayer()
LABELLED = LabelledIdFinder()
PHONES = PhoneFinder()


def values(finder, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    spans = finder.detect(text) if hasattr(finder, "detect") else finder.find(text)
    return [text[s.start : s.end] for s in spans]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Tax residence: USA   TIN/ITIN: 9 2 1 - 7 4 - 3 3 0 8", "9 2 1 - 7 4 - 3 3 0 8"),
        ("RECIPIENT'S TIN  518-30-7726", "518-30-7726"),
        ("W-9 on file, taxpayer ID 518307726, backup withholding: no", "518307726"),
        ("ITIN #: 912-78-4410", "912-78-4410"),
    ],
)
def test_taxpayer_labels_take_ssn_shapes(text: str, value: str) -> None:
    assert value in values(TIN_LABELLED, text)


@pytest.mark.parametrize(
    "text",
    [
        "PAYER'S TIN 84-1937720",  # an employer's EIN: 2-7
        "tin: 518307726 cans",  # the metal, lower case
        "TIN: 111111111",
        "DESTINATION 518307726",
    ],
)
def test_taxpayer_labels_leave_other_shapes(text: str) -> None:
    assert values(TIN_LABELLED, text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("It shows 5l8-3O-7726 (looks like the scanner read it weird)", "5l8-3O-7726"),
        ("SSN: 4I2-88-O937", "4I2-88-O937"),
        ("emp ssn 6OO-14-2290 per HR", "6OO-14-2290"),
    ],
)
def test_ocr_ssns_with_letters_for_digits(text: str, value: str) -> None:
    assert values(SSN_OCR, text) == [value]


@pytest.mark.parametrize(
    "text",
    [
        "part BOB-OO-1111 in stock",  # mostly letters
        "ticket 000-12-3456",  # no letter: the plain SSN recognizers' business
        "SKU 5OO-12-ABCD",
        "route 9OO-00-0000",  # invalid once read (area 900, group 00)
    ],
)
def test_ocr_ssn_leaves_codes(text: str) -> None:
    assert values(SSN_OCR, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "PBM member ID: ZQB30041772801   BIN 610014  PCN MEDDPRIME",
        "Direct deposit: Acct *****88231 RTN 322271627  Amount 1,904.11",
        "NDC 65862-0017-05    MFG AUROBINDO",
        "CPT 99214 x1, ICD M54.50",
        "d Control number  00417",
        "NEWRX  (NCPDP SCRIPT 2017071)",
    ],
)
def test_code_prefixes_and_thing_words_are_not_ids(text: str) -> None:
    got = values(OPEN, text)
    assert not any(v.startswith(("BIN", "RTN", "NDC", "CPT")) for v in got)
    assert not any(v in ("610014", "322271627", "65862-0017-05", "99214", "00417", "2017071") for v in got)


def test_personal_prefix_still_glued() -> None:
    assert values(OPEN, "He read me the number on his statement, PN 447 120 93, and") == ["PN 447 120 93"]


def test_form_fields_above_a_table_are_no_header() -> None:
    text = (
        "Member: GREGORY T. ASHBY          Member ID: XGH912004417\n"
        "Group: 0081442                Claim #: 2024318E0042\n"
        "Service Date  Code   Description              Billed\n"
        "09/14/2024    99214  Office visit est pt      210.00\n"
        "09/14/2024    87880  Strep test rapid          42.00\n"
    )
    got = values(OPEN, text)
    assert "87880" not in got and "99214" not in got


def test_a_real_table_header_still_counts() -> None:
    text = "Name           Member ID      Plan\nJ. Roe         88120473       PPO\nA. Poe         99120474       HMO\n"
    assert values(OPEN, text) == ["88120473", "99120474"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Account number: 2207 4418 931-5        Service address: 19 Pell St", "2207 4418 931-5"),
        ("Acct no. 0032 8817 6605", "0032 8817 6605"),
        ("State ID (SSID): 1048827730    Homeroom: 214", "1048827730"),
        ("Garnishment case 24-FL-0931        60.00", "24-FL-0931"),
        ("CII No. A29918402   Booking # 24-0071163", "A29918402"),
    ],
)
def test_labelled_ids_of_records(text: str, value: str) -> None:
    assert value in values(LABELLED, text)


@pytest.mark.parametrize("text", ["in case 2024 goes badly", "a case of 12 bottles", "case 12 of 40 done"])
def test_case_alone_needs_an_id_shape(text: str) -> None:
    assert values(LABELLED, text) == []


@pytest.mark.parametrize(
    "text",
    ["Report # 2024-008812   Officer", "call re case 2023-118834 today", "invoice 2019-4471203 paid"],
)
def test_year_serials_are_not_phones(text: str) -> None:
    assert values(PHONES, text) == []


def test_phones_still_found() -> None:
    text = "cell 720 555 0127, office 0201-234567, home (404) 555-0200 x 4471"
    got = values(PHONES, text)
    assert "720 555 0127" in got and any("555-0200" in v for v in got)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10/09   ONLINE TRANSFER TO SAV ...7720914        1,000.00", "7720914"),
        ("acct ****88231 closed", "88231"),
        ("card XXXX-4471 declined", "4471"),
    ],
)
def test_visible_tails_of_masked_numbers(text: str, value: str) -> None:
    assert value in values(OPEN, text)


@pytest.mark.parametrize("text", ["**Order:** 12345 shipped", "loading...12345 items", "Box ** 12345"])
def test_markdown_and_ellipses_are_no_masks(text: str) -> None:
    assert "12345" not in values(OPEN, text)


def test_routing_numbers_are_public() -> None:
    text = "- bank routing numbers for payroll file: 021000021, 121000248"
    assert values(OPEN, text) == [] and values(LABELLED, text) == []
    assert "021000021" in values(LABELLED, "Routing: 322271627 Account: 021000021")


@pytest.mark.parametrize("text", ["NDC 0378-1805-10", "ndc 68180-0514-01, 0093-7146-56"])
def test_ndc_codes_are_not_phones(text: str) -> None:
    assert values(PHONES, text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Visa 4526 01** **** 3012 was declined", "4526 01** **** 3012"),
        ("card on file 4526-01XX-XXXX-3012", "4526-01XX-XXXX-3012"),
        ("Card number: 4526.0181.5908.3012", "4526.0181.5908.3012"),
        ("cc 45260181 59083012 exp 04/27", "45260181 59083012"),
        ("AMEX 3793 78**** *5432", "3793 78**** *5432"),
    ],
)
def test_card_shapes_the_card_recognizer_misses(text: str, value: str) -> None:
    assert (value, "CREDIT_CARD") in [(text[s.start : s.end], s.label) for s in OPEN.detect(text)]


@pytest.mark.parametrize(
    "text",
    [
        "release 4526.0181.5908.3013",  # not Luhn-valid: a version
        "ts 20240101 12345678",
        "rows 4526 0181 5908 3012 total",  # plain spaced cards are common.py's
        "XXXX XXXX XXXX 3012",  # last four only
    ],
)
def test_card_shapes_leave_other_numbers(text: str) -> None:
    assert all(s.label != "CREDIT_CARD" for s in OPEN.detect(text))


@pytest.mark.parametrize("text", ["SSN: XXX-XX-4417", "Borrower SSN on file: ***-**-6614."])
def test_masked_ssn_tails_are_left_to_the_ssn_rules(text: str) -> None:
    assert values(OPEN, text) == []
