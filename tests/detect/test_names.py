"""Gazetteer name layer: names only with context; NER post-filter."""

from __future__ import annotations

import pytest

from maskgate.detect.names import NameLayer
from maskgate.detect.ner.refine import refine_entity
from maskgate.detect.words import gazetteer

LAYER = NameLayer()


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in LAYER.detect(text)]


def test_gazetteer_flags() -> None:
    g = gazetteer()
    assert len(g) > 100_000
    assert "f" in g["natasja"] and "w" not in g["natasja"]
    assert "w" in g["will"]  # an ordinary English word too: used only with strong context


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("My name is Aantje Mourik.", ["Aantje Mourik"]),
        ("my name is vitoria", ["vitoria"]),
        ("Dear Mr. Okonkwo,", ["Mr. Okonkwo"]),
        ("Why is Natasja so impulsive?", ["Natasja"]),
        ("Rintanen began writing as a teenager.", ["Rintanen"]),
        ("Please forward it to Krisztián Szöllösy today.", ["Krisztián Szöllösy"]),
        ("They had 3: Matheus, Janet and Terri.", ["Matheus", "Janet", "Terri"]),
        ("Thanks,\nAroha Ngata", ["Aroha Ngata"]),
        ("follow up with patricia desrosiers next week", ["patricia desrosiers"]),
        ("directed by Maciej Borkowski and starring Borkowski", ["Maciej Borkowski", "Borkowski"]),
        ("Sara: hi!\nMisha: hello\nSara: how are you?", ["Sara", "Misha", "Sara"]),
        ("Hi, I'm Krisztián Szöllösy from the billing team.", ["Krisztián Szöllösy"]),
        ("Einojuhani Pyysalo\n\nBus driver\n\nE-mail:\nEinojuhaniPyysalo@gustr.com", ["Einojuhani Pyysalo"]),
        # "The" is a given name somewhere, but never the head of a name run
        ("The Halldór Ó Árnþórsson version sold a million.", ["Halldór Ó Árnþórsson"]),
        ("ok I'll ask kofi anyway", ["kofi"]),  # chat: a lower-case given name after "ask", "ping"
        ("Willemine ten Pas will be talking", ["Willemine ten Pas"]),  # a surname particle between
        ("Ludwig van Beethoven wrote it", ["Ludwig van Beethoven"]),
    ],
)
def test_finds_names_in_context(text: str, names: list[str]) -> None:
    assert found(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "Capitalized words like Wisdom and Discipline are often mistaken with names.",
        "Will this work? Mark the task done in May.",
        "We use Redis, Postgres and Kafka for this.",
        "Salt, Pepper and Sugar are added last.",
        "Julia and Ruby are both fine languages.",
        "import Jasmine from 'jasmine'; Jasmine.run()",
        "self.natasja = Natasja_config.load()",
        "Error: disk full\nWarning: retrying\nInfo: done",
        "Getting Started With Django And Celery",
        "2024-03-14 09:21:44 INFO worker-3 Processing job 4411",
        "def route(headers: Mapping, name: str) -> bool:",
        "metadata:\n  name: api\n  labels: {app: api}",
        "from __future__ import annotations\n\nimport sys\nimport json\n",
        "class LabelRule:\n    kind: Kind\n    primary: str\n",
        "def connect(host: str) -> Conn:\n    return Conn(host)",
        "Thanks for the review -- merged.\nimport os",
        "Contact Support Team at support.team@acme.com",
        "Thanks,\nFacilities",
        "ask mark about it, then ping celery.app and tell jest.fn",
        "Visit Museum van Loon today",
    ],
)
def test_leaves_ordinary_words_and_code_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("label", "value", "kept"),
    [
        ("PERSON", "Email Jane Doe", "Jane Doe"),
        ("PERSON", "Cormac Allan\nEchocardiographer", "Cormac Allan"),
        ("PERSON", "Landlord", None),
        ("PERSON", "Mark", "Mark"),  # a given name that is also a word stays
        ("PERSON", "self.customer", None),
        ("ORG", "SSN", None),
        ("ORG", "Processing", None),
        ("ORG", "TypeError", None),
        ("ORG", "Brightwave Analytics", "Brightwave Analytics"),
        ("ORG", "Brightwave Analytics Ltd. Please", "Brightwave Analytics Ltd."),
        ("ORG", "&&", None),
        ("PERSON", "HR", None),
        # several ordinary words: not a person unless one is a known name; a comma list is no org
        ("PERSON", "Guilty Pleasures", None),
        ("PERSON", "Will Smith", "Will Smith"),
        ("PERSON", "Rose Brown", "Rose Brown"),
        ("PERSON", "Vide Persson", "Vide Persson"),
        ("ORG", "Comedy, Kids & Family, Mystery & Suspense", None),
        ("ORG", "Credit Karma", "Credit Karma"),  # an organisation named with ordinary words stays
        ("ORG", "Marks & Spencer", "Marks & Spencer"),
        ("LOCATION", "Cape Town", "Cape Town"),
    ],
)
def test_refine_entity(label: str, value: str, kept: str | None) -> None:
    pieces = [value[a:b] for a, b in refine_entity(value, label, 0, len(value))]
    assert pieces == ([kept] if kept else [])


@pytest.mark.parametrize(
    ("text", "model_span", "kept"),
    [
        ("says Hauta-aho today", "Hauta", "Hauta-aho"),  # the rest of a hyphenated name
        ("then al-Hassan spoke", "Hassan", "al-Hassan"),
        ("Producer Mashuu Samurakami said", "Samurakami", "Mashuu Samurakami"),  # an unknown given name
        ("Maika van de Noort wrote", "van de Noort", "Maika van de Noort"),
        ("by the Python Smith", "Smith", "Smith"),  # an ordinary word before it stays out
        ("ping NASA Smith", "Smith", "Smith"),  # so does an abbreviation
    ],
)
def test_refine_grows_a_person_the_model_cut_short(text: str, model_span: str, kept: str) -> None:
    a = text.index(model_span)
    pieces = [text[x:y] for x, y in refine_entity(text, "PERSON", a, a + len(model_span))]
    assert pieces == [kept]


@pytest.mark.parametrize(
    "text",
    [
        # UUIDv7s and ids in an agent's request metadata: hex letters after a digit spell names
        '{"session_id": "01a22ada-03ea-7cd2-86d9-d667c6ad7d47", "thread_id": "01a22dee-03ea-7cd2-86d9-d667c6ad7d47"}',
        "turn 01a22bea-0402-7e62-83c9-a730b02273d1 started; window 01a22deb-03ed-7102-b60e-2ea3482f7c46",
        "build 4ada7 on host 9abe2, commit 3eda1f0",
    ],
)
def test_letters_glued_to_digits_are_no_names(text: str) -> None:
    assert found(text) == []


def test_a_name_beside_an_id_is_still_found() -> None:
    assert found("Ada Lovelace opened ticket 4471-ada") == ["Ada Lovelace"]
