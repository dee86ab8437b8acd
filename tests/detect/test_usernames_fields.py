"""Logins in Windows and directory records, person fields of JSON/YAML records, forms, prose and code
— and the service accounts, variables, escape sequences and ordinary words in the same places."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())


def users(text: str) -> list[str]:
    spans = sorted({(s.start, s.end) for s in LAYER.detect(text) if s.label == "USERNAME"})
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Windows security events and directories (logs, tickets, agent tool results)
        ("New Logon:\n\tSecurity ID:\t\tCORP\\jdoe\n\tAccount Name:\t\tjdoe\n\tAccount Domain:\t\tCORP",
         ["jdoe", "jdoe"]),
        ('<Data Name="TargetUserName">mlopez</Data><Data Name="TargetDomainName">CORP</Data>', ["mlopez"]),
        ("sAMAccountName: k.abernathy", ["k.abernathy"]),
        ("Access denied for ACME\\mlopez on \\\\fs01\\finance", ["mlopez"]),
        ('{"caller": "ACME\\\\tpark", "share": "hr"}', ["tpark"]),
        # person fields of tickets and records, plain logins
        ('{"owner": "jdoe", "assignee": "mlopez", "created_by": "kwu", "author": "tpark"}',
         ["jdoe", "mlopez", "tpark"]),
        ("reported_by: 'rnguyen'\nstatus: open", ["rnguyen"]),
    ],
)  # fmt: skip
def test_logins_in_records(text: str, expected: list[str]) -> None:
    assert users(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Subject:\n\tSecurity ID:\t\tSYSTEM\n\tAccount Name:\t\tWS-0142$\n\tAccount Domain:\t\tCORP",
        "Account Name:\t\t-\nAccount Name: ANONYMOUS LOGON",
        "Account Name: svc-sql and NT AUTHORITY\\system and CORP\\svc_backup",
        'HKLM\\software\\acme and printf("FAILED\\nretrying") and "WARN\\ttimeout"',
        "account_name = user.account_name  # Account Name: {name}",
        '{"owner": "finance", "assignee": "unassigned", "created_by": "system", "author": "release-bot"}',
        "C:\\Windows\\System32 and DOMAIN\\username placeholders",
    ],
)
def test_service_accounts_and_code_in_records_stay(text: str) -> None:
    assert users(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # HR and IT forms
        ("Network ID: mlopez2\nWindows login - tpark\nEmployee login: rnguyen", ["mlopez2", "tpark", "rnguyen"]),
        ("| VPN username | dkoenig |", ["dkoenig"]),
        ("Sign-in name: k.abernathy", ["k.abernathy"]),
        # tickets, chats and e-mail prose
        ("Hi, I'm locked out. My Windows login is kwu and my network ID is bwells.", ["kwu", "bwells"]),
        ("I'm logged in as ksmith but the page says I'm signed in as aisha_k.", ["ksmith", "aisha_k"]),
        ("the job was authenticated as 'mlopez' and then impersonating tpark", ["mlopez", "tpark"]),
        ("Support chat: account: @kwu_design can't upload", ["@kwu_design"]),
        ("Did you share your screen name BlessingO_88 with anyone?", ["BlessingO_88"]),
        # a login after its owner's name, made from it
        ("Approved by: Helen Achterberg (hachterberg)", ["hachterberg"]),
        ("- Tomasz Wróbel [twrobel] owns the importer", ["twrobel"]),
        ("cc Priya Raman (praman2), Ana Sousa (asousa)", ["praman2", "asousa"]),
    ],
)  # fmt: skip
def test_logins_in_forms_and_prose(text: str, expected: list[str]) -> None:
    assert users(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Network ID: required\nWindows login: optional\nEmployee login - see HR portal",
        "You are logged in as admin; log in as a guest or sign in as root to continue.",
        "Run the suite logged in as the deploy user, or authenticated as service",
        "Windows login screen and network ID card reader",
        "I signed in as Jane Doe yesterday",
        "GitHub account: @acme/docs-team; account: @everyone",
        "switch to user mode; running as user space process",
        "My Windows login is rejected and my username was changed",
        "Kubernetes Operator (kopf) and Django Rest Framework (drf) and Jane Doe (admin)",
        "handle retry_count overflow; the screen name field is required",
    ],
)
def test_form_labels_and_ordinary_words_stay(text: str) -> None:
    assert users(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TechGuru42: my router keeps dropping the connection every hour\n"
         "SupportAgent: Sorry to hear that, have you tried a factory reset?\n"
         "TechGuru42: yes, twice, and it still does the same thing", ["TechGuru42", "TechGuru42"]),
        ("[10:02] jen_k: did anyone else get the email about the outage\n"
         "[10:03] Mike: yes it came this morning for me", ["jen_k"]),
    ],
)  # fmt: skip
def test_handle_shaped_chat_speakers(text: str, expected: list[str]) -> None:
    assert users(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "max_retries: 3\ndescription_text: This is the long description of the job\ntimeout_ms: 400",
        "Step1: open the settings page and click on the tab\nStep2: copy the key into the field below",
        "Error404: the page you are looking for is gone\nHTTP2: the protocol is not enabled here",
        "TechGuru42: my router keeps dropping the connection every hour",
    ],
)
def test_keys_steps_and_lone_lines_are_no_speakers(text: str) -> None:
    assert users(text) == []
