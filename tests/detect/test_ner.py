"""spaCy NER layer: exact offsets across chunks, trimmed values, the prose fast path."""

from __future__ import annotations

from maskgate.detect.ner.base import chunks
from maskgate.detect.ner.spacy_backend import SpacyBackend, prose_only, trim_entity
from maskgate.detect.pipeline import Pipeline


def test_chunks_cover_text_exactly() -> None:
    text = ("Line of prose with words. " * 50 + "\n") * 40 + "x" * 12000
    pieces = list(chunks(text, 1000))
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 1000 for _, p in pieces)
    assert all(text[off : off + len(p)] == p for off, p in pieces)


def test_long_text_offsets_stay_exact() -> None:
    backend = SpacyBackend(chunk_size=500)
    filler = "The quarterly report was reviewed by the committee and archived. "
    text = ""
    names = ["Barack Obama", "Angela Merkel", "Emmanuel Macron", "Justin Trudeau"]
    for n in names:
        text += filler * 11 + f"Yesterday {n} visited the office.\n"
    spans = backend.predict([text])[0]
    found = {text[s.start : s.end] for s in spans if s.label == "PERSON"}
    assert set(names) <= found


def test_trim_entity_drops_quotes_article_and_possessive() -> None:
    for raw, want in [
        ("'John Smith'", "John Smith"),
        ('"Ann Lee",', "Ann Lee"),
        ("Bob Ray's", "Bob Ray"),
        ("the University of Leeds", "University of Leeds"),
        ("The Guardian's", "Guardian"),
        ("the", "the"),  # nothing after the article: left as spaCy gave it
        ("Theodore Kaye", "Theodore Kaye"),
    ]:
        s, e = trim_entity(raw, 0, len(raw))
        assert raw[s:e] == want


def test_prose_fast_path_keeps_offsets_and_skips_non_language() -> None:
    assert prose_only("[1, 2, 3, 4.5, 6e10]") is None
    assert prose_only("deadbeef" * 20) is None
    blob = "QmFzZTY0" * 20
    piece = prose_only(f"token {blob} sent by Maria Garcia")
    assert piece is not None and len(piece) == len(f"token {blob} sent by Maria Garcia")
    assert piece.endswith("sent by Maria Garcia") and blob not in piece


def test_quoted_name_in_code_gets_one_placeholder(default_pipeline: Pipeline) -> None:
    from maskgate import Masker
    from maskgate.vault import MemoryStore

    m = Masker(default_pipeline, MemoryStore())
    a = m.mask("return 'John Smith'", session="q").text
    b = m.mask('name = "John Smith"', session="q").text
    assert a == "return '<PERSON_1>'"
    assert b == 'name = "<PERSON_1>"'
