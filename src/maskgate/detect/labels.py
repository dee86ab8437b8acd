"""Canonical labels. Short upper-case names; docs/labels.md explains what each covers."""

from __future__ import annotations

import re

LABELS: dict[str, str] = {
    "PERSON": "Names of people (first, last, full, with hyphens and initials).",
    "ORG": "Organisations: companies, hospitals, agencies, institutions.",
    "LOCATION": "Places named in text: cities, countries, regions (GPE/LOC from NER).",
    "FACILITY": "Named buildings, airports, roads and other facilities (FAC from NER).",
    "ADDRESS": "Street addresses: number, street, unit, city/state, postcode.",
    "POSTCODE": "Postal codes with their format validated (UK postcode, US ZIP in address context).",
    "EMAIL": "E-mail addresses.",
    "PHONE": "Telephone numbers validated by `phonenumbers` (US/UK/AU/NZ and international).",
    "CREDIT_CARD": "Payment card numbers passing the Luhn check.",
    "IBAN": "International bank account numbers passing mod 97.",
    "IP_ADDRESS": "IPv4 and IPv6 addresses parsed by `ipaddress`.",
    "MAC_ADDRESS": "Hardware MAC addresses.",
    "URL": "Identifying parts of URLs: credentials and identifying query values.",
    "US_SSN": "US Social Security numbers (area/group/serial rules).",
    "US_ITIN": "US Individual Taxpayer Identification Numbers.",
    "UK_NINO": "UK National Insurance numbers.",
    "UK_NHS": "UK NHS numbers (mod 11).",
    "AU_TFN": "Australian Tax File Numbers (checksum).",
    "AU_ABN": "Australian Business Numbers (checksum).",
    "AU_MEDICARE": "Australian Medicare card numbers (checksum).",
    "NZ_IRD": "New Zealand IRD numbers (checksum).",
    "NZ_NHI": "New Zealand National Health Index numbers (checksum).",
    "SECRET": "Secrets and credentials: keys, tokens, passwords, private keys, JWTs.",
    "USERNAME": "Account names in logs and configs (`user=jsmith`, `login: mgarcia`).",
    "ACCOUNT_NUMBER": "Bank/customer account numbers (from model backends).",
    "DATE": "Dates tied to a person (from model backends; not detected by default).",
    "CUSTOM": "Operator deny-list terms with no label of their own.",
}

_LABEL_RE = re.compile(r"^[A-Z][A-Z0-9_]*[A-Z0-9]$|^[A-Z]$")


def check_label(label: str) -> str:
    """Labels must be upper-case identifiers so placeholders stay parseable."""
    if not _LABEL_RE.match(label):
        raise ValueError(f"invalid label {label!r}: use upper-case letters, digits and underscores")
    return label
