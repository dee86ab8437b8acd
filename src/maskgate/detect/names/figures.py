"""People in posts that no cue word introduces: public figures called by one name ("lebron",
"obama", "mr. musk"), a lower-case title or kin word before a name ("mr. musk", "auntie june"), a
name in brackets after a relation ("my dad (ray)") and a lower-case given name with a surname
("jack antonoff").

All of them only in informal lines (names/informal.py), never in code; the social over-masking
budget is larger than a missed name's cost."""

from __future__ import annotations

import re

from maskgate.detect.names.context import (
    AUXILIARIES,
    FOREIGN_STOP,
    RELATION_BEFORE,
    SINGLE_SCORE,
    Tok,
    code_context,
)
from maskgate.detect.names.informal import BRANDS, Lines, standalone
from maskgate.detect.names.social import CHAT_VERBS, SLANG, owned
from maskgate.detect.words import STOP, english_words, word_list

# Public figures that posts name by one word, in any case. Only words that are no ordinary
# English word nor a common brand: "drake", "prince", "ninja", "trump" stay out.
FIGURES = frozenset(
    word_list(
        """
        obama biden kamala desantis pelosi aoc bernie zelensky putin macron trudeau netanyahu modi
        musk elon zuckerberg bezos oprah kardashian kardashians kanye yeezy beyonce beyoncé rihanna
        adele shakira eminem lebron kobe messi ronaldo neymar mbappe haaland mahomes serena federer
        nadal djokovic ohtani giannis jokic wemby bieber biebs ariana selena gaga cardi nicki weeknd
        kendrick pewdiepie mrbeast xqc pokimane markiplier jacksepticeye
        """
    )
)
_TITLES = frozenset(word_list("mr mrs ms mx dr prof"))
# Kin words and nickname adjectives before a name: "auntie june", "big mike", "lil nas".
_KIN = frozenset(word_list("uncle aunt auntie aunty grandma grandpa granny nana nonna abuela abuelo big lil"))
# Shell commands read as a given name and a surname ("git config", "gh auth").
_COMMANDS = frozenset(word_list("git gh npm pip yarn brew apt docker kubectl cargo go make sudo"))
# A word-name after a subject is a verb: "i love obama", "we see lebron".
_SUBJECT_BEFORE = re.compile(
    r"(?<![\w'’])(?:i|we|you|u|they|ya|to|just|really|gonna|wanna|dont|don't|cant|can't)[ \t]+$",
    re.IGNORECASE,
)
_STREET = frozenset(word_list("st ave rd blvd ln ct dr hwy pl sq"))
_NICK = frozenset(word_list("big lil"))
_OF_AFTER = re.compile(r"[ \t]+of\b")
_CUES = _TITLES | _KIN | FIGURES
_OPEN = re.compile(r"[ \t]*\([ \t]*$")
_CLOSE = re.compile(r"[ \t]*\)")


def _plain(key: str) -> bool:
    """A lower-case word that may be a name after a title: no function word, slang or verb."""
    return (
        key not in STOP
        and key not in SLANG
        and key not in AUXILIARIES
        and key not in CHAT_VERBS
        and key not in BRANDS
        and key not in FOREIGN_STOP  # "una lesión", "que quizá": Spanish, not a name
        and len(key) >= 2
    )


def _surname(t: Tok, english: frozenset[str]) -> bool:
    if not t.text.islower() or not _plain(t.key):
        return False
    return "l" in t.flags or ("w" not in t.flags and t.key not in english and len(t.key) >= 3)


def _given_before(text: str, toks: list[Tok], i: int) -> bool:
    prev = toks[i - 1]
    return (
        "f" in prev.flags
        and text[prev.end : toks[i].start] == " "
        and prev.cap == toks[i].cap
        and _plain(prev.key)
        and prev.key not in FIGURES
        and ("w" not in prev.flags or not _SUBJECT_BEFORE.search(text, max(0, prev.start - 12), prev.start))
    )


def _bracketed(text: str, t: Tok) -> bool:
    """A name alone in brackets right after a relation: "my dad (ray)", "my roommate (priya)"."""
    head = _OPEN.search(text, max(0, t.start - 3), t.start)
    if head is None or _CLOSE.match(text, t.end) is None:
        return False
    return RELATION_BEFORE.search(text, max(0, head.start() - 40), head.start()) is not None


def figure_names(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    english = english_words()
    lines = Lines(text)
    n = len(toks)
    for i, t in enumerate(toks):
        if used[i]:
            continue
        key = t.key
        given = "f" in t.flags
        if not given and key not in _CUES:
            continue  # most tokens: one flag test and one set look-up
        nxt = toks[i + 1] if i + 1 < n else None
        gap = text[t.end : nxt.start] if nxt is not None else ""
        end = -1
        if key in _TITLES and t.text.islower() and nxt is not None and gap in (" ", ". "):
            if nxt.text.islower() and _plain(nxt.key) and not used[i + 1]:
                end = i + 1  # "mr. musk", "dr. feinberg"
        elif key in _KIN and t.text.islower() and nxt is not None and gap == " ":
            ok = "f" in nxt.flags or ("w" not in nxt.flags and nxt.key not in english)
            if key in _NICK and (owned(text, t.start) or _OF_AFTER.match(text, nxt.end)):
                ok = False  # "a big mark", "big fan of": the adjective, not a nickname
            if nxt.text.islower() and ok and _plain(nxt.key) and not used[i + 1]:
                end = i + 1  # "auntie june", "big mike"
        elif key in FIGURES:
            if standalone(text, t):
                end = i  # "lebron", "obama's speech"
                if nxt is not None and gap == " " and not used[i + 1] and nxt.key in FIGURES:
                    end = i + 1  # "elon musk"
        elif (
            given
            and t.text.islower()
            and _plain(key)
            and nxt is not None
            and gap == " "
            and not used[i + 1]
            and _surname(nxt, english)
            and ("w" not in t.flags or ("l" in nxt.flags and "w" not in nxt.flags))
            and key not in english
            and key not in _COMMANDS
            and not t.particle
            and nxt.key not in FIGURES
            and nxt.key not in _STREET
        ):
            end = i + 1  # "kirsty mcgowan", "jack hollis"; not "rose gold", "happy bday"
        elif given and _plain(key) and _bracketed(text, t):
            end = i  # "my dad (ray)"
        if end < 0:
            continue
        last = toks[end]
        first = i
        if key in FIGURES and i > 0 and _given_before(text, toks, i) and not used[i - 1]:
            first = i - 1  # "mark zuckerberg", "kim kardashian"
        if code_context(text, t) or not lines.informal(t.start, last.end):
            continue
        if not standalone(text, last) or (t.start > 0 and text[t.start - 1] in "@#/"):
            continue
        spans.append((toks[first].start, last.end, SINGLE_SCORE))
        for k in range(first, end + 1):
            used[k] = True
