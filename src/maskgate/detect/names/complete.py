"""Whole names after resolution: a PERSON span grows over the parts of the same name beside it.

Layers often find the core of a name and leave its other parts visible: the initial (`R.` of
`R. Vance`), a second title (`Prof.` of `Prof. Dr. Ruiz`), particles (`de la` of `Dolores de la
Fuente`, `van den` of `van den Broek`), a suffix (`Jr.`, `III`), trailing initials (`Eleanor J.`),
the other half of `Last, First` in a field (`O'Neill-Park, Dana`), the outer words around a quoted
nickname (`Brady "Bo" Kessling`). Every leaked letter of a name counts, so once some layer says
"person" here, the neighbours that can only be parts of that name join the span. Nothing starts a
span here: a stretch grows only from a PERSON span that resolution kept.
"""

from __future__ import annotations

import re
from operator import attrgetter

from maskgate.detect import foldre
from maskgate.detect.spans import Span
from maskgate.detect.words import STOP, TITLES, english_words, gazetteer

# Span's own order (its fields in turn), compared in C rather than by the dataclass's __lt__
_SPAN_ORDER = attrgetter("start", "end", "label", "score", "source")
LABEL = "PERSON"
# Spans a grown name may swallow whole or in part: guesses about the same words.
_ABSORB = frozenset({"PERSON", "ORG", "LOCATION", "FACILITY"})

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"  # the Latin Extended-A block mixes cases: good enough for a first letter
_CAP = rf"(?:[{_UPPER}](?:['’][{_UPPER}])?[^\W\d_]*)"
_NAME_WORD = rf"{_CAP}(?:-{_CAP})*"
_PARTICLE = r"(?:van|von|de|del|della|der|den|di|da|dos|das|du|la|le|ter|ten|bin|bint|ibn|al|el|abu|st\.?)"
_PARTICLE_RUN = re.compile(
    rf"(?<![\w'’.-])(?:(?P<lead>{_NAME_WORD})[ \t]+)?(?:(?i:{_PARTICLE})[ \t]+){{1,3}}{_NAME_WORD}(?![\w'’])"
)
# `Robert "Bobby" Vance`, `Kim 'KJ' Aldana`, `Fitzgerald, Thomas "Tom" Jr.`
_NICKNAME = re.compile(
    rf"(?<![\w'’.-])(?:{_NAME_WORD},[ \t]?)?{_NAME_WORD}[ \t]+[\"“']{_NAME_WORD}[\"”']"
    rf"(?:[ \t]+{_NAME_WORD})?(?![\w'’])"
)
# `Whitfield, Eleanor J.`, `HARGREAVES-LLOYD, PENELOPE A`: a surname, a comma and given names filling a
# field (after a label, a tab, a cell separator or at a line's start) up to the field's end.
_FIELD_END_RX = (
    r"[ \t]*(?:$|[\r\n\"|;\t)\]}<^*~]|[ \t]{2}|[ \t]/[ \t]|,?[ \t]+(?:MD|DO|RN|NP|PA|PA-C|PhD|MLT|LPN|CNM|DDS|"
    r"DMD|PharmD|MSW|LCSW|Jr|Sr|II|III|IV)\b)"
)
_FIELD_END = re.compile(_FIELD_END_RX)
_NOT_POST = r"(?!(?:MD|DO|RN|NP|PA|PhD|MLT|LPN|Jr|Sr|JR|SR|II|III|IV)\b)"
_LAST_FIRST = re.compile(
    rf"(?m)(?:^[ \t>*•-]*|(?<=[:\t|;\"(\[^*])[ \t]*)(?P<v>{_NAME_WORD},[ \t]?"
    rf"{_NOT_POST}{_NAME_WORD}(?:[ \t]{_NOT_POST}{_NAME_WORD}){{0,2}}(?:[ \t][A-Z]\.?){{0,2}})(?={_FIELD_END_RX})"
)
_POST_NOMINAL = frozenset(
    {"MD", "DO", "RN", "NP", "PA", "C", "PHD", "MLT", "LPN", "CNM", "DDS", "DMD", "MSW", "CPA", "ESQ", "MBA"}
)

# Left of a span: an initial (`R. `, `J R `), a title (`Prof. `, `Eng. `), particles (`de la `).
_LEFT_INITIAL = re.compile(r"(?<![\w'’.-])[A-Z]\.?[ \t]{1,2}$")
_LEFT_TITLE = re.compile(
    rf"(?<![\w'’.-])(?i:{TITLES}|eng|hon|capt|col|sgt|lt|gen|judge|rabbi|imam|sheikh|shaikh)\.?[ \t]{{1,2}}$"
)
_LEFT_PARTICLES = re.compile(rf"(?<![\w'’.-])(?:(?i:{_PARTICLE})[ \t]+){{1,3}}$")
# Right of a span: trailing initials (`Eleanor J.`, `PENELOPE A`) and suffixes (`Jr.`, `, III`).
_RIGHT_INITIALS = re.compile(r"(?:[ \t][A-Z](?:\.|(?![\w'’])))+")
_RIGHT_SUFFIX = re.compile(r",?[ \t](?:Jr|JR|Sr|SR|II|III|IV)\b\.?")
_INITIAL_FOLLOW = re.compile(r"[ \t]*(?:$|[\r\n\"|;,\t)\]}<^*~]|[ \t]?[A-Z])")
# particles that are also prepositions and articles of French, Spanish, Italian, Portuguese, Arabic
# prose: before a name only at a field's start ("Member: de la Cruz"), not in a sentence
_ROMANCE = re.compile(r"(?i:de|del|della|di|da|dos|das|du|la|le|el|al)\b")
_AFTER_NUMBER = re.compile(r"\d[ \t]*$")
_BACK = 24
_DEGREE_TAIL = re.compile(
    r",?[ \t]+(?:MD|DO|RN|NP|PA-C|PA|PhD|MLT|LPN|CNM|DDS|DMD|PharmD|MSW|LCSW)$"
)  # how far left a title, an initial or particles are looked for


def _ok_left(text: str, start: int) -> int:
    """The start once initials, titles and particles right before `start` are included (titles
    come first: `Dr. J. Smith`, not `J. Dr. Smith`)."""
    titled = False
    for _ in range(4):
        before = text[start - 2] if start >= 2 else ""
        if text[start - 1 : start] not in (" ", "\t") or not (before.isalpha() or before in ". \t"):
            return start  # each pattern ends with a word (or `X.`) and a space or two right before
        window = text[max(0, start - _BACK) : start]
        base = start - len(window)
        for rx in (_LEFT_TITLE,) if titled else (_LEFT_INITIAL, _LEFT_TITLE, _LEFT_PARTICLES):
            m = rx.search(window)
            if m is None:
                continue
            word = m.group(0).strip().rstrip(".")
            if rx is _LEFT_INITIAL and (
                (word in ("A", "I") and not _field_start(text, base + m.start()))
                or _AFTER_NUMBER.search(text, max(0, base + m.start() - 12), base + m.start())
            ):
                continue  # "A Smith & Wesson", "I Rose early", "net -1.2 L. Mrs. Fuente"
            if (
                rx is _LEFT_PARTICLES
                and _ROMANCE.match(m.group(0))
                and not _particle_ok(text, base + m.start())
            ):
                continue  # "sonda de Foley", "tinción de Gram": in prose a preposition, not a particle
            titled = titled or rx is _LEFT_TITLE
            start = base + m.start()
            break
        else:
            return start
    return start


def _particle_ok(text: str, pos: int) -> bool:
    """A particle that is also a preposition (`de`, `la`) opens a name at a field's start or after an
    initial or a title (`C. de Montfort`, `Mrs. de la Fuente`), not in a sentence (`sonda de Foley`)."""
    window = text[max(0, pos - _BACK) : pos]
    return _field_start(text, pos) or bool(_LEFT_INITIAL.search(window) or _LEFT_TITLE.search(window))


def _field_start(text: str, pos: int) -> bool:
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] in '\n:|;,\t"(^*'  # a comma: a CSV cell


def _ok_right(text: str, end: int) -> int:
    """The end once trailing initials and a suffix right after `end` are included."""
    if text[end : end + 1] not in (" ", "\t", ","):
        return end
    m = _RIGHT_INITIALS.match(text, end)
    if m is not None and _INITIAL_FOLLOW.match(text, m.end()):
        letters = m.group(0).replace(".", "").split()
        if not (letters == ["I"] or letters == ["A"]) or _FIELD_END.match(text, m.end()):
            end = m.end()
    s = _RIGHT_SUFFIX.match(text, end)
    if s is not None:
        end = s.end()
    return end


def name_stretches(text: str, windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Name-shaped stretches inside `windows`: a span overlapping one grows over all of it. A stretch
    that opens with a particle starts one character early, so a span ending right before it
    (`Geneviève| St. Clair`) reaches it too."""
    out: list[tuple[int, int]] = []
    english = english_words()
    table = gazetteer()
    folded = foldre.folded_for(_PARTICLE_WORD, text)  # case-sensitive, over the lower-cased text
    particle_word, hay = (folded, foldre.lowered(text)) if folded is not None else (_PARTICLE_WORD, text)
    for lo, hi in windows:
        # cheap tests first: most windows hold no particle, no quoted word and no comma
        particles = particle_word.search(hay, lo, hi) is not None
        quoted = _QUOTED_CAP.search(text, lo, hi) is not None
        comma = text.find(",", lo, hi) >= 0
        for m in _PARTICLE_RUN.finditer(text, lo, hi) if particles else ():
            a, b = m.span()
            if m.group("lead") and m.group("lead").lower() in STOP:
                a = m.start("lead") + len(m.group("lead")) + 1  # "TRANSFER TO DE VRIES": not "TO"
                while text[a] in " \t":
                    a += 1
            opens_with_particle = a > m.start() or not m.group("lead")
            if opens_with_particle and (_ROMANCE.match(text, a) and not _particle_ok(text, a)):
                continue  # "sonda de Foley": a preposition before a name in prose
            if a > 0 and text[a - 1] in " \t" and (not text[a].isupper() or text[a : a + 3].lower() == "st."):
                a -= 1
            out.append((a, b))
        if quoted:
            out.extend(m.span() for m in _NICKNAME.finditer(text, lo, hi))
        for m in _LAST_FIRST.finditer(text, lo, hi) if comma else ():
            a, b = m.span("v")
            words = re.findall(r"[\w'’]+", text[a:b])
            if any(w.lower() in STOP or w.upper() in _POST_NOMINAL for w in words if len(w) > 1):
                continue  # "Then, I said", "Malhotra, PA-C": no surname and given name
            if words[0].lower() in english and "l" not in table.get(words[0].lower(), ""):
                continue  # "Thanks, Gabriela": a word, not a surname
            out.append((a, b))
    return out


# the case-insensitive flag for the whole pattern (the rest has no case): foldre can fold it
_PARTICLE_WORD = re.compile(rf"(?<![^\W\d_])(?:{_PARTICLE})[ \t]", re.IGNORECASE)
_QUOTED_CAP = re.compile(r"[\"“'][A-Z]")
_WINDOW = 80  # a name's other parts lie this close to the part found


def _windows(text: str, spans: list[Span]) -> list[tuple[int, int]]:
    """The stretches of text around PERSON spans (merged), where their other parts may be."""
    out: list[tuple[int, int]] = []
    for s in spans:
        if s.label != LABEL:
            continue
        a, b = max(0, s.start - _WINDOW), min(len(text), s.end + _WINDOW)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def complete_names(
    text: str,
    spans: list[Span],
    allowed: list[tuple[int, int]] | None = None,
    only: frozenset[tuple[int, int]] | None = None,
) -> list[Span]:
    """`spans` (resolved, sorted, non-overlapping) with each PERSON span grown over the rest of its
    name; spans it swallows are dropped. A growth that would cut into another kind of value, or into
    an allow-listed range, is not made. `only`: the (start, end) of the spans to grow, when not all."""
    if not any(s.label == LABEL for s in spans):
        return spans
    current = sorted(spans, key=_SPAN_ORDER)
    growing = current if only is None else [s for s in current if (s.start, s.end) in only]
    stretches = name_stretches(text, _windows(text, growing))
    changed = False
    out: list[Span] = []
    i = 0
    while i < len(current):
        s = current[i]
        if s.label != LABEL or (only is not None and (s.start, s.end) not in only):
            out.append(s)
            i += 1
            continue
        start, end = s.start, s.end
        for _ in range(3):
            before = (start, end)
            for a, b in stretches:
                if a < end and b > start:
                    start, end = min(start, a), max(end, b)
            while text[start] in " \t":
                start += 1
            start, end = _ok_left(text, start), _ok_right(text, end)
            if (start, end) == before:
                break
        if (start, end) == (s.start, s.end):
            out.append(s)
            i += 1
            continue
        # the neighbours it reaches: absorbed when they are guesses about names, else no growth
        blocked = any(a < end and b > start for a, b in allowed or ())
        j = i + 1
        while j < len(current) and current[j].start < end:
            blocked = blocked or current[j].label not in _ABSORB
            j += 1
        k = len(out)
        while k > 0 and out[k - 1].end > start:
            blocked = blocked or out[k - 1].label not in _ABSORB
            k -= 1
        if blocked:
            out.append(s)
            i += 1
            continue
        if k < len(out):
            start = min(start, out[k].start)
            del out[k:]
        end = max(end, current[j - 1].end)
        tail = _DEGREE_TAIL.search(text, start, end)
        if tail is not None and tail.start() >= s.end:
            end = tail.start()  # "Tariq MD" of an absorbed ORG guess: the degree stays visible
        out.append(Span(start, end, LABEL, s.score, s.source))
        changed = True
        i = j
    return out if changed else spans
