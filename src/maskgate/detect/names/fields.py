"""Names in structured text: the field says "person", the value's shape says "name".

One vocabulary of name fields serves every syntax records are written in:

- `Label: value` lines of forms and notes (`First Name: Odile`, `**Last Name:** Okafor`,
  `Patient: Rosalind Mae Porter`), `key = value`, JSON/YAML keys (`"patient": "Rose Young"`),
  XML elements and attributes (`<family>Fisher</family>`, `firstName="Rose"`);
- CSV/TSV/Markdown tables: every cell under a name-like header;
- EDI X12 `NM1` segments of a person (entity type 1) and HL7 v2 person fields (`DOE^JOHN^A`);
- e-mail headers (`From:`, `To:`, `Cc:`, `X-From:`...): `Last, First`, `First Last <addr>` and Lotus
  Notes `First Last/OU/ORG@ORG` items;
- a greeting or sign-off line with the name on it (`Marta,` / `Hi Young,` / `Thanks, Bram`).

Three kinds of field: a *name* field (first name, surname, patient name...) takes any name-shaped
value; a *role* field (patient, physician, guarantor...) takes a value with a known name or a word
that is no ordinary English word; a *generic* field (`name`, `display name`) also labels products,
packages and tools, so its value needs a known name that is no English word, or two capitalised words
with a known name among them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.fastre import pick
from maskgate.detect.names.segments import edi_names, hl7_names
from maskgate.detect.names.statements import statement_names
from maskgate.detect.tables import commonest_delimiter, split_row
from maskgate.detect.words import (
    LEADING_NON_NAME,
    NOT_NAMES,
    PARTICLES,
    STOP,
    TITLES,
    english_words,
    gazetteer,
    is_cap,
    word_list,
)

GENERIC, ROLE, NAME = 1, 2, 3

ROLES = frozenset(
    word_list(
        """
        patient pt client customer employee member subscriber insured policyholder guarantor beneficiary
        applicant tenant landlord physician doctor surgeon nurse clinician practitioner attending
        therapist dentist pharmacist pcp author assignee reporter requester requestor approver reviewer
        manager supervisor contact spouse mother father parent guardian witness recipient sender
        attendee attendees candidate student teacher instructor representative technician caller driver
        cardholder accountholder emergencycontact nextofkin kin signer signatory notary attorney lawyer
        counsel tutor mentor interviewer interviewee victim suspect defendant plaintiff claimant
        decedent passenger guest visitor referrer owner person individual resident holdername
        referringphysician attendingphysician orderingphysician primarycarephysician orderingprovider
        renderingprovider referringprovider attendingprovider signedby preparedby approvedby reviewedby
        submittedby orderedby dictatedby transcribedby requestedby verifiedby authorizedby completedby
        performedby collectedby interviewedby assignedto referredby seenby holder advisor adviser
        referring
        participants participant contributors contributor authors members reviewers recipients
        paciente patiente patientin paziente pacjent patiënt medico médico médica medecin médecin arzt
        ärztin lekarz arts enfermero enfermera infirmier infirmière remitidopor referidopor
        responsable responsableclínico responsableclinico titular
        """
    )
)
_NAME_PARTS = word_list(
    """
    firstname lastname surname givenname familyname middlename maidenname fullname forename fname lname
    legalname preferredname nickname given family names middleinitial mi middle
    nombre nombres apellido apellidos nom prénom prenom nomdefamille vorname nachname familienname nome
    cognome sobrenome naam voornaam achternaam imię nazwisko nombreyapellidos nomeecognome
    """
)  # the last two lines: the same fields on Spanish, French, German, Italian, Portuguese, Dutch, Polish forms
NAME_KEYS = frozenset(
    [*_NAME_PARTS]
    + [r + p for r in ROLES for p in ("name", *_NAME_PARTS) if p not in ("given", "family", "mi", "names")]
    + ["contactperson", "personname"]
)
GENERIC_KEYS = frozenset(["name", "displayname", "fn", "cn"])
# `First: SIOBHAN`, `"last": "DOE"`: a half of a name without the word "name"; other values come
# after these words too (`Last: 2 days ago`), so the value needs a known or foreign name (ROLE).
_HALVES = frozenset(["first", "last"])

# The last word of a field label; the regex finds labels cheaply, field_kind() decides.
_LAST = (
    r"names?|surname|forename|fname|lname|given|family|patient|pt|client|customer|employee|member|"
    r"subscriber|insured|policyholder|guarantor|beneficiary|applicant|tenant|landlord|physician|doctor|"
    r"surgeon|nurse|clinician|practitioner|attending|therapist|dentist|pharmacist|pcp|author|assignee|"
    r"reporter|request[eo]r|approver|reviewer|manager|supervisor|contact|person|spouse|mother|father|"
    r"parent|guardian|witness|recipient|sender|attendees?|candidate|student|teacher|instructor|"
    r"representative|technician|caller|driver|cardholder|holder|kin|signer|signatory|notary|attorney|"
    r"lawyer|counsel|tutor|mentor|interview(?:er|ee)|victim|suspect|defendant|plaintiff|claimant|"
    r"decedent|passenger|guest|visitor|referrer|owner|individual|resident|provider|by|to|fn|cn|mi|"
    r"referring|"
    r"advis[eo]r|participants?|contributors?|authors|members|reviewers|recipients|"
    r"nombres?|apellidos?|pr[ée]?nom|nom|vorname|nachname|familienname|nome|cognome|sobrenome|naam|"
    r"voornaam|achternaam|imię|nazwisko|paciente|patiente|patientin|paziente|pacjent|patiënt|m[ée]dic[oa]|"
    r"m[ée]decin|arzt|ärztin|lekarz|arts|enfermer[oa]|infirmi[eè]re?|por|cl[ií]nico|titular|famille|"
    r"first|last|middle|initial"
)
_FIELD = re.compile(
    rf"(?<![\w$@.-])(?P<key>(?:[^\W\d_]+[ _.-]?){{0,3}}?(?i:{_LAST}))(?![\w])"
    r"(?P<sep>\)?[\"']?[ \t]*(?:\*\*|__)?[ \t]*(?:[:=]|：)[ \t]*(?:\*\*|__)?[ \t]*[\"']?[ \t]*)"
)
_XML = re.compile(rf"<(?:[\w.-]+:)?(?P<key>(?:[A-Za-z]+[_.-]?){{0,3}}?(?i:{_LAST}))(?:[ \t][^<>]*)?>")
_XML_VALUE = re.compile(r"<(?:[\w.-]+:)?(?:given|family|text)[ \t][^<>]*?value=[\"']")

NULLISH = frozenset(
    word_list(
        """
        n/a na none null nil unknown tbd tba redacted anonymous same self string str text required
        optional yes no true false male female other unspecified undefined empty blank pending various
        multiple sample example placeholder value name first last full given family
        """
    )
)


def field_kind(key: str) -> int:
    k = re.sub(r"[\W\d_]+", "", key.lower())
    if k in NAME_KEYS:
        return NAME
    if k in ROLES or k in _HALVES:
        return ROLE
    if k in GENERIC_KEYS:
        return GENERIC
    return 0


_NEXT_FIELD = frozenset(
    word_list("dob mrn ssn sex age id tel ph phone fax npi acct dx hx gender dos adm admitted room bed")
)
_TITLE = re.compile(rf"(?i:{TITLES})\.?[ \t]+(?=[^\W\d_])")
# "Wexler, Dana NP", "Hunter Beaumont, DO": the letters after a name are no part of it
_POST_NOMINALS = frozenset(word_list("MD DO RN NP PA PhD MLT LPN CNM DDS DMD PharmD MSW LCSW FNP APRN CRNA"))
_CONTRACTION = re.compile(r"['’](?:s|m|re|ll|ve|d|t)$")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")


_LONE_INITIAL = re.compile(r"[A-Z]\.?(?=[ \t]*(?:$|[\r\n,;|\"'<\t]|  ))")


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def value_span(
    text: str, start: int, kind: int, limit: int | None = None, pairs: bool = True
) -> tuple[int, int] | None:
    """The name at text[start:] if its shape fits a field of `kind`: capitalised or upper-case words,
    initials and particles, at most five, `Last, First` allowed; lower case only in a name field."""
    stop = len(text) if limit is None else limit
    t = _TITLE.match(text, start, stop)
    if t is not None:
        start = t.end()  # "Physician: Dr. Hope Banks": the title stays visible
    m = re.match(r"[^\W\d_][\w'’.-]*(?:(?:[ \t]|,[ \t]?)[^\W\d_][\w'’.-]*){0,5}", text[start:stop])
    if m is None:
        return None
    words: list[tuple[int, int]] = []
    commas = 0
    lower_value = text[start : start + m.end()].islower()
    for a, b in _words(text, start, start + m.end()):
        gap = text[words[-1][1] : a] if words else ""
        if gap not in ("", " ", "\t", ", ", ",", " - ") and not (
            gap == ". " and text[words[-1][0] : words[-1][1]].lower() == "st"
        ):
            break  # but "St. Clair": the dot of the particle
        if "," in gap:
            commas += 1
            if commas > 1 or len(words) > 3 or not pairs:
                break
        w = text[a:b].rstrip(".")
        key = w.lower()
        initial = len(w) == 1 and w.isalpha()
        ok = (
            initial
            or (key in PARTICLES and bool(words))
            or is_cap(w)
            or (w.isupper() and len(w) > 1)
            or (not w[0].islower() and not w[0].isupper())  # scripts without case: 王伟, محمد
            or (lower_value and kind == NAME)
        )
        if not ok or (key in STOP and not initial and key not in PARTICLES and (not words or w.islower())):
            break  # "Patient: It is", but "Nguyễn Văn An"
        if (key in _NEXT_FIELD or w in _POST_NOMINALS) and words:
            break  # "PATIENT NAME: MARISOL AGUILAR DOB 01/02/1970": the next field's label
        if _CONTRACTION.search(key):
            break  # "Customer: It's 555-0100", "I'm": a reply, not a name
        words.append((a, b if initial else a + len(w)))
        if len(words) == 5:
            break
    while words and (text[words[-1][0] : words[-1][1]].lower() in PARTICLES):
        words.pop()
    if not words:
        return None
    a, b = words[0][0], words[-1][1]
    if commas and "," in text[a:b] and not re.match(r"[ \t]*(?:$|[\r\n\"'<|;)\]}]|  )", text[b : b + 3]):
        # "Porter, Rosalind" only when the value ends there; else "Rose Young, DOB ..." is cut at the comma
        b = max(e for s, e in words if e <= text.index(",", a))
        words = [w for w in words if w[1] <= b]
    if re.match(r"[(_]|\.[\w]", text[b : b + 2]) or (text[a - 1 : a] in "$.{_/\\" and a > 0):
        return None  # code: name(...), name.attr, ${name}
    keys = [text[s:e].lower().rstrip(".") for s, e in words]
    names = [k for k in keys if len(k) > 1 and k not in PARTICLES]
    if not names and kind == NAME and len(words) == 1 and _LONE_INITIAL.match(text, a):
        return a, b  # "MI: R", a middle-name column: the initial is all there is of it
    if not names or " ".join(keys) in NULLISH or any(k in NULLISH for k in names if len(names) == 1):
        return None
    if any(k in LEADING_NON_NAME for k in names[:1]) and len(names) == 1:
        return None
    if kind == NAME:
        return a, b
    english = english_words()
    table = gazetteer()
    known = [k for k in names if ("f" in table.get(k, "") or "l" in table.get(k, "")) and k not in NOT_NAMES]
    foreign = [k for k in names if k not in english and k not in NOT_NAMES and k not in table]
    clean = [k for k in known if "w" not in table.get(k, "") and k not in english]
    if kind == ROLE:
        # "Patient: Rose Young", "X-From: Mann, Kay"; not "From: Human Resources"
        return (a, b) if clean or foreign or len(known) == len(names) else None
    if clean or (len(names) >= 2 and known and all(is_cap(text[s:e]) for s, e in words if e - s > 1)):
        return a, b
    return None


def field_names(text: str) -> Iterator[tuple[int, int]]:
    """Every (start, end) of a person's name found through a field label, table header, segment,
    e-mail header or greeting line."""
    yield from _labelled(text)
    yield from _xml(text)
    if "<t" in text or "<T" in text:
        from maskgate.detect.names.html_tables import html_table_names  # it imports this module

        yield from html_table_names(text)
    if "\n" in text:
        from maskgate.detect.names.letters import (  # they import this module
            directory_names,
            greeting_names,
            header_names,
        )

        yield from _tables(text)
        yield from header_names(text)
        yield from greeting_names(text)
        yield from directory_names(text)
    if "@" in text or "\n" in text:
        yield from _handles(text)
    if "NM1" in text:
        yield from edi_names(text)
    if "|" in text and "^" in text:
        yield from hl7_names(text)
    yield from statement_names(text)


_SEP_CHAR = re.compile(r"[:=：]")
_LAST_WORD = re.compile(rf"(?i:{_LAST})")
_CAMEL_TAIL = re.compile(r"[A-Z][a-z]+$")


def _field_matches(text: str) -> Iterator[re.Match[str]]:
    """_FIELD's matches, found from the separators: the label's last word is checked in Python first,
    so the full pattern runs on a short window before a few separators, not at every position."""
    field = pick(_FIELD, text)  # its ASCII twin on ASCII text: the key alternation is case-insensitive
    for c in _SEP_CHAR.finditer(text):
        p = c.start()
        j = p
        while j > 0 and p - j < 6 and text[j - 1] in " \t*_\"')":
            j -= 1
        k = j
        while k > 0 and j - k < 30 and text[k - 1].isalpha():
            k -= 1
        word = text[k:j]
        if not word:
            continue
        tail = _CAMEL_TAIL.search(word)
        if not (_LAST_WORD.fullmatch(word) or (tail is not None and _LAST_WORD.fullmatch(tail.group(0)))):
            continue
        for m in field.finditer(text, max(0, p - 60), min(len(text), p + 12)):
            if m.start("sep") <= p < m.end("sep"):
                yield m
                break


def _labelled(text: str) -> Iterator[tuple[int, int]]:
    for m in _field_matches(text):
        kind = field_kind(m.group("key"))
        if not kind or (kind == GENERIC and "=" in m.group("sep") and '"' not in m.group("sep")):
            continue  # name=foo in a command line or URL is no person
        if m.group("key").lower() in ("to", "by") or m.group("key").lower().endswith(" to"):
            continue
        line_end = text.find("\n", m.end())
        stop = len(text) if line_end < 0 else line_end
        if text.startswith("[", m.end()):  # "given": ["Oluwatoyin", "Grace"]
            close = text.find("]", m.end(), stop)
            for q in re.finditer(r"\"([^\"\n]{1,80})\"", text[m.end() : stop if close < 0 else close]):
                v = value_span(text, m.end() + q.start(1), kind, m.end() + q.end(1))
                if v is not None:
                    yield v
            continue
        listed = m.group("key").lower().endswith("s") and kind != GENERIC
        v = value_span(text, m.end(), kind, stop, pairs=not listed)
        if v is not None:
            yield v
            if listed:
                # a list: "Attendees: Nguyễn Văn An, Ōtani Shōhei; Gülşen Yılmaz"
                for item in re.finditer(r"[,;][ \t]*(?:and[ \t]+)?", text[v[1] : stop]):
                    w = value_span(text, v[1] + item.end(), kind, stop, pairs=False)
                    if w is not None:
                        yield w


def _xml(text: str) -> Iterator[tuple[int, int]]:
    if "<" not in text:
        return
    for m in _XML.finditer(text):
        kind = field_kind(m.group("key"))
        if not kind:
            continue
        close = text.find("<", m.end())
        v = value_span(text, m.end(), kind, None if close < 0 else close)
        if v is not None and (close < 0 or v[1] == close or not text[v[1] : close].strip()):
            yield v
    for m in _XML_VALUE.finditer(text):
        v = value_span(text, m.end(), NAME)
        if v is not None:
            yield v


# -- tables ----------------------------------------------------------------------------------------
_SEPARATORS = (",", "\t", "|", ";")


def _cells(line: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of one CSV-like line; quoted cells may hold the separator."""
    return split_row(line, sep, quotes="lenient")


def _tables(text: str) -> Iterator[tuple[int, int]]:
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    i = 0
    last = ("", -1)  # separator and count of the table row above, if the line above is one
    while i < len(lines):
        off, line = lines[i]
        sep = commonest_delimiter(line, _SEPARATORS)
        count = line.count(sep)
        if count == 0 or len(line) > 400:
            last = ("", -1)
            i += 1
            continue
        if re.fullmatch(r"[ \t|:+-]*", line):
            i += 1  # a Markdown rule: the row above and the one below are of one table
            continue
        cells = _cells(line, sep)
        if last == (sep, count) and count <= 3:
            # a row of a narrow table under another row ("| Field | Value |"): a cell naming a field
            # ("| Patient | HERNANDEZ, JOSE L |") may be a key with its value in the next cell
            yield from _key_value_row(text, off, line, cells)
        last = (sep, count)
        cols = {}
        for c, (a, b) in enumerate(cells):
            head = line[a:b].strip().strip("\"'*` ")
            kind = field_kind(head) if len(head) < 40 else 0
            if kind:
                cols[c] = kind
        if not cols:
            i += 1
            continue
        j = i + 1
        while j < len(lines):
            roff, row = lines[j]
            if re.fullmatch(r"[ \t|:+-]*", row) and row.strip():
                j += 1  # a Markdown rule under the header
                continue
            if row.count(sep) < count or row.count(sep) > count + 2 or not row.strip():
                break
            rcells = _cells(row, sep)
            for c, kind in cols.items():
                if c >= len(rcells):
                    continue
                a, b = rcells[c]
                while a < b and row[a] in " \"'":
                    a += 1
                cell = row[a:b].strip().strip("\"'*` ").lower()
                if cell in _NEXT_FIELD or (len(cell) < 40 and field_kind(cell)):
                    continue  # "| DOB | ... |" under "| Patient | ... |": a key-value table's keys
                v = value_span(text, roff + a, max(kind, ROLE), roff + b)
                if v is not None:
                    yield v
            j += 1
        if j > i + 1:
            last = ("", -1)  # the rows under this header were read with it
        i = j


def _key_value_row(text: str, off: int, line: str, cells: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    for c in range(len(cells) - 1):
        a, b = cells[c]
        head = line[a:b].strip().strip("\"'*` ")
        kind = field_kind(head) if len(head) < 40 else 0
        if not kind or kind == GENERIC:
            continue
        a, b = cells[c + 1]
        while a < b and line[a] in " \"'*":
            a += 1
        v = value_span(text, off + a, kind, off + b)
        if v is not None:
            yield v


_HANDLE_AFTER = re.compile(
    r"(?P<name>[^\W\d_][\w'’-]*(?:[ \t][^\W\d_][\w'’.-]*){0,3})[ \t]+"
    r"(?:\(@[A-Za-z0-9_.-]{2,39}\)|<[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}>)"
)
_DASH_SIGNATURE = re.compile(
    r"(?m)^[ \t]*(?:-|—|–|~)[ \t]*(?P<name>[^\W\d_][\w'’-]*(?:[ \t][^\W\d_][\w'’.-]*)?)[ \t]*$"
)


def _handle_matches(text: str) -> Iterator[re.Match[str]]:
    """`_HANDLE_AFTER.finditer(text)`, searched only on the lines that hold "(@" or "<" and "@": a
    match never crosses a line break (no part of the pattern matches one), and trying the pattern at
    every word of every line was ~1 ms of a 2 KB prompt."""
    start, n = 0, len(text)
    while start <= n:
        end = text.find("\n", start)
        end = n if end < 0 else end
        if text.find("(@", start, end) >= 0 or (
            text.find("<", start, end) >= 0 and text.find("@", start, end) >= 0
        ):
            yield from _HANDLE_AFTER.finditer(text, start, end)
        start = end + 1


def _handles(text: str) -> Iterator[tuple[int, int]]:
    """ "Rose Young (@ryoung)", "Rose Young <ry@example.com>": a name beside its handle or address;
    "-Mike" on its own line: a signature."""
    if "@" in text:
        for m in _handle_matches(text):
            a, b = m.span("name")
            while a < b and not is_cap(text[a : text.find(" ", a, b) if " " in text[a:b] else b]):
                nxt = text.find(" ", a, b)  # "Contributors: Rose Young": start at the capitalised name
                if nxt < 0:
                    break
                a = nxt + 1
            v = value_span(text, a, ROLE, b)
            if v is not None and v[1] == b:
                yield v
    for m in _DASH_SIGNATURE.finditer(text):
        a, b = m.span("name")
        keys = [w.lower() for w in text[a:b].split()]
        if any(k in NOT_NAMES or k in LEADING_NON_NAME for k in keys) or all(
            k in english_words() and "f" not in gazetteer().get(k, "") for k in keys
        ):
            continue  # "- Fixed", "- None": list items, not signatures
        v = value_span(text, a, ROLE, b)
        if v is not None and v[1] == b:
            yield v
