"""Place names written in lower case (or shouted in capitals) in informal lines: "flying to chicago",
"moving to the uk", "anyone in nyc", "ANYONE IN PORTLAND SEEN MY CAT". Label LOCATION.

The cased NER model finds "Chicago" but not "chicago"; posts and chats write places as they write
names. The list below is short and hand-written (facts, no licence): countries, US states, Canadian
provinces, the UK's nations, Australian states, large cities and the places people post about, and a
few nicknames (nyc, philly, nola). Matching:

- a place that is no English word and no given name ("chicago", "texas", "nyc"): taken in an
  informal line (see `informal`), standing as a word of its own (not in a handle, path or URL);
- a place that is also a word or a name ("phoenix", "austin", "jordan", "georgia", "turkey"): only
  after a place preposition ("in", "from", "near", "flying to", "moving to") or before ", <state>";
- a place of several words ("el paso", "new york", "grand canyon"): taken in an informal line.

Capitalised places are left to the model and the address layer."""

from __future__ import annotations

import re
from functools import lru_cache

from maskgate.detect.names.informal import GLUED_AFTER, GLUED_BEFORE, THING_NOUNS, informal_line
from maskgate.detect.spans import Span
from maskgate.detect.words import english_words, gazetteer, word_list

LABEL = "LOCATION"
SCORE = 0.75  # above a lone lower-case name's 0.7: "in austin" is the city, not a man

_PLACES = """
afghanistan albania algeria argentina armenia australia austria azerbaijan bahamas bahrain bangladesh
barbados belarus belgium belize bolivia bosnia botswana brazil bulgaria cambodia cameroon canada chad
chile china colombia congo croatia cuba cyprus czechia denmark ecuador egypt england eritrea estonia
ethiopia fiji finland france gabon gambia georgia germany ghana greece guatemala guyana haiti honduras
hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya
korea kosovo kuwait laos latvia lebanon liberia libya lithuania luxembourg madagascar malawi malaysia
maldives mali malta mexico moldova monaco mongolia montenegro morocco mozambique myanmar namibia nepal
netherlands nicaragua niger nigeria norway oman pakistan panama paraguay peru philippines poland
portugal qatar romania russia rwanda samoa scotland senegal serbia singapore slovakia slovenia somalia
spain sudan sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey
uganda ukraine uruguay uzbekistan venezuela vietnam wales yemen zambia zimbabwe
usa uk uae america britain holland
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois
indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi
missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont
virginia washington wisconsin wyoming
alberta manitoba ontario quebec saskatchewan yukon tasmania queensland
nyc philly nola socal norcal vegas jersey brooklyn queens bronx manhattan harlem sf la dc atl ldn
chicago houston phoenix philadelphia dallas austin jacksonville columbus charlotte indianapolis
seattle denver boston nashville detroit portland memphis louisville baltimore milwaukee albuquerque
tucson fresno sacramento atlanta miami omaha raleigh oakland minneapolis tulsa tampa orlando
cleveland pittsburgh cincinnati anaheim honolulu lexington stockton henderson buffalo newark
anchorage richmond boise spokane tacoma savannah charleston knoxville chattanooga birmingham
flagstaff sedona scottsdale tempe berkeley pasadena burbank malibu hollywood brooklyn hoboken
toronto montreal vancouver calgary edmonton ottawa winnipeg halifax
london manchester liverpool leeds glasgow edinburgh bristol sheffield cardiff belfast dublin
newcastle nottingham leicester brighton oxford cambridge york
paris berlin madrid barcelona rome milan naples venice florence lisbon porto amsterdam rotterdam
brussels vienna prague budapest warsaw krakow munich hamburg frankfurt zurich geneva copenhagen
stockholm oslo helsinki athens istanbul moscow kyiv kiev
tokyo osaka kyoto seoul beijing shanghai shenzhen hongkong taipei manila bangkok hanoi jakarta bali
mumbai delhi bangalore bengaluru chennai hyderabad kolkata karachi lahore dhaka dubai doha riyadh
cairo lagos nairobi accra johannesburg capetown sydney melbourne brisbane perth adelaide auckland
wellington
"""
_MULTI = """
new york|new york city|los angeles|san francisco|san diego|san jose|san antonio|el paso|fort worth|
las vegas|new orleans|salt lake city|kansas city|oklahoma city|st louis|saint louis|st paul|
long beach|virginia beach|palm springs|santa monica|santa barbara|santa fe|grand rapids|
new jersey|new mexico|new hampshire|north carolina|south carolina|north dakota|south dakota|
west virginia|rhode island|puerto rico|washington dc|bay area|silicon valley|
grand canyon|yosemite|yellowstone|upstate new york|long island|staten island|
united states|united kingdom|new zealand|south africa|south korea|north korea|saudi arabia|
sri lanka|costa rica|dominican republic|el salvador|hong kong|northern ireland|
british columbia|nova scotia|new south wales|
mexico city|rio de janeiro|sao paulo|buenos aires|tel aviv|abu dhabi|kuala lumpur|ho chi minh city|
cape town|st petersburg
"""
# A word or a name first, a place after a place preposition only.
_PLACE_BEFORE = re.compile(
    r"\b(?:in|from|near|outside|around|across|visiting|via|out of)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE
)
# After "to", a motion: "flying to austin", not "talked to austin".
_MOTION_TO = re.compile(
    r"\b(?:mov(?:e|ed|ing)|fl(?:y|ew|ying)|flight|flights|dr(?:ive|ove|iving)|trip|go(?:ing)?|went|"
    r"head(?:ed|ing)?|back|com(?:e|ing)|came|relocat(?:e|ed|ing)|train|bus|welcome|road)[ \t]+to[ \t]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)
_STATE_AFTER = re.compile(r",[ \t]*(?:[a-z]{2}|[A-Z]{2})\b(?![\w@.])")
# Short forms that are also other words or abbreviations: only after a place word ("back in la")
_SHORT = frozenset({"la", "dc", "atl", "ldn"})
_WORD = re.compile(r"[A-Za-z]+")
# "new york strip", "chicago style", "washington post": a thing named after the place
_THING_AFTER = re.compile(r" ([a-z]+)\b")
_THINGS = THING_NOUNS | frozenset({"strip", "cheesecake", "style", "times", "post", "bagel", "wings"})
_JOIN = re.compile(r"[ \t]*(?:,|&|/|and|or|then|before|after|to|from|vs\.?|->|→)[ \t]*(?:the[ \t]+)?")


def single_places() -> dict[str, bool]:
    """The one-word places of the list (keys, lower case)."""
    return _tables()[0]


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, bool], dict[str, list[str]]]:
    """single place -> clean (no word, no given name or surname); first word of a multi-word place -> the places."""
    english, names = english_words(), gazetteer()
    single = {w: (w not in english and not names.get(w) and w not in _SHORT) for w in word_list(_PLACES)}
    multi: dict[str, list[str]] = {}
    for place in _MULTI.replace("\n", "").split("|"):
        place = place.strip()
        if place:
            multi.setdefault(place.split()[0], []).append(place)
    for places in multi.values():
        places.sort(key=len, reverse=True)  # the longest first: "new york city" before "new york"
    return single, multi


def _occurrences(lowered: str, key: str) -> list[int]:
    """Where the whole word `key` starts in `lowered` (str.find: a literal search, no regex scan)."""
    out, pos, n = [], lowered.find(key), len(key)
    while pos >= 0:
        if (pos == 0 or not lowered[pos - 1].isalpha()) and not lowered[pos + n : pos + n + 1].isalpha():
            out.append(pos)
        pos = lowered.find(key, pos + n)
    return out


def _standalone(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    if before in GLUED_BEFORE or before.isalnum():
        return False
    return GLUED_AFTER.match(text, end) is None or text.startswith(("'s", "’s"), end)


class PlaceLayer:
    """Lower-case and shouted place names in informal lines. Label: LOCATION."""

    name = "places"
    version = "1"

    def fingerprint(self) -> str:
        return f"places:{self.version}:{len(_tables()[0])}"

    def detect(self, text: str) -> list[Span]:
        single, multi = _tables()
        lowered = text.lower()
        words = set(_WORD.findall(lowered))
        if words.isdisjoint(single) and words.isdisjoint(multi):
            return []
        out: list[Span] = []
        maybe: list[tuple[int, int]] = []  # word-places with no place word before them
        hits = sorted(
            a for key in (words & single.keys()) | (words & multi.keys()) for a in _occurrences(lowered, key)
        )
        taken_to = -1
        for a in hits:
            if a < taken_to:
                continue
            m = _WORD.match(lowered, a)
            if m is None:
                continue
            key = m.group(0)
            word = text[a : m.end()]
            if not (word.islower() or (word.isupper() and len(word) > 2)):
                continue  # capitalised: the model's; "US", "IN": abbreviations, not places
            end, clean = -1, False
            for place in multi.get(key, ()):
                stop = a + len(place)
                if lowered.startswith(place, a) and not (stop < len(text) and text[stop].isalnum()):
                    if text[a:stop].islower() or text[a:stop].isupper():
                        end, clean = stop, True
                    break
            if end < 0 and key in single:
                end, clean = m.end(), single[key]
            if end < 0 or not _standalone(text, a, end) or not informal_line(text, a, end):
                continue
            nxt = _THING_AFTER.match(lowered, end)
            if nxt is not None and nxt.group(1) in _THINGS:
                continue
            if not clean and not self._placed(text, lowered, a, end):
                maybe.append((a, end))
                continue
            out.append(Span(a, end, LABEL, SCORE, self.name))
            taken_to = end
        # "nyc before houston", "dallas and austin": a word-place next to a place found above
        for a, end in maybe:
            for s in out:
                lo, hi = (end, s.start) if end <= s.start else (s.end, a)
                if 0 <= hi - lo <= 12 and _JOIN.fullmatch(lowered, lo, hi):
                    out.append(Span(a, end, LABEL, SCORE, self.name))
                    break
        return sorted(out, key=lambda s: s.start)

    @staticmethod
    def _placed(text: str, lowered: str, start: int, end: int) -> bool:
        lo = max(0, start - 24)
        if _PLACE_BEFORE.search(lowered, lo, start):
            return True
        if lowered.endswith(("to ", "to the "), lo, start):
            return _MOTION_TO.search(lowered, max(0, start - 40), start) is not None
        return _STATE_AFTER.match(text, end) is not None
