"""National identity and tax numbers of other countries, validated with python-stdnum.

Where a format carries a check digit and a shape nothing else is written in, the number alone is
enough (Mexico's CURP, Italy's codice fiscale, Brazil's CPF written `ddd.ddd.ddd-dd`, Korea's
resident registration number `yymmdd-gnnnnnn`). Where the shape is common (12 or 9 digits, a
10-character code), the number must validate *and* a word for it must stand within 40 characters
before it (`Aadhaar`, `PAN`, `RFC`, `SIN`): the label vocabulary (`id_vocab.py`) finds them right
after their label, these also when words stand between (`PAN on the form is ABCPE1234F`).
All are ID_NUMBER: person-bound ids.
"""

from __future__ import annotations

import re

from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.in_ import aadhaar, pan
from stdnum.it import codicefiscale
from stdnum.kr import rrn
from stdnum.mx import curp, rfc

from maskgate.detect.patterns.base import DIGIT_START, Finder, Recognizer

LABEL = "ID_NUMBER"
_SEP = re.compile(r"[ .-]")


def _compact(value: str) -> str:
    return _SEP.sub("", value)


# Validators are module functions, not lambdas: recognizers are pickled into worker processes.
def _cpf_ok(value: str) -> bool:
    return bool(cpf.is_valid(_compact(value)))


def _rrn_ok(value: str) -> bool:
    return bool(rrn.is_valid(value, allow_future=False))


def _aadhaar_ok(value: str) -> bool:
    return bool(aadhaar.is_valid(_compact(value)))


def _rfc_ok(value: str) -> bool:
    return bool(rfc.is_valid(value, validate_check_digits=True))


def _sin_ok(value: str) -> bool:
    return bool(sin.is_valid(_compact(value)))


# The first capital of a code not glued to other letters or digits: matched first and looked behind
# afterwards, so the engine skips ahead to capitals (a leading look-behind tries every position).
_CAP_START = r"[A-Z](?<![A-Za-z0-9][A-Z])"
_END = r"(?![A-Za-z0-9])"

CURP = Recognizer(
    "mx_curp",
    LABEL,
    _CAP_START + r"[AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d" + _END,
    score=0.95,
    validate=curp.is_valid,
)
CODICE_FISCALE = Recognizer(
    "it_codice_fiscale",
    LABEL,
    _CAP_START + r"[A-Z]{5}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]" + _END,
    score=0.95,
    validate=codicefiscale.is_valid,
)
CPF_FORMATTED = Recognizer(
    "br_cpf",
    LABEL,
    DIGIT_START + r"\d{2}\.\d{3}\.\d{3}-\d{2}(?![\w-]|\.\d)",
    score=0.95,
    validate=_cpf_ok,
)
KR_RRN = Recognizer(
    "kr_rrn",
    LABEL,
    DIGIT_START + r"\d{5}-[1-8]\d{6}(?![\w-]|\.\d)",
    score=0.9,
    validate=_rrn_ok,
)
# Common shapes: the number validates and its name stands shortly before it.
AADHAAR = Recognizer(
    "in_aadhaar",
    LABEL,
    DIGIT_START + r"\d{3}([ -]?)\d{4}\1\d{4}(?![\w-]|\.\d)",
    score=0.9,
    validate=_aadhaar_ok,
    context=("aadhaar", "aadhar", "uidai", "uid"),
    require_context=True,
)
PAN = Recognizer(
    "in_pan",
    LABEL,
    _CAP_START + r"[A-Z]{2}[PCHABGJLFT][A-Z]\d{4}[A-Z]" + _END,
    score=0.9,
    validate=pan.is_valid,
    context=("pan", "permanent account number", "income tax", "pan card"),
    require_context=True,
)
RFC = Recognizer(
    "mx_rfc",
    LABEL,
    r"[A-ZÑ&](?<![A-Za-z0-9][A-ZÑ&])[A-ZÑ&]{3}\d{6}[A-Z0-9]{3}" + _END,
    score=0.9,
    validate=_rfc_ok,
    context=("rfc", "registro federal"),
    require_context=True,
)
CA_SIN = Recognizer(
    "ca_sin",
    LABEL,
    DIGIT_START + r"\d{2}([ -]?)\d{3}\1\d{3}(?![\w-]|\.\d)",
    score=0.9,
    validate=_sin_ok,
    context=("sin", "social insurance", "nas"),
    require_context=True,
)

RECOGNIZERS: list[Recognizer | Finder] = [
    CURP,
    CODICE_FISCALE,
    CPF_FORMATTED,
    KR_RRN,
    AADHAAR,
    PAN,
    RFC,
    CA_SIN,
]
