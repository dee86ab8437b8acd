"""Address parts the street-line grammar of address.py does not reach on its own.

- the city/state/postcode tail of North American and Australian addresses, found by its state code
  and postcode (`Portland, OR 97211`, `BROOKLYN NY 11207`, `fishers in 46037`, `Markham, ON L3R 1N1`,
  `Marrickville NSW 2204`): the code must be a real state or province and the postcode of its
  country's shape, so "PR 2024" or "OK 12345" in prose are not tails;
- a city before a full UK postcode (`Leeds LS6 2AB`), and such a postcode alone;
- rural routes and star routes (`RR 2 Box 41`, `HC 65 Box 12`) and numbered highways with a house
  number (`88 Hwy 7 East`, `8841 COUNTY ROAD 12`: these need a unit, postcode or cue after, as
  "in 2019 Highway 1 closed" shows);
- intersections with an ordinal street (`5th and Main`, `Kingsbury & W 52nd`) after a place word;
- HL7 v2 XAD fields (`1908 N Lamar Blvd^Unit 210^Austin^TX^78705^USA`): each component a part.

Each finder is a whole-text scan from a cheap anchor (a digit run, a `^`), linear in the text.
"""

from __future__ import annotations

import re

from maskgate.detect.fastre import pick
from maskgate.detect.trie import alternation


def _words(s: str) -> list[str]:
    return s.split()


_US_STATES = _words(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY "
    "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP"
)
_CA_PROVINCES = _words("AB BC MB NB NL NS NT NU ON PE QC SK YT")
_AU_STATES = _words("NSW VIC QLD SA WA TAS NT ACT")
_STATE_NAMES = [
    *_words(
        "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii "
        "idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan "
        "minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee "
        "texas utah vermont virginia washington wisconsin wyoming"
    ),
    *("new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota"),
    *("rhode island", "south carolina", "south dakota", "west virginia", "district of columbia"),
]
STATE_CODES = frozenset(_US_STATES + _CA_PROVINCES + _AU_STATES)

# A state code, then its postcode: US ZIP after a US state, Canadian postcode after a province,
# 4 digits after an Australian state. Case-insensitive; upper case is checked per match.
_TAIL = re.compile(
    r"(?<![\w'’-])(?:"
    rf"(?P<us>{alternation(s.lower() for s in _US_STATES)})\.?,?[ \t]+(?P<zip>\d{{5}}(?:-\d{{4}})?)"
    rf"|(?P<ca>{alternation(s.lower() for s in _CA_PROVINCES)})\.?,?[ \t]+(?P<cpost>[a-z]\d[a-z][ \t]?\d[a-z]\d)"
    rf"|(?P<au>{alternation(s.lower() for s in _AU_STATES)}),?[ \t]+(?P<apost>\d{{4}})"
    rf"|(?P<name>{alternation(_STATE_NAMES)}),?[ \t]+(?P<nzip>\d{{5}}(?:-\d{{4}})?)"
    r")(?![\w-])",
    re.IGNORECASE,
)
# A full UK postcode (outward and inward code, with its space).
_UK_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[ABD-HJLNP-UW-Z]{2}")
# Where a tail can end: a postcode of one of those shapes. Scanned first (a digit or a letter-digit
# pair starts it, so most positions fail at once); the state is then looked for right before it.
_ANCHOR = re.compile(
    r"\d(?:(?<![\w-]\d)\d{3,4}(?:-\d{4})?|(?<=[A-Za-z]\d)[A-Za-z][ \t]?\d[A-Za-z]\d|(?<=[ \t]\d)[A-Z]{2})(?![\w-])"
)
# Words a city run never holds: what prose puts before a place ("moved to Austin, TX 78701").
_NOT_CITY = frozenset(
    _words(
        """
    a an the of and or to in on at for with from by my your our their his her its is are was were be
    this that it i you we they he she not no as so but if then than via near into onto off up me us
    him them live lives lived living moved move ship sent send mail address addr zip code postcode located
    dear hi hello thanks regards attn attention c/o re fwd subject
    """
    )
)
_WORD_STATES = frozenset(_words("al as co de hi id in la ma me mo ne oh ok on or pa sa wa nt"))
_CITY_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-])*\Z")


def _city_start(text: str, end: int, lower: bool) -> int:
    """Start of the city words right before `end` (1-3 words on the same line, a comma allowed
    before the state), or `end` when there are none."""
    pos = end
    while pos > 0 and text[pos - 1] in " \t,":
        pos -= 1
    start = end
    words = 0
    while words < 3 and pos > 0:
        ws = pos
        while ws > 0 and not text[ws - 1].isspace() and text[ws - 1] not in ',;:|^*("':
            ws -= 1
        word = text[ws:pos]
        if not word or _CITY_WORD.match(word) is None or word.lower().rstrip(".") in _NOT_CITY:
            break
        if not lower and not word[0].isupper():
            break
        start = ws
        words += 1
        pos = ws
        while pos > 0 and text[pos - 1] in " \t":
            pos -= 1
    return start


def tail_spans(text: str) -> list[tuple[int, int]]:
    """City, state and postcode runs (see the module docstring)."""
    out: list[tuple[int, int]] = []
    tail = pick(_TAIL, text)
    for a in _ANCHOR.finditer(text):
        before = text[max(0, a.start() - 2) : a.start()]
        if not a.group(0)[-1].isdigit() or a.group(0)[0].isalpha() or a.group(0)[1:2].isalpha():
            # "3R 1N1" after "L" (Canadian); "2AB" after "LS6 " (UK)
            if not (before[-1:].isalpha() or (before[-1:] == " " and before[:1].isalnum())):
                continue
        elif not (before[-1:] in (" ", "\t") and (before[:1].isalpha() or before[:1] in ".,")):
            continue  # a state code ends right before a ZIP, a space between: "TX 78705", "TX, 78705"
        if a.group(0)[-1].isupper() and before[-1:] == " ":
            uk = _UK_POSTCODE.search(text, max(0, a.start() - 6), a.end())
            if (
                uk is not None
                and uk.end() == a.end()
                and not re.match(r"[\w-]", text[uk.start() - 1 : uk.start()])
            ):
                out.append((_city_start(text, uk.start(), False), uk.end()))
            continue
        m = next(
            (t for t in tail.finditer(text, max(0, a.start() - 24), a.end()) if t.end() == a.end()), None
        )
        if m is None:
            continue
        state = m.group("us") or m.group("ca") or m.group("au") or m.group("name")
        code = m.group("zip") or m.group("cpost") or m.group("apost") or m.group("nzip")
        if m.group("name") and state.istitle():
            lower = False  # "Austin, Texas 78701"
        elif m.group("name"):
            continue
        elif state.isupper():
            if m.group("cpost") and not code.isupper():
                continue
            lower = False
        elif m.group(0).islower():
            lower = True  # "burlington vt 05401": a message typed in lower case
        else:
            continue  # "Or 97211", "In 46037": a capitalised word, not a state code
        start = _city_start(text, m.start(), lower)
        if start == m.start():
            continue  # "OK 12345", "SA 2000" alone: prose; after a street line the street reaches it
        if lower and (state in _WORD_STATES or not text[max(0, start - 40) : start].islower()):
            # "fishers in 46037" after a street line is reached from it; alone, lower case, "in",
            # "or", "me" are words: a comma must set the city apart ("..., fishers in 46037")
            if state in _WORD_STATES and not re.search(r"[,\n][ \t]*\Z", text[max(0, start - 3) : start]):
                continue
            if not text[max(0, start - 40) : start].islower():
                continue
        out.append((start, m.end()))
    return out


# -- rural routes, numbered highways, ordinal intersections -----------------------------------------
_RURAL = re.compile(
    r"(?<![\w-])(?:RR|R\.R\.|Rural[ \t]+Route|HC|Star[ \t]+Route|Route|Rte)[ \t]*\d{1,3}[A-Z]?,?[ \t]+"
    r"Box[ \t]+\d{1,5}[A-Z]?(?![\w-])",
    re.IGNORECASE,
)
_HIGHWAY = (
    r"(?<!\d,\d)\d{0,5}(?:-\d{1,5})?[ \t]+(?i:"
    r"(?:(?:State|US|U\.S\.|County|Farm[ \t]+to[ \t]+Market|Old|Interstate)[ \t]+)?"
    r"(?:Highway|Hwy|Route|Rte|Road|Rd|FM|SR|CR|I)[ \t-]*\d{1,4}[A-Z]?"
    r"(?:[ \t]+(?:North|South|East|West|N|S|E|W|NE|NW|SE|SW)\b\.?)?)(?![\w-])"
)
_ORDINAL = r"(?:(?:[NSEW]\.?|North|South|East|West)[ \t]+)?\d{1,3}(?:st|nd|rd|th)"
_NAMED = r"(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|The|This|That)\b)[A-Z][a-z]{2,}"
_ORDINAL_CROSSING = re.compile(
    r"(?i:\b(?:at|near|on|of|corner|intersection|by|off))[ \t]+(?:the[ \t]+)?"
    rf"(?P<x>{_ORDINAL}[ \t]*(?:&|and|/)[ \t]*{_NAMED}|{_NAMED}[ \t]*(?:&|and|/)[ \t]*{_ORDINAL})(?![\w-])"
)


# Japanese addresses in Latin letters: block-lot-house numbers, then a ward, city or town.
_JP_ROMAN = (
    r"\d{0,3}(?:-\d{1,4}){1,2},?[ \t]+(?:[A-Z][a-z]+(?:-[A-Za-z]+)?,?[ \t]+){0,2}"
    r"[A-Z][a-z]+-(?:ku|shi|cho|machi|gun|mura)\b(?:,?[ \t]+[A-Z][a-z]+(?:-[a-z]+)?)?(?:,?[ \t]+\d{3}-\d{4}(?![\w-]))?"
)
# Korean road addresses in Latin letters: "123 Teheran-ro", "45-6 Nonhyeon-ro 12-gil".
_KO_ROMAN = (
    r"\d{0,4}(?:-\d{1,4})?,?[ \t]+[A-Z][a-z]+(?:-[a-z]+)*-(?:ro|gil|daero)\b(?:[ \t]+\d{1,3}(?:beon)?-gil\b)?"
)
# One scan from each number that starts a word: a highway with a house number, or Japanese blocks.
# (and an ordinal's suffix, where an intersection may be)
_NUMBERED = re.compile(
    rf"\d(?:(?<![\w./-]\d)(?:(?P<jp>{_JP_ROMAN}|{_KO_ROMAN})|(?P<hw>{_HIGHWAY}))|(?P<ord>st|nd|rd|th)\b)"
)
# A street named without its number where the text says someone lives there: "the house on
# Birchwood Drive", "his home on Kingsbury Ave", "lives on Elm Street".
_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|Boulevard|Blvd|Court|Ct|Place|Pl|Way|Terrace|"
    "Crescent|Close|Circle|Cir|Parkway|Pkwy|Trail|Row|Square|Grove|Gardens|Mews|Walk"
)
# One scan for a capitalised street type (a street where someone lives) or a box (a rural route).
_WORD_HINT = re.compile(rf"(?:Box|BOX|box|{_TYPES})\b")
_BOXES = ("Box", "BOX", "box")
_HOME_ON = re.compile(
    r"(?i:\b(?:house|home|place|apartment|flat|condo|townhouse|lives?|lived|living|moved|staying)"
    r"[ \t]+(?:on|off|at)[ \t]+(?:the[ \t]+)?)"
    rf"(?P<x>(?!The\b)[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){{0,2}}[ \t]+(?:{_TYPES})\b\.?)"
)


def home_streets(text: str) -> list[tuple[int, int]]:
    """Streets named without a number where someone lives ("the house on Birchwood Drive"): the
    capitalised street type is found first, the cue and name looked for in the 80 characters before."""
    return [(start, end) for start, end, _ in _word_cores(text, boxes=False)]


# A house number spelled out, as companies write theirs: "One Microsoft Way", "Two Penn Plaza".
_WORD_NUMBER = re.compile(
    r"(?<![\w-])(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve)[ \t]+"
    rf"(?!Way\b)[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)?[ \t]+(?:{_TYPES}|Plaza|Loop|Center|Centre|Park)\b"
)


def _word_cores(text: str, boxes: bool) -> list[tuple[int, int, bool]]:
    """Home streets, rural routes (`boxes`) and spelled-out house numbers (needing support), from
    one scan for street types and "Box"."""
    out: list[tuple[int, int, bool]] = []
    for hint in _WORD_HINT.finditer(text):
        if hint.group(0) in _BOXES:
            if not boxes:
                continue
            m = _RURAL.search(text, max(0, hint.start() - 24), hint.end() + 8)
            if m is not None and m.group(0)[0].isupper() and (not out or out[-1][1] <= m.start()):
                out.append((m.start(), m.end(), False))
            continue
        m = _HOME_ON.search(text, max(0, hint.start() - 80), hint.end() + 1)
        if (
            m is not None
            and m.end("x") in (hint.end(), hint.end() + 1)
            and (not out or out[-1][1] <= m.start("x"))
        ):
            out.append((m.start("x"), m.end("x"), False))
        elif (
            boxes
            and (w := _WORD_NUMBER.search(text, max(0, hint.start() - 40), hint.end())) is not None
            and w.end() == hint.end()
        ):
            out.append((w.start(), w.end(), True))
    return out


# Indian house and plot numbers: "H.No. 12-3-456", "Door No. 4/112", "Plot No. 45" ("Plot 45" alone
# is as often a chart's).
_IN_HOUSE = re.compile(
    r"(?<![\w.])(?:H\.?[ \t]?No\.?|House[ \t]+No\.?|Door[ \t]+No\.?|Plot[ \t]+No\.?|Flat[ \t]+No\.?)"
    r"[ \t]*[:#]?[ \t]*\d{1,5}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?){0,3}(?![\w-])"
)


def extra_cores(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, needs_support): rural routes, highways with a house number, intersections,
    Japanese block numbers, a street where someone lives."""
    out = _word_cores(text, boxes=True)
    if "No" in text:
        out.extend((m.start(), m.end(), False) for m in _IN_HOUSE.finditer(text))
    ordinals = []
    for m in _NUMBERED.finditer(text):
        if m.group("ord") is not None:
            ordinals.append(m.start())
        elif m.group("jp") is not None:
            out.append((m.start(), m.end(), False))
        elif m.group(0).split()[1][0].isupper():
            # "in 2019 Highway 1 closed": a highway needs a unit, postcode or cue with it
            out.append((m.start(), m.end(), True))
    end = 0
    for at in ordinals:
        if at < end:
            continue
        for m in _ORDINAL_CROSSING.finditer(text, max(end, at - 40), at + 33):
            if m.start("x") <= at < m.end("x"):
                out.append((m.start("x"), m.end("x"), False))
                end = m.end()
    return out


# -- HL7 v2 XAD: street^other^city^state^zip^country ------------------------------------------------
_HL7_SEGMENT = re.compile(r"(?m)^(?:PID|NK1|GT1|IN1|IN2|PD1|MRG|PRD|STF|ZPI|ROL|CON|PV1)\|[^\n]*")
_STREET_LINE = re.compile(r"(?=[^^|]*\d)(?=[^^|]*[^\W\d_]{2})[^^|~\n]*[ \t][^^|~\n]*")


def hl7_spans(text: str) -> list[tuple[int, int]]:
    """The parts of each XAD (address) field of an HL7 v2 segment."""
    if "|" not in text or "^" not in text:
        return []
    out: list[tuple[int, int]] = []
    for seg in _HL7_SEGMENT.finditer(text):
        at = seg.start()
        for field in seg.group(0).split("|"):
            for rep in field.split("~"):
                comps = rep.split("^")
                if len(comps) >= 5 and _STREET_LINE.fullmatch(comps[0]) and any(comps[2:5]):
                    pos = at
                    for comp in comps[:5]:
                        if comp.strip():
                            out.append((pos, pos + len(comp)))
                        pos += len(comp) + 1
                at += len(rep) + 1
    return out
