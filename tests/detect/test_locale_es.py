"""The Spanish locale pack (`es`): identifiers, phones, addresses, places, names, organisations and
the NER filter on Spanish text, with valid and invalid cases from several genres, and the pack's
own labelled development set (tests/data/es) scored end to end."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from maskgate.detect.es.address import SpanishAddressFinder
from maskgate.detect.es.lang import is_spanish
from maskgate.detect.es.names import SpanishNameFinder, person_ok, trim_person
from maskgate.detect.es.orgs import SpanishOrgFinder
from maskgate.detect.es.places import PlaceFinder
from maskgate.detect.options import DetectOptions
from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import LOCALES, RegexLayer

ES_DIR = Path(__file__).parents[1] / "data" / "es"
LAYER = RegexLayer(recognizers_for())
WITHOUT_ES = RegexLayer(recognizers_for([loc for loc in LOCALES if loc != "es"]))


def found(text: str, layer: RegexLayer = LAYER) -> set[tuple[str, str]]:
    return {(s.label, text[s.start : s.end]) for s in layer.detect(text)}


def values(finder: object, text: str) -> list[str]:
    return [text[s.start : s.end] for s in finder.find(text)]  # type: ignore[attr-defined]


# -- language ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Varón de 71 años con antecedentes de diabetes que presenta fiebre y disuria.",
        "Antecedentes\nExploración física\nJuicio clínico\nEvolución\nDiagnóstico",
        "Hola, ¿me indica el titular de la línea y el DNI? Gracias por la espera.",
    ],
)
def test_spanish_text_is_recognised(text: str) -> None:
    assert is_spanish(text)


@pytest.mark.parametrize(
    "text",
    [
        "Patient José García López was seen by Dr. Núñez at the clinic on Monday.",
        "new device login for josé.garcía@correo.es from 88.12.201.47 (Madrid, ES)",
        "The quick brown fox jumps over the lazy dog.",
        "Hola",
    ],
)
def test_english_text_with_spanish_names_is_not_spanish(text: str) -> None:
    assert not is_spanish(text)


# -- identifiers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "value"),
    [
        ("NHC: 5467980.\nNASS: 28 19865453 56.", "MRN", "5467980"),
        ("NHC: 5467980.\nNASS: 28 19865453 56.", "HEALTH_PLAN_ID", "28 19865453 56"),
        ("CIPA: nhc-987654.", "MRN", "nhc-987654"),
        ("Médico: Luis Gil  NºCol: 46 28 52938.", "LICENSE_NUMBER", "46 28 52938"),
        ("Firmado: Dr. Peña, colegiado nº 282851934", "LICENSE_NUMBER", "282851934"),
        ("Nº de historia clínica: HC-882104", "MRN", "HC-882104"),
        ("Nº de episodio: E20190412877", "MRN", "E20190412877"),
        ("Episodio: 20190412877.", "MRN", "20190412877"),
        ("SIP: 1234567.", "HEALTH_PLAN_ID", "1234567"),
        ("NUHSA AN0123456789", "HEALTH_PLAN_ID", "AN0123456789"),
        ("Número de afiliación a la Seguridad Social 281234567840", "HEALTH_PLAN_ID", "281234567840"),
        ("Tarjeta sanitaria: MRSC670215004", "HEALTH_PLAN_ID", "MRSC670215004"),
        ("CIP: SAME110523918011", "HEALTH_PLAN_ID", "SAME110523918011"),
        ("Nº de póliza: PL-00457812", "ACCOUNT_NUMBER", "PL-00457812"),
        ("Nº de expediente: 1284/2021", "CASE_ID", "1284/2021"),
        ("Su número de empleado EMP-20931 no cambia", "EMPLOYEE_ID", "EMP-20931"),
        ("con pasaporte número 118945732, natural de Perú", "PASSPORT", "118945732"),
        # DNI / NIE: check letter, alone or labelled
        ("Le remito a la paciente, con DNI 50123456Q, por temblor.", "ID_NUMBER", "50123456Q"),
        ("Cliente: Pilar Gutiérrez Sanz, 47812309R", "ID_NUMBER", "47812309R"),
        ("DNI: 12.345.678-Z", "ID_NUMBER", "12.345.678-Z"),
        ("De otra parte, Doña Rosa Pastor, con NIE X1234567L.", "ID_NUMBER", "X1234567L"),
        ("Paciente Camila Fuentes, RUT 15.234.567-8, domiciliada en", "ID_NUMBER", "15.234.567-8"),
        ("Titular: Florencia Giménez   DNI 32.456.789", "ID_NUMBER", "32.456.789"),
        ("Transportes Cantábrico S.L. - CIF B48123459", "TAX_ID", "B48123459"),
        # IBAN: a short word after the last group is not part of it
        (
            "el recibo de su cuenta ES60 0049 1500 0512 3456 7892 ha sido devuelto",
            "IBAN",
            "ES60 0049 1500 0512 3456 7892",
        ),
    ],
)
def test_spanish_identifiers(text: str, label: str, value: str) -> None:
    assert (label, value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "El lote 50123456A llegó ayer",  # wrong check letter, no id word
        "Pedido B48123450 de la empresa",  # CIF with a wrong check digit
        "Tomó 1.234.567 unidades del lote",  # an amount, no id word
        "No cuenta con 1234 euros de ahorro",  # `no cuenta` is Spanish prose, not `No. cuenta`
        "El paciente no presenta colegiado alguno",
    ],
)
def test_spanish_non_identifiers(text: str) -> None:
    assert not {label for label, _ in found(text)} & {
        "ID_NUMBER",
        "TAX_ID",
        "ACCOUNT_NUMBER",
        "LICENSE_NUMBER",
    }


# -- phones --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Teléfono: 955 120 334   Móvil: 687 330 129", "687 330 129"),
        ("Teléfono: 955 120 334   Móvil: 687 330 129", "955 120 334"),
        ("si no puede acudir, llame al 93 589 21 00 o responda a este correo", "93 589 21 00"),
        ("Cualquier cosa me dices al +34 622 419 873.", "+34 622 419 873"),
        ("Tfno. 612345678", "612345678"),
        ("el repartidor le llamará al 611 228 904 si no está en casa", "611 228 904"),
        ("Fax: 91.342.10.87", "91.342.10.87"),
    ],
)
def test_spanish_phones(text: str, value: str) -> None:
    assert ("PHONE", value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Order 612345678 shipped on Monday",  # nine bare digits in English, no phone word
        "Pedido 612345678 enviado",  # nine bare digits, no phone word
        "Lote 123 456 789 del fabricante",  # not a valid Spanish number (1xx)
    ],
)
def test_spanish_non_phones(text: str) -> None:
    assert not any(s.source == "regex:es_phone" for s in LAYER.detect(text))


# -- addresses -----------------------------------------------------------------------------------

ADDRESS = SpanishAddressFinder()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Domicilio: Calle del Olmo, 14, 2º B.", "Calle del Olmo, 14, 2º B"),
        (
            "Dirección: C/ Doctor Fleming, 27, 3º A, 41008 Sevilla",
            "C/ Doctor Fleming, 27, 3º A, 41008 Sevilla",
        ),
        (
            "vivienda sita en Calle Mayor 18, 2º derecha, 24003 León.",
            "Calle Mayor 18, 2º derecha, 24003 León",
        ),
        (
            "en la consulta de Paseo de la Castellana 135, 7ª planta. Trae",
            "Paseo de la Castellana 135, 7ª planta",
        ),
        (
            "Avda. de América 40, Esc. B, 3º 1ª, 28028 Madrid",
            "Avda. de América 40, Esc. B, 3º 1ª, 28028 Madrid",
        ),
        (
            "Carretera Alcalá-Meco s/n. 28805 Alcalá de Henares",
            "Carretera Alcalá-Meco s/n. 28805 Alcalá de Henares",
        ),
        (
            "C/ Ramón y Cajal nº 7, 1º D. 50005 Zaragoza. Dr. Lanuza",
            "C/ Ramón y Cajal nº 7, 1º D. 50005 Zaragoza",
        ),
        ("a avenida de la Libertad 12, 4º C, 30009 Murcia", "avenida de la Libertad 12, 4º C, 30009 Murcia"),
        ("alquiler de Avenida Maisonnave 14, 3º D, Alicante.", "Avenida Maisonnave 14, 3º D, Alicante"),
        (
            "Polígono Industrial de Maqua, parcela 12, 33404 Avilés",
            "Polígono Industrial de Maqua, parcela 12, 33404 Avilés",
        ),
        (
            "Domicilio: Calle Morelos 215, Col. Centro, 44100 Guadalajara",
            "Calle Morelos 215, Col. Centro, 44100 Guadalajara",
        ),
        ("Carrer de Balmes 204, 08006 Barcelona", "Carrer de Balmes 204, 08006 Barcelona"),
    ],
)
def test_spanish_addresses(text: str, value: str) -> None:
    assert value in values(ADDRESS, text)


def test_a_postcode_after_its_word_is_a_postcode() -> None:
    text = "CP: 28807."
    assert [(s.label, text[s.start : s.end]) for s in ADDRESS.find(text)] == [("POSTCODE", "28807")]


@pytest.mark.parametrize(
    "text",
    [
        "La Plaza Mayor de Salamanca es preciosa.",  # a street type and a name, no number, no cue
        "la plaza 3 del parking",  # lower-case name
        "Domicilio: <ADDRESS_1>",  # text masked before
        "SRC=10.0.113.10 PROTO=TCP SPT=48120 DPT=443",  # five digits and an upper-case word
    ],
)
def test_spanish_non_addresses(text: str) -> None:
    assert values(ADDRESS, text) == []


# -- places --------------------------------------------------------------------------------------

PLACES = PlaceFinder()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("mujer de 34 años, natural de Colombia, residente en Oviedo desde hace seis años", "Colombia"),
        ("mujer de 34 años, natural de Colombia, residente en Oviedo desde hace seis años", "Oviedo"),
        ("Alta a domicilio en Monforte de Lemos con seguimiento por su médico.", "Monforte de Lemos"),
        ("tras un viaje a Guinea Ecuatorial presenta fiebre y cefalea", "Guinea Ecuatorial"),
        ("Nos vemos en Córdoba la semana que viene, que hay que celebrarlo", "Córdoba"),
        ("Niña de 8 años remitida desde Ceuta por talla baja.", "Ceuta"),
        ("la auditoría será en la planta de Avilés el día 15 de marzo", "Avilés"),
        ("Localidad: Villanueva del Arzobispo\n", "Villanueva del Arzobispo"),
        ("País: España.", "España"),
    ],
)
def test_spanish_places(text: str, value: str) -> None:
    assert value in values(PLACES, text)


@pytest.mark.parametrize(
    "text",
    [
        "Granada. Esa fue la fruta que más le gustó al paciente de la cama doce.",  # sentence start
        "La paciente Mercedes López refiere dolor desde hace una semana.",  # a given name, a surname after
        "El doctor Santiago Ramón y Cajal describió la neurona en su obra.",
        "Patient was seen in Granada and Santiago on Monday.",  # English text: not this finder's
    ],
)
def test_spanish_non_places(text: str) -> None:
    assert [v for v in values(PLACES, text) if v in ("Granada", "Mercedes", "Santiago")] == []


# -- names ---------------------------------------------------------------------------------------

NAMES = SpanishNameFinder()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Remitido por: Dra. Inés Salvatierra Ochoa. Servicio de Cardiología.", "Inés Salvatierra Ochoa"),
        ("Nombre: Ramón.\nApellidos: Quintana Barreiro.\n", "Quintana Barreiro"),
        ("Paciente: MARTÍNEZ SOLER, CARMEN\nNº de historia: 3320981", "MARTÍNEZ SOLER, CARMEN"),
        ("Le remito a Dña. Encarnación Villalobos Prieto, de 67 años,", "Encarnación Villalobos Prieto"),
        ("Estimado Sr. Unai Zubizarreta:", "Unai Zubizarreta"),
        ("Ante mí, Don Mariano Carrasco Vidal, mayor de edad", "Mariano Carrasco Vidal"),
        ("remitido por su médico, el Dr. José Luis del Río, por hematuria", "José Luis del Río"),
        ("Se lo comentamos a la paciente Ana Ruiz en la consulta.", "Ana Ruiz"),
        ("Atentamente,\nTomás Garrido Luque\nMédico de familia", "Tomás Garrido Luque"),
        ("Enfermera: Raquel Montes.", "Raquel Montes"),
    ],
)
def test_spanish_names(text: str, value: str) -> None:
    assert value in values(NAMES, text)


@pytest.mark.parametrize(
    "text",
    [
        "Atentamente,\nServicio de Citaciones",  # a department signs, not a person
        "Antecedentes personales: hipertensión arterial.",
        "Dear Dr. Smith, thanks for the referral.",  # English text: the English name layer's
    ],
)
def test_spanish_non_names(text: str) -> None:
    assert values(NAMES, text) == []


@pytest.mark.parametrize(
    ("text", "span", "ok"),
    [
        ("Se inicia tratamiento con ceftriaxona intravenosa.", "Se inicia", False),
        ("Exploración: consciente y orientado.", "Exploración", False),
        ("Se descarta síndrome de Sjögren en la paciente.", "Sjögren", False),
        ("Úlcera duodenal Forrest IIb tratada con omeprazol.", "Forrest IIb", False),
        ("Se traslada a Madrid para cirugía.", "Madrid", False),
        ("La paciente María José García López refiere dolor.", "María José García López", True),
        ("Valorada por Llorente en la consulta.", "Llorente", True),
    ],
)
def test_person_check_on_spanish_text(text: str, span: str, ok: bool) -> None:
    start = text.index(span)
    a, b = trim_person(text, start, start + len(span))
    assert (b > a and person_ok(text, a, b)) is ok


def test_trim_person_drops_cues_and_what_follows() -> None:
    text = "Hola Bea: te confirmo la cita con la Dra. Llorente el jueves."
    start = text.index("Llorente")
    a, b = trim_person(text, start, start + len("Llorente el jueves"))
    assert text[a:b] == "Llorente"
    a, b = trim_person(text, 0, len("Hola Bea"))
    assert text[a:b] == "Bea"


# -- organisations -------------------------------------------------------------------------------

ORGS = SpanishOrgFinder()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "trasladado desde el Hospital Comarcal de Monforte por hemorragia digestiva",
            "Hospital Comarcal de Monforte",
        ),
        ("control por su pediatra en el Centro de Salud Goya. Dra. Rubio", "Centro de Salud Goya"),
        ("Directora de Recursos Humanos\nTransportes Cantábrico S.L. - CIF", "Transportes Cantábrico S.L."),
        ("contra Construcciones Meseta S.L., se estima la demanda", "Construcciones Meseta S.L."),
        ("Consultorio Dr. Martín Sosa", None),
    ],
)
def test_spanish_orgs(text: str, value: str | None) -> None:
    got = values(ORGS, text)
    if value is None:
        assert all("Dr" not in v for v in got)
    else:
        assert value in got


# -- the locale switch -----------------------------------------------------------------------------


def test_the_pack_is_on_by_default_and_can_be_switched_off() -> None:
    text = "Domicilio: C/ Mayor, 5, 3º B, 28012 Madrid. Teléfono: 612 345 678"
    assert ("ADDRESS", "C/ Mayor, 5, 3º B, 28012 Madrid") in found(text)
    assert not any(s.source.startswith("regex:es_") for s in WITHOUT_ES.detect(text))


# -- the development set, end to end --------------------------------------------------------------


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("es_build", ES_DIR / "build_dev.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_committed_dev_set_matches_its_source() -> None:
    built = _build().records((ES_DIR / "dev.txt").read_text(encoding="utf-8"))
    committed = [json.loads(line) for line in (ES_DIR / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    assert built == committed
    assert len(committed) >= 40 and len({r["genre"] for r in committed}) >= 15


def test_dev_set_leak_and_overmasking() -> None:
    """The pack's own labelled texts (clinical headers and narratives, letters, forms, e-mail, chat,
    legal, Latin American records, text with no PII): leak and over-masking stay low with spaCy."""
    pytest.importorskip("spacy")
    from maskgate.detect.factory import build_pipeline
    from maskgate.evaluation.datasets import load_jsonl
    from maskgate.evaluation.scoring import Prediction, score

    records = load_jsonl(ES_DIR / "dev.jsonl")
    pipeline = build_pipeline(DetectOptions())
    predictions = [[Prediction(s.start, s.end, s.label) for s in pipeline.analyze(r.text)] for r in records]
    overall = score(records, predictions).overall
    assert overall["leak_rate"] <= 0.02
    assert overall["overmask_rate"] <= 0.05


@pytest.mark.parametrize(
    "text",
    [
        "Remitido por: Dra. Inés Salvatierra Ochoa. Servicio de Cardiología.",
        "Solicitante: Dr. Félix Navarro\nGlucosa 98 mg/dl",
    ],
)
def test_a_title_after_a_field_is_no_name(text: str) -> None:
    got = values(NAMES, text)
    assert got and all(v not in ("Dr", "Dra", "Dr.", "Dra.") for v in got)


def test_an_institution_word_alone_is_no_organisation() -> None:
    assert (
        values(
            ORGS, "Consultorio Dr. Martín Sosa\nPaciente: Florencia Giménez y otros pacientes de la consulta"
        )
        == []
    )
