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
        # no cue: the shape of a name in its own script, before a verb of speech or a particle
        ("张伟说他明天来。", ["张伟"]),
        ("请联系王芳，她负责这个项目。", ["王芳"]),
        ("山田太郎は明日来ます。", ["山田太郎"]),
        ("김민수가 내일 온다고 했어요.", ["김민수"]),
        ("Позвони Ивану Петрову завтра.", ["Ивану Петрову"]),
        ("हमारे नए सहकर्मी विकास पटेल से मिलिए", ["विकास पटेल"]),
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
        # words that start with a common family name's character or syllable
        "他高兴地说：好的。方法说明如下。",
        "我和朋友一起吃饭，然后回家了。",
        "東京から大阪へ行きます。",
        "한국어가 어렵다고 했어요. 강아지가 귀여워요.",
        "Москва и Санкт-Петербург — крупные города.",
        "भारत सरकार ने कहा कि नई नीति लागू होगी।",
    ],
)
def test_no_names_without_reason(text: str) -> None:
    assert found(text) == []
