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

from maskgate.detect.words import NOT_NAMES, PARTICLES, english_words, gazetteer, word_list

# "... PAID TO", "Zelle payment from": a payment word right before "to"/"from" and a capital
_TO_FROM = re.compile(r"[ \t](?:to|from|TO|FROM|To|From)[ \t]+(?=[A-Z])")
_PAID_BEFORE = re.compile(
    r"(?i:\b(?:paid|payment|pmt|transfer|xfer|wire|deposit|remitted|sent|received|zelle|venmo|paypal|"
    r"cash[ ]?app|cashout|instant))$"
)
# "VENMO CASHOUT J DE VRIES", "ZELLE OKONJO CHIDI": an app's name, then the person
_APP = re.compile(
    r"\b(?:ZELLE|VENMO|PAYPAL|CASH[ ]?APP|Zelle|Venmo|PayPal|Cash[ ]App)(?:[ \t]+(?:CASHOUT|INST[ \t]+XFER|"
    r"PAYMENT|PMT|TRANSFER|XFER|payment|transfer))?(?:[ \t]+(?:TO|FROM|to|from))?[ \t]+(?=[A-Z])"
)
_NAME = re.compile(r"[A-Z][A-Za-z'’-]*\.?")
# the statement's own words after a payee: where the name ends
_AFTER_NAME = frozenset(
    word_list(
        """
        conf ref id sav chk acct account card loan auto mortgage savings checking ach ppd web ccd on for
        via memo online mobile inst bank inc llc ltd corp co x xx xxx
        """
    )
)

_COMPANY_AFTER = frozenset(word_list("card loan auto mortgage bank inc llc ltd corp co"))


def statement_names(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each payee or payer name on a statement description line."""
    starts = {m.end() for m in _APP.finditer(text)}
    for m in _TO_FROM.finditer(text):
        if _PAID_BEFORE.search(text, max(0, m.start() - 14), m.start()):
            starts.add(m.end())
    if not starts:
        return
    english = english_words()
    table = gazetteer()
    for pos in sorted(starts):
        words: list[tuple[int, int, str]] = []
        company = False
        while len(words) < 5:
            w = _NAME.match(text, pos)
            if w is None:
                break
            word = w.group(0).rstrip(".")
            key = word.lower().strip("'’-")
            if key in _AFTER_NAME and not (len(word) == 1 and words):
                company = key in _COMPANY_AFTER
                break
            if not (word.isupper() or (word[:1].isupper() and word[1:].islower())):
                break
            dot = 1 if len(word) == 1 and w.group(0).endswith(".") else 0  # "J." keeps its dot
            words.append((w.start(), w.start() + len(word) + dot, key))
            if not (text[w.end() : w.end() + 1] == " " and text[w.end() + 1 : w.end() + 2].strip()):
                break  # one space between the words of a name; two end the description
            pos = w.end() + 1
        while words and (words[-1][2] in PARTICLES):
            words.pop()
        names = [x for x in words if len(x[2]) > 1 and x[2] not in PARTICLES]
        if not names or company:
            continue  # "PAYMENT TO WELLS FARGO CARD": a company's account
        known = [x for x in names if ("f" in table.get(x[2], "") or "l" in table.get(x[2], ""))]
        plain = [x for x in names if x[2] in english and x not in known]
        if not known or plain or any(x[2] in NOT_NAMES for x in names):
            continue  # "TRANSFER TO SAVINGS", "PAID TO COMCAST": no person
        if len(names) == 1 and len(words) == 1 and names[0][2] in english:
            continue  # "PAYMENT TO CHASE": one word that is also a company or a word
        yield words[0][0], words[-1][1]
