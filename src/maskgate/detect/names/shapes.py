"""Name shapes with little context: lower-case full names, a name line heading a block, lists of
names, and names spelled out in an e-mail address of the same text."""

from __future__ import annotations

import re
from bisect import bisect_left

from maskgate.detect.names.context import (
    EMAIL_LOCAL,
    FOREIGN_STOP,
    NAME_LINE,
    PERSON_VERBS,
    RUN_SCORE,
    SINGLE_SCORE,
    Tok,
    code_context,
)
from maskgate.detect.words import LEADING_NON_NAME, NOT_NAMES, STOP, english_words, gazetteer, word_list


# -- lower-case full names: "follow up with patricia desrosiers" ---------------------------------
def lower_runs(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    n = len(toks)
    for i, t in enumerate(toks):
        if (
            used[i]
            or t.cap
            or "f" not in t.flags
            or "w" in t.flags
            or t.key in NOT_NAMES
            or t.key in FOREIGN_STOP
            or code_context(text, t)
        ):
            continue
        j = i + 1
        if j < n and len(toks[j].text) == 1 and text[t.end : toks[j].start] == " ":
            j += 1  # a middle initial: "benjamin a seiler"
        if j >= n or text[toks[j - 1].end : toks[j].start] not in (" ", ". ", " "):
            continue
        last = toks[j]
        if last.cap or used[j] or "w" in last.flags or not last.flags or last.key in NOT_NAMES:
            continue
        if last.particle or last.key in FOREIGN_STOP or last.key in STOP:
            continue  # "talla de", "su vida": function words, not a surname
        if code_context(text, last):
            continue
        spans.append((t.start, last.end, SINGLE_SCORE))
        for k in range(i, j + 1):
            used[k] = True


# -- a line that is only a name, heading a block (signatures, contact cards, addresses) ----------
def header_lines(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    starts = [t.start for t in toks]
    if "\n" not in text:
        return
    for m in NAME_LINE.finditer(text):
        a, b = m.span("name")
        idx = list(range(bisect_left(starts, a), bisect_left(starts, b)))
        if not idx or any(used[i] for i in idx):
            continue
        words = [toks[i] for i in idx if not toks[i].initial]
        if not 2 <= len(words) <= 3 or any(w.key in NOT_NAMES or w.key in LEADING_NON_NAME for w in words):
            continue
        if not any(w.clean_name for w in words) or sum("w" in w.flags for w in words) > 1:
            continue
        lower_names = text[a:b].islower() and all(
            w.name and "w" not in w.flags and w.key not in english_words() for w in words
        )
        if not (all(w.cap for w in words) or lower_names):
            continue
        spans.append((a, b, SINGLE_SCORE))
        for i in idx:
            used[i] = True


_COMMA_GAP = re.compile(r",[ \t]*")
_AMPERSAND_GAP = re.compile(r"[ \t]*&[ \t]*")


# -- lists: "Matheus, Janet, Nicholas and Terri"; "Nekolná and Pearson were" ---------------------
def lists(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    n = len(toks)

    def next_item(j: int) -> tuple[int, bool] | None:
        if j + 1 >= n:
            return None
        gap = text[toks[j].end : toks[j + 1].start]
        if _COMMA_GAP.fullmatch(gap):
            if toks[j + 1].key == "and" and j + 2 < n and text[toks[j + 1].end : toks[j + 2].start] == " ":
                return j + 2, True
            return j + 1, False
        if (
            gap == " "
            and toks[j + 1].key == "and"
            and j + 2 < n
            and text[toks[j + 1].end : toks[j + 2].start] == " "
        ):
            return j + 2, True
        if _AMPERSAND_GAP.fullmatch(gap):
            return j + 1, True
        return None

    i = 0
    while i < n:
        items = [i]
        joined = False
        while (nx := next_item(items[-1])) is not None:
            items.append(nx[0])
            joined = joined or nx[1]
            if nx[1]:
                break  # "and" closes the list
        i = items[-1] + 1 if len(items) > 1 else i + 1
        if len(items) < 2 or not joined:
            continue
        same_case = all(toks[k].cap for k in items) or all(toks[k].text.islower() for k in items)
        if not same_case or any(
            toks[k].initial or toks[k].key in STOP or code_context(text, toks[k]) for k in items
        ):
            continue
        english = english_words()
        if any(toks[k].key in english and "f" not in toks[k].flags for k in items):
            continue  # "Wisdom and Discipline", "Salt, Pepper and Sugar"
        names = sum(1 for k in items if toks[k].name)
        if len(items) == 2:
            nxt = toks[items[-1] + 1] if items[-1] + 1 < n else None
            if not (nxt and nxt.key in PERSON_VERBS and text[toks[items[-1]].end : nxt.start] == " "):
                continue
            if names < 1 or not all(toks[k].cap for k in items):
                continue
        elif names < max(2, (len(items) * 2 + 2) // 3) or not any(toks[k].clean_name for k in items):
            continue
        for k in items:
            if used[k] or toks[k].key in NOT_NAMES:
                continue
            spans.append((toks[k].start, toks[k].end, SINGLE_SCORE))
            used[k] = True


# -- names spelled out in an e-mail address of the same text ("Lara Fiorentino" ... LaraFiorentino@) --
def email_names(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    if "@" not in text:
        return
    locals_ = [m.group(1).lower() for m in EMAIL_LOCAL.finditer(text)]
    if not locals_:
        return
    pieces = {p for loc in locals_ for p in re.split(r"[._+-]+", loc) if len(p) >= 3 and p.isalpha()}
    joined = {re.sub(r"[._+-]+", "", loc) for loc in locals_}
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if used[i] or not t.cap or t.initial or code_context(text, t):
            i += 1
            continue
        j = i + 1
        while (
            j < n and j - i < 4 and toks[j].cap and text[toks[j - 1].end : toks[j].start] in (" ", "  ", ". ")
        ):
            j += 1
        group = [g for g in toks[i:j] if not g.initial]
        keys = [g.key for g in group]
        whole = "".join(keys)
        match = len(group) >= 2 and (
            whole in joined or any(loc.startswith(whole) or loc.endswith(whole) for loc in joined)
        )
        english = english_words()
        plain_words = all(k in english or k in NOT_NAMES or k in LEADING_NON_NAME for k in keys)
        if not plain_words and (match or (len(group) >= 2 and all(k in pieces for k in keys))):
            spans.append((toks[i].start, toks[j - 1].end, RUN_SCORE))
            for k in range(i, j):
                used[k] = True
            i = j
        else:
            i += 1


# -- a given name alone on the last line of a message: "...still open.\n\nMark", "Mehmet\nTalent Acq." --
_CLOSING = re.compile(r"(?m)(?<=[.!?)]\n)(?:[ \t]*\n)*[ \t]*(?P<name>[A-Z][^\W\d_]+)[ \t]*[.!]?[ \t]*$")
_AFTER_CLOSING = re.compile(
    r"[ \t]*(?:\Z|\r?\n[ \t]*(?:\r?\n|\Z|-{2,}|_{3,}|>|On .{0,80}wrote:|From:|Sent from|"
    r"[^\n.!?]{1,50}(?:\n|\Z)))"
)


def closing_names(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    """A known given name alone on a line after a sentence, closing the message or heading a short
    signature block: a writer signing with a first name ("Mark", "Wei"), even one that is a word."""
    if "\n" not in text:
        return
    starts = [t.start for t in toks]
    for m in _CLOSING.finditer(text):
        a, b = m.span("name")
        k = bisect_left(starts, a)
        if k >= len(toks) or toks[k].start != a or toks[k].end != b or used[k]:
            continue
        t = toks[k]
        if "f" not in t.flags or t.key in NOT_NAMES or t.key in STOP or t.key in LEADING_NON_NAME:
            continue
        if not _AFTER_CLOSING.match(text, m.end()):
            continue
        spans.append((a, b, SINGLE_SCORE))
        used[k] = True


# -- names written in a hashtag or in capitals: "#TaylorSwift", "LEBRON JAMES IS THE GOAT" -------------
_HASHTAG = re.compile(
    r"(?<![\w#&/])#(?P<name>(?P<first>[A-Z][a-z]+)(?P<mid>[A-Z][a-z]+)?(?P<last>[A-Z][a-z]+))(?![\w])"
)


def hashtag_names(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    """A hashtag spelling a full name: a known given name, then a known surname, one of them no
    English word (#TaylorSwift, #JusticeForBreonna no: 'Justice' is a word and 'Breonna' no surname)."""
    if "#" not in text:
        return
    table = gazetteer()
    english = english_words()
    for m in _HASHTAG.finditer(text):
        first, last = m.group("first").lower(), m.group("last").lower()
        if "f" not in table.get(first, "") or "l" not in table.get(last, ""):
            continue
        if first in NOT_NAMES or first in _TAG_PLACES or (first in english and last in english):
            continue
        mid = (m.group("mid") or "").lower()
        if mid and (mid in STOP or "f" not in table.get(mid, "")):
            continue  # "#PriyaAndSid", "#JusticeForBreonna": a phrase, not one name (see hashtag_parts)
        spans.append((m.start("name"), m.end("name"), SINGLE_SCORE))
    hashtag_parts(text, spans)


_TAG = re.compile(r"(?<![\w#&/])#((?:[A-Z]{2,4}(?=[A-Z][a-z]))?[A-Z]?[a-z]+(?:[A-Z][a-z]+){0,5})(?![\w])")
_PART = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z])|[A-Z]?[a-z]+")
# Hashtag words after which the next part names someone: #JusticeForBreonna, #FreeBritney, #RIPKobe.
_TAG_CUES = frozenset(
    word_list("for free rip team birthday bday congrats congratulations love miss find justice with go")
)
# Hashtag words before a given name that make it a place: #SanDiego, #FortWorth.
_TAG_PLACES = frozenset(word_list("san santa st saint port fort lake mount new el la los"))


def hashtag_parts(text: str, spans: list[tuple[int, int, float]]) -> None:
    """The name inside a hashtag phrase: #PriyaAndSid, #HappyBirthdayEmily, #JusticeForBreonna. A
    part is taken when it is a given name that is no English word (with a known surname after it),
    or when it follows a cue word (For, Free, RIP, Team, Birthday) and no dictionary knows it. The
    rest of the tag stays: it says what the post is about, not who."""
    table = gazetteer()
    english = english_words()
    taken = {a for a, _, _ in spans}
    for m in _TAG.finditer(text):
        if m.start(1) in taken:
            continue  # #TaylorSwift: one full name, found above
        parts = [(p.start(), p.end(), p.group().lower()) for p in _PART.finditer(text, m.start(1), m.end(1))]
        k = 0
        while k < len(parts):
            a, b, key = parts[k]
            prev = parts[k - 1][2] if k else ""
            flags = table.get(key, "")
            clean = "f" in flags and "w" not in flags and key not in english and key not in NOT_NAMES
            nxt = parts[k + 1][2] if k + 1 < len(parts) else ""
            nxt_flags = table.get(nxt, "")
            # a surname after the given name: a known one, even one that is a word (#TaylorSwiftErasTour),
            # or one no dictionary knows (#JohnnyDepp)
            surname = bool(nxt) and (
                ("l" in nxt_flags and (clean or nxt not in english))
                or (not nxt_flags and nxt not in english and len(nxt) >= 3)
            )
            # a given name no list knows is taken after a cue word (#GoKelceGo) or before a known
            # surname that is no word (#ZendayaColeman)
            unknown = (
                not flags
                and key not in english
                and len(key) >= 4
                and (prev in _TAG_CUES or ("l" in nxt_flags and nxt not in english))
            )
            if (clean or unknown) and prev not in _TAG_PLACES and key not in _TAG_PLACES and key not in STOP:
                end = b
                if surname and nxt not in STOP:
                    end = parts[k + 1][1]
                    k += 1
                spans.append((a, end, SINGLE_SCORE))
            k += 1


def capital_runs(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    """Two or three words in capitals, a given name that is no English word first and a known surname
    last: a name in a shouted post or a form printed in capitals ("LEBRON JAMES", "MARISOL AGUILAR")."""
    english = english_words()
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if (
            used[i]
            or not t.text.isupper()
            or len(t.text) < 3
            or "f" not in t.flags
            or "w" in t.flags
            or t.key in english
            or t.key in NOT_NAMES
            or code_context(text, t)
        ):
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 3 and not used[j] and text[toks[j - 1].end : toks[j].start] == " ":
            u = toks[j]
            if not (u.text.isupper() and (len(u.text) == 1 or (u.name and u.key not in STOP))):
                break
            j += 1
        while j - 1 > i and len(toks[j - 1].text) == 1:
            j -= 1
        last = toks[j - 1]
        if j - i >= 2 and "l" in last.flags and not code_context(text, last):
            spans.append((t.start, last.end, SINGLE_SCORE))
            for k in range(i, j):
                used[k] = True
            i = j
        else:
            i += 1
