"""Names in the description lines of bank and card statements.

A statement line names the other party of a person-to-person payment in capitals and without any
field label: `ZELLE TO OKONJO CHIDI CONF# Q8XK21P`, `CHECK #1042 PAID TO MARGARET O'HARE`, `VENMO
CASHOUT J DE VRIES`, `ONLINE TRANSFER TO DE VRIES A N SAV ...8812`. After a payment keyword and
`TO`/`FROM`, one to five words written as a name (known given names or surnames, or words that are no
English word), initials and particles make the name; the statement's own words (`SAVINGS`, `CARD`,
`CONF#`, an account tail) end it. A payee that is a company (`PAYMENT TO WELLS FARGO CARD`, `PAID TO
COMCAST`) has no known personal name in it or is followed by the company's kind of account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.words import NOT_NAMES, PARTICLES, english_words, gazetteer

_KEYWORD = re.compile(
    r"(?i:\b(?:zelle|venmo|paypal|cash[ ]?app|apple[ ]cash|wise)(?:[ \t]+(?:payment|pmt|transfer|xfer|"
    r"cashout|inst[ \t]+xfer|instant))?(?:[ \t]+(?:to|from))?"
    r"|\b(?:paid|payment|pmt|transfer|xfer|wire|deposit|remitted|sent|received)[ \t]+(?:to|from))[ \t]+"
)
_NAME = re.compile(r"[A-Z][A-Za-z'’-]*\.?")
# the statement's own words after a payee: where the name ends
_AFTER_NAME = frozenset(
    [
        "conf",
        "ref",
        "id",
        "sav",
        "chk",
        "acct",
        "account",
        "card",
        "loan",
        "auto",
        "mortgage",
        "savings",
        "checking",
        "ach",
        "ppd",
        "web",
        "ccd",
        "on",
        "for",
        "via",
        "memo",
        "online",
        "mobile",
        "inst",
        "bank",
        "inc",
        "llc",
        "ltd",
        "corp",
        "co",
        "x",
        "xx",
        "xxx",
    ]
)

_COMPANY_AFTER = frozenset(["card", "loan", "auto", "mortgage", "bank", "inc", "llc", "ltd", "corp", "co"])


def statement_names(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each payee or payer name on a statement description line."""
    if not any(k in text for k in ("TO ", "FROM ", "ZELLE", "VENMO", "PAYPAL", " to ", "Zelle", "Venmo")):
        return
    english = english_words()
    table = gazetteer()
    for k in _KEYWORD.finditer(text):
        pos = k.end()
        words: list[tuple[int, int, str]] = []
        company = False
        while len(words) < 5:
            m = _NAME.match(text, pos)
            if m is None:
                break
            word = m.group(0).rstrip(".")
            key = word.lower().strip("'’-")
            if key in _AFTER_NAME and not (len(word) == 1 and words):
                company = key in _COMPANY_AFTER
                break
            if not (word.isupper() or (word[:1].isupper() and word[1:].islower())):
                break
            dot = 1 if len(word) == 1 and m.group(0).endswith(".") else 0  # "J." keeps its dot
            words.append((m.start(), m.start() + len(word) + dot, key))
            gap = re.match(r" (?=\S)", text[m.end() : m.end() + 2])
            if gap is None:
                break
            pos = m.end() + 1
        while words and (words[-1][2] in PARTICLES):
            words.pop()
        names = [w for w in words if len(w[2]) > 1 and w[2] not in PARTICLES]
        if not names or company:
            continue  # "PAYMENT TO WELLS FARGO CARD": a company's account
        known = [w for w in names if ("f" in table.get(w[2], "") or "l" in table.get(w[2], ""))]
        plain = [w for w in names if w[2] in english and w not in known]
        if not known or plain or any(w[2] in NOT_NAMES for w in names):
            continue  # "TRANSFER TO SAVINGS", "PAID TO COMCAST": no person
        if len(names) == 1 and len(words) == 1 and names[0][2] in english:
            continue  # "PAYMENT TO CHASE": one word that is also a company or a word
        yield words[0][0], words[-1][1]
