"""Logins in git output and source code: TODO(owner), @author, bare trailer logins, blame lines,
forge remotes and profiles, profile-URL segments — never topics, organisations' repositories or
placeholders."""

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
        # code
        ("    // TODO(jdoe): remove after the migration\n    # FIXME(mlopez) flaky on arm64", ["jdoe", "mlopez"]),
        ("/**\n * Parses the ledger.\n * @author tpark\n */", ["tpark"]),
        ('__author__ = "k.osei"', ["k.osei"]),
        # git output pasted by agents and in tickets
        ("    fix race\n\n    Reviewed-by: kwu\n    Signed-off-by: Tom Park <tpark@acme.io>", ["kwu"]),
        ("^8f3a2c1 (jdoe    2024-11-12 10:00:00 +0000 14)     retries = 3", ["jdoe"]),
        ("origin\tgit@github.com:jdoe/dotfiles.git (fetch)\norigin\tgit@github.com:jdoe/dotfiles.git (push)",
         ["jdoe", "jdoe"]),
        ("git clone git@github.com:rnguyen/ml-notes.git", ["rnguyen"]),
        ("git remote add fork https://github.com/mlopez-dev/app.git", ["mlopez-dev"]),
        # profile links in chats, e-mail signatures and CVs
        ("my GitHub: https://github.com/ksmith", ["ksmith"]),
        ("see https://gitlab.com/users/aisha.k/projects", ["aisha.k"]),
        ("posted at https://forum.example.org/u/tpark2 and https://medium.com/@bwells/post", ["tpark2", "bwells"]),
    ],
)  # fmt: skip
def test_logins_in_code_and_git(text: str, expected: list[str]) -> None:
    assert users(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "# TODO(perf): cache this\n# TODO(b/12345) and TODO(#88) and NOTE(security) and TODO(someone)",
        "@author Jane Doe <jane@acme.io>\n@author The Ledger Team",
        "Signed-off-by: dependabot[bot] <support@github.com>\nCo-authored-by: github-actions",
        "pip install git+https://github.com/pallets/flask and https://github.com/anthropics/claude-code/issues",
        "GET https://api.github.com/users/octocat and /users/me and /users/{id} and /users/new",
        "https://github.com/features and https://github.com/settings/tokens",
        "upstream\thttps://github.com/ledgerly/expense-bot.git (fetch)\nvendor\tgit@github.com:shopify/lint.git (push)",
        "see /users/ in the router; path('/u/<str:name>/')",
    ],
)
def test_topics_organisations_and_routes_stay(text: str) -> None:
    assert users(text) == []
