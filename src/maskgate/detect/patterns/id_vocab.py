"""The words that label an identifier, written as combinable parts (issue 11 item 2).

A label is a head noun (`member`, `chart`, `policy`) and a number word after it (`ID`, `No.`, `#`,
`number`, `code`), or a name that is a label by itself (`MRN`, `NPI`, `passport`), a number word
optionally after it. Words are joined by nothing, a space, `_`, `.` or `-` (`member id`,
`member_id`, `memberId`, `Member.ID`). Each entry below lists plain words; `identifiers.py` builds
one regex from them, and the first words of all of them (the cheap pre-scan) are derived here too,
so the vocabulary and the pre-scan cannot drift apart.

- `names`: a label alone (`MRN: 551203`, `passport 533380006`).
- `heads`: a label only with a number word after it (`patient ID`, `case no.`): alone these are
  ordinary English (`patient`, `case`, `unit`).
- `alone`: heads that label a value without a number word too, but only as a form field written
  with a capital (`File: AUTO-448120`, `Account: 0044812`) or before a value that is unmistakably an
  identifier (upper-case letters or separators with 5+ digits: `file AUTO-77120934`).
- `capitals`: acronyms that are words too (`SIN`, `FIN`, `HAR`): labels only in capitals.
- `roles`: words for a person (`Patient:`, `Employee:`) whose id may follow the name in parentheses
  (`Employee: Gregory Ashcombe (#00871)`); nothing else is taken after them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType

from maskgate.detect.es import vocabulary as es_vocabulary

# What turns a head noun into an identifier label: `member` + `ID`, `chart` + `#`, `Matter` + `No.`;
# some other languages' number words cost nothing (`Kundennummer` is not split, `numero`, `nº` are).
NUMBER_WORDS = (
    "identifier", "identification", "id", "ids", "numbers", "number", "nbr", "no", "nos", "nr", "num", "#",
    "code", "reference", "ref", "nummer", "numero", "número", "nº", "n°",
)  # fmt: skip
SEP = r"(?:\.[ -]?|[ _-])?"  # `member id`, `member_id`, `memberId`, `member-no`, `Member.ID`, `Pt. ID`, `Kto.-Nr.`
Q = "(?:" + "|".join(re.escape(w) for w in sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"


@dataclass(frozen=True)
class LabelWords:
    label: str  # the span label this entry gives
    names: tuple[str, ...] = ()
    heads: tuple[str, ...] = ()
    alone: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


# Qualifiers that may precede a head (`home phone`, `bank account`) are written into the phrase.
# fmt: off
ENTRIES: tuple[LabelWords, ...] = (
    LabelWords(
        "MRN",
        names=(
            "mrn", "mr#", "empi", "medical record", "medical records", "med rec", "health record", "case note",
            "patientennummer", "fallnummer", "patiëntnummer",
        ),
        heads=(
            "patient", "pt", "pat", "mr", "ur", "hospital", "admission", "ehr", "emr", "unit",
            "hospital account", "health care", "healthcare", "medical", "hosp",
        ),
        alone=("chart", "encounter", "visit"),
        capitals=("har", "csn", "fin", "mrun", "urn"),
        roles=("patient", "pt"),
    ),
    LabelWords("NPI", names=("npi", "national provider identifier", "national provider")),
    LabelWords("DEA", names=("dea", "dea registration")),
    LabelWords(
        "HEALTH_PLAN_ID",
        names=("medicaid", "mbi", "hicn", "medicare beneficiary", "rx group", "rx grp", "rx member", "rx id"),
        heads=(
            "subscriber", "beneficiary", "insured", "enrollee", "insurance", "ins", "medicare", "health plan",
            "health insurance", "health plan beneficiary", "payer", "payor", "carrier", "coverage", "grp",
            "medical aid", "sub",
        ),
        alone=("member", "group", "plan", "medicare"),
        roles=("subscriber", "insured", "policyholder", "beneficiary", "enrollee"),
    ),
    LabelWords(
        "ACCOUNT_NUMBER",
        names=(
            "account", "acct", "acc", "a/c", "bank account", "billing account", "checking account",
            "savings account", "bank acct", "bank a/c", "checking acct", "savings acct", "policy", "policyholder",
            "membership", "loan", "mortgage", "contract", "cardmember", "card member", "cif",
            "kundennummer", "kontonummer", "vertragsnummer", "klantnummer", "rekeningnummer",
            # bank shorthand (demand deposit account) and loyalty programmes named instead of a label
            # (`Loyalty: Bonvoy 118 822 047`, `SkyMiles # 2204881744`)
            "dda", "frequent flyer", "frequent flier", "bonvoy", "skymiles", "aadvantage", "mileageplus",
            "rapid rewards", "avios", "hilton honors", "flying blue", "trueblue", "ihg one rewards",
            "world of hyatt", "executive club", "miles and more", "krisflyer", "asia miles", "aeroplan",
        ),
        heads=(
            "customer", "cust", "client", "subscription", "loyalty", "billing", "utility", "meter", "konto",
            "cardholder", "card holder", "account holder", "holder", "pol", "mbr", "ff", "rewards",
            # German compounds cut short before their number word (`Kundennr.`, `Kto.-Nr.`, `Vertragsnr.`)
            "kunden", "kd", "kto", "vertrags", "mitglieds", "versicherten",
        ),
        roles=("customer", "client", "account holder", "borrower", "cardholder"),
        alone=("reference", "ref", "customer", "client", "savings", "checking", "chequing", "pol"),
    ),
    # Booking and confirmation codes are short letter-digit codes (`HJ7K2P`); identifiers.py relaxes
    # the shape for them.
    LabelWords(
        "BOOKING",
        # `conf code` (a boarding pass's); `Conf#` on statements is a payment's confirmation
        names=("pnr", "conf code"),
        heads=("booking", "confirmation", "reservation", "record locator"),
        alone=("booking", "confirmation", "reservation", "booking reference", "booking ref", "record locator"),
    ),
    LabelWords(
        "EMPLOYEE_ID",
        names=("badge", "personalnummer", "personeelsnummer", "matricule"),
        heads=("employee", "staff", "personnel", "payroll", "worker"),
        capitals=("emp",),
        roles=("employee", "staff member", "worker", "contractor"),
    ),
    LabelWords(
        "CASE_ID",
        names=("docket", "aktenzeichen", "dossiernummer"),
        heads=("case", "complaint", "appeal", "grievance", "dossier", "court", "police"),
        alone=("file", "matter", "case"),
    ),
    LabelWords(
        "LICENSE_NUMBER",
        names=(
            "professional license", "professional licence", "medical license", "medical licence",
            "state license", "state licence", "nursing license", "nursing licence", "practicing license",
            "practising licence",
        ),
        heads=("registration", "certification", "board certification", "gmc", "nmc", "ahpra"),
        alone=("license", "licence", "certificate", "permit", "work permit"),
    ),
    LabelWords("PASSPORT", names=("passport",), heads=("travel document", "visa")),
    LabelWords(
        "ID_NUMBER",
        names=(
            "hkid", "nric", "curp", "aadhaar", "aadhar", "pesel", "sofinummer", "personnummer", "nino",
            "codice fiscale", "steuer id", "steuer nummer", "steuer nr", "steuernummer", "steuer-id",
            "sozialversicherungsnummer", "ahv", "ahv nr", "ahv nummer", "nhs", "national identity",
            "identity card", "id card", "identity document", "id document", "id number", "id no", "id nr",
            "id num", "id #", "i.d.", "uscis", "a-number", "ssid", "sasid", "state student",
        ),
        heads=(
            "student", "pupil", "learner", "citizen", "voter", "resident", "alien", "national", "identity",
            "identification", "roll", "matriculation", "enrolment", "enrollment", "enrol", "document", "doc",
            "provider", "prescriber", "customs", "immigration", "benefit", "benefits", "pension", "social insurance",
            "claimant", "inmate", "prisoner", "offender", "detainee", "ni", "government", "military", "dod",
            "state", "cii", "fbi", "sid",
        ),
        capitals=("sin", "nie", "nif", "dni", "cpf", "cnpj", "cpr", "nir", "bsn", "svnr"),
    ),
    LabelWords(
        "VEHICLE_ID",
        names=(
            "vin", "vehicle identification", "license plate", "licence plate", "registration plate",
            "number plate",
        ),
        heads=("vehicle", "plate"),
        alone=("plate",),
    ),
    LabelWords(
        "TAX_ID",
        names=("taxpayer identification", "tax identification"),
        heads=("tax", "taxpayer", "tax payer", "vat", "gst", "hst", "employer identification", "employer", "tax file"),
        capitals=("tin", "ein", "fein", "itin", "utr", "vat"),
    ),
)

# fmt: on

# Words that only label a table column (inline they are `phones.py`'s and `us.py`'s business).
COLUMN_ENTRIES: tuple[LabelWords, ...] = (
    LabelWords(
        "PHONE",
        names=tuple(
            f"{kind}{word}"
            for kind in (
                "",
                "home ",
                "work ",
                "cell ",
                "mobile ",
                "office ",
                "primary ",
                "contact ",
                "emergency ",
            )
            for word in ("telephone", "phone", "tel", "mobile", "cell", "fax")
        ),
    ),
    LabelWords("US_SSN", names=("ssn", "social security", "socialnum", "ss#", "social", "soc sec")),
)


def _phrase(words: str) -> str:
    return SEP.join(re.escape(w) for w in words.split(" "))


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(_phrase(w) for w in sorted(set(words), key=len, reverse=True))


def entry_pattern(entry: LabelWords, key: str) -> str:
    """`(?P<key>names[+number word] | heads+number word)`; capital-only names are checked by the caller."""
    parts = []
    named = entry.names + entry.capitals
    if named:
        parts.append(rf"(?:{_alternation(named)})(?:{SEP}{Q}){{0,2}}")
    heads = entry.heads + entry.alone
    if heads:
        parts.append(rf"(?:{_alternation(heads)})s?(?:{SEP}{Q}){{1,2}}")  # `Member ID No.`
    return f"(?P<{key}>{'|'.join(parts)})"


def alone_pattern(entry: LabelWords, key: str) -> str | None:
    return f"(?P<{key}>{_alternation(entry.alone)})" if entry.alone else None


def role_pattern(entry: LabelWords, key: str) -> str | None:
    return f"(?P<{key}>{_alternation(entry.roles)})" if entry.roles else None


def first_words(entries: tuple[LabelWords, ...]) -> set[str]:
    """The first word of every phrase: where a label can start (letters, or `a/c`, `mr#`, `rx#`)."""
    out = set()
    for e in entries:
        for phrase in (*e.names, *e.heads, *e.alone, *e.capitals, *e.roles):
            first = phrase.split(" ")[0]
            out.add(first)
    return out


# Label words of other languages, written as raw lower-case regexes per label: a module with
# `VOCABULARY` and `COLUMN_ONLY` (label -> regexes), `FIRST_WORDS` (the words or prefixes a label can
# start with) and `CAPITALS_ONLY` (acronyms that are words too). The Spanish pack
# (`detect/es/vocabulary.py`) plugs in here: `EXTRA_PACKS = (es_vocabulary,)`.
EXTRA_PACKS: tuple[ModuleType, ...] = (es_vocabulary,)

CAPITALS: frozenset[str] = frozenset(w for e in ENTRIES for w in e.capitals)
