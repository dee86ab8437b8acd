"""Logins made from a person's name written anywhere, logins after a cue in prose, profile links
without a scheme, brand handles — and the words, software names, hashes and service accounts that
look like them."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.accounts import brand_handle
from maskgate.detect.patterns.base import RegexLayer
from maskgate.detect.patterns.usernames_prose import name_login

LAYER = RegexLayer(recognizers_for())


def users(text: str) -> list[str]:
    spans = sorted({(s.start, s.end) for s in LAYER.detect(text) if s.label == "USERNAME"})
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    "token",
    ["mkowalski", "tzielinski", "sarah92", "jmorrow87", "maria.gonzalez", "dana_k", "j.kowalczyk",
     "okafor.e", "theo.marchetti", "maria.santos", "pkrish99", "hkowalski"],
)  # fmt: skip
def test_name_logins_without_context(token: str) -> None:
    assert name_login(token) == "strong"


@pytest.mark.parametrize(
    "token",
    ["sha256", "utf8", "mail-2", "iban_last4", "lmao", "wanna", "iphone", "jquery", "mkdir", "chown",
     "validator", "bokeh", "lucide", "mojibake", "sarah", "read_only", "max_len", "os.environ", "svc-backup",
     "s.split", "classof2029", "ci-agent-03"],
)  # fmt: skip
def test_words_and_code_are_no_name_logins(token: str) -> None:
    assert name_login(token) != "strong"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # support tickets and chats
        ("INC0091123 reassigned: jdoe -> tkowalczyk", ["jdoe", "tkowalczyk"]),
        ("I've reset 2FA for the account theo.marchetti. Please enrol again.", ["theo.marchetti"]),
        ("His user ID will be KPRESTO2 and he should change it at first login.", ["KPRESTO2"]),
        ("if anyone from support sees this my handle is jess.marlowe_ pls help", ["jess.marlowe_"]),
        ("log in with your own account (oadebayo), not the shared one", ["oadebayo"]),
        ("Hi, [Ana Lopez] here, I used my own login (alopez) on the printer", ["alopez"]),
        # HR onboarding and offboarding
        ("- Disable AD login lobrien and remove from the VPN group", ["lobrien"]),
        ("GitLab user chen.wei, Jira user cwei", ["chen.wei", "cwei"]),
        ("- Forward mailbox to sfarrell", ["sfarrell"]),
        # social posts
        ("met dana at the meetup, she's dana_k on discord and danakim everywhere else", ["dana_k", "danakim"]),
        ("new github! github.com/priyanka-dev has all my side projects", ["priyanka-dev"]),
        ("go follow him on twitch, twitch.tv/kevhollis", ["kevhollis"]),
        ("her linkedin: linkedin.com/in/dana-kim-4b1a27", ["dana-kim-4b1a27"]),
        ("Portfolio: https://www.linkedin.com/in/ines-carvalho-dev/ and x.com/ines_codes", ["ines-carvalho-dev", "ines_codes"]),
        ("old psn id was tbrooks_91, pls help", ["tbrooks_91"]),
        ("i go by sk8rboi_22 on there", ["sk8rboi_22"]),
        ("El paciente entra con el usuario maria.gonzalez en el portal del hospital.", ["maria.gonzalez"]),
        ("the refund went to a second account, TessM_alt, created last week", ["TessM_alt"]),
        # logs and code
        ("2026-11-30 fetch by sarah92 failed, retrying", ["sarah92"]),
        ("2026-11-30 job owner jhollis_88 exited 1", ["jhollis_88"]),
        ("// reviewed by @ybenali, see PR #2291", ["@ybenali"]),
    ],
)  # fmt: skip
def test_logins_in_prose(text: str, expected: list[str]) -> None:
    assert users(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Logged in as admin on the console, the job shows exit code 1.",
        "The account is locked after five attempts; reset it from the portal.",
        "running as runner on ci-agent-03; deploy as deploy@web-02: ok",
        "checkout 9f3c2e1a7b5d4c8e0f1a2b3c4d5e6f7a8b9c0d1e (main), image sha256:4b8e2f1c9a7d",
        "artifact id 3fa85f64-5717-4562-b3fc-2c963f66afa6 uploaded, md5 5d41402abc4b2a76b9719d911017c592",
        "See github.com/features and twitter.com/search for details; github.com/golang/go is the repo.",
        "Service accounts (svc-backup, deploy, root) are rotated by the platform team.",
        "npm ci (node 20.11.1, npm 10.2.4) with lucide icons and bokeh plots; jquery 3.7.1",
        "lol we were gonna go but wanna wait, lmao",
        "I go by Kate these days, known as the quiet one",
        # prose of another language: its words are unknown to the English list, not logins
        "Se realiza una primera vacuna a las dos semanas; el rango de horas es normal y el caso1 "
        "presenta proteína de bence-jones en la orina.",
        "Use `gh auth status` to check the logged-in account.",
    ],
)  # fmt: skip
def test_no_login_in_prose(text: str) -> None:
    assert users(text) == []


@pytest.mark.parametrize("handle", ["delta", "instagram", "comcastcares", "AmazonHelp", "AskAmex", "united"])
def test_brand_handles(handle: str) -> None:
    assert brand_handle(handle)
    assert users(f"@{handle} my flight got cancelled and the app won't let me rebook 😡") == []


@pytest.mark.parametrize("handle", ["grace", "kev_hollis88", "rosie.p", "askarov", "benjicooks"])
def test_person_handles_are_no_brands(handle: str) -> None:
    assert not brand_handle(handle)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RT @kdotfan_22: this album is everything", ["@kdotfan_22"]),
        ("omg the cake was so good. @emmaxo_04 thank u", ["@emmaxo_04"]),
        ("ok so @jmarlowe99 said no", ["@jmarlowe99"]),
        ("x = a @ b_1", []),
        ("@lru_cache(maxsize=1)\ndef f(): pass", []),
        ("  @login_required\n  def view(request):", []),
        ("thanks to @delta and @comcastcares for nothing", []),
    ],
)  # fmt: skip
def test_personal_handles_in_posts(text: str, expected: list[str]) -> None:
    assert users(text) == expected
