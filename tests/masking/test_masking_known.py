"""Per-session known values (issue 11 item 9): a value masked once in a session is masked at every
later whole-word occurrence in that session's new text, and in the rest of the request."""

from __future__ import annotations

import re
from pathlib import Path

from maskgate.detect.pipeline import Pipeline
from maskgate.detect.spans import Span
from maskgate.masking import Masker
from maskgate.vault import MemoryStore
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
