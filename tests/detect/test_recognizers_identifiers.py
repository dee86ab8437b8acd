"""Labelled identifiers (issue 11 item 2): one vocabulary of labels and one identifier shape, in
every way records write them: prose, forms, e-mail, JSON, XML, CSV, Markdown and aligned tables.
Checksummed numbers (NPI, DEA) are checked; without a label nothing is taken."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer
from maskgate.detect.patterns.id_values import dea_is_valid, npi_is_valid

LAYER = RegexLayer(recognizers_for())
ID_LABELS = {
    "MRN", "NPI", "DEA", "HEALTH_PLAN_ID", "ACCOUNT_NUMBER", "EMPLOYEE_ID", "CASE_ID", "LICENSE_NUMBER",
    "PASSPORT", "TAX_ID", "ID_NUMBER", "VEHICLE_ID",
}  # fmt: skip


def ids(text: str) -> list[tuple[str, str]]:
    """(value, label) of every labelled identifier, in text order."""
    spans = sorted({(s.start, s.end, s.label) for s in LAYER.detect(text) if s.label in ID_LABELS})
    return [(text[a:b], label) for a, b, label in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # clinical notes and forms
        ("MRN-551203 admitted to ward 4 overnight.", [("MRN-551203", "MRN")]),
        ("Medical record: MED90817264", [("MED90817264", "MRN")]),
        ("Pt ID: K2203117, seen today for follow-up.", [("K2203117", "MRN")]),
        ("Reviewed chart #204-77-861 with the attending.", [("204-77-861", "MRN")]),
        ("Hospital number MGH-40417 (see attached)", [("MGH-40417", "MRN")]),
        ("Encounter ID: ENC-00918273", [("ENC-00918273", "MRN")]),
        ("MRN:\n   00551203", [("00551203", "MRN")]),
        ("Patient (MRN: 4471-0021) was discharged.", [("4471-0021", "MRN")]),
        ("Referring: Dr. Okafor, NPI: 1245319599", [("1245319599", "NPI")]),
        ("Prescriber DEA number: AB1234563", [("AB1234563", "DEA")]),
        # right after the label, the shape is enough: a typo'd check digit is still the writer's NPI
        ("NPI: 1234567890", [("1234567890", "NPI")]),
        ('{"reference": "Practitioner/npi-1558833219", "display": "Dr. M. Osei"}', [("npi-1558833219", "NPI")]),
        ("DEA # AB1234567", [("AB1234567", "DEA")]),
        # insurance and health plans
        ("Member ID #NY-115533, group number 7781002", [("NY-115533", "HEALTH_PLAN_ID"), ("7781002", "HEALTH_PLAN_ID")]),
        ("Subscriber ID: 55120KT", [("55120KT", "HEALTH_PLAN_ID")]),
        ("Medicaid ID 77120045A on file", [("77120045A", "HEALTH_PLAN_ID")]),
        # e-mail and support tickets
        ("Hi, my acct# 00481234 was charged twice.", [("00481234", "ACCOUNT_NUMBER")]),
        ("The card on the account ending in 4321 expired.", [("4321", "ACCOUNT_NUMBER")]),
        ("Loan account ending in 882311 was paid off.", [("882311", "ACCOUNT_NUMBER")]),
        ("Case number: 2024-CV-00123 was assigned to you.", [("2024-CV-00123", "CASE_ID")]),
        # HR and finance
        ("Employee ID: E-204417, start date Monday", [("E-204417", "EMPLOYEE_ID")]),
        ("Badge 40417 was deactivated.", [("40417", "EMPLOYEE_ID")]),
        ("Tax ID: 12-3456789 (EIN)", [("12-3456789", "TAX_ID")]),
        ("Passport number: 533380006", [("533380006", "PASSPORT")]),
        ("License no. RN 8821931", [("RN 8821931", "LICENSE_NUMBER")]),
        # JSON, XML, key=value
        ('{"mrn": "MRN-551203", "memberId": "K2203117", "npi": 1245319599}',
         [("MRN-551203", "MRN"), ("K2203117", "HEALTH_PLAN_ID"), ("1245319599", "NPI")]),
        ('{\\"patient_id\\": \\"PT-0048213\\"}', [("PT-0048213", "MRN")]),
        ("<Patient><MemberID>XJH447120</MemberID><MRN>00482913</MRN></Patient>",
         [("XJH447120", "HEALTH_PLAN_ID"), ("00482913", "MRN")]),
        ("employee_id=88012345 action=login", [("88012345", "EMPLOYEE_ID")]),
        # aligned forms
        ("MRN        551203\nMember ID  K2203117", [("551203", "MRN"), ("K2203117", "HEALTH_PLAN_ID")]),
        ("| Policy Number | PLX-4471203 |", [("PLX-4471203", "ACCOUNT_NUMBER")]),
        # person-bound ids, vehicles; codes with three digits and letters; `Label of X`
        ("Student: Sarah Lee, ID: 654321, enrolled in Chemistry", [("654321", "ID_NUMBER")]),
        ("His ID number is 789012, and his birth date is", [("789012", "ID_NUMBER")]),
        ("National ID: 88120445, issued 2019", [("88120445", "ID_NUMBER")]),
        ("Insured vehicle: Toyota, VIN: 1HGBH41JXMN109186, owner", [("1HGBH41JXMN109186", "VEHICLE_ID")]),
        ("License plate: 7ABC123", [("7ABC123", "VEHICLE_ID")]),
        ("Your policy number is 321XYZ. Please update it.", [("321XYZ", "ACCOUNT_NUMBER")]),
        ("Policy No: Pol-123456", [("Pol-123456", "ACCOUNT_NUMBER")]),
        ("with a policy number of POL987654321, residing at", [("POL987654321", "ACCOUNT_NUMBER")]),
        # national ids by their own names, with check characters; international records
        ("Patient: Ng, Sze Wing\nHKID: K203118(4)\nContact: +852 9123 4567", [("K203118(4)", "ID_NUMBER")]),
        ("Insured: Ng Boon Huat\nNRIC: S8812044D", [("S8812044D", "ID_NUMBER")]),
        ("Verified identity with DNI 12345678Z. Reset MFA.", [("12345678Z", "ID_NUMBER")]),
        ("Student: Ananya Gupta, roll no. 2021CS10441, IIT Delhi.", [("2021CS10441", "ID_NUMBER")]),
        ("KYC failed: document number PAB448120 expired", [("PAB448120", "ID_NUMBER")]),
        ("Leave request: Bethany Croft (EMP 44120)", [("44120", "EMPLOYEE_ID")]),
        ("Mortgage payoff request for loan 0044812093, borrower", [("0044812093", "ACCOUNT_NUMBER")]),
        # BIN and PCN route a pharmacy claim to a plan: the same for every member, no one's id
        ("Rx BIN: 610014   PCN: ADV44120   Rx Group: RX4438", [("RX4438", "HEALTH_PLAN_ID")]),
        # spaced digit groups at the end of a field
        ("Insurance number: 28 19865453 56\nNext line", [("28 19865453 56", "HEALTH_PLAN_ID")]),
        # label words of banking, insurance, justice and HR records
        ("Hosp#: 4471220", [("4471220", "MRN")]),
        ("Medicare: 1EG4-TE5-MK73\nCopay: $25.00", [("1EG4-TE5-MK73", "HEALTH_PLAN_ID")]),
        ("Card member number: 4471 220933", [("4471 220933", "ACCOUNT_NUMBER")]),
        ("Cardmember no. 4471220933 is on file", [("4471220933", "ACCOUNT_NUMBER")]),
        ("please quote your customer no. CIF0044812", [("CIF0044812", "ACCOUNT_NUMBER")]),
        ("CIF number: 0044812", [("0044812", "ACCOUNT_NUMBER")]),
        ("Konto nr 55120443", [("55120443", "ACCOUNT_NUMBER")]),
        ("Savings: 4471-2209-33  Checking: 4471-2209-34",
         [("4471-2209-33", "ACCOUNT_NUMBER"), ("4471-2209-34", "ACCOUNT_NUMBER")]),
        ("I.D. No. 4471220 on the badge", [("4471220", "ID_NUMBER")]),
        ("Government ID: D1234567", [("D1234567", "ID_NUMBER")]),
        ("Permanent resident card: USCIS# 000-123-456", [("000-123-456", "ID_NUMBER")]),
        ("A-Number: A123456789", [("A123456789", "ID_NUMBER")]),
        ("DoD ID 1234567890, rank SGT", [("1234567890", "ID_NUMBER")]),
        ('{"cardholderId": "448812277", "accountHolderId": "W88120443"}',
         [("448812277", "ACCOUNT_NUMBER"), ("W88120443", "ACCOUNT_NUMBER")]),
        ("Vehicle: grey Civic\nPlate: 7ABC123", [("7ABC123", "VEHICLE_ID")]),
        ("Insured vehicle 2021 Honda CR-V, plate NC HKT-4471. Other driver", [("NC HKT-4471", "VEHICLE_ID")]),
        ("UK reg plate AB12 CDE seen on camera", [("AB12 CDE", "VEHICLE_ID")]),
        ("Inmate ID: A447120, housing unit C", [("A447120", "ID_NUMBER")]),
        ("Offender no. 2024-004471 released", [("2024-004471", "ID_NUMBER")]),
        ("NI number: QQ123456C", [("QQ123456C", "ID_NUMBER")]),
        ("Employee: Dana Roe   ID: E4471", [("E4471", "ID_NUMBER")]),
    ],
)  # fmt: skip
def test_labelled_identifiers_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "fixed in JIRA-1234 and OPS-1234567",
        "AWS account 123456789012 and service account 7654321",
        "customer since 2019, member 00000000",
        "see chart 2 of 3",
        "Policy: 2 years",
        "case 12345:\n    return x",
        "License: MIT 2.0",
        "patient recovered well; follow-up in 6 weeks",
        "MRN lookup failed: see logs",
        "account for 2019 figures",
        "group_id: 1000",
        "Claim date: 2024-01-15",
        "Account balance: 1234.56",
        "NPI: 3234567890",  # an NPI starts with 1 or 2
        "NPI: 12345678",  # too short
        "DEA # AB12345",  # too short
        "driver's license number D1234567",  # US_DRIVER_LICENSE's, not LICENSE_NUMBER
        "build 12345678 released 2024-01-15",
        "INFO request_id=7f3a9c21 status=200 took 1234ms",
        '{"id": 12345678, "user": "x"}',  # a lower-case key is a database id
        "Order ID: 5551234 shipped",
        "super().__init__(policy=RFC822Policy())",  # code, not a policy number
        "Request ID: 99881234",
        "Re: Claim #CLM-7781234 — please advise",  # claim numbers identify no one, like orders
        "Routing number 021000021 (the bank's, not the customer's)",
        "Medicare covers 80% of 12000 approved charges",
        "savings of 12345 this year",
        "checking 4471220 now",
        "the government 12345 budget",
        "see Plate 12A and Plate 4B in the atlas",  # figures of a book
        "the plate DINNER special",
        "Visited Hosp 2 of 3 on the tour",
        "Claim number: 4471203881, claim # CLM-88120",
        "CT chest, Accession #: 88213407, read by radiology",  # a study's number, not a person's
        "id,name\n12345,widget\n",
        "the sin 12345 of pride",  # acronyms that are words count in capitals only
        "I hope the contract 2024 is ok",
    ],
)
def test_unlabelled_or_malformed_values_are_left_alone(text: str) -> None:
    assert ids(text) == []


def test_table_columns_under_identifier_phone_and_ssn_headers() -> None:
    markdown = (
        "| Patient Name | MRN | Phone | Member ID |\n"
        "|---|---|---|---|\n"
        "| Ann Lee | 551203 | 555-123-4567 | K2203117 |\n"
        "| Bo Chan | 551204 | (555) 987-6543 | K2203118 |\n"
        "\n"
        "Total: 2 patients, 1234 visits"
    )
    spans = sorted(
        {(s.start, s.end, s.label) for s in LAYER.detect(markdown) if s.source == "regex:labelled_id"}
    )
    assert [(markdown[a:b], label) for a, b, label in spans] == [
        ("551203", "MRN"),
        ("555-123-4567", "PHONE"),
        ("K2203117", "HEALTH_PLAN_ID"),
        ("551204", "MRN"),
        ("(555) 987-6543", "PHONE"),
        ("K2203118", "HEALTH_PLAN_ID"),
    ]
    csv = 'name,mrn,home phone,ssn,notes\n"Lee, Ann",551203,555-0199,123-45-6789,ok\nBo,n/a,,,\n'
    got = sorted(
        (csv[s.start : s.end], s.label) for s in LAYER.detect(csv) if s.source == "regex:labelled_id"
    )
    assert got == [("123-45-6789", "US_SSN"), ("551203", "MRN"), ("555-0199", "PHONE")]
    semicolons = "employee_id;nachname;steuer_id\nE-40012;Schäfer;65 929 970 489\n"
    got = sorted(
        (semicolons[s.start : s.end], s.label)
        for s in LAYER.detect(semicolons)
        if s.source == "regex:labelled_id"
    )
    assert got == [("65 929 970 489", "ID_NUMBER"), ("E-40012", "EMPLOYEE_ID")]
    tsv = "emp id\tname\tbadge\nE-204417\tKim\t40417\n"
    got = sorted(
        (tsv[s.start : s.end], s.label) for s in LAYER.detect(tsv) if s.source == "regex:labelled_id"
    )
    assert got == [("40417", "EMPLOYEE_ID"), ("E-204417", "EMPLOYEE_ID")]


def test_table_of_figures_with_no_label_header_is_left_alone() -> None:
    table = "| service | p50 ms | p99 ms | requests |\n|---|---|---|---|\n| api | 12 | 180 | 5512034 |\n"
    assert [s for s in LAYER.detect(table) if s.source == "regex:labelled_id"] == []


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1245319599", True),
        ("1234567893", True),
        ("1234567890", False),
        ("3245319599", False),
        ("124531959", False),
    ],
)
def test_npi_checksum(value: str, ok: bool) -> None:
    assert npi_is_valid(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("AB1234563", True),
        ("ab1234563", True),
        ("AB1234567", False),
        ("IB1234563", False),
        ("A91234563", True),
    ],
)
def test_dea_checksum(value: str, ok: bool) -> None:
    assert dea_is_valid(value) is ok


def test_the_first_word_prefilter_finds_what_a_full_scan_finds() -> None:
    """`label_starts` (letter runs, a first-word check, then the label regex) is an optimisation of
    scanning with the label regex everywhere: on text with every label of the vocabulary it agrees."""
    import re

    from maskgate.detect.patterns.identifiers import _LABEL_RE, label_starts

    text = (
        "MRN-1 medical record no 2 Med Rec # Pt ID patient_id chart # encounter id NPI national provider id "
        "DEA registration member id memberId subscriber no insurance # Medicaid MBI health plan id group # "
        "Rx BIN acct# a/c no account number policy loan no employee id EMP badge case no claim # docket # "
        "nursing license license no certificate no passport tax id TIN EIN student id national id ID card "
        "roll no document no HKID NRIC DNI Steuer-ID VIN license plate vehicle id phone Home Phone fax SSN "
        "social security number socialnum"
    ).lower()
    slow = [
        (m.start(), m.end())
        for m in re.finditer(_LABEL_RE.pattern, text)
        if not (m.start() and text[m.start() - 1].isalnum())
    ]
    assert [(m.start(), m.end()) for m in label_starts(text)] == slow
    assert len(slow) >= 50
