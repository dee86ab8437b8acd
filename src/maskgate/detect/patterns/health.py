"""Dates of birth, only where the text says what they are (a bare date is no identifier on its own).
Medical record, health-plan and other labelled numbers are in `identifiers.py`."""

from __future__ import annotations

import re

from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.id_values import npi_is_valid

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?!\d)"  # 03/04/1980, 3.4.80
    r"|\d{4}-\d{2}-\d{2}(?!\d)"  # 1980-04-03
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # April 3rd, 1980
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"  # 3 April 1980
)
_DOB_KEY = r"(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)"

DOB = Recognizer(
    "date_of_birth",
    "DATE_OF_BIRTH",
    rf"\b{_DOB_KEY}\s*(?:is\s+|was\s+|[:=#-]\s*)?(?P<v>{_DATE})",
    score=0.95,
    group="v",
    flags=re.IGNORECASE,
    requires=("dob", "d.o.b", "birth", "born"),
)

# An NPI nobody labelled: ten bare digits starting 1 or 2 whose Luhn check over the 80840 prefix holds
# (about 1 in 50 random ten-digit runs), next to words for a clinician (`Dr. Amara Osei 1245319599`,
# `referring physician: Lee, 1245319599`). The cue keeps order numbers and timestamps out.
_CLINICIAN = re.compile(
    r"\b(?:dr|md|m\.d|provider|prescriber|prescribing|physician|attending|referring|rendering|pcp|"
    r"practitioner|clinician|doctor|surgeon|pharmacist|dds|dmd|np|pa-c|npi)\b",
    re.IGNORECASE,
)


def _clinician_near(m: re.Match[str]) -> bool:
    text = m.string
    return _CLINICIAN.search(text, max(0, m.start() - 60), min(len(text), m.end() + 30)) is not None


NPI_UNLABELLED = Recognizer(
    "npi_unlabelled",
    "NPI",
    r"[12](?<![\w.+-][12])\d{9}(?![\w-]|[.,]\d)",
    score=0.8,
    validate=npi_is_valid,
    accept=_clinician_near,
)
RECOGNIZERS: list[Recognizer | Finder] = [DOB, NPI_UNLABELLED]
