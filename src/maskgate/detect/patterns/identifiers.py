"""Labelled identifiers: record, member, account, employee, case and licence numbers, NPI, DEA...

One mechanism for all of them (issue 11 item 2). An identifier is any identifier-shaped token
(letters, digits, dashes, with enough digits: `MRN-551203`, `MED90817264`, `K2203117`, `204-77-861`,
`#NY-115533`, `55120KT`) that the text *labels* as one, written as

- `Label: X`, `Label #X`, `Label X`, `(Label: X)`, `Label = X`, `Label is X`, `Label – X`,
  `Label (No. X)`, `**Label:** X`, `<td>Label</td><td>X`;
- `Label` then aligned spaces, tabs or table pipes (`MRN      551203`, `| Member ID | K2203117 |`);
- the label alone on its line and the value on the next;
- `X (label)`, and `Role: Name (#X)` (`Employee: Gregory Ashcombe (#00871)`);
- `Label1/Label2: X / Y`;
- a JSON or XML key (`"member_id": "K2203117"`, `memberId=...`, `<MemberID>K2203117</MemberID>`), or
  the type of a FHIR/XML identifier (`{"type": {"text": "MRN"}, "value": "00448120"}`);
- a table column whose header is a label (CSV, TSV, Markdown, space-aligned tables, SQL INSERT).

The vocabulary (`id_vocab.py`) says which words are labels and what label each gives. Without a
label nothing is taken here: `JIRA-1234` is a ticket and `12345678` anything. Checksummed numbers
(NPI, DEA) are checked; the rest are identifiers because the writer said so. Identifiers that no
known label names are the `open_ids` layer's (`open_ids.py`: taken by shape unless context explains
them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.patterns.base import Finder
from maskgate.detect.patterns.id_values import CHECKS, DATE, checked_ok, shape_ok
from maskgate.detect.patterns.id_vocab import (
    CAPITALS,
    COLUMN_ENTRIES,
    ENTRIES,
    EXTRA_PACKS,
    NUMBER_WORDS,
    alone_pattern,
    entry_pattern,
    first_words,
    role_pattern,
)
from maskgate.detect.patterns.open_ids import aba_ok
from maskgate.detect.spans import Span
from maskgate.detect.tables import Quotes, sniff_delimiter, split_row

# Vocabulary keys that are not span labels: booking codes are account references; a bare `ID`.
_OUTPUT = {"BOOKING": "ACCOUNT_NUMBER", "ID_BARE": "ID_NUMBER"}
ALONE = "__A"  # suffix of the regex group of a head written without a number word
ROLE = "__R"  # suffix of the regex group of a word for a person (`Employee: Name (#00871)`)
_ROLES = frozenset(w for e in ENTRIES for w in e.roles)
COLUMN_ONLY = frozenset(e.label for e in COLUMN_ENTRIES)

# Scores: below checksummed numbers and the locale packs' validated formats (a labelled TFN or SSN
# keeps its own label), above the default threshold.
SCORE = 0.85
CHECKED_SCORE = 0.95


_CAPITALS = CAPITALS | {w for pack in EXTRA_PACKS for w in pack.CAPITALS_ONLY}
PACK = "__L"  # suffix (and pack number) of the regex group of another language's label words
_WORDS = "|".join(
    [entry_pattern(e, e.label) for e in (*ENTRIES, *COLUMN_ENTRIES)]
    + [
        f"(?P<{label}{PACK}{i}>{'|'.join(regexes)})"
        for i, pack in enumerate(EXTRA_PACKS)
        for table in (pack.VOCABULARY, pack.COLUMN_ONLY)
        for label, regexes in table.items()
        if regexes
    ]
)
# Heads alone come last: at one position the qualified phrase (`file number`) wins.
_ALONE_WORDS = "|".join(p for e in ENTRIES if (p := alone_pattern(e, e.label + ALONE)) is not None)
_ROLE_WORDS = "|".join(p for e in ENTRIES if (p := role_pattern(e, e.label + ROLE)) is not None)
# A bare `ID` labels a person's id only inline, written `ID`, after a name or at the start of a field
# (`Student: Sarah Lee, ID: 654321`, `His ID is 789012`); as a column or a key it is a database id.
_BARE_ID = r"(?P<ID_BARE>id)"
# On the lower-cased text: a label word, not followed by more letters. That it does not start inside
# a word (`_` may precede: `patient_mrn`) is checked after the match: a leading look-behind would
# make the engine try every position instead of skipping to the words' first letters (~3x slower).
_LABEL_RE = re.compile(rf"(?:{_WORDS}|{_BARE_ID}|{_ALONE_WORDS}|{_ROLE_WORDS})(?:(?<=[#°º])|(?![a-z]))")
# The first word of every label above. Scanning the text with `_LABEL_RE` tries its whole alternation
# at every position; a letter-run scan plus a prefix check per word, then `_LABEL_RE.match` only where
# a label can start, is ~10x faster. tests/detect/test_recognizers_identifiers.py checks the two agree.
FIRST_WORDS = frozenset(
    first_words((*ENTRIES, *COLUMN_ENTRIES)) | {"id"} | {w for pack in EXTRA_PACKS for w in pack.FIRST_WORDS}
)
# A set lookup of a word's first three (or two) characters is cheaper than a regex alternation of
# two hundred words, and lets through only the few words the label regex must then try.
_PREFIX3 = frozenset(w[:3] for w in FIRST_WORDS if len(w) >= 3)
_PREFIX2 = frozenset(w for w in FIRST_WORDS if len(w) == 2)
_LETTERS = re.compile(r"[a-z]+")


def label_starts(low: str) -> Iterator[re.Match[str]]:
    """`_LABEL_RE` matches in the lower-cased text that do not start inside a word."""
    end = 0
    label_at = _LABEL_RE.match
    for tok in _LETTERS.finditer(low):
        start = tok.start()
        if start < end or (start and low[start - 1].isalnum()):
            continue
        if low[start : start + 3] not in _PREFIX3 and low[start : start + 2] not in _PREFIX2:
            continue
        m = label_at(low, start)
        if m is not None:
            end = m.end()
            yield m


# A column header: a label, perhaps after one or two words (`Patient MRN`, `Primary Insurance Member ID`),
# perhaps ending in `.` or `:` (`Acct. No.`).
_HEADER_RE = re.compile(rf"(?:[a-z]+[ _]){{0,2}}(?:{_WORDS}|{_ALONE_WORDS})[.:]?")

# After the label: `: `, ` #`, `=`, `>` (XML), `":"` (JSON, also escaped), ` is `, ` - `, aligned
# blanks or pipes, a colon then a line break (forms), a line break after a label alone on its line
# (`below`); `(?P<tight>)` marks a label glued to its value by one dash or nothing (`MRN-551203`,
# `MRN551203`), where the label is part of the identifier.
_AFTER = re.compile(
    # Markdown emphasis may close the label (`**MRN:**`, `**Member ID**:`); a parenthesised
    # abbreviation may follow it (`Medicare Beneficiary Identifier (MBI): ...`, `(MRN) 00448120`)
    r"\.?(?:\*{1,3}|_{1,3})?(?:[ \t]*\([A-Za-z][A-Za-z .#/-]{0,19}\)(?=[ \t]*[:#=]|[ \t]+#?[A-Z0-9-]*\d))?"
    r"(?:\\?[\"']?(?:[ \t]*(?:[:=#|>]|:=|=>)[ \t|]*(?:\r?\n(?:[ \t]*[-=_]{3,}[ \t]*\r?\n)?[ \t]*)?#?"
    # `is`, `was`, `of`, perhaps after a few words saying where it is kept (`MRN is: 4471220`,
    # `policy number on file is ...`, `member ID we have is ...`)
    # (`account number on the form is ...`, `member ID on my card is ...`)
    r"|[ \t]+(?:(?:on[ \t]+(?:file|record)|we[ \t]+have(?:[ \t]+on[ \t]+file)?|provided|given|listed|shown"
    r"|(?:on|in)[ \t]+(?:the|my|your|his|her|our|their)[ \t]+(?:form|card|bill|statement|letter|app|portal|screen))[ \t]+)?"
    r"(?:is|was|of|reads)[ \t]*:?[ \t]+#?"
    r"|[ \t]*[–—][ \t]*|[ \t]+-[ \t]+"
    # the value in parentheses after the label: `your account (No. 44120093)`, `member (#K2203117)`
    r"|[ \t]*\((?=[^()\n]{1,40}\))(?:[ \t]*(?:[Nn]o\.?|#|[Nn]umber|ID|[Ii]d)[ \t]*:?)?[ \t]*"
    r"|(?P<ending>[ \t]+(?:number[ \t]+)?ending[ \t]+(?:in|with)[ \t]+)"
    # HTML between label and value: `<td>MRN</td><td>00448120`, `<b>Patient ID:</b> PT-44120`
    r"|[ \t]*:?(?:[ \t]*</?[A-Za-z][A-Za-z0-9]*(?:[ \t][^<>\n]{0,60})?>){1,4}"
    # the label alone on its line, perhaps underlined (`Policy Number\n-------------\nHO-3-4471220`)
    r"|(?P<below>[ \t]*\r?\n(?:[ \t]*[-=_]{3,}[ \t]*\r?\n)?[ \t]*)|[ \t|]{1,40}#?)"
    r"(?:(?:\*{1,3}|_{1,3})(?=[ \t]))?[ \t]*\\?[\"']?(?:\#[ \t]?)?|(?P<tight>-?))"
    # the value: letters, digits and inner dashes, dots, slashes or colons between digits; then
    # optional digit groups separated by one space (`28 19865453 56`, a check digit: `2207 4418 931-5`)
    # when the line or cell ends
    # a masked prefix may hide the first digits (`****4471`, `••••-4471`)
    r"(?P<value>(?:[*•]{2,12}[- ]?(?=\d{3}))?"
    r"[A-Za-z0-9](?:[A-Za-z0-9]|[-./](?=[A-Za-z0-9])|(?<=\d):(?=\d)){1,30}(?:\([0-9A-Z]\))?"
    r"(?:(?: \d{1,10}){1,4}(?:-\d{1,2})?(?=[ \t]*(?:$|[\n,;|)\]\"'<]|[ \t]{2}|\.[ \t]*(?:$|\n))))?)"
    r"(?![\w@(]|[-.,/:]\w)",  # not a call (`policy=RFC822Policy()`)
    re.MULTILINE,
)
# A label that is no English word: it ends in a number word (`member no`, `patient #`) or is an
# acronym (`MRN`, `acct`); after it a plain blank is as good as a colon, and 4 digits are an id.
_STRONG_LABEL = re.compile(
    r"(?:^|[ _.-])(?:id|no|nr|num|number|#|nbr)$|^(?:mrn|mr#|acct|a/c|mbi|hicn|hkid|nric)$"
)
_CODE_KEY = re.compile(r"[a-z]_[a-z]|[a-z][A-Z]")  # `group_id`, `planId`
# A quantity: the value followed by a unit (`Plan: 1500 mg`, `Group 12345 units`).
_UNIT_AFTER = re.compile(
    r"[ \t]?(?:mg|mcg|ml|kg|g|lbs?|units?|%|usd|eur|gbp|days?|weeks?|months?|years?|hours?|hrs?|mins?|"
    r"minutes?|seconds?|ms|kb|mb|gb|tb|rows?|items?|people|users?|times)\b",
    re.IGNORECASE,
)
_CLOUD = re.compile(r"\b(?:aws|gcp|azure|cloud|service|storage|billing)[ \t]*$", re.IGNORECASE)
_DRIVING = re.compile(r"driv(?:er|ing)", re.IGNORECASE)
# Unmistakably an identifier without a number word: no lower case, 5+ digits, and an upper-case
# letter or an inner separator (`AUTO-77120934`, `SP/2024/00441`, `2024-0441`), not `12345`.
_STRONG = re.compile(r"#?(?=(?:\D*\d){5})(?=.*[-/.A-Z])[A-Z0-9]+(?:[-/.][A-Z0-9]+)*")
# A booking or confirmation code: 5-10 upper-case letters and digits, at least one of each (`HJ7K2P`).
_BOOKING_CODE = re.compile(r"(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{5,10}")


# (aligned fields count as a field start too: `Employee: Dana Roe   ID: E4471`)
_BARE_ID_BEFORE = re.compile(
    r"(?:^|[,;:(\[\n|\t•*]| {2}|\b(?:my|his|her|your|their|our|the|with|and))[ \t]*$", re.IGNORECASE
)


def _bare_id_ok(text: str, m: re.Match[str]) -> bool:
    """`ID` written so, at the start of a field or after a possessive: `Sarah Lee, ID: 654321`."""
    if text[m.start() : m.end()] != "ID":
        return False
    return _BARE_ID_BEFORE.search(text[max(0, m.start() - 24) : m.start()]) is not None


def _key_of(m: re.Match[str]) -> str:
    # the vocabulary's groups are the only named ones and none nests another: the last closed is it
    key = m.lastgroup or ""
    return key.split(PACK)[0] if PACK in key else key  # another language's words label like names


# `Employee: Gregory Ashcombe (#00871)`, `Patient: Jane Roe (MRN 00448120)`: a labelled person, then
# the id in parentheses on the same line.
_PAREN_ID = re.compile(
    r"[A-Za-z .,'’-]{1,60}?\([ \t]*(?:#|(?i:no\.?|id|number)[ \t]*[:#]?)?[ \t]*"
    r"(?P<value>[A-Za-z0-9](?:[A-Za-z0-9]|[-./](?=[A-Za-z0-9])){2,30})[ \t]*\)"
)
# `55120KT (member ID)`: the value before the label in parentheses.
_VALUE_BEFORE = re.compile(
    r"(?<![\w.-])(?P<value>[A-Za-z0-9](?:[A-Za-z0-9]|[-./](?=[A-Za-z0-9])){2,30})[ \t]*\([ \t]*$"
)
# FHIR-style and XML identifier lists: the label is the type, the value its sibling
# (`{"type": {"text": "MRN"}, "value": "00448120"}`, `<type>NPI</type><value>1245319599</value>`).
_TYPED_VALUE = re.compile(
    r"[^{\n]{0,80}?(?:\\?[\"']value\\?[\"'][ \t]*:[ \t]*\\?[\"']?|<value>)"
    r"(?P<value>[A-Za-z0-9](?:[A-Za-z0-9]|[-./](?=[A-Za-z0-9])){2,30})(?=\\?[\"'<,}\s])"
)


class LabelledIdFinder:
    """Identifiers after a label, under a labelled table column, or as a JSON/XML value."""

    name = "labelled_id"
    label = "MRN"  # the Finder protocol's nominal label; spans carry each vocabulary label
    locale = "any"
    version = "2"
    requires: tuple[str, ...] = ()

    def find(self, text: str) -> Iterator[Span]:
        low = text.lower()
        if len(low) != len(text):  # a case mapping changed lengths (`İ`): offsets would drift
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
            if len(low) != len(text):
                return
        done_headers: set[int] = set()
        seen: set[tuple[int, int]] = set()
        for m in label_starts(low):
            key = _key_of(m)
            if key.endswith(ROLE):
                span = _paren_id(text, m, key.removesuffix(ROLE), role=True)
                if span is not None and (span.start, span.end) not in seen:
                    seen.add((span.start, span.end))
                    yield span
                continue
            alone = key.endswith(ALONE)
            key = key.removesuffix(ALONE)
            if key == "ID_BARE" and not _bare_id_ok(text, m):
                continue
            if m.group(0) in _CAPITALS and not text[m.start() : m.end()].isupper():
                continue  # acronyms that are words (`sin`, `fin`, `tin`): labels only in capitals
            if key not in COLUMN_ONLY:
                for span in self._inline(text, m, key, alone):
                    # `"mrn": "MRN-551203"`: the key and the glued value find the same characters
                    if (span.start, span.end) not in seen:
                        seen.add((span.start, span.end))
                        yield span
            if key == "ID_BARE":
                continue  # a bare `ID` never heads a column of personal ids
            line_start = text.rfind("\n", 0, m.start()) + 1
            if line_start not in done_headers:
                done_headers.add(line_start)
                yield from _column_values(text, low, line_start)

    def _inline(self, text: str, m: re.Match[str], key: str, alone: bool) -> Iterator[Span]:
        label = _OUTPUT.get(key, key)
        pair = _PAIR.match(text, m.end())
        if pair is not None:  # `Policy/Group: PX4412 / 88120`, `MRN/DOB: 00448120 / 01-02-1970`
            yield from _pair_values(text, pair, key)
            return
        span = _after_label(text, m, key, alone)
        if span is not None:
            yield span
            yield from _more_values(text, span, key)
            return
        span = _answer_below(text, m, key)
        if span is not None:
            yield span
            return
        start, end = m.start(), m.end()
        # `{"type": {"text": "MRN"}, "value": "00448120"}`
        if start and text[start - 1] in "\"'>/-" and text[end : end + 1] in "\"'<\\":
            typed = _TYPED_VALUE.match(text, end)
            if typed is not None and _value_ok(typed.group("value"), key, loose=False):
                yield _span(typed.start("value"), typed.end("value"), label, key)
                return
        if alone:
            # `Customer: Ann Lee (CUS-0048213)`, `customer 12345678`
            paren = _paren_id(text, m, key, role=m.group(0) in _ROLES)
            if paren is not None:
                yield paren
            return
        # `55120KT (member ID)`
        if start and text[end : end + 1] == ")":
            before = _VALUE_BEFORE.search(text, max(0, start - 40), start)
            if before is not None and _value_ok(before.group("value"), key, loose=False):
                yield _span(before.start("value"), before.end("value"), label, key)
                return
        # `Patient: Jane Roe (00448120)`
        paren = _paren_id(text, m, key)
        if paren is not None:
            yield paren


# `patient 44120093 presented`, `employee #004417`: a word for a person, then a long number.
_ROLE_NUMBER = re.compile(
    r"[ \t]+#?[ \t]?(?P<value>\d[\d-]{4,14}\d|[A-Z]{1,4}-?\d{5,12})(?![\w@(]|[-.,/:]\w)"
)


def _paren_id(text: str, m: re.Match[str], key: str, *, role: bool = False) -> Span | None:
    """`Employee: Gregory Ashcombe (#00871)`: after `Label:`, a name, then the id in parentheses; or
    a person's word right before a number of 6+ digits (`patient 44120093`)."""
    if text[m.end() : m.end() + 1] != ":":
        num = _ROLE_NUMBER.match(text, m.end()) if role else None
        if num is None or not shape_ok(num.group("value"), loose=True) or _UNIT_AFTER.match(text, num.end()):
            return None
        if sum(c.isdigit() for c in num.group("value")) < 6:
            return None
        return _span(num.start("value"), num.end("value"), _OUTPUT.get(key, key), key)
    paren = _PAREN_ID.match(text, m.end() + 1)
    if paren is None or not _value_ok(paren.group("value"), key, loose=False):
        return None
    return _span(paren.start("value"), paren.end("value"), _OUTPUT.get(key, key), key)


_ID_VALUE = r"[A-Za-z0-9](?:[A-Za-z0-9]|[-.](?=[A-Za-z0-9])){1,30}"
_PAIR = re.compile(
    rf"[ \t]*/[ \t]*(?P<second>[A-Za-z][A-Za-z .#]{{0,30}}?)[ \t]*:[ \t]*(?P<v1>{_ID_VALUE})[ \t]*/[ \t]*"
    rf"(?P<v2>{_ID_VALUE})(?![\w/])"
)


def _pair_values(text: str, pair: re.Match[str], key: str) -> Iterator[Span]:
    """Two labels, then their two values in the same order: each value under its own label."""
    if _value_ok(pair.group("v1"), key, loose=False):
        yield _span(pair.start("v1"), pair.end("v1"), _OUTPUT.get(key, key), key)
    second = _LABEL_RE.fullmatch(pair.group("second").lower())
    if second is None:
        return
    key2 = _key_of(second).removesuffix(ALONE).removesuffix(ROLE)
    if key2 not in COLUMN_ONLY and key2 != "ID_BARE" and _value_ok(pair.group("v2"), key2, loose=False):
        yield _span(pair.start("v2"), pair.end("v2"), _OUTPUT.get(key2, key2), key2)


def _span(start: int, end: int, label: str, key: str) -> Span:
    score = CHECKED_SCORE if key in CHECKS else SCORE
    return Span(start, end, label, score, "regex:labelled_id")


def _value_ok(value: str, key: str, *, loose: bool) -> bool:
    if key in CHECKS:
        return checked_ok(value, key)
    if key == "BOOKING" and _BOOKING_CODE.fullmatch(value):
        return True
    return shape_ok(value, loose=loose)


def _after_label(text: str, m: re.Match[str], key: str, alone: bool) -> Span | None:
    """The value written after the label (`Label: X`, `Label #X`, `Label X`, `MRN-551203`)."""
    if key == "VEHICLE_ID" and "plate" in m.group(0):
        plate = _PLATE.match(text, m.end())
        if plate is not None:
            return _span(plate.start("value"), plate.end("value"), key, key)
    after = _AFTER.match(text, m.end())
    if after is None:
        return None
    value = after.group("value")
    value_end = after.end("value")
    glued = _WORD_AFTER_SLASH.search(value)
    if glued is not None:  # `MRN 00448120/ACCT 7712004`: the next field, not more of the value
        value, value_end = value[: glued.start()], after.start("value") + glued.start()
    first = value.split(" ", 1)[0]
    if " " in value and first.isalpha() and not first.isupper():
        return None  # `MRN ending 8120`: a word, then digits
    word = m.group(0)
    tight = after.group("tight") is not None and not word.endswith("#")  # `chart #204-77-861`
    if tight and (len(word) > 4 or not word.isalpha() or alone or any(c.islower() for c in value)):
        # only a short acronym is glued to its value (`MRN-551203`, not `account-12345`), and the
        # value is a code (not `nhs.uk/article/301`)
        return None
    if after.group("below") is not None:
        # a label alone on its line, the value alone on the next (`Medical Record Number\n00551203`)
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start : m.start()].strip(" \t*#-") or not _ends_line(text, value_end):
            return None
    sep = text[m.end() : after.start("value")]
    loose = not tight and sep.strip(" \t") == "" and "\t" not in sep and len(sep) < 2
    if loose and key != "ID_BARE" and not alone and _STRONG_LABEL.search(word):
        loose = False  # `MRN 4471`, `member no 4471`: no English word is labelled so
    # a key written as code (`group_id: 1000`, `planId=2048`) is as often a database id: 5+ digits
    if value.isdigit() and _CODE_KEY.search(text, m.start(), m.end()) is not None:
        loose = True
    if alone:
        # a head without a number word: a capitalised form field (`File: CL-448120`), or a value
        # that is unmistakably an identifier (`file AUTO-77120934`)
        # (the field's name may start with one capitalised word: `Our reference:`, `Primary account:`)
        line_start = text.rfind("\n", 0, m.start()) + 1
        field = (
            not loose
            and after.group("below") is None
            and (text[m.start()].isupper() or _FIELD_START.fullmatch(text, line_start, m.start()) is not None)
        )
        strong = _STRONG.fullmatch(value) is not None
        if word in _SPEAKERS:  # `Customer: 7733-1920` in a chat: only a code with letters (`CUS-0048213`)
            field, strong = False, strong and any(c.isalpha() for c in value)
        if not (field or strong or (key == "BOOKING" and _BOOKING_CODE.fullmatch(value))):
            return None
        if _DOCUMENT_NUMBER.match(value):
            return None  # `Reference: INV-20931`: an invoice or order, not a person's account
    if after.group("ending") is not None and key not in CHECKS:  # `account ending in 4321`
        if not (value.isdigit() and 3 <= len(value) <= 6):
            return None
    elif not _value_ok(value, key, loose=loose):
        return None
    if _UNIT_AFTER.match(text, value_end):
        return None  # `Plan: 1500 mg`: a quantity
    before = text[max(0, m.start() - 24) : m.start()]
    if key == "ACCOUNT_NUMBER" and _CLOUD.search(before):
        return None  # `AWS account 123456789012`: infrastructure, not a person's account
    if (
        len(value) == 9
        and value.isdigit()
        and _ROUTING_BEFORE.search(before)
        and not _ACCOUNT_LABEL.search(m.group(0))
        and aba_ok(value)
    ):
        return None  # `routing numbers for the payroll file: 021000021`: a bank's public number
    if key == "LICENSE_NUMBER" and _DRIVING.search(before):
        return None  # driver's licences are `licence.py`'s (US_DRIVER_LICENSE)
    start = m.start() if tight else after.start("value")
    return _span(start, value_end, _OUTPUT.get(key, key), key)


_ROUTING_BEFORE = re.compile(r"(?i:routing|\baba\b|\brtn\b)")
_ACCOUNT_LABEL = re.compile(r"acc|a/c")  # `Routing: 322271627 Account: 021000021`: the account's label


# A licence plate after `plate`: 5-8 letters and digits, both, in up to three groups, perhaps after
# the issuing state's code (`plate NC HKT-4471`, `Plate: 7ABC123`, `plate # KX 44 ZT`).
_PLATE = re.compile(
    r"[ \t]*(?:number|no\.?|#)?[ \t]*[:#]?[ \t]*"
    r"(?P<value>(?:[A-Z]{2}[ \t]+(?=[A-Z0-9]{2,4}[- ]))?"
    r"(?=[A-Z0-9 -]{0,9}\d)(?=[A-Z0-9 -]{0,9}[A-Z])(?=(?:[A-Z0-9][- ]?){5})"
    r"[A-Z0-9]{1,4}(?:[- ][A-Z0-9]{1,4}){0,2})(?![\w-])"
)
_WORD_AFTER_SLASH = re.compile(r"/(?=[A-Za-z]{2,}[ \t:#])")
# More values of the same shape listed after the first (`MRN: 00448120, 00448121`, `accounts
# 4471220 and 4471221`): each character class in the same place, so a count or a date is not one.
_NEXT_VALUE = re.compile(
    r"[ \t]*(?:[,;&]|\band\b|\bor\b)[ \t]*(?P<value>[A-Za-z0-9](?:[A-Za-z0-9]|[-./](?=[A-Za-z0-9])){2,30})"
    r"(?![\w@(]|[-.,/:]\w)"
)
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[A-Za-z]")


def _signature(value: str) -> str:
    return _LETTER.sub("A", _DIGIT.sub("9", value))


def _more_values(text: str, span: Span, key: str) -> Iterator[Span]:
    shape = _signature(text[span.start : span.end])
    pos = span.end
    for _ in range(20):
        nxt = _NEXT_VALUE.match(text, pos)
        if nxt is None or _signature(nxt.group("value")) != shape:
            return
        yield _span(nxt.start("value"), nxt.end("value"), span.label, key)
        pos = nxt.end()


# A question that asks for the label (`Can I have the policy number?`, `and the booking reference?`)
# in a turn of a chat or call transcript, then the next turn answers with the value alone, perhaps
# after a few words (`Customer: its HO 4471 220`, `CUSTOMER: QX7H2L`). Both lines are turns: the
# question's line starts with its speaker, the answer's with another speaker or none (a form's next
# field, `Transaction ID: TRX-1`, is no answer).
_QUESTION_REST = re.compile(r"[^\n?]{0,60}\?[ \t]*\r?\n")
_SPEAKER = re.compile(r"[ \t]*(?:\[[^\]\n]{1,24}\][ \t]*)?(?P<who>[A-Za-z][\w.' -]{0,30}?)[ \t]*:[ \t]")
_ANSWER = re.compile(
    r"(?i:(?:it'?s|it[ \t]+is|sure|yes|yeah|yep|ok|okay|that'?s|mine[ \t]+is)[ \t,:]+){0,2}"
    # one code, then perhaps digit groups (`HO 4471 220`), never a phrase (`my number is 4471`)
    r"(?P<value>[A-Za-z0-9](?:[A-Za-z0-9]|[-./](?=[A-Za-z0-9])){1,30}(?: \d{1,10}){0,4})"
    r"[ \t]*[.!]?[ \t]*(?:\r?\n|$)"
)
_FIELD_WORD = re.compile(
    "(?:^|[ _.-])(?:" + "|".join(map(re.escape, NUMBER_WORDS)) + "|date|amount|total|balance)$", re.IGNORECASE
)


def _answer_below(text: str, m: re.Match[str], key: str) -> Span | None:
    question = _QUESTION_REST.match(text, m.end())
    if question is None:
        return None
    asker = _SPEAKER.match(text, text.rfind("\n", 0, m.start()) + 1)
    if asker is None or asker.end() > m.start():
        return None
    pos = question.end()
    speaker = _SPEAKER.match(text, pos)
    if speaker is not None:
        who = speaker.group("who")
        if who.lower() == asker.group("who").lower() or _FIELD_WORD.search(who):
            return None
        pos = speaker.end()
    answer = _ANSWER.match(text, pos)
    if answer is None or not _value_ok(answer.group("value"), key, loose=False):
        return None
    return _span(answer.start("value"), answer.end("value"), _OUTPUT.get(key, key), key)


# Business documents' numbers by their usual prefixes (invoices, orders, quotes, tickets, requests).
_DOCUMENT_NUMBER = re.compile(r"(?:INV|ORD|ORDER|PO|SO|QUO|QT|TKT|REQ|RFQ|DN|GRN)[-/#]?\d", re.IGNORECASE)
_FIELD_START = re.compile(r"[ \t*#>|-]*[A-Z][a-z]{1,12}[ \t]")
# Chat transcripts name their speakers so (`Customer: 7733-1920` is an order number typed by one).
_SPEAKERS = frozenset({"customer", "client"})


def _ends_line(text: str, pos: int) -> bool:
    end = text.find("\n", pos)
    return not text[pos : len(text) if end < 0 else end].strip()


# -- table columns -------------------------------------------------------------------------------

_PHONE_CELL = re.compile(r"\+?[\d(][\d ().\-]{5,22}\d(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,6})?")
_SSN_CELL = re.compile(r"\d{3}([- .]?)\d{2}\1\d{4}")
_RULE_ROW = re.compile(r"[\s|:+=-]*")


def _cells(line: str, delim: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's content within the line, blanks and quotes trimmed."""
    quotes: Quotes = "toggle" if delim in ",;" else ""  # `"Smith, Ann"` is one CSV cell
    return split_row(line, delim, quotes=quotes, pipes="blank", sql=True, strip=" \t\"'")


def _column_values(text: str, low: str, line_start: int) -> Iterator[Span]:
    """Values under labelled columns of the table whose header line starts at `line_start`."""
    line_end = text.find("\n", line_start)
    line_end = len(text) if line_end < 0 else line_end
    header = text[line_start:line_end]
    delim = sniff_delimiter(header)
    if delim is None:
        return
    cells = _cells(header, delim)
    if sum(b > a for a, b in cells) < 2:  # `"SIN",` in a list of words is no table header
        return
    columns: dict[int, tuple[str, bool, bool]] = {}
    for i, (a, b) in enumerate(cells):
        h = _HEADER_RE.fullmatch(low, line_start + a, line_start + b)
        if h is not None:
            key = _key_of(h)
            alone = key.endswith(ALONE)
            plain = alone and h.group(0).rstrip(".:").rsplit(" ", 1)[-1] in _PLAIN_COLUMNS
            columns[i] = (key.removesuffix(ALONE), alone, plain)
    if not columns:
        return
    pos = line_end + 1
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        row = text[pos:end]
        if _RULE_ROW.fullmatch(row) and row.strip():
            pos = end + 1
            continue  # `|---|---|` under a Markdown header
        if not row.strip() or sniff_delimiter(row) != delim:
            return
        row_cells = _cells(row, delim)
        for i, (key, alone, plain) in columns.items():
            if i >= len(row_cells):
                continue
            a, b = row_cells[i]
            value = row[a:b]
            if _cell_ok(value, key, alone) or (
                plain and _PLAIN_ID.fullmatch(value) and shape_ok(value, loose=True)
            ):
                yield Span(pos + a, pos + b, _OUTPUT.get(key, key), SCORE, "regex:labelled_id")
        pos = end + 1


# Columns headed by a head noun alone whose plain numbers are ids (`Member`, `Customer`: 6+ digits);
# other such columns (`Plan`, `Reference`, `File`) also hold amounts, years and transaction references.
_PLAIN_COLUMNS = frozenset({"member", "customer", "client", "savings", "checking", "chequing"})
_PLAIN_ID = re.compile(r"(?=(?:\D*\d){6})\d+(?:[- ]\d+){0,3}")


def _cell_ok(value: str, label: str, alone: bool) -> bool:
    if not value:
        return False
    if alone and not (_STRONG.fullmatch(value) or (label == "BOOKING" and _BOOKING_CODE.fullmatch(value))):
        return False  # a `File` or `Plan` column holds other things too
    if label == "PHONE":
        digits = sum(c.isdigit() for c in value)
        return 7 <= digits <= 15 and _PHONE_CELL.fullmatch(value) is not None and not DATE.fullmatch(value)
    if label == "US_SSN":
        return _SSN_CELL.fullmatch(value) is not None
    if label in CHECKS:
        return checked_ok(value, label)
    if label == "BOOKING" and _BOOKING_CODE.fullmatch(value):
        return True
    return re.fullmatch(
        r"#?[A-Za-z0-9](?:[A-Za-z0-9]|[-./ ](?=[A-Za-z0-9])){1,30}", value
    ) is not None and shape_ok(value.lstrip("#"), loose=False)


LABELLED_ID = LabelledIdFinder()
RECOGNIZERS: list[Finder] = [LABELLED_ID]
