"""Per-session known values (issue 11 item 9): a value masked once in a session is masked at every
later whole-word occurrence in that session's new text, and in the rest of the request."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from maskgate.detect.pipeline import Pipeline
from maskgate.detect.spans import Span
from maskgate.masking import Masker
from maskgate.masking.known import KnownValues
from maskgate.vault import MemoryStore
from maskgate.vault.base import Entry
from maskgate.vault.sqlite import SQLiteStore


class CueLayer:
    """Finds a value only right after `secret: `: what a real detector does with a cue."""

    name = "cue"

    def detect(self, text: str) -> list[Span]:
        return [Span(m.start(1), m.end(1), "SECRET", 0.9, "cue") for m in re.finditer(r"secret: (\S+)", text)]

    def fingerprint(self) -> str:
        return "cue:1"


def masker(store: object | None = None) -> Masker:
    return Masker(Pipeline([CueLayer()]), store or MemoryStore())  # type: ignore[arg-type]


def test_a_value_masked_once_is_masked_again_without_its_cue() -> None:
    m = masker()
    first = m.mask("secret: Zq8mPw2x", "s")
    assert first.text == "secret: <SECRET_1>"
    later = m.mask("deploy with Zq8mPw2x, not Zq8mPw2xy or xZq8mPw2x", "s")
    assert later.text == "deploy with <SECRET_1>, not Zq8mPw2xy or xZq8mPw2x"  # whole words only
    assert [e.source for e in later.entities] == ["known"]
    assert m.mask("deploy with Zq8mPw2x", "other").text == "deploy with Zq8mPw2x"  # per session
    assert m.mask("secret: Zq8mPw2x", "s").text == first.text  # re-sent history: same bytes


def test_every_occurrence_in_the_same_request_is_masked() -> None:
    m = masker()
    out = m.mask_many(["first Zq8mPw2x", "secret: Zq8mPw2x then Zq8mPw2x"], "s")
    assert [r.text for r in out] == ["first <SECRET_1>", "secret: <SECRET_1> then <SECRET_1>"]


def test_short_values_and_case_differences_are_left_alone() -> None:
    m = masker()
    m.mask("secret: ab and secret: Kestrel", "s")
    assert m.mask("ab kestrel KESTREL Kestrel", "s").text == "ab kestrel KESTREL <SECRET_2>"


def test_known_values_come_back_from_the_vault_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "vault.db"
    masker(SQLiteStore(path)).mask("secret: Zq8mPw2x", "s")
    fresh = masker(SQLiteStore(path))
    assert fresh.mask("Zq8mPw2x again", "s").text == "<SECRET_1> again"


def test_clearing_the_memo_forgets_known_values() -> None:
    m = masker()
    m.mask("secret: Zq8mPw2x", "s")
    m.store.forget("Zq8mPw2x")
    m.memo.clear()  # what the REST API does after forget/delete
    assert m.mask("Zq8mPw2x again", "s").text == "Zq8mPw2x again"


# -- the scan is exact and its cost does not grow with the session (issue 17) ----------------------
_ALPHABET = "ab_ +-.@(1é"


def _reference(values: dict[str, str], text: str) -> list[tuple[int, int, str]]:
    """Every occurrence of every value found by brute force, whole words checked on both sides, then
    leftmost-longest without overlaps: what the Aho-Corasick version did."""

    def word(c: str) -> bool:
        return c.isalnum() or c == "_"

    found = []
    for v, label in values.items():
        i = text.find(v)
        while i != -1:
            end = i + len(v)
            if not (text[i].isalnum() and i > 0 and word(text[i - 1])) and not (
                text[end - 1].isalnum() and end < len(text) and word(text[end])
            ):
                found.append((i, end, label))
            i = text.find(v, i + 1)
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, str]] = []
    for f in found:
        if not out or f[0] >= out[-1][1]:
            out.append(f)
    return out


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.text(_ALPHABET, min_size=3, max_size=6), max_size=12),
    st.text(_ALPHABET, max_size=60),
)
def test_the_scan_finds_exactly_what_a_brute_force_search_finds(values: list[str], text: str) -> None:
    known = KnownValues(MemoryStore())
    known.add("s", [("X", v) for v in values])
    qualifying = {v: "X" for v in values if v.strip() == v}
    # values as a text may carry them: some of them glued into the text
    text = text + " ".join(values[:3]) + text[:5]
    got = [(sp.start, sp.end, sp.label) for sp in known.find("s", text)]
    assert got == _reference(qualifying, text)


class CountingStore(MemoryStore):
    """A memory vault that counts how often a session's entries are read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def entries(self, session_id: str) -> list[Entry]:
        self.reads += 1
        return super().entries(session_id)


def test_memory_is_bounded_and_a_dropped_session_never_costs_a_vault_read_again() -> None:
    store = CountingStore()
    known = KnownValues(store, max_values=50)
    for c in range(10):
        items = [("PERSON", f"Name{c}x{i}") for i in range(20)]
        store.assign(f"s{c}", items)
        known.add(f"s{c}", items)
        assert known.values_kept <= 50
    reads = store.reads
    assert reads == 10  # each session read once, when first seen
    # s0 was dropped: it starts over from what it is assigned next, without reading the vault
    # (which, with more values in use than the bound, would be paid on every request)
    for _ in range(3):
        for c in range(10):
            assert known.find(f"s{c}", f"Name{c}x3") == [] or c >= 8
    assert store.reads == reads
    known.add("s0", [("PERSON", "Name0x3")])
    assert [sp.end for sp in known.find("s0", "Name0x3 and Name0x19")] == [7]
    # after clear() (a value was erased) the vault is the truth again: read once more
    known.clear()
    assert [sp.end for sp in known.find("s0", "Name0x3 and Name0x19")] == [7, 20]
    assert store.reads == reads + 1
