"""Address tails, units, rural routes, highways, HL7 XAD, country fields: what address.py finds with
address_tails.py, and the prose, dates and records it must leave alone."""

from __future__ import annotations

import pytest

from maskgate.detect.address import AddressLayer

LAYER = AddressLayer()


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in LAYER.detect(text) if s.label == "ADDRESS"]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # city/state/ZIP tails after a street line, any case (support chat, social, HR letter)
        (
            "[10:43] Kim: Hi!\n[10:43] customer: 42 maple st apt 2, burlington vt 05401",
            "42 maple st apt 2, burlington vt 05401",
        ),
        (
            "Ship to:\n2417 NE Alberta St #3\nPortland, OR 97211\n\nThanks",
            "2417 NE Alberta St #3\nPortland, OR 97211",
        ),
        ("mailed to 10422 birchwood dr, fishers in 46037. He", "10422 birchwood dr, fishers in 46037"),
        (
            "moving sale 2241 LINDEN BLVD, BROOKLYN NY 11207 9-3 both days",
            "2241 LINDEN BLVD, BROOKLYN NY 11207",
        ),
        (
            "we're at 88 Hwy 7 East, Unit 12, Markham, ON L3R 1N1, buzz 1204",
            "88 Hwy 7 East, Unit 12, Markham, ON L3R 1N1",
        ),
        (
            "Subscriber address: 8841 COUNTY ROAD 12\nGRAND FORKS ND 58201",
            "8841 COUNTY ROAD 12\nGRAND FORKS ND 58201",
        ),
        (
            "Unit 3, 18 Railway Parade, Marrickville NSW 2204",
            "Unit 3, 18 Railway Parade, Marrickville NSW 2204",
        ),
        ("i live in burlington vt 05401 now", "burlington vt 05401"),
        # units: Iberian floors, Singapore floor-units, floors and unit words before the number
        (
            "Old address: 56 Rua Augusta, 3º Esq., 1100-053 Lisboa, Portugal",
            "56 Rua Augusta, 3º Esq., 1100-053 Lisboa, Portugal",
        ),
        (
            "new address is Blk 512 Bedok North Ave 3, #07-221, Singapore 460512.",
            "Blk 512 Bedok North Ave 3, #07-221, Singapore 460512",
        ),
        ("old one was 18 Jalan Bukit Merah, Singapore 150018", "18 Jalan Bukit Merah, Singapore 150018"),
        (
            "sent to:\nMR X\nFLAT 9 WESTBOURNE COURT\n112 HIGH STREET\nCROYDON\nCR0 1NF\n\nIf",
            "FLAT 9 WESTBOURNE COURT\n112 HIGH STREET\nCROYDON\nCR0 1NF",
        ),
        (
            "Associate\n3rd Floor, 20 Park Row\nLeeds LS1 5JF\nT: 0113 496 0712",
            "3rd Floor, 20 Park Row\nLeeds LS1 5JF",
        ),
        # boxes, rural routes, military, fractions, Japanese block numbers
        ("nurse visiting at RR 1, Box 19A, Lyndon Center VT says", "RR 1, Box 19A, Lyndon Center VT"),
        (
            "send to PMB 1187, 4500 Main St, Kansas City, MO 64111",
            "PMB 1187, 4500 Main St, Kansas City, MO 64111",
        ),
        ("123 1/2 Main St, Duluth MN 55806", "123 1/2 Main St, Duluth MN 55806"),
        ("sent to uscgc aslakhanov\nfpo ae 44941?", "uscgc aslakhanov\nfpo ae 44941"),
        (
            "my address: 2-14-3 Nishi-Shinjuku, Shinjuku-ku, Tokyo 160-0023",
            "2-14-3 Nishi-Shinjuku, Shinjuku-ku, Tokyo 160-0023",
        ),
        # full state names, spelled-out house numbers (needing a postcode or cue)
        ("she lives in Austin, Texas 78701 now", "Austin, Texas 78701"),
        ("in New York, New York 10001", "New York, New York 10001"),
        ("Visit One Microsoft Way, Redmond, WA 98052", "One Microsoft Way, Redmond, WA 98052"),
        # Indian house and plot numbers, Korean road names, a unit right before a lower-case street
        (
            "address H.No. 12-3-456, Banjara Hills, Hyderabad 500034",
            "H.No. 12-3-456, Banjara Hills, Hyderabad 500034",
        ),
        ("Door No. 4/112, Anna Salai, Chennai 600002", "Door No. 4/112, Anna Salai, Chennai 600002"),
        ("lives at 123 Teheran-ro, Gangnam-gu, Seoul 06236", "123 Teheran-ro, Gangnam-gu, Seoul 06236"),
        ("im at apt 5c 210 w 89th st nyc", "apt 5c 210 w 89th st"),
        # streets without a number where someone lives; intersections with an ordinal street
        ("the house on Birchwood Drive is for sale", "Birchwood Drive"),
        ("last seen leaving his home on Kingsbury Ave near", "Kingsbury Ave"),
        ("last seen near Kingsbury & W 52nd in Indianapolis", "Kingsbury & W 52nd"),
        ("we met at 5th and Main", "5th and Main"),
        # a French street in lower-case prose ends with its capitals
        (
            "my mail keeps going to my old place at 44 rue des Martyrs even though i moved",
            "44 rue des Martyrs",
        ),
    ],
)
def test_finds(text: str, address: str) -> None:
    assert address in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Wall Street reacted badly, Main Street businesses too",
        "on Route 66 the song is better",
        "in 2019 Highway 1 was closed for 3 months",
        "OK 12345 items shipped",
        "the team scored 12 in Q4, PA 19103 is a zip",
        "released March 09, 2003 as version 2.14.0",
        "tickets 1st and 2nd class",
        "see RFC 2119 and ISO 8601",
        "Parking: the Main Street lot closes at 18:00.\nForm rev. 2023.10 - do not write",
        "is it in 2024 or 12345",
        "She lives on The Strand",
        "see Plot 3 in the appendix",
        "Two Main Street businesses closed",
        "We are in Sector 7 now",
    ],
)
def test_leaves_alone(text: str) -> None:
    assert found(text) == []


def test_greeting_after_blank_line_is_no_city() -> None:
    text = "Subject: Completion - Flat 2, 14 Acacia Road\n\nDear Sam,\nKeys are ready."
    assert found(text) == ["Flat 2, 14 Acacia Road"]


def test_city_after_blank_line_needs_postcode() -> None:
    text = "x P.O. Box 242\n Suite 787\n Kangerlussuaq\n\n Greenlander 54005"
    assert found(text) == ["P.O. Box 242\n Suite 787\n Kangerlussuaq\n\n Greenlander 54005"]


def test_hl7_xad_components() -> None:
    text = (
        "MSH|^~\\&|REG|X|EHR|X|20240412||ADT^A04|M1|P|2.5.1\n"
        "PID|1||A1^^^X^MR||DOE^JO||19590101|M|||1908 N Lamar Blvd^Unit 210^Austin^TX^78705^USA^H||\n"
        "PV1|1|O|CLINIC2^^^X||||1234^WELBY^MARCUS\n"
    )
    parts = found(text)
    for part in ("1908 N Lamar Blvd", "Unit 210", "Austin", "TX", "78705"):
        assert part in parts
    assert "USA" not in parts and "WELBY" not in parts


def test_country_fields_beside_an_address() -> None:
    text = '{"street": "Storgata 41B", "postcode": "0182", "city": "Oslo", "country": "Norway"}'
    assert "Norway" in found(text)
    assert found('{"country": "Norway", "currency": "NOK"}') == []
    assert "GB" not in found('{"city": "Leeds", "postalCode": "LS6 2AB", "country": "GB"}')


def test_vcard_country() -> None:
    text = "ADR;TYPE=HOME:;;2-14-3 Nishi-Shinjuku;Shinjuku-ku;Tokyo;160-0023;Japan\n"
    assert "Japan" in found(text)


def test_cued_zip_with_words_between() -> None:
    spans = LAYER.detect("Billing ZIP on file: 30314")
    assert [("Billing ZIP on file: 30314"[s.start : s.end], s.label) for s in spans] == [
        ("30314", "POSTCODE")
    ]


def test_eircode_after_its_cue() -> None:
    text = "Eircode D02 X285, 12 Merrion Sq, Dublin 2"
    spans = [(text[s.start : s.end], s.label) for s in LAYER.detect(text)]
    assert ("D02 X285", "POSTCODE") in spans
