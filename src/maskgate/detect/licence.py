"""US driver's licence numbers, only where the text says it is one.

US states use dozens of formats (7–9 digits, a letter and 12 digits, dashed groups...), so a
number alone proves nothing: a candidate is reported only when "driver's license", "driving
licence", "DL #" or "license number" comes shortly before it. Label US_DRIVER_LICENSE.
"""

from __future__ import annotations

import re

from maskgate.detect.spans import Span

LABEL = "US_DRIVER_LICENSE"
SCORE = 0.85
WINDOW = 50

_CONTEXT = re.compile(
    r"(?:driver['’]?s?|drivers|driving)[ \t_-]*lic(?:en[cs]e|\.|\b)|\bDL\b|(?<![a-z])dl(?=[_-]?(?:no|num|id|#))|"
    r"\blicen[cs]e[ \t]+(?:number|no\.?|#)|"
    r"\bCDL\b|\bpermit[ \t]+(?:number|no\.?|#)",
    re.IGNORECASE,
)
_CANDIDATE = re.compile(
    r"(?<![\w.-])(?:[A-Z]{1,2}[ -]?\d{4,14}|\d{7,12}|\d{3,4}-\d{2,3}-\d{3,4}|[A-Z]\d{3}-\d{3,4}-\d{3,4}(?:-\d{1,3})?|"
    r"[A-Z]{1,3}\d{2,3}[A-Z]{0,2}\d{2,6})(?![\w-]|\.\d)"
)


class DriverLicenceLayer:
    name = "us_driver_license"
    version = "2"

    def detect(self, text: str) -> list[Span]:
        low = text.lower()
        if "lic" not in low and "dl" not in low and "permit" not in low:
            return []
        out = []
        for m in _CANDIDATE.finditer(text):
            before = text[max(0, m.start() - WINDOW) : m.start()]
            ctx = list(_CONTEXT.finditer(before))
            if not ctx:
                continue
            # nothing but a few words, "is", ":" or "#" between the context and the number
            between = before[ctx[-1].end() :]
            if len(between) > 30 or re.search(r"[.;!?\n]", between):
                continue
            out.append(Span(m.start(), m.end(), LABEL, SCORE, self.name))
        return out

    def fingerprint(self) -> str:
        return f"{self.name}:{self.version}"
