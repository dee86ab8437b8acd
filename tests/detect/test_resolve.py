"""The resolution step and the dictionary layer."""

from __future__ import annotations

from maskgate.config import Settings
from maskgate.detect.dictionary import AllowList, DenyLayer
from maskgate.detect.factory import build_pipeline
from maskgate.detect.pipeline import Pipeline
from maskgate.detect.resolve import ResolveConfig, resolve
from maskgate.detect.spans import Span


def texts(text: str, spans: list[Span]) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in spans]


def test_merge_gap_joins_hyphenated_names() -> None:
    text = "Captain Jean-Luc Picard"
    spans = [
        Span(8, 12, "PERSON", 0.8, "ner"),
        Span(13, 16, "PERSON", 0.8, "ner"),
        Span(17, 23, "PERSON", 0.8),
    ]
    assert texts(text, resolve(text, spans, ResolveConfig())) == [("Jean-Luc Picard", "PERSON")]


def test_merge_gap_respects_label_and_gap_chars() -> None:
    text = "Ann; Bob"
    spans = [Span(0, 3, "PERSON"), Span(5, 8, "PERSON")]
    assert len(resolve(text, spans, ResolveConfig())) == 2  # ';' is not a PERSON gap character
    assert len(resolve(text, spans, ResolveConfig(merge_gaps={"PERSON": "; "}))) == 1


def _two(text: str, first: str, last: str, label: str = "PERSON") -> list[Span]:
    a, b = text.index(first), text.rindex(last)
    return [Span(a, a + len(first), label), Span(b, b + len(last), label)]


def test_a_middle_initial_joins_two_person_spans() -> None:
    text = "Name: Martim A Pereira"
    assert texts(text, resolve(text, _two(text, "Martim", "Pereira"), ResolveConfig())) == [
        ("Martim A Pereira", "PERSON")
    ]
    text = "by John F. Kennedy today"
    assert texts(text, resolve(text, _two(text, "John", "Kennedy"), ResolveConfig())) == [
        ("John F. Kennedy", "PERSON")
    ]
    text = "Ann a Bob"  # a lower-case word is no initial
    assert len(resolve(text, _two(text, "Ann", "Bob"), ResolveConfig())) == 2
    text = "Paris A Berlin"  # only PERSON spans join this way
    assert len(resolve(text, _two(text, "Paris", "Berlin", "LOCATION"), ResolveConfig())) == 2


def test_overlap_winner_labels_the_union() -> None:
    text = "mail john.smith@example.com now"
    spans = [Span(5, 15, "PERSON", 0.85, "ner"), Span(5, 27, "EMAIL", 1.0, "regex")]
    assert texts(text, resolve(text, spans, ResolveConfig())) == [("john.smith@example.com", "EMAIL")]
    partial = [Span(0, 10, "PERSON", 0.6), Span(5, 27, "EMAIL", 1.0)]
    assert texts(text, resolve(text, partial, ResolveConfig())) == [("mail john.smith@example.com", "EMAIL")]


def test_thresholds_and_ignored_labels() -> None:
    text = "abc def"
    spans = [Span(0, 3, "PERSON", 0.4), Span(4, 7, "ORG", 0.9)]
    assert resolve(text, spans, ResolveConfig()) == [Span(4, 7, "ORG", 0.9)]
    assert resolve(
        text, spans, ResolveConfig(thresholds={"PERSON": 0.3}, ignore_labels=frozenset({"ORG"}))
    ) == [Span(0, 3, "PERSON", 0.4)]


def test_deny_list_whole_word_case_insensitive() -> None:
    deny = DenyLayer({"PROJECT": ["Project Falcon", "falconet"]})
    text = "PROJECT FALCON and project falconet, not falconets or xproject falcon"
    got = texts(text, deny.detect(text))
    assert got == [("PROJECT FALCON", "PROJECT"), ("falconet", "PROJECT")]


def test_deny_list_scales_to_thousands_of_terms() -> None:
    deny = DenyLayer([f"codename{i}" for i in range(5000)])
    text = "we shipped codename4321 and codename77 today"
    assert texts(text, deny.detect(text)) == [("codename4321", "CUSTOM"), ("codename77", "CUSTOM")]


def test_allow_list_wins_over_ner_but_not_over_deny() -> None:
    text = "Ask Claude about Claude"
    allowed = AllowList(["Claude"]).find(text)
    ner = [Span(4, 10, "PERSON", 0.85, "ner"), Span(17, 23, "PERSON", 0.85, "ner")]
    assert resolve(text, ner, ResolveConfig(), allowed) == []
    deny = DenyLayer(["Claude"]).detect(text)
    assert len(resolve(text, ner + deny, ResolveConfig(), allowed)) == 2


def test_pipeline_with_settings_deny_allow_patterns_ignore() -> None:
    settings = Settings(
        ner="none",
        deny={"PERSON": ["Zaphod"]},
        allow=["ops@corp.example"],
        patterns={"TICKET": [r"\bTCK-\d{5}\b"]},
        ignore_labels=["IP_ADDRESS"],
    )
    p: Pipeline = build_pipeline(settings)
    text = "Zaphod filed TCK-12345 from 10.1.2.3, cc ops@corp.example and dev@corp.example"
    got = texts(text, p.analyze(text))
    assert ("Zaphod", "PERSON") in got
    assert ("TCK-12345", "TICKET") in got
    assert ("dev@corp.example", "EMAIL") in got
    assert all(t != "ops@corp.example" for t, _ in got)
    assert all(label != "IP_ADDRESS" for _, label in got)


def test_pipeline_fingerprint_tracks_configuration() -> None:
    a = build_pipeline(Settings(ner="none"))
    b = build_pipeline(Settings(ner="none"))
    c = build_pipeline(Settings(ner="none", ignore_labels=["EMAIL"]))
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()
