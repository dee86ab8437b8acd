"""ANSI X12 EDI (HIPAA 834 enrolment, 835 remittance, 837 claims): each element's meaning is given by
its segment and qualifier, not by words around it, so the layers that read prose find nothing in
`NM1*IL*1*HAWTHORNE*GLENDA*M***MI*W884512093~`. This reader takes the elements that identify a person:
names, ids by their qualifier, contact numbers, street lines, birth dates, claim numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.patterns.base import Finder
from maskgate.detect.spans import Span

# A segment: a 2-3 character id, then `*`-separated elements, ended by `~` or a line break.
_SEGMENT = re.compile(r"(?<![A-Za-z0-9*])(?P<id>[A-Z][A-Z0-9]{1,2})\*(?P<body>[^~\n]*)")
# NM108 id qualifiers: member id, NPI, SSN, EIN / federal tax id, standard unique health id, Medicaid
# recipient id, HIC number, insured's (changed) unique id, employee id. A person's id (NM102 `1`)
# under any other qualifier is an ID_NUMBER; an organisation's only under NPI (its tax id is no one's).
_NM1_IDS = {
    "MI": "HEALTH_PLAN_ID",
    "XX": "NPI",
    "34": "US_SSN",
    "24": "TAX_ID",
    "FI": "TAX_ID",
    "II": "ID_NUMBER",
    "MR": "HEALTH_PLAN_ID",
    "HN": "HEALTH_PLAN_ID",
    "N": "HEALTH_PLAN_ID",
    "C": "HEALTH_PLAN_ID",
    "EI": "EMPLOYEE_ID",
}
# ENT (820 premium payments): ENT02 `2J` individual, `EY` employee, `IL` insured, `QE` member;
# ENT03 the qualifier of ENT04.
_ENT_PERSONS = frozenset({"2J", "EY", "IL", "QE"})
# REF01 qualifiers: SSN, subscriber/group/policy/client numbers, HICN, medical record, patient account,
# prior and personal ids, case numbers, prior authorisations. Not the provider's tax ids (`EI`, `TJ`:
# an organisation's) nor claim numbers (`D9`, `F8`: like order numbers, they identify no one).
_REF_IDS = {
    "SY": "US_SSN", "0F": "HEALTH_PLAN_ID", "1L": "HEALTH_PLAN_ID", "1W": "HEALTH_PLAN_ID", "6P": "HEALTH_PLAN_ID",
    "23": "HEALTH_PLAN_ID", "IG": "HEALTH_PLAN_ID", "F6": "HEALTH_PLAN_ID", "38": "HEALTH_PLAN_ID",
    "EA": "MRN", "EJ": "ACCOUNT_NUMBER", "Q4": "ID_NUMBER", "ABB": "ID_NUMBER", "3H": "CASE_ID", "G1": "CASE_ID",
}  # fmt: skip
# PER communication qualifiers.
_PER_KINDS = {
    "TE": "PHONE",
    "HP": "PHONE",
    "WP": "PHONE",
    "CP": "PHONE",
    "FX": "PHONE",
    "BN": "PHONE",
    "EM": "EMAIL",
}
SCORE = 0.9
_ENVELOPE = frozenset({"ISA", "GS", "ST", "NM1", "REF", "PER", "N3", "DMG", "ENT"})
_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*_\d+>")


class EdiFinder:
    name = "edi"
    label = "ID_NUMBER"  # nominal: each span carries its element's label
    locale = "any"
    version = "1"
    requires = ("nm1*", "ref*", "per*", "clm*", "clp*", "ent*")

    def find(self, text: str) -> Iterator[Span]:
        segments = list(_SEGMENT.finditer(text))
        # Two segments or more of the X12 envelope or the person loops: `NM1*` in prose is rare,
        # but one alone is no interchange.
        if sum(1 for s in segments if s.group("id") in _ENVELOPE) < 2:
            return
        for seg in segments:
            elements = self._elements(seg)
            yield from _segment(text, seg.group("id"), elements)

    @staticmethod
    def _elements(seg: re.Match[str]) -> list[tuple[int, int]]:
        """(start, end) of elements 1..n; index 0 is the segment id."""
        out = [(seg.start("id"), seg.end("id"))]
        pos = seg.start("body")
        for part in seg.group("body").split("*"):
            out.append((pos, pos + len(part)))
            pos += len(part) + 1
        return out


# NM1 entity codes of providers (rendering, billing, pay-to, service facility, referring, ordering,
# facility); payers, submitters and receivers are left alone (they name no one's care).
_PROVIDER_ENTITIES = frozenset({"82", "85", "87", "77", "DN", "DK", "FA", "DQ", "P3"})


def _segment(text: str, seg_id: str, el: list[tuple[int, int]]) -> Iterator[Span]:
    def span(i: int, label: str) -> Iterator[Span]:
        # not empty, and not a placeholder of an earlier, already masked turn (`<PERSON_2>`)
        if i < len(el) and el[i][1] > el[i][0] and not _PLACEHOLDER.fullmatch(text, el[i][0], el[i][1]):
            yield Span(el[i][0], el[i][1], label, SCORE, "regex:edi")

    def text_of(i: int) -> str:
        return text[el[i][0] : el[i][1]] if i < len(el) else ""

    if seg_id == "NM1":
        if text_of(2) == "1":  # a person: last, first, middle name
            for i in (3, 4, 5):
                yield from span(i, "PERSON")
        elif text_of(2) == "2" and text_of(1) in _PROVIDER_ENTITIES:
            yield from span(3, "ORG")  # a practice or facility names where the patient is treated
        qualifier = text_of(8)
        if qualifier == "XX" or (qualifier in _NM1_IDS and text_of(2) != "2"):
            yield from span(9, _NM1_IDS[qualifier])
        elif qualifier and text_of(2) == "1":
            yield from span(9, "ID_NUMBER")
    elif seg_id == "SBR":  # 837 subscriber: SBR03 is the group or policy number of the person's plan
        yield from span(3, "HEALTH_PLAN_ID")
    elif seg_id == "ENT" and text_of(2) in _ENT_PERSONS:
        yield from span(4, "US_SSN" if text_of(3) == "34" else _NM1_IDS.get(text_of(3), "ID_NUMBER"))
    elif seg_id == "REF" and text_of(1) in _REF_IDS:
        yield from span(2, _REF_IDS[text_of(1)])
    elif seg_id == "PER":
        yield from span(2, "PERSON")
        for i in range(3, len(el) - 1, 2):
            kind = _PER_KINDS.get(text_of(i))
            if kind is not None:
                yield from span(i + 1, kind)
    elif seg_id == "N3":
        yield from span(1, "ADDRESS")
        yield from span(2, "ADDRESS")
    elif seg_id == "N4":  # city, state, postcode
        for i in (1, 2, 3):
            yield from span(i, "ADDRESS")
    elif seg_id == "DMG" and text_of(1) == "D8":
        yield from span(2, "DATE_OF_BIRTH")
    elif seg_id in ("CLM", "CLP"):
        yield from span(1, "CASE_ID")


EDI = EdiFinder()
RECOGNIZERS: list[Finder] = [EDI]
