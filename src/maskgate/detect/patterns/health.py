"""Health and identity records: medical record numbers and dates of birth, only where the text
says what they are (a bare number or date is no identifier on its own)."""

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
_MRN_KEY = (
    r"(?:mrn|medical\s+record(?:\s+(?:number|no\.?|num|#))?|patient\s+(?:id|number|no\.?)"
    r"|chart\s+(?:number|no\.?|#)|hospital\s+(?:number|no\.?))"
)
MRN = Recognizer(
    "medical_record_number",
    "MRN",
    rf"\b{_MRN_KEY}\s*(?:is\s+|[:=#-]\s*)?(?P<v>[A-Z]{{0,3}}-?\d{{5,12}})(?![\w-])",
    score=0.95,
    group="v",
    flags=re.IGNORECASE,
    requires=("mrn", "medical record", "patient", "chart", "hospital"),
)

RECOGNIZERS: list[Recognizer | Finder] = [DOB, MRN]
