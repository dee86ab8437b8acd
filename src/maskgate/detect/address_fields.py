"""Addresses split over the fields of a record, and whole-address forms of non-Latin scripts.

Records name their address parts: JSON keys (`"street": ..., "city": ..., "zip": ...`), XML elements
(`<city>`), form lines (`City: Boise`), CSV columns under an address header, vCard `ADR` entries.
Each part's value is masked when its shape fits the part: a street line has letters, a digit and a
space; a city is one to four capitalised words; a state a 2–3 letter code or capitalised words, and
only beside another address field (`"state": "OPEN"` alone is a status); a postcode a postcode.

Also the country names an address may end with, and the line-number gutters whose number is
never a house number. Non-Latin forms found whole: Russian (`ул. Тверская, д. 7`), Chinese and Japanese (`東京都渋谷区神南1-2-3`,
`北京市朝阳区建国路88号`), Korean (`서울특별시 강남구 테헤란로 152`).
"""

from __future__ import annotations

import csv
import re

STREET, CITY, STATE, ZIP, COUNTRY = "street", "city", "state", "zip", "country"
_KEYS = {
    STREET: "street streetaddress streetname streetline address addressline addr homeaddress mailingaddress "
    "billingaddress shippingaddress residentialaddress line",
    CITY: "city town suburb locality municipality cityname",
    STATE: "state province county stateprovince statecode stateorprovince",
    ZIP: "zip zipcode postalcode postcode postal plz cep",
    COUNTRY: "country countryname",
}
_KIND = {k: kind for kind, keys in _KEYS.items() for k in keys.split()}
_KEY = r"[A-Za-z][A-Za-z0-9_ .-]{1,30}"


def _words(s: str) -> list[str]:
    return s.split()


def key_kind(key: str) -> str | None:
    """The address part a field name stands for ("postalCode", "address_line_1", "City"), or None."""
    return _KIND.get(re.sub(r"[^a-z]", "", key.lower()))


_JSON_FIELD = re.compile(rf'"(?P<key>{_KEY})"[ \t]*:[ \t]*"(?P<val>[^"\n]{{1,100}})"')
_XML_FIELD = re.compile(rf"<(?P<key>{_KEY})(?:[ \t][^>\n]*)?>(?P<val>[^<\n]{{1,100}})</")
# A form line's key, spelled out (the generic key pattern would be tried at every line of a long text).
_FORM_KEY = (
    r"(?i:(?:(?:street|mailing|home|billing|shipping|residential)[ _-]?)?(?:address|addr|street)"
    r"(?:[ _-]?line)?(?:[ _-]?\d)?|city|town|suburb|locality|municipality|state|province|county|"
    r"zip(?:[ _-]?code)?|postal[ _-]?code|post[ _-]?code|postcode|plz|cep)"
)
# A key and its colon; what may stand before the key on its line (a bullet, bold, or another field
# two spaces, a tab or a pipe back) and the value after it are checked around each hit.
_FORM_HEAD = re.compile(rf"(?<![\w-])(?P<key>{_FORM_KEY})(?:\*\*)?[ \t]*:(?:\*\*)?[ \t]*")
_FORM_BEFORE = re.compile(r"(?:^|[ \t]{2}|\t|\|)[ \t]*(?:[-*•][ \t]+)?(?:\*\*)?\Z", re.MULTILINE)
_FORM_VALUE = re.compile(r"(?P<val>[^\t\n|]{1,100}?)(?=[ \t]*(?:$|\t|[ \t]{2}|\|))", re.MULTILINE)
_VCARD_ADR = re.compile(r"(?m)^ADR(?:;[^:\n]*)?:(?P<val>[^\n]*)")
_POSTCODE = re.compile(
    r"\d{5}(?:-\d{4})?|\d{3,4}|\d{4,5}-\d{3}|\d{2}-\d{3}|\d{3}[ ]?\d{2}|\d{6}|[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}|"
    r"[A-Z]\d[A-Z][ ]?\d[A-Z]\d|\d{4}[ ]?[A-Z]{2}"
)
_CITY = re.compile(r"[^\W\d_a-z][^\W\d_]*(?:['’.-][^\W\d_]+)*\.?(?:[ \t-]+(?:[^\W\d_][^\W\d_]*\.?)){0,3}")
_STATE = re.compile(r"[A-Z]{2,3}|[^\W\d_a-z][^\W\d_]+(?:[ \t]+[^\W\d_a-z][^\W\d_]+){0,2}")
_PLACEHOLDER_VALUES = frozenset(
    {
        "city", "town", "state", "province", "county", "street", "address", "zip", "postcode", "string",
        "null", "none", "unknown", "n/a", "na", "tbd", "example", "sample", "test",
    }
)  # fmt: skip


def _fits(kind: str, value: str) -> bool:
    v = value.strip()
    if not v or v.lower() in _PLACEHOLDER_VALUES or v.startswith("<") or "@" in v or "://" in v:
        return False
    if kind == STREET:
        return any(c.isdigit() for c in v) and any(c.isalpha() for c in v) and " " in v and len(v) <= 80
    if kind == CITY:
        return _CITY.fullmatch(v) is not None
    if kind == STATE:
        return _STATE.fullmatch(v) is not None
    if kind == COUNTRY:  # a country name, not an ISO code ("GB" alone locates no one)
        return len(v) > 3 and _is_country(v)
    return _POSTCODE.fullmatch(v) is not None


def _value_span(m: re.Match[str], group: str = "val") -> tuple[int, int]:
    start, end = m.span(group)
    while end > start and m.string[end - 1] in " \t":
        end -= 1
    while start < end and m.string[start] in " \t":
        start += 1
    return start, end


def _csv_fields(text: str) -> list[tuple[int, int, str]]:
    """Cells under address columns of a CSV block (a header line naming one, rows after it)."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    columns: dict[int, str] | None = None
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.count(",") < 2:
            columns = None
        elif columns is None:
            if not _hint(body):
                pos += len(line)
                continue
            cells = next(csv.reader([body]))
            found = {i: kind for i, c in enumerate(cells) if (kind := key_kind(c)) is not None}
            columns = found if found and all(len(c) < 40 for c in cells) else None
        else:
            at = pos
            for i, cell in enumerate(body.split(",")):
                kind = columns.get(i)
                if kind is not None and '"' not in cell and _fits(kind, cell):
                    out.append((at, at + len(cell.rstrip()), kind))
                at += len(cell) + 1
        pos += len(line)
    return out


# Cheap test first (substring search): most texts name no address field at all.
_HINT_WORDS = (
    "city", "town", "state", "zip", "postal", "postcode", "addr", "street", "plz", "cep", "suburb",
    "locality", "province", "county", "municipal", "line",
)  # fmt: skip


def _hint(text: str) -> bool:
    low = text.lower()
    return any(w in low for w in _HINT_WORDS) or text.startswith("ADR") or "\nADR" in text


def field_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every address part found in a record field (see the module docstring)."""
    if not _hint(text):
        return []
    found: list[tuple[int, int, str]] = []
    for rx in (_JSON_FIELD, _XML_FIELD):
        if (rx is _JSON_FIELD and '"' not in text) or (rx is _XML_FIELD and "</" not in text):
            continue
        for m in rx.finditer(text):
            kind = key_kind(m.group("key"))
            if kind is not None and _fits(kind, m.group("val")):
                found.append((*_value_span(m), kind))
    if ":" in text:
        for m in _FORM_HEAD.finditer(text):
            kind = key_kind(m.group("key"))
            if kind is None or kind == ZIP:
                continue  # "ZIP: 94108" is the address layer's labelled POSTCODE already
            if _FORM_BEFORE.search(text, text.rfind("\n", 0, m.start()) + 1, m.start()) is None:
                continue
            v = _FORM_VALUE.match(text, m.end())
            if v is not None and _fits(kind, v.group("val")):
                found.append((*_value_span(v), kind))
    if "," in text:
        found.extend(_csv_fields(text))
    for m in _VCARD_ADR.finditer(text):
        # post box; extended; street; locality; region; postcode; country
        at = m.start("val")
        for i, part in enumerate(m.group("val").split(";")):
            if 2 <= i <= 5 and part.strip():
                found.append((at, at + len(part), STREET))
            elif i == 6 and len(part.strip()) > 3 and _is_country(part.strip()):
                found.append((at, at + len(part), COUNTRY))
            at += len(part) + 1
    out = []
    for start, end, kind in found:
        if kind in (STATE, COUNTRY) and not any(
            k not in (STATE, COUNTRY) and abs(s - start) < 300 for s, _, k in found
        ):
            continue  # a state field alone is more likely a status ("state": "Active"), a country a setting
        out.append((start, end))
    return out


# -- whole addresses in non-Latin scripts ---------------------------------------------------------
RU_STREET = re.compile(
    r"(?<![\w])(?:ул|улица|пр-т|просп|проспект|пер|переулок|б-р|бульвар|пл|площадь|ш|шоссе|наб|набережная)\.?"
    r"[ \t]+[А-ЯЁ][\w-]*(?:[ \t]+[\w-]+){0,2}?,?[ \t]*(?:д\.|дом)[ \t]*\d{1,4}[а-яА-Я]?(?:/\d{1,3})?"
)
CJK_ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{1,3}(?:都|道|府|県|省|市)[\u4e00-\u9fff]{0,8}?(?:区|區|市|町|村|郡|县|縣)"
    r"[\u4e00-\u9fff\u3040-\u30ff]{0,12}?[0-9０-９]{1,5}(?:[-－‐丁目番地号號]{1,2}[0-9０-９]{0,5}){0,4}"
)
KO_ADDRESS = re.compile(
    r"(?:[가-힣]{2,}(?:특별시|광역시|특별자치시|도|시)[ \t]+)?[가-힣]+(?:구|군|시)[ \t]+[가-힣0-9]+(?:로|길)[ \t]*\d{1,5}(?:-\d{1,4})?"
)


# -- country names (address parts) and line-number gutters (never house numbers) ------------------
COUNTRIES = frozenset(
    _words(
        """
        afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan
        bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana
        brazil brunei bulgaria burkina burundi cambodia cameroon canada chad chile china colombia
        comoros congo costa croatia cuba cyprus czechia czech denmark djibouti dominica dominican
        ecuador egypt salvador eritrea estonia eswatini ethiopia fiji finland france gabon gambia
        georgia germany ghana greece greenland grenada guatemala guinea guyana haiti honduras hungary
        iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya
        kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein
        lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius mexico
        micronesia moldova monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal
        netherlands nicaragua niger nigeria macedonia norway oman pakistan palau panama paraguay peru
        philippines poland portugal qatar romania russia rwanda samoa marino senegal serbia seychelles
        singapore slovakia slovenia somalia spain sri sudan suriname sweden switzerland syria taiwan
        tajikistan tanzania thailand togo tonga trinidad tunisia turkey türkiye turkmenistan tuvalu
        uganda ukraine emirates uruguay uzbekistan vanuatu vatican venezuela vietnam yemen zambia
        zimbabwe usa uk u.s.a. u.s. england scotland wales
        """
    )
)
MULTIWORD_COUNTRIES = re.compile(
    r"(?:United\s+(?:States(?:\s+of\s+America)?|Kingdom|Arab\s+Emirates)|New\s+Zealand|South\s+(?:Africa|Korea|Sudan)|"
    r"North\s+(?:Korea|Macedonia)|Northern\s+Ireland|Czech\s+Republic|Sri\s+Lanka|Saudi\s+Arabia|Costa\s+Rica|"
    r"El\s+Salvador|Puerto\s+Rico|Hong\s+Kong|Sierra\s+Leone|Papua\s+New\s+Guinea|Ivory\s+Coast|"
    r"Bosnia\s+and\s+Herzegovina|Trinidad\s+and\s+Tobago|Dominican\s+Republic|San\s+Marino)(?![\w])",
    re.IGNORECASE,
)


def _is_country(v: str) -> bool:
    return v.lower() in COUNTRIES or MULTIWORD_COUNTRIES.fullmatch(v) is not None


# A line-number gutter: `cat -n`, `nl` and Claude Code's Read (`    10\tcode`, `10→code`), numbered
# listings and diffs (`  12 │ code`, `+ 12 13 | code`, rich tracebacks `❱ 12 │`). Its number is no house
# number: it is blanked (same length) so the rest of the line is read as a line of its own.
GUTTER = re.compile(r"(?m)^[ \t]*(?:[❱>+-][ \t]*)?(\d{1,7}(?:[ \t]+\d{1,7})?)(?=\t|→|[ \t]*[│┃|][ \t])")


def blank_gutters(text: str) -> str:
    if "\t" not in text and "→" not in text and "│" not in text and "┃" not in text and "|" not in text:
        return text
    return GUTTER.sub(lambda m: m.group(0)[: m.start(1) - m.start()] + " " * len(m.group(1)), text)
