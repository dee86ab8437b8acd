"""Names in non-Latin scripts: short runs in Latin text, and cues in text of that script."""

from __future__ import annotations

import pytest

from maskgate.detect.names import NameLayer

LAYER = NameLayer()


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in LAYER.detect(text)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a short run of another script inside English text: tickets, chat, e-mail, clinical notes
        ("Customer 王伟 called about the refund; his wife 李娜 will pick it up.", ["王伟", "李娜"]),
        (
            "Ticket opened by Wang Wei (王伟). Please reply to 田中太郎 as well.",
            ["Wang Wei", "王伟", "田中太郎"],
        ),
        ("Hi 김민준,\n\nThanks for the update.", ["김민준"]),
        ("Best,\nAhmed / أحمد الشمري", ["Ahmed", "أحمد الشمري"]),
        (
            "Patient: Иван Петров\nAttending: Dr. Γιώργος Παπαδόπουλος",
            ["Иван Петров", "Dr. Γιώργος Παπαδόπουλος"],
        ),
        ("Meeting notes: राहुल शर्मा joined late; דוד כהן presented.", ["राहुल शर्मा", "דוד כהן"]),
        ("The Thai customer (สมชาย ใจดี) asked for a call back.", ["สมชาย ใจดี"]),
        ('{"name": "山田花子", "email": "hanako@example.jp"}', ["山田花子"]),
        ("Signed: ジョン・スミス, Tokyo office", ["ジョン・スミス"]),
        # text written in that script: a field label, an honorific or a known name pair
        ("患者姓名：张伟，男，45岁。主诉：头痛三天。", ["张伟"]),
        ("今日は田中さんと会議がありました。", ["田中"]),
        ("오늘 김민준님이 회의에 참석했습니다.", ["김민준"]),
        ("Иван Петров пришёл на приём вчера.", ["Иван Петров"]),
        ("Имя: Ольга\nФамилия: Смирнова", ["Ольга", "Смирнова"]),
    ],
)
def test_non_latin_names(text: str, names: list[str]) -> None:
    assert found(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "The latency is 5 μs and the angle θ is π/2; Δ = 3.",
        "Set ПРИВЕТ_MESSAGE and i18n_キー in the config.",
        "Ω = 2πf, so λ/2 is the half wavelength.",
        # ordinary prose in the script itself, no cue: nothing is taken
        "今日は会議がありました。明日も会議です。",
        "Вчера был дождь, а сегодня светит солнце.",
    ],
)
def test_no_names_without_reason(text: str) -> None:
    assert found(text) == []
