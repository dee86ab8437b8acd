"""Capitalised proper nouns in informal lines that no other rule took: "Durant looked tired",
"Kayla from accounting just quit", "Was Snape good or bad tho", "Shaq on the panel".

In posts and chat the model misses many names (nicknames, surnames alone, characters, names at a
sentence's start), and cue words are rare. A capitalised word there that is no English word, no word
of the name table's (`w`), no slang and no known brand names a person, a place or a thing, and of
those a person is the one that cannot leak: it is taken as PERSON, with a following capitalised name
("Jalen Hurts"). The social over-masking budget (a place or a band masked) is far larger than a
missed person's cost. Only in informal lines (informal.Lines), never in code."""

from __future__ import annotations

import re
from bisect import bisect_left

from maskgate.detect.names import places
from maskgate.detect.names.context import (
    AUXILIARIES,
    FOREIGN_STOP,
    SINGLE_SCORE,
    Tok,
    code_context,
    sentence_start,
    subject_of_action,
)
from maskgate.detect.names.informal import BRANDS, NOT_INFORMAL_NAMES, _noun_position, standalone
from maskgate.detect.names.social import SLANG, caseless_line, surname_after
from maskgate.detect.words import LEADING_NON_NAME, NOT_NAMES, STOP, english_words, word_list


def _plain_case(word: str) -> bool:
    """Capitals only at the start of each part: "Okonjo-Iweala", "O'Brien"; not "KCl"."""
    return all(not any(c.isupper() for c in part.split("'")[-1][1:]) for part in word.split("-"))


def _clean_hyphens(word: str, english: frozenset[str]) -> bool:
    """No hyphen, or a double name whose halves are capitalised and no English words
    ("Okonjo-Iweala"; not "Follow-up", "X-bcc", "Jan-Mar")."""
    parts = word.split("-")
    return len(parts) == 1 or all(
        len(p) > 2
        and p[0].isupper()
        and p[1:].islower()
        and p.lower() not in english
        and p.lower() not in NOT_INFORMAL_NAMES  # "Mon-Fri", "Sept-Oct"
        for p in parts
    )


def _unknown_cap(t: Tok, english: frozenset[str]) -> bool:
    """A capitalised word (not an initial, not all capitals) that is no English or listed word."""
    key = t.key
    return (
        t.cap
        and not t.initial
        and not t.text.isupper()
        and len(key) >= 3
        and "w" not in t.flags
        and key not in english
        and key not in _LISTED
        and _CONTRACTION.search(key) is None
    )


def proper_names(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    english = english_words()
    lines: _ChatLines | None = None
    # the words no list knows, by set difference: most tokens are ruled out here at C speed
    unknown = {t.key for t in toks}
    unknown -= english
    unknown -= _LISTED
    if not unknown:
        return
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if used[i] or t.key not in unknown:
            i += 1
            continue
        cap = _unknown_cap(t, english)
        if not (cap or _unknown_lower(t, english)) or not standalone(text, t) or code_context(text, t):
            i += 1
            continue
        if not cap and _noun_position(text, t.start, True):
            i += 1  # "the xbox", "my tensioner": a thing
            continue
        if cap and (_LABEL_AFTER.match(text, t.end) or not _clean_hyphens(t.text, english)):
            i += 1  # "Prescriber:", "Emp #", "Follow-up": a form's label or a compound
            continue
        if not cap and _KEY_AFTER.match(text, t.end):
            i += 1  # "oncall:" ending its line: a key of a config file
            continue
        if not cap and "f" not in t.flags and _MEDICAL.search(t.key):
            i += 1  # "warfarin", "intracranial", "hypothyroidism": clinical words in a question
            continue
        if lines is None:
            lines = _ChatLines(text)
        # a capital that opens a sentence says nothing in a line written without case: chat signs needed
        opens = sentence_start(text, t.start)
        # inside a sentence of English prose a capitalised word no dictionary knows is a name (or a
        # place, a firm, a brand) in any register; elsewhere only in chat
        inside = (
            cap
            and (not opens or subject_of_action(text, toks, i))  # "Durant said", "Kowalczyk wrote"
            and ("f" in t.flags or not (_MEDICAL.search(t.key) or _DEMONYM.search(t.key)))
            and t.key not in places.single_places()  # "Leeds", "Galway": the model's and places' to judge
            and _PLACE_BEFORE.search(text, max(0, t.start - 12), t.start) is None  # "in Leeds"
            and not _ABBREVIATION.match(text, t.end)  # "Sgt.", "Capt."
            and _plain_case(t.text)  # not "KCl", "mEq"
            and lines.prose(t.start)
        )
        if not inside and not lines.chatty(t.start, cap and opens):
            i += 1
            continue
        j = i + 1
        if cap:
            # "Jalen Hurts", "Zoe Kravitz": a capitalised name right after, even one that is also a word
            while j < n and j - i < 3 and not used[j] and text[toks[j - 1].end : toks[j].start] == " ":
                nxt = toks[j]
                if not nxt.cap or nxt.initial or nxt.text.isupper() or nxt.key in STOP:
                    break
                if nxt.key in AUXILIARIES or "w" in nxt.flags or code_context(text, nxt):
                    break
                j += 1
            label = j - 1 > i and _LABEL_AFTER.match(text, toks[j - 1].end) is not None
            if not label and j < n and toks[j].cap and text[toks[j - 1].end : toks[j].start] == " ":
                label = _LABEL_AFTER.match(text, toks[j].end) is not None
            if label:
                i = j + 1  # "Pawfect Grooming: Hi yes!": a speaker's label, not a person
                continue
        else:
            last = surname_after(text, toks, i)  # "jack antonoff"
            if last > 0 and not used[last]:
                j = last + 1
        spans.append((t.start, toks[j - 1].end, SINGLE_SCORE))
        for k in range(i, j):
            used[k] = True
        i = j


_LABEL_AFTER = re.compile(r"[ \t]*[:#]")
_DEMONYM = re.compile(r"(?:ian|ese|ish|ean|ic|ew|ai|i)$")  # "Asian", "Korean", "Hebrew": peoples, languages
_PLACE_BEFORE = re.compile(r"\b(?:in|near|at|across|outside|around|via)[ \t]+$", re.IGNORECASE)
_ABBREVIATION = re.compile(r"\.(?:[ \t]+[A-Z]|$)")
_KEY_AFTER = re.compile(r"[ \t]*:[ \t]*(?:\n|$)")
_MEDICAL = re.compile(
    r"(?:ine|ol|il|ide|ate|one|ium|pam|lam|ism|itis|osis|emia|ectomy|otomy|scopy|graphy|ology|gram|"
    r"plasty|algia|pathy|uria|ase|arin|aban|mab|nib|vir|cin|zole|pine|tal|nal|cal|ial|eal|ral|ic|ous|ary|ive|"
    r"oid|osin|us|um)$"
)
_FIELD = re.compile(r"[ \t]*[A-Z][\w /#.-]{0,30}:[ \t]")
# Chat signals: slang, an emoji, a lower-case "i", "u"/"ur", "!!" or "??". Words are split at
# anything but letters, apostrophes and slashes, so "F/u" holds no "u".
_CHAT_WORDS = frozenset(
    word_list(
        """
        lol lmao lmfao omg tbh idk ngl smh thx pls plz rn u ur ya yall y'all y’all bro fr af imo tho
        """
    )
)
_CASED_CHAT_WORDS = frozenset({"i", "i'm", "i’m", "i'll", "i've", "i'd"})
_LINE_WORDS = re.compile(r"[A-Za-z'’/]+")
_CHAT_MARKS = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]|[!?]{2}")


def _chat_signs(line: str) -> bool:
    words = set(_LINE_WORDS.findall(line))
    if words & _CASED_CHAT_WORDS or {w.lower() for w in words} & _CHAT_WORDS:
        return True
    return _CHAT_MARKS.search(line) is not None


# Code and markup in a line: no chat there, whatever its case. The characters first (one set
# operation), the rarer shapes by regex only where their character occurs.
_CODE_CHARS = frozenset("{}();=<>`|\\")
_WORD_COMMA = re.compile(r"\w,\w")  # CSV: `id,name,email`
_JSON_KEY = re.compile(r"\"\w+\"\s*:")
_FLAG = re.compile(r"(?:^|\s)--?[a-zA-Z]")  # `-m`, `--user`
_PATH = re.compile(r"(?:^|\s)/\w+/")


def _code_line(line: str) -> bool:
    if not _CODE_CHARS.isdisjoint(line):
        return True
    body = line.strip()
    if body[:1] in ("$", "#", ">") or body.startswith(("from ", "import ")):
        return True  # a shell prompt, a comment or quote, an import
    if "   " in body or '","' in line or " $ " in line:
        return True  # aligned columns, quoted CSV, a prompt inside the line
    return (
        ("," in line and _WORD_COMMA.search(line) is not None)
        or ('"' in line and _JSON_KEY.search(line) is not None)
        or ("-" in line and _FLAG.search(line) is not None)
        or ("/" in line and _PATH.search(line) is not None)
    )


_WORD = re.compile(r"[^\W\d_]{3,}")


def _english_line(line: str) -> bool:
    """At least half the line's words of 3+ letters are English words, slang or function words."""
    english = english_words()
    words = _WORD.findall(line.lower())
    known = sum(1 for w in words if w in english or w in SLANG or w in STOP)
    return known * 2 >= len(words)


_CASED = 8


class _ChatLines:
    """Judgements of the line around a position, each made once per line (and only when asked):
    chatty (chat signs or no case, no code) and prose (English, no code, no form field)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cache: dict[tuple[int, str], bool] = {}

    def _bounds(self, start: int) -> tuple[int, int]:
        a = self.text.rfind("\n", 0, start) + 1
        b = self.text.find("\n", start)
        return a, len(self.text) if b < 0 else b

    def _get(self, a: int, b: int, what: str) -> bool:
        key = (a, what)
        if key not in self.cache:
            text = self.text
            if what == "code":
                value = _code_line(text[a:b])
            elif what == "form":
                value = self._get(a, b, "code") or _FIELD.match(text, a, b) is not None
            elif what == "english":  # "se observó una lesión...": no names among words no dictionary knows
                value = _english_line(text[a:b])
            elif what == "signs":
                value = _chat_signs(text[a:b])
            else:  # "caseless": the writer uses no case (judged once, at the line's first candidate)
                # many capitals beside lower-case letters: cased writing, without the full judgement
                upper = sum(map(str.isupper, text[a:b]))
                value = (upper <= _CASED or upper * 2 > b - a) and caseless_line(text, a, a)
            self.cache[key] = value
        return self.cache[key]

    def chatty(self, start: int, signs_only: bool = False) -> bool:
        a, b = self._bounds(start)
        if not self._get(a, b, "english"):
            return False
        if self._get(a, b, "signs"):
            return not self._get(a, b, "code")
        return not signs_only and self._get(a, b, "caseless") and not self._get(a, b, "form")

    def prose(self, start: int) -> bool:
        """The line is English and neither code nor a form's field."""
        a, b = self._bounds(start)
        return not self._get(a, b, "form") and self._get(a, b, "english")


# Chat nouns no dictionary lists: "love u bestie", "send the deets", "enter creds".
_CHAT_NOUNS = frozenset(
    word_list(
        """
        bestie besties deets creds asap selfie selfies hubby wifey fave faves bae fam convo convos
        vibe vibes meme memes emoji emojis stan stans bday sesh preggo coworkers roomie roomies
        """
    )
)
# Function words, slang, chat nouns, brands and the other word lists no name is taken from.
_LISTED = (
    NOT_NAMES
    | STOP
    | LEADING_NON_NAME
    | SLANG
    | FOREIGN_STOP
    | AUXILIARIES
    | BRANDS
    | NOT_INFORMAL_NAMES
    | _CHAT_NOUNS
)
_CONTRACTION = re.compile(r"['’](?:t|s|ll|re|ve|d|m)$")  # "Can't", "Who's"
_TRIPLE = re.compile(r"(.)\1\1")
_VOWEL = re.compile(r"[aeiouy]")
_AFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "y", "ly", "'s", "izer", "ize", "ized", "ization")


def _word_like(key: str, english: frozenset[str]) -> bool:
    """An inflected, prefixed, clipped or compound English word the word list lacks: "lookups",
    "rebook", "tokenizer", "celeb" ("celebrity"), "cardholder"."""
    for suffix in _AFFIXES:
        if key.endswith(suffix) and (key[: -len(suffix)] in english or key[: -len(suffix)] + "e" in english):
            return True
    for prefix in ("re", "un", "pre"):
        if key.startswith(prefix) and key[len(prefix) :] in english:
            return True
    if _clipped(key):
        return True
    return any(key[:k] in english and key[k:] in english for k in range(3, len(key) - 2))


_SORTED: list[str] = []


def _clipped(key: str) -> bool:
    """`key` begins a longer English word ("conf", "celeb", "crypto"): a clipped word, not a name."""
    if not _SORTED:
        _SORTED.extend(sorted(english_words()))
    k = bisect_left(_SORTED, key)
    return k < len(_SORTED) and _SORTED[k].startswith(key) and len(_SORTED[k]) >= len(key) + 2


def _unknown_lower(t: Tok, english: frozenset[str]) -> bool:
    """A lower-case word of 4+ letters that is no English word, slang or listed word, and not a
    repeated-letter exclamation ("lmaooo", "yesss")."""
    key = t.key
    return (
        t.text.islower()
        and t.text.isalpha()
        and len(key) >= 4
        and "w" not in t.flags
        and key not in english
        and key not in _LISTED
        and _TRIPLE.search(key) is None
        and _VOWEL.search(key) is not None
        and not _word_like(key, english)
    )
