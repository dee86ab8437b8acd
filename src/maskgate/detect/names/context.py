"""The context around a word that says "person": cue phrases before it, speaker labels, sign-off
lines, verbs and kinship words after it, and the code around it that says "identifier"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from maskgate.detect.words import NOT_NAMES, TITLES, word_list

PERSON_VERBS = frozenset(
    word_list(
        """
        is was were are has have had said says asked told lives lived began begins spent flew went wrote writes called
        calls works worked joined joins will would can could should did does thinks thought wants wanted
        likes liked loves loved knows knew came comes left leaves arrived replied answered explained
        added noted agreed signed sent emailed paid bought moved died born married graduated studied
        teaches taught plays played sings sang directed starred recorded listed
        """
    )
)

TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?|[^\W\d_]\.")
STRONG_CUE = re.compile(
    r"(?:\b(?:my|his|her|their|your|our|the)\s+(?:full\s+|first\s+|last\s+|maiden\s+|middle\s+|given\s+|family\s+|sur)?"
    r"name\s+(?:is|was|'s|’s)\s+|(?:\b|_)(?:(?:full|first|last|maiden|given|family|patient|client|middle)[\s_-]*|sur)?"
    r"name[\"']?\s*(?:[:=]|\?|-)\s*[\"']?|\bcall(?:s|ed)?\s+me\s+|\b(?:i\s+am|is|was|be|being)\s+called\s+|\bnamed\s+|\bknown\s+as\s+|"
    rf"\b{TITLES}\.?[ \t]+|\bdear\s+|\b(?:directed|written|produced|signed|authored|performed|narrated)\s+by:?\s+|"
    r"\b(?:patient|client|customer|employee|attn|attention|contact\s+person|account\s+holder|cardholder|"
    r"card\s+holder|beneficiary|recipient|applicant|tenant|landlord|caller|requester|reporter|assignee|"
    r"author|owner)\s*:\s*)$",
    re.IGNORECASE,
)
WEAK_CUE = re.compile(
    r"(?:\b(?:hi|hello|hey|thanks|thank\s+you|cheers|welcome|congratulations|congrats|sorry|bye|morning|"
    r"evening)\s*,?\s+|\bi'?m\s+|\bi\s+am\s+|\bthis\s+is\s+|\bit'?s\s+|\bwith\s+|\bfrom\s+|\bby\s+|"
    r"\b(?:ask|tell|email|e-mail|call|ping|message|text|contact|cc|meet|met|thank|invite|remind|see|"
    r"saw|visit|visited|married|dating|says|said|told|asked|under)\s+)$",
    re.IGNORECASE,
)
SIGNOFF = re.compile(  # a sign-off line on its own: "Kind regards,\n", "Thanks!\n", "--\n"
    r"(?:^|\n)[ \t]*(?:(?:kind|best|warm|many|with)[ \t]+)?(?:regards|best|thanks|thank[ \t]+you|cheers|sincerely|"
    r"yours(?:[ \t]+(?:truly|sincerely|faithfully))?|respectfully|warmly|love|take[ \t]+care|all[ \t]+the[ \t]+best|--?|—)"
    r"[ \t]*[,.!]?[ \t]*\r?\n[ \t]*$",
    re.IGNORECASE,
)
# Cues after which a lower-case word may still be a name ("my name is vitoria", "mr. elliott").
LOWER_CUE = re.compile(
    r"(?:\b(?:my|his|her|their|your|our)\s+(?:full\s+|first\s+|last\s+|maiden\s+|middle\s+|given\s+|family\s+|sur)?"
    rf"name\s+(?:is|was|'s|’s)\s+|\bcall(?:s|ed)?\s+me\s+|(?:^|\n)[ \t]*(?:full\s+)?name\s*:\s*|\b{TITLES}\.?[ \t]+)$",
    re.IGNORECASE,
)


# Verbs after which people type a colleague's name in lower case in chat.
LOWER_VERB_CUE = re.compile(
    r"\b(?:ask|tell|ping|email|e-mail|message|dm|cc|thank|invite|remind|call)\s+$", re.IGNORECASE
)


# A speaker label's line start: optional quote marks or a chat timestamp ("[10:02] ").
_LINE_PREFIX = re.compile(r"[ \t>]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?\]?[ \t]*(?:-[ \t]*)?)?")


def at_line_start(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", max(0, pos - 40), pos) + 1
    if line_start == 0 and pos > 40:
        return False
    return _LINE_PREFIX.fullmatch(text, line_start, pos) is not None


# after a speaker label: prose (two words at least, or a quote), not "field: Type" or "key: value"
SPEAKER_AFTER = re.compile(r"[ \t]*:[ \t]*(?:[\"“'‘]|[^\W\d_][\w'’,]*[ \t]+[^\W\d_])")
NOT_SPEAKERS = frozenset(
    [
        "user",
        "bot",
        "assistant",
        "system",
        "agent",
        "customer",
        "support",
        "q",
        "a",
        "note",
        "error",
        "warning",
        "info",
        "debug",
        "fatal",
        "trace",
        "subject",
        "from",
        "to",
        "cc",
        "date",
        "sent",
        "re",
        "fwd",
        "question",
        "answer",
        "summary",
        "description",
        "status",
        "host",
        "server",
        "client",
        "request",
        "response",
        "input",
        "output",
        "example",
        "result",
        "reason",
        "action",
        "name",
        "address",
        "phone",
        "email",
        "website",
        # docstring and API field lists: "msg: The unformatted error message\ndoc: The JSON document"
        "msg",
        "doc",
        "pos",
        "args",
        "returns",
        "raises",
        "param",
        "params",
        "usage",
        "default",
    ]
)
KIN_AFTER = re.compile(
    r"(?:'s|’s)[ \t]+(?:daughter|son|wife|husband|mother|father|mom|mum|dad|brother|sister|parents|"
    r"children|kids|baby|partner|girlfriend|boyfriend|fianc[eé]e?|widow|aunt|uncle|cousin|grandmother|"
    r"grandfather|niece|nephew|friend|boss|colleague|lawyer|doctor|killers?|family|funeral|death|birthday)\b",
    re.IGNORECASE,
)
STRONG_VERB_AFTER = re.compile(
    r"[ \t]+(?:spent|began|shouted|whispered|explained|replied|lives|lived|flew|married|graduated|"
    r"studied|was born|died|listed|wrote|said|told|asked)\b"
)
EMAIL_LOCAL = re.compile(r"(?<![\w.+-])([A-Za-z][A-Za-z0-9._+-]{2,63})@[A-Za-z0-9-]+\.[A-Za-z.]{2,}")
# A line holding only a name (two to four words, initials allowed), at a block's start.
NAME_LINE = re.compile(
    r"(?:^|\n)[ \t]*(?:>+[ \t]*|\?{3}[ \t]*|[-*•][ \t]+)?(?P<name>[^\W\d_][\w'’-]*(?:[ \t]+(?:[^\W\d_]\.?|[^\W\d_][\w'’-]*)){1,3})[ \t]*(?=\r?\n)"
)


@dataclass
class Tok:
    start: int
    end: int
    text: str
    key: str
    flags: str
    cap: bool
    initial: bool
    particle: bool

    @property
    def name(self) -> bool:
        return ("f" in self.flags or "l" in self.flags) and self.key not in NOT_NAMES

    @property
    def clean_name(self) -> bool:
        """A known name that is not also an ordinary English word."""
        return self.name and "w" not in self.flags


def in_name_list(text: str, toks: list[Tok], i: int) -> bool:
    """toks[i] is one item of a list of three or more capitalised words, most of them names."""
    items = [i]
    j = i
    while (
        j > 0
        and re.fullmatch(r",\s*|,?\s+and\s+|\s*&\s*", text[toks[j - 1].end : toks[j].start])
        and toks[j - 1].cap
    ):
        j -= 1
        items.append(j)
    j = i
    while (
        j + 1 < len(toks)
        and re.fullmatch(r",\s*|,?\s+and\s+|\s*&\s*", text[toks[j].end : toks[j + 1].start])
        and toks[j + 1].cap
    ):
        j += 1
        items.append(j)
    if len(items) < 3:
        return False
    names = sum(1 for k in items if toks[k].name)
    return names >= max(2, (len(items) * 2 + 2) // 3)


_UNANCHORED: dict[re.Pattern[str], re.Pattern[str]] = {}


def cue_ends(rx: re.Pattern[str], text: str) -> set[int]:
    """End offsets of the cue `rx` (written anchored at the end with `$`) anywhere in `text`."""
    free = _UNANCHORED.get(rx)
    if free is None:
        pattern = rx.pattern[:-1] if rx.pattern.endswith("$") else rx.pattern
        free = _UNANCHORED[rx] = re.compile(pattern, rx.flags)
    return {m.end() for m in free.finditer(text)}


def sentence_start(text: str, start: int) -> bool:
    k = start - 1
    while k >= 0 and text[k] in " \t\"“‘'(>*-":
        k -= 1
    return k < 0 or text[k] in ".!?\n:;"


def ends_clause(text: str, end: int) -> bool:
    return bool(
        re.match(
            r"[ \t]*(?:$|\r?\n|[.,;:!?)\"”']|\s+(?:but|and|from|here|speaking|calling)\b)",
            text[end : end + 12],
        )
    )


def line_is_short(text: str, t: Tok) -> bool:
    line_end = text.find("\n", t.start)
    line = text[t.start : len(text) if line_end < 0 else line_end]
    return len(line.split()) <= 4


def code_context(text: str, t: Tok) -> bool:
    """The token is part of an identifier, a path, a call or markup."""
    if re.search(r"(?:->|::|\bclass|\bdef|\bimport|\bfrom)[ \t]*$", text[max(0, t.start - 8) : t.start]):
        return True  # a type in a signature, a class or module name
    before = text[t.start - 1] if t.start > 0 else " "
    after = text[t.end] if t.end < len(text) else " "
    if (
        before in "._/\\$@#=<`[{"
        or after in "_/\\(=<>[{`@"
        or (after == "." and text[t.end + 1 : t.end + 2].isalnum())
    ):
        return True
    return bool(re.search(r"[a-z][A-Z]", t.text)) and not re.match(
        r"(?:Mc|Mac|O'|D'|De|Di|La|Le|Van|Von)", t.text
    )
