"""National identity and tax numbers of other countries (python-stdnum validates each): alone where
the format is distinctive and checksummed, beside their name where the shape is common."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())


def national(text: str) -> list[str]:
    spans = sorted(
        {
            (s.start, s.end)
            for s in LAYER.detect(text)
            if s.source.startswith("regex:") and s.label == "ID_NUMBER"
        }
    )
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # HR records of international assignees
        ("Guadalupe Hernández — CURP HEGG560427MVZRRL04, alta 2021", ["HEGG560427MVZRRL04"]),
        ("dati: Manuel Rossi, RCCMNL83S18D969H, Genova", ["RCCMNL83S18D969H"]),
        ("Beatriz Lima (390.533.447-05) assinou o contrato", ["390.533.447-05"]),
        ("주민등록번호 850101-1234566 확인", ["850101-1234566"]),
        # a common shape, its name shortly before, words between allowed
        ("Aadhaar on the KYC form: 4371 8820 9151", ["4371 8820 9151"]),
        ("Rohan's PAN on the form is ABCPE1234F, please verify", ["ABCPE1234F"]),
        ("RFC del empleado: GODE561231GR8", ["GODE561231GR8"]),
        ("Employee's social insurance number on file: 130 692 544", ["130 692 544"]),
    ],
)
def test_national_ids_are_found(text: str, expected: list[str]) -> None:
    assert national(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a check digit fails (a number right after its label is the labelled-id vocabulary's: the
        # writer said what it is, valid or not)
        "clave HEGG560427MVZRRL05",
        "codice RCCMNL83S18D969X",
        "recibo 390.533.447-06 recusado",
        "UID on file 4371 8820 9152",
        "social insurance: 130 692 545",
        # a valid number with nothing naming it: order, invoice and phone-like numbers
        "order 4371 8820 9151 shipped",
        "ref 130 692 544 in the ledger",
        "batch ABCPE1234F released",
        "tracking GODE561231GR8",
    ],
)
def test_near_misses_stay(text: str) -> None:
    assert national(text) == []
