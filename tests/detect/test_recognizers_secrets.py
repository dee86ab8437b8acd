"""Secrets without a vendor prefix (issue 11 item 8): a high-entropy value after a secret cue or beside
its key id. Git SHAs, lock-file hashes and UUIDs without a cue stay visible."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer
from maskgate.detect.patterns.secrets import high_entropy

LAYER = RegexLayer(recognizers_for())
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def secrets(text: str) -> list[str]:
    spans = sorted({(s.start, s.end) for s in LAYER.detect(text) if s.label == "SECRET"})
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # console exports, forms, e-mail
        (
            f"Access key ID: AKIAIOSFODNN7EXAMPLE\nSecret access key: {AWS_SECRET}",
            ["AKIAIOSFODNN7EXAMPLE", AWS_SECRET],
        ),
        (f"AKIAIOSFODNN7EXAMPLE / {AWS_SECRET}", ["AKIAIOSFODNN7EXAMPLE", AWS_SECRET]),
        (
            "User name,Password,Access key ID,Secret access key\n"
            f"deploy-bot,,AKIAIOSFODNN7EXAMPLE,{AWS_SECRET}\n",
            ["AKIAIOSFODNN7EXAMPLE", AWS_SECRET],
        ),
        (f"Hi Sam, the new secret key: {AWS_SECRET} (rotate monthly)", [AWS_SECRET]),
        # support tickets and chats: a cue in prose
        (
            "the API token is 7f3a9c21e4b8d6f0a1c2e3d4b5a69788, can you check?",
            ["7f3a9c21e4b8d6f0a1c2e3d4b5a69788"],
        ),
        ("my api key is sk_9a8b7c6d5e4f3a2b1c0d", ["sk_9a8b7c6d5e4f3a2b1c0d"]),
        ("here's the secret key - Zx8kLp2Qw9Rt5Yu1Io7P", ["Zx8kLp2Qw9Rt5Yu1Io7P"]),
        ("Client Secret: 8Q~zq7Vb1sLw.Rp4kYt0fN2mC9xHdE3aJu6oGi", ["8Q~zq7Vb1sLw.Rp4kYt0fN2mC9xHdE3aJu6oGi"]),
        # configs and code
        (f"aws_secret_access_key = {AWS_SECRET}", [AWS_SECRET]),
        ('"api key": "e4b8d6f0a1c2e3d4b5a697887f3a9c21"', ["e4b8d6f0a1c2e3d4b5a697887f3a9c21"]),
        ("SENTRY_DSN=https://4f1c9e2b8a7d6c5e@o447120.ingest.sentry.io/5512", ["4f1c9e2b8a7d6c5e"]),
        # e2e findings: Claude Code's Read output and notes
        (f"11\tAWS secret access key: {AWS_SECRET}", [AWS_SECRET]),
        (f"secret access key (AWS): {AWS_SECRET}", [AWS_SECRET]),
        (f"Backup credentials: {AWS_SECRET}", [AWS_SECRET]),
        ('const p = process.env.DB_PASS || "hunter2x";', ["hunter2x"]),
        (
            "cookie header: session=eyJ1c2VyIjoibWFyaWEifQ.ZzQ3Mg.Xk2pL9qR4tV7wY1zA3bC5dF8gH0; theme=dark",
            ["eyJ1c2VyIjoibWFyaWEifQ.ZzQ3Mg.Xk2pL9qR4tV7wY1zA3bC5dF8gH0"],
        ),
        (
            '{"username":"marta_kowal","key":"9f8e7d6c5b4a39281706f5e4d3c2b1a0"}',
            ["9f8e7d6c5b4a39281706f5e4d3c2b1a0"],
        ),
    ],
)
def test_unprefixed_secrets_are_found(text: str, expected: list[str]) -> None:
    assert secrets(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The token is expired, please refresh; the token is now valid",
        "the token was generated_by_the_identity_provider",
        "token is a required parameter",
        "API key is optional for local runs",
        # a git SHA or a digest beside an access key id is no secret key
        "AKIAIOSFODNN7EXAMPLE rotated in commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
        "request 3f2c1a7e-9b1d-4c55-8e0a-2b6f4d9c7a11 served in 12ms",
        '{"key": "user.profile.name", "value": "settings_dark_mode_enabled"}',
        "git clone ssh://git@github.com/org/repo",
        "credentials: see the vault entry",
        'home = os.getenv("HOME", "/root"); session = requests.Session()',
        # a conversation's id in agent metadata (Claude Code metadata.user_id, Codex client_metadata)
        '{"device_id":"x","account_uuid":"","session_id":"84a56b12-866c-483a-9152-34a88de8a657"}',
        'integrity "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+5DxOFgqHfmgMbHwMEwn"',
    ],
)
def test_words_hashes_and_uuids_are_not_secrets(text: str) -> None:
    assert [v for v in secrets(text) if v != "AKIAIOSFODNN7EXAMPLE"] == []


def test_high_entropy() -> None:
    assert high_entropy("7f3a9c21e4b8d6f0a1c2e3d4b5a69788")
    assert high_entropy(AWS_SECRET)
    assert not high_entropy("aaaaaaaabbbbbbbb1")
    assert not high_entropy("generated_by_the_provider")
    assert not high_entropy("short1A")
