"""Parts of a detected name used again alone, in any case: `Ms. Okafor ... OKAFOR`, `Jane_Doe.pdf`.

After resolution, the given name and surname of each PERSON span of two or more words are looked for
elsewhere in the text, as words or as pieces of a file name, path or header value glued with `_`,
`-`, `.` (`Jane_Doe_resume.pdf`, `\\Rosalind_Fahey_Jun2001`, `Fahey-R`). An ordinary English word
(`Young`, `Strand`, `Rose`) counts only where it is written as a name and not as the first word of a
sentence, of a title-cased phrase or of an eponym (`Wells score`). One Aho-Corasick pass over the
lower-cased text whatever the number of parts.
"""

from __future__ import annotations

import re

import ahocorasick

from maskgate.detect.spans import Span
from maskgate.detect.words import (
    EPONYM_AFTER,
    LEADING_NON_NAME,
    NOT_NAMES,
    PARTICLES,
    PERSON_VERBS,
    STOP,
    TITLES,
    english_words,
    gazetteer,
)

LABEL = "PERSON"
SOURCE = "repeat"
MIN_PART = 3  # `Bao`, `Ng` is too short
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_HYPHENED = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_TITLE = re.compile(rf"(?i:{TITLES}|jr|sr|ii|iii|iv|md|rn|np|phd|do)")
_GLUE = "_-./\\"
_JOINED = re.compile(r",?[ \t]?")
_AFTER_WORD = re.compile(r"(?:['’]s)?[ \t]+([a-z]+)")
_NEXT_CAP = re.compile(r"[ \t]+[A-Z][a-z]")
_NEXT_CAP_WORD = re.compile(r"[ \t]+[A-Z]{2}")
_DETERMINER = re.compile(r"(?i:\b(?:the|a|an|this|that|our|your|its|of|in|on)[ \t]+)$")


def _parts(text: str, spans: list[Span]) -> dict[str, str]:
    """Lower-cased part -> the part as written, for each name word of a PERSON span of two to four
    name words, or of one after a title (`Ms. Okafor`)."""
    out: dict[str, str] = {}
    # PERSON spans side by side ("Tran" ", " "Bao") are one name
    runs: list[list[int]] = []
    for s in spans:
        if s.label != LABEL:
            continue
        if runs and _JOINED.fullmatch(text, runs[-1][1], s.start):
            runs[-1][1] = s.end
        else:
            runs.append([s.start, s.end])
    for start, end in runs:
        found = _WORD.findall(text, start, end)
        words = [w for w in found if not _TITLE.fullmatch(w)]
        named = [w for w in words if len(w) > 1 and w.lower() not in PARTICLES]
        if any(w.islower() for w in named):
            continue  # "tinción de Gram": a phrase the model took for a name, not a name's parts
        titled = len(words) < len(found) and _TITLE.fullmatch(found[0]) is not None
        if not (2 <= len(named) <= 4 or (titled and len(named) == 1)):
            continue  # one word alone is repeated as written (repeat.py); with a title, in any case
        whole = [w for w in _HYPHENED.findall(text, start, end) if "-" in w]
        for w in named + whole:
            key = w.lower()
            if (
                len(w) >= MIN_PART
                and w[:1].isupper()
                and key not in STOP
                and key not in NOT_NAMES
                and key not in LEADING_NON_NAME
            ):
                out.setdefault(key, w)
    return out


def _sentence_start(text: str, start: int) -> bool:
    i = start
    while i > 0 and text[i - 1] in " \t\"'(":
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n•*-:>"


def _as_name(text: str, start: int, end: int, key: str, english: frozenset[str]) -> bool:
    """Is this occurrence written as a name (not a word of prose that happens to be the same)?"""
    word = text[start:end]
    glued = (start > 0 and text[start - 1] in _GLUE) or (end < len(text) and text[end] in _GLUE)
    common = key in english
    if word.islower():
        # lower case: only a piece of a file name or path, and only a word that is no English word
        return glued and not common and len(key) >= 4
    if not (word[0].isupper() and (word[1:].islower() or word.isupper() or word[1:] == key[1:])):
        return False
    if not common:
        return True
    if EPONYM_AFTER.match(text, end):
        return False  # "Wells score", "Young's modulus" stays
    if word.isupper() and len(word) > 1:
        around = text[max(0, start - 30) : end + 30]
        # a heading in capitals ("YOUNG ADULT CLINIC") is no name; one word in capitals in prose is
        # the writer's way to mark a surname ("Plan: YOUNG to repeat CRP")
        return any(c.islower() for c in around) and not _NEXT_CAP_WORD.match(text, end)
    if glued:
        return True
    if _DETERMINER.search(text, max(0, start - 8), start):
        return False  # "the Young", "a Strand"
    if _NEXT_CAP.match(text, end):
        return False  # "Rose Garden", "Young Adult": a title-cased phrase
    if _sentence_start(text, start):
        m = _AFTER_WORD.match(text, end)
        # "Strand stopped replying", "Young agrees": the subject of a verb
        return m is not None and (m.group(1) in PERSON_VERBS or m.group(1).endswith("ed"))
    return True


def name_part_spans(text: str, spans: list[Span]) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of a part of a detected name that is written as a name."""
    parts = _parts(text, spans)
    if not parts:
        return []
    lower = text.lower()
    if len(lower) != len(text):
        return []  # a letter whose lower case changes length (`İ`): offsets would not line up
    automaton = ahocorasick.Automaton()
    for key in parts:
        automaton.add_word(key, key)
    automaton.make_automaton()
    english = english_words()
    out = []
    for last, key in automaton.iter(lower):
        start, end = last + 1 - len(key), last + 1
        if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
            continue
        if _as_name(text, start, end, key, english):
            out.append((start, end))
    return out


_GUESSES = frozenset({"ORG", "LOCATION", "FACILITY"})


def relabel_parts(text: str, spans: list[Span]) -> list[Span]:
    """A one-word ORG or LOCATION guess that is a part of a detected person's name (`Vance` after
    `Robert Vance`) is that person: relabelled PERSON, so its repeats and neighbours are names too."""
    if not any(s.label in _GUESSES for s in spans):
        return spans
    parts = _parts(text, spans)
    if not parts:
        return spans
    out = []
    changed = False
    for s in spans:
        value = text[s.start : s.end]
        if s.label in _GUESSES and value.lower() in parts and value[:1].isupper():
            out.append(Span(s.start, s.end, LABEL, s.score, s.source))
            changed = True
        else:
            out.append(s)
    return out if changed else spans


# "Arjun and Kavya Pillai", "Tom & Mary Okafor": a given name joined to a full name shares its surname
_COORDINATED = re.compile(r"(?<![\w'’.-])([A-Z][a-z]+)[ \t]+(?:and|&)[ \t]+$")


def coordinated_given(text: str, spans: list[Span]) -> list[tuple[int, int]]:
    """(start, end) of a known given name right before `and`/`&` and a PERSON span of two or more
    words: the couple or siblings of one family."""
    table = gazetteer()
    english = english_words()
    out = []
    for s in spans:
        if s.label != LABEL or " " not in text[s.start : s.end].strip():
            continue
        m = _COORDINATED.search(text, max(0, s.start - 30), s.start)
        if m is None:
            continue
        key = m.group(1).lower()
        if "f" in table.get(key, "") and key not in english and key not in NOT_NAMES:
            out.append(m.span(1))
    return out
