"""Unmasking a stream costs O(chunk): work per chunk (characters scanned, store lookups) does not
grow with the length of the response so far nor with the number of values in the vault.

Work is counted, not timed: every `Masker.unmask` call records how many characters it was given,
and the store records how many lookups it served.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from maskgate.detect.pipeline import Pipeline
from maskgate.masking import Masker
from maskgate.providers import Unmask, api_for
from maskgate.providers.base import SseParser, encode_event
from maskgate.vault import MemoryStore
from maskgate.vault.placeholder import MAX_PLACEHOLDER_LEN

SESSION = "s"


class CountingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.resolve_calls = 0
        self.placeholders_asked = 0

    def resolve(self, session: str, placeholders: Collection[str]) -> dict[str, str]:
        self.resolve_calls += 1
        self.placeholders_asked += len(placeholders)
        return super().resolve(session, placeholders)


class CountingMasker(Masker):
    def __init__(self, store: CountingStore) -> None:
        super().__init__(Pipeline([]), store)
        self.scanned: list[int] = []

    def unmask(self, text: str, session: str = SESSION, escape: Callable[[str], str] | None = None) -> str:
        self.scanned.append(len(text))
        return super().unmask(text, session, escape)


def setup(vault_size: int) -> tuple[CountingMasker, CountingStore, list[str]]:
    store = CountingStore()
    items = [("EMAIL", f"user{i}@example.com") for i in range(vault_size)]
    phs = store.assign(SESSION, items)
    masker = CountingMasker(store)
    return masker, store, phs[:3]


def response(phs: Sequence[str], repeats: int) -> str:
    unit = f"Writing to {phs[0]} and {phs[1]} now; cc {phs[2]}. "  # 3 placeholders per unit
    return unit * repeats


def pieces(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def run_stream(vault_size: int, repeats: int) -> tuple[CountingMasker, CountingStore, str, int]:
    masker, store, phs = setup(vault_size)
    text = response(phs, repeats)
    whole = masker.unmask(text, SESSION)
    store.resolve_calls = store.placeholders_asked = 0
    masker.scanned.clear()
    feeder = masker.stream_unmasker(SESSION)
    chunks = pieces(text)
    out = "".join(feeder.feed(c) for c in chunks) + feeder.flush()
    assert out == whole  # the same result as unmasking the whole text at once
    return masker, store, text, len(chunks)


def test_stream_work_per_chunk_is_bounded_whatever_the_length() -> None:
    short = run_stream(vault_size=10, repeats=20)
    long = run_stream(vault_size=10, repeats=400)
    for masker, store, text, n_chunks in (short, long):
        # each call sees at most one chunk plus a held-back partial placeholder
        assert max(masker.scanned) <= 7 + MAX_PLACEHOLDER_LEN
        # in all, every character is scanned about once (held-back tails at most once more)
        assert sum(masker.scanned) <= len(text) + MAX_PLACEHOLDER_LEN * text.count("<")
        # at most one store lookup per chunk, asking only for the placeholders in it
        assert store.resolve_calls <= n_chunks
        assert store.placeholders_asked == text.count("<")
    (m1, _, t1, _), (m2, _, t2, _) = short, long
    ratio = len(t2) / len(t1)
    assert sum(m2.scanned) / sum(m1.scanned) <= ratio * 1.01  # linear in length, not quadratic
    assert max(m2.scanned) == max(m1.scanned)


def test_stream_work_does_not_depend_on_vault_size() -> None:
    small = run_stream(vault_size=3, repeats=50)
    large = run_stream(vault_size=20_000, repeats=50)
    assert small[0].scanned == large[0].scanned
    assert small[1].resolve_calls == large[1].resolve_calls
    assert small[1].placeholders_asked == large[1].placeholders_asked


def anthropic_sse(text: str) -> bytes:
    evs = [
        encode_event(
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            "content_block_start",
        )
    ]
    for c in pieces(text, 5):
        delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": c}}
        evs.append(encode_event(delta, "content_block_delta"))
    evs.append(encode_event({"type": "content_block_stop", "index": 0}, "content_block_stop"))
    return b"".join(evs)


def sse_work(vault_size: int, repeats: int) -> tuple[list[int], int, int]:
    masker, store, phs = setup(vault_size)
    text = response(phs, repeats)
    raw = anthropic_sse(text)
    store.resolve_calls = 0
    parser = SseParser()
    rewriter = api_for("anthropic", "v1/messages").stream(Unmask(masker, SESSION))  # type: ignore[union-attr]
    out = b""
    for i in range(0, len(raw), 61):  # network reads cut events anywhere
        out += b"".join(b for ev in parser.feed(raw[i : i + 61]) for b in rewriter.event(ev))
    for ev in parser.close():
        out += b"".join(rewriter.event(ev))
    assert b"user0@example.com" in out and b"<EMAIL_" not in out
    return masker.scanned, store.resolve_calls, len(text)


def test_sse_rewriting_is_linear_and_vault_independent() -> None:
    scanned_short, calls_short, n_short = sse_work(10, 20)
    scanned_long, calls_long, n_long = sse_work(10, 400)
    assert max(scanned_long) == max(scanned_short) <= 5 + MAX_PLACEHOLDER_LEN
    assert sum(scanned_long) / sum(scanned_short) <= (n_long / n_short) * 1.01
    assert calls_long / calls_short <= (n_long / n_short) * 1.01
    big_vault = sse_work(20_000, 20)
    assert big_vault[0] == scanned_short and big_vault[1] == calls_short
