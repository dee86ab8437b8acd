"""User names in the places people and systems write them: mentions, chat nicks, access logs, ssh
targets, connection strings, audit records; never decorators, annotations or grammar."""

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
        # social posts and payments
        ("they fell asleep in the sun 🥵 @rosie.p @yj_kim01", ["@rosie.p", "@yj_kim01"]),
        ("@sarah_bakes_nyc your cinnamon rolls save lives", ["@sarah_bakes_nyc"]),
        ("selling 2 tix for sat. venmo @tay-morales or text me", ["@tay-morales"]),
        ("reporting @real_bigmike77 for harassment", ["@real_bigmike77"]),
        # docs and on-call rosters
        (
            "# Contributors\n- Rose Young (@ryoung) — parser\n- Grant Fisher (@gfisher) — CLI",
            ["@ryoung", "@gfisher"],
        ),
        ('- name: Ngozi Eze\n  slack: "@ngozi.eze"', ["@ngozi.eze"]),
        # chat exports, tickets, logs
        ("[14:01] <carlos.m> hi, prod DB CPU at 95%\n[14:02] <yuki> looking", ["carlos.m", "yuki"]),
        ("Ticket: account compromise\nUser bellamy.r reports logins from abroad", ["bellamy.r"]),
        ("long-running report query from user k_osei2", ["k_osei2"]),
        ('10.1.4.22 - mwaweru [12/Nov/2024:10:05:01 +0000] "GET / HTTP/1.1" 200 512', ["mwaweru"]),
        ("ssh mlopez@142.93.18.240 -i ~/.ssh/id_ed25519", ["mlopez"]),
        # a full-name account in a macOS or Windows home directory (also under a copied workspace)
        ("Working directory: /tmp/x/Users/Margaret Thornton/project", ["Margaret Thornton"]),
        ("cwd C:\\Users\\Margaret Thornton\\project", ["Margaret Thornton"]),
        ('<add connectionString="Server=sql01;User Id=tpark2;Password=x" />', ["tpark2"]),
        ('type=USER_LOGIN msg=\'op=login acct="kfischer" exe="/usr/sbin/sshd"\'', ["kfischer"]),
        # mentions in casual sentences and closing a post; Reddit and Discord handles
        ("lol @ashley and mike were sooo late", ["@ashley"]),
        ("love you auntie. @rosa.delgado.71", ["@rosa.delgado.71"]),
        ("u/throwaway_jess posted this on reddit", ["u/throwaway_jess"]),
        ("thanks /u/spez for nothing", ["/u/spez"]),
        ("add me on discord: kayla#4821", ["kayla#4821"]),
        # a dotted account in a Windows home directory; an Exchange recipient's mailbox
        ("Open C:\\Users\\Priya.Raman\\Desktop\\report.xlsx", ["Priya.Raman"]),
        ("X-cc: Tweed, Sheila </O=ENRON/OU=NA/CN=RECIPIENTS/CN=Stweed>", ["Stweed"]),
        # an account in a person's field of a ticket or a review record
        ('{"assignee": "jdoe-support", "tags": ["billing"]}', ["jdoe-support"]),
        ("reviewer: 'o.bakker'\nstatus: approved", ["o.bakker"]),
        # an account after its cue word, shaped like a handle
        ("Login ID: mgarcia2024", ["mgarcia2024"]),
        ("Screen name: sunny_day_99", ["sunny_day_99"]),
        ("My handle on the forum is QuietStorm.", ["QuietStorm"]),
        ('I can\'t log in with my username "TechGuru_77".', ["TechGuru_77"]),
        ("Account username - samuel.k", ["samuel.k"]),
        # a Slack or Discord export with short lines and capitalised speakers beside the handles
        (
            "Slack #it-help\naisha.k: my laptop won't charge since the update\n"
            "Nyx: check the charger first please\naisha.k: 4th floor by the window, ask if im not there",
            ["aisha.k", "aisha.k"],
        ),
        # no separator: only handle-shaped values (underscore, digits, inner capitals)
        ("Your account was created under the username JaneDoe and user ID jdoe123.", ["JaneDoe", "jdoe123"]),
        # a chat export whose lines are short replies
        (
            "priya.s: customer says refund didn't arrive\njmcgrath: which PSP?\npriya.s: ok thanks",
            ["priya.s", "jmcgrath", "priya.s"],
        ),
    ],
)
def test_user_names_are_found(text: str, expected: list[str]) -> None:
    assert users(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "@dataclass(frozen=True)\nclass Point:\n    @property\n    def x(self): ...",
        "/**\n * @param name the user name\n * @returns nothing\n */",
        "Tests run under @given should return None",
        "Include @classmethod and @staticmethod decorators",
        "only possible via a @pytest.mark.xfail mark",
        'cfg = {"scorer": {"@scorers": "spacy.entity_scorer.v1"}}',
        "npm i @types/node; @media screen { }",
        "<typespec> = byte | character\n<attrspec> = comma separated list",
        "for user visible outputs the user interface matters",
        "ssh root@10.0.0.1 uptime",
        "see src/home/views.py and /Users/Shared/data",
        '127.0.0.1 - - [12/Nov/2024:10:05:01 +0000] "GET /health HTTP/1.1" 200 2',
        # issue and anchor references, units, class attributes in paths
        "see issue#1234 and PR#88 and color:#1234 and /docs/page#1234",
        "throughput of 5 mu/s and the menu/settings tab",
        "import from Foo.Bar and run @pytest.mark.slow tests.",
        "name: build\nrun: make test\nenv: prod",
        '{"owner": "platform-team", "author": "release-bot", "assignee": "dependabot"}',
        '{"author": "Rose Young", "reviewer": "self"}',
        "The handle is INVALID_HANDLE_VALUE when CreateFile fails; close the handle CloseHandle gives.",
        "username = get_username()\nhandle_error(err) and username_field",
        "the login flow for the OAuth handle is described below; Screen name: required",
        "Bot: Hi! What's your name?\nUser: need to update my address\nBot: Sure, what is the new one?",
        "enter the username Field and your user ID 12345; the user id Column is unique",
    ],
)
def test_code_and_system_accounts_are_left_alone(text: str) -> None:
    assert users(text) == []
