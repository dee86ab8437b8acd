"""Spanish organisation names (label ORG): hospitals, clinics, health centres, universities,
foundations and companies written the Spanish way.

- an institution word, then its capitalised name: `Hospital Universitario Torrecárdenas`,
  `Centro de Salud Delicias`, `Complejo Hospitalario de Navarra`, `Clínica Dental Sonrisas`
  (Spanish-language text only: `Hospital Road` is an English street);
- a company with its legal form: `Transportes Cantábrico S.L.`, `Aceros del Norte S.A.`,
  `Construcciones Meseta, S.L.U.` (any text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.es.lang import is_spanish
from maskgate.detect.spans import Span

LABEL = "ORG"
SCORE = 0.8

_UP = "A-ZÁÉÍÓÚÑÜÀÈÒÇ"
_CAP = rf"(?:[{_UP}][\w'’.-]*|[IVX]{{1,4}}|\d{{1,2}} de [{_UP}][a-záéíóú]+)"
_LINK = r"(?:de|del|de la|de las|de los|y|la|el|las|los)"
_RUN = rf"{_CAP}(?:[ ]+(?:{_LINK}[ ]+)?{_CAP}){{0,6}}"
_KIND = (
    r"Hospital(?:es)?|Complejo Hospitalario|Complejo Asistencial|Cl[íi]nica|Policl[íi]nica|Centro de Salud|"
    r"Centro M[ée]dico|Centro de Especialidades|Centro|Consultorio|Ambulatorio|Sanatorio|Residencia|"
    r"Universidad|Instituto|Fundaci[óo]n|Asociaci[óo]n|Mutua|Laboratorios?|Farmacia|Colegio Oficial|"
    r"Colegio|Servicio (?:Andaluz|Gallego|Vasco|Madrile[ñn]o|Canario|Navarro|Extreme[ñn]o|Murciano|Riojano|"
    r"Aragon[ée]s|Cántabro|Cantabro|Balear|Catal[àa]n|Valenciano|de Salud)|Banco|Caja|Grupo|Ayuntamiento|"
    r"Consejer[íi]a|Ministerio|Diputaci[óo]n|Junta"
)
_INSTITUTION = re.compile(rf"(?<![\w])(?P<kind>{_KIND})(?:[ ]+(?:{_LINK}[ ]+)?{_CAP}){{1,7}}")
_COMPANY = re.compile(
    rf"(?<![\w])(?P<name>{_RUN}),?[ ]+(?:S\.[ ]?(?:L|A|Coop)\.(?:[ ]?U\.)?|S\.?L\.?U?\b|S\.?A\.?U?\b|SLU|SAU|S\.C\.)"
)
# Words that end a name run: what follows is prose or another field.
_STOP = frozenset(
    {"En", "El", "La", "Los", "Las", "Se", "Su", "Sus", "Por", "Para", "Con", "Tel", "Teléfono"}
    | {"Dr", "Dra", "Sr", "Sra", "Srta", "D", "Dña", "Don", "Doña"}
)


# The legal form alone: the company pattern (a run of capitalised words before it) is tried only in
# a window before each (scanning every capitalised run of a long text with it costs ~20x).
_FORM = re.compile(r"(?<![\w.])S\.?[ ]?(?:L|A|Coop|C)\.?(?:[ ]?U\.?)?(?![\w])|\b(?:SLU|SAU)\b")


def _company_matches(text: str) -> Iterator[re.Match[str]]:
    last = -1
    for form in _FORM.finditer(text):
        for m in _COMPANY.finditer(text, max(0, form.start() - 120, last), form.end() + 4):
            if m.start() <= form.start() < m.end() and m.start() >= last:
                last = m.end()
                yield m
                break


_STOP_RE = re.compile(r"[ ](?:" + "|".join(sorted(_STOP)) + r")\b")


class SpanishOrgFinder:
    """Spanish institutions and companies; see the module docstring."""

    name = "es_orgs"
    label = LABEL
    locale = "es"
    version = "1"

    def find(self, text: str) -> Iterator[Span]:
        for m in _company_matches(text):
            start = m.start("name")
            words = m.group("name").split()
            while words and words[0] in _STOP:
                start = text.index(words[0], start) + len(words[0]) + 1
                words = words[1:]
            if words:
                yield Span(start, m.end(), LABEL, SCORE, "regex:es_orgs")
        if not is_spanish(text):
            return
        for m in _INSTITUTION.finditer(text):
            end = m.end()
            cut = _STOP_RE.search(m.group(0))
            if cut is not None:
                end = m.start() + cut.start()
            while end > m.start() and text[end - 1] in ".,":
                end -= 1
            if end > m.end("kind") + 1 and end - m.start() > 8:  # a name after the word
                yield Span(m.start(), end, LABEL, SCORE, "regex:es_orgs")
