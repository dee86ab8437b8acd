"""Credentials written as a pair (login and password side by side), database clients' logins and
attached passwords, and handles after a platform's name — not ordinary words, numbers, placeholders,
paths or service accounts' names."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())


def found(text: str) -> list[tuple[str, str]]:
    spans = sorted(
        {(s.start, s.end, s.label) for s in LAYER.detect(text) if s.label in ("USERNAME", "SECRET")}
    )
    return [(label, text[a:b]) for a, b, label in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tickets and chats
        ("login jdoe / Winter2024!x", [("USERNAME", "jdoe"), ("SECRET", "Winter2024!x")]),
        (
            "creds are mlopez:Tr0ub4dor&3 for the staging box",
            [("USERNAME", "mlopez"), ("SECRET", "Tr0ub4dor&3")],
        ),
        ("VPN: user tpark pw Zk3qP9xW2m", [("USERNAME", "tpark"), ("SECRET", "Zk3qP9xW2m")]),
        ("my login is aisha_k / Falcon#2024.", [("USERNAME", "aisha_k"), ("SECRET", "Falcon#2024")]),
        # a service account's password is still a secret; its name stays
        ("staging db account svc_report | Qx8!mT2rL0w", [("SECRET", "Qx8!mT2rL0w")]),
        # shell history and runbooks
        ("mysql -u bwells -pS3cr3tPass! -h db.internal", [("USERNAME", "bwells"), ("SECRET", "S3cr3tPass!")]),
        ("pg_dump -h db -U kwu -d orders > o.sql", [("USERNAME", "kwu")]),
        # social posts and profiles
        ("snap: priya.k.29 | ig: aisha.k_", [("USERNAME", "aisha.k_"), ("USERNAME", "priya.k.29")]),
        ("add me, xbox gamertag - FalconKid07", [("USERNAME", "FalconKid07")]),
    ],
)
def test_pairs_and_platform_handles(text: str, expected: list[tuple[str, str]]) -> None:
    assert sorted(found(text)) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "the user admin password reset flow; user jdoe / admin",
        "account 4471 / 2024 and login page / settings",
        "username: <username> password: ${DB_PASSWORD}",
        "user: ****** / ******** and login x / xxxxxx",
        "credentials: /etc/app/creds.json and user foo:/home/foo",
        "mysql -u root -p -h db.internal -P 3306",
        "ig: love this! snap: yes tiktok - amazing, steam: sale",
        "we use Signal - encrypted; my Discord is down today",
    ],
)
def test_words_placeholders_and_paths_stay(text: str) -> None:
    assert found(text) == []
