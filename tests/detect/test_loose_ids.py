"""Spaced-out, loosely dashed and spelled-out account numbers and SSNs (patterns/loose_ids.py):
forms with one box per digit, chats where a number is read out, word processors' en dashes."""

from __future__ import annotations

import pytest

from maskgate.detect.factory import build_pipeline
from maskgate.detect.options import DetectOptions
from maskgate.detect.patterns.loose_ids import LooseIdFinder

FINDER = LooseIdFinder()


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in FINDER.find(text)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # finance form, boxes per digit
        (
            "Checking  acct # 0 9 1 1 - 8 8 4 - 4 1 7   balance $812.44",
            [("0 9 1 1 - 8 8 4 - 4 1 7", "ACCOUNT_NUMBER")],
        ),
        ("Account:   0 0 2 1 8 8 4 - 6 1 9\nType: Savings", [("0 0 2 1 8 8 4 - 6 1 9", "ACCOUNT_NUMBER")]),
        # chat: the question on the line above, the number read out below
        (
            "Agent: can you confirm the account number?\nVisitor: lena and its 5 5 0 1 - 2 2 8 7 - 4 4",
            [("5 5 0 1 - 2 2 8 7 - 4 4", "ACCOUNT_NUMBER")],
        ),
        # e-mail: a brokerage account with a letter prefix, on the line below its label
        ("full number is\nZ 7 7 - 4 4 1 8 8 2. The receiving", [("Z 7 7 - 4 4 1 8 8 2", "ACCOUNT_NUMBER")]),
        # CMS-1500 box spaced out: five digits right after the number word
        ("11. INSURED'S POLICY GROUP OR FECA NUMBER G 7 7 0 1 2\n", [("G 7 7 0 1 2", "ACCOUNT_NUMBER")]),
        # HR / clinical forms: SSN with spaced or typographic dashes, words between label and value
        (
            "My Social Security number, for identification only, is 301 - 44 - 8812.",
            [("301 - 44 - 8812", "US_SSN")],
        ),
        (
            "Part I  Social security number  5 8 5 – 4 4 – 1 1 8 7     or EIN",
            [("5 8 5 – 4 4 – 1 1 8 7", "US_SSN")],
        ),
        ("SSN: 604 — 44 — 1182", [("604 — 44 — 1182", "US_SSN")]),
        # call notes: spelled out
        (
            "Customer provided SSN five eight one, two two, nine zero one four for the check.",
            [("five eight one, two two, nine zero one four", "US_SSN")],
        ),
        (
            "my acct is four four one zero two zero nine three nine seven",
            [("four four one zero two zero nine three nine seven", "ACCOUNT_NUMBER")],
        ),
    ],
)
def test_found(text: str, want: list[tuple[str, str]]) -> None:
    assert found(text) == want


@pytest.mark.parametrize(
    "text",
    [
        # digit tables, scales and counts: no label
        "Rate each 1 2 3 4 5 6 7 8 9 10",
        "bits: 0 1 1 0 1 0 0 1 1 0 1",
        "row 3: 4 7 2 9 1 8 3 6 5 0 2 4 8",
        # a label, but a sentence ends before the value
        "Account closed. Grid: 4 7 2 9 1 8 3 6",
        # SSN shapes without an SSN label, or a last-4 remark between
        "Part number 301 - 44 - 8812 in stock",
        "SSN (last 4 only) then code 301 - 44 - 8812",
        # counting up, or one digit over and over, is no number
        "account 1 2 3 4 5 6 7 8",
        "account 0 0 0 0 0 0 0 0",
        "Grid for account holders: 4 7 2 9 1",  # five digits only right after the label
        # prose with digit words and no label
        "she was one of nine, two of them twins, and three of them older, four younger",
        "ID badges were handed out to one, two, three, four, five, six, seven people",
    ],
)
def test_not_found(text: str) -> None:
    assert found(text) == []


def test_pipeline_masks_spaced_account() -> None:
    pipe = build_pipeline(DetectOptions(ner="none"))
    text = "Savings acct # 0 9 1 1 - 8 8 4 - 4 2 5 (same bank)"
    spans = pipe.analyze(text)
    assert any(text[s.start : s.end] == "0 9 1 1 - 8 8 4 - 4 2 5" for s in spans)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # wire (finance): the ordering customer's and the beneficiary's accounts
        (
            ":20:FT24117XQ93\n:50K:/118204417\nHARGREAVES-LLOYD, PENELOPE A\n",
            [("118204417", "ACCOUNT_NUMBER")],
        ),
        (":50K: Ordering customer: /0044188270\n", [("0044188270", "ACCOUNT_NUMBER")]),
        (":59:/4400112233\nACME PAYROLL FOR J DOE\n", [("4400112233", "ACCOUNT_NUMBER")]),
        # a bank's routing code after `//` and a bank's own field are no one's account
        (":57A://FW021000021\nCHASUS33\n", []),
        (":52A:/44120093\nBOFAUS3N\n", []),
        (":50K:/ABC\nNO DIGITS\n", []),
    ],
)
def test_swift_party_accounts(text: str, want: list[tuple[str, str]]) -> None:
    assert found(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # visit: attending and referring doctors with their ids
        (
            "PV1|1|O|CARD^204^01|||D44127^O'BRIEN^SEAMUS^T^^DR|D50913^MBEKI^NOMSA^^^DR||CAR\n",
            [("D44127", "ID_NUMBER"), ("D50913", "ID_NUMBER")],
        ),
        # order: the ordering provider's NPI
        ("ORC|NW|ORD4471|||||||20240611|||1467582950^OSEI^AMARA^^^DR^MD\n", [("1467582950", "ID_NUMBER")]),
        # the patient's name has no id before it; MSH, coded results and orders are codes
        ("PID|1||E7710482^^^NWH^MR||VAN DER BERG^ANNELIES^M^^MRS||19670923|F\n", []),
        ("OBR|1|ORD4471||80053^COMPREHENSIVE METABOLIC PANEL^CPT|||20240611\n", []),
        ("OBX|1|NM|2345-7^GLUCOSE^LN||95|mg/dL\n", []),
        ("Notes: call 555^ext^2 | ask for Bob\n", []),
    ],
)
def test_hl7_person_ids(text: str, want: list[tuple[str, str]]) -> None:
    assert found(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "<Dbtr><Nm>C B</Nm></Dbtr>\n<DbtrAcct>\n  <Id>\n    <Othr>\n      <Id>000012774419</Id>",
            [("000012774419", "ACCOUNT_NUMBER")],
        ),
        ("<Acct><Id><Othr><Id>4400112233</Id></Othr></Id></Acct>", [("4400112233", "ACCOUNT_NUMBER")]),
        ("<Acct><Id><IBAN>IT60X0542811101000000123456</IBAN></Id></Acct>", []),  # iban: common.py's
        ("<MsgId><Id>MSG-2024</Id></MsgId>", []),
    ],
)
def test_iso20022_accounts(text: str, want: list[tuple[str, str]]) -> None:
    assert found(text) == want
