"""Names in posts and chats, where case says little: lines written all in lower case or all in
capitals, letters repeated for emphasis ("Mikeee", "sarahhh"), a name with an age or an age/sex tag
("Priya, 29", "jake (26M)"), a dash sign-off ("... thanks! - Jen"), a second name joined to a found
one ("sarah and mike"), and the lower-case subject of a speech or chat verb ("grace pushed it").

Every rule here needs a gazetteer given name *and* a position that says "person"; a name that is
also an ordinary word ("will", "mark", "rose") is taken only where the position is strong (a
relation word, an age tag, a verb of speech), never from the word alone."""

from __future__ import annotations

import re

from maskgate.detect.names.context import (
    ACTION_VERBS,
    AUXILIARIES,
    FOREIGN_STOP,
    PERSON_VERBS,
    SINGLE_SCORE,
    Tok,
    code_context,
)
from maskgate.detect.words import LEADING_NON_NAME, NOT_NAMES, STOP, english_words, word_list

# Chat and post slang that the gazetteer lists as a name somewhere ("haha", "xd", "ty", "bro"):
# never a name, nor a surname after one ("oscar haha").
SLANG = frozenset(
    word_list(
        """
        lol lolol lmao lmfao rofl omg omfg tbh idk idc ngl smh imo imho btw brb rn tho bc cuz pls plz
        thx ty tysm ily ikr wtf af fr istg irl fyi hmu dm dms ur u im ive haha hahaha hehe hihi xd xo xoxo
        yay yep yup nah nope ok okay k kk ugh ew aww aw bruh bro bros sis fam yall y'all gonna wanna gotta
        dunno lemme gimme ya yah yeah yea mate lad lads dude dudes hun hon babe bae ma pa mom dad mum
        queen king boy man honey papa mama angel darling sweetie princess star baby girl legend champ
        """
    )
)
# Verbs of speech and chat after a lower-case subject ("grace pushed it", "tom texted me").
CHAT_VERBS = ACTION_VERBS | frozenset(
    word_list(
        """
        pushed merged fixed deployed dm'd dmed texted messaged pinged replied posted shared tagged
        invited blocked unfollowed followed liked retweeted commented mentioned showed brought got
        """
    )
)
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")


def collapse_repeats(key: str, table: dict[str, str]) -> str:
    """A word stretched for emphasis, back to its dictionary form: "mikeee" -> "mike", "youuu" ->
    "you", "annnna" -> "anna"; `key` itself when no letter repeats three times or no form is known."""
    if len(key) < 4 or _REPEAT.search(key) is None:
        return key
    forms = [_REPEAT.sub(r"\1", key), _REPEAT.sub(r"\1\1", key)]
    for short in forms:  # a stretched word first: "willll" is "will", not the name "wil"
        if short in STOP or short in english_words():
            return short
    return next((short for short in forms if short in table), key)


# A determiner before a word makes it a noun ("my mic", "the app"); chat's "its" is "it's" ("hey its rachel").
_OWNED = re.compile(
    r"\b(?:the|a|an|this|that|my|your|our|their|his|her|no|every|each|some|any|more|much)[ \t]+$",
    re.IGNORECASE,
)


def owned(text: str, start: int) -> bool:
    return _OWNED.search(text, max(0, start - 8), start) is not None


_SPEAKER_PREFIX = re.compile(
    r"[ \t>]*(?:\[[^\]\n]{1,30}\][ \t]*)?(?:[^\s:<>]{1,30}(?:[ \t]+[^\s:<>]{1,20}){0,2}(?:[ \t]+\([^)\n]{1,20}\))?:[ \t]|<[^>\n]{1,30}>[ \t]*)"
)
_NOISE = re.compile(r"(?:[@#]|https?://)[^\s]*")


def caseless_line(text: str, start: int, end: int) -> bool:
    """The writer of this line uses no case: it is all lower case (a capital only at its first
    letter and in "I"), or shouted all in capitals (prose of three words or more). A speaker label
    ("Visitor: ", "<rhea_m> "), @handles, hashtags and links are left out of the judgement."""
    a = max(text.rfind("\n", 0, start) + 1, start - 160)
    b = text.find("\n", end)
    b = min(len(text) if b < 0 else b, end + 160)
    m = _SPEAKER_PREFIX.match(text, a, start)
    line = _NOISE.sub(" ", text[m.end() if m else a : b])
    # slang keeps its case whatever the writer does with the rest: "lmaooo DEREK WHY WOULD YOU"
    words = [w for w in line.split() if _REPEAT.sub(r"\1", w.lower().strip(".,!?")) not in SLANG]
    line = " ".join(words)
    if not words:
        return False
    upper = sum(1 for w in words[1:] for c in w if c.isupper() and w not in ("I", "I'm", "I'll", "I've"))
    upper += sum(1 for c in words[0][1:] if c.isupper())
    if upper == 0:
        return True
    lower = sum(1 for c in line if c.islower())
    alpha = [w.strip(".,!?:;'\"()").lower() for w in words if any(c.isalpha() for c in w)]
    if lower or len(alpha) < 3:
        return False
    # shouted: mostly ordinary words, so not a constant, a code or a table of upper-case labels
    english = english_words()
    return sum(1 for w in alpha if w in english) * 2 >= len(alpha)


def _nameable(t: Tok) -> bool:
    return (
        "f" in t.flags
        and not t.initial
        and len(t.text) >= 2
        and not (t.text.isupper() and len(t.text) <= 3)  # "— HR", "CI": abbreviations
        and t.key not in NOT_NAMES
        and t.key not in STOP
        and t.key not in SLANG
        and t.key not in LEADING_NON_NAME
        and t.key not in FOREIGN_STOP
        and t.key not in AUXILIARIES
    )


def surname_after(text: str, toks: list[Tok], i: int) -> int:
    """Index of a surname right after the lower-case or shouted given name toks[i] ("jesse pinkman",
    "justin bieber", "taylor swift"), or -1: a known surname that is no ordinary word, a word no
    dictionary knows (most surnames), or, after a given name that is no word, a surname that is."""
    if i + 1 >= len(toks) or text[toks[i].end : toks[i + 1].start] != " ":
        return -1
    t, nxt = toks[i], toks[i + 1]
    if nxt.cap or nxt.initial or (nxt.text.isupper() != t.text.isupper()) or code_context(text, nxt):
        return -1
    key = nxt.key
    if key in STOP or key in SLANG or key in FOREIGN_STOP or key in AUXILIARIES or len(key) < 3:
        return -1
    english = english_words()
    if _plain_surname(nxt, english):
        return _second_surname(text, toks, i + 1, english)
    clean_first = "w" not in t.flags and t.key not in english
    verbal = key in PERSON_VERBS or key in CHAT_VERBS or _inflected(key, english)
    if "l" in nxt.flags and clean_first and not verbal:
        return i + 1
    return -1


def _inflected(key: str, english: frozenset[str]) -> bool:
    """A verb form ("yelling", "smiled", "running", "joked"), not a surname that only ends like one
    ("gosling", "sterling", "reed")."""
    for end in ("ing", "ed"):
        if key.endswith(end) and len(key) > len(end) + 2:
            stem = key[: -len(end)]
            if stem in english or stem + "e" in english or (stem[-1] == stem[-2:-1] and stem[:-1] in english):
                return True
    return False


_O_SURNAME = re.compile(r"o['’][a-z]{3,}")  # "o'neal", "o’malley"


def _plain_surname(t: Tok, english: frozenset[str]) -> bool:
    """A surname no English word is: one of the name table's, an Irish "o'neal", or a word no
    dictionary knows ("antonoff", "ginsburg")."""
    key = t.key
    if key in english or key in NOT_NAMES or key in STOP or key in SLANG or key in FOREIGN_STOP:
        return False
    if "l" in t.flags:
        return True
    return not t.flags and len(key) >= 4 and (t.text.isalpha() or _O_SURNAME.fullmatch(key) is not None)


def _second_surname(text: str, toks: list[Tok], j: int, english: frozenset[str]) -> int:
    """j, or j + 1 where a second surname follows the first ("ruth bader ginsburg")."""
    k = j + 1
    if k >= len(toks) or text[toks[j].end : toks[k].start] != " ":
        return j
    nxt = toks[k]
    if nxt.cap or nxt.initial or nxt.text.isupper() != toks[j].text.isupper() or len(nxt.key) < 4:
        return j
    if nxt.key in AUXILIARIES or code_context(text, nxt) or not _plain_surname(nxt, english):
        return j
    return k


# -- "sarah and mike", "mike & sarah": a name joined to a name already found ----------------------
def joined_names(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    n = len(toks)
    for i in range(n):
        t = toks[i]
        if not used[i] or t.cap or "f" not in t.flags:
            continue
        for k, gap_tok in ((i + 2, i + 1), (i - 2, i - 1), (i + 1, -1), (i - 1, -1)):
            if not 0 <= k < n or used[k]:
                continue
            lo, hi = (i, k) if k > i else (k, i)
            if gap_tok >= 0:
                if toks[gap_tok].key not in ("and", "n") or text[toks[lo].end : toks[hi].start] != (
                    f" {toks[gap_tok].text} "
                ):
                    continue
            elif re.fullmatch(r"[ \t]*&[ \t]*|,[ \t]*", text[toks[lo].end : toks[hi].start]) is None:
                continue
            u = toks[k]
            if u.cap or not _nameable(u) or u.text.isupper() != t.text.isupper() or code_context(text, u):
                continue
            after = toks[k + 1] if k + 1 < n else None
            verb_after = after is not None and (after.key in AUXILIARIES or after.key in PERSON_VERBS)
            if k > i and verb_after and "w" in u.flags:
                continue  # "sarah and will be there"
            if gap_tok < 0 and "w" in u.flags and k > i and not _LIST_GOES_ON.match(text, u.end):
                continue  # "thanks mike, rose early today": a comma joins a name only inside a list
            spans.append((u.start, u.end, SINGLE_SCORE))
            used[k] = True


_LIST_GOES_ON = re.compile(r"[ \t]*(?:,|&|and\b|n\b|$|\r?\n|[!.])")


# -- "Priya, 29", "jake (26M)", "Tasha, 16,": a name with the person's age ---------------------------
_AGE_AFTER = re.compile(
    r"(?:,[ \t]*\d{1,2}(?=[ \t]*(?:[,.;!)]|$|\n|y/?o\b|years?\b|yrs?\b|[MFmf]\b))(?![.,]\d)"
    r"|[ \t]*\((?:\d{1,2}[ \t]?[MFmfNB]{1,2}|[MFmf][ \t]?\d{1,2}|\d{1,2})\))"
)


def aged_names(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    if "," not in text and "(" not in text:
        return
    for i, t in enumerate(toks):
        aux_name = t.cap and t.key in AUXILIARIES and "f" in t.flags  # "Will, 34"
        if used[i] or not (_nameable(t) or aux_name) or code_context(text, t):
            continue
        if not (t.cap or t.text.isupper() or t.text.islower()):
            continue
        if _AGE_AFTER.match(text, t.end) is None:
            continue
        start = i
        while (
            start > 0
            and not used[start - 1]
            and text[toks[start - 1].end : toks[start].start] == " "
            and toks[start - 1].name
            and toks[start - 1].cap == t.cap
            and toks[start - 1].key not in STOP
            and (toks[start - 1].cap or toks[start - 1].key not in english_words())  # "married brooke (29F)"
            and i - start < 2
        ):
            start -= 1  # "Tasha Renee Coleman, 16": the whole name
        spans.append((toks[start].start, t.end, SINGLE_SCORE))
        for k in range(start, i + 1):
            used[k] = True


# -- "... great service. - Jen, Hearth & Loom", "see you there -jen 💕": a dash sign-off ---------------
_DASH_BEFORE = re.compile(r"(?:^|(?<=[.!?)\]\s]))[ \t]*[-–—~][ \t]?$")
_SIGNOFF_AFTER = re.compile(r"[ \t]*(?:,|\r?\n|$|[^\w\s,.]{1,8}[ \t]*(?:\r?\n|$)|\.[ \t]*(?:\r?\n|$))")


def dash_signoffs(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    if "-" not in text and "–" not in text and "—" not in text and "~" not in text:
        return
    for i, t in enumerate(toks):
        if used[i] or not _nameable(t) or t.start == 0:
            continue
        if (
            text[t.start - 1] not in "-–—~ \t"
            or _DASH_BEFORE.search(text, max(0, t.start - 4), t.start) is None
        ):
            continue
        if i + 1 < len(toks) and toks[i + 1].start == t.end + 1 and text[t.end] == " ":
            # "- Jen Marlow": a surname after the given name
            nxt = toks[i + 1]
            if nxt.cap == t.cap and nxt.name and _SIGNOFF_AFTER.match(text, nxt.end):
                spans.append((t.start, nxt.end, SINGLE_SCORE))
                used[i] = used[i + 1] = True
                continue
        if _SIGNOFF_AFTER.match(text, t.end) is None:
            continue
        if "w" in t.flags and not t.cap:
            continue  # "- will" on its own line: a word as likely as a name
        spans.append((t.start, t.end, SINGLE_SCORE))
        used[i] = True


# -- "grace pushed the fix", "lol tom said no": a lower-case subject of a speech or chat verb ---------
def lower_subjects(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    n = len(toks)
    for i, t in enumerate(toks):
        if used[i] or t.cap or i + 1 >= n or not _nameable(t):
            continue
        verb = toks[i + 1]
        if verb.key not in CHAT_VERBS or text[t.end : verb.start] != " " or verb.cap:
            continue
        k = t.start - 1
        while k >= 0 and text[k] in " \t":
            k -= 1
        opens = k < 0 or text[k] in ".!?\n:;>,)" or not (text[k].isalnum() or text[k] in "'’\"")
        if not (opens or (i > 0 and toks[i - 1].key in SLANG)):
            continue  # "lol tom said": after slang a clause starts too
        if code_context(text, t) or not caseless_line(text, t.start, t.end):
            continue
        spans.append((t.start, t.end, SINGLE_SCORE))
        used[i] = True


# -- "Sarahhh", "jakeee😂": a given name stretched for emphasis is someone addressed or talked about --
def stretched_names(
    text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
) -> None:
    english = english_words()
    for i, t in enumerate(toks):
        if used[i] or len(t.text) <= len(t.key) + 1 or not _nameable(t):
            continue
        if "w" in t.flags or t.key in english or code_context(text, t):
            continue  # "Helllo", "sooo", "Willll": stretched words, not names
        spans.append((t.start, t.end, SINGLE_SCORE))
        used[i] = True
