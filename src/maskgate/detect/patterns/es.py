"""Spain and Spanish-language text (locale `es`): DNI/NIE/NIF and CIF (python-stdnum), Spanish
telephone numbers, and the `es` pack's layers written as finders: street addresses
(`detect/es/address.py`), places (`detect/es/places.py`), names with their cues
(`detect/es/names.py`) and organisations (`detect/es/orgs.py`). Spanish identifier labels (`NHC`, `NASS`, `NºCol`) live in
`detect/es/vocabulary.py` and are read by the general labelled-identifier finder."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from stdnum.es import cif, dni, nie

from maskgate.detect.es.address import SpanishAddressFinder
from maskgate.detect.es.lang import is_spanish
from maskgate.detect.es.names import SpanishNameFinder
from maskgate.detect.es.orgs import SpanishOrgFinder
from maskgate.detect.es.places import PlaceFinder
from maskgate.detect.patterns.base import CONTEXT_WINDOW, DIGIT_START, Finder, Recognizer
from maskgate.detect.spans import Span

_SEP = re.compile(r"[ .-]")

# -- DNI / NIE (personal ids, check letter mod 23) -----------------------------------------------
# Eight digits and the check letter: one value in 23 passes by chance, and the shape (digits glued
# to one capital) is rare elsewhere, so a valid DNI stands alone; a label makes it sure.
ID_CONTEXT = ("dni", "nie", "nif", "d.n.i", "documento", "identidad", "pasaporte")


def _dni_ok(value: str) -> bool:
    compact = _SEP.sub("", value)
    return len(set(compact[:-1])) > 1 and dni.is_valid(compact)


def _nie_ok(value: str) -> bool:
    return nie.is_valid(_SEP.sub("", value))


DNI = Recognizer(
    "es_dni",
    "ID_NUMBER",
    DIGIT_START + r"\d{7}[ -]?[A-HJ-NP-TV-Z](?![\w-])",
    score=0.85,
    validate=_dni_ok,
    context=ID_CONTEXT,
    context_score=1.0,
    locale="es",
)
DNI_DOTTED = Recognizer(  # `12.345.678-Z`
    "es_dni_dotted",
    "ID_NUMBER",
    DIGIT_START + r"\d\.\d{3}\.\d{3}[ -]?[A-HJ-NP-TV-Z](?![\w-])",
    score=0.85,
    validate=_dni_ok,
    context=ID_CONTEXT,
    context_score=1.0,
    locale="es",
)
NIE = Recognizer(
    "es_nie",
    "ID_NUMBER",
    r"(?<![\w-])[XYZ][ -]?\d{7}[ -]?[A-HJ-NP-TV-Z](?![\w-])",
    score=0.85,
    validate=_nie_ok,
    context=ID_CONTEXT,
    context_score=1.0,
    locale="es",
)

# Ids written in thousands groups (`DNI 32.456.789`, `RUT 15.234.567-8`, `C.C. 1.020.304.050`): the
# shape of an amount, so only after an id word.
DOTTED_ID = Recognizer(
    "es_dotted_id",
    "ID_NUMBER",
    # the first group has no leading zero: `0.100.100` is a version
    r"(?<![\w.+-])[1-9]\d{0,2}\.\d{3}\.\d{3}(?:\.\d{3})?(?:-[\dkK])?(?![\w-]|[.,]\d)",
    score=0.9,
    context=("dni", "rut", "cédula", "cedula", "documento", "identidad", "d.n.i"),
    require_context=True,
    locale="es",
)


# -- CIF (companies): one value in ten passes the check, so only after a label -------------------
def _cif_ok(value: str) -> bool:
    return cif.is_valid(_SEP.sub("", value))


CIF = Recognizer(
    "es_cif",
    "TAX_ID",
    r"(?<![\w-])[ABCDEFGHJNPQRSUVW][ -]?\d{7}[ -]?[0-9A-J](?![\w-])",
    score=0.9,
    validate=_cif_ok,
    context=("cif", "nif", "c.i.f", "fiscal", "empresa", "sociedad"),
    require_context=True,
    locale="es",
)

# -- telephone numbers ----------------------------------------------------------------------------
# Spanish phone words (English ones are the phone recognizers' business: a nine-digit claim number
# after `call us about` stays what the English labels say it is).
PHONE_CONTEXT = re.compile(
    r"\b(?:tel[ée]fonos?|tel[ée]f|telf?|tlfs?|tfnos?|m[óo]vil(?:es)?|fax|llam\w+|contacto|whatsapp|centralita"
    r"|busca|extensi[óo]n)(?![a-z0-9])"
)
# Spanish numbers have nine digits and no trunk prefix: 6/7 mobile, 8/9 fixed. Written compact,
# in threes (`912 345 678`), as 2+3+2+2 (`91 234 56 78`), 3+2+2+2 (`612 34 56 78`), perhaps after
# `+34`/`0034`, with spaces, dots or dashes.
_PHONE = re.compile(
    r"(?<![\w+.,/-])(?P<cc>(?:\+|00)34[ .-]?)?(?:\(\+?34\)[ ]?)?"
    r"(?P<num>[6789]\d{8}|[6789]\d\d([ .-])\d{3}\3\d{3}|[89]\d([ .-])\d{3}\4\d\d\4\d\d|[6789]\d\d([ .-])\d\d\5\d\d\5\d\d)"
    r"(?![\w-]|[.,]\d)"
)


class SpanishPhoneFinder:
    """Spanish telephone numbers valid in the national plan (`phonenumbers`, region ES). A grouped
    number is a phone in Spanish text, after `+34`, or after a phone word; a compact nine-digit run
    (the shape of many ids) only after `+34` or a phone word."""

    name = "es_phone"
    label = "PHONE"
    locale = "es"
    version = "1"

    def find(self, text: str) -> Iterator[Span]:
        low: str | None = None
        for m in _PHONE.finditer(text):
            num = m.group("num")
            digits = _SEP.sub("", num)
            if not phonenumbers.is_valid_number(phonenumbers.parse(digits, "ES")):
                continue
            if low is None:
                low = text.lower()
            cued = PHONE_CONTEXT.search(low, max(0, m.start() - CONTEXT_WINDOW), m.start()) is not None
            grouped = len(digits) != len(num)
            if not (m.group("cc") or cued or (grouped and is_spanish(text))):
                continue
            yield Span(
                m.start(), m.end(), self.label, 0.95 if cued or m.group("cc") else 0.85, "regex:es_phone"
            )


RECOGNIZERS: list[Recognizer | Finder] = [
    DNI,
    DNI_DOTTED,
    NIE,
    DOTTED_ID,
    CIF,
    SpanishPhoneFinder(),
    SpanishAddressFinder(),
    PlaceFinder(),
    SpanishNameFinder(),
    SpanishOrgFinder(),
]
