"""Case-sensitive twins over the lower-cased text find what the case-insensitive patterns find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from maskgate.detect import address, foldre
from maskgate.detect.names import context
from maskgate.detect.patterns.base import RequiredWords

CUES = [context.STRONG_CUE, context.WEAK_CUE, context.SIGNOFF, context.LOWER_CUE, context.LOWER_VERB_CUE]
FOLDED = [re.compile(rx.pattern.removesuffix("$"), rx.flags) for rx in CUES]
FOLDED += [address._US_STREET, address._EU_PREFIX_STREET, address._EU_PREFIX_STREET_NUM_FIRST]
FOLDED += [address._EU_SEP_SUFFIX_STREET, address._HU_HINT, address._PO_BOX, address._BARE_STREET]
FOLDED += [address._COMPOUND_HINT]

PIECES = ["my", "name", "is", "Dr.", "MR", "Sgt.", "Jane", "ROSE", "hi", "thanks,", "ask", "12", "221B"]
PIECES += ["Main", "ST", "Apt", "4", "PO", "Box", "9", "zip:", "90210", "Rue", "VIA", "utca", "Str."]
PIECES += ["Hauptstrasse", "first NAME", "=", "_", ":", "K", "s", "I", " ", "  ", "\n", "\t", ",", "-"]
PIECES += ["—", "’", "🤖", "Kind Regards,", "Tell", "BY", "With"]


def test_the_patterns_used_have_a_folded_twin() -> None:
    for rx in FOLDED:
        assert foldre.fold(rx) is not None, rx.pattern[:40]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_folded_twins_find_what_the_patterns_find(pieces: list[str]) -> None:
    text = "".join(pieces)
    for rx in FOLDED:
        expected = [(m.span(), m.groups()) for m in rx.finditer(text)]
        assert [(m.span(), m.groups()) for m in foldre.finditer(rx, text)] == expected
        assert foldre.search(rx, text) == (rx.search(text) is not None)


def test_upper_case_in_sets_and_literals_is_folded() -> None:
    rx = re.compile(r"(?<![A-Z])[A-F][^Q]X\d", re.IGNORECASE)
    text = "zbax1 Bqx2 xcQX3 DzX4"
    assert [m.span() for m in foldre.finditer(rx, text)] == [m.span() for m in rx.finditer(text)]
    assert foldre.fold(rx) is not None


def test_no_folded_twin_for_inline_flags_or_case_sensitive_patterns() -> None:
    assert foldre.fold(re.compile(r"a(?-i:B)c", re.IGNORECASE)) is None
    assert foldre.fold(re.compile(r"a(?i:b)c")) is None
    assert foldre.fold(context.RANK_CUE) is None


def test_non_ascii_letters_keep_the_pattern() -> None:
    rx = address._BARE_STREET
    for text in ["Straße 5", "İstiklal 12", "\u212aing Road 4"]:
        assert foldre.folded_for(rx, text) is None
        assert [m.span() for m in foldre.finditer(rx, text)] == [m.span() for m in rx.finditer(text)]


def test_groups_are_read_from_the_original_text() -> None:
    text = "Lives at 12 Maple STREET now"
    m = next(foldre.finditer(address._US_STREET, text))
    assert m.group("name") == "Maple" and m.string is text


def test_cue_ends_equal_a_scan_with_the_pattern() -> None:
    text = "Hi Rose, my NAME is Jane. Thanks,\nKind regards,\nTell Bob; patient: X"
    for rx in [*CUES, context.RANK_CUE]:
        free = re.compile(rx.pattern.removesuffix("$"), rx.flags)
        assert context.cue_ends(rx, text) == {m.end() for m in free.finditer(text)}


_WORDS = ["a", "ab", "abc", "b", "bc", ":", " (", "u/", "u/p", "sk-", "ssn", "sn", "", "x.y"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS), max_size=6).map(tuple),
    st.text(alphabet="abcu/p:( sk-nx.y", max_size=30),
)
def test_required_words_present_equal_substring_tests(requires: tuple[str, ...], low: str) -> None:
    words = RequiredWords([requires, ("ab", "u/p"), ("sn",)])
    present = words.present(low)
    for req in [requires, ("ab", "u/p"), ("sn",), ("zz", "b")]:
        assert words.any_in(req, low, present) == any(w in low for w in req)
