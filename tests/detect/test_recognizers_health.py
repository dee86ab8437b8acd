"""Health identifiers: dates of birth and medical record numbers, only when labelled as such."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())


def found(text: str) -> list[tuple[str, str]]:
    return [
        (text[s.start : s.end], s.label) for s in LAYER.detect(text) if s.label in ("DATE_OF_BIRTH", "MRN")
    ]


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("Patient: Maria Garcia, DOB 03/04/1980, seen today", "03/04/1980", "DATE_OF_BIRTH"),
        ("D.O.B.: 1980-04-03", "1980-04-03", "DATE_OF_BIRTH"),
        ("date of birth: April 3rd, 1980.", "April 3rd, 1980", "DATE_OF_BIRTH"),
        ("He was born on 3 April 1980 in Leeds", "3 April 1980", "DATE_OF_BIRTH"),
        ("Birthdate - 12.11.79", "12.11.79", "DATE_OF_BIRTH"),
        ("MRN 00482913 admitted", "00482913", "MRN"),
        ("Medical record number: MR-7731024", "MR-7731024", "MRN"),
        ("Patient ID: AB-1234567", "AB-1234567", "MRN"),
        ("see chart #48213344 for history", "48213344", "MRN"),
    ],
)
def test_labelled_values_are_found(text: str, value: str, label: str) -> None:
    assert found(text) == [(value, label)]


@pytest.mark.parametrize(
    "text",
    [
        "released 2024-01-15, build 12345678",
        "Bornholm 2020-01-01 ferry schedule",
        "the job was born out of necessity in 2019",
        "patient recovered well; follow-up in 6 weeks",
        "MRN lookup failed: see logs",
        "2026-11-22T05:19:43Z INFO started pid=48213",
    ],
)
def test_unlabelled_dates_and_numbers_are_left_alone(text: str) -> None:
    assert found(text) == []
