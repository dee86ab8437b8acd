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
    r"e\.V\.|gGmbH|Sdn\s+Bhd|Pvt\.?\s+Ltd\.?"
)
_KIND = (
    r"Company|Group|Holdings|Partners|Associates|Technologies|Technology|Solutions|Systems|Labs|"
    r"Laboratories|Consulting|Consultants|Software|Services|Industries|Enterprises|Foundation|Institute|"
    r"University|College|Hospital|Clinic|Medical\s+Centre|Medical\s+Center|Health|Bank|Capital|Ventures|"
    r"Analytics|Insurance|Logistics|Pharmaceuticals|Motors|Airlines|Media|Studios|Agency|Trust|Council"
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
    version = "2"

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
            out.append(Span(start, m.end(), LABEL, SCORE, self.name))
        return out

    def fingerprint(self) -> str:
        return f"{self.name}:{self.version}"
