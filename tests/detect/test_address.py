"""Street-address layer: formats it must find, and text it must leave alone."""

from __future__ import annotations

import pytest

from maskgate.detect.address import AddressLayer
from maskgate.detect.orgs import OrgLayer

LAYER = AddressLayer()


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in LAYER.detect(text)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Ship it to 221B Baker Street, London NW1 6XE please.", "221B Baker Street, London NW1 6XE"),
        (
            "Our office: 1600 Pennsylvania Ave NW, Washington, DC 20500",
            "1600 Pennsylvania Ave NW, Washington, DC 20500",
        ),
        (
            "Send to 350 Mission Street, Suite 400\nSan Francisco, CA 94105",
            "350 Mission Street, Suite 400\nSan Francisco, CA 94105",
        ),
        ("it's 4/22 Beach Road, Bondi NSW 2026 now", "4/22 Beach Road, Bondi NSW 2026"),
        ("Flat 12, 9 Queen's Gate, London SW7 5EH", "Flat 12, 9 Queen's Gate, London SW7 5EH"),
        ("Wohnt in der Hauptstraße 12, 10115 Berlin.", "Hauptstraße 12, 10115 Berlin"),
        ("Adresse : 17 Rue des Lilas, 75019 Paris", "17 Rue des Lilas, 75019 Paris"),
        ("Storgata 14, 0184 Oslo, Norway", "Storgata 14, 0184 Oslo, Norway"),
        ("Via dei Fiorentini 17, Roma", "Via dei Fiorentini 17, Roma"),
        ("Mail it to PO Box 1142, Wellington 6140.", "PO Box 1142, Wellington 6140"),
        ("PSC 1234, Box 5678\nAPO AE 09012", "PSC 1234, Box 5678\nAPO AE 09012"),
        ("ul. Miła 57, 00-180 Warszawa", "ul. Miła 57, 00-180 Warszawa"),
        ("We're in Suite 300 on the third floor.", "Suite 300"),
        ("meet me at the corner of 5th Avenue and Main Street", "the corner of 5th Avenue and Main Street"),
        ("The bus stops at Árpád fejedelem útja 62. Get off there", "Árpád fejedelem útja 62"),
        ("pedestrians must enter on hegyalja út 98.", "hegyalja út 98"),
        ("Címünk: Király u. 15., Budapest", "Király u. 15., Budapest"),
    ],
)
def test_finds_addresses(text: str, address: str) -> None:
    assert address in found(text)


def test_bare_street_and_number_needs_context() -> None:
    assert found("She lives at Kesk 53, Pärnu.") == ["Kesk 53, Pärnu"]
    assert found("Edeby 55\n Apt. 297\n TYSTBERGA\n Sweden 99178") == [
        "Edeby 55\n Apt. 297\n TYSTBERGA\n Sweden 99178"
    ]
    assert found("Python 3 and Django 5 are supported.") == []


def test_empty_export_fields_and_pdf_lookalikes_do_not_cut_an_address() -> None:
    # a pandas export's missing state, a form's N/A: the postcode after it is still the address's
    assert found("Ship to 19 Igias Street\nCockle Bay\n, nan\n 00617") == [
        "19 Igias Street\nCockle Bay\n, nan\n 00617"
    ]
    assert found("row 7: 62 Kent Street, Drammen, N/A, 3015") == ["62 Kent Street, Drammen, N/A, 3015"]
    assert found("ship to 12 Main Street, nan. Thanks") == ["12 Main Street"]  # nothing after it
    # U+2206 (INCREMENT) where PDF extraction meant the Greek capital delta
    text = "It is at Λεωφόρος Συγγρού 119\n Apt. 658\n ΑΓΙΟΣ \u2206ΟΜΕΤΙΟΣ\n Cyprus 25572"
    assert found(text) == ["Λεωφόρος Συγγρού 119\n Apt. 658\n ΑΓΙΟΣ \u2206ΟΜΕΤΙΟΣ\n Cyprus 25572"]


def test_city_is_taken_only_when_the_address_ends_there() -> None:
    assert found("Go to 12 Main Street, Then turn left at the lights.") == ["12 Main Street"]


@pytest.mark.parametrize(
    "text",
    [
        "Released version 2 of the Hill climbing solver.",
        "During 1971, Mayo-Walters invested heavily in new designs.",
        "Candidate 3 passed the interview; String 4 is a test fixture.",
        "see u. 2 for details; I sor 5 things",
        "def route(path: str) -> None:  # 3 Way merge",
        "Step 3 Drive the car to the garage",
        "2024-03-14T09:21:44Z INFO worker 3 processed 120 jobs",
        "send via email 2 copies to the team",
        "Chapter 12 Court Rules",
        "image: redis:7.2-alpine, ports 6379:6379",
        "commit a3f9c21 Fix race in session cleanup (#412)",
        "the unit tests for 12 modules passed",
        "AND status IN ('paid', 'shipped') ORDER BY id DESC LIMIT 100 OFFSET 2000;",
        "Amex 3782 822463 10005 is a test card",
        "RSS is about 250 MB\nafter warm-up",
        "Medicare card 2123 45670 1",
        "Meeting at 3pm in Building 4, Room 210.",
        "Release 2.4 Street Fighter edition ships March 3",
        "Version 10 Main branch merged",
    ],
)
def test_leaves_non_addresses_alone(text: str) -> None:
    assert found(text) == []


# -- line-number gutters: the number is no house number, the line after it is read as a line ----------
@pytest.mark.parametrize(
    "text",
    [
        # Claude Code's Read tool and `cat -n` (number, tab), its older arrow form
        "     1\timport os\n    10\tAWS_REGION = 'us-east-1'\n    11\tDeploy Service Road works\n",
        "    42\tNew York Avenue traffic model\n    43\tHigh Street lights = on",
        "  10→Mark the spot\n  11→Station Road closures are listed below",
        # `nl`, an editor or compiler gutter, a rich traceback, a numbered side-by-side diff
        "     7\tWest Lake Drive is the demo project\n",
        "  12 │ Park Lane = load_config()\n  13 │ Main Street Bank",
        "❱ 88 │ Ocean View Road = None",
        "+ 120 121 | Market Square Plaza fixtures",
        # grep -n, a unified diff hunk, Python and JS stack traces
        "src/app.py:12:Church Road migrations",
        "@@ -12,7 +12,8 @@ Main Street Parser",
        '  File "main.py", line 12, in Queen Street handler',
        "    at Harbour Road (src/index.js:14:7)",
    ],
)
def test_line_number_gutters_are_not_house_numbers(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("    4\tShip to: 221B Baker Street, London NW1 6XE\n", "221B Baker Street, London NW1 6XE"),
        (
            " 12 │ billing: 1600 Pennsylvania Ave NW, Washington, DC 20500",
            "1600 Pennsylvania Ave NW, Washington, DC 20500",
        ),
        ("  7→Send it to 10 Downing Street, London", "10 Downing Street, London"),
        (
            "customers.csv:3:Nora Quist,350 Mission Street, San Francisco, CA 94105",
            "350 Mission Street, San Francisco, CA 94105",
        ),
    ],
)
def test_an_address_after_a_gutter_is_still_found(text: str, address: str) -> None:
    assert address in found(text)


# -- US driver's licence (context required) -----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("My driver's license number is F162823540116", "F162823540116"),
        ("my driver's license number is 2270-66-1551", "2270-66-1551"),
        ("Driving licence: 6940579", "6940579"),
        ("DL # D123-4567-8901", "D123-4567-8901"),
        # abbreviated, curly apostrophes, keys of JSON logs
        ("Drivers Lic: S530-4471-2209", "S530-4471-2209"),
        ("Driver’s license: A123-4567-8901 (Illinois)", "A123-4567-8901"),
        ('{"dl_number":"S530-4471-2209"}', "S530-4471-2209"),
    ],
)
def test_driver_licence_with_context(text: str, value: str) -> None:
    from maskgate.detect.licence import DriverLicenceLayer

    assert [text[s.start : s.end] for s in DriverLicenceLayer().detect(text)] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "Order 6940579 shipped",
        "The license is MIT. Build 20240314 passed.",
        "licence number unknown; ticket 5130634",
        "dl_speed=4471220 bytes, download 5130634",  # `dl` of a download, not a licence
    ],
)
def test_driver_licence_needs_context(text: str) -> None:
    from maskgate.detect.licence import DriverLicenceLayer

    assert DriverLicenceLayer().detect(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [("My zip code is 90010-170", "90010-170"), ("ZIP: 7412 SL", "7412 SL"), ("postcode SW9 8JA", "SW9 8JA")],
)
def test_postcode_with_context(text: str, code: str) -> None:
    spans = LAYER.detect(text)
    assert [(text[s.start : s.end], s.label) for s in spans] == [(code, "POSTCODE")]


def test_postcode_needs_context() -> None:
    assert found("unzip 90210 files") == [] and found("Build 48750 passed") == []


# -- organisations by legal form -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("I work for 48 Factoring Inc", "48 Factoring Inc"),
        ("Jeremy Hartmann of Gradiant Research LLC, and", "Gradiant Research LLC"),
        ("Contact Brightwave Analytics Ltd today", "Brightwave Analytics Ltd"),
        ("See Northside Medical Centre, 12 Harbour St", "Northside Medical Centre"),
    ],
)
def test_orgs_by_legal_form(text: str, org: str) -> None:
    from maskgate.detect.orgs import OrgLayer

    assert [text[s.start : s.end] for s in OrgLayer().detect(text)] == [org]


@pytest.mark.parametrize("text", ["the IT Services team", "Our Group meeting", "class Services(Base): pass"])
def test_orgs_need_a_name(text: str) -> None:
    from maskgate.detect.orgs import OrgLayer

    assert OrgLayer().detect(text) == []


# -- more national forms, intersections, units before the street ---------------------------------------
@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("I live at Laugavegur 54, 101 Reykjavík. Thanks, Björk", "Laugavegur 54, 101 Reykjavík"),
        (
            "- Location: Estrada Nacional 10, km 38, 2910-012 Setúbal\n",
            "Estrada Nacional 10, km 38, 2910-012 Setúbal",
        ),
        ("lives at ul. Świętokrzyska 14/7, 00-050 Warszawa.", "ul. Świętokrzyska 14/7, 00-050 Warszawa"),
        ("Address: Unit 4, 18 Wattle St, Ultimo NSW 2007\nPayer: X", "Unit 4, 18 Wattle St, Ultimo NSW 2007"),
        (
            "Suite 300, 350 Mission St., San Francisco, CA 94105",
            "Suite 300, 350 Mission St., San Francisco, CA 94105",
        ),
        ("rear-ended at Route 9 & Cherry Hill Rd by the other car", "Route 9 & Cherry Hill Rd"),
        ("dog last seen near Fenwick St & 4th Ave, call me", "Fenwick St & 4th Ave"),
        (
            "Счёт на адрес: ул. Тверская, д. 7, кв. 12, Москва, 125009.",
            "ул. Тверская, д. 7, кв. 12, Москва, 125009",
        ),
        ("サンプルを東京都渋谷区神南1-2-3へ送ってください", "東京都渋谷区神南1-2-3"),
        ("请寄到北京市朝阳区建国路88号", "北京市朝阳区建国路88号"),
        ("주소: 서울특별시 강남구 테헤란로 152", "서울특별시 강남구 테헤란로 152"),
    ],
)
def test_more_address_forms(text: str, address: str) -> None:
    assert any(address in f for f in found(text)), found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Sent: 19 February 2025 14:06\nTo: Mbeki, Thabo",  # an e-mail header's date after "Sent"
        "Start date: Monday 3 February 2025",
        "I've moved it to Saturday 9-11.",
        "Ten-year Treasury yields fell 6 basis points to 4.12%.",
        "we saw 3 waterfalls and 2 lakes",
        "Python 3 and Django 5 are supported; page 101 Overview.",
        "the Nasdaq and S&P 500 fell",
    ],
)
def test_dates_and_counts_are_no_addresses(text: str) -> None:
    assert found(text) == []


# -- address parts in record fields ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ('{"line": "450 Kearny St", "city": "San Francisco", "zip": "94108"}', ["San Francisco", "94108"]),
        (
            '"address": [{"city": "Atlanta", "state": "GA", "postalCode": "30308"}]',
            ["Atlanta", "GA", "30308"],
        ),
        (
            "<addr><street>12 Rue Oberkampf</street><city>Paris</city><postcode>75011</postcode></addr>",
            ["Paris", "75011"],
        ),
        ("City: Boise   State: ID   ZIP: 83706\n", ["Boise", "ID", "83706"]),
        ("Patient: Jo Ames\n- **City:** Reading\nState: MA  Phone: none\n", ["Reading", "MA"]),
        (
            "id,name,phone,city\n1,Amelia,(503) 555-0161,Portland\n2,Jorge,(971) 555-0104,Beaverton\n",
            ["Portland", "Beaverton"],
        ),
        ("ADR;TYPE=WORK:;;Carrera 7 #71-21;Bogotá;;;Colombia\nEND:VCARD", ["Carrera 7 #71-21", "Bogotá"]),
    ],
)
def test_address_parts_in_record_fields(text: str, parts: list[str]) -> None:
    got = found(text)
    for part in parts:
        assert any(part in f for f in got), (part, got)


@pytest.mark.parametrize(
    "text",
    [
        '{"state": "OPEN", "count": 3}',  # a state field alone is a status
        '{"address": "10.0.0.1", "port": 8080}',
        '{"address": "ops@example.com"}',
        '{"city": "string", "zip": "string"}',  # a schema's placeholders
        "status,state,count\nok,RUNNING,3\n",
    ],
)
def test_record_fields_that_hold_no_address(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("To: Shirley Crenshaw/HOU/ECT@ECT, Mark Taylor/LON/ECT@ECT", ["HOU", "ECT", "LON"]),
        ("Referred by Riverbend Family Practice last week.", ["Riverbend Family Practice"]),
        (
            "Loan from Cedar Valley Credit Union; see Yorkshire Building Society.",
            ["Cedar Valley Credit Union", "Yorkshire Building Society"],
        ),
        ("Insured: Conservas Rio Sado, Lda.", ["Conservas Rio Sado, Lda."]),
        ("Billing for LAKESIDE ORTHOPEDICS PC", ["LAKESIDE ORTHOPEDICS PC"]),
        ("Sign it from me, GP at Chapeltown Family Surgery.", ["Chapeltown Family Surgery"]),
    ],
)
def test_more_organisation_forms(text: str, orgs: list[str]) -> None:
    got = [text[s.start : s.end] for s in OrgLayer().detect(text)]
    for org in orgs:
        assert org in got, (org, got)


@pytest.mark.parametrize(
    "text",
    [
        "Dept: General Surgery",
        "my Dell PC froze",
        "a Vinyl LP",
        "Referred to Primary School nurse",
        "mail a/B@C",
    ],
)
def test_kinds_without_a_name_are_no_organisations(text: str) -> None:
    assert OrgLayer().detect(text) == []


# -- informal addresses in posts and chats: lower case, abbreviated street type, a cue word before ----
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("meet @ 14 elm st at 7, bring cash", "14 elm st"),  # marketplace post
        (
            "need to update my address to 88 harbor view rd, portland me 04101",
            "88 harbor view rd, portland me 04101",
        ),
        ("im at 2241 w. belmont ave apt 3 buzz twice", "2241 w. belmont ave apt 3"),  # sms
        ("the party is on 3 main st!! byob", "3 main st"),  # group chat
    ],
)
def test_informal_lower_case_streets(text: str, value: str) -> None:
    assert [text[s.start : s.end] for s in LAYER.detect(text)] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "took 2 pills st first then 3 more rd",
        "the score is 3 to 2 dr pepper for everyone",
        "we ordered 12 more ct of eggs",
        "lol 2 ave maria songs in a row",
    ],
)
def test_lower_case_numbers_before_street_abbreviations(text: str) -> None:
    assert LAYER.detect(text) == []
