"""X12 EDI: elements that identify a person, found by their segment and qualifier."""

from __future__ import annotations

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())

CLAIM_837 = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240811*1200*^*00501*000000905*0*P*:~\n"
    "ST*837*0001*005010X222A1~\n"
    "NM1*IL*1*HAWTHORNE*GLENDA*M***MI*W884512093~\n"
    "N3*4021 WILLOW CREEK DR~\n"
    "N4*BOISE*ID*83706~\n"
    "DMG*D8*19580419*F~\n"
    "NM1*82*1*PRATT*LEONARD****XX*1817414331~\n"
    "NM1*PR*2*ACME HEALTH PLAN*****PI*87726~\n"
    "REF*SY*521447103~\n"
    "CLM*A37YH556*500***11:B:1*Y*A*Y*Y~\n"
    "PER*IC*JANE ROE*TE*7735550149*EM*jroe@example.com~\n"
    "SE*12*0001~"
)


def edi_spans(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in sorted(LAYER.detect(text)) if s.source == "regex:edi"]


def test_x12_claim_elements_by_qualifier() -> None:
    assert edi_spans(CLAIM_837) == [
        ("HAWTHORNE", "PERSON"),
        ("GLENDA", "PERSON"),
        ("M", "PERSON"),
        ("W884512093", "HEALTH_PLAN_ID"),
        ("4021 WILLOW CREEK DR", "ADDRESS"),
        ("BOISE", "ADDRESS"),
        ("ID", "ADDRESS"),  # the state: part of the patient's address
        ("83706", "ADDRESS"),
        ("19580419", "DATE_OF_BIRTH"),
        ("PRATT", "PERSON"),
        ("LEONARD", "PERSON"),
        ("1817414331", "NPI"),
        ("521447103", "US_SSN"),
        ("A37YH556", "CASE_ID"),
        ("JANE ROE", "PERSON"),
        ("7735550149", "PHONE"),
        ("jroe@example.com", "EMAIL"),
    ]


def test_organisations_payer_ids_and_envelope_are_left_alone() -> None:
    found = {value for value, _ in edi_spans(CLAIM_837)}
    assert not found & {"ACME HEALTH PLAN", "87726", "SENDER", "837", "0001"}


def test_a_providers_practice_is_an_organisation() -> None:
    text = CLAIM_837.replace("NM1*82*1*PRATT*LEONARD****", "NM1*85*2*RIVERBEND FAMILY PRACTICE*****")
    assert ("RIVERBEND FAMILY PRACTICE", "ORG") in edi_spans(text)


def test_one_segment_in_prose_is_no_interchange() -> None:
    assert edi_spans("Use NM1*IL*1 segments for subscribers; REF is optional.") == []


ENROLMENT_834 = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240301*1200*^*00501*000000905*0*P*:~\n"
    "ST*834*0001*005010X220A1~\n"
    "INS*Y*18*021*28*A***FT~\n"
    "REF*0F*W88120443~\n"
    "REF*1L*GRP4471~\n"
    "REF*23*C004417~\n"
    "REF*Q4*P-20931~\n"
    "NM1*IL*1*ROE*DANA*L***34*536221234~\n"
    "NM1*QD*1*ROE*SAM****ZZ*K2203117~\n"
    "SE*9*0001~"
)
PAYMENT_820 = (
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*PAYEE          *240301*1200*^*00501*000000906*0*P*:~\n"
    "ST*820*0001~\n"
    "ENT*1*2J*34*536221234~\n"
    "NM1*EY*1*ROE*DANA~\n"
    "ENT*2*2J*EI*E-204471~\n"
    "ENT*3*RGA*ZZ*GROUP88~\n"
    "SE*6*0001~"
)


def test_member_ids_of_an_enrolment_under_any_person_qualifier() -> None:
    found = edi_spans(ENROLMENT_834)
    assert ("W88120443", "HEALTH_PLAN_ID") in found
    assert ("GRP4471", "HEALTH_PLAN_ID") in found
    assert ("C004417", "HEALTH_PLAN_ID") in found
    assert ("P-20931", "ID_NUMBER") in found
    assert ("536221234", "US_SSN") in found
    assert ("K2203117", "ID_NUMBER") in found  # a person's id under a mutually defined qualifier


def test_premium_payment_entities_of_individuals() -> None:
    found = edi_spans(PAYMENT_820)
    assert ("536221234", "US_SSN") in found
    assert ("E-204471", "EMPLOYEE_ID") in found
    assert "GROUP88" not in {v for v, _ in found}  # a remittance group, not a person


def test_provider_tax_ids_and_claim_numbers_are_no_ones() -> None:
    text = CLAIM_837.replace("REF*SY*521447103~", "REF*EI*141234567~\nREF*D9*TRN88120~").replace(
        "NM1*PR*2*ACME HEALTH PLAN*****PI*87726~", "NM1*85*2*RIVERBEND PRACTICE*****24*141234567~"
    )
    found = {v for v, _ in edi_spans(text)}
    assert not found & {"141234567", "TRN88120"}


def test_the_subscribers_group_number_of_a_claim() -> None:
    text = CLAIM_837.replace("NM1*IL*1*", "SBR*P*18*GRP-55120******CI~\nNM1*IL*1*")
    assert ("GRP-55120", "HEALTH_PLAN_ID") in edi_spans(text)
