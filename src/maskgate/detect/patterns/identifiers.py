"""Labelled identifiers: record, member, account, employee, case and licence numbers, NPI, DEA...

One mechanism for all of them (issue 11 item 2). An identifier is any identifier-shaped token
(letters, digits, dashes, with enough digits: `MRN-551203`, `MED90817264`, `K2203117`, `204-77-861`,
`#NY-115533`, `55120KT`) that the text *labels* as one, written as

- `Label: X`, `Label #X`, `Label X`, `(Label: X)`, `Label = X`, `Label is X`;
- `Label` then aligned spaces, tabs or table pipes (`MRN      551203`, `| Member ID | K2203117 |`);
- a JSON or XML key (`"member_id": "K2203117"`, `memberId=...`, `<MemberID>K2203117</MemberID>`);
- a table column whose header is a label (CSV, TSV, Markdown and space-aligned tables).

The vocabulary (`VOCABULARY`) says which words are labels and what label each gives. Without a
label nothing is taken: `JIRA-1234` is a ticket and `12345678` anything. Checksummed numbers (NPI,
DEA) are checked; the rest are identifiers because the writer said so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import luhn

from maskgate.detect.es import vocabulary as es_vocabulary
from maskgate.detect.patterns.base import Finder
from maskgate.detect.spans import Span

# Qualifiers that turn a word into an identifier label: `member` + `ID`, `chart` + `#`.
_Q = r"(?:id|identifier|number|no|nr|num|#|code|ref(?:erence)?)"
_SEP = r"[ _.-]?"  # `member id`, `member_id`, `memberId`, `member-no`, `Member.ID`

# label -> word patterns (lower case). A word that is ordinary English alone (`chart`, `case`,
# `group`) is a label only with a qualifier; acronyms and compounds stand alone.
VOCABULARY: dict[str, tuple[str, ...]] = {
    "MRN": (
        rf"mrn(?:{_SEP}{_Q})?",
        rf"medical{_SEP}rec(?:ord)?s?(?:{_SEP}{_Q})?",
        rf"med{_SEP}rec{_SEP}{_Q}",
        rf"(?:patient|pt){_SEP}{_Q}",
        rf"(?:chart|hospital|encounter|visit|accession|admission|ehr|emr|unit){_SEP}{_Q}",
        rf"health{_SEP}record{_SEP}{_Q}",
    ),
    "NPI": (rf"npi(?:{_SEP}{_Q})?", rf"national{_SEP}provider{_SEP}(?:identifier|id|number)"),
    "DEA": (rf"dea(?:{_SEP}(?:{_Q}|registration(?:{_SEP}{_Q})?))?",),
    "HEALTH_PLAN_ID": (
        rf"(?:member|subscriber|beneficiary|insured|enrollee){_SEP}{_Q}",
        rf"(?:insurance|ins|medicaid|medicare|mbi|hicn){_SEP}{_Q}",
        r"(?:medicaid|mbi|hicn)",
        rf"health{_SEP}(?:plan|insurance){_SEP}(?:{_Q}|beneficiary{_SEP}{_Q})",
        rf"(?:group|grp|plan){_SEP}(?:number|no|nr|num|#)",
        rf"rx{_SEP}(?:group|grp|bin|pcn|id|member{_SEP}id)",
    ),
    "ACCOUNT_NUMBER": (
        rf"(?:account|acct|acc|a/c|customer|cust|client|policy|policyholder|membership|bank{_SEP}account)"
        rf"(?:{_SEP}{_Q})?",
        rf"routing{_SEP}(?:number|no|#)",
        rf"(?:loan|mortgage|contract)(?:{_SEP}{_Q})?",
    ),
    "EMPLOYEE_ID": (
        rf"(?:employee|emp|staff|personnel|payroll|worker|badge){_SEP}{_Q}",
        r"badge|emp",
    ),
    "CASE_ID": (rf"(?:case|claim|docket|dossier){_SEP}{_Q}",),
    "LICENSE_NUMBER": (
        rf"(?:professional|medical|state|nursing|practi[cs]ing){_SEP}licen[cs]e(?:{_SEP}{_Q})?",
        rf"licen[cs]e{_SEP}{_Q}",
        rf"certificate{_SEP}(?:number|no|#)",
    ),
    "PASSPORT": (rf"passport(?:{_SEP}{_Q})?",),
    "ID_NUMBER": (
        rf"(?:student|pupil|learner|citizen|voter|resident|alien|national{_SEP}identity|national){_SEP}{_Q}",
        rf"(?:identity|id|identification){_SEP}(?:card|document)(?:{_SEP}{_Q})?",
        rf"(?:identification|id){_SEP}(?:number|no|nr|num|#)",
        rf"(?:roll|matriculation|enrol(?:l?ment)?|document|doc){_SEP}(?:number|no|nr|num|#)",
        # national and tax ids by their own names (the value is checked by shape only)
        r"hkid|nric|dni|nie|nif|cpf|cnpj|curp|aadhaa?r|pesel|bsn|sofinummer|personnummer|cpr|nino|codice fiscale"
        rf"|steuer{_SEP}(?:id|nummer|nr)|sin|sozialversicherungsnummer|svnr|ahv{_SEP}(?:nr|nummer)?|nir|nhs{_SEP}(?:number|no)",
    ),
    "VEHICLE_ID": (
        rf"vin(?:{_SEP}{_Q})?",
        rf"vehicle{_SEP}(?:identification{_SEP})?(?:number|no|#|id)",
        rf"(?:licen[cs]e|registration|number){_SEP}plate(?:{_SEP}{_Q})?",
        rf"plate{_SEP}(?:number|no|#)",
    ),
    "TAX_ID": (
        rf"tax{_SEP}(?:payer{_SEP})?(?:{_Q}|identification{_SEP}number)",
        rf"(?:tin|ein|fein)(?:{_SEP}{_Q})?",
    ),
}
# Label words of other languages (Spanish: `NHC`, `Nº de historia`, `NASS`, `NºCol`).
for _table, _extra in ((VOCABULARY, es_vocabulary.VOCABULARY),):
    for _name, _words in _extra.items():
        _table[_name] = _table.get(_name, ()) + _words
# A bare `ID` labels a person's id only inline, written `ID`, after a name or at the start of a field
# (`Student: Sarah Lee, ID: 654321`, `His ID is 789012`); as a column or a key it is a database id.
INLINE_ONLY: dict[str, tuple[str, ...]] = {"ID_BARE": (r"id",)}
# Words that only label a table column (inline they are `phones.py`'s and `us.py`'s business).
COLUMN_ONLY: dict[str, tuple[str, ...]] = {
    "PHONE": (
        rf"(?:(?:home|work|cell|mobile|office|primary|contact|emergency){_SEP})?"
        rf"(?:tele?phone|phone|tel|mobile|cell|fax)(?:{_SEP}(?:number|no|nr|num|#))?",
    ),
    "US_SSN": (
        rf"ssn(?:{_SEP}{_Q})?",
        rf"social{_SEP}security(?:{_SEP}(?:number|no|nr|num|#))?",
        r"socialnum",
    ),
}
COLUMN_ONLY["PHONE"] += es_vocabulary.COLUMN_ONLY["PHONE"]

# Scores: below checksummed numbers and the locale packs' validated formats (a labelled TFN or SSN
# keeps its own label), above the default threshold.
SCORE = 0.85
CHECKED_SCORE = 0.95


def _alternation(table: dict[str, tuple[str, ...]]) -> str:
    return "|".join(f"(?P<{label}>{'|'.join(words)})" for label, words in table.items())


_WORDS = rf"{_alternation(VOCABULARY)}|{_alternation(COLUMN_ONLY)}"
# On the lower-cased text: a label word, not followed by more letters. That it does not start inside
# a word (`_` may precede: `patient_mrn`) is checked after the match: a leading look-behind would
# make the engine try every position instead of skipping to the words' first letters (~3x slower).
_LABEL_RE = re.compile(rf"(?:{_WORDS}|{_alternation(INLINE_ONLY)})(?:(?<=#)|(?![a-z]))")
# The first word of every label above. Scanning the text with `_LABEL_RE` tries its whole alternation
# at every position (~400k chars/s); a letter-run scan plus a prefix check per word, then
# `_LABEL_RE.match` only where a label can start, is ~10x faster. tests/detect/test_recognizers_identifiers.py
# checks the two agree.
FIRST_WORDS = (
    frozenset(
        [
            "mrn",
            "medical",
            "med",
            "patient",
            "pt",
            "chart",
            "hospital",
            "encounter",
            "visit",
            "accession",
            "admission",
            "ehr",
            "emr",
            "unit",
            "health",
            "npi",
            "national",
            "dea",
            "member",
            "subscriber",
            "beneficiary",
            "insured",
            "enrollee",
            "insurance",
            "ins",
            "medicaid",
            "medicare",
            "mbi",
            "hicn",
            "group",
            "grp",
            "plan",
            "rx",
            "account",
            "acct",
            "acc",
            "a/c",
            "bank",
            "routing",
            "customer",
            "cust",
            "client",
            "policy",
            "policyholder",
            "membership",
            "loan",
            "mortgage",
            "contract",
            "employee",
            "emp",
            "staff",
            "personnel",
            "payroll",
            "worker",
            "badge",
            "case",
            "claim",
            "docket",
            "dossier",
            "professional",
            "state",
            "nursing",
            "practicing",
            "practising",
            "licence",
            "license",
            "certificate",
            "passport",
            "tax",
            "tin",
            "ein",
            "fein",
            "student",
            "pupil",
            "learner",
            "citizen",
            "voter",
            "resident",
            "alien",
            "identity",
            "id",
            "identification",
            "roll",
            "matriculation",
            "enrol",
            "enrolment",
            "enrollment",
            "document",
            "doc",
            "hkid",
            "nric",
            "dni",
            "nie",
            "nif",
            "cpf",
            "cnpj",
            "curp",
            "aadhaar",
            "aadhar",
            "pesel",
            "bsn",
            "sofinummer",
            "personnummer",
            "cpr",
            "nino",
            "codice",
            "steuer",
            "sin",
            "sozialversicherungsnummer",
            "svnr",
            "ahv",
            "nir",
            "nhs",
            "vin",
            "vehicle",
            "registration",
            "number",
            "plate",
            "home",
            "work",
            "cell",
            "mobile",
            "office",
            "primary",
            "contact",
            "emergency",
            "telephone",
            "telephon",
            "phone",
            "tel",
            "fax",
            "ssn",
            "social",
            "socialnum",
        ]
    )
    | es_vocabulary.FIRST_WORDS
)
_FIRST = re.compile("|".join(sorted(FIRST_WORDS, key=len, reverse=True)))
_LETTERS = re.compile(r"[a-z]+")


def label_starts(low: str) -> Iterator[re.Match[str]]:
    """`_LABEL_RE` matches in the lower-cased text that do not start inside a word."""
    end = 0
    first, label_at = _FIRST.match, _LABEL_RE.match
    for tok in _LETTERS.finditer(low):
        start = tok.start()
        if start < end or (start and low[start - 1].isalnum()) or first(low, start) is None:
            continue
        m = label_at(low, start)
        if m is not None:
            end = m.end()
            yield m


# A column header: a label, perhaps after one word (`Patient MRN`, `Home Phone`, `Billing Account`).
_HEADER_RE = re.compile(rf"(?:[a-z]+[ _])?(?:{_WORDS})")

# After the label: `: `, ` #`, `=`, `>` (XML), `":"` (JSON, also escaped), ` is `, aligned blanks or
# pipes, a colon then a line break (forms); `(?P<tight>)` marks a label glued to its value by one
# dash or nothing (`MRN-551203`, `MRN551203`), where the label is part of the identifier.
_AFTER = re.compile(
    r"\.?(?:\\?[\"']?(?:[ \t]*(?:[:=#|>]|:=|=>)[ \t|]*(?:\r?\n[ \t]*)?#?|[ \t]+(?:is|was|of)[ \t]+#?|(?P<ending>[ \t]+(?:number[ \t]+)?ending[ \t]+(?:in|with)[ \t]+)|[ \t|]{1,40}#?)"
    r"[ \t]*\\?[\"']?(?:\#[ \t]?)?|(?P<tight>-?))"
    # the value: letters, digits and inner dashes, dots or slashes; then optional digit groups
    # separated by one space (`28 19865453 56`) when the line or cell ends after them
    r"(?P<value>[A-Za-z0-9](?:[A-Za-z0-9]|[-./](?=[A-Za-z0-9])){1,30}(?:\([0-9A-Z]\))?"
    r"(?:(?: \d{1,10}){1,4}(?=[ \t]*(?:$|[\n,;|)\]\"'<]|[ \t]{2}|\.[ \t]*(?:$|\n))))?)"
    r"(?![\w@(]|[-.,/]\w)",  # not a call (`policy=RFC822Policy()`)
    re.MULTILINE,
)
_CODE_NAME = re.compile(r"[a-z][A-Z]|[0-9_][A-Z][a-z]{2,}")  # `RFC822Policy`, `getUser`: code
_DATE = re.compile(
    r"(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:19|20)?\d\d"
)
_DECIMAL = re.compile(r"\d+[.,]\d+|\d+(?:\.\d+){2,}")  # amounts, versions
_YEAR = re.compile(r"(?:19|20)\d\d")
_CLOUD = re.compile(r"\b(?:aws|gcp|azure|cloud|service|storage|billing)[ \t]*$", re.IGNORECASE)
_DRIVING = re.compile(r"driv(?:er|ing)", re.IGNORECASE)


def _shape_ok(value: str, *, loose: bool) -> bool:
    """An identifier: 4+ digits (5+ after a bare space, where a label word may be prose), or 3 with
    two letters in a code of 5+ characters (`321XYZ`); at least two different digits; not a date,
    an amount, a version or a year."""
    digits = sum(c.isdigit() for c in value)
    letters = sum(c.isalpha() for c in value)
    enough = digits >= 4 or (digits == 3 and letters >= 2 and digits + letters >= 5)
    if not enough or (loose and digits < 5) or len({c for c in value if c.isdigit()}) < 2:
        return False
    if _CODE_NAME.search(value):
        return False
    compact = value.replace(" ", "")
    return not (_DATE.fullmatch(compact) or _DECIMAL.fullmatch(compact) or _YEAR.fullmatch(compact))


def npi_is_valid(value: str) -> bool:
    """US National Provider Identifier: 10 digits, Luhn over the card-issuer prefix 80840."""
    digits = value.replace("-", "").replace(" ", "")
    return len(digits) == 10 and digits.isdigit() and digits[0] in "12" and luhn.is_valid("80840" + digits)


_DEA = re.compile(r"[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}")


def dea_is_valid(value: str) -> bool:
    """DEA registration number: two letters, seven digits; the last digit is the last digit of
    (d1 + d3 + d5) + 2 * (d2 + d4 + d6)."""
    value = value.upper()
    if not _DEA.fullmatch(value):
        return False
    d = [int(c) for c in value[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


_CHECKS = {"NPI": npi_is_valid, "DEA": dea_is_valid}


_BARE_ID_BEFORE = re.compile(
    r"(?:^|[,;:(\[\n]|\b(?:my|his|her|your|their|our|the|with|and))[ \t]*$", re.IGNORECASE
)


# Short acronyms that are also words (`sin`, `nie`, `emp`, `tin`, `cpr`): labels only in capitals.
_CAPITALS_ONLY = (
    frozenset({"sin", "nie", "nif", "dni", "cpf", "cpr", "nir", "bsn", "tin", "ein", "emp", "fein", "svnr"})
    | es_vocabulary.CAPITALS_ONLY
)


def _bare_id_ok(text: str, m: re.Match[str]) -> bool:
    """`ID` written so, at the start of a field or after a possessive: `Sarah Lee, ID: 654321`."""
    if text[m.start() : m.end()] != "ID":
        return False
    return _BARE_ID_BEFORE.search(text[max(0, m.start() - 24) : m.start()]) is not None


def _label_of(m: re.Match[str]) -> str:
    return next(name for name, value in m.groupdict().items() if value is not None)


class LabelledIdFinder:
    """Identifiers after a label, under a labelled table column, or as a JSON/XML value."""

    name = "labelled_id"
    label = "MRN"  # the Finder protocol's nominal label; spans carry each vocabulary label
    locale = "any"
    version = "1"
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
            label = _label_of(m)
            if label == "ID_BARE":
                if not _bare_id_ok(text, m):
                    continue
                label = "ID_NUMBER"
            if m.group(0) in _CAPITALS_ONLY and not text[m.start() : m.end()].isupper():
                continue
            if label not in COLUMN_ONLY:
                span = self._inline(text, m, label)
                # `"mrn": "MRN-551203"`: the key and the glued value find the same characters
                if span is not None and (span.start, span.end) not in seen:
                    seen.add((span.start, span.end))
                    yield span
            if label == "ID_NUMBER" and m.group("ID_BARE") is not None:
                continue  # a bare `ID` never heads a column of personal ids
            line_start = text.rfind("\n", 0, m.start()) + 1
            if line_start not in done_headers:
                done_headers.add(line_start)
                yield from _column_values(text, low, line_start)

    @staticmethod
    def _inline(text: str, m: re.Match[str], label: str) -> Span | None:
        after = _AFTER.match(text, m.end())
        if after is None:
            return None
        value = after.group("value")
        word = m.group(0)
        tight = after.group("tight") is not None and not word.endswith("#")  # `chart #204-77-861`
        if tight and (len(word) > 4 or not word.isalpha()):
            return None  # only a short acronym is glued to its value (`MRN-551203`, not `account-12345`)
        sep = text[m.end() : after.start("value")]
        loose = not tight and sep.strip(" \t") == "" and "\t" not in sep and len(sep) < 2
        check = _CHECKS.get(label)
        if check is not None:
            if not check(value):
                return None
        elif after.group("ending") is not None:  # `account ending in 4321`: the last digits
            if not (value.isdigit() and 3 <= len(value) <= 6):
                return None
        elif not _shape_ok(value, loose=loose):
            return None
        before = text[max(0, m.start() - 24) : m.start()]
        if label == "ACCOUNT_NUMBER" and _CLOUD.search(before):
            return None  # `AWS account 123456789012`: infrastructure, not a person's account
        if label == "LICENSE_NUMBER" and _DRIVING.search(before):
            return None  # driver's licences are `licence.py`'s (US_DRIVER_LICENSE)
        start = m.start() if tight else after.start("value")
        score = CHECKED_SCORE if check is not None else SCORE
        return Span(start, after.end("value"), label, score, "regex:labelled_id")


# -- table columns -------------------------------------------------------------------------------

_ALIGNED_CELL = re.compile(r"\S+(?: \S+)*")
_PHONE_CELL = re.compile(r"\+?[\d(][\d ().\-]{5,22}\d(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,6})?")
_SSN_CELL = re.compile(r"\d{3}([- .]?)\d{2}\1\d{4}")
_RULE_ROW = re.compile(r"[\s|:+=-]*")


def _delimiter(line: str) -> str | None:
    if line.count("|") >= 2 or (line.count("|") == 1 and not line.strip().startswith("|")):
        return "|"
    if "\t" in line:
        return "\t"
    if line.count(";") >= 2:  # European CSV exports
        return ";"
    if "," in line:
        return ","
    if re.search(r"\S {2,}\S", line):
        return "  "
    return None


def _cells(line: str, delim: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's content within the line, blanks and quotes trimmed."""
    if delim == "  ":
        bounds = [(c.start(), c.end()) for c in _ALIGNED_CELL.finditer(line)]
    else:
        cuts, quoted = [-1], False
        for i, c in enumerate(line):
            if c == '"' and delim in ",;":
                quoted = not quoted  # `"Smith, Ann"` is one CSV cell
            elif c == delim and not quoted:
                cuts.append(i)
        cuts.append(len(line))
        bounds = [(cuts[k] + 1, cuts[k + 1]) for k in range(len(cuts) - 1)]
        if delim == "|":  # the blanks outside the outer pipes of a Markdown row are no cells
            if bounds and not line[: bounds[0][1]].strip():
                bounds = bounds[1:]
            if bounds and not line[bounds[-1][0] :].strip():
                bounds = bounds[:-1]
    out = []
    for a, b in bounds:
        while a < b and line[a] in " \t\"'":
            a += 1
        while b > a and line[b - 1] in " \t\"'":
            b -= 1
        out.append((a, b))
    return out


def _column_values(text: str, low: str, line_start: int) -> Iterator[Span]:
    """Values under labelled columns of the table whose header line starts at `line_start`."""
    line_end = text.find("\n", line_start)
    line_end = len(text) if line_end < 0 else line_end
    header = text[line_start:line_end]
    delim = _delimiter(header)
    if delim is None:
        return
    cells = _cells(header, delim)
    if len(cells) < 2:
        return
    columns: dict[int, str] = {}
    for i, (a, b) in enumerate(cells):
        h = _HEADER_RE.fullmatch(low, line_start + a, line_start + b)
        if h is not None:
            columns[i] = _label_of(h)
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
        if not row.strip() or _delimiter(row) != delim:
            return
        row_cells = _cells(row, delim)
        for i, label in columns.items():
            if i >= len(row_cells):
                continue
            a, b = row_cells[i]
            value = row[a:b]
            if _cell_ok(value, label):
                yield Span(pos + a, pos + b, label, SCORE, "regex:labelled_id")
        pos = end + 1


def _cell_ok(value: str, label: str) -> bool:
    if not value:
        return False
    if label == "PHONE":
        digits = sum(c.isdigit() for c in value)
        return 7 <= digits <= 15 and _PHONE_CELL.fullmatch(value) is not None and not _DATE.fullmatch(value)
    if label == "US_SSN":
        return _SSN_CELL.fullmatch(value) is not None
    check = _CHECKS.get(label)
    if check is not None:
        return check(value)
    return re.fullmatch(
        r"#?[A-Za-z0-9](?:[A-Za-z0-9]|[-./ ](?=[A-Za-z0-9])){1,30}", value
    ) is not None and _shape_ok(value.lstrip("#"), loose=False)


LABELLED_ID = LabelledIdFinder()
RECOGNIZERS: list[Finder] = [LABELLED_ID]
