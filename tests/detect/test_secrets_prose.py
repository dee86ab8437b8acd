"""Passwords, PINs and recovery codes written in prose, chats, tables and code — and the words,
versions, hashes, tickets and paths that follow the same cues."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer
from maskgate.detect.patterns.secrets_prose import password_shaped

LAYER = RegexLayer(recognizers_for())


def secrets(text: str) -> list[str]:
    """The SECRET spans, overlapping ones merged (as the resolver masks them)."""
    merged: list[list[int]] = []
    for a, b in sorted({(s.start, s.end) for s in LAYER.detect(text) if s.label == "SECRET"}):
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [text[a:b] for a, b in merged]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # support tickets and chats
        ("I reset my password yesterday to Marigold#2291 but the portal refuses it", ["Marigold#2291"]),
        ("logged in as mkowalski_ro, pw is Trellis!88staging", ["Trellis!88staging"]),
        ("I think my old password Sunflower2023! is cached somewhere", ["Sunflower2023!"]),
        ("I used the temp pass the helpdesk gave me, Tmp-4417-xq. Is that ok?", ["Tmp-4417-xq"]),
        ("Guest network is GUEST-5G, wifi password: bluecactus77, printer on floor 2", ["bluecactus77"]),
        ("Customer: pin is 4821", ["4821"]),
        ("Agent: do you have your recovery codes?\nCustomer: yes, one is 7KQ2-M9XD and the other P4LZ-8WTR",
         ["7KQ2-M9XD", "P4LZ-8WTR"]),
        # HR onboarding e-mails and tables
        ("| Temp password | Welcome-2026-Tz! |\n| Badge PIN | 7319 |", ["Welcome-2026-Tz!", "7319"]),
        ("  VPN PIN: 550913\n", ["550913"]),
        ("your one-time code is Q7M2-K9PX", ["Q7M2-K9PX"]),
        # social posts
        ("changed my pw to something that isn't hunter2 this time lol", ["hunter2"]),
        ("dad set the family wifi password to Password123 💀", ["Password123"]),
        ('my roommate tweeted "wifi is sunshine2019 come over"', ["sunshine2019"]),
        # a password named again in the next chat turn
        ("<ngozi> he keeps typing the wrong password\n<pgreene> told him the new one is Harbour-Lights-19",
         ["Harbour-Lights-19"]),
        ("The temporary passcode is 582 913 until you set one.", ["582 913"]),
        ("My own badge PIN (0915) doesn't open the door", ["0915"]),
        # logs and code
        ("basic auth decoded: user=sokoye pass=Tulip#4471", ["Tulip#4471"]),
        ('auth: { user: "mg", pass: "a8Rk2LmQ9xTv4Zn7Wb3C" },', ["a8Rk2LmQ9xTv4Zn7Wb3C"]),
        ("# old creds for dmurphy: Galway@2025", ["Galway@2025"]),
        ('AUTH = ("amurray", "Ch1cago-Winds-42")', ["Ch1cago-Winds-42"]),
        # keys named as secrets, machine-made values (headers, configs, signed URLs)
        ("X-Auth-Key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0", ["9f8e7d6c5b4a39281706f5e4d3c2b1a0"]),
        ("authKey: 'Zk3qP9xW2mR7tL0vB5nCaQ1s'", ["Zk3qP9xW2mR7tL0vB5nCaQ1s"]),
        ("DB_CREDENTIAL=Xv8Lq2Rm7Tn4Wb6Zc", ["Xv8Lq2Rm7Tn4Wb6Zc"]),
        ("https://a.blob.core.windows.net/c/f.pdf?sv=2022-11-02&sig=Zk3qP9xW2mR7tL0vB5nCaQ1s%3D",
         ["Zk3qP9xW2mR7tL0vB5nCaQ1s%3D"]),
        ("the PIN for my debit card is 4821", ["4821"]),
        ("Here are my backup codes:\n1. 4821-0932\n2. 7731-2210", ["4821-0932", "7731-2210"]),
        ("requests.get(url, auth=HTTPBasicAuth('jdoe', 's3cret!'))", ["s3cret!"]),
    ],
)  # fmt: skip
def test_secrets_in_prose(text: str, expected: list[str]) -> None:
    assert secrets(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The new secret is stored in Vault at secret/data/backup/svc-backup; nobody needs to paste it.",
        "Passwords must be at least 14 characters; password policy v3.2 applies from Monday.",
        "The password for svc-backup is rotated nightly by the platform team.",
        "Password hashes use argon2id (was sha256) since release 4.12.1.",
        "Reset your password at https://id.corp.example/reset?src=mail before 5pm.",
        "password reset for INC0091123 done, user confirmed by phone",
        '{"message":"password reset requested","user.email":"rk@aub.edu.lb","attempt":3}',
        "Enter the 4-digit PIN on file. The PIN code 560001 is Bengaluru's.",
        "Do not print secrets: values of keys named token, secret, password or api_key must be redacted.",
        "export DB_PASSWORD=${DB_PASSWORD} # password is in {{ vault_pw }}",
        "my boarding pass 2 was scanned at gate B12",
        "The password field accepts 64 chars max; the 2FA codes expire after 30s.",
        "Dial-in: +1 646 555 0112, PIN 883 119#",
        "cache_key: 9f3c2e1a7b5d4c8e0f1a2b3c4d5e6f7a, public_key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
        "idempotency-key: 3fa85f64-5717-4562-b3fc-2c963f66afa6; key_id=AKIAEXAMPLE12345678",
        "monkey: bananas, auth: true, token_type: Bearer, keyboard=qwertyuiopasdfghjk",
        'level=info msg="s3 upload" bucket=backups key=db/2024-10-14.sql.gz',
        "the PIN for the door is on the wiki",
        "The wifi is down again on floor 3; the creds are in the vault.",
        "The password was wrong.\nIt's v2.8.1 that broke the login page.",
        "if compass: heading = 90\nfor x in xs:\n    pass",
    ],
)  # fmt: skip
def test_no_secret_in_prose(text: str) -> None:
    assert secrets(text) == []


@pytest.mark.parametrize("value", ["hunter2", "Marigold#2291", "Tmp-4417-xq", "Welcome-2026-Tz!", "p@ssw0rd"])
def test_password_shaped(value: str) -> None:
    assert password_shaped(value)


@pytest.mark.parametrize(
    "value",
    [
        "svc-backup",
        "sha256",
        "v3.2",
        "INC0091123",
        "a@b.example",
        "/etc/shadow",
        "${PW}",
        "secret",
        "12345678",
    ],
)
def test_not_password_shaped(value: str) -> None:
    assert not password_shaped(value)
