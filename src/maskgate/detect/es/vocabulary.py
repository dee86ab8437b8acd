"""Spanish identifier labels for the general labelled-identifier finder (patterns/identifiers.py).

Spanish puts the qualifier first (`Nº de historia`, `número de afiliación`, `NºCol`), and writes
record headers with acronyms (`NHC`, `NASS`, `CIP`, `TSI`). Each entry is a lower-case regex, as in
`identifiers.VOCABULARY`; `FIRST_WORDS` are the words (or prefixes) a label can start with, for the
finder's fast first-word check. Accented letters are spelled both ways (`clínica`/`clinica`).
"""

from __future__ import annotations

from maskgate.detect.words import word_list

# `nº`, `n°`, `n.º`, `nro.`, `núm.`, `número`, `no.`, then an optional `de`/`del`/`de la`
_N = r"(?:n\.?[º°]\.?|no\.|nro\.?|n[úu]m\.?|n[úu]mero)"
_DE = r"(?:[ ]?(?:de(?:l| la)?[ ]))?"
_NUM_OF = rf"{_N}[ ]?{_DE}"
_SP = r"[ _.-]?"
# ... or after it: `colegiado nº`, `historia clínica núm.`, `pasaporte número`
_AFTER_N = rf"(?:[ ]?{_N})?"

VOCABULARY: dict[str, tuple[str, ...]] = {
    "MRN": (
        r"nhc",
        rf"(?:{_NUM_OF})?historia{_SP}cl[ií]nica{_AFTER_N}",
        rf"{_NUM_OF}historia",
        rf"{_NUM_OF}(?:episodio|ingreso|admisi[oó]n|registro)",
        rf"episodio{_AFTER_N}",
        r"cipa",
        r"id(?:entificador)? (?:del )?paciente",
    ),
    "HEALTH_PLAN_ID": (
        r"nass",
        rf"(?:{_NUM_OF})?afiliaci[oó]n(?: a la seguridad social)?{_AFTER_N}",
        rf"(?:{_NUM_OF})?afiliad[oa]{_AFTER_N}",
        rf"{_NUM_OF}(?:la )?seguridad social",
        rf"(?:{_NUM_OF})?tarjeta{_SP}sanitaria(?: individual)?{_AFTER_N}",
        r"cip(?: autón[oó]mico| autonomico| sns)?",
        r"tsi|tis|sip|nuhsa|nuss|nss",
        rf"(?:{_NUM_OF})?(?:asegurado|mutualista|beneficiario)",
    ),
    "LICENSE_NUMBER": (rf"(?:{_NUM_OF})?col(?:egiado|egiada|egiación|egiacion)?\.?{_AFTER_N}",),
    "ID_NUMBER": (
        rf"(?:{_NUM_OF})?(?:dni|nie|d\.n\.i\.?){_AFTER_N}",
        rf"(?:{_NUM_OF})?(?:rut|c[ée]dula(?: de identidad| de ciudadan[íi]a)?|curp){_AFTER_N}",
        rf"{_NUM_OF}documento(?: de identidad| nacional de identidad)?",
        r"documento (?:nacional )?de identidad",
        rf"{_NUM_OF}identificaci[óo]n",
    ),
    "PASSPORT": (rf"(?:{_NUM_OF})?pasaporte{_AFTER_N}",),
    "TAX_ID": (
        rf"(?:{_NUM_OF})?(?:cif|nif|cuit|cuil){_AFTER_N}",
        r"c[óo]digo de identificaci[óo]n fiscal",
    ),
    "ACCOUNT_NUMBER": (
        rf"{_NUM_OF}(?:cuenta|p[óo]liza|cliente|contrato|socio)",
        r"cuenta(?: bancaria| corriente)?",
        rf"p[óo]liza{_AFTER_N}",
        r"ccc",
    ),
    "EMPLOYEE_ID": (rf"{_NUM_OF}(?:empleado|empleada|trabajador|trabajadora)",),
    "CASE_ID": (rf"(?:{_NUM_OF})?(?:expediente|siniestro){_AFTER_N}", rf"{_NUM_OF}caso"),
}
# Column headers of phone numbers (inline phones are the phone recognizers' business).
COLUMN_ONLY: dict[str, tuple[str, ...]] = {
    "PHONE": (rf"(?:{_NUM_OF})?(?:tel[ée]fono|tel[ée]f\.?|tlf\.?|tfno\.?|m[óo]vil|fax)",),
}
FIRST_WORDS = frozenset(
    word_list(
        """
    nhc historia nº n° n.º n.° no. nro núm num número numero cipa id identificador nass afiliación afiliacion tarjeta
    cip tsi tis sip nuhsa nuss nss episodio asegurado mutualista beneficiario col colegiado colegiada colegiación colegiacion dni nie
    d.n.i rut cédula cedula curp afiliado afiliada documento pasaporte cif nif cuit cuil código codigo cuenta póliza poliza ccc expediente siniestro
    teléfono telefono teléf teléf telf tlf tfno móvil movil fax
    """
    )
)
# Acronyms that are also Spanish words or syllables: labels only when written in capitals.
CAPITALS_ONLY = frozenset(
    {"cip", "tsi", "tis", "sip", "nss", "nuss", "ccc", "cif", "rut", "curp", "cuit", "cuil"}
)
