"""Spanish street addresses (label ADDRESS): a street type, a name, a number, then the floor, door,
portal or staircase, then the postcode and town.

- street types written before the name: `C/`, `Calle`, `Avda.`, `Avenida`, `Plaza`, `Pza.`,
  `Paseo`, `Pº`, `Ctra.`, `Carretera`, `Camino`, `Ronda`, `Travesía`, `Urbanización`, `Pasaje`,
  `Glorieta`, `Rambla`, `Vía`, `Carrer`, `Rúa`, `Polígono`...;
- the number after a comma or `nº` (`C/ Mayor, nº 5`), `s/n` (no number), `km 7`;
- the rest of the line: `3º B`, `2º izda.`, `piso 4`, `puerta 2`, `portal 3`, `esc. B`, `bajo`;
- then a postcode (01000–52999) and town, or a town in the gazetteer, or a province in brackets:
  `, 28012 Madrid`, `- 46001 Valencia (Valencia)`.

A street type with a capitalised name and no number is taken after an address word (`Domicilio:`,
`Dirección:`, `vive en`, `reside en`). A postcode and town alone (`28012 Madrid`, `C.P. 28012`)
are taken too. The field `Domicilio:`/`Dirección:` takes its whole value when it holds a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.es.lang import is_spanish
from maskgate.detect.es.places import places
from maskgate.detect.spans import Span

LABEL = "ADDRESS"
SCORE = 0.9
CUE_SCORE = 0.85

_TYPES = (
    r"c/|cl\.|calle|avda\.?|avd\.?|av\.|avenida|plaza|pza\.?|plz\.?|pl\.|paseo|p[º°]\.?|pso\.?|ctra\.?|"
    r"carretera|camino|cmno\.?|ronda|rda\.?|traves[íi]a|trav\.?|urbanizaci[óo]n|urb\.?|pasaje|psje\.?|"
    r"glorieta|gta\.?|rambla|v[íi]a|callej[óo]n|cjón\.?|cuesta|carrer|r[úu]a|pol[íi]gono|pol\.(?:[ ]ind\.)?|"
    r"bulevar|alameda|costanilla|calzada|barrio|bº|colonia|jirón|jr\."
)
_UP = r"[A-ZÁÉÍÓÚÑÜÀÈÒÇ]"
_WORD = rf"(?:{_UP}[\wÁÉÍÓÚÑÜáéíóúñüàèòç'’.-]*|\d{{1,2}}(?:[º°ª])?(?=[ ]+de[ ])|San|Santa|Sant)"
_LINK = r"(?:de|del|la|las|los|el|y|i|d'|l'|do|da|dos|das|en|sin)"
_NAME = rf"{_WORD}(?:[ ]+(?:{_LINK}[ ]+)*{_WORD}){{0,5}}"
_NUMBER = r"(?:,?[ \t]*(?:n[º°]\.?|n\.º|núm\.?|número|no\.)?[ \t]*(?:\d{1,4}(?:[ ]?[A-Za-z](?![\w]))?(?:[-/]\d{1,4})?|s/n|S/N)|,?[ \t]*km\.?[ \t]*\d{1,3}(?:[.,]\d{1,3})?)"
_STREET = re.compile(
    rf"(?<![\w/])(?P<type>(?i:{_TYPES}))(?:[ \t]*(?<=/)|[ \t]+)(?:(?:{_LINK})[ ]+)*(?P<name>{_NAME})"
    rf"(?P<num>(?<![\d])(?:{_NUMBER}))?(?![\w/])"
)
_SIDE = r"izquierda|izda|izq|derecha|dcha|dch|der|centro|ctro|int|ext|exterior|interior"
_FLOOR_PART = re.compile(
    rf"[ \t]*[,-]?[ \t]*(?:\d{{1,2}}[ ]?[º°ª]\.?(?:[ ]?(?:{_SIDE}|\d[º°ª]|[A-Za-z])(?!\w)\.?)?(?:[ ](?i:planta|piso))?"
    r"|(?i:piso|planta|puerta|pta\.?|portal|escalera|esc\.?|bloque|blq\.?|bloq\.?|casa|apto\.?|apartamento|"
    r"dpto\.?|depto\.?|departamento|local|parcela|nave|manzana|mz\.?|lote|oficina|of\.?)"
    r"[ ]*(?:\d{1,4}[º°ª]?[ ]?[A-Za-z]?|[A-Za-z]{1,2}\d{0,2}[º°ª]?)(?!\w)\.?"
    rf"|(?i:bajo|bajos|entresuelo|entlo\.|principal|pral\.|ático|atico|{_SIDE})\.?(?![\w])"
    # a neighbourhood after the number (Mexico's `Col. Centro`, `Urb. Los Pinos`)
    rf"|(?i:col\.|colonia|fracc\.|fraccionamiento|barrio|urb\.|urbanizaci[óo]n)[ ]+{_UP}[\wáéíóúñü]+"
    rf"(?:[ ]+(?:(?:de|del|la|las|los|el)[ ]+)?{_UP}[\wáéíóúñü]+){{0,3}})"
)
_POSTCODE = r"(?:0[1-9]|[1-4]\d|5[0-2])\d{3}"
_TOWN = rf"(?:{_UP}[a-záéíóúñüàèòç'’-][\wáéíóúñüàèòç'’-]*|{_UP}(?=[ ]{_UP}))(?:[ ]+(?:(?:de|del|la|las|los|el|y|i|d'|l')[ ]+)*{_UP}[a-záéíóúñüàèòç][\wáéíóúñüàèòç'’-]*){{0,4}}"
_TAIL = re.compile(
    rf"[ \t]*(?:[,.-][ \t]*|\n[ \t]*|[ \t]+)(?:(?i:c\.?p\.?:?)[ \t]*)?(?P<cp>{_POSTCODE})(?![\d])"
    rf"(?:[ \t]*[,-]?[ \t]*(?P<town>{_TOWN}))?(?:[ \t]*\((?P<prov>{_TOWN})\))?"
)
_TOWN_TAIL = re.compile(rf"[ \t]*[,-][ \t]*(?P<town>{_TOWN})(?:[ \t]*\((?P<prov>{_TOWN})\))?")
_CP_TOWN = re.compile(
    rf"(?<![\w.,/=:-])(?:(?P<cue>(?i:c[óo]digo postal|c\.[ ]?p\.|cp\b))[ \t.:]*)?(?P<cp>{_POSTCODE})(?![\w/]|[.,]\d)"
    rf"(?:[ \t]*[,-]?[ \t]*(?P<town>{_TOWN}))?"
)
_CUE = re.compile(
    r"(?i:(?:domicilio|direcci[óo]n|dir\.|residencia|se[ñn]as|domiciliad[oa]|vive|viven|reside|residen|"
    r"ubicad[oa]|situad[oa]|sit[ao]|enviar|env[íi]o|entrega)\b[^\n;]{0,20})$"
)
_FIELD = re.compile(
    r"(?im)^[ \t*_-]*(?:domicilio(?: (?:habitual|particular|social|fiscal))?|direcci[óo]n(?: (?:postal|particular|completa))?)"
    r"[ \t*_]*:[ \t]*(?P<value>[^\n]{3,120}?)"
    # the value ends with the line, or where another field starts (`... Madrid. Teléfono: ...`)
    r"(?=[ \t.]*$|\.?[ \t]+[^\W\d_][\w./ ]{0,25}:|[ \t]{2,})"
)
# Cheap pre-checks on the lower-cased text: a street type word, five digits in a row.
_TYPE_HINT = re.compile(rf"(?<![\w/])(?:{_TYPES})")
_FIVE_DIGITS = re.compile(r"\d{5}")
# Months make `Plaza 12 de mayo` a date, and these words make a capitalised run prose, not a street.
_NOT_NAME = frozenset({"El", "La", "Los", "Las", "Un", "Una", "Este", "Esta", "Se", "No"})


class SpanishAddressFinder:
    """Spanish street addresses, postcodes with their town, and address fields."""

    name = "es_address"
    label = LABEL
    locale = "es"
    version = "1"

    def find(self, text: str) -> Iterator[Span]:
        found: list[tuple[int, int, float]] = []
        low = text.lower()
        if "domicilio" in low or "direcci" in low:
            found.extend(self._fields(text))
        if _TYPE_HINT.search(low) is not None:
            found.extend(self._streets(text))
        postcodes: list[Span] = []
        if _FIVE_DIGITS.search(text) is not None:
            found.extend(self._postcodes(text, postcodes))
        yield from _merge(text, found)
        yield from postcodes

    @staticmethod
    def _fields(text: str) -> Iterator[tuple[int, int, float]]:
        for m in _FIELD.finditer(text):
            value = m.group("value")
            if "<" in value:
                continue  # a placeholder of text masked before (`Domicilio: <ADDRESS_1>`)
            if any(c.isdigit() for c in value) or _STREET.match(value):
                yield m.start("value"), m.end("value"), CUE_SCORE

    def _streets(self, text: str) -> Iterator[tuple[int, int, float]]:
        for m in _STREET.finditer(text):
            name = m.group("name")
            if name.split()[0] in _NOT_NAME:
                continue
            has_number = m.group("num") is not None and m.group("num").strip(" ,") != ""
            end, tail = self._rest(text, m.end())
            if not (has_number or tail or _CUE.search(text[max(0, m.start() - 30) : m.start()])):
                continue  # `Plaza Mayor` in prose: a street only with a number, a postcode or a cue
            yield m.start(), end, SCORE

    @staticmethod
    def _postcodes(text: str, postcodes: list[Span]) -> Iterator[tuple[int, int, float]]:
        spanish: bool | None = None
        for m in _CP_TOWN.finditer(text):
            town = m.group("town")
            if town is not None and spanish is None and town.lower() not in places():
                spanish = is_spanish(text)
            if town is not None and (spanish or town.lower() in places()):
                yield m.start("cp"), m.end(), CUE_SCORE
            elif m.group("cue") is not None:  # `C.P.: 28012`: the code alone
                postcodes.append(Span(m.start("cp"), m.end("cp"), "POSTCODE", CUE_SCORE, "regex:es_address"))

    @staticmethod
    def _rest(text: str, end: int) -> tuple[int, bool]:
        """Grow a street over its floor and door parts, then a postcode and town; says whether a
        postcode was among them."""
        for _ in range(5):
            m = _FLOOR_PART.match(text, end)
            if m is None or m.end() == end:
                break
            end = m.end()
        tail = _TAIL.match(text, end)
        if tail is not None:
            return tail.end(), True
        town = _TOWN_TAIL.match(text, end)
        if town is not None and town.group("town").lower() in places():
            return town.end(), False  # `..., 3º D, Alicante`: a known town without its postcode
        return end, False


def _merge(text: str, found: list[tuple[int, int, float]]) -> Iterator[Span]:
    out: list[tuple[int, int, float]] = []
    for start, end, score in sorted(found):
        while end > start and text[end - 1] in " \t,.-":
            end -= 1
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            a, b, sc = out[-1]
            out[-1] = (a, max(b, end), max(sc, score))
        else:
            out.append((start, end, score))
    for start, end, score in out:
        yield Span(start, end, LABEL, score, "regex:es_address")
