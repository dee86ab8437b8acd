"""Names in structured text: one field vocabulary and a value shape, across record syntaxes."""

from __future__ import annotations

import pytest

from maskgate.detect.names import NameLayer
from maskgate.detect.names.fields import GENERIC, NAME, ROLE, field_kind

LAYER = NameLayer()


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in LAYER.detect(text)]


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("First Name", NAME),
        ("first_name", NAME),
        ("lastName", NAME),
        ("PATIENT_SURNAME", NAME),
        ("emergency contact name", NAME),
        ("Patient", ROLE),
        ("Referring Physician", ROLE),
        ("signed_by", ROLE),
        ("name", GENERIC),
        ("hostname", 0),
        ("username", 0),
        ("file_name", 0),
        ("company name", 0),
    ],
)
def test_field_vocabulary(key: str, kind: int) -> None:
    assert field_kind(key) == kind


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # clinical and HR forms, Markdown forms
        ("First Name: Odile\nLast Name: Brunner\nDOB: 03/04/1980", ["Odile", "Brunner"]),
        ("**First Name:** Young\n**Last Name:** Fisher", ["Young", "Fisher"]),
        ("**Surname**: Banks\n**Given name**: Hope", ["Banks", "Hope"]),
        ("Patient: Rosalind Mae Porter\nAge: 54", ["Rosalind Mae Porter"]),
        ("Guarantor: PORTER, ROSALIND M\nRelationship: self", ["PORTER, ROSALIND M"]),
        ("Employee Name: Rose Young    Dept: Finance", ["Rose Young"]),
        ("Name: Rose Young, DOB: 01/02/1980", ["Rose Young"]),
        ("last name: okafor\n", ["okafor"]),  # a name field takes a lower-case name
        # forms in other languages
        ("Nombre:  Ignacio.\nApellidos: Rico Pedroza.\nNHC: 5467980.", ["Ignacio", "Rico Pedroza"]),
        ("Remitido por: Dra. Ana Pérez Gil\nServicio: Urología", ["Dra. Ana Pérez Gil"]),
        ("Prénom : Élodie\nNom de famille : Dubois", ["Élodie", "Dubois"]),
        ("Vorname: Jürgen\nNachname: Weiß", ["Jürgen", "Weiß"]),
        # JSON, YAML, XML
        ('{"patient": "Rose Young", "first_name": "Hope", "status": "Active"}', ["Rose Young", "Hope"]),
        ('{"patientLastName": "Banks", "mrnType": "internal"}', ["Banks"]),
        ("insured:\n  firstName: Victoria\n  lastName: Fisher\n", ["Victoria", "Fisher"]),
        ("<patient><given>Rose</given><family>Fisher</family></patient>", ["Rose", "Fisher"]),
        ("<author>Rose Young</author><title>On Names</title>", ["Rose Young"]),
        ('<contributor firstName="Hope" lastName="Banks"/>', ["Hope", "Banks"]),
        ('<name><given value="Hope"/><family value="Banks"/></name>', ["Hope", "Banks"]),
        # lists and arrays of names
        (
            "Attendees: Nguyễn Văn An, Ōtani Shōhei; Gülşen Yılmaz\nAgenda: budget",
            ["Nguyễn Văn An", "Ōtani Shōhei", "Gülşen Yılmaz"],
        ),
        ('{"family": "Balogun", "given": ["Oluwatoyin", "Grace"]}', ["Balogun", "Oluwatoyin", "Grace"]),
        ('{"student": "Nadia Petrenko", "advisor": "Prof. Lindgren"}', ["Nadia Petrenko", "Prof. Lindgren"]),
        # CSV, TSV and Markdown tables: every cell under a name-like header
        ("account_no,holder,sort_code\n31926819,MRS E J THORNBURY,20-32-06", ["MRS E J THORNBURY"]),
        (
            "id,first_name,last_name,email\n1,Odile,Brunner,ob@example.com\n2,Rose,Young,ry@example.com",
            ["Odile", "Brunner", "Rose", "Young"],
        ),
        ('id;patient;ward\n7;"Porter, Rosalind";B2\n', ["Porter, Rosalind"]),
        ("Name\tRole\nHope Banks\tNurse\nMing Zhao\tAdmin", ["Hope Banks", "Ming Zhao"]),
        (
            "| First Name | Last Name | Role |\n|---|---|---|\n| Odile | Brunner | Admin |",
            ["Odile", "Brunner"],
        ),
        # EDI X12 (a person: entity type 1) and HL7 v2
        (
            "NM1*IL*1*BRUNNER*ODILE*M***MI*123456789~\nNM1*85*2*ACME CLINIC*****XX*1234567893~",
            ["BRUNNER", "ODILE", "M"],
        ),
        (
            "MSH|^~\\&|EPIC|HOSP|LAB|HOSP|202401011200||ADT^A01|123|P|2.5\n"
            "PID|1||12345^^^HOSP^MR||PORTER^ROSALIND^MAE||19800101|F\n"
            "PV1|1|I|ICU^101^A|||0148^ADDISON^JAMES|||MED",
            ["PORTER", "ROSALIND", "MAE", "ADDISON", "JAMES"],
        ),
    ],
)
def test_names_in_fields_tables_and_segments(text: str, names: list[str]) -> None:
    assert found(text) == names


def test_email_headers() -> None:
    text = (
        "From: Mann, Kay <kay.mann@enron.com>\n"
        "To: Jeff Dasovich/SF/ECT@ECT, Sara Shackleton/HOU/ECT@ECT\n"
        "Cc: Young, Rose; hope.banks@example.com\n"
        "X-From: Kay Mann\n"
        "Subject: Re: contract\n\nSee attached.\n"
    )
    got = found(text)
    for name in ("Mann, Kay", "Jeff Dasovich", "Sara Shackleton", "Young, Rose"):
        assert name in got
    assert not any(g in ("SF", "ECT", "HOU", "Re", "See") for g in got)


def test_enron_style_recipient_lists() -> None:
    text = (
        "From: Sara Shackleton\n"
        "X-To: Mark Taylor <Mark Taylor/HOU/ECT@ECT>, Tana Jones\n"
        "X-cc: Tweed, Sheila </O=ENRON/OU=NA/CN=RECIPIENTS/CN=Stweed>\n"
        "Subject: ISDA master\n\nSee below.\n"
    )
    got = found(text)
    for name in ("Sara Shackleton", "Mark Taylor", "Tana Jones", "Tweed, Sheila"):
        assert name in got
    assert got.count("Mark Taylor") == 2


def test_a_value_in_capitals_stops_at_the_next_field() -> None:
    assert found("PATIENT NAME: MARISOL AGUILAR DOB 01/02/1970 MRN 5512") == ["MARISOL AGUILAR"]
    assert found("Patient: Rose Young Age 54 Sex F") == ["Rose Young"]


def test_last_first_pairs_are_one_span() -> None:
    """ "Kaminski, Vince J" is one person: the comma between the halves is masked with them."""
    text = "From: Kaminski, Vince J <vk@enron.com>\nTo: Dorland, Chris; Grigsby, Mike\nSubject: desk\n"
    got = found(text)
    assert all(name in got for name in ["Kaminski, Vince J", "Dorland, Chris", "Grigsby, Mike"])
    # "First Last, First Last" lists stay two people
    text = "From: Rose Young <ry@example.com>\nTo: Hope Banks, Grant Fisher\nSubject: hi\n"
    assert found(text) == ["Rose Young", "Hope Banks", "Grant Fisher"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Staff directory\nAguilar, Marisol     x4412\nBaptiste, Jean-Luc   x4415",
            ["Aguilar, Marisol", "Baptiste, Jean-Luc"],
        ),
        ("Sign-in sheet\n- Okafor, Chidi\n- Young, Rose\n", ["Okafor, Chidi", "Young, Rose"]),
    ],
)
def test_directory_lines(text: str, names: list[str]) -> None:
    assert found(text) == names


@pytest.mark.parametrize(
    "text",
    ["Notes\nBest, Anna\n", "Cities\nParis, France   2.1M\nLyon, France   0.5M", "Okay, Maria\nYes, Anna\n"],
)
def test_directory_lines_leave_words_alone(text: str) -> None:
    assert "Best" not in " ".join(found(text)) and "Paris" not in " ".join(found(text))
    assert "Okay" not in " ".join(found(text))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Marta,\n\nPlease see the attached report.\n", ["Marta"]),
        ("Hi Young,\nThe build is green.", ["Young"]),
        ("The build is green.\n\nThanks, Bram\n", ["Bram"]),
        ("Thanks,\nBram", ["Bram"]),
    ],
)
def test_greeting_and_sign_off_lines(text: str, names: list[str]) -> None:
    assert found(text) == names


@pytest.mark.parametrize(
    "text",
    [
        # code and configuration: name fields whose values are not people
        "def make(name: str, first_name: str) -> None:\n    user = User(name=name, first_name=first_name)",
        '{"name": "my-package", "version": "1.0.0", "author": "", "license": "MIT"}',
        "Owner: platform-team\nAssignee: jsmith\nStatus: Active",
        "Patient: Stable\nCondition: improving",
        "name,version,license\nrequests,2.31.0,Apache-2.0\nurllib3,2.0.7,MIT",
        "Name\tSize\tModified\nreport.pdf\t12 KB\tToday",
        "<name>maven-compiler-plugin</name><version>3.11.0</version>",
        "First Name: N/A\nLast Name: Unknown",
        "curl 'https://api.example.com/search?name=Rose'",
        # a greeting line needs an unambiguous name
        "Great,\n\nThat fixed it.",
        "Hi team,\n\nThe build is green again.",
        "To: All Staff\nFrom: Human Resources\nSubject: Holiday hours",
        "NM1*85*2*ACME CLINIC*****XX*1234567893~",
    ],
)
def test_fields_that_hold_no_person(text: str) -> None:
    assert found(text) == []
