"""Cues and shapes the address layer checks around a candidate: stop words a street name never
holds, the shape of a date ("March 09", "Monday 3"), code ("a[i] = 3"), the address words before a
bare "Name 12", and the chat cues before a lower-case street ("meet @ 14 elm st")."""

from __future__ import annotations

import re


def _words(s: str) -> list[str]:
    return s.split()


STOP_NAMES = frozenset(
    _words(
        """
        a an the of and or to in on at for with from by my your our their his her its is are was were be
        this that these those it i you we they he she not no yes than then as if so but all any some
        version step page chapter section line item number issue pr build row col column table figure
        release sprint phase level stage round part test case order ticket port
        """
    )
)


_MONTH = re.compile(
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)


def _is_date(word: str, number: str) -> bool:
    """A month name before a day number: the shape of a date, whatever follows it."""
    digits = "".join(c for c in number if c.isdigit())
    return _MONTH.fullmatch(word) is not None and digits.isdigit() and 1 <= int(digits) <= 31


_WEEKDAY = re.compile(
    r"(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\.?|(?i:tuesday|wednesday|thursday|saturday)"
)


def dated(words: list[str], number: str) -> bool:
    """A month or weekday among the name's words ("19 February 2025", "Monday 3", "March 09"): the
    shape of a date; streets named after months keep their street type ("May Street", other rules)."""
    return _is_date(words[-1], number) or any(_MONTH.fullmatch(w) or _WEEKDAY.fullmatch(w) for w in words)


# An address word shortly before, on the same line or on a label line above ("Address:\n").
_CUE = re.compile(
    r"(?:address(?:es)?|addr|lives?|living|located|location|moved|move|ship(?:ped|ping)?|deliver(?:y|ed)?|"
    r"sent|send|mail(?:ing)?|office|offices|meet|visit|residence|resides?|home|street|corner of|return to|"
    r"billing|shipping|domicile|situated|stop at|drop(?:s|ped)? (?:you |me )?off at)\b"
    r"[^\n;(){}=]{0,25}(?:\Z|(?<=:)[ \t]*\n[ \t]*\Z)",
    re.IGNORECASE,
)


# A post or chat giving a place to meet or a home in lower case: "meet @ 14 elm st", "im at 88 harbor
# view rd", "address is 2241 w. belmont ave apt 3": an abbreviated street type needs a cue word right before.
SHORT_TYPES = frozenset(_words("st rd ave av dr ln blvd ct pl hwy pkwy cir ter way"))
_INFORMAL_CUE = re.compile(
    r"(?:@|\b(?:at|on|to|is|near|from|meet(?:[ \t]+(?:me|us))?|address|addr|live|lives|living|moved|"
    r"pickup|pick[ \t]+up|drop[ \t]*off|deliver|ship))[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)


def informal_street(text: str, start: int, words: list[str], suffix: str) -> bool:
    if suffix.split()[-1].lower().rstrip(".") not in SHORT_TYPES or not 1 <= len(words) <= 2:
        return False
    if not all(re.fullmatch(r"[a-z]{2,}\.?|[nsew]\.?|\d{1,3}(?:st|nd|rd|th)", w) for w in words):
        return False
    if any(w.rstrip(".") in STOP_NAMES for w in words):
        return False
    return _INFORMAL_CUE.search(text, max(0, start - 14), start) is not None


def cue_before(text: str, start: int) -> bool:
    window = text[max(0, start - 45) : start]
    return bool(_CUE.search(window))


_CODE = re.compile(r"[_(){}\[\]<>=/\\;@#$%^*|`~]|::|->|\w\.\w+\(")


def looks_like_code(s: str) -> bool:
    return bool(_CODE.search(s))
