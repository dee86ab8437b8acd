"""Places in Spanish text (label LOCATION): a gazetteer of countries (in Spanish), Spain's regions and
provinces, and cities of Spain and the Spanish-speaking Americas (`data/es_places.tsv.gz`, built by
`data/build_es_places.py` from GeoNames), matched with context so that place names that are also
words or given names (`Granada`, `Mercedes`, `Santiago`) do not over-mask:

- a multi-word place (`Alcalá de Henares`, `Buenos Aires`) written capitalised: taken;
- one word of a country, region or city of 50,000+: taken when capitalised and not the first word
  of a sentence; if it is also a given name, only after a place word (`en`, `de`, `desde`...) and
  not before a capitalised surname (`Santiago Ramón y Cajal`);
- a smaller town: only after a place word;
- after a place field (`Localidad:`, `Municipio:`, `Provincia:`, `País:`, `Lugar de nacimiento:`,
  also in non-Spanish text) the value is a place whether or not the gazetteer knows it.

The gazetteer is used only in Spanish-language text (`lang.is_spanish`).
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Iterator
from importlib import resources

from maskgate.detect.es.lang import is_spanish
from maskgate.detect.spans import Span
from maskgate.detect.words import gazetteer

LABEL = "LOCATION"
SCORE = 0.8
FIELD_SCORE = 0.85

_lock = threading.Lock()
_table: dict[str, str] | None = None


def places() -> dict[str, str]:
    """lower-cased place name -> kind (`a`: well known, `c`: a town, needs a place word)."""
    global _table
    with _lock:
        if _table is None:
            raw = resources.files("maskgate.detect").joinpath("data", "es_places.tsv.gz").read_bytes()
            table: dict[str, str] = {}
            for line in gzip.decompress(raw).decode("utf-8").splitlines():
                name, _, kind = line.partition("\t")
                table[name] = kind
            _table = table
        return _table


_firsts: frozenset[str] | None = None


def first_words() -> frozenset[str]:
    """The first words of every place name (`alcalá` of `alcalá de henares`): a token that is none
    of them starts no place, so the run lookup is skipped."""
    global _firsts
    if _firsts is None:
        _firsts = frozenset(re.split(r"[ -]", name)[0] for name in places())
    return _firsts


_FIELD_WORDS = (
    "localidad", "municipio", "població", "poblacio", "provincia", "ciudad", "país", "pais", "lugar de",
    "residencia", "procedencia", "comunidad", "estado", "departamento",
)  # fmt: skip
_TOKEN = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?")
_PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "el", "y", "do", "da", "dos", "das", "d'", "sur", "sobre"}
)
# The word before a place: `en Sevilla`, `de Lima`, `desde Quito`, `(Madrid)`, `Madrid, España`.
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:en|de|del|desde|hasta|hacia|a|al|por|entre|y|e|o|u|natural|vecin[oa]|residente|nacid[oa])"
    r"|[(,/-])[ \t]*$",
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*)$")
_CAP_AFTER = re.compile(r"[ \t]+(?:(?:de|del|la|y)[ \t]+)?([A-ZÁÉÍÓÚÑ][a-záéíóúñü]+)")
# A place field: the rest of the value is a place. `Localidad/ Provincia: Madrid (Madrid)`.
_FIELD = re.compile(
    r"(?im)^[ \t*_-]*(?:localidad|municipio|poblaci[óo]n|provincia|ciudad|pa[íi]s(?: de (?:origen|nacimiento|residencia))?"
    r"|lugar de (?:nacimiento|residencia)|residencia|procedencia|comunidad aut[óo]noma|estado|departamento)"
    r"(?:[ \t]*/[ \t]*(?:localidad|provincia|ciudad|pa[íi]s|municipio|c\.?p\.?))*[ \t*_]*:[ \t]*"
    r"(?P<value>[^\W\d_][^\n:;]{0,60}?)[ \t.]*$"
)


class PlaceFinder:
    """Places in Spanish text: see the module docstring."""

    name = "es_places"
    label = LABEL
    locale = "es"
    version = "1"

    def find(self, text: str) -> Iterator[Span]:
        low = text.lower()
        if any(w in low for w in _FIELD_WORDS):
            for m in _FIELD.finditer(text):
                yield Span(m.start("value"), m.end("value"), LABEL, FIELD_SCORE, "regex:es_places")
        if not is_spanish(text):
            return
        table, names, firsts = places(), gazetteer(), first_words()
        tokens = list(_TOKEN.finditer(text))
        i, n = 0, len(tokens)
        while i < n:
            tok = tokens[i]
            if not tok.group(0)[0].isupper() or tok.group(0).lower().rstrip(".") not in firsts:
                i += 1
                continue
            hit = self._longest(text, tokens, i, table)
            if hit is None:
                i += 1
                continue
            j, kind = hit
            start, end = tok.start(), tokens[j - 1].end()
            if text[end - 1] == "." and (j - i > 1 or len(tokens[j - 1].group(0)) > 4):
                end -= 1  # the full stop ends the sentence (`en Madrid.`)
            if self._accept(text, start, end, j - i, kind, names):
                yield Span(start, end, LABEL, SCORE, "regex:es_places")
                i = j
            else:
                i += 1

    @staticmethod
    def _longest(
        text: str, tokens: list[re.Match[str]], i: int, table: dict[str, str]
    ) -> tuple[int, str] | None:
        """The longest run of tokens from `i` (single spaces or hyphens between) that is a place."""
        best: tuple[int, str] | None = None
        j = i + 1
        while j <= min(len(tokens), i + 6):
            if j > i + 1:
                gap = text[tokens[j - 2].end() : tokens[j - 1].start()]
                if gap not in (" ", "-", "- ", " - "):
                    break
            last = tokens[j - 1].group(0)
            key = text[tokens[i].start() : tokens[j - 1].end()].lower()
            kind = table.get(key) or (table.get(key[:-1]) if key.endswith(".") else None)
            if kind is not None and (j == i + 1 or last[0].isupper() or last.lower() not in _PARTICLES):
                best = (j, kind)
            j += 1
        return best

    @staticmethod
    def _accept(text: str, start: int, end: int, words: int, kind: str, names: dict[str, str]) -> bool:
        before = text[max(0, start - 25) : start]
        cue = _PLACE_BEFORE.search(before) is not None
        if words > 1:
            return True
        if _SENTENCE_START.search(before) and not cue:
            return False  # `Granada.` at a sentence's start is as likely a word as a place
        if kind == "c" and not cue:
            return False
        if "f" in names.get(text[start:end].lower(), ""):
            if not cue:
                return False
            m = _CAP_AFTER.match(text, end)
            if m is not None and names.get(m.group(1).lower(), ""):
                return False  # `Santiago Ramón`, `Mercedes López`: a person
        return True
