"""The rule layers' faster paths give what the plain ones give (benchmarks/bench_rules.py checks the
whole pipeline's spans on every dataset; these check each shortcut against its plain form)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maskgate.detect import address, fastre
from maskgate.detect.es import lang
from maskgate.detect.names import context, fields
from maskgate.detect.spans import Ranges
from maskgate.detect.trie import alternation

_RANGE = st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda r: (r[0], r[0] + r[1]))


@settings(max_examples=500, deadline=None)
@given(st.lists(_RANGE, max_size=12), st.integers(0, 50), st.integers(1, 15))
def test_ranges_contain_equals_a_scan_of_every_range(
    ranges: list[tuple[int, int]], start: int, size: int
) -> None:
    end = start + size
    assert Ranges(ranges).contain(start, end) == any(a <= start and end <= b for a, b in ranges)


def test_ranges_of_nothing_contain_nothing() -> None:
    assert not Ranges([]).contain(0, 1)
    assert Ranges([(0, 10), (2, 3)]).contain(4, 9)  # a short range after a long one hides nothing


def _plain_is_spanish(text: str) -> bool:
    """lang.is_spanish as first written: the whole sample lower-cased, joined, then counted."""
    sample = " ".join(t for t in text[: lang.SAMPLE].lower().split() if lang._plain(t))
    words = lang._WORD.findall(sample)
    if len(words) < 3:
        return False
    stop = sum(1 for w in words if w in lang.SPANISH_STOP)
    marked = sum(1 for w in words if w not in lang.SPANISH_STOP and lang._marked(w))
    en = sum(1 for w in words if w in lang.ENGLISH_STOP)
    es = stop + marked
    if en == 0 and marked >= 4:
        return True
    return stop >= 2 and es >= 3 and es >= 2 * en and es * 10 >= len(words)


_ES_PIECES = [
    "de",
    "la",
    "el",
    "the",
    "and",
    "ción",
    "José",
    "niño",
    "x@y.es",
    "web.com",
    "Σ",
    " ",
    "\n",
    "  ",
]


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[None]:
    """Windows of a few words, so that short generated texts have many windows."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(lang, "NEAR", 7)
        mp.setattr(lang, "SAMPLE", 20)
        lang.is_spanish.cache_clear()
        yield
    lang.is_spanish.cache_clear()
    lang._profiles.clear()


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(_ES_PIECES), min_size=1, max_size=60), data=st.data())
def test_spanish_near_equals_is_spanish_of_the_window(
    monkeypatch_module: None, pieces: list[str], data: st.DataObject
) -> None:
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    lang._profiles.clear()
    window = text[max(0, start - lang.NEAR) : end + lang.NEAR]
    assert lang.spanish_near(text, start, end) == _plain_is_spanish(window)
    assert lang.is_spanish(text) == _plain_is_spanish(text)


def test_spanish_near_on_a_long_mixed_text() -> None:
    spanish = "El paciente refiere dolor desde hace tres días y la exploración es normal. " * 30
    english = "The patient was seen in the clinic and the wound is healing well today. " * 30
    text = english + spanish + english
    for start in range(0, len(text) - 10, 97):
        window = text[max(0, start - lang.NEAR) : start + 10 + lang.NEAR]
        assert lang.spanish_near(text, start, start + 10) == _plain_is_spanish(window)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text("abAB.'", min_size=1, max_size=4), min_size=1, max_size=12),
    st.text("abAB.' ", max_size=8),
)
def test_trie_alternation_matches_what_the_plain_alternation_matches(words: list[str], probe: str) -> None:
    plain = re.compile("(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    trie = re.compile(alternation(words) + r"\b", re.IGNORECASE)
    for pos in range(len(probe) + 1):
        assert (plain.match(probe, pos) is None) == (trie.match(probe, pos) is None)
    for w in words:
        assert re.fullmatch(alternation(words), w)


_STREET_PIECES = ["straße", "Haupt", "str.", "gatan", "-Nord", "vej", "ſtr.", "x", "1", "12", " "]
_STREET_PIECES += ["\t", "\n", ".", "-", "_"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_STREET_PIECES), max_size=30))
def test_compound_hints_equal_the_whole_text_search(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = [m.span() for m in address._COMPOUND_HINT.finditer(text)]
    assert [m.span() for m in address._compound_hints(text)] == expected


def test_street_words_are_letters_and_dots() -> None:
    """What _compound_hints assumes: a street word is written with letters and dots only."""
    for word in address._COMPOUND.split("|"):
        assert re.fullmatch(r"(?:[^\W\d_]|\\\.)+", word), word
    text = "Hauptstraße 12, Str. 5, Koskikatu-Nord 3 and gatan 9"
    expected = [m.span() for m in address._COMPOUND_HINT.finditer(text)]
    assert len(expected) == 4 and [m.span() for m in address._compound_hints(text)] == expected


def _twinned() -> list[re.Pattern[str]]:
    cues = [context.STRONG_CUE, context.WEAK_CUE, context.SIGNOFF, context.LOWER_CUE, context.LOWER_VERB_CUE]
    cues += [context.RANK_CUE, context.ABBREVIATED_RANK]
    free = [re.compile(rx.pattern.removesuffix("$"), rx.flags) for rx in cues]
    names = ["_HINT_REGION", "_CONNECTOR", "_STANDALONE_UNIT", "_POSTCODE_CUE", "_CORNER", "_BROADWAY"]
    names += ["_US_STREET", "_EU_PREFIX_STREET", "_EU_PREFIX_STREET_NUM_FIRST", "_EU_SEP_SUFFIX_STREET"]
    names += ["_HU_HINT", "_HU_STREET", "_PO_BOX", "_MILITARY", "_BARE_STREET"]
    return free + [getattr(address, n) for n in names] + [fields._FIELD]


TWINNED = _twinned()
_ASCII_PIECES = [
    "my",
    "name",
    "is",
    "Dr.",
    "Mr",
    "Sgt.",
    "Jane",
    "Rose",
    "hi",
    "thanks,",
    "ask",
    "12",
    "221B",
    "Main",
    "St",
    "Apt",
    "4",
    "PO",
    "Box",
    "9",
    "zip:",
    "90210",
]
_ASCII_PIECES += ["—", "→", "’", "…", "–", "🤖", "≤", "×", "“"]  # no letter, digit, space or case
_ASCII_PIECES += ["Patient", "first name", "=", "**", '"', "'", "Dr", "lname", "given"]
_ASCII_PIECES += [
    "rue",
    "Via",
    "utca",
    "str.",
    "Hauptstrasse",
    " ",
    "  ",
    "\n",
    "\t",
    ",",
    "-",
    "_",
    ":",
    "K",
    "s",
    "I",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ASCII_PIECES), max_size=40))
def test_ascii_twins_find_what_the_patterns_find(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert fastre.twin_safe(text)
    for rx in TWINNED:
        twin = fastre.pick(rx, text)
        assert twin is not rx, rx.pattern[:40]
        assert [m.span() for m in twin.finditer(text)] == [m.span() for m in rx.finditer(text)]


def test_no_twin_where_ascii_and_unicode_modes_differ() -> None:
    for pattern in [
        "\u212a",
        "[\u0100-\u017f]x",
        r"\N{LATIN SMALL LETTER LONG S}",
        "(?u)a",
        "\u0130",
        "\u0131",
    ]:
        rx = re.compile(pattern, re.IGNORECASE)
        assert fastre.twin(rx) is None, pattern
    # U+001C..U+001F are white space to Unicode `\s` only; other non-ASCII text keeps the pattern
    for text in ["a\x1cb", "Zoë", "straße 5", "x²", "a\u00a0b", "\u01c5", "\u212a"]:
        assert not fastre.twin_safe(text)
        assert fastre.pick(context.STRONG_CUE, text) is context.STRONG_CUE
    assert fastre.twin(re.compile("[é’]x", re.IGNORECASE)) is not None  # no ASCII case partner
