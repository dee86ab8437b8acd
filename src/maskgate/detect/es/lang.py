"""Is a text written in Spanish? A cheap function-word count: the English NER model mislabels
Spanish text (`Antecedentes`, `Exploración` become people), so the `es` pack adjusts there."""

from __future__ import annotations

import operator
import re
from array import array
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate

from maskgate.detect.words import word_list

# Frequent function words that English does not share (`a`, `no`, `me`, `he` are left out).
SPANISH_STOP = frozenset(
    word_list(
        """
    de la el los las del que y en con por para una un es se su sus al lo como más mas pero le les sin
    este esta estos estas ese esa eso entre cuando fue era está están muy desde hasta también tras
    sobre ha han había ya donde porque cual cuál según durante sido ser son tiene tienen nos mi
    mis usted ustedes ella ellos nuestro nuestra dicho dicha presenta refiere realiza mediante
    paciente años hace otro otra otros otras todo toda todos todas cada ni e u o
    """
    )
)
ENGLISH_STOP = frozenset(
    word_list(
        """
    the and of to is in that it with for was on as are be this by at from or have an not his her
    which were been has had will would their they there what when who about into than them then
    these those our your you we she he
    """
    )
)
_WORD = re.compile(r"[^\W\d_]+")
# Spelling English does not use: `ñ`, acute accents, `-ción`, `-ología` (headings and forms with few
# function words: `Exploración física`, `Diagnóstico`).
_ACCENTED = frozenset("ñáéíóú")
_SUFFIXES = ("ción", "ciones", "sión", "siones", "dad", "ología", "mente")
_TLDS = frozenset({"es", "com", "org", "net", "mx", "ar", "co", "cl", "pe", "cat", "eus", "gal"})


def _marked(word: str) -> bool:
    return word.endswith(_SUFFIXES) or not _ACCENTED.isdisjoint(word)


def _plain(token: str) -> bool:
    """Not an e-mail address, URL or domain: those say nothing of the language (`josé@correo.es`)."""
    if "@" in token or "://" in token:
        return False
    head, dot, tail = token.rstrip(".,;:)>").rpartition(".")
    return not (dot and head and tail in _TLDS)


# Enough text to judge: the first few thousand characters say which language a text is in.
SAMPLE = 4000


def _counts(token: str) -> tuple[int, int, int, int]:
    """(Spanish function words, Spanish-spelt words, English function words, words) of one
    whitespace-free piece of text (lower-cased here). Kept per token: most tokens repeat."""
    found = _token_counts.get(token)
    if found is None:
        if len(_token_counts) >= 50_000:
            _token_counts.clear()
        found = _token_counts[token] = _count(token)
    return found


_token_counts: dict[str, tuple[int, int, int, int]] = {}


def _count(token: str) -> tuple[int, int, int, int]:
    token = token.lower()
    if not _plain(token):
        return _NONE
    words = _WORD.findall(token)
    stop = marked = en = 0
    for w in words:
        if w in SPANISH_STOP:
            stop += 1
        elif _marked(w):
            marked += 1
        if w in ENGLISH_STOP:
            en += 1
    return stop, marked, en, len(words)


_NONE = (0, 0, 0, 0)


def _verdict(stop: int, marked: int, en: int, words: int) -> bool:
    if words < 3:
        return False
    es = stop + marked
    if en == 0 and marked >= 4:
        return True
    return stop >= 2 and es >= 3 and es >= 2 * en and es * 10 >= words


@lru_cache(maxsize=64)
def is_spanish(text: str) -> bool:
    """Spanish function words (at least two) and Spanish-spelt words together at least 3, twice as
    many as English function words and one word in ten; or, with no English function word at all,
    four Spanish-spelt words (headings: `Exploración física`, `Diagnóstico`). Names alone
    (`José García` in English text) do not make a text Spanish."""
    stop = marked = en = words = 0
    for token in text[:SAMPLE].split():  # words never cross white space: counted token by token
        a, b, c, d = _counts(token)
        stop, marked, en, words = stop + a, marked + b, en + c, words + d
    return _verdict(stop, marked, en, words)


# Around one span: a long text may mix languages, and a span's neighbourhood must decide alike
# whether the text is analysed whole or in slices (detect/pool.py runs the model on slices with one
# 5,000-character chunk on either side).
NEAR = 1500


def spanish_near(text: str, start: int, end: int) -> bool:
    """Is the text around `text[start:end]` (NEAR characters either side) Spanish? The same answer
    as `is_spanish` of that window; on a text longer than one window the counts come from sums
    over the text's tokens, kept per text (one window per span made a long text quadratic)."""
    lo = max(0, start - NEAR)
    hi = min(len(text), end + NEAR, lo + SAMPLE)  # is_spanish reads the window's first SAMPLE chars
    if lo == 0 and hi == len(text):
        return is_spanish(text)
    return _profile(text).window(lo, hi)


class _Profile:
    """A text's whitespace-separated tokens and running sums of their counts (compact arrays: a
    long text has hundreds of thousands of tokens)."""

    def __init__(self, text: str) -> None:
        self.text = text
        words = text.split()  # the tokens of _TOKEN.finditer (one definition of white space)
        get = _token_counts.get
        counts = [get(w) or _counts(w) for w in words]
        self.starts = array("q", [m.start() for m in _TOKEN.finditer(text)])
        self.ends = array("q", map(operator.add, self.starts, map(len, words)))
        # sums[i][k]: count i over tokens[:k]
        self.sums = [array("q", accumulate((c[i] for c in counts), initial=0)) for i in range(4)]

    def window(self, lo: int, hi: int) -> bool:
        """is_spanish(text[lo:hi]) for hi - lo <= SAMPLE."""
        text = self.text
        first = bisect_right(self.ends, lo)  # the first token ending after lo
        last = bisect_left(self.starts, hi)  # tokens[first:last] overlap the window
        if first >= last:
            return False
        a, b = first, last  # tokens wholly inside
        head = tail = _NONE
        if self.starts[first] < lo:  # cut by the window's start: its part inside counts
            head = _counts(text[lo : min(self.ends[first], hi)])
            a += 1
        if last - 1 >= a and self.ends[last - 1] > hi:  # cut by the window's end
            tail = _counts(text[self.starts[last - 1] : hi])
            b -= 1
        b = max(a, b)
        return _verdict(*(sums[b] - sums[a] + head[i] + tail[i] for i, sums in enumerate(self.sums)))


_TOKEN = re.compile(r"\S+")
_profiles: dict[str, _Profile] = {}


def _profile(text: str) -> _Profile:
    found = _profiles.get(text)
    if found is None:
        if len(_profiles) >= 4:
            _profiles.clear()
        found = _profiles[text] = _Profile(text)
    return found
