"""Address parts after the street line: units (`Apt. 4`, `Suite 300`, `3º Esq.`), then up to five
comma-, newline- or space-separated city, state or county, postcode and country parts (address.py
grows each street core over them with `extend`)."""

from __future__ import annotations

import re

from maskgate.detect.address_cues import STOP_NAMES, looks_like_code
from maskgate.detect.address_fields import COUNTRIES, MULTIWORD_COUNTRIES
from maskgate.detect.address_tails import STATE_CODES

UNIT = (  # the words a unit starts with (`Apt 4`, `Suite 300`, `кв. 12`)
    r"(?:apt|apartment|suite|ste|unit|flat|fl|floor|room|rm|bldg|building|level|lvl|shop|office|"
    r"appartement|app|wohnung|piso|dept|depto|box|km|sector|phase|block|blk|кв|квартира|корп|корпус|стр|офис)\.?"
)

_UNIT_RE = re.compile(
    rf"{UNIT}[ \t]*(?:#|no\.?|nr\.?)?[ \t]*[A-Za-z]?\d{{1,6}}[A-Za-z]?\b"
    # "#3", "#07-221" (a Singapore floor-unit), "3º Esq." (Iberian floor and side), "3rd Floor"
    r"|#[ \t]?[A-Za-z]?\d{1,5}(?:-\d{1,5})?[A-Za-z]?\b"
    r"|\d{1,2}[ºª°](?:[ \t]*(?:esq|dto|dta|izq|izda|dcha|dch|fte|frente|andar|piso|[a-z])\b)?\.?"
    r"|\d{1,3}(?:st|nd|rd|th)[ \t]+floor\b",
    re.IGNORECASE,
)
# Between parts: commas and line breaks (a quoted or bulleted line may start with "> " or "- "), or spaces.
_PART_SEP = re.compile(r"[ \t]*(?:(?:[,\n]|\r\n)[ \t]*(?:(?:>+|[-*•·]|\?{3})[ \t]*)?){1,3}|[ \t]+")
# The empty value of a data export or a form between two address parts.
_NULL_PART = re.compile(r"(?:nan|NaN|NAN|null|NULL|None|N/A|n/a)(?![\w/])")
# A postcode is not the head of a longer digit group: `416 60 039` on its own line is a phone number.
_POSTCODE = re.compile(
    r"(?:\d{4,5}-\d{3}(?!\d)|\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|\d{4}[ \t]?[A-Z]{2}|"
    r"\d{2}-\d{3}|\d{3}[ \t]\d{2}|\d{4}|\d{6})(?![\w-])(?![ \t.]\d)"
)
_SHORT_POSTCODE = re.compile(r"\d{3}(?=[ \t]+[^\W\d_a-z][^\W\d_]+(?:[ \t]*(?:$|[\n.,;)])))", re.M)
_STATE = re.compile(r"[A-Z]{2,3}(?![\w-])")
_REGION_NUMBER = re.compile(r"\d{1,3}(?![\w-])")
_CITY_WORD = r"(?:[^\W\d_a-z][^\W\d_]*(?:['’.-][^\W\d_]+)*\.?(?!\w)|(?:de|del|della|di|da|do|dos|das|du|la|le|les|sur|sous|upon|on|am|an|im|bei|en|y|i|na|nad|pod|u|v|z|op|aan|ob|bei)(?=[ \t]+[^\W\d_a-z]))"
_CITY = re.compile(rf"{_CITY_WORD}(?:[ \t-]+{_CITY_WORD}){{0,3}}(?:[ \t]+\([^\W\d_][\w ]{{1,20}}\))?")
_LOWER_CITY = re.compile(r"[^\W\d_][\w'’.-]*(?:[ \t]+[^\W\d_][\w'’.-]*){0,2}")
_END_AFTER = re.compile(
    r"[ \t]*(?:$|\r?\n|[.?!;)\]\"'’,]|\s+(?:and|or|in|for|to|at|on|after|before|please|thanks)\b)"
)
_WORD = re.compile(r"[^\W\d_][\w.]*")
_GREETINGS = frozenset(
    {
        "dear",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank",
        "regards",
        "best",
        "cheers",
        "attn",
        "attention",
        "re",
        "subject",
    }
)


def extend(text: str, end: int) -> tuple[int, bool]:
    """Grow the street line over units and address parts; `strong` when a unit, postcode,
    state or country was among them (evidence that this is an address block)."""
    n = len(text)
    strong = False
    while True:
        m = _PART_SEP.match(text, end)
        pos = m.end() if m else end
        u = _UNIT_RE.match(text, pos)
        if u is None or (m and m.group(0).count("\n") > 1):
            break
        end = u.end()
        strong = True
    parts = 0
    last = "unit" if strong else "street"
    while parts < 5 and end < n:
        m = _PART_SEP.match(text, end)
        if m is None:
            break
        found = _part(text, m.end(), m.group(0), parts, last)
        if found is None and (null := _NULL_PART.match(text, m.end())) is not None:
            # an empty field of a data export ("Gdańsk, nan 84968"): the part after it counts
            after = _PART_SEP.match(text, null.end())
            found = _part(text, after.end(), m.group(0), parts, last) if after else None
        if found is None:
            break
        end, kind = found
        strong = strong or kind in ("postcode", "country")
        parts += 1
        last = kind
    return end, strong


def _part(text: str, pos: int, sep: str, index: int, last: str) -> tuple[int, str] | None:
    """The address part at `pos` (end, kind), or None. After a postcode or a country only a
    postcode or a country may follow; a city needs a comma/line break before it (or a unit,
    or capitals) and another part, or the end of the line/sentence, after it."""
    strong_sep = "," in sep or "\n" in sep
    m = MULTIWORD_COUNTRIES.match(text, pos)
    if m:
        return _country_tail(text, m.end()), "country"
    m = _POSTCODE.match(text, pos)
    if m and (strong_sep or last in ("city", "state")):
        return m.end(), "postcode"
    m = _SHORT_POSTCODE.match(text, pos)
    if m and strong_sep and last != "postcode":
        return m.end(), "postcode"  # "Laugavegur 54, 101 Reykjavík": a 3-digit code before the city
    m = _STATE.match(text, pos)
    if m and _state_ok(text, m.end()):
        return m.end(), "state"
    m = _REGION_NUMBER.match(text, pos)
    if m and strong_sep and last == "city":
        after = _PART_SEP.match(text, m.end())
        if after and _POSTCODE.match(text, after.end()):
            return m.end(), "state"  # a numbered region before the postcode: "Tunis, 13 44939"
    word = _WORD.match(text, pos)
    if word and word.group(0).lower().rstrip(".") in COUNTRIES:
        return _country_tail(text, pos + len(word.group(0).rstrip("."))), "country"
    if last == "country" or (last == "postcode" and strong_sep):
        return None  # after a postcode only a same-line city ("75019 Paris") may follow
    m = _CITY.match(text, pos)
    lower_city = False
    if m is None and (strong_sep or last == "unit") and text[max(0, pos - 80) : pos].islower():
        m = _LOWER_CITY.match(text, pos)  # an all-lower-case message: "københavn k"
        lower_city = not strong_sep  # "apt 3 buzz twice": after a space only with a part after it
    if m is None:
        return None
    city_end = _cut_city(text, m.start(), m.end())
    city = text[m.start() : city_end]
    words = city.split()
    if words[0].lower().rstrip(",") in _GREETINGS:
        return None  # "Acacia Road\n\nDear Sam": a greeting starts the letter
    if any(w.lower() in STOP_NAMES for w in words) or looks_like_code(re.sub(r"\([^()]*\)", "", city)):
        return None
    upper = city.isupper() and len(city) >= 3
    after = _PART_SEP.match(text, city_end)
    if after is not None:
        follow = after.end()
        if _POSTCODE.match(text, follow) or MULTIWORD_COUNTRIES.match(text, follow):
            return city_end, "city"
        st = _STATE.match(text, follow)
        if st and _state_ok(text, st.end()):
            return city_end, "city"
        w2 = _WORD.match(text, follow)
        if w2 and w2.group(0).lower().rstrip(".") in COUNTRIES:
            return city_end, "city"
    if lower_city or sep.count("\n") > 1:
        return None  # after a blank line, only a city with a postcode or state after it
    if (strong_sep or upper or last in ("unit", "postcode")) and _END_AFTER.match(text, city_end):
        return city_end, "city"
    return None


def _cut_city(text: str, start: int, end: int) -> int:
    """A city run stops before a country name or a state code ("Rzeszów Poland", "Velenje SI 3320"),
    and a full stop after a word longer than an abbreviation ("St.") is the sentence's."""
    if text[end - 1] == "." and len(text[start:end].split()[-1]) > 4:
        end -= 1
    for w in re.finditer(r"\S+", text[start:end]):
        if w.group(0).endswith(".") and len(w.group(0)) > 4 and start + w.end() < end:
            return start + w.end() - 1  # "Reykjavík. Thanks": the sentence ends after the city
        if w.start() == 0:
            continue
        pos = start + w.start()
        word = w.group(0).lower().rstrip(".,")
        if word in COUNTRIES or MULTIWORD_COUNTRIES.match(text, pos):
            return _strip_end(text, start, pos)
        st = _STATE.match(text, pos)
        if st and _state_ok(text, st.end()) and not text[start:end].isupper():
            return _strip_end(text, start, pos)
    return end


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t":
        end -= 1
    return end


def _state_ok(text: str, end: int) -> bool:
    """A 2–3 letter upper-case code is a state/county when a postcode or the line's end follows."""
    m = _PART_SEP.match(text, end)
    follow = m.end() if m else end
    if _POSTCODE.match(text, follow):
        return True
    if text[max(0, end - 3) : end].lstrip(" \t,") in STATE_CODES and re.match(r"[ \t]+[a-z]", text[end:]):
        return True  # "Lyndon Center VT says": a known state code before prose
    return bool(re.match(r"[ \t]*(?:$|\r?\n|[.?!;)])", text[end:]))


def _country_tail(text: str, end: int) -> int:
    m = re.match(r"[ \t]+\([^\W\d_][\w ]{1,20}\)", text[end:])  # "Cyprus (Greek)"
    if m:
        end += m.end()
    m = re.match(r"[ \t,]+(\d{4,6}|[A-Z]\d[A-Z] ?\d[A-Z]\d)(?![\w-])", text[end:])  # "Uruguay 64677"
    if m:
        end += m.end()
    return end
