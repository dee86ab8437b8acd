"""Names no other rule of the layer took, by the one thing they share: no word list knows them.

In posts and chat the model misses many names (nicknames, surnames alone, characters, names at a
sentence's start, lower-case names), and cue words are rare. A word that no dictionary, name-table
word (`w`), slang, brand or other list knows names a person, a place or a thing, and of those a
person is the one that cannot leak: it is taken as PERSON.

- in a chat line (chat signs, or no case at all; no code, form field, table or foreign-language
  text): a capitalised such word ("Shaq on the panel lmao", "Kayla from accounting just quit";
  one opening a sentence only where the line has chat signs), with the capitalised name after it
  ("Jalen Hurts"), and a lower-case one of 4+ letters with its surname ("zendaya posted",
  "jack antonoff");
- in a sentence of English prose of any register: a capitalised such word inside it ("I think
  Halvorsen was right"), or opening it as a verb's subject ("Kowalczyk said").

Not taken: inflected, prefixed, clipped or compound English words, clinical word endings, peoples
and languages, listed places and words after "in"/"at"/"near", abbreviations, mixed case, labels
before ":". The social over-masking budget (a place or a band masked) is far larger than a missed
person's cost."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

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
from maskgate.detect.names.informal import BRANDS, NOT_INFORMAL_NAMES, noun_position, standalone
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


def _unknown_cap(t: Tok) -> bool:
    """A capitalised word (not an initial, not all capitals, no contraction). The caller has ruled
    out English and listed words."""
    return (
        t.cap
        and not t.initial
        and not t.text.isupper()
        and len(t.key) >= 3
        and "w" not in t.flags
        and _CONTRACTION.search(t.key) is None
    )


def _kind(text: str, t: Tok, english: frozenset[str]) -> str:
    """ "cap" or "lower" for a word this rule may take as a name, judged by the word and its
    neighbours alone; "" for none. `t.key` is no English or listed word (the caller's set)."""
    cap = _unknown_cap(t)
    if not (cap or _unknown_lower(t, english)) or not standalone(text, t) or code_context(text, t):
        return ""
    if cap:
        if _LABEL_AFTER.match(text, t.end) or not _clean_hyphens(t.text, english):
            return ""  # "Prescriber:", "Emp #", "Follow-up": a form's label or a compound
        return "cap"
    if noun_position(text, t.start, True):
        return ""  # "the xbox", "my tensioner": a thing
    if _KEY_AFTER.match(text, t.end):
        return ""  # "oncall:" ending its line: a key of a config file
    if "f" not in t.flags and _MEDICAL.search(t.key):
        return ""  # "warfarin", "intracranial", "hypothyroidism": clinical words in a question
    return "lower"


def _inside_prose(text: str, toks: list[Tok], i: int, opens: bool, lines: _ChatLines) -> bool:
    """The capitalised word toks[i] stands inside a sentence of English prose, or opens one as a
    verb's subject ("Durant said", "Kowalczyk wrote"), and is no people, place or abbreviation."""
    t = toks[i]
    return (
        (not opens or subject_of_action(text, toks, i))
        and ("f" in t.flags or not (_MEDICAL.search(t.key) or _DEMONYM.search(t.key)))
        and t.key not in places.single_places()  # "Leeds", "Galway": the model's and places' to judge
        and _PLACE_BEFORE.search(text, max(0, t.start - 12), t.start) is None  # "in Leeds"
        and not _ABBREVIATION.match(text, t.end)  # "Sgt.", "Capt."
        and _plain_case(t.text)  # not "KCl", "mEq"
        and lines.prose(t.start)
    )


def _name_end(text: str, toks: list[Tok], i: int, used: list[bool]) -> tuple[int, bool]:
    """Index after the capitalised name starting at toks[i] ("Jalen Hurts", "Zoe Kravitz": a
    capitalised word right after, even one that is also a word), and whether the run is a
    speaker's label instead ("Pawfect Grooming: Hi yes!")."""
    n = len(toks)
    j = i + 1
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
    return j, label


def proper_names(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    english = english_words()
    # the words no list knows, by set difference: most tokens are ruled out here at C speed
    unknown = {t.key for t in toks}
    unknown -= english
    unknown -= _LISTED
    if not unknown:
        return
    lines: _ChatLines | None = None
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        kind = "" if used[i] or t.key not in unknown else _kind(text, t, english)
        if not kind:
            i += 1
            continue
        if lines is None:
            lines = _ChatLines(text)
        cap = kind == "cap"
        opens = sentence_start(text, t.start)
        # a capital that opens a sentence says nothing in a line written without case: chat signs needed
        inside = cap and _inside_prose(text, toks, i, opens, lines)
        if not inside and not lines.chatty(t.start, cap and opens):
            i += 1
            continue
        if cap:
            j, label = _name_end(text, toks, i, used)
            if label:
                i = j + 1
                continue
        else:
            last = surname_after(text, toks, i)  # "jack antonoff"
            j = last + 1 if last > 0 and not used[last] else i + 1
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


@lru_cache(maxsize=1)
def _sorted_english() -> list[str]:
    return sorted(english_words())


def _clipped(key: str) -> bool:
    """`key` begins a longer English word ("conf", "celeb", "crypto"): a clipped word, not a name."""
    words = _sorted_english()
    k = bisect_left(words, key)
    return k < len(words) and words[k].startswith(key) and len(words[k]) >= len(key) + 2


def _unknown_lower(t: Tok, english: frozenset[str]) -> bool:
    """A lower-case word of 4+ letters, no inflected or compound English word and no repeated-letter
    exclamation ("lmaooo", "yesss"). The caller has ruled out English and listed words."""
    key = t.key
    return (
        t.text.islower()
        and t.text.isalpha()
        and len(key) >= 4
        and "w" not in t.flags
        and _TRIPLE.search(key) is None
        and _VOWEL.search(key) is not None
        and not _word_like(key, english)
    )
