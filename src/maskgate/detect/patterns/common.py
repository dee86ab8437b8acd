"""Locale-free recognizers. (Placeholder set; extended by the recognizer work.)"""

from __future__ import annotations

from maskgate.detect.patterns.base import Recognizer

EMAIL = Recognizer(
    "email",
    "EMAIL",
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])",
    score=1.0,
)

RECOGNIZERS: list[Recognizer] = [EMAIL]
