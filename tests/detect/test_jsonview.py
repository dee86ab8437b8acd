"""JSON text is analysed decoded: escapes hide no value, and spans map back onto the escapes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from maskgate import Masker
from maskgate.detect.jsonview import json_view


@given(st.text(max_size=60), st.booleans())
def test_view_decodes_and_maps_every_character_back(value: str, ascii_only: bool) -> None:
    doc = json.dumps({"k": value, "n": [1, value]}, ensure_ascii=ascii_only)
    view = json_view(doc)
    if view is None:
        assert "\\" not in doc
        return
    assert view.text == '{"k": "' + value + '", "n": [1, "' + value + '"]}'
    for i, ch in enumerate(view.text):
        a, b = view.original(i, i + 1)
        piece = doc[a:b]
        assert piece == ch or json.loads('"' + piece + '"') in (ch, "\ufffd") or ch == "\ufffd"


def test_only_json_documents_with_escapes_get_a_view() -> None:
    assert json_view("C:\\Users\\new\\file.txt") is None  # a path, not JSON
    assert json_view('{"a": 1}') is None  # nothing to decode
    assert json_view('print("a\\nb")') is None
    assert json_view('{"broken": "a\\n') is None
    assert json_view('  ["a\\nb"]') is not None


DOC = {
    "customer": "Renée Zürcher",
    "note": "Ships to:\n12 Main Street\nSpringfield, IL 62704",
    "contact": "Call Zoë O'Connor on +1 415 555 2671",
}


def test_escaped_json_masks_like_plain_text_and_stays_valid_json() -> None:
    m = Masker(store=None)
    for doc in (json.dumps(DOC), json.dumps(DOC, ensure_ascii=False), json.dumps(DOC, indent=2)):
        masked = m.mask(doc, "s").text
        data = json.loads(masked)  # placeholders need no escaping: still valid JSON
        assert data["customer"] == "<PERSON_1>"
        assert "Main Street" not in masked and "Z\\u00fcrcher" not in masked and "Zo\\u00eb" not in masked
        assert data["note"].startswith("Ships to:\n<ADDRESS_")
        # unmasked: the same JSON data (values come back as characters, `Renée` for `Ren\u00e9e`)
        assert json.loads(m.unmask(masked, "s")) == DOC
    # without \u escapes the round trip is byte for byte
    plain = json.dumps(DOC, ensure_ascii=False)
    assert m.unmask(m.mask(plain, "s").text, "s") == plain
    # the vault holds the decoded value: the same person in prose gets the same placeholder
    assert m.mask("Renée Zürcher called back", "s").text == "<PERSON_1> called back"
    assert m.unmask("<PERSON_1> signed", "s") == "Renée Zürcher signed"


def test_entities_point_at_the_original_escapes() -> None:
    doc = json.dumps({"customer": "Renée Zürcher"})
    r = Masker(store=None).mask(doc, "s")
    (e,) = r.entities
    assert doc[e.start : e.end] == "Ren\\u00e9e Z\\u00fcrcher" and e.text == "Renée Zürcher"


_MASKER = Masker(store=None)
_WORDS = st.sampled_from(
    ["Renée Zürcher", "Zoë", "12 Main Street", "Springfield, IL 62704", "call", "+1 415 555 2671", "ok",
     "jane.doe@example.com", "Ship to", '"quoted"', "back\\slash", "\n", "\t", "é", "😀", " ", ","]
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["a", "b", "note"]), st.lists(_WORDS, max_size=8).map("".join)),
    st.booleans(),
)
def test_masked_json_stays_json_and_unmasks_to_the_same_data(doc: dict[str, str], ascii_only: bool) -> None:
    text = json.dumps(doc, ensure_ascii=ascii_only)
    masked = _MASKER.mask(text, "prop").text
    assert json.loads(masked).keys() == doc.keys()  # still valid JSON, same shape
    assert json.loads(_MASKER.unmask(masked, "prop")) == doc
