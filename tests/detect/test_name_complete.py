"""Whole names: a PERSON span grows over the rest of its name (names/complete.py), the parts of a
name are found again alone in any case and inside file names (name_parts.py), statement payees
(names/statements.py), and NER spans stop at a form field's end (ner/refine.py)."""

from __future__ import annotations

import pytest

from maskgate.detect.name_parts import coordinated_given, name_part_spans, relabel_parts
from maskgate.detect.names import NameLayer
from maskgate.detect.names.complete import complete_names
from maskgate.detect.names.fields import ROLE, field_kind
from maskgate.detect.names.statements import statement_names
from maskgate.detect.ner.refine import refine_entity
from maskgate.detect.repeat import mask_repeats
from maskgate.detect.spans import Span
from maskgate.detect.words import is_cap


def person(text: str, value: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Span(start, start + len(value), "PERSON", 0.85, "ner")


def values(text: str, spans: list[Span]) -> list[str]:
    return [text[s.start : s.end] for s in spans]


@pytest.mark.parametrize(
    ("text", "core", "whole"),
    [
        ("Signed: R. Vance / HR", "Vance", "R. Vance"),  # hr: an initial
        ("Dictated by J. R. Okafor on 3/4", "Okafor", "J. R. Okafor"),
        ("Letter from Prof. Dr. Ignacio Ruiz today", "Dr. Ignacio Ruiz", "Prof. Dr. Ignacio Ruiz"),  # titles
        ("Rm 414 Dolores de la Fuente, 67F", "Dolores", "Dolores de la Fuente"),  # note: particles
        ("Member: de la Cruz, Rosario", "Cruz", "de la Cruz"),
        ("ACCOUNT HOLDER: MRS AMARA N DE VRIES\n", "MRS AMARA N DE", "MRS AMARA N DE VRIES"),  # finance
        ("Treasurer: MacDougall, Ewan R. III\n", "Ewan", "MacDougall, Ewan R. III"),  # suffix
        ("Guardian: Winston Doe Jr., father", "Winston Doe", "Winston Doe Jr."),
        ('Assistant: Brady "Bo" Kessling\n', "Bo", 'Brady "Bo" Kessling'),  # nickname
        ("CFO: Whitfield, Eleanor J.\n", "Whitfield", "Whitfield, Eleanor J."),  # Last, First
        ("| Ordering provider | Patel, Anjali MD |", "Anjali", "Patel, Anjali"),
        ("Name on passport: ALJABRI, KHALID SAEED / passport", "KHALID SAEED", "ALJABRI, KHALID SAEED"),
        ("Signature: Geneviève St. Clair-Bouchard   Date", "Geneviève", "Geneviève St. Clair-Bouchard"),
    ],
)
def test_a_span_grows_over_the_rest_of_its_name(text: str, core: str, whole: str) -> None:
    out = complete_names(text, [person(text, core)])
    assert values(text, out) == [whole]


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("net -1.2 L. Mrs. Fuente refused heparin", "Mrs. Fuente"),  # a unit, not an initial
        ("Thanks, Gabriela\n", "Gabriela"),  # a word before the comma, not a surname
        ("Signed: Raj Malhotra, PA-C\n", "Raj Malhotra"),  # a credential after the comma
        ("Agent (Marisol): hi", "Marisol"),  # parentheses: a role, not a nickname
        ("ONLINE TRANSFER TO DE VRIES A N SAV", "DE VRIES A N"),  # "TO" is no name
        ("Then, Anna said no", "Anna"),
        ("Se colocó sonda de Foley ayer", "Foley"),  # Spanish prose: "de" is a preposition
        ("la tinción de Gram fue negativa", "Gram"),
    ],
)
def test_neighbours_that_are_no_part_of_the_name_stay(text: str, core: str) -> None:
    out = complete_names(text, [person(text, core)])
    assert values(text, out) == [core]


def test_growth_absorbs_name_guesses_but_not_other_values() -> None:
    text = "Admitting: Hakim, Tariq MD    Discharging"
    org = text.index("Tariq")
    spans = [person(text, "Hakim"), Span(org, org + len("Tariq MD"), "ORG", 0.6, "ner")]
    assert values(text, complete_names(text, spans)) == ["Hakim, Tariq"]
    text = "Contact: R. Vance"
    spans = [Span(9, 11, "ID_NUMBER", 0.9, "regex"), person(text, "Vance")]
    assert complete_names(text, spans) == spans  # "R." is some other value here: no growth
    assert complete_names(text, [person(text, "Vance")], allowed=[(9, 11)])[0].start == 12


@pytest.mark.parametrize(
    ("text", "name", "parts"),
    [
        # clinical note: a surname again in capitals, after the title-case name
        ("Patient: Faith Young\nPlan discussed; YOUNG to repeat CRP.", "Faith Young", ["YOUNG"]),
        # e-mail: parts inside file names, folders and header values
        (
            "X-From: Rosalind Fahey\nX-Folder: \\Rosalind_Fahey_Jun2001\\Sent\nX-Origin: Fahey-R",
            "Rosalind Fahey",
            ["Rosalind", "Fahey", "Fahey"],
        ),
        (
            "Attached: CV_Ravindran_Priya_2024.docx from Priya Ravindran",
            "Priya Ravindran",
            ["Ravindran", "Priya"],
        ),
        ("Jane Okafor sent scan-okafor-j.pdf", "Jane Okafor", ["okafor"]),  # lower case in a file name
        # finance: a surname that is a word, as the subject of a verb at a sentence's start
        ("The seller, Gregory Strand, promised. Strand stopped replying.", "Gregory Strand", ["Strand"]),
        # a title and one name: the name again in any case
        ("Ms. Okafor called. OKAFOR, please call back.", "Ms. Okafor", ["OKAFOR"]),
    ],
)
def test_parts_of_a_name_are_found_again(text: str, name: str, parts: list[str]) -> None:
    spans = [person(text, name)]
    found = [text[a:b] for a, b in name_part_spans(text, spans) if not (spans[0].start <= a < spans[0].end)]
    assert found == parts


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Rose Young saw her. The Young Adult Clinic and a young patient; Wells score 2.",
        "Rose Young wrote. Young people and rose bushes. Young's modulus is high.",
        "Mark Strand joined. Strand of hair; the strand broke.",
        "Faith Young signed. YOUNG ADULT CLINIC FORMS",
        "Rose Young's file: young-adults.pdf",  # lower case and a word: the file's word, not her name
    ],
)
def test_parts_that_are_words_stay_where_they_are_words(text: str) -> None:
    first = text.split(" ")[0] + " " + text.split(" ")[1].rstrip(".,'s")
    spans = [person(text, first.replace("'s", "").rstrip(":"))]
    extra = [text[a:b] for a, b in name_part_spans(text, spans) if a >= spans[0].end]
    assert extra == []


def test_an_org_guess_that_is_a_persons_surname_becomes_a_name() -> None:
    text = "Employee: Robert Vance. Vance exceeded quota."
    spans = [person(text, "Robert Vance"), Span(24, 29, "ORG", 0.6, "ner")]
    assert [s.label for s in relabel_parts(text, spans)] == ["PERSON", "PERSON"]
    text = "Employee: Robert Vance works at Apple."
    spans = [person(text, "Robert Vance"), Span(32, 37, "ORG", 0.6, "ner")]
    assert relabel_parts(text, spans) is spans


def test_the_repeat_step_grows_and_repeats_in_one_go() -> None:
    text = "Reviewer: Claire de Montfort\nSigned: R. Vance / C. de Montfort\nEmployee: Robert Vance"
    spans = [person(text, "Claire de Montfort"), person(text, "Robert Vance")]
    out = values(text, mask_repeats(text, spans))
    assert out == ["Claire de Montfort", "R. Vance", "C. de Montfort", "Robert Vance"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("05/02  ZELLE TO OKONJO CHIDI CONF# Q8XK21P   -250.00", ["OKONJO CHIDI"]),
        ("05/06  CHECK #1042 PAID TO MARGARET O'HARE     -1,150.00", ["MARGARET O'HARE"]),
        ("05/14  VENMO CASHOUT J DE VRIES        +120.00", ["J DE VRIES"]),
        ("Zelle payment from Marisol Ortiz on 3/2", ["Marisol Ortiz"]),
        ("05/21  ONLINE TRANSFER TO SAVINGS ...8812   -500.00", []),
        ("05/22  PAYMENT TO WELLS FARGO CARD   -500.00", []),
        ("05/23  PAID TO COMCAST CABLE  -90.00", []),
        ("05/24  PAYMENT TO CHASE  -10.00", []),
    ],
)
def test_statement_payees(text: str, names: list[str]) -> None:
    assert [text[a:b] for a, b in statement_names(text)] == names


def test_field_labels_with_a_note_and_name_halves() -> None:
    layer = NameLayer()
    text = "Last Name (Family Name): ST. CLAIR-BOUCHARD\nFirst Name (Given Name): GENEVIÈVE"
    assert [text[s.start : s.end] for s in layer.detect(text)] == ["ST. CLAIR-BOUCHARD", "GENEVIÈVE"]
    text = 'Last Name: MCALLISTER   First: SIOBHAN\n{"last":"DOE","first":"JANE"}'
    assert [text[s.start : s.end] for s in layer.detect(text)] == ["MCALLISTER", "SIOBHAN", "DOE", "JANE"]
    assert field_kind("First") == ROLE and field_kind("Referring") == ROLE
    text = "Last: Tuesday at noon. First: take the pill. Ordering: CBC, CMP"
    assert [text[s.start : s.end] for s in layer.detect(text) if s.start > 6] == []


def test_double_surnames_keep_their_shape() -> None:
    assert is_cap("McAllister-Greene") and is_cap("Ji-hoon") and is_cap("O'Neill-Park")
    assert not is_cap("COVID-19") and not is_cap("mcallister-greene")


def test_ner_spans_stop_at_the_end_of_a_form_field() -> None:
    text = "Employer: Vanderbilt University Medical Center    Phone: (615) 555-0102"
    start = text.index("Vanderbilt")
    end = text.index("Phone") + 5
    assert [text[a:b] for a, b in refine_entity(text, "ORG", start, end)] == [
        "Vanderbilt University Medical Center"
    ]
    text = "PATIENT: NGUYEN THI HOA   DOB: 02/11/1949"
    start = text.index("NGUYEN")
    assert [text[a:b] for a, b in refine_entity(text, "PERSON", start, text.index("DOB") + 3)] == [
        "NGUYEN THI HOA"
    ]
    text = "Acme Health\nFritz-Armstrong"  # a line break alone: the model's call
    assert [text[a:b] for a, b in refine_entity(text, "ORG", 0, len(text))] == [text]


def test_lone_initials_and_suffixes_in_records() -> None:
    layer = NameLayer()
    text = "Last Name: MCALLISTER   First: SIOBHAN   MI: R\nMiddle Initial: M\nInitial: consult"
    assert [text[s.start : s.end] for s in layer.detect(text)] == ["MCALLISTER", "SIOBHAN", "R", "M"]
    text = "NM1*IL*1*WASHINGTON*TYRONE*L*MR*JR*34*533071846~\nNM1*IL*1*DOE*JANE****MI*W1~"
    assert [text[s.start : s.end] for s in layer.detect(text)] == [
        "WASHINGTON",
        "TYRONE",
        "L",
        "JR",
        "DOE",
        "JANE",
    ]


def test_names_side_by_side_give_their_parts() -> None:
    text = "Rm 416 Tran, Bao 59M. Bao ate 75% of dinner."
    spans = [person(text, "Tran"), person(text, "Bao")]
    assert [text[a:b] for a, b in name_part_spans(text, spans) if a > spans[1].end] == ["Bao"]


def test_key_value_tables() -> None:
    layer = NameLayer()
    text = "| Field | Value |\n|---|---|\n| Patient | HERNANDEZ, JOSE L |\n| DOB | 1958-12-01 |\n| MRN | MGH-40877 |"
    assert [text[s.start : s.end] for s in layer.detect(text)] == ["HERNANDEZ, JOSE L"]
    text = "Report, page 1, 2024\nid,name,role\n1,Ada Okafor,RN"
    assert [text[s.start : s.end] for s in layer.detect(text)] == ["Ada Okafor"]


def test_html_tables() -> None:
    layer = NameLayer()
    text = (
        "<table>\n<tr><th>Patient</th><th>MRN</th></tr>\n<tr><td>Kwame Asante</td><td>4471220</td></tr>\n"
        "<tr><td> Lena Vogt </td><td>4471221</td></tr>\n</table>"
    )
    assert [text[s.start : s.end] for s in layer.detect(text)] == ["Kwame Asante", "Lena Vogt"]
    text = (
        "<table><tr><th>Product</th><th>Owner</th></tr><tr><td>Widget</td><td>Platform team</td></tr></table>"
    )
    assert layer.detect(text) == []


def test_a_given_name_coordinated_with_a_full_name() -> None:
    text = "Relocation: Arjun and Kavya Pillai moving. Rose and Mary Okafor. Sales and Tom Price"
    spans = [person(text, "Kavya Pillai"), person(text, "Mary Okafor"), person(text, "Tom Price")]
    assert [text[a:b] for a, b in coordinated_given(text, spans)] == ["Arjun"]
