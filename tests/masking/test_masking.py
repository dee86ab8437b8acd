"""Masking rules: exact round trip, determinism, literal placeholders, session isolation, streams."""

from __future__ import annotations

import json
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maskgate import Masker, anonymize, deanonymize
from maskgate.detect.pipeline import Pipeline
from maskgate.detect.spans import DetectionError, Span
from maskgate.masking import AnalysisCache, StreamUnmasker
from maskgate.vault import MemoryStore

PII_BITS = [
    "john.smith@example.com",
    "Jane Doe",
    "+1 415 555 2671",
    "4111 1111 1111 1111",
    "<EMAIL_1>",
    "<PERSON_2>",
    "<EMAIL_",
    "_1>",
    "<",
    ">",
    "Dr. Alice Johnson",
    "192.168.10.4",
    "\n",
    " ",
    "é",
    "😀",
]

texts = st.lists(
    st.one_of(st.sampled_from(PII_BITS), st.text(min_size=0, max_size=12)), min_size=0, max_size=12
).map("".join)


@pytest.fixture(scope="module")
def masker(regex_pipeline: Pipeline) -> Masker:
    return Masker(regex_pipeline, MemoryStore())


@pytest.fixture(scope="module")
def full(default_pipeline: Pipeline) -> Masker:
    return Masker(default_pipeline, MemoryStore())


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=texts)
def test_round_trip_is_exact(masker: Masker, text: str) -> None:
    masked = masker.mask(text, session="prop")
    assert masker.unmask(masked.text, session="prop") == text


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=texts)
def test_round_trip_full_pipeline(full: Masker, text: str) -> None:
    masked = full.mask(text, session="prop-full")
    assert full.unmask(masked.text, session="prop-full") == text
    assert full.mask(text, session="prop-full").text == masked.text  # deterministic


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(text=texts, cut=st.lists(st.integers(min_value=0, max_value=200), max_size=6))
def test_stream_unmask_equals_unmask_for_any_split(masker: Masker, text: str, cut: list[int]) -> None:
    masked = masker.mask(text, session="stream").text
    points = sorted({min(c, len(masked)) for c in cut})
    pieces = [masked[a:b] for a, b in zip([0, *points], [*points, len(masked)], strict=True)]
    s = masker.stream_unmasker("stream")
    out = "".join(s.feed(p) for p in pieces) + s.flush()
    assert out == text


def test_entities_offsets_point_into_original(full: Masker) -> None:
    text = "Write to John Smith at john.smith@example.com or call +1 415 555 2671."
    res = full.mask(text, session="offsets")
    assert res.entities, "expected entities"
    for e in res.entities:
        assert text[e.start : e.end] == e.text
    labels = {e.text: e.label for e in res.entities}
    assert labels["john.smith@example.com"] == "EMAIL"
    assert "john.smith@example.com" not in res.text
    assert "<EMAIL_1>" in res.text


def test_same_value_same_placeholder_across_calls(masker: Masker) -> None:
    a = masker.mask("mail a1@corp.example then b1@corp.example", session="turns")
    b = masker.mask("again b1@corp.example, and c1@corp.example, and a1@corp.example", session="turns")
    assert a.text == "mail <EMAIL_1> then <EMAIL_2>"
    assert b.text == "again <EMAIL_2>, and <EMAIL_3>, and <EMAIL_1>"


def test_resent_history_masks_byte_identically(full: Masker) -> None:
    history = [
        "Hi, I'm Jane Doe, my email is jane.doe@example.org.",
        "Thanks Jane Doe. I have forwarded it to support@example.org.",
        "Please also CC bob.jones@example.net and call +1 415 555 2671.",
    ]
    first = [r.text for r in full.mask_many(history[:2], session="hist")]
    second = [r.text for r in full.mask_many(history, session="hist")]
    assert second[:2] == first


def test_literal_placeholder_round_trips_and_never_resolves_to_vault(masker: Masker) -> None:
    masker.mask("secret is x9@corp.example", session="lit")  # <EMAIL_1> is now issued in "lit"
    res = masker.mask("I typed <EMAIL_1> by hand", session="lit")
    assert "<EMAIL_1>" not in res.text  # it was vaulted as a literal, not left to collide
    assert masker.unmask(res.text, session="lit") == "I typed <EMAIL_1> by hand"


def test_unmask_only_resolves_own_session(masker: Masker) -> None:
    masker.mask("owner@corp.example", session="alice")
    assert masker.unmask("<EMAIL_1>", session="mallory") == "<EMAIL_1>"
    assert (
        masker.unmask("<EMAIL_1> <EMAIL_99> <NOPE_1>", session="alice")
        == "owner@corp.example <EMAIL_99> <NOPE_1>"
    )


def test_unmask_escape_for_json_strings(masker: Masker) -> None:
    store = MemoryStore()
    store.assign("esc", [("PERSON", 'O"Brien \\ Co')])
    m = Masker(masker.pipeline, store)
    fragment = '{"name": "<PERSON_1>"}'
    out = m.unmask(fragment, "esc", escape=lambda v: json.dumps(v)[1:-1])
    assert json.loads(out) == {"name": 'O"Brien \\ Co'}


def test_stream_unmasker_holds_only_partial_placeholders(masker: Masker) -> None:
    masker.mask("z@corp.example", session="hold")
    s = StreamUnmasker(masker, "hold")
    assert s.feed("Hello <EM") == "Hello "
    assert s.pending == "<EM"
    assert s.feed("AIL_1> and a < b") == "z@corp.example and a < b"
    assert s.feed(" then <") == " then "
    assert s.flush() == "<"


def test_unmask_cost_does_not_scan_the_vault() -> None:
    class CountingStore(MemoryStore):
        asked: ClassVar[list[int]] = []

        def resolve(self, session, placeholders):  # type: ignore[no-untyped-def]
            self.asked.append(len(placeholders))
            return super().resolve(session, placeholders)

    store = CountingStore()
    store.assign("big", [("EMAIL", f"u{i}@x.io") for i in range(20_000)])
    m = Masker(Pipeline([]), store)
    assert m.unmask("a <EMAIL_7> b <EMAIL_7> c <EMAIL_19999>", "big") == "a u6@x.io b u6@x.io c u19998@x.io"
    assert store.asked == [2]  # only the distinct placeholders of the text are looked up


def test_detection_failure_raises_detection_error() -> None:
    class Broken:
        name = "broken"

        def detect(self, text: str) -> list[Span]:
            raise RuntimeError("model crashed with john@x.io")

        def fingerprint(self) -> str:
            return "broken"

    m = Masker(Pipeline([Broken()]), MemoryStore())
    with pytest.raises(DetectionError) as info:
        m.mask("john@x.io")
    assert "john@x.io" not in str(info.value)  # no raw value in the error


def test_analysis_cache_hits_on_resent_text(regex_pipeline: Pipeline) -> None:
    m = Masker(regex_pipeline, MemoryStore(), cache=AnalysisCache())
    m.mask_many(["a@x.io", "b@x.io"], session="c")
    m.mask_many(["a@x.io", "b@x.io", "c@x.io"], session="c")
    assert (m.cache.hits, m.cache.misses) == (2, 3)


def test_analysis_cache_is_bounded() -> None:
    cache = AnalysisCache(max_bytes=2000)
    for i in range(500):
        cache.put(AnalysisCache.key("fp", str(i)), [Span(0, 1, "EMAIL")], 10)
    assert cache.size_bytes <= 2000
    assert 0 < len(cache) < 500


def test_anonymize_deanonymize_one_shot() -> None:
    masked, mapping = anonymize("Contact mary.major@example.com today")
    assert masked == "Contact <EMAIL_1> today"
    assert mapping == {"<EMAIL_1>": "mary.major@example.com"}
    assert deanonymize(masked + " <EMAIL_2>", mapping) == "Contact mary.major@example.com today <EMAIL_2>"
