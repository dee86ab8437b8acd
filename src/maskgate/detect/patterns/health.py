"""Dates of birth, only where the text says what they are (a bare date is no identifier on its own).
Medical record, health-plan and other labelled numbers are in `identifiers.py`."""

from __future__ import annotations

import re

from maskgate.detect.patterns.base import Finder, Recognizer

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
RECOGNIZERS: list[Recognizer | Finder] = [DOB]
