"""Spanish names (label PERSON) and the filter that keeps the English NER model's people and
organisations honest on Spanish text.

Names are found after their cues: a title (`Sr.`, `Sra.`, `Dr.`, `Dra.`, `D.`, `Dña.`, `Don`,
`Doña`, `Lcdo.`), a form field (`Nombre:`, `Apellidos:`, `Nombre y apellidos:`, `Paciente:`,
`Médico:`, `Enfermera:`, `Remitido por:`, `Firmado:`, `Titular:`) or a role word in prose
(`la paciente Ana Ruiz`, `el doctor Luis Gil`). A name is one to six capitalised words with the
particles Spanish names carry (`María José García López`, `Juan de la Cruz`, `José Luis del Río`);
a field value written in capitals (`GARCÍA LÓPEZ, MARÍA`) counts too.

On Spanish-language text the English model takes sentence-initial words, headings, drugs and
diseases for people (`Antecedentes`, `Exploración`, `Ciprofloxacino`) and most capitalised
phrases for organisations. `refine_spanish` drops such spans: a PERSON needs a word known as a
given name or surname (the names gazetteer) that is not a place, or a cue before it; an ORG needs
an organisation word (`Hospital`, `Clínica`, `Centro`, `S.L.`...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from maskgate.detect.base import Layer
from maskgate.detect.es.lang import SPANISH_STOP, is_spanish, spanish_near
from maskgate.detect.es.places import places
from maskgate.detect.spans import Span
from maskgate.detect.words import gazetteer, word_list

LABEL = "PERSON"
SCORE = 0.9

_UP = "A-ZÁÉÍÓÚÑÜÀÈÒÇ"
_LOW = "a-záéíóúñüàèòç"
_CAPWORD = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_UPPERWORD = rf"[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?"
_PARTICLE = r"(?:de|del|de la|de las|de los|y|i|la)"
_INITIAL = rf"[{_UP}]\."
# One to six name words, particles between them, initials allowed (`José M. Pérez`).
_NAME = rf"(?:{_CAPWORD}|{_INITIAL})(?:[ ]+(?:{_PARTICLE}[ ]+)?(?:{_CAPWORD}|{_INITIAL})){{0,5}}"
_UPPER_NAME = rf"{_UPPERWORD}(?:[ ]+(?:(?:DE|DEL|DE LA|Y)[ ]+)?{_UPPERWORD}){{0,4}}(?:,[ ]*{_UPPERWORD}(?:[ ]+{_UPPERWORD}){{0,2}})?"
_TITLE = (
    r"(?:Sr|Sra|Srta|Dr|Dra|Dres|Dras|D|Dña|Dª|Lcdo|Lcda|Ldo|Lda|Prof|Profa|Ing|Excmo|Excma|Ilmo|Ilma)\.?"
    r"|Don|Doña|Señor|Señora|Señorita|Doctor|Doctora|Profesor|Profesora"
)
_TITLED = re.compile(rf"(?<![\w.])(?:{_TITLE})[ \t]+(?P<name>{_NAME})")
_ROLE = re.compile(
    rf"(?i:\b(?:el|la|al|del|los|las)[ ]+(?:paciente|enferm[oa]|doctor|doctora|m[ée]dic[oa]|enfermer[oa]|"
    rf"cirujan[oa]|residente|facultativ[oa]|pediatra|matrona|fisioterapeuta|psic[óo]log[oa]|"
    rf"trabajador[a]? social|t[ée]cnic[oa]|hij[oa]|espos[oa]|marido|mujer|madre|padre|herman[oa]|"
    rf"cuidador[a]?|tutor[a]?|abogad[oa]|cliente|usuari[oa]|señor|señora)[ ]+)(?P<name>{_NAME})"
)
_FIELD = re.compile(
    r"(?m)^[ \t*_-]*(?i:nombre(?: y apellidos| completo| del paciente| de la paciente| del titular)?|apellidos(?: y nombre)?|"
    r"paciente|m[ée]dic[oa](?: responsable| de familia| de cabecera| solicitante| remitente)?|enfermer[oa]|"
    r"facultativ[oa]|remitid[oa] por|derivad[oa] por|firmad[oa](?: por)?|firma|titular|solicitante|"
    r"responsable|tutor(?:a)?|contacto|atendid[oa] por|informad[oa] por|cirujan[oa]|anestesista|"
    r"de|para|cc|a la atenci[óo]n de|att?\.?)"
    rf"[ \t*_]*:[ \t]*(?:(?:{_TITLE})[ \t]+)?(?P<name>{_UPPER_NAME}|{_NAME})[ \t]*(?=$|[,;(\n]|[ \t]+-|\.(?:\s|$))"
)
_SIGNOFF = re.compile(
    rf"(?im)^[ \t]*(?:atentamente|un (?:cordial )?saludo|saludos(?: cordiales)?|cordialmente|un abrazo|gracias)"
    rf"[,.]?[ \t]*\n[ \t]*(?P<name>{_NAME})[ \t]*$"
)
# Cues no English text uses: with one of them the finder runs on any text (a Spanish form field in an
# English e-mail), without one only on Spanish-language text.
_SPANISH_CUE = re.compile(  # on lower-cased text (a case-insensitive scan costs ~3x)
    r"\b(?:nombre|apellidos|paciente|m[ée]dic[oa]|enfermer[oa]|remitid[oa]|firmad[oa]|dña|doña|sra|srta|"
    r"señor|señora|lcd[oa]|solicitante|facultativ[oa]|atentamente|saludos|estimad[oa]|querid[oa]|apreciad[oa]|don(?!['’]))\b"
)
_MONTHS = frozenset(
    word_list(
        "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre"
    )
)


def _trim(text: str, start: int, end: int) -> int:
    """A name run stops before a word that is a month or a place (`Dr. Gil Madrid`: rare, but
    `Sra. López en Madrid` never reaches it: particles end at lower-case words)."""
    words = list(re.finditer(r"\S+", text[start:end]))
    keep = end
    for w in words[1:]:
        if w.group(0).lower().strip(".,") in _MONTHS:
            keep = start + w.start()
            break
    while keep > start and text[keep - 1] in " \t":
        keep -= 1
    # a name does not end in a particle
    m = re.search(rf"[ ]+{_PARTICLE}$", text[start:keep])
    return start + m.start() if m else keep


class SpanishNameFinder:
    """Names after Spanish titles, form fields, role words and sign-offs."""

    name = "es_names"
    label = LABEL
    locale = "es"
    version = "1"

    def find(self, text: str) -> Iterator[Span]:
        if not is_spanish(text) and _SPANISH_CUE.search(text.lower()) is None:
            return  # English text: `Dr.`, `Prof.`, `CC:` are the English name layer's
        for rx in (_TITLED, _FIELD, _SIGNOFF, _ROLE):
            for m in rx.finditer(text):
                start = m.start("name")
                end = _trim(text, start, m.end("name"))
                if end <= start or _TITLE_WORD.fullmatch(text[start:end].rstrip(".")):
                    continue  # `Dra. <PERSON_1>`: the title of a name masked before
                # a sign-off or a role word is a weaker cue: the name must look like one
                if rx in (_SIGNOFF, _ROLE) and not person_ok(text, start, end):
                    continue
                yield Span(start, end, LABEL, SCORE, "regex:es_names")


# -- the NER filter ------------------------------------------------------------------------------
_ORG_WORDS = re.compile(
    r"(?i)\b(?:hospital|hospitalario|cl[íi]nica|cl[íi]nico|policl[íi]nica|centro|ambulatorio|consultorio|"
    r"sanatorio|complejo|universidad|universitari[oa]|instituto|fundaci[óo]n|asociaci[óo]n|sociedad|"
    r"colegio|mutua|mutualidad|banco|caja|grupo|laboratorios?|farmacia|residencia|ministerio|"
    r"consejer[íi]a|ayuntamiento|diputaci[óo]n|generalitat|junta|gobierno|servicio|agencia|empresa|"
    r"compañ[íi]a|corporaci[óo]n|seguros|aseguradora|cooperativa|federaci[óo]n|confederaci[óo]n|"
    r"osakidetza|sergas|sacyl|sescam|osasunbidea|imsalud|salud|inc|ltd|llc|gmbh|corp)\b|\bS\.?A\.?U?\b|\bS\.?L\.?U?\b"
)
_CUE_BEFORE = re.compile(
    rf"(?:(?<![\w.])(?:{_TITLE})[ \t]+|(?i:nombre|apellidos|paciente|m[ée]dic[oa]|enfermer[oa]|remitid[oa] por|"
    rf"firmad[oa]|titular)[ \t*_]*:?[ \t]*)$"
)
_NAME_WORD = re.compile(rf"[{_UP}{_LOW}]+", re.IGNORECASE)
_PARTICLE_WORDS = frozenset({"de", "del", "la", "las", "los", "y", "i"})
# Words a name span must not start with: greetings, titles, field names and Spanish function words
# (`Hola Nuria`, `Estimado Sr`, `En Salamanca`, `Apellidos`).
_LEADING = (
    frozenset(
        [
            "hola",
            "buenos",
            "buenas",
            "buen",
            "estimado",
            "estimada",
            "estimados",
            "querido",
            "querida",
            "queridos",
            "gracias",
            "saludos",
            "sr",
            "sra",
            "srta",
            "dr",
            "dra",
            "d",
            "dña",
            "don",
            "doña",
            "señor",
            "señora",
            "doctor",
            "doctora",
            "nombre",
            "apellidos",
            "domicilio",
            "paciente",
            "médico",
            "medico",
            "enfermera",
            "enfermero",
            "remitido",
            "firmado",
            "atentamente",
            "cordialmente",
            "perfecto",
            "vale",
            "bueno",
            "yo",
            "tú",
            "él",
            "nosotros",
            "vosotros",
            "ante",
            "bajo",
            "contra",
            "hoy",
            "ayer",
            "aquí",
            "allí",
            "así",
            "sí",
            "nada",
            "nadie",
            "algo",
            "alguien",
            "ningún",
            "ninguna",
            "algún",
            "alguna",
            "varón",
            "mujer",
            "niño",
            "niña",
            "hombre",
        ]
    )
    | SPANISH_STOP
)
# Eponyms: a name after a disease, sign or score word is the eponym's (`síndrome de Sjögren`,
# `escala de Glasgow`, `signo de Murphy`, `clasificación de Forrest`), not a person in the text.
_EPONYM_BEFORE = re.compile(
    r"(?i:\b(?:s[íi]ndrome|enfermedad|signo|escala|maniobra|test|prueba|clasificaci[óo]n|criterios?|reflejo|"
    r"ley|m[ée]todo|t[ée]cnica|tumor|sarcoma|linfoma|fractura|[úu]lcera|[íi]ndice|puntuaci[óo]n|score|"
    r"estadio|grado|operaci[óo]n|intervenci[óo]n|procedimiento|f[óo]rmula|tinci[óo]n|bacilo|quiste|hernia|"
    r"divert[íi]culo|anillo|n[óo]dulo|conducto|trompa|ampolla|gl[áa]ndula|c[ée]lulas?|cuerpos?|teorema|"
    r"efecto|fen[óo]meno|triada|tr[íi]ada|tetralog[íi]a|ecuaci[óo]n|curva|dieta|posici[óo]n|incisi[óo]n)"
    r"(?:[ ]+(?:de|del|tipo))?[ ]+)$"
)
_EPONYM_HEAD = frozenset(
    word_list(
        "síndrome sindrome enfermedad signo escala maniobra test prueba clasificación clasificacion criterios "
        "tumor sarcoma linfoma fractura úlcera ulcera índice indice hospital clínica clinica servicio"
    )
)
_ROMAN_AFTER = re.compile(r"[ ]+(?:I{1,3}|IV|V|VI{0,3})[ab]?\b")
_ROMAN = re.compile(r"(?:I{1,3}|IV|VI{0,3})[abc]")  # `Forrest IIb`, `Killip IIa`: a class, not a name
_TITLE_WORD = re.compile(rf"(?:{_TITLE})")
_WORDS_RE = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")


def trim_person(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading cue and function words and cut at the first lower-case word that is not a
    particle (`Llorente el jueves` → `Llorente`, `Hola Bea` → `Bea`)."""
    words = [(start + m.start(), start + m.end()) for m in _WORDS_RE.finditer(text[start:end])]
    titled = [k for k, (a, b) in enumerate(words) if _TITLE_WORD.fullmatch(text[a:b])]
    if titled and titled[-1] < len(words) - 1:
        words = words[titled[-1] + 1 :]  # `Consultorio Dr. Martín Sosa` → `Martín Sosa`
    while words and text[words[0][0] : words[0][1]].lower().rstrip(".") in _LEADING:
        words.pop(0)
    for k, (a, b) in enumerate(words):
        w = text[a:b]
        gap = text[words[k - 1][1] : a] if k else ""
        if k and (
            (w[0].islower() and w.lower() not in _PARTICLE_WORDS)
            or w.lower().rstrip(".") in _LEADING - SPANISH_STOP
            or "  " in gap
            or "\n" in gap
        ):
            words = words[:k]
            break
    while words and text[words[-1][0] : words[-1][1]].lower() in _PARTICLE_WORDS:
        words.pop()
    if not words:
        return start, start
    a, b = words[0][0], words[-1][1]
    if text[b - 1] == "." and b - a > 2 and text[b - 3 : b - 1].isalpha():
        b -= 1  # the sentence's full stop, not an initial's
    return a, b


def person_ok(text: str, start: int, end: int) -> bool:
    """A PERSON span in Spanish text: after a cue, or with a capitalised word known as a given
    name or surname that is no Spanish function word, and not one word that is a place."""
    if _CUE_BEFORE.search(text[max(0, start - 30) : start]):
        return True
    raw = [w for w in _NAME_WORD.findall(text[start:end]) if w.lower() not in _PARTICLE_WORDS]
    if not raw or raw[0].lower() in _EPONYM_HEAD or any(_ROMAN.fullmatch(w) for w in raw):
        return False
    if _EPONYM_BEFORE.search(text[max(0, start - 40) : start]) or _ROMAN_AFTER.match(text, end):
        return False
    names, table = gazetteer(), places()
    known = [
        w
        for w in raw
        if w[0].isupper()
        and w.lower() not in SPANISH_STOP
        and any(f in names.get(w.lower(), "") for f in "fl")
    ]
    # one word that is a place (`Madrid`, `Sevilla`): the place finder decides
    return bool(known) and not (len(raw) == 1 and raw[0].lower() in table)


def _person_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    a, b = trim_person(text, start, end)
    return [(a, b)] if b > a and person_ok(text, a, b) else []


def refine_spanish(
    base: Callable[[str, str, int, int], Iterable[tuple[int, int]]],
) -> Callable[[str, str, int, int], list[tuple[int, int]]]:
    """`base` (the NER post-filter), then on Spanish-language text the checks above."""

    def refine(text: str, label: str, start: int, end: int) -> list[tuple[int, int]]:
        pieces = list(base(text, label, start, end))
        if not pieces or not spanish_near(text, start, end):
            return pieces
        if label == "PERSON":
            return [p for a, b in pieces for p in _person_pieces(text, a, b)]
        if label in ("ORG", "FACILITY"):
            return [_trim_article(text, a, b) for a, b in pieces if _ORG_WORDS.search(text, a, b) is not None]
        if label == "LOCATION":
            return [(a, b) for a, b in pieces if _place_ok(text, a, b)]
        return pieces

    refine.version = f"{getattr(base, 'version', '')}+es1"  # type: ignore[attr-defined]
    return refine


_ARTICLE = re.compile(r"(?:el|la|los|las|del|al|un|una)[ ]+", re.IGNORECASE)


def _trim_article(text: str, start: int, end: int) -> tuple[int, int]:
    """`el Hospital Universitario Virgen del Rocío` → `Hospital Universitario Virgen del Rocío`."""
    m = _ARTICLE.match(text, start, end)
    return (m.end(), end) if m is not None and m.end() < end else (start, end)


def _place_ok(text: str, start: int, end: int) -> bool:
    """A LOCATION from the English model in Spanish text: a known place, or a capitalised word that
    is neither a Spanish function word nor spelt like a Spanish common noun (`Biopsia`)."""
    value = text[start:end]
    if value.lower() in places():
        return True
    words = _NAME_WORD.findall(value)
    return (
        bool(words)
        and all(w[0].isupper() for w in words if w.lower() not in _PARTICLE_WORDS)
        and not any(w.lower() in SPANISH_STOP or w.lower() in _LEADING for w in words)
        and len(words) > 1
    )


class SpanishFiltered:
    """A rule layer whose PERSON spans on Spanish text pass `trim_person` and `person_ok` (the name
    layer's English cues and gazetteer fire on `Hola`, `Domicilio`, `Síndrome de Sjögren`)."""

    def __init__(self, inner: Layer) -> None:
        self.inner = inner
        self.name = inner.name

    def detect(self, text: str) -> list[Span]:
        out = []
        for s in self.inner.detect(text):
            if s.label != LABEL or not spanish_near(text, s.start, s.end):
                out.append(s)
                continue
            out.extend(
                Span(a, b, s.label, s.score, s.source) for a, b in _person_pieces(text, s.start, s.end)
            )
        return out

    def fingerprint(self) -> str:
        return f"{self.inner.fingerprint()}+es1"
