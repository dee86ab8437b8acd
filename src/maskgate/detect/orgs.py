"""Organisation names that carry their legal form or kind: "Brightwave Analytics Ltd",
"Gradiant Research LLC", "3 Round Stones Inc", "Northside Medical Centre".

One to four capitalised words (digits and "&" allowed inside) followed by a company suffix
(Inc, Ltd, LLC, GmbH, S.A., Pty Ltd, plc...) or by a word naming the kind of organisation
(Technologies, Group, Partners, Consulting, Hospital, University...). Label ORG. The small NER model
finds many organisations; this layer adds the ones whose form gives them away.
"""

from __future__ import annotations

import re

from maskgate.detect.spans import Span
from maskgate.detect.words import english_words

LABEL = "ORG"
SCORE = 0.8

_LEGAL = (
    r"Inc\.?|Incorporated|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|PLC|plc|GmbH|AG|S\.A\.?|SAS|SARL|S\.r\.l\.|SpA|"
    r"B\.?V\.?|N\.?V\.?|Oy|Oyj|AB|A/S|ApS|ASA|Pty(?:\.?\s+Ltd\.?)?|Co\.|Corp\.?|Corporation|K\.K\.|KG|"
    r"e\.V\.|gGmbH|Sdn\s+Bhd|Pvt\.?\s+Ltd\.?|PLLC|P\.C\.|PC|L\.P\.|LP|Lda\.?|Ltda\.?|S\.L\.U?\.?|"
    r"S\.A\.S\.|S\.A\.\s+de\s+C\.V\.|S\.p\.A\.|Srl|SRL|Kft\.?|Zrt\.?|s\.r\.o\.|a\.s\.|Sp\.\s+z\s+o\.o\."
)
_KIND = (
    r"Company|Group|Holdings|Partners|Associates|Technologies|Technology|Solutions|Systems|Labs|"
    r"Laboratories|Consulting|Consultants|Software|Services|Industries|Enterprises|Foundation|Institute|"
    r"University|College|Hospital|Clinic|Medical\s+Centre|Medical\s+Center|Health|Bank|Capital|Ventures|"
    r"Analytics|Insurance|Logistics|Pharmaceuticals|Motors|Airlines|Media|Studios|Agency|Trust|Council|"
    r"Credit\s+Union|Building\s+Society|Medical\s+Group|Family\s+Practice|Practice|Surgery|Orthopedics|"
    r"Orthopaedics|Pediatrics|Paediatrics|Dental|Pharmacy|Academy|High\s+School|School|Realty|Properties|"
    r"Internet|Telecom|Communications"
)
# Kinds that are also a department or a speciality ("General Surgery", "Family Practice"): the name
# must hold a word that is not an ordinary English word ("Chapeltown Family Surgery").
_PROPER_KINDS = re.compile(
    r"(?i:family\s+practice|practice|surgery|orthopa?edics|pa?ediatrics|dental|pharmacy|academy|"
    r"high\s+school|school|internet|telecom|communications|properties)"
)
# Lotus Notes / Domino addresses: `First Last/OU/ORG@ORG` (`Shirley Crenshaw/HOU/ECT@ECT`): the
# organisational units and the organisation after the name.
_NOTES = re.compile(
    r"(?<=[\w.])/(?P<units>[A-Z][A-Za-z0-9-]{1,15}(?:/[A-Z][A-Za-z0-9-]{1,15}){0,3})@(?P<org>[A-Z][A-Za-z0-9-]{1,15})\b"
)
_WORD = r"(?:[A-Z][\w'’&-]*|\d{1,4})"
_ORG = re.compile(
    rf"(?<![\w.@/-])(?P<name>{_WORD}(?:(?:[ \t]+|[ \t]*&[ \t]*){_WORD}){{0,3}})"
    rf"(?:,?[ \t]+(?P<legal>{_LEGAL})(?![\w])|[ \t]+(?P<kind>{_KIND})\b)"
)
_NOT_FIRST = frozenset(
    [
        "The",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "Our",
        "Your",
        "My",
        "His",
        "Her",
        "Their",
        "Its",
        "Of",
        "For",
        "From",
        "With",
        "In",
        "On",
        "At",
        "To",
        "By",
        "And",
        "Or",
        "But",
        "If",
        "When",
        "While",
        "As",
        "Dear",
        "Hi",
        "Hello",
        "Thanks",
        "Please",
        "See",
        "Call",
        "Email",
        "Contact",
        "Join",
        "Visit",
        "Ask",
        "Welcome",
        "I",
        "We",
        "You",
        "He",
        "She",
        "They",
        "It",
    ]
)
_CODE = re.compile(r"[_(){}\[\]<>=/\\;`$#]")


_FIELD_LABEL_AFTER = re.compile(r"[ \t]*(?:\*\*|__)?[ \t]*[:|]")


class OrgLayer:
    name = "orgs"
    version = "3"

    def detect(self, text: str) -> list[Span]:
        out = []
        for m in _ORG.finditer(text):
            words = m.group("name").split()
            start = m.start("name")
            # drop leading words that are no part of a name ("The", "Our", "Contact")
            while words and words[0] in _NOT_FIRST:
                start = text.index(words[0], start) + len(words[0])
                while start < len(text) and text[start] in " \t":
                    start += 1
                words = words[1:]
            if not words or all(w.isdigit() for w in words) or _CODE.search(m.group(0)):
                continue
            if m.group("kind") and len(words) == 1 and words[0].isupper():
                continue  # "IT Services", "HR Group": an abbreviation, not a name
            if (
                m.group("kind")
                and _FIELD_LABEL_AFTER.match(text, m.end())
                and all(w.lower() in english_words() for w in words)
            ):
                continue  # "Insurance Company:", "| Parent Company |": a form field's label
            if m.group("legal") in ("PC", "LP") and len(words) < 2:
                continue  # "Dell PC", "Vinyl LP": a thing; "LAKESIDE ORTHOPEDICS PC" is a firm
            if (
                m.group("kind")
                and _PROPER_KINDS.fullmatch(m.group("kind"))
                and all(w.lower() in english_words() for w in words)
            ):
                continue  # "General Surgery", "Primary School": a department or a kind, no name
            out.append(Span(start, m.end(), LABEL, SCORE, self.name))
        if "@" in text:
            for m in _NOTES.finditer(text):
                at = m.start("units")
                for unit in m.group("units").split("/"):
                    out.append(Span(at, at + len(unit), LABEL, SCORE, self.name))
                    at += len(unit) + 1
                out.append(Span(m.start("org"), m.end("org"), LABEL, SCORE, self.name))
        return out

    def fingerprint(self) -> str:
        return f"{self.name}:{self.version}"
