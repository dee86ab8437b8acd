"""Post-filter for the NER model's spans ("where are spaCy's names filtered?"): PERSON spans are cut
at line breaks, lose cue words around them and grow over the rest of a hyphenated name; one ordinary
word, code, a path component or an upper-case abbreviation is dropped."""

from __future__ import annotations

import re
from collections.abc import Iterable

from maskgate.detect.names.context import ACTION_VERBS, RANK_CUE, RELATION_BEFORE, title_start
from maskgate.detect.names.fields import field_kind
from maskgate.detect.names.social import SLANG, caseless_line
from maskgate.detect.words import (
    DRUG_STEM,
    EPONYM_AFTER,
    LEADING_NON_NAME,
    NOT_NAMES,
    STOP,
    english_words,
    gazetteer,
    is_cap,
    word_list,
)

# Generic abbreviations the model takes for organisations ("my SSN", "from the ATM").
NOT_ORGS = frozenset(
    word_list(
        """
        ssn ein itin iban bic swift pin cvv cvc atm asap fyi eta faq ceo cfo cto coo cio hr it pr qa ui
        ux url uri pdf csv json xml html css api sdk cli gui id dob nhs nino tfn abn irs dmv vat gst kyc
        aml otp mfa 2fa sms mms usb ssd hdd cpu gpu ram rom os vm vpn dns ip tcp udp http https ssh ftp
        smtp imap pop tls ssl jwt oauth saml ldap sso rsvp tbd tba eod eow ooo wfh pto ai ml llm nlp
        """
    )
)


_LANGUAGES = frozenset(
    word_list(
        """
        hindi urdu bengali bangla punjabi gujarati marathi tamil telugu kannada malayalam sinhala nepali
        arabic farsi persian pashto hebrew turkish kurdish amharic swahili yoruba igbo hausa zulu xhosa
        mandarin cantonese hokkien japanese korean vietnamese thai khmer lao burmese tagalog malay
        russian ukrainian polish czech slovak hungarian romanian bulgarian serbian croatian greek
        english spanish portuguese french german italian dutch swedish norwegian danish finnish
        devanagari cyrillic latin hangul kanji hiragana katakana gurmukhi
        """
    )
)
# Credentials written after a name ("Mei-Ling Chao, MD"); as a region code they are taken with their
# place ("Annapolis, MD") by the place's own span.
_CREDENTIALS = frozenset(
    {"MD", "DO", "RN", "NP", "PA", "DDS", "DMD", "LPN", "CNA", "MA", "DC", "OD", "PT", "OT", "JD"}
)
_AFTER_PLACE = re.compile(r"[^\W\d_][\w.'’-]*,[ \t]*\Z")  # "Dublin, " before a region code
_CODE_AFTER = re.compile(r",[ \t]*[A-Z]{2}(?![\w-])")


def refine_entity(text: str, label: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Post-filter for NER spans: PERSON spans are split at line breaks and lose leading and
    trailing non-name words ("Email Jane Doe" → "Jane Doe"); ORG spans that are a generic
    abbreviation ("SSN", "ATM") are dropped."""
    value = text[start:end]
    if not any(c.isalpha() for c in value):
        return []  # "&&": no name without letters
    if value.islower():
        if caseless_line(text, start, end):
            if not (label == "PERSON" and _lower_person(text, start, end)):
                return []  # a post or chat line in lower case: its people only where name or grammar says so
        elif _cased_around(text, start, end) or all(
            w in english_words() for w in re.split(r"[\s-]+", value.strip())
        ):
            return []  # "stdin", "max": a writer who capitalises writes names capitalised
    parts = [w for w in re.split(r"[\s-]+", value.lower()) if w]
    if parts and all(w in SLANG for w in parts):
        return []  # "hmu", "lol": chat slang the model took for a name
    if parts and all(w in NOT_NAMES for w in parts):
        return []  # "JSON-RPC", "Unicode", "Linux": technology, not a name or a place
    if _product_or_label(text, value, parts, start, end):
        return []
    if _CODE_VALUE.search(value) and not _PREFIXED_NAME.fullmatch(value):
        return []  # java.lang, self.customer, TypeError, UserCard; not McKenzie, DeShawn, LeBron
    if (start > 0 and text[start - 1] in "/\\") or re.match(r"[/\\]|\.[A-Za-z0-9]", text[end : end + 2]):
        return []  # a path component: "config/team.yaml"
    if label != "PERSON":
        # "Vanderbilt Medical Center    Phone", "Tariq MD    Discharging": a tab or a run of spaces
        # ends the value of a form field; what follows is the next field's label
        piece = _FIELD_GAP_PIECE.match(text, start, end)
        if piece is not None and piece.end() < end:
            end = piece.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            value = text[start:end]
    if label == "PERSON":
        return [
            _grow_person(text, a, b)
            for a, b in refine_person(text, start, end)
            if not (_ordinary_word(text[a:b], person=True) and not _person_position(text, a, b))
            and not _ordinary_phrase(text[a:b], person=True)
            and not _not_a_person(text, a, b)
            and not _word_not_in_person_position(text, a, b)
        ]
    if label in ("LOCATION", "FACILITY") and value.strip().lower() in NOT_ORGS:
        return []  # "AI", "UI": abbreviations, not places
    if label == "LOCATION":
        word = value.strip()
        if word.lower() in _LANGUAGES:
            return []  # "Hindi", "Devanagari": a language or a script, not a place
        if (
            len(word) <= 3
            and word.isupper()
            and (word in _CREDENTIALS or not _AFTER_PLACE.search(text, 0, start))
        ):
            return []  # "PO", "NC", "ST", "Chao, MD": abbreviations, credentials; "Dublin, IE" stays
        code = _CODE_AFTER.match(text, end)
        if code is not None:
            return [(start, code.end())]  # "Dublin, IE", "Austin, TX": the region code with its place
    if label == "ORG":
        start, end = _trim_words(text, start, end)
        if end <= start:
            return []
        value = text[start:end]
        word = value.strip()
        if word.lower() in NOT_ORGS or _ordinary_word(word, person=False):
            return []
        if "," in word and _ordinary_phrase(word, person=False):
            return []  # a list of ordinary words ("Comedy, Kids & Family"), not one organisation
        if _job_title(text, word, end):
            return []  # "Account Executive", "Staff Software Engineer", "Mechanical Engineer II": a role
        if _ordinary_phrase(word, person=False) and _named_thing(text, word):
            return []  # "Remote Control sessions", "Plan Mode tool": a feature named with ordinary words
        if " " not in word and word.isupper() and len(word) <= 5:
            return []  # INFO, USD, NDA: an upper-case abbreviation alone is not a named organisation
    return [(start, end)]


_FILE_NAME = re.compile(
    r"[\w-]+\.(?:md|txt|json|ya?ml|toml|py|js|ts|tsx|jsx|rs|go|java|rb|sh|cfg|ini|lock|html|css)"
)
_CAPS_CODE = re.compile(r"[A-Z]{2,}[A-Z][a-z]+")  # JSONSchema, HTTPServer, XMLParser
_LABEL_AFTER = re.compile(r"[ \t]*(?:\*\*|__)?[ \t]*:|[ \t]*\|")


def _product_or_label(text: str, value: str, parts: list[str], start: int, end: int) -> bool:
    """Not a name of a person, organisation or place: a drug (lisinopril, losartan), an eponym
    (Babinski sign, Crohn's disease), a file (CLAUDE.md), a product name made of words and technology
    names (Claude Agent SDK), or a form field label (Insurance Company:, First Name, MAC Address:)."""
    words = re.findall(r"[^\W\d_]+", value)
    if words and all(DRUG_STEM.fullmatch(w) for w in words):
        return True
    if " " not in value and EPONYM_AFTER.match(text, end):
        return True
    file_name = _FILE_NAME.match(text, start)
    if file_name is not None and file_name.end() >= end:
        return True  # CLAUDE.md, package.json
    if _CAPS_CODE.fullmatch(value):
        return True
    english = english_words()
    if (
        len(parts) > 1
        and parts[-1] in NOT_NAMES
        and value.split()[-1].isupper()
        and all(w in NOT_NAMES or w in english for w in parts)
    ):
        return True  # "Claude Agent SDK", "OpenAI API"
    if field_kind(value) and len(value) < 40:
        return True  # "First Name" over a table column
    table = gazetteer()
    if (
        _LABEL_AFTER.match(text, end)
        and all(w.lower() in english or w.lower() in NOT_ORGS or (w.isupper() and len(w) <= 5) for w in words)
        and not all(any(f in table.get(w.lower(), "") for f in "fl") for w in words)
    ):  # not "John Smith:", a speaker
        line_start = text.rfind("\n", 0, start) + 1
        return not text[line_start:start].strip(" \t*_-|#>")  # a label at the start of its line
    return False


_TOOL_AFTER = re.compile(
    r"[ \t]+(?:tool|tools|command|commands|function|button|tab|menu|mode|option|field|skill|skills|"
    r"file|files|class|method|api|sdk|plugin|extension|app|model|models|key|setting|settings|flag)\b",
    re.IGNORECASE,
)
_THING_AFTER = re.compile(rf"{_TOOL_AFTER.pattern}|[ \t]+(?:sessions?|features?)\b", re.IGNORECASE)


_JOB_WORD = (
    r"engineer|executive|manager|director|analyst|officer|developer|designer|specialist|coordinator|"
    r"assistant|consultant|architect|administrator|representative|intern|lead|supervisor|technician|"
    r"accountant|recruiter|scientist|nurse|therapist|paralegal|clerk|advisor|adviser"
)
_JOB_LAST = re.compile(rf"(?i:{_JOB_WORD})s?(?:[ \t]+(?:I|II|III|IV|V))?")
_ROLE_MODIFIERS = frozenset(
    word_list(
        """
        staff senior junior principal software sales account product project program marketing data research
        support customer mechanical civil electrical chemical chief head associate assistant executive
        registered clinical legal financial operations security network systems
        """
    )
)
_JOB_AFTER = re.compile(rf"[ \t]+(?i:{_JOB_WORD})\b")


def _job_title(text: str, value: str, end: int) -> bool:
    """Ordinary words naming a role, not an employer: the role word ends the span or follows it."""
    words = value.split()
    plain = [w for w in words if not re.fullmatch(r"I|II|III|IV|V", w)]
    if not plain or not all(w.lower() in english_words() for w in plain):
        return False
    last = re.search(r"\S+(?:[ \t]+(?:I|II|III|IV|V))?$", value)
    if last and _JOB_LAST.fullmatch(last.group(0)):
        return True
    # "Staff Software| Engineer": a role's own modifier before the role word ("American Express| Director" stays)
    return plain[-1].lower() in _ROLE_MODIFIERS and _JOB_AFTER.match(text, end) is not None


def _named_thing(text: str, value: str) -> bool:
    """Somewhere in the text the phrase names a kind of thing ("Remote Control sessions"): the name of
    a feature or tool, so each of its occurrences is."""
    return any(_THING_AFTER.match(text, m.end()) for m in re.finditer(re.escape(value), text))


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|this|that|your|our|its|their|each|every|any)[ \t]+$", re.I)
_VERB_BEFORE = re.compile(
    r"\b(?:via|use|using|uses|invoke|invoking|run|running|call|calling)[ \t]+(?:the[ \t]+)?$", re.I
)


def _word_not_in_person_position(text: str, start: int, end: int) -> bool:
    """One word that is also an ordinary word ("Write", "Skill", "Mark", "Young"), where the position
    does not say person: after "the" or "via", before "tool" or "tab", in backticks or quotes; a
    surname that is a word ("Skill", "Price") needs a title before it or a person's verb after it."""
    word = text[start:end]
    key = word.lower()
    if " " in word or key not in english_words():
        return False
    before = text[max(0, start - 20) : start]
    if _DETERMINER_BEFORE.search(before) or _VERB_BEFORE.search(before) or _TOOL_AFTER.match(text, end):
        return True
    if text[start - 1 : start] in "`'\"" and start > 0 and text[end : end + 1] in "`'\"":
        return True
    if "f" in gazetteer().get(key, ""):
        return False  # "Mark", "Rose": a given name the model saw as a person
    if RANK_CUE.search(text, max(0, start - 20), start):
        return False  # "Officer Price"
    if re.search(r"[A-Za-z](?:,|[ \t]+(?:and|&))[ \t]+$", before) or re.match(
        r"(?:,[ \t]*|[ \t]+(?:and|&)[ \t]+)[A-Z]", text[end : end + 8]
    ):
        return False  # "Monjeau, Graves and Reed": one of a list of names
    return not _subject_of_person_verb(text, end)


_BE_HAVE = frozenset(word_list("is was has had does loves hates likes"))
_PERSON_VERB_AFTER = re.compile(r"[ \t]+(?:(?:[a-z]+ly|just|also|still|never|always)[ \t]+)?([a-z]+)\b")


def _subject_of_person_verb(text: str, end: int) -> bool:
    """A verb of a person right after the model's person ("Trump said", "lol trump is such a clown"):
    the model and the grammar agree, so a name that is also a word ("Trump", "Hope") stays."""
    m = _PERSON_VERB_AFTER.match(text, end)
    return m is not None and (m.group(1) in ACTION_VERBS or m.group(1) in _BE_HAVE)


def _lower_person(text: str, start: int, end: int) -> bool:
    """A lower-case person of the model in a line written without case ("i love how kanye just
    does", "saw ed sheeran at"): a known given name or surname in it, or a verb of a person after it;
    no word of technology ("git config") and nothing code-like around."""
    words = [w for w in re.split(r"[\s-]+", text[start:end].strip()) if w]
    words = [w for w in words if w not in LEADING_NON_NAME] or words
    if any(w in NOT_NAMES for w in words) or re.search(r"[=_/\\@#]", text[max(0, start - 1) : end + 1]):
        return False
    table, english = gazetteer(), english_words()
    if any(
        ("f" in table.get(w, "") or "l" in table.get(w, ""))
        and "w" not in table.get(w, "")
        and w not in english
        for w in words
    ):
        return True  # "ed sheeran", "lebron"; not "max", "will", "mark": words as much as names
    if RELATION_BEFORE.search(text, max(0, start - 40), start) is not None:
        return True  # "ty nyx", "my buddy dre": who the person is to the writer
    if (
        len(words) == 1
        and len(words[0]) >= 4
        and words[0].isalpha()
        and words[0] not in english
        and words[0] not in SLANG
        and not table.get(words[0])
        and not re.match(r"[ \t]*[@#\d]", text[end : end + 3])
    ):
        return True  # "kanye", "zendaya": a word no dictionary knows, that the model calls a person
    return _subject_of_person_verb(text, end)


def _person_position(text: str, start: int, end: int) -> bool:
    """The verb after it, or another name beside it, says person ("Trump said", "Trump and Putin")."""
    if _subject_of_person_verb(text, end):
        return True
    return re.match(r"[ \t]+(?:and|&)[ \t]+[A-Z][a-z]", text[end : end + 12]) is not None and (
        start == 0 or text[start - 1] in " \t"
    )


def _cased_around(text: str, start: int, end: int) -> bool:
    """The writer uses capitals near the span (three or more in 200 chars either side)."""
    window = text[max(0, start - 200) : end + 200]
    return sum(1 for c in window if c.isupper()) >= 3


_HYPHEN_TAIL = re.compile(r"(?:-[^\W\d_]+)+")
_HYPHEN_HEAD = re.compile(r"(?:[^\W\d_]+-)+$")
_WORD_BEFORE = re.compile(r"(?<![\w.@/-])([^\W\d_][^\W\d_'’]*) $")


def _grow_person(text: str, start: int, end: int) -> tuple[int, int]:
    """The model often stops inside a name: at a hyphen ("Hauta" of "Hauta-aho"), after an unknown
    given name ("Samurakami" of "Mashuu Samurakami"), or at a particle ("van de Noort" of "Maika van
    de Noort"). Take the rest of the hyphenated word and one capitalised word right before the span
    when it is no ordinary English word, no abbreviation and no cue ("Producer", "Email")."""
    m = _HYPHEN_TAIL.match(text, end)
    if m is not None and (m.end() == len(text) or not text[m.end()].isalnum()):
        end = m.end()
    h = _HYPHEN_HEAD.search(text, max(0, start - 40), start)
    if h is not None and (h.start() == 0 or not text[h.start() - 1].isalnum()):
        start = h.start()
    w = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if w is not None:
        word = w.group(1)
        key = word.lower()
        if (
            is_cap(word)
            and len(word) > 1
            and not word.isupper()
            and key not in english_words()
            and key not in NOT_NAMES
            and key not in LEADING_NON_NAME
            and key not in STOP
        ):
            start = w.start(1)
    return title_start(text, start), end  # "Dr. Feldman": the title too


def _trim_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading and trailing words like "Please", "Thanks", "Email" from a span."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    while words and text[words[0][0] : words[0][1]].lower().strip(",:;.") in LEADING_NON_NAME:
        words.pop(0)
    while words and text[words[-1][0] : words[-1][1]].lower().strip(",:;.") in LEADING_NON_NAME:
        words.pop()
    return (words[0][0], words[-1][1]) if words else (start, start)


def _not_a_person(text: str, start: int, end: int) -> bool:
    """One upper-case abbreviation ("HR") or a unit after a number ("12.4 GiB")."""
    value = text[start:end]
    if " " in value:
        return False
    if value.isupper() and len(value) <= 3:
        return True
    return re.search(r"\d[ \t]?$", text[max(0, start - 2) : start]) is not None and len(value) <= 4


# A name with a capitalised prefix is camel case too: McKenzie, MacArthur, DeShawn, DiCaprio, LeBron, O'Neill.
_PREFIXED_NAME = re.compile(r"(?:Mc|Mac|De|Di|Da|Du|La|Le|O['’]|D['’])[A-Z][a-z]{2,}")
_CODE_VALUE = re.compile(r"[a-z]\.[a-z]|^[A-Z][a-z]+(?:[A-Z][a-z]+)+$|[a-z][A-Z]{2,}[a-z]")  # BufferedIOBase


def _ordinary_word(value: str, person: bool) -> bool:
    """One ordinary English word ("Cache", "Landlord"), not a known given name, or a month/product."""
    word = value.strip().strip(".,:;")
    if " " in word or "\n" in word:
        return False
    key = word.lower()
    if key in NOT_NAMES:
        return True
    if key not in english_words():
        return False
    # "Mark", "Rose", "Young", "Fisher": a given name or surname the model saw as a person stays
    flags = gazetteer().get(key, "")
    return not (person and ("f" in flags or "l" in flags))


_PHRASE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _ordinary_phrase(value: str, person: bool) -> bool:
    """Several words, every one an ordinary English word or a product name, and for a PERSON none a
    known given name or surname: "Guilty Pleasures", "Comedy, Kids & Family". Organisations named
    with ordinary words ("Credit Karma") are not dropped for this alone, places never ("Cape Town")."""
    words = _PHRASE_WORD.findall(value)
    if len(words) < 2 or len(words) > 8 or re.search(r"[^\w\s,&'’.-]", value):
        return False
    english, table = english_words(), gazetteer()
    for w in words:
        key = w.lower()
        if key in STOP:
            continue
        if key not in english and key not in NOT_NAMES:
            return False
        if person and ("f" in table.get(key, "") or "l" in table.get(key, "")):
            return False
    return not all(w.lower() in STOP for w in words)


_FIELD_PIECE = re.compile(r"(?:[^\n\t ]| (?! ))+")
_FIELD_GAP_PIECE = re.compile(r"(?:[^\t ]| (?! ))+")
_POST_NOMINALS = frozenset(
    [
        "MD",
        "DO",
        "RN",
        "NP",
        "PA",
        "PA-C",
        "PhD",
        "MLT",
        "LPN",
        "CNM",
        "DDS",
        "DMD",
        "PharmD",
        "MSW",
        "LCSW",
        "FNP",
        "APRN",
        "CRNA",
    ]
)


refine_entity.version = "11"  # type: ignore[attr-defined]


def refine_person(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Trim an NER PERSON span: split at line breaks, drop leading/trailing non-name words
    ("Email Jane Doe" → "Jane Doe", "Allan\\nEchocardiographer" → "Allan")."""
    table = gazetteer()
    pieces: list[tuple[int, int]] = []
    # a line, or a stretch of one line between tabs or runs of spaces: "NGUYEN THI HOA   DOB" holds
    # the name and the next field's label, never one name
    for part in _FIELD_PIECE.finditer(text, start, end):
        a = part.start()
        words = [(m.start() + a, m.end() + a, m.group(0)) for m in re.finditer(r"\S+", part.group(0))]
        while words and words[0][2].lower().strip(",:;.") in LEADING_NON_NAME:
            words.pop(0)
        while words and (
            words[-1][2].lower().strip(",:;.") in LEADING_NON_NAME
            or not any(c.isalpha() for c in words[-1][2])
        ):
            words.pop()  # "Joe 🙏": an emoji or a number after the name is not part of it
        if words:
            pieces.append((words[0][0], words[-1][1]))
    if len(pieces) > 1:
        # keep the lines that look like names; the first one when none does
        named = [
            p for p in pieces if any(table.get(w.lower().strip(",.")) for w in text[p[0] : p[1]].split())
        ]
        if not named:
            return pieces[:1]
        # the named pieces of the first line with one ("John  Smith" keeps both halves)
        line = text.count("\n", start, named[0][0])
        pieces = [p for p in named if text.count("\n", start, p[0]) == line]
    return pieces
