"""How each dataset's labels map onto maskgate's, and which of them are scored.

Versioned: a change of any rule below bumps MAPPING_VERSION, which every report carries, so two
figures are only compared when they were scored under the same rules.

Kinds of gold label
- ``direct``: direct identifiers (a person, an address, a phone number...). Scored for span
  precision/recall/F1, and their characters make up the overall **leak rate**.
- ``scored``: scored for span precision/recall/F1 and per-label leak, but not part of the overall
  leak rate: places (GPE), organisations and postcodes identify a person only together with
  other facts.
- ``quasi``: quasi-identifiers (TITLE, NRP, AGE, DATE_TIME). Reported separately (how much of them
  got masked); not counted as misses, and a prediction lying on one is neither a true nor a false
  positive. Their characters are left out of the over-masking figure too.
- ``ignored``: labels that are not personal data in themselves (DOMAIN_NAME); treated like quasi,
  shown in the report so nothing is dropped silently.

Each rule also says which maskgate labels count as the *right type* for the typed per-label
figures (``accepts``) and which maskgate label is its main counterpart (``primary``), used to
attribute predictions to a row for per-label precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MAPPING_VERSION = "3"  # 2: MRN and DATE_OF_BIRTH, the recognizers' labels; 3: NPI, ID_NUMBER (corpus)

Kind = Literal["direct", "scored", "quasi", "ignored"]
SCORED_KINDS: frozenset[str] = frozenset({"direct", "scored"})


@dataclass(frozen=True)
class LabelRule:
    kind: Kind
    primary: str
    accepts: frozenset[str]


def _r(kind: Kind, primary: str, *also: str) -> LabelRule:
    return LabelRule(kind, primary, frozenset((primary, *also)))


# presidio-research synth_dataset_v2 labels (see ../shared/datasets/README.md).
PRESIDIO_DATASET: dict[str, LabelRule] = {
    "PERSON": _r("direct", "PERSON"),
    "STREET_ADDRESS": _r("direct", "ADDRESS", "LOCATION", "FACILITY", "POSTCODE"),
    "PHONE_NUMBER": _r("direct", "PHONE"),
    "EMAIL_ADDRESS": _r("direct", "EMAIL"),
    "CREDIT_CARD": _r("direct", "CREDIT_CARD"),
    "IBAN_CODE": _r("direct", "IBAN"),
    "US_SSN": _r("direct", "US_SSN"),
    "IP_ADDRESS": _r("direct", "IP_ADDRESS"),
    "US_DRIVER_LICENSE": _r("direct", "US_DRIVER_LICENSE"),
    "GPE": _r("scored", "LOCATION", "ADDRESS", "FACILITY"),
    "ORGANIZATION": _r("scored", "ORG", "FACILITY"),
    "ZIP_CODE": _r("scored", "POSTCODE", "ADDRESS"),
    "TITLE": _r("quasi", "TITLE"),
    "NRP": _r("quasi", "NRP"),
    "AGE": _r("quasi", "AGE"),
    "DATE_TIME": _r("quasi", "DATE", "DATE_TIME", "DATE_OF_BIRTH"),
    "DOMAIN_NAME": _r("ignored", "URL"),
}

# maskgate's own labels, as used by the JSONL sets under tests/data/.
_DIRECT_NATIVE = (
    "PERSON", "EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "MAC_ADDRESS", "US_SSN", "US_ITIN",
    "US_DRIVER_LICENSE", "UK_NINO", "UK_NHS", "AU_TFN", "AU_ABN", "AU_MEDICARE", "NZ_IRD", "NZ_NHI",
    "SECRET", "USERNAME", "ACCOUNT_NUMBER", "MRN",
)  # fmt: skip
NATIVE: dict[str, LabelRule] = {label: _r("direct", label) for label in _DIRECT_NATIVE}
# Labelled identifiers (record, member, account, NPI, DEA, employee, passport numbers...): a value
# masked under any label of this family is the right type, since detectors name them differently
# (an NPI found as MRN or as a generic id still hides the same number). NPI and ID_NUMBER are gold
# labels of tests/data/corpus (ID_NUMBER: any other labelled personal identifier).
_ID_FAMILY = ("MRN", "ACCOUNT_NUMBER", "NPI", "ID_NUMBER", "US_DRIVER_LICENSE", "DEA", "HEALTH_PLAN_ID")
for _label in ("MRN", "ACCOUNT_NUMBER", "NPI", "ID_NUMBER"):
    NATIVE[_label] = _r("direct", _label, *_ID_FAMILY)
NATIVE.update(
    {
        "ADDRESS": _r("direct", "ADDRESS", "POSTCODE", "LOCATION", "FACILITY"),
        "POSTCODE": _r("scored", "POSTCODE", "ADDRESS"),
        "LOCATION": _r("scored", "LOCATION", "ADDRESS", "FACILITY"),
        "FACILITY": _r("scored", "FACILITY", "LOCATION", "ORG", "ADDRESS"),
        "ORG": _r("scored", "ORG", "FACILITY"),
        "URL": _r("scored", "URL", "SECRET", "USERNAME"),
        "DATE": _r("quasi", "DATE", "DATE_OF_BIRTH"),
        "DATE_OF_BIRTH": _r("quasi", "DATE_OF_BIRTH", "DATE"),
        "AGE": _r("quasi", "AGE"),
        "TITLE": _r("quasi", "TITLE"),
        "NRP": _r("quasi", "NRP"),
    }
)

# Predicted labels that are quasi-identifiers: masked (so they count for leak and over-masking),
# but not counted as positives or false positives.
QUASI_PREDICTIONS: frozenset[str] = frozenset({"DATE", "DATE_TIME", "DATE_OF_BIRTH", "AGE", "TITLE", "NRP"})

# Presidio's entity types → maskgate labels (for --compare presidio). Others keep their name.
PRESIDIO_OUTPUT: dict[str, str] = {
    "PERSON": "PERSON",
    "LOCATION": "LOCATION",
    "ORGANIZATION": "ORG",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN",
    "US_SSN": "US_SSN",
    "US_ITIN": "US_ITIN",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_DRIVER_LICENSE": "US_DRIVER_LICENSE",
    "US_BANK_NUMBER": "ACCOUNT_NUMBER",
    "URL": "URL",
    "DATE_TIME": "DATE",
    "NRP": "NRP",
    "UK_NHS": "UK_NHS",
    "UK_NINO": "UK_NINO",
    "AU_TFN": "AU_TFN",
    "AU_ABN": "AU_ABN",
    "AU_MEDICARE": "AU_MEDICARE",
}


def mapping_for(labels: set[str] | frozenset[str]) -> dict[str, LabelRule]:
    """The rule table for a dataset: Presidio's vocabulary if it uses it, maskgate's otherwise.

    A label neither table knows is ``ignored`` (and listed as such in the report).
    """
    table = (
        PRESIDIO_DATASET if labels & {"STREET_ADDRESS", "EMAIL_ADDRESS", "PHONE_NUMBER", "GPE"} else NATIVE
    )
    out = dict(table)
    for label in labels:
        out.setdefault(label, _r("ignored", label))
    return out
