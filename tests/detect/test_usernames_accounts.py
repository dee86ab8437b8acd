"""System, service and team accounts name no one: every user-name recognizer leaves them visible
(the corpus convention, tests/data/corpus/README.md), while a person's login in the same place is
masked."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.accounts import is_service_account
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())


def users(text: str) -> list[str]:
    spans = sorted({(s.start, s.end) for s in LAYER.detect(text) if s.label == "USERNAME"})
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    "value",
    ["root", "deploy", "ec2-user", "svc-backup", "postgres", "www-data", "nobody", "admin", "jenkins",
     "oracle", "orders_app", "analytics_ro", "crm_svc", "billing-notify", "release-bot", "WS-0142$",
     "_www", "dependabot[bot]", "platform-team", "backup_user", "report-runner", "test1"],
)  # fmt: skip
def test_service_accounts(value: str) -> None:
    assert is_service_account(value)


@pytest.mark.parametrize(
    "value",
    ["jdoe", "tpark", "kwu", "k.abernathy", "mlopez2", "ctalbot", "john.smith", "mark.fisher", "aisha_k",
     "rnguyen", "jdoe-support", "kwu_admin", "TechGuru_77", "ingrid.halvorsen"],
)  # fmt: skip
def test_person_logins(value: str) -> None:
    assert not is_service_account(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # logs: the attacker's guesses and daemons stay, the person's login goes
        ("Failed password for invalid user oracle from 45.141.84.120 port 40112 ssh2", []),
        ("Failed password for invalid user mlopez from 45.141.84.120 port 40112 ssh2", ["mlopez"]),
        ("long-running report query from user analytics_ro", []),
        # code and config: connection strings, ssh targets, URLs with credentials
        ('<add connectionString="Server=sql01;User Id=crm_svc;Password=x" />', []),
        ("DATABASE_URL=postgres://orders_app:Zk3qP9xW2mR7@db.internal:5432/orders", []),
        ("DATABASE_URL=postgres://kwu:Zk3qP9xW2mR7@db.internal:5432/orders", ["kwu"]),
        ("ssh deploy@142.93.18.240 -i ~/.ssh/id_ed25519", []),
        # JSON tool results and tickets
        ('{"user": "svc-backup", "action": "snapshot"}', []),
        ('{"user": "tpark", "action": "snapshot"}', ["tpark"]),
        ("SMTP_USER=billing-notify", []),
        # a chat turn written as `user:` is no value
        ("user: here's my .env but I replaced the vowels", []),
    ],
)
def test_recognizers_skip_service_accounts(text: str, expected: list[str]) -> None:
    assert users(text) == expected
