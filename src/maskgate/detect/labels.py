"""Canonical labels. Short upper-case names; docs/labels.md explains what each covers."""

from __future__ import annotations

import re

LABELS: dict[str, str] = {
    "PERSON": "Names of people (first, last, full, with hyphens and initials).",
    "ORG": "Organisations: companies, hospitals, agencies, institutions.",
    "LOCATION": "Places named in text: cities, countries, regions (GPE/LOC from NER).",
    "FACILITY": "Named buildings, airports, roads and other facilities (FAC from NER).",
    "ADDRESS": "Street addresses: number, street, unit, city/state, postcode.",
    "POSTCODE": "Full UK postcodes (outward and inward part, e.g. `SW1A 1AA`); others via address detection.",
    "EMAIL": "E-mail addresses (not SSH remotes such as `git@github.com`).",
    "PHONE": "Telephone numbers: `phonenumbers` (US/UK/AU/NZ national, `0`-prefixed EU/ZA, any `+`), or labelled.",
    "CREDIT_CARD": "Payment card numbers with a known network prefix passing the Luhn check.",
    "IBAN": "International bank account numbers (spaced or compact) passing the country format and mod 97.",
    "IP_ADDRESS": "IPv4/IPv6 addresses parsed by `ipaddress`; not loopback, networks or version numbers.",
    "MAC_ADDRESS": "Hardware MAC addresses (colon, dash or Cisco dot notation).",
    "URL": "Values of identifying URL query parameters (`token`, `email`, `session_id`, `sig`, ...).",
    "US_SSN": "US Social Security numbers (area/group/serial rules; bare 9 digits only with context).",
    "US_ITIN": "US Individual Taxpayer Identification Numbers (9xx area, ITIN group ranges).",
    "US_DRIVER_LICENSE": "US driver's licence numbers, only next to words such as `driver's license` or `DL #`.",
    "UK_NINO": "UK National Insurance numbers (HMRC prefix rules, suffix A-D).",
    "UK_NHS": "UK NHS numbers (mod 11; unformatted only with context).",
    "AU_TFN": "Australian Tax File Numbers (checksum; unformatted only with context).",
    "AU_ABN": "Australian Business Numbers (checksum; unformatted only with context).",
    "AU_MEDICARE": "Australian Medicare card numbers (checksum; unformatted only with context).",
    "NZ_IRD": "New Zealand IRD numbers (checksum; unformatted only with context).",
    "NZ_NHI": "New Zealand National Health Index numbers, old and new format (checksum).",
    "SECRET": "Secrets and credentials: private keys, vendor tokens, JWTs, bearer tokens, password values.",
    "USERNAME": "Account names in logs, configs and URLs (`user=jsmith`, `for user mgarcia`).",
    "ACCOUNT_NUMBER": "Bank/customer/policy account numbers after an account word, or from model backends.",
    "DATE": "Dates tied to a person (from model backends; not detected by default).",
    "DATE_OF_BIRTH": "A date given as someone's date of birth (`DOB: 03/04/1980`, `born on 3 April 1980`).",
    "MRN": "Medical record / patient / chart / encounter numbers, when labelled as such (`MRN 00482913`).",
    "NPI": "US National Provider Identifiers (10 digits, Luhn over the 80840 prefix), when labelled.",
    "DEA": "US DEA registration numbers (two letters, seven digits, checksum), when labelled.",
    "HEALTH_PLAN_ID": "Health-plan member, subscriber, group, insurance, Medicaid/Medicare ids, when labelled.",
    "EMPLOYEE_ID": "Employee, staff, payroll and badge numbers, when labelled.",
    "CASE_ID": "Case, claim and docket numbers, when labelled.",
    "LICENSE_NUMBER": "Professional and other licence and certificate numbers (not driver's), when labelled.",
    "PASSPORT": "Passport numbers, when labelled.",
    "TAX_ID": "Tax identification numbers (tax id, TIN, EIN), when labelled.",
    "ID_NUMBER": "Personal id numbers: student, national, citizen, voter, identity card numbers, when labelled.",
    "VEHICLE_ID": "Vehicle identification numbers (VIN) and licence plates, when labelled.",
    "CUSTOM": "Operator deny-list terms with no label of their own.",
}

_LABEL_RE = re.compile(r"^[A-Z][A-Z0-9_]*[A-Z0-9]$|^[A-Z]$")


def check_label(label: str) -> str:
    """Labels must be upper-case identifiers so placeholders stay parseable."""
    if not _LABEL_RE.match(label):
        raise ValueError(f"invalid label {label!r}: use upper-case letters, digits and underscores")
    return label
