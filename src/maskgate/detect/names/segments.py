"""Names in record segments: X12 EDI `NM1` segments of a person (entity type 1: last, first, middle,
suffix) and HL7 v2 person fields (`DOE^JOHN^A`) of PID, NK1, PV1, GT1, IN1... segments."""

from __future__ import annotations

import re
from collections.abc import Iterator

_NM1 = re.compile(r"NM1(?P<s>[*|^])[A-Z0-9]{1,3}(?P=s)1(?P=s)(?P<v>[^~\n]*)")
_HL7_SEGMENT = re.compile(r"(?m)^(?:PID|NK1|PV1|PD1|GT1|IN1|IN2|MRG|STF)\|[^\r\n]*")
_XPN = re.compile(
    r"(?<=[|~])(?:[^|^~\r\n]*\d[^|^~\r\n]*\^)?([^\W\d_][^|^~\r\n]*)\^([^\W\d_][^|^~\r\n]*)((?:\^[^|~\r\n]*)?)"
)


_SUFFIX = re.compile(r"(?i:jr|sr|ii|iii|iv|v)\.?")


def edi_names(text: str) -> Iterator[tuple[int, int]]:
    for m in _NM1.finditer(text):
        sep = m.group("s")
        pos = m.start("v")
        # last, first, middle, prefix (a title: stays), suffix (JR, III: part of the name)
        for k, el in enumerate(m.group("v").split(sep)[:5]):
            shaped = el.strip() and re.fullmatch(r"[^\W\d_][\w '’.-]*", el)
            if shaped and (k < 3 or (k == 4 and _SUFFIX.fullmatch(el.strip()))):
                yield pos, pos + len(el.rstrip())
            pos += len(el) + 1


def hl7_names(text: str) -> Iterator[tuple[int, int]]:
    for seg in _HL7_SEGMENT.finditer(text):
        for m in _XPN.finditer(text, seg.start(), seg.end()):
            yield m.span(1)
            yield m.span(2)
            rest = m.group(3)
            if rest:
                mid = re.match(r"\^([^\W\d_][\w'’ .-]*)", rest)
                if mid is not None and len(mid.group(1).rstrip(".")) <= 20:
                    yield m.start(3) + 1, m.start(3) + mid.end()
