"""Account numbers and SSNs written in ways the labelled-id rules (identifiers.py, us.py) do not read.

- Spaced out character by character, perhaps with dash groups (`0 9 1 1 - 8 8 4 - 4 1 7`,
  `Z 7 7 - 4 4 1 8 8 2`): forms with one box per digit, and people reading a number into a chat.
  Nothing else is written so but digit tables, so the value needs 7+ digits (5 right after a number
  word: `NUMBER G 7 7 0 1 2`) and a label word for an account, member, policy or id earlier on its
  line (or on the line above, a chat's question).
- An SSN 3-2-4 with spaced or typographic dashes (`301 - 44 - 8812`, `585 – 44 – 1187`, also
  spaced out), or spelled in words (`five eight one, two two, nine zero one four`), when an SSN
  label is earlier on its line with only words between (`Social Security number, for
  identification only, is ...`).
- An account number spelled in words after an account label (`acct is four four one zero ...`).
- A person's id in an HL7 v2 name field (XCN: `|D44127^O'BRIEN^SEAMUS^T^^DR|` in PV1, ORC, ...):
  attending, referring and ordering clinicians; open_ids leaves segments other than the patient's.
- The account of an ISO 20022 payment (`<DbtrAcct><Id><Othr><Id>000012774419</Id>`): SEPA and
  pain.001 files name the debtor's and creditor's accounts so when they are no IBAN.
- The account line of a SWIFT MT103 party field (`:50K:/118204417`, `:59:/4400112233`): the
  ordering customer's and the beneficiary's accounts; banks' fields (`:52A:`, `:57A://FW...`) are not.

One regex scan per shape over the whole text; the label check looks only at the line before a hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

from maskgate.detect.fastre import pick
from maskgate.detect.spans import Span

SCORE = 0.85

# Single characters separated by one space, dash groups allowed (` - `, ` – `): 5+ characters.
_SPACED = re.compile(
    # (the lookahead first: most positions fail on it, before the costlier lookbehinds)
    r"(?=[A-Z0-9] [-–—A-Z0-9])(?<![\w.,/-])(?<!\b[A-Za-z0-9] )[A-Z0-9](?:[ ](?:[-–—][ ])?[A-Z0-9]){4,24}"
    r"(?![\w])(?! [A-Za-z0-9]\b)"
)
# SSN 3-2-4 whose separators a form or a word processor spaced out or turned into an en or em dash.
_SSN_LOOSE = re.compile(
    r"(?<![\w.-])(?:\d{3}[ \t]*[-–—][ \t]*\d{2}[ \t]*[-–—][ \t]*\d{4}"
    r"|\d[ ]\d[ ]\d[ \t]*[-–—][ \t]*\d[ ]\d[ \t]*[-–—][ \t]*\d[ ]\d[ ]\d[ ]\d)(?![\w]|[.-]\d)"
)
_DIGIT_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
# Digits in words, separated by blanks, commas or dashes: 7+ words.
_WORDS = re.compile(
    rf"(?=[zotfsenZOTFSEN])(?<![\w-])(?i:{_DIGIT_WORD}(?:[ \t]*[,-]?[ \t]+{_DIGIT_WORD}|-{_DIGIT_WORD}){{6,17}})(?![\w-])"
)

# Label words (lower-case text), the last on the line before the value.
_ACCOUNT_LABEL = re.compile(
    r"(?<![a-z])(?:acc(?:oun)?t|acc(?=[ .]*(?:no|#))|a/c|member(?:ship)?|mbr|policy|pol(?=\.)|loan|"
    r"subscriber|sub(?=[ .]*id)|cust(?:omer)?|client|loyalty|frequent flyer|rewards|savings|checking|"
    r"iban|clabe|id|no|number|nr|num|#)(?![a-z])"
)
_SSN_LABEL = re.compile(
    r"(?<![a-z0-9])(?:ssn|s\.s\.n|ss#|soc(?:ial)?\.?[ _.-]?sec(?:urity)?|social(?=[ \t]*(?:[:#=]|is\b|no\b)))"
    r"(?![a-z])"
)
# A number word or account word right before the value (`GROUP OR FECA NUMBER G 7 7 0 1 2`): then
# 5 digits are enough.
_RIGHT_AFTER = re.compile(r"(?i:(?<![a-z])(?:number|no\.?|nr|num|#|id|acct|account)[ \t:#.]{1,4})$")
_SSN_WORDS = ("ssn", "s.s.n", "ss#", "soc")  # `social` too; an SSN value needs one before it
_LAST4 = re.compile(r"last[ \t-]*(?:4|four)|ending")
_SENTENCE_END = re.compile(r"[!?]|[.][ \t]+[A-Z]")
_NEAR = 80  # how far back on the line a label may stand


def _line_before(text: str, start: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    return text[max(line_start, start - _NEAR) : start]


def _label_near(text: str, start: int, label: re.Pattern[str], *, above: bool) -> bool:
    """A label word before the value on its line, with no sentence end or other number between;
    else, with `above`, on the line above (a chat turn that asked for it)."""
    before = _line_before(text, start)
    found = list(label.finditer(before.lower()))
    if found:
        between = before[found[-1].end() :]
        if not _SENTENCE_END.search(between) and not _LAST4.search(between.lower()):
            return not any(c.isdigit() for c in between)
    if not above:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0:
        return False
    above_start = text.rfind("\n", 0, line_start - 1) + 1
    return label.search(text[above_start : line_start - 1].lower()) is not None


_DIGIT_VALUES = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_WORD_RE = re.compile(_DIGIT_WORD, re.IGNORECASE)


def _digits_of_words(value: str) -> str:
    return "".join(_DIGIT_VALUES[w.lower()] for w in _WORD_RE.findall(value))


def _varied(digits: str) -> bool:
    """Not a run of one digit, and not counting up (`1 2 3 4 5 6 7 8`)."""
    if len(set(digits)) < 3:
        return False
    return not all(int(b) - int(a) == 1 for a, b in pairwise(digits))


# `:50K:`, `:50A:`, `:50F:`, `:59:`, `:59A:`, `:59F:`, perhaps `Ordering customer:` or `Beneficiary:`
# after the tag in a summary, then `/` and the account (letters and digits, an IBAN too).
_SWIFT_PARTY = re.compile(
    r"(?m)^[ \t]*:(?:50[AFK]?|59[AF]?):[ \t]*(?:[A-Za-z][A-Za-z ]{0,30}:[ \t]*)?/(?!/)"
    r"(?P<value>[A-Z0-9][A-Z0-9 -]{3,40}?)[ \t]*$"
)


_ISO_ACCOUNT = re.compile(
    r"<(?:Dbtr|Cdtr|Ultmt)?Acct>[ \t\r\n]*<Id>[ \t\r\n]*<Othr>[ \t\r\n]*<Id>(?P<value>[A-Za-z0-9 -]{4,40})</Id>"
)


def _iso_accounts(text: str) -> Iterator[Span]:
    for m in _ISO_ACCOUNT.finditer(text):
        if sum(c.isdigit() for c in m.group("value")) >= 5:
            yield Span(m.start("value"), m.end("value"), "ACCOUNT_NUMBER", SCORE, "regex:loose_id")


def _swift_accounts(text: str) -> Iterator[Span]:
    for m in _SWIFT_PARTY.finditer(text):
        value = m.group("value")
        if sum(c.isdigit() for c in value) >= 5:
            yield Span(m.start("value"), m.end("value"), "ACCOUNT_NUMBER", SCORE, "regex:loose_id")


# An HL7 v2 segment line; in it, a field whose first component is an id (digits, perhaps after a few
# letters) and whose next two are a family and a given name in capitals.
_HL7_LINE = re.compile(r"(?m)^[A-Z][A-Z0-9]{2}\|[^\n]*")
_HL7_XCN = re.compile(
    r"(?<=[|~])(?P<value>[A-Z]{0,3}\d{3,15})\^(?=[A-Z][A-Za-z' -]{1,40}\^[A-Z][A-Za-z' -]{0,40}[\^|~\r\n])"
)


# Segments whose `code^text^system` fields look the same (`|80053^CMP^CPT|`): orders, results,
# diagnoses, procedures, allergies, drugs, charges.
_HL7_CODED = frozenset({"OBX", "OBR", "DG1", "PR1", "AL1", "RXA", "RXE", "RXO", "RXD", "RXR", "FT1", "SPM"})


def _hl7_ids(text: str) -> Iterator[Span]:
    for line in _HL7_LINE.finditer(text):
        if text[line.start() : line.start() + 3] in _HL7_CODED:
            continue
        for m in _HL7_XCN.finditer(text, line.start(), line.end()):
            yield Span(m.start("value"), m.end("value"), "ID_NUMBER", SCORE, "regex:loose_id")


class LooseIdFinder:
    """Spaced-out, loosely separated and spelled-out account numbers and SSNs when labelled; SWIFT
    party accounts."""

    name = "loose_id"
    label = "ACCOUNT_NUMBER"  # nominal; SSNs carry US_SSN
    locale = "any"
    version = "1"
    requires: tuple[str, ...] = ()

    def find(self, text: str) -> Iterator[Span]:
        low = text.lower()
        if ":5" in text:
            yield from _swift_accounts(text)
        if "Acct>" in text:
            yield from _iso_accounts(text)
        if "^" in text and "|" in text:
            yield from _hl7_ids(text)
        taken: list[tuple[int, int]] = []
        ssn_words = any(w in low for w in _SSN_WORDS)
        for m in pick(_SSN_LOOSE, text).finditer(text) if ssn_words else ():
            value = m.group()
            if not any(c in value for c in " \t–—"):
                continue  # `536-22-1234`: us.py's
            if _varied("".join(c for c in value if c.isdigit())) and _label_near(
                text, m.start(), _SSN_LABEL, above=False
            ):
                taken.append((m.start(), m.end()))
                yield Span(m.start(), m.end(), "US_SSN", 0.9, "regex:loose_id")
        for m in pick(_SPACED, text).finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            digits = "".join(c for c in m.group() if c.isdigit())
            if not _varied(digits) or len(digits) < (
                5 if _RIGHT_AFTER.search(_line_before(text, m.start())) else 7
            ):
                continue
            if _label_near(text, m.start(), _SSN_LABEL, above=False) and len(digits) == 9:
                yield Span(m.start(), m.end(), "US_SSN", 0.9, "regex:loose_id")
            elif _label_near(text, m.start(), _ACCOUNT_LABEL, above=True):
                yield Span(m.start(), m.end(), "ACCOUNT_NUMBER", SCORE, "regex:loose_id")
        for m in pick(_WORDS, text).finditer(text):
            digits = _digits_of_words(m.group())
            if len(digits) < 7 or not _varied(digits):
                continue
            if len(digits) == 9 and _label_near(text, m.start(), _SSN_LABEL, above=False):
                yield Span(m.start(), m.end(), "US_SSN", 0.9, "regex:loose_id")
            elif _label_near(text, m.start(), _ACCOUNT_LABEL, above=True):
                yield Span(m.start(), m.end(), "ACCOUNT_NUMBER", SCORE, "regex:loose_id")


LOOSE_ID = LooseIdFinder()
RECOGNIZERS = [LOOSE_ID]
