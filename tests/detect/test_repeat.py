"""Consistency inside one text (issue 11 item 9): a value detected once is masked everywhere in it."""

from __future__ import annotations

from maskgate.config import Settings
from maskgate.detect.factory import build_pipeline
from maskgate.detect.repeat import mask_repeats
from maskgate.detect.spans import Span


def values(text: str, spans: list[Span]) -> list[tuple[str, str, str]]:
    return [(text[s.start : s.end], s.label, s.source) for s in spans]


def test_every_other_occurrence_gets_the_label() -> None:
    text = "token: Zx8kLp2Qw9Rt5Yu1\n...\ncurl -H 'X-Key: Zx8kLp2Qw9Rt5Yu1' and again Zx8kLp2Qw9Rt5Yu1."
    first = Span(7, 23, "SECRET", 0.95, "regex:secret_assignment")
    out = mask_repeats(text, [first])
    assert (
        values(text, out)
        == [("Zx8kLp2Qw9Rt5Yu1", "SECRET", "regex:secret_assignment")]
        + [("Zx8kLp2Qw9Rt5Yu1", "SECRET", "repeat")] * 2
    )


def test_whole_words_only_and_short_values_are_left() -> None:
    text = "Rose wrote to Rosemary; Rose again. Ann met Anna and Ann."
    spans = [Span(0, 4, "PERSON", 0.85, "ner"), Span(36, 39, "PERSON", 0.85, "ner")]
    out = mask_repeats(text, spans)
    assert values(text, out) == [
        ("Rose", "PERSON", "ner"),
        ("Rose", "PERSON", "repeat"),
        ("Ann", "PERSON", "ner"),  # 3 letters: too short to repeat
    ]


def test_allow_list_ranges_and_crossing_spans_are_respected() -> None:
    text = "Mark Lee called. Mark Lee again. Dr Mark Leeds"
    spans = [Span(0, 8, "PERSON", 0.9, "ner"), Span(36, 46, "PERSON", 0.9, "ner")]
    out = mask_repeats(text, spans, allowed=[(17, 25)])
    # the title joins the name (names/complete.py); the allow-listed "Mark Lee" stays
    assert values(text, out) == [("Mark Lee", "PERSON", "ner"), ("Dr Mark Leeds", "PERSON", "ner")]


def test_pieces_inside_a_repeated_value_give_way_to_it() -> None:
    text = "password=Ab12Yu34Io56Cd\nlater: Ab12Yu34Io56Cd"
    spans = [Span(9, 23, "SECRET", 0.95, "regex"), Span(35, 37, "PERSON", 0.7, "names")]
    out = mask_repeats(text, spans)
    assert values(text, out) == [
        ("Ab12Yu34Io56Cd", "SECRET", "regex"),
        ("Ab12Yu34Io56Cd", "SECRET", "repeat"),
    ]


def test_nothing_to_repeat_returns_the_spans_unchanged() -> None:
    text = "call 555-0134 now"
    spans = [Span(5, 13, "PHONE", 0.9, "regex:phone")]
    assert mask_repeats(text, spans) is spans
    assert mask_repeats("", []) == []


def test_the_pipeline_masks_a_secret_two_lines_down() -> None:
    pipeline = build_pipeline(Settings(ner="none"))
    text = (
        "DB_PASSWORD=Vq7sLx2Pz9Kt\n"
        "# to connect by hand:\n"
        "psql -h db.internal -U app  # then type Vq7sLx2Pz9Kt at the prompt\n"
    )
    found = [text[s.start : s.end] for s in pipeline.analyze(text) if s.label == "SECRET"]
    assert found == ["Vq7sLx2Pz9Kt", "Vq7sLx2Pz9Kt"]


def test_lower_case_name_guesses_are_not_spread() -> None:
    text = "el paciente refiere dolor; el paciente mejora. Dr Ruiz vio a Ruiz."
    spans = [Span(0, 11, "PERSON", 0.85, "ner"), Span(50, 54, "PERSON", 0.85, "ner")]
    out = mask_repeats(text, spans)
    assert values(text, out) == [
        ("el paciente", "PERSON", "ner"),
        ("Dr Ruiz", "PERSON", "ner"),
        ("Ruiz", "PERSON", "repeat"),
    ]
