"""Identifiers nobody labelled with a word maskgate knows (issue 11: recall first).

`identifiers.py` takes a value only after a label from `id_vocab.py`; real text names its ids in
words no vocabulary lists (`Enrollee identifier`, `staffRef`, `the bracelet says`, `recip no.`) or
not at all. Here an identifier-SHAPED token is masked unless its context explains it as something
else:

- shape: 6+ digits (dashes, dots or single spaces between groups: `7731 0092 4418`), or upper-case
  letters with a run of 4+ digits or 7+ digits in all (`K2203117`, `55120KT`, `AB-4471902`); after a
  personal cue (`member`, `chart`, `badge`, `my ... number`) 5 digits, or 4 with letters, suffice;
- the words before it on its line (or the key, XML tag or table column it sits under): the nearest
  telling word decides. Personal words (`member`, `patient`, `passport`, `payroll`) keep it; words
  for things (`order`, `invoice`, `ticket`, `build`, `pid`, `sku`, `routing`, `qty`) drop it.
  `number`, `no`, `id` and `#` say "an id follows" and let the scan go on to the word they qualify;
- never: dates and times (also `20240611`, HL7 timestamps), epoch seconds/milliseconds, amounts
  (`$`, currency codes, thousands separators), quantities with units, versions, IPs, UUIDs, hashes
  and anything with lower-case letters (`req_7f3a9c21`, `e1000e`) unless a personal word names it
  (or `id`/`#` with 5+ digits: `my id # is jx4471920`), ZIP+4 codes after a state, short hex at the
  start of git-log lines, URL paths, ticket keys (`OPS-4471`), a year and a serial (`2024-117`),
  `ls -l` sizes, `[pid]`s, rows of numbers (`ps` output), phone-shaped digit groups (the phones
  layer reads them), HL7 segments other than the patient's, X12 segments (edi.py reads those).

The label follows the cue: account words give ACCOUNT_NUMBER, clinical words MRN, driving words
US_DRIVER_LICENSE, a 3-2-4 shape (or 9 digits after `ssn`/`social`/`taxpayer`) US_SSN, else
ID_NUMBER. Scores sit below the labelled recognizers' so a labelled value keeps its label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.patterns.base import _PLAIN
from maskgate.detect.patterns.card_fragments import card_spans
from maskgate.detect.spans import Span

VERSION = 2


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


SCORE = 0.6
CUED_SCORE = 0.7

# A token with a digit: letters, digits, `_`, inner `-` `.` `/`. The look-behind stops the engine
# from retrying inside a digit-less word (2x faster than without it); CJK letters before digits do
# not stop it (`证号110101...`).
_TOKEN = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z0-9_]*\d[A-Za-z0-9_]*(?:[-./][A-Za-z0-9_]+)*")
# A letter prefix glued by a dash or a space before the digits (`AB-4471902`, `PN 447 120 93`).
_PREFIX = re.compile(r"(?<![\w-])([A-Za-z]{1,5})[-/]$|(?<![\w-])([A-Z]{1,4}) $")
_GROUP = re.compile(r" (\d{1,5})(?!\w|[./-]\d|,\d{3}(?!\d))")
_SSN = re.compile(r"\d{3}([- .])\d{2}\1\d{4}")
_ZIP4 = re.compile(r"\d{5}-\d{4}")
_DATE = re.compile(
    r"(?:19|20)\d\d[-/.]?(?:0[1-9]|1[0-2])[-/.]?(?:0[1-9]|[12]\d|3[01])(?:[0-2]\d(?:[0-5]\d){1,2}(?:\.\d+)?)?"
    r"|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:19|20)?\d\d"
    r"|(?:19|20)\d\d[-/](?:19|20)?\d\d"
)
_DATETIME = re.compile(r"(?:19|20)\d\d-?\d\d-?\d\dT\d")
_VERSION = re.compile(r"[vV]?\d{1,4}(?:\.\d{1,4}){1,3}(?:[-+.][0-9A-Za-z.]+)?")
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_HEX_UPPER = re.compile(r"(?=(?:[0-9]*[A-F]){3})[0-9A-F]{12,}")  # key ids, hashes
_SHORT_HEX = re.compile(r"[0-9a-f]{7,12}")
_TICKET = re.compile(r"[A-Z]{2,10}-\d{1,5}")  # JIRA-style keys: tickets, not people
_NUMBER_AFTER = re.compile(r"[ \t]+[-+]?\d[\d.,:%]*(?:[ \t]|$)", re.MULTILINE)
_NUMBER_NEIGHBOUR = re.compile(r"(?:^|[ \t])[-+]?\d[\d.,:%]*[ \t]+$")
_LS_LINE = re.compile(r"[-dlcbps][-rwxsStT]{9}[.+@]?[ \t]")
_SPEAKER = re.compile(r"[ \t]*(?:\[[^\]\n]{1,30}\][ \t]*)?[\w .@-]{1,30}:[ \t]*")
_DECIMAL_AFTER = re.compile(r"\.\d|,\d{3}(?!\d)")
_LETTERS = re.compile(r"[A-Za-z]")
_LOWER_HEX = re.compile(r"(?=.*[a-f])[0-9a-f]{7,}")
_GLUED_UNIT = re.compile(r"\d+(?:\.\d+)?(?:ms|us|ns|s|m|h|d|kb|mb|gb|k|x|px|em|rem|pt|mg|ml|kg)")
_PHONE_SHAPE = re.compile(r"\d{3} \d{3} \d{4}|\d{1,3} \d{3} \d{3} \d{4}")
_GROUPS = re.compile(r"(?: \d{1,5}(?![\w.,]))+")
_SLASH_PREFIX = re.compile(r"(?<![\w/-])[A-Z]{1,5}/$")
_LEAD_LETTERS = re.compile(r"[A-Za-z]+")
_YEAR_CODE = re.compile(r"(?:19|20)\d\d-\d{2,6}")
# Letters that start an order, ticket, invoice or registry number, not a person's id.
_THING_PREFIXES = _set(
    "inv ord po so txn trx tx tkt req clm rma inc chg ritm kb sku lot ref conf bld build err msg pr bug cve "
    "isbn doi pmid nct sr cs case rfc task story epic"
)
_MASKED_HEAD = re.compile(r"(?:(?<![.\w])\.{3}|…|[*•]{2,}|(?<![A-Za-z])[Xx]{2,})-?$")
_ROUTING_WORD = re.compile(r"(?i:routing|\baba\b|\brtn\b|transit|\brt\b|\bwire\b)")


def aba_ok(digits: str) -> bool:
    """ABA routing number check digit: weights 3, 7, 1 over the nine digits, sum divisible by 10."""
    d = [int(c) for c in digits]
    return sum(w * x for w, x in zip((3, 7, 1) * 3, d, strict=True)) % 10 == 0 and d[0] in (0, 1, 2, 3)


_SSN_MASK = re.compile(r"[Xx*#•]{3}-[Xx*#•]{2}-$")
_SLASH_WORD = re.compile(r"(?:/[A-Za-z]{2,})+$")
_NAMED_AFTER = re.compile(r"[ \t]+(?:is|was)[ \t]+(?:the|my|our|your|an?|his|her)?[ \t]*([A-Za-z]+)")
_BARE_JSON = re.compile(r"\\?\"[ \t]*:[ \t]*$")  # a key, then a number without quotes
_THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+")
_GROUP_NEXT = re.compile(r" \d")
_HEX_LINE = re.compile(r"^[0-9a-f]{7,12} ", re.MULTILINE)
_UNIT_AFTER = re.compile(
    r"[ \t]?(?:mg|mcg|ug|ml|l|kg|g|lbs?|oz|units?|iu|%|x|usd|eur|gbp|days?|weeks?|months?|years?|yrs?|"
    r"hours?|hrs?|h|mins?|minutes?|s|secs?|seconds?|ms|us|ns|b|bytes?|kb|mb|gb|tb|kib|mib|gib|rows?|"
    r"items?|files?|lines?|chars?|characters?|tokens?|people|users?|times|pts|points|bps|mmbtu|"
    r"miles?|mi|km|m|cm|mm|ft|sq|calls?|records?|requests?|req/s|rps|qps|steps?|words?|followers?|views?|"
    r"likes?|subs|subscribers|downloads?|visitors?|votes?|kcal|cal|calories|dollars?|bucks|euros?|pounds?|"
    r"yen|won|rupees?|naira|rand|pesos?|sats|btc|eth|shares?|copies|pcs|pieces?|boxes|cases|packs?|"
    r"tons?|tonnes?|barrels?|bbl|mw|mwh|kwh|gwh|dth|mmbtu/d|acres?|hectares?|sqft|rpm|fps|dpi|px)\b",
    re.IGNORECASE,
)
_MONEY_BEFORE = re.compile(
    r"(?:[$€£¥₹]|\b(?:usd|eur|gbp|cad|aud|hkd|jpy|chf|inr|rs)\.?)[ \t]?-?$", re.IGNORECASE
)
_STATE_BEFORE = re.compile(r"\b[A-Z]{2},? $")
_X12_SEG = re.compile(r"[A-Z][A-Z0-9]{1,2}\*|.*~[A-Z][A-Z0-9]{1,2}\*")
_HL7_SEG = re.compile(r"[A-Z][A-Z0-9]{2}\|")
_HL7_PERSON = frozenset({"PID", "NK1", "IN1", "IN2", "GT1", "MRG", "PD1"})
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


# Words that say an identifier follows and let the scan go on to the word they qualify.
_IDWORDS = frozenset({"number", "numbers", "no", "nr", "nbr", "num", "id", "ids", "#", "identifier", "ident"})
_STOP = _set(
    "is was are the a an of on in to for at as and or it its it's s be now new old read reads says "
    "say said shows under with from by this that these changed became use using enter entered type "
    "typed wrote written listed given provided here there also just still please pls plz me i my his "
    "her their our your we he she they you him them has have had got get gave give same correct valid "
    "invalid primary secondary current previous file ending starting"
)
# Personal words: an id after them identifies someone. Value: the label they give.
_ACCOUNT = "ACCOUNT_NUMBER"
_MRN = "MRN"
_ID = "ID_NUMBER"
_DL = "US_DRIVER_LICENSE"
_SSN_L = "US_SSN"
_PERSONAL: dict[str, str] = {}
for _label, _words in (
    (
        _ACCOUNT,
        "account accounts acct a/c member members mbr membership subscriber subscr subscribers "
        "enrollee enrolee insured policy policyholder holder plan grp group loyalty rewards pension benefit "
        "benefits medicaid medicare mbi hicn recip recipient beneficiary sender iban card cardholder "
        "ins insurance insurer frequent flyer booking participant guarantor savings checking brokerage",
    ),
    (
        _MRN,
        "mrn chart patient pt patients hospital medical bracelet wristband admission encounter "
        "visit clinic unit hosp emr ehr",
    ),
    (_DL, "dl driver drivers driving licence license lic"),
    (_SSN_L, "ssn social taxpayer tin itin tax"),
    (
        _ID,
        "passport badge staff employee emp payroll student library applicant personnel "
        "contractor citizen national resident alien uscis visa permit voter inmate clock "
        "gov government doc document identity ident person personal plate vehicle registration "
        "serial nin nino dni nie cpf bsn nric hkid sin aadhaar pan curp rfc file matter",
    ),
):
    for _w in _words.split():
        _PERSONAL[_w] = _label
# Words for things: an id after them is no person's.
_THINGS = _set(
    "ticket tkt tix order orders ord po invoice inv claim clm tracking shipment parcel package "
    "transaction txn trx tx confirmation conf reference ref refs build builds bld version ver release "
    "firmware pid ppid tid port ports line ln col column sku item items product part model lot batch "
    "job jobs trace span request req session sess commit sha hash checksum deal deals imad omad "
    "specimen sample accession asset tag kb article error err errno status code codes exit merchant "
    "terminal store register routing aba swift bic sort flight room bed ext extension page pages row "
    "rows size count total totals qty quantity amount amt price balance limit latency took elapsed "
    "duration timeout max min cpt icd dx loinc ndc hcpcs drg zip postal zipcode postcode year fy "
    "issue issues pr bug incident inc chg change task run pipeline workflow event events message msg "
    "dial pin meeting conference webinar auth authorization approval rma refund return export seq "
    "sequence step offset epoch timestamp ts time created updated date rev revision patch pmid doi "
    "isbn nct cost center gl ledger check cheque wire imei serialno device implant udi gtin upc ean "
    "container pallet bin shelf aisle warehouse region zone node pod cluster shard partition thread "
    "process worker_id trace_id span_id job_id build_id run_id cve kb_id ip mac vlan asn lat lon "
    "latitude longitude bytes mem heap rss cpu gpu attempt attempts retry retries pass id_token nonce "
    "otp captcha fax phone tel mobile cell call ph sms whatsapp form forms rx company companies crn "
    "lote pedido pedidos factura facturas albar referencia envio seguimiento linea puerto "
    "maximum minimum default vat ein duns acc contract contracts agreement trade trades confirm nomination meter lease tract"
    " rtn pcn ncpdp control"
)
_SSN_CUE = frozenset({"ssn", "social", "ss", "taxpayer", "tin", "itin", "ssa"})
_CLINICAL = re.compile(
    r"\b(?:patient|pt|chart|mrn|hospital|admit|clinic|ward|bracelet|medical)", re.IGNORECASE
)
_DRIVING = re.compile(r"\bdl\b|driv(?:er|ing)|licen[cs]e", re.IGNORECASE)
_ACCOUNTISH = re.compile(
    r"\b(?:account|acct|bank|policy|member|plan|subscriber|insur|loyalty|pension|enrollee)", re.IGNORECASE
)


_VERB_D = re.compile(r"[A-Za-z]+'d\b")  # `ref'd as`: a verb, not the noun


def _words_of(s: str) -> list[str]:
    """Lower-case words of a key or a stretch of prose, camelCase and snake_case split."""
    out: list[str] = []
    for w in re.split(r"[^A-Za-z#/]+", _VERB_D.sub(" ", s)):
        if not w:
            continue
        if w.lower() == "a/c":
            out.append("a/c")
            continue
        for part in w.split("/"):
            out.extend(p.lower() for p in _CAMEL.findall(part) or ([part] if part == "#" else []))
            if "#" in part:
                out.append("#")
    return out


def _decide(words: list[str]) -> tuple[str | None, bool]:
    """(label of the nearest personal word, or "" for a thing word, or None) and whether an id
    word (`number`, `#`) came before it. A personal word counts next to the value or before an id
    word (`savings of 12345`, `the sin 12345 of pride` are no ids); one of a system's accounts
    (`AWS account`, `service account`) is a thing."""
    idword = neutral = False
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if w in _IDWORDS:
            idword = True
            continue
        if w in _PERSONAL:
            if i and words[i - 1] in _SYSTEMS:
                return "", idword
            return (_PERSONAL[w] if idword or not (neutral or w in _WEAK) else None), idword
        if w in _THINGS:
            return "", idword
        if w not in _STOP:
            neutral = True
    return None, idword


# Personal words that are plain English too: in prose they name an id only before an id word
# (`file no.`, `plan ID`, `SIN number`); as a key or a column header they count alone.
_WEAK = _set(
    "sin government gov savings checking pan file matter national resident social tax plan group card "
    "benefit benefits holder unit visit medical document doc personal person identity serial "
    "registration vehicle clock library loyalty clinic ehr emr members patients accounts "
    "subscribers driver drivers driving hosp ident flyer frequent sender recipient booking rewards"
)
_SYSTEMS = frozenset(
    {"aws", "gcp", "azure", "cloud", "service", "storage", "system", "database", "db", "bot"}
)


_KEY_BEFORE = re.compile(
    r"(?:\"(?P<json>[A-Za-z_][\w.-]{0,40})\\?\"[ \t]*:[ \t]*\\?\"?"
    r"|<(?P<tag>[A-Za-z][\w.:-]{0,40})(?:[ \t][^<>]{0,60})?>"
    r"|(?<![\w.])(?P<kv>[A-Za-z_][\w.-]{0,40})=[\"']?)$"
)
_CELL_SEP = re.compile(r"[,|\t]")


_ROW = 400  # longest table row looked at (linear time on long lines)


def _column_header(text: str, line_start: int, start: int, heads: dict[int, int]) -> str | None:
    """The header cell above a value in a CSV/pipe/TSV table: the first line of the block of lines
    with the same separator count, cell at the same index. `heads` remembers each row's block head
    for this text, so a table costs one walk up, not one per row."""
    line_end = text.find("\n", start, line_start + _ROW)
    if line_end < 0:
        if len(text) > line_start + _ROW:
            return None
        line_end = len(text)
    line = text[line_start:line_end]
    sep = (
        "|"
        if line.count("|") >= 2
        else "\t"
        if line.count("\t") >= 2
        else ","
        if line.count(",") >= 3
        else ""
    )
    if not sep:
        return None
    n = line.count(sep)
    head = heads.get(line_start)
    if head is None:
        # walk up while the lines have the same number of separators
        head = line_start
        while head > 0:
            if (known := heads.get(head)) is not None and known != head:
                head = known
                break
            prev = text.rfind("\n", max(0, head - 1 - _ROW), head - 1) + 1
            if prev == 0 and head - 1 > _ROW:
                break  # a line too long to be a row
            if text.count(sep, prev, head - 1) != n:
                break
            head = prev
        heads[line_start] = head
    if head == line_start:
        return None
    end = text.find("\n", head, head + _ROW)
    cells = text[head : end if end >= 0 else head + _ROW].split(sep)
    index = text.count(sep, line_start, start)
    if index >= len(cells):
        return None
    cell = cells[index].strip(" *`")
    # a Markdown separator row is no header
    return None if not cell or set(cell) <= set("-: ") else cell


_CELLS = re.compile(r"\S+(?: \S+)*")


_LINE_END = re.compile(r"\n|\\n")


def _line_start(text: str, pos: int) -> int:
    """Start of the line holding `pos`, looking back 300 characters at most (linear time on texts
    without line breaks); a `\\n` inside a JSON string breaks lines too."""
    low = max(0, pos - 300)
    nl = text.rfind("\n", low, pos)
    escaped = text.rfind("\\n", low, pos)
    return max(nl + 1 if nl >= 0 else low, escaped + 2 if escaped >= 0 else low)


_FORM_LINE = re.compile(r"[A-Za-z)#]:[ \t]+\S")


def _aligned_header(text: str, line_start: int, start: int) -> str | None:
    """The header above a value in a column aligned with spaces: the first line of the block of
    lines with runs of 2+ spaces, cell starting at or before the value's column."""
    if text[start - 2 : start] != "  ":
        return None
    col = start - line_start
    head = line_start
    for _ in range(12):
        if head == 0:
            break
        above_end = head - (2 if text[head - 2 : head] == "\\n" else 1)
        prev = _line_start(text, above_end)
        if "  " not in text[prev:above_end].strip() or _FORM_LINE.search(text, prev, above_end):
            break  # a form's `Label: value` fields above a table are no header row
        head = prev
    if head == line_start:
        return None
    line = _LINE_END.split(text[head : head + 400], maxsplit=1)[0]
    line = line[line.rfind('":"') + 3 :] if '":"' in line else line  # a tool result's first line
    best = None
    for cell in _CELLS.finditer(line):
        if cell.start() <= col + 1:
            best = cell.group()
    return best


_RUNS = re.compile(r"\d+")
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")


def _shape(value: str) -> tuple[int, int, bool, bool]:
    """(digits, longest digit run, has upper-case letters, has lower-case letters)"""
    runs = [len(r) for r in _RUNS.findall(value)]
    return sum(runs), max(runs, default=0), _UPPER.search(value) is not None, _LOWER.search(value) is not None


def _not_an_id(value: str, compact: str) -> bool:
    """Shapes that are something else whatever the words around them."""
    if _DATE.fullmatch(value) or _UUID.fullmatch(value) or _DATETIME.match(value):
        return True
    if compact.isdigit():
        n = int(compact)
        if len(compact) == 10 and 1_000_000_000 <= n < 2_100_000_000:  # epoch seconds
            return True
        if len(compact) == 13 and 1_000_000_000_000 <= n < 2_100_000_000_000:  # epoch ms
            return True
        if len(set(compact)) < 3:  # 000000, 111111
            return True
    if "." in value and not any(c.isalpha() for c in value):
        parts = value.split(".")
        if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 for p in parts):  # IPv4
            return True
        if _VERSION.fullmatch(value) or len(parts) == 2:  # versions, decimals, kernel times
            return True
    return bool(value[:2] in ("0x", "0X"))


class OpenIdLayer:
    """Identifier-shaped values whose context does not explain them as something else. A layer of
    its own (not a recognizer of the regex layer) so that it can be measured and switched off alone;
    `us`: a 3-2-4 shape is a US_SSN (else an ID_NUMBER)."""

    name = "open_ids"

    def __init__(self, us: bool = True) -> None:
        self.us = us

    def fingerprint(self) -> str:
        return f"open_ids:{VERSION}:{'us' if self.us else '-'}"

    def detect(self, text: str) -> list[Span]:
        if not text.isascii():
            text = text.translate(_PLAIN)  # no-break spaces and hyphen look-alikes, one for one
        return [*self.find(text), *card_spans(text)]

    def find(self, text: str) -> Iterator[Span]:
        git_log = len(_HEX_LINE.findall(text)) >= 2
        heads: dict[int, int] = {}
        end = 0
        for m in _TOKEN.finditer(text):
            start, stop = m.span()
            if start < end:
                continue
            if (
                stop - start < 5
                and not _GROUP_NEXT.match(text, stop)
                and not (text[start - 1 : start] == "-" or text[start - 2 : start - 1].isupper())
            ):
                continue  # under 5 characters: an id only with letters (`E1044` is 5) or digit groups after
            span = self._judge(text, start, stop, git_log, heads)
            if span is not None:
                end = span.end
                yield span
            elif (groups := _GROUPS.match(text, stop)) is not None:
                end = groups.end()  # the groups were judged with this token: `4111 1111 1111 1111`

    def _judge(self, text: str, start: int, stop: int, git_log: bool, heads: dict[int, int]) -> Span | None:
        token = text[start:stop]
        if "/" in token and (tail := _SLASH_WORD.search(token)) is not None:
            stop -= len(tail.group())  # `00448120/ACCT 7712004`: the next label is no part of it
            token = text[start:stop]
        before_char = text[start - 1 : start]
        after_char = text[stop : stop + 1]
        if before_char == "/" and not _SLASH_PREFIX.search(text, max(0, start - 6), start):
            return None  # URL and file paths, but `PF/22/00815`
        if before_char in ("\\", "@", "$", "€", "£", "+", "<") or after_char in ("@", "+"):
            return None  # URL paths, e-mail addresses (`49699333+bot@users.noreply...`), amounts, phones
        if (
            token.isdigit()
            and len(token) >= 4
            and _MASKED_HEAD.search(text, max(0, start - 6), start)
            and not _SSN_MASK.search(text, max(0, start - 7), start)  # `XXX-XX-0937`: us.py's call
        ):
            # the visible tail of a masked number (`...7720914`, `****88231`, `XXXX-4471`): someone's
            # account or card whatever the line says; fragments stay masked (recall first)
            return Span(start, stop, _ACCOUNT, CUED_SCORE, "regex:open_ids")
        if len(token) >= 6 and _not_an_id(token, token.replace("-", "").replace(".", "")):
            return None
        if (before_char == "[" and after_char == "]") or (before_char == ":" and after_char == ":"):
            return None  # `sshd[45450]`: a pid; `arn:aws:ec2:eu-west-2:123456789012:...`: a resource name
        if _LOWER.search(token) and (
            "/" in token or _LOWER_HEX.fullmatch(token) or _GLUED_UNIT.fullmatch(token)
        ):
            return None  # paths, hashes, `403ms`
        if _ZIP4.fullmatch(token) and _STATE_BEFORE.search(text, max(0, start - 5), start):
            return None
        # a letter prefix glued by a dash or a space (`AB-4471902`, `PN 447 120 93`, `pt-44120`)
        if token[:1].isdigit():
            p = _PREFIX.search(text, max(0, start - 6), start)
            if p is not None and (
                p.group(1)
                or (
                    p.group(2).lower() not in _PERSONAL
                    and p.group(2).lower() not in _IDWORDS
                    and p.group(2).lower() not in _THINGS  # `BIN 610014`, `RTN 322271627`, `NDC 65862-...`
                )
            ):
                start = p.start()
        # digit groups after single spaces (`7731 0092 4418`, `431 90 2276`), not a row of numbers
        if token[-1:].isdigit():
            ext = stop
            while (g := _GROUP.match(text, ext)) is not None:
                ext = g.end()
            if ext > stop and not _NUMBER_AFTER.match(text, ext):
                joined = text[start:ext]
                d, run, _, _ = _shape(joined)
                spelled = run == 1 and d >= 6  # read out digit by digit: `5 5 1 2 0 3 7`
                if (
                    ((d >= 8 and run >= 3) or spelled) and not _UNIT_AFTER.match(text, ext)
                ) or _SSN.fullmatch(joined):
                    stop = ext
                if _PHONE_SHAPE.fullmatch(text, start, ext) or text[start - 1 : start] == "+":
                    return None  # the phones layer reads these
        value = text[start:stop]
        if value.startswith("_") or value.endswith("_") or ("/" in value and not _LETTERS.search(value)):
            return None  # fractions, dates, blood pressures (`PF/22/00815` has its letters)
        if _YEAR_CODE.fullmatch(value):
            label, _, _ = self._context(
                text, _line_start(text, start), start, text[max(0, start - 60) : start], False, heads
            )
            if not label:
                return None  # `Protocol 2024-117`, `claim 2024-44120`: a year and a serial
        compact = value.replace(" ", "").replace("-", "").replace(".", "")
        digits, run, upper, lower = _shape(value)
        if digits < 4 or _not_an_id(value, compact) or _HEX_UPPER.fullmatch(compact):
            return None
        # thousands separators, decimals and amounts around the token
        if _DECIMAL_AFTER.match(text, stop) or (before_char == "." and text[start - 2 : start - 1].isdigit()):
            return None
        line_start = _line_start(text, start)
        head = text[max(line_start, start - 60) : start]
        if _MONEY_BEFORE.search(head) or (not upper and not lower and _UNIT_AFTER.match(text, stop)):
            return None
        if _X12_SEG.match(text, line_start, start) or _LS_LINE.match(text, line_start):
            return None  # X12 (edi.py reads it), `ls -l` sizes
        hl7 = _HL7_SEG.match(text, line_start) is not None
        if hl7 and text[line_start : line_start + 3] not in _HL7_PERSON:
            return None
        if git_log and start == line_start and _SHORT_HEX.fullmatch(value):
            return None
        if (
            len(compact) == 9
            and compact.isdigit()
            and _ROUTING_WORD.search(text, line_start, start)
            and aba_ok(compact)
        ):
            return None  # a bank's ABA routing number: public, names no one
        ssn_shape = _SSN.fullmatch(value) is not None
        letters = _LEAD_LETTERS.match(value)
        if letters is not None and letters.group().lower() in _THING_PREFIXES:
            return None  # `INV-0001`, `TXN-99182230`, `ORD448120`, `NCT05544120`
        # the words that explain it: a key, an XML tag, a column header, then the words before
        label, idword, key = self._context(text, line_start, start, head, hl7, heads)
        if (named := _NAMED_AFTER.match(text, stop)) is not None and named.group(1).lower() in _THINGS:
            label = ""  # `4471203 is the ticket`
        pure = not upper and not lower
        if pure and not ssn_shape and (key == "neutral" or (key == "id" and _BARE_JSON.search(head))):
            return None  # `"snowflake": 1747301648291037185`, `"user_id": 123456789`: a system's numbers
        if label == "":
            return None  # a thing word: an order, a build, a port, a routing number, a phone
        if label is None and _TICKET.fullmatch(value):
            return None  # `OPS-4471`, `CX-20417`: a ticket or case key unless a person's word names it
        cued = label is not None or idword
        if not cued:
            if lower or _NUMBER_NEIGHBOUR.search(head):
                return None  # hashes, request ids, ticket keys, a row of numbers
            if _NUMBER_AFTER.match(text, stop) or _THOUSANDS.fullmatch(value):
                return None  # `123 456 782 total packets`
            if not (ssn_shape or (pure and digits >= 6) or (upper and (run >= 5 or digits >= 7))):
                return None
        elif (lower and label is None and not (idword and digits >= 5)) or (digits < 5 and not upper):
            return None  # lower case after `id`/`#` alone: a typed id (`my id is jx4471920`), not a hash
        if ssn_shape or (label == _SSN_L and len(compact) == 9 and compact.isdigit()):
            out = _SSN_L if self.us else _ID
        elif label and label != _SSN_L:
            out = label
        else:
            window = text[max(0, start - 80) : start]
            out = (
                _MRN
                if _CLINICAL.search(window)
                else _DL
                if _DRIVING.search(window)
                else _ACCOUNT
                if _ACCOUNTISH.search(window)
                else _ID
            )
        return Span(start, stop, out, CUED_SCORE if cued else SCORE, "regex:open_ids")

    @staticmethod
    def _context(
        text: str, line_start: int, start: int, head: str, hl7: bool, heads: dict[int, int]
    ) -> tuple[str | None, bool, str]:
        """(label of the personal word that explains the value, "" for a thing word, None for no
        telling word; whether a word such as `number` or `#` says an id follows; "neutral" or "id"
        when the value sits under a key (JSON, `key=`, XML tag) naming neither a person nor a thing)."""
        if hl7:
            return None, True, ""  # a number in the patient's segment (PID-3, PID-19, IN1-36) is theirs
        key = _KEY_BEFORE.search(head)
        name = None if key is None else key.group("json") or key.group("tag") or key.group("kv")
        kind = "neutral" if name else ""
        name = (
            name or _column_header(text, line_start, start, heads) or _aligned_header(text, line_start, start)
        )
        if name:
            # a key or a column header: a personal word anywhere in it wins (`ins_ref`, `staffRef`)
            kwords = _words_of(name)
            if kwords == ["id"]:
                return "", True, kind  # `"id": 12345678`, an `id` column: a database row
            idword = any(w in _IDWORDS for w in kwords)
            personal = [w for w in kwords if w in _PERSONAL and (idword or w not in _WEAK)]
            if personal:
                return _PERSONAL[personal[-1]], idword, ""
            if any(w in _THINGS for w in kwords):
                return "", idword, kind
            if idword:
                return None, True, kind and "id"
        words = _words_of(head)
        if not words or _SPEAKER.fullmatch(text, line_start, start):
            # the value alone after a speaker (`Customer: 7733-1920`): the question is on the line above
            above = max(0, text.rfind("\n", 0, max(0, line_start - 1)) + 1, line_start - 160)
            words = _words_of(text[above:line_start]) + words
        return (*_decide(words[-8:]), kind)
