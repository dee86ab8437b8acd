"""Internationalised e-mail addresses (issue 11 item 7): non-ASCII local parts and domains, punycode."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())


def emails(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sorted(LAYER.detect(text)) if s.label == "EMAIL"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("From: José García <josé.garcía@correo.es>", ["josé.garcía@correo.es"]),
        ("邮箱：用户@例子.广告", ["用户@例子.广告"]),
        ("Impressum: info@münchen.de", ["info@münchen.de"]),
        (
            "punycode info@xn--mnchen-3ya.de, admin@example.xn--p1ai",
            ["info@xn--mnchen-3ya.de", "admin@example.xn--p1ai"],
        ),
        ("Пишите: пользователь@пример.рф", ["пользователь@пример.рф"]),
        ('{"email": "अजय@डाटामेल.भारत"}', ["अजय@डाटामेल.भारत"]),
        ("ติดต่อ สมชาย@ตัวอย่าง.ไทย ครับ", ["สมชาย@ตัวอย่าง.ไทย"]),
        ("ping ünal.öztürk@şirket.com.tr.", ["ünal.öztürk@şirket.com.tr"]),
        ("cc: obrien_k+news@mail.example.ie", ["obrien_k+news@mail.example.ie"]),
    ],
)
def test_internationalised_addresses_are_found(text: str, expected: list[str]) -> None:
    assert emails(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "git clone git@github.com:org/repo.git",
        "y = x@w.T + b",
        "y = x@self.v2",
        "ssh alice@10.0.4.12",
        "npm i @types/node@20.11.5",
        "systemctl start getty@tty1.service",
        "@dataclass(frozen=True)",
        "Co-Authored-By: Claude Opus 5.5 <noreply@anthropic.com>",
        "From: GitHub <no-reply@github.com>",
    ],
)
def test_code_with_at_signs_is_left_alone(text: str) -> None:
    assert emails(text) == []
