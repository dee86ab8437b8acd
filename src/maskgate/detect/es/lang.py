"""Is a text written in Spanish? A cheap function-word count: the English NER model mislabels
Spanish text (`Antecedentes`, `Exploración` become people), so the `es` pack adjusts there."""

from __future__ import annotations

import re
from functools import lru_cache

from maskgate.detect.words import word_list

# Frequent function words that English does not share (`a`, `no`, `me`, `he` are left out).
SPANISH_STOP = frozenset(
    word_list(
        """
    de la el los las del que y en con por para una un es se su sus al lo como más mas pero le les sin
    este esta estos estas ese esa eso entre cuando fue era está están muy desde hasta también tras
    sobre ha han había ya donde porque cual cuál según durante sido ser son tiene tienen nos mi
    mis usted ustedes ella ellos nuestro nuestra dicho dicha presenta refiere realiza mediante
    paciente años hace otro otra otros otras todo toda todos todas cada ni e u o
    """
    )
)
ENGLISH_STOP = frozenset(
    word_list(
        """
    the and of to is in that it with for was on as are be this by at from or have an not his her
    which were been has had will would their they there what when who about into than them then
    these those our your you we she he
    """
    )
)
_WORD = re.compile(r"[^\W\d_]+")
# Spelling English does not use: `ñ`, acute accents, `-ción`, `-ología` (headings and forms with few
# function words: `Exploración física`, `Diagnóstico`).
_ACCENTED = frozenset("ñáéíóú")
_SUFFIXES = ("ción", "ciones", "sión", "siones", "dad", "ología", "mente")
_TLDS = frozenset({"es", "com", "org", "net", "mx", "ar", "co", "cl", "pe", "cat", "eus", "gal"})


def _marked(word: str) -> bool:
    return word.endswith(_SUFFIXES) or not _ACCENTED.isdisjoint(word)


def _plain(token: str) -> bool:
    """Not an e-mail address, URL or domain: those say nothing of the language (`josé@correo.es`)."""
    if "@" in token or "://" in token:
        return False
    head, dot, tail = token.rstrip(".,;:)>").rpartition(".")
    return not (dot and head and tail in _TLDS)


# Enough text to judge: the first few thousand characters say which language a text is in.
SAMPLE = 4000


@lru_cache(maxsize=64)
def is_spanish(text: str) -> bool:
    """Spanish function words (at least two) and Spanish-spelt words together at least 3, twice as
    many as English function words and one word in ten; or, with no English function word at all,
    four Spanish-spelt words (headings: `Exploración física`, `Diagnóstico`). Names alone
    (`José García` in English text) do not make a text Spanish."""
    sample = " ".join(t for t in text[:SAMPLE].lower().split() if _plain(t))
    words = _WORD.findall(sample)
    if len(words) < 3:
        return False
    stop = sum(1 for w in words if w in SPANISH_STOP)
    marked = sum(1 for w in words if w not in SPANISH_STOP and _marked(w))
    en = sum(1 for w in words if w in ENGLISH_STOP)
    es = stop + marked
    if en == 0 and marked >= 4:
        return True
    return stop >= 2 and es >= 3 and es >= 2 * en and es * 10 >= len(words)


# Around one span: a long text may mix languages, and a span's neighbourhood must decide alike
# whether the text is analysed whole or in slices (detect/pool.py runs the model on slices with one
# 5,000-character chunk on either side).
NEAR = 1500


def spanish_near(text: str, start: int, end: int) -> bool:
    """Is the text around `text[start:end]` (NEAR characters either side) Spanish?"""
    return is_spanish(text[max(0, start - NEAR) : end + NEAR])
