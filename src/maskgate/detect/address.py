"""Street addresses: a house number, a street name with its type, a unit, then city/state/postcode lines.

The layer finds a *street core* and grows it over the parts an address is written with:

- US/UK/AU style, number first: ``221B Baker Street``, ``1600 Pennsylvania Ave NW``, ``5/12 Smith St``;
- continental style, number last: ``Hauptstraße 12``, ``Søndergade 52``, ``Rue de Rivoli 99``,
  ``Via dei Fiorentini 17``, ``ul. Miła 57``, ``Erzsébet tér 19.`` (a street word or a street-type
  prefix/suffix is required);
- post boxes: ``PO Box 255``, ``GPO Box 12``, ``Postfach 1234``, military ``PSC 1234, Box 5678 /
  APO AE 09012``;
- a bare ``Name 12`` only right after address words ("lives at", "address:", "ship to").

From the core it extends over a unit (``Apt. 4``, ``Suite 300``, ``Flat 2``), then over up to five
comma- or newline-separated parts: a city (one to four capitalised words), a state or county code,
a postcode (US ZIP, UK, Canadian, Dutch, Polish, Portuguese, Brazilian, 4–5 digits) or a country
name; an empty export field (``nan``, ``N/A``) between two parts is passed over. A city is taken
only when what follows it is another address part, or the end of the line or sentence: a comma
followed by ordinary prose stops the address. Stand-alone units (``Suite 300``) are masked too.

Everything found is labelled ADDRESS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from maskgate.detect import foldre
from maskgate.detect.address_cues import (
    SHORT_TYPES,
    STOP_NAMES,
    cue_before,
    dated,
    informal_street,
    looks_like_code,
)
from maskgate.detect.address_fields import (
    CJK_ADDRESS,
    KO_ADDRESS,
    RU_STREET,
    blank_gutters,
    field_spans,
)
from maskgate.detect.address_parts import UNIT, extend
from maskgate.detect.address_tails import extra_cores, hl7_spans, home_streets, tail_spans
from maskgate.detect.fastre import pick
from maskgate.detect.spans import Span
from maskgate.detect.trie import alternation
from maskgate.detect.words import english_words


def _words(s: str) -> list[str]:
    return s.split()


LABEL = "ADDRESS"
SCORE = 0.9
CUE_SCORE = 0.8

# Street types written after the name (English-speaking countries; plurals as seen on real signs).
_SUFFIXES = (  # USPS Publication 28 street types (with plurals) plus UK/AU/NZ ones
    "alley|aly|annex|arcade|avenue|ave|av|bayou|beach|bend|bluffs?|bottom|boulevard|blvd|branch|bridge|"
    "brooks?|burgs?|bypass|camp|canyon|cape|causeway|centers?|centres?|circles?|cir|cliffs?|club|commons?|"
    "corners?|course|courts?|ct|coves?|creek|crescent|cres|crest|crossing|xing|crossroads?|curve|dale|dam|"
    "divide|drives?|dr|estates?|expressway|expy|extensions?|falls?|ferry|fields?|flats?|fords?|forest|"
    "forges?|forks?|fort|freeway|fwy|gardens?|gdns|gateway|glens?|greens?|groves?|gr|harbou?rs?|haven|"
    "heights|hts|highway|hwy|hills?|hollow|inlet|islands?|isle|junctions?|jct|keys?|knolls?|lakes?|land|"
    "landing|lanes?|ln|lights?|loaf|locks?|lodge|loop|mall|manors?|meadows?|mews|mills?|mission|motorway|"
    "mount|mountains?|neck|orchard|oval|overpass|parks?|parkways?|pkwy|pass|passage|path|pike|pines?|"
    "places?|pl|plains?|plaza|points?|pt|ports?|prairie|radial|ramp|ranch|rapids?|rest|ridges?|river|"
    "roads?|rd|route|rte|row|rue|run|shoals?|shores?|skyway|springs?|spurs?|squares?|sq|station|stravenue|"
    "stream|streets?|st|summit|terrace|terr|tce|throughway|trace|track|trafficway|trails?|trl|trailer|"
    "tunnel|turnpike|underpass|unions?|valleys?|viaduct|views?|villages?|ville|vista|walks?|wall|ways?|"
    "wells?|close|cl|parade|pde|circuit|cct|esplanade|esp|rise|wharf|quay|strand|embankment|wynd|"
    "chase|brae|garth|gate|broadway|grange|green"
)
# Continental street words written as a separate word before (prefix) or after (suffix) the name.
_PREFIXES = (
    r"rue|rua|r\.|via|viale|vicolo|calle|c/|carrer|avenida|avda\.?|av\.|avenue|boulevard|bd|bld|chemin|"
    r"allée|allee|impasse|quai|place|piazza|piazzale|corso|largo|strada|travessa|praça|praca|paseo|"
    r"plaza|camino|ronda|rambla|ul\.|ulica|al\.|aleja|os\.|λ\.|λεωφ\.|οδός|odos|str\.|strada|stradă|"
    r"bulevardul|calea|trg|trgovska|cesta|ulitsa|prospekt|pr\.|pl\.|náměstí|nám\.|namestie|"
    r"nábřeží|ulice|avinguda|passeig|rruga|sokak|caddesi|cadde|bulevar|vía|travesía|alameda|rúa|"
    r"πλατεία|λεωφόρος|οδος|piazzetta|contrada|località|loc\.|rua\.|avda|estrada|rodovia|jalan|jln\.?|lorong"
)
_SEP_SUFFIX_WORDS = (
    r"u\.|utca|út|útja|tér|tere|körút|köz|sor|sétány|rakpart|straße|strasse|str\.|weg|gasse|platz|"
    r"allee|ring|damm|ufer|laan|straat|plein|gracht|kade|vej|gade|gate|gata|gatan|vägen|veien|vei|"
    r"katu|tie|kuja|tee|tänav|maantee|ulica|cesta|stræde|street|st\.?|road|rd\.?|avenue|ave\.?|lane"
)
# Compound street names: one word ending in a street word (Hauptstraße, Søndergade, Koskikatu).
_COMPOUND = (
    r"straße|strasse|str\.|gasse|weg|platz|allee|ring|damm|ufer|graben|steig|pfad|markt|gässli|"
    r"straat|laan|plein|gracht|kade|singel|dijk|hove|hof|steeg|dreef|wei|"
    r"vej|vei|veien|vegen|gade|gate|gata|gatan|vägen|gränd|torget|torv|stræde|stræti|straeti|plads|"
    r"bakken|stien|stigen|backen|allé|"
    r"katu|tie|kuja|polku|kaari|rinne|tori|väylä|raitti|ranta|mäki|"
    r"tänav|maantee|põik|vegur|braut|stígur|stigur|gatan|centret|"
    r"ulica|cesta|ulice|utca|útja"
)

_L = r"[^\W\d_]"  # a letter, any script
_NAMEWORD = rf"(?:\d{{1,3}}(?:st|nd|rd|th)|{_L}[\w'’.-]*)"
_CAPWORD = r"(?:[^\W\d_a-z][\w'’-]*\.?)"
_NUM = r"\d{1,6}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"
# A comma before a house number is a CSV cell's ("Quist,350 Mission Street"), a digit before that comma
# makes it a thousands group ("1,350").
_HOUSE = rf"(?<![\w./-])(?<!\d,){_NUM}(?:\s{{1,2}}(?:[13]/[24]|\d{{1,6}}[A-Za-z]?))?"  # "123 1/2 Main St"  # "9554 62 Rue Gafsa": two numbers
_DIRECTION = r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\b\.?)?"
# Whole-address forms of other scripts, tried only when the text holds a Cyrillic, CJK or Hangul letter.
_SCRIPT_FORMS = (RU_STREET, CJK_ADDRESS, KO_ADDRESS)
_NON_LATIN = re.compile(r"[\u0400-\u04ff\u4e00-\u9fff\uac00-\ud7a3]")
# a word start, not a stop word (the stop words as a trie: this is tried at every word start)
_NS = r"(?<![\w'’.-])(?!" + alternation(STOP_NAMES) + r"\b)"
_US_STREET = re.compile(
    rf"{_HOUSE}[ \t]+(?:(?:{_PREFIXES})[ \t]+)?(?P<name>{_NS}{_NAMEWORD}(?:[ \t]+{_NS}{_NAMEWORD}){{0,3}}?)"
    rf"[ \t]+(?P<suffix>(?:{_SUFFIXES})\b(?:[ \t]+(?:{_SUFFIXES})\b)*)\.?{_DIRECTION}",
    re.IGNORECASE,
)
# Street types a writer who types all in lower case still means as one ("12 maple street"); the
# others are ordinary words too ("6 basis points", "3 waterfalls").
_PLAIN_TYPES = frozenset(
    _words(
        "street avenue road lane drive boulevard court terrace highway parkway crescent circle place close way"
    )
    + _words("grove gardens square")
)
_BROADWAY = re.compile(
    rf"{_HOUSE}[ \t]+(?-i:Broadway|The[ \t]+(?:Strand|Mall|Parade|Esplanade|Crescent|Terrace))\b"
)
_EU_PREFIX_STREET = re.compile(  # "Rue de Rivoli 99", "Via dei Fiorentini 17", "ul. Miła 57"
    rf"(?:{_HOUSE}[ \t]+)?(?<![\w])(?P<prefix>{_PREFIXES})[ \t]+(?P<name>{_NAMEWORD}(?:[ \t]+{_NAMEWORD}){{0,5}})"
    rf"[ \t]+(?P<num>\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?)\b\.?",
    re.IGNORECASE,
)
_EU_PREFIX_STREET_NUM_FIRST = re.compile(  # "56 rue La Boétie"
    rf"{_HOUSE}[ \t]+(?P<prefix>{_PREFIXES})[ \t]+(?P<name>{_NAMEWORD}(?:[ \t]+{_NAMEWORD}){{0,4}})",
    re.IGNORECASE,
)
_EU_COMPOUND_STREET = re.compile(
    rf"(?:{_HOUSE}[ \t]+)?(?P<name>(?:{_NS}{_CAPWORD}[ \t]+){{0,2}}(?:{_L}[\w'’-]*?)?(?:{_COMPOUND})(?:-{_L}+)?)"
    rf"[ \t]+(?P<num>\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?)\b\.?",
    re.IGNORECASE,
)
# cheap pre-check for the compound pattern: a street word right before a number
_COMPOUND_HINT = re.compile(rf"(?:{_COMPOUND})(?:-{_L}+)?[ \t]+\d", re.IGNORECASE)
# Where a hint can be: a run of letters, dots and hyphens (what a street word and its "-Nord" are
# written with), then spaces and a digit. Taken from a run's start only, whole (possessive): linear.
_HINT_REGION = re.compile(rf"(?<!{_L})(?<![.-])(?:{_L}|[.-])++[ \t]+\d")


def _compound_hints(text: str) -> list[re.Match[str]]:
    """_COMPOUND_HINT.finditer(text), searched only inside the regions that can hold a hint (the
    eighty street words tried at every position of a long text were the layer's largest cost): a
    hint is a suffix of a region's run plus its spaces and digit, so it lies inside one region."""
    out: list[re.Match[str]] = []
    prev = 0
    folded = foldre.folded_for(_COMPOUND_HINT, text)  # case-sensitive, over the lower-cased text
    hint, hay = (folded, foldre.lowered(text)) if folded is not None else (_COMPOUND_HINT, text)
    for region in pick(_HINT_REGION, text).finditer(text):
        m = hint.search(hay, max(prev, region.start()), region.end())
        if m is not None:
            out.append(m)
            prev = m.end()
    return out


def _compound_matches(text: str) -> list[re.Match[str]]:
    """_EU_COMPOUND_STREET run only around the places _COMPOUND_HINT finds (its lazy name part is
    slow to try at every position of a long text)."""
    out: list[re.Match[str]] = []
    seen: set[tuple[int, int]] = set()
    for hint in _compound_hints(text):
        line_start = text.rfind("\n", 0, hint.start()) + 1
        pos = max(line_start, hint.start() - 90)
        for m in _EU_COMPOUND_STREET.finditer(text, pos, min(len(text), hint.end() + 20)):
            if m.span() not in seen and m.start() <= hint.start() < m.end():
                seen.add(m.span())
                out.append(m)
    return out


_EU_SEP_SUFFIX_STREET = re.compile(
    rf"(?:{_HOUSE}[ \t]+)?(?P<name>{_NS}{_CAPWORD}(?:[ \t]+{_NS}{_CAPWORD}){{0,2}})[ \t]+(?P<suffix>{_SEP_SUFFIX_WORDS})"
    rf"[ \t]+(?P<num>\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?)\b\.?",
    re.IGNORECASE,
)
# Hungarian street names keep lower-case words before the street type ("Árpád fejedelem útja 3.",
# "Szent István körút 12"); a user may type the whole name lower-case ("hegyalja út 98.") when the
# street type is one no other language writes ("út", "utca", "körút"...).
_HU_TYPES = r"út|útja|utca|u\.|tér|tere|körút|köz|sor|sétány|rakpart"
_HU_HINT = re.compile(rf"(?:{_HU_TYPES})[ \t]+\d", re.IGNORECASE)
_HU_STREET = re.compile(
    rf"(?:{_HOUSE}[ \t]+)?(?P<name>{_NS}(?:{_CAPWORD}(?:[ \t]+{_NS}{_L}[\w'’-]*){{0,2}}"
    rf"|{_L}[\w'’-]*(?=[ \t]+(?:út|útja|utca|körút|tér|sétány|rakpart)\b)))"
    rf"[ \t]+(?P<suffix>{_HU_TYPES})(?!\w)[ \t]+(?P<num>\d{{1,4}}[A-Za-z]?(?:[-/]\d{{1,4}})?)\b\.?"
)
_PO_BOX = re.compile(
    r"(?<!\w)(?:(?:P\.?\s?O\.?|Post\s+Office|GPO|Locked|Private|PMB)\s*Box|Postfach|Apartado|Case\s+postale|"
    r"Boîte\s+postale|BP|Postbus|Postboks|Postbox|Box|PMB)\s+#?\d{1,7}[A-Z]?\b",
    re.IGNORECASE,
)
_MILITARY = re.compile(
    r"(?<!\w)(?:(?:PSC|CMR|Unit)\s+\d{3,5},?\s+Box\s+\d{1,5}|(?:USNS|USNV|USS|USCGC)[ \t]+[A-Z][\w'-]*(?:[ \t]+[A-Z][\w'-]*){0,2})"
    r"(?:,?\s*\n?\s*(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5}(?:-\d{4})?)?",
    re.IGNORECASE,
)
_CORNER = re.compile(  # an intersection: "the corner of 5th Avenue and Main St"
    rf"(?:\b[Tt]he[ \t]+)?\b[Cc]orner[ \t]+of[ \t]+(?P<a>(?:{_NAMEWORD}|\d{{1,5}}[A-Za-z]?\.?)(?:[ \t]+(?:{_NAMEWORD}|\d{{1,5}}[A-Za-z]?\.?)){{0,5}}?)[ \t]+(?:and|&)[ \t]+"
    rf"(?P<b>(?:{_NAMEWORD}|\d{{1,5}}[A-Za-z]?)(?:[ \t]+(?:(?-i:[^\W\d_a-z])[\w'’.-]*|\d{{1,5}}|(?i:{_SUFFIXES})\b\.?)){{0,3}})"
)
# A postcode on its own, where the text says it is one: "my zip code is 90010-170", "ZIP: 7412 SL".
_POSTCODE_CUE = re.compile(
    r"(?i:\b(?:zip(?:[ \t-]?code)?|post(?:al)?[ \t-]?code|postcode|plz|cep|code[ \t]postal|eircode))"
    r"(?i:[ \t]+(?:on[ \t]+file|of[ \t]+record|on[ \t]+record|here))?"
    r"(?:[ \t]*(?:is|was|:|#|=|-)[ \t]*|[ \t]+(?=[A-Z\d]))"
    r"(?P<code>[AC-FHKNPRTV-Y]\d[\dW][ \t]?[\dAC-FHKNPRTV-Y]{4}|\d{4}[ \t]?[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|\d{3,5}(?:[- ]\d{2,4})?)"
    r"(?![\w-])"
)
_MIL_LINE = re.compile(r"(?<!\w)(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5}(?:-\d{4})?\b")
_BARE_STREET = re.compile(
    rf"(?:{_HOUSE}[ \t]+)?(?P<name>{_NS}{_L}[\w'’.-]*(?:[ \t]+{_NS}{_L}[\w'’.-]*){{0,3}})[ \t]+(?P<num>\d{{1,5}}[A-Za-z]?)\b\.?",
    re.IGNORECASE,
)
_STANDALONE_UNIT = re.compile(
    r"(?<![\w#])(?:Apt\.?|Apartment|Suite|Ste\.|Flat)[ \t]*#?[ \t]*[A-Z]?\d{1,6}[A-Z]?\b(?![.:]\d)"
)
# "Unit 4, 18 Wattle St": a unit written before its street line
_UNIT_BEFORE = re.compile(
    rf"(?:(?<![\w-]){UNIT}[ \t]*#?[ \t]*[A-Za-z]?\d{{1,5}}[A-Za-z]?|(?<![\w-])\d{{1,3}}(?:st|nd|rd|th)[ \t]+floor)"
    r"[ \t]*[,/][ \t]*\Z"
    # "FLAT 9 WESTBOURNE COURT": the unit word right before the house number
    r"|(?<![\w-])(?:flat|apt|apartment|unit|suite|ste|blk|block)\.?[ \t]+\Z"
    r"|(?<![\w-])(?:apt|apartment|unit|suite|ste)\.?[ \t]*#?[A-Za-z]?\d{1,5}[A-Za-z]?[ \t]+\Z",
    re.IGNORECASE,
)
# An intersection: two streets, each with its (capitalised) type or a numbered route: "Fenwick St & 4th
# Ave", "Route 9 & Cherry Hill Rd", "Main Street and 5th Avenue".
_CROSS_SIDE = (
    rf"(?:(?:\d{{1,3}}(?:st|nd|rd|th)|[A-Z][\w'’-]*)(?:[ \t]+[A-Z][\w'’-]*){{0,2}}[ \t]+(?=[A-Z])(?i:{_SUFFIXES})\b\.?"
    r"|(?:Route|Rte|Highway|Hwy|State Route|County Road|SR|US|I)[ \t-]?\d{1,4}\b)"
)
# cheap pre-check: a connector, then a capitalised street type or a route number right before it
_CONNECTOR = re.compile(r"[ \t]*(?:&|\band\b|\bat\b)[ \t]")
_CROSS_BEFORE = re.compile(rf"(?:\b(?=[A-Z])(?i:{_SUFFIXES})\b\.?|\d)\Z")


def _crossings(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for hint in pick(_CONNECTOR, text).finditer(text):
        if _CROSS_BEFORE.search(text, max(0, hint.start() - 12), hint.start()) is None:
            continue
        pos = max(text.rfind("\n", 0, hint.start()) + 1, hint.start() - 60)
        for m in _CROSSING.finditer(text, pos, min(len(text), hint.end() + 60)):
            if m.start() <= hint.start() < m.end() and (m.start(), m.end()) not in out:
                out.append((m.start(), m.end()))
    return out


_CROSSING = re.compile(rf"(?<![\w-]){_CROSS_SIDE}[ \t]*(?:&|\band\b|\bat\b)[ \t]*{_CROSS_SIDE}")
# Look-alike symbols PDF text extraction leaves for Greek letters (`ΑΓΙΟΣ ∆ΟΜΕΤΙΟΣ`: U+2206 for Δ):
# same length, so offsets hold.
_LOOKALIKES = str.maketrans({"\u2206": "\u0394", "\u2126": "\u03a9", "\u00b5": "\u03bc"})


def _may_hold_postcode_cue(text: str) -> bool:
    """False where no _POSTCODE_CUE word is in the text (checked on the lower-cased text only where
    lower() keeps every letter: the ASCII twin holds)."""
    if pick(_POSTCODE_CUE, text) is _POSTCODE_CUE:
        return True
    low = foldre.lowered(text)
    return "zip" in low or "post" in low or "plz" in low or "cep" in low or "code" in low


class AddressLayer:
    """Finds street addresses (see the module docstring). Label: ADDRESS."""

    name = "address"
    version = "8"

    def detect(self, text: str) -> list[Span]:
        if not any(map(str.isdigit, text)) and "orner" not in text and ":" not in text and "," not in text:
            return [Span(start, end, LABEL, CUE_SCORE, "address") for start, end in home_streets(text)]
        text = blank_gutters(text.translate(_LOOKALIKES))
        found: list[tuple[int, int, float]] = []
        for start, end, score, needs_support in self._cores(text):
            end, strong = extend(text, end)
            unit = _UNIT_BEFORE.search(text, max(0, start - 30), start)
            joined = unit is not None and not any(c in unit.group(0) for c in ",/")  # "apt 5c 210 w 89th st"
            if needs_support and not (strong or joined or cue_before(text, start)):
                continue
            found.append((unit.start() if unit else start, end, score))
        found.extend((start, end, CUE_SCORE) for start, end in _crossings(text))
        fields = [
            Span(start, end, LABEL, CUE_SCORE, "address")
            for start, end in field_spans(text) + hl7_spans(text)
        ]
        for m in pick(_STANDALONE_UNIT, text).finditer(text):
            end, _ = extend(text, m.end())
            found.append((m.start(), end, CUE_SCORE))
        for m in _MIL_LINE.finditer(text):
            found.append((m.start(), m.end(), SCORE))
        postcodes = (
            [
                Span(m.start("code"), m.end("code"), "POSTCODE", CUE_SCORE, "address")
                for m in pick(_POSTCODE_CUE, text).finditer(text)
            ]
            if _may_hold_postcode_cue(text)
            else []
        )
        cued = {(p.start, p.end) for p in postcodes}
        for start, end in tail_spans(text):
            if (start, end) not in cued:  # "postcode SW9 8JA" is the labelled POSTCODE already
                found.append((start, extend(text, end)[0], SCORE))
        for m in pick(_CORNER, text).finditer(text):
            a = m.group("a")
            lower_text = text[max(0, m.start() - 60) : m.end()].islower()
            if looks_like_code(m.group(0)) or not (any(c.isupper() or c.isdigit() for c in a) or lower_text):
                continue
            found.append((m.start(), m.end(), CUE_SCORE))
        return _merge(text, found) + postcodes + fields

    def fingerprint(self) -> str:
        return f"address:{self.version}"

    # -- street cores ------------------------------------------------------------------------
    def _cores(self, text: str) -> Iterable[tuple[int, int, float, bool]]:
        for m in pick(_BROADWAY, text).finditer(text):
            yield m.start(), m.end(), SCORE, False
        for m in foldre.finditer(_US_STREET, text):
            words = m.group("name").split()
            if any(w.lower() in STOP_NAMES for w in words) or looks_like_code(m.group("name")):
                continue
            suffix = m.group("suffix")
            lower = not any(c.isupper() for c in m.group("name") + suffix)
            plain = not (len(suffix) <= 3 or len(words) > 2 or suffix.lower() not in _PLAIN_TYPES)
            if lower and not plain and not informal_street(text, m.start(), words, suffix):
                # "12 of them st", "6 basis points": lower case needs a plain street type, or a
                # short one with a unit, postcode or address cue around it ("42 maple st apt 2, ...")
                if suffix.split()[-1].lower().rstrip(".") in SHORT_TYPES and len(words) <= 2:
                    yield m.start(), m.end(), CUE_SCORE, True
                continue
            if not lower and suffix.islower() and len(suffix) > 3:
                continue  # "10 Main branch": a capitalised name takes a capitalised street type
            yield m.start(), m.end(), SCORE, False
        for rx in (_EU_PREFIX_STREET, _EU_PREFIX_STREET_NUM_FIRST):
            for m in foldre.finditer(rx, text):
                end = _prefix_end(m)
                if end is not None:
                    yield m.start(), end, SCORE, False
        for m in _compound_matches(text):
            words = m.group("name").split()
            if any(w.lower() in STOP_NAMES for w in words) or looks_like_code(
                text[m.start() : m.start("num")]
            ):
                continue
            if words[-1].lower() in english_words():
                continue  # "During 1971", "Candidate 3": an English word that ends like a street type
            yield m.start(), m.end(), SCORE, False
        for rx in (_EU_SEP_SUFFIX_STREET, _HU_STREET):
            if rx is _HU_STREET and not foldre.search(_HU_HINT, text):
                continue
            for m in foldre.finditer(rx, text):
                words = m.group("name").split()
                if any(w.lower() in STOP_NAMES for w in words) or looks_like_code(
                    text[m.start() : m.start("num")]
                ):
                    continue
                if dated(words, m.group("num")):
                    continue
                yield m.start(), m.end(), SCORE, False
        for rx in _SCRIPT_FORMS if _NON_LATIN.search(text) else ():
            for m in rx.finditer(text):
                yield m.start(), m.end(), SCORE, False
        for start, end, needs_support in extra_cores(text):
            yield start, end, SCORE, needs_support
        for m in foldre.finditer(_PO_BOX, text):
            word = m.group(0).split()[0]
            yield m.start(), m.end(), SCORE, word.lower() in ("box", "bp")
        for m in pick(_MILITARY, text).finditer(text):
            yield m.start(), m.end(), SCORE, False
        for m in foldre.finditer(_BARE_STREET, text):
            words = m.group("name").split()
            if any(w.lower() in STOP_NAMES for w in words) or looks_like_code(m.group(0)):
                continue
            if dated(words, m.group("num")):
                continue  # "March 09, 2003", "19 February 2025", "Saturday 9": a date, not "Name 12"
            lower_text = text[max(0, m.start() - 60) : m.start()].islower()
            if not (all(_street_word(w) for w in words) or lower_text):
                continue  # "Fighter edition ships March 3" is prose, not a street
            if words[0].lower() in _UNIT_WORDS:
                continue  # "Building 4, Room 210": a place inside a site, not an address
            if (
                any(len(w) > 1 and w.isupper() for w in words)
                and not text[m.start() : m.end() + 40].isupper()
            ):
                continue  # "OFFSET 2000", "Amex 3782": keywords and brands, not street names
            yield m.start(), m.end(), CUE_SCORE, True


_STREET_WORD = re.compile(
    rf"(?:{_SEP_SUFFIX_WORDS}|{_SUFFIXES}|{_PREFIXES}|terrasse|vegen|veien|rkp\.?)", re.IGNORECASE
)


def _street_word(w: str) -> bool:
    """A word that can be part of a street name: capitalised, a particle, an abbreviation ("u.",
    "rkp."), an elided article ("d'Ouchy") or a street type written in lower case ("út", "tee")."""
    return (
        w[0].isupper()
        or w.lower() in _PARTICLES
        or (w.endswith(".") and len(w) <= 5)
        or re.match(r"[dl]['’]", w) is not None
        or _STREET_WORD.fullmatch(w) is not None
    )


_UNIT_WORDS = frozenset(
    _words(
        """
        building bldg room rm floor level office block platform terminal gate track hall wing ward bay
        desk lab suite apt apartment unit flat box locker dock pier zone sector area stage
        """
    )
)


_PARTICLES = frozenset({"de", "la", "le", "du", "des", "del", "da", "do", "di", "dei", "delle", "della", "z"})


def _prefix_end(m: re.Match[str]) -> int | None:
    """End of a prefix-style street ("Rue de Rivoli 99", "56 rue La Boétie"), or None."""
    prefix = m.group("prefix")
    if looks_like_code(m.string[m.start() : m.start("num")] if m.groupdict().get("num") else m.group(0)):
        return None  # the number may hold a slash ("14/7": house and flat)
    words = m.group("name").split()
    end = m.end()
    if m.groupdict().get("num") is None:
        # number first: the name runs over words up to the first stop word, particles not last
        keep: list[str] = []
        for w in words:
            if w.lower() in STOP_NAMES and w.lower() not in _PARTICLES:
                break
            if keep and w[0].islower() and w.lower() not in _PARTICLES and any(k[0].isupper() for k in keep):
                break  # "44 rue des Martyrs even though": the name's capitals end before the prose
            keep.append(w)
        while keep and keep[-1].lower() in _PARTICLES:
            keep.pop()
        if not keep:
            return None
        pos = m.start("name")
        for w in keep:
            pos = m.string.index(w, pos) + len(w)
        end = pos
        words = keep
    if words[0].lower() in STOP_NAMES and words[0].lower() not in _PARTICLES:
        return None
    # English words also used as street prefixes need capitals: "via email 2" is no street.
    english = prefix.lower() in (
        "via",
        "place",
        "avenue",
        "plaza",
        "boulevard",
        "corso",
        "largo",
        "calle",
        "r.",
    )
    if english and not (prefix[0].isupper() and any(w[0].isupper() for w in words)):
        return None
    return end


_JOIN = re.compile(r",?[ \t]*(?:\r?\n[ \t]*)?")  # one line break: the next line of the same block


def _sentence_stop(text: str, start: int, end: int) -> int:
    """Leave out a final full stop that ends the sentence ("... Wellington 6140.")."""
    if end - start > 1 and text[end - 1] == "." and re.match(r"\s*(?:$|[A-Z\n])", text[end:]):
        return end - 1
    return end


def _merge(text: str, cores: list[tuple[int, int, float]]) -> list[Span]:
    cores = [(a, _sentence_stop(text, a, b), sc) for a, b, sc in cores]
    out: list[Span] = []
    for start, end, score in sorted(cores):
        if out and (start <= out[-1].end or _JOIN.fullmatch(text, out[-1].end, start)):
            prev = out[-1]
            out[-1] = Span(prev.start, max(prev.end, end), LABEL, max(prev.score, score), prev.source)
        else:
            out.append(Span(start, end, LABEL, score, "address"))
    return out
