"""Names the small NER model misses: a first-name/surname gazetteer, used only with context.

The gazetteer (`data/names.tsv.gz`, built by `data/build_names.py` from the `names-dataset`
package: first names in the top 1,000 and surnames in the top 2,000 of at least one of 105
countries) says whether a word is a known first name (f), surname (l), and also an ordinary English
word (w: "Will", "Mark", "Rose", "Street"). A word being in it is never enough on its own; a span is
reported when the context says "person":

1. a cue before it: "my name is", "call me", "name:", a title (Mr, Mrs, Ms, Dr, Prof...), "Dear",
   "directed by", a sign-off line ("Regards,\\n"), "Hi"/"Thanks" (weak cues need a gazetteer hit);
2. a run of capitalised words that starts with a known first name and ends with a known name
   ("Kriszti\u00e1n Sz\u00f6ll\u00f6sy", "Vide A. Persson"), at least one of them not an English word;
3. a single capitalised first name that is not an English word, inside a sentence ("Why is Natasja
   so impulsive?"), or at its start when a person verb, a possessive or a vocative comma follows
   ("Rintanen began writing", "Warrane, can I..."); speaker labels in transcripts ("Sara: ...");
   lists of three or more names ("Matheus, Janet, Nicholas and Terri").

Code-shaped tokens (dotted, underscored, camelCase, followed by "(") and names of software that are
also given names (Julia, Ruby, Jasmine...) are never taken. Label PERSON.
"""

from __future__ import annotations

import gzip
import re
import threading
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from maskgate.detect.spans import Span


def _words(s: str) -> list[str]:
    return s.split()


LABEL = "PERSON"
CUE_SCORE = 0.9
RUN_SCORE = 0.8
WEAK_CUE_SCORE = 0.86
SINGLE_SCORE = 0.7
DATA_FILE = "names.tsv.gz"

_lock = threading.Lock()
_gazetteer: dict[str, str] | None = None
_english: frozenset[str] | None = None


def english_words() -> frozenset[str]:
    """Ordinary lower-case English words (data/english_words.txt.gz, from Debian's wamerican)."""
    global _english
    with _lock:
        if _english is None:
            raw = resources.files("maskgate.detect").joinpath("data", "english_words.txt.gz").read_bytes()
            _english = frozenset(gzip.decompress(raw).decode("utf-8").split())
        return _english


def gazetteer() -> dict[str, str]:
    """lower-cased name -> flags ("f", "l", "w"), loaded once per process (~165k entries)."""
    global _gazetteer
    with _lock:
        if _gazetteer is None:
            raw = resources.files("maskgate.detect").joinpath("data", DATA_FILE).read_bytes()
            table: dict[str, str] = {}
            for line in gzip.decompress(raw).decode("utf-8").splitlines():
                name, _, flags = line.partition("\t")
                table[name] = flags
            _gazetteer = table
        return _gazetteer


# Software, products and everyday words that are also given names or surnames.
NOT_NAMES = frozenset(
    _words(
        """
        julia ruby jasmine sinon mocha chai karma jest django celery sphinx pandas flask nginx apache
        jenkins travis alexa siri cortana kafka hadoop maven gradle ansible puppet chef vagrant consul
        nomad helm istio envoy gunicorn tornado bottle pyramid jinja pydantic pytest black isort mypy
        ruff alembic marshmallow arrow pendulum boto paramiko fabric click typer rich textual swift
        kotlin scala elixir erlang haskell pascal perl lua dart rails laravel symfony flutter ionic
        angular ember backbone jquery lodash webpack babel rollup vite deno bun electron tauri hugo
        jekyll gatsby nuxt svelte solid remix astro prisma sequelize mongoose redux mobx axios express
        koa hapi nest fastify homebrew oracle tesla ford dell honda suzuki siemens bosch philips porsche
        ferrari disney boeing toyota nokia adobe mercedes audi volvo fiat nissan mazda subaru lexus ikea
        zara nike adidas puma gucci prada chanel hermes cartier rolex omega casio canon nikon sony
        lenovo asus acer intel nvidia amd qualcomm cisco juniper ubiquiti netgear linksys huawei xiaomi
        oppo vivo realme alcatel motorola samsung lg kia hyundai daewoo tata mahindra wipro infosys
        accenture deloitte kpmg mckinsey harvard stanford oxford cambridge princeton yale berkeley
        cornell columbia duke brown monday tuesday wednesday thursday friday saturday sunday january
        february march april may june july august september october november december jan feb mar apr
        jun jul aug sep sept oct nov dec god jesus christ allah buddha santa ok okay hello hi hey thanks
        thank dear regards best cheers sincerely yours team admin user root guest test demo null none
        true false error warning info debug mr mrs ms miss dr prof sir madam english french german
        spanish italian russian chinese japanese ubuntu debian fedora centos arch alpine mint manjaro
        gentoo slackware kali
        unicode posix json jsonl yaml toml xml html css rpc grpc http https tcp udp ascii utf stdin stdout
        stderr epoch metadata fallback linux unix macos ios android perl php java javascript typescript
        nodejs npm pypi conda regex sql sqlite postgres postgresql mysql mongo mongodb redis docker
        kubernetes terraform aws gcp azure github gitlab bitbucket jira confluence slack api sdk cli url uri
        uuid cron bash zsh vim emacs git popen async await utc iso oauth jwt webhook webhooks localhost
        """
    )
)
# Words that precede a name but are not part of it, trimmed from NER spans ("Email Jane Doe").
LEADING_NON_NAME = frozenset(
    _words(
        """
        email e-mail mail call ask tell contact ping message text thanks thank hi hello hey dear regards
        cheers cc attn attention producer director manager engineer doctor nurse patient client customer
        user employee agent officer detective inspector captain president senator governor mayor judge
        coach pastor father mother brother sister uncle aunt cousin grandma grandpa dad mom mum son
        daughter wife husband friend colleague boss said says told asked met meet with from to by and or
        for about re fwd fw note update welcome congratulations congrats sorry please remind reminder
        invite invited cc'd bcc
        """
    )
)
_TITLES = r"(?:mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|madam|mme|mlle|herr|frau|sr|sra|srta|señor|señora|fr|rev)"
_PARTICLES = frozenset(
    _words(
        """
        van von der den de del della di da dos das du la le ter ten bin ibn al el af av zu y mac st
        """
    )
)
_SURNAME_PARTICLES = frozenset({"van", "von", "ten", "ter", "zu"})
_PERSON_VERBS = frozenset(
    _words(
        """
        is was were are has have had said says asked told lives lived began begins spent flew went wrote writes called
        calls works worked joined joins will would can could should did does thinks thought wants wanted
        likes liked loves loved knows knew came comes left leaves arrived replied answered explained
        added noted agreed signed sent emailed paid bought moved died born married graduated studied
        teaches taught plays played sings sang directed starred recorded listed
        """
    )
)
_STOP = frozenset(
    _words(
        """
        a an the of and or to in on at for with from by my your our their his her its is are was were be
        this that these those it i you we they he she not no yes than then as if so but all any some
        just also very too here there when where what who how why which while because about into over
        after before again once only own same such both each few more most other nor up down out off
        i'm i've i'll i'd im ive
        """
    )
)

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?|[^\W\d_]\.")
_STRONG_CUE = re.compile(
    r"(?:\b(?:my|his|her|their|your|our|the)\s+(?:full\s+|first\s+|last\s+|maiden\s+|middle\s+|given\s+|family\s+|sur)?"
    r"name\s+(?:is|was|'s|’s)\s+|(?:\b|_)(?:(?:full|first|last|maiden|given|family|patient|client|middle)[\s_-]*|sur)?"
    r"name[\"']?\s*(?:[:=]|\?|-)\s*[\"']?|\bcall(?:s|ed)?\s+me\s+|\b(?:i\s+am|is|was|be|being)\s+called\s+|\bnamed\s+|\bknown\s+as\s+|"
    rf"\b{_TITLES}\.?[ \t]+|\bdear\s+|\b(?:directed|written|produced|signed|authored|performed|narrated)\s+by:?\s+|"
    r"\b(?:patient|client|customer|employee|attn|attention|contact\s+person|account\s+holder|cardholder|"
    r"card\s+holder|beneficiary|recipient|applicant|tenant|landlord|caller|requester|reporter|assignee|"
    r"author|owner)\s*:\s*)$",
    re.IGNORECASE,
)
_WEAK_CUE = re.compile(
    r"(?:\b(?:hi|hello|hey|thanks|thank\s+you|cheers|welcome|congratulations|congrats|sorry|bye|morning|"
    r"evening)\s*,?\s+|\bi'?m\s+|\bi\s+am\s+|\bthis\s+is\s+|\bit'?s\s+|\bwith\s+|\bfrom\s+|\bby\s+|"
    r"\b(?:ask|tell|email|e-mail|call|ping|message|text|contact|cc|meet|met|thank|invite|remind|see|"
    r"saw|visit|visited|married|dating|says|said|told|asked|under)\s+)$",
    re.IGNORECASE,
)
_SIGNOFF = re.compile(  # a sign-off line on its own: "Kind regards,\n", "Thanks!\n", "--\n"
    r"(?:^|\n)[ \t]*(?:(?:kind|best|warm|many|with)[ \t]+)?(?:regards|best|thanks|thank[ \t]+you|cheers|sincerely|"
    r"yours(?:[ \t]+(?:truly|sincerely|faithfully))?|respectfully|warmly|love|take[ \t]+care|all[ \t]+the[ \t]+best|--?|—)"
    r"[ \t]*[,.!]?[ \t]*\r?\n[ \t]*$",
    re.IGNORECASE,
)
# Cues after which a lower-case word may still be a name ("my name is vitoria", "mr. elliott").
_LOWER_CUE = re.compile(
    r"(?:\b(?:my|his|her|their|your|our)\s+(?:full\s+|first\s+|last\s+|maiden\s+|middle\s+|given\s+|family\s+|sur)?"
    rf"name\s+(?:is|was|'s|’s)\s+|\bcall(?:s|ed)?\s+me\s+|(?:^|\n)[ \t]*(?:full\s+)?name\s*:\s*|\b{_TITLES}\.?[ \t]+)$",
    re.IGNORECASE,
)


# Verbs after which people type a colleague's name in lower case in chat.
_LOWER_VERB_CUE = re.compile(
    r"\b(?:ask|tell|ping|email|e-mail|message|dm|cc|thank|invite|remind|call)\s+$", re.IGNORECASE
)


# A speaker label's line start: optional quote marks or a chat timestamp ("[10:02] ").
_LINE_PREFIX = re.compile(r"[ \t>]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?\]?[ \t]*(?:-[ \t]*)?)?")


def _at_line_start(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", max(0, pos - 40), pos) + 1
    if line_start == 0 and pos > 40:
        return False
    return _LINE_PREFIX.fullmatch(text, line_start, pos) is not None


# after a speaker label: prose (two words at least, or a quote), not "field: Type" or "key: value"
_SPEAKER_AFTER = re.compile(r"[ \t]*:[ \t]*(?:[\"“'‘]|[^\W\d_][\w'’,]*[ \t]+[^\W\d_])")
_NOT_SPEAKERS = frozenset(
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
_KIN_AFTER = re.compile(
    r"(?:'s|’s)[ \t]+(?:daughter|son|wife|husband|mother|father|mom|mum|dad|brother|sister|parents|"
    r"children|kids|baby|partner|girlfriend|boyfriend|fianc[eé]e?|widow|aunt|uncle|cousin|grandmother|"
    r"grandfather|niece|nephew|friend|boss|colleague|lawyer|doctor|killers?|family|funeral|death|birthday)\b",
    re.IGNORECASE,
)
_STRONG_VERB_AFTER = re.compile(
    r"[ \t]+(?:spent|began|shouted|whispered|explained|replied|lives|lived|flew|married|graduated|"
    r"studied|was born|died|listed|wrote|said|told|asked)\b"
)
_EMAIL_LOCAL = re.compile(r"(?<![\w.+-])([A-Za-z][A-Za-z0-9._+-]{2,63})@[A-Za-z0-9-]+\.[A-Za-z.]{2,}")
_LIST_SEP = re.compile(r",[ \t]*|,?[ \t]+(?:and|&)[ \t]+")
# A line holding only a name (two to four words, initials allowed), at a block's start.
_NAME_LINE = re.compile(
    r"(?:^|\n)[ \t]*(?:>+[ \t]*|\?{3}[ \t]*|[-*•][ \t]+)?(?P<name>[^\W\d_][\w'’-]*(?:[ \t]+(?:[^\W\d_]\.?|[^\W\d_][\w'’-]*)){1,3})[ \t]*(?=\r?\n)"
)


@dataclass
class _Tok:
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


def _is_cap(word: str) -> bool:
    if not word[0].isupper():
        return False
    rest = word[1:].replace("'", "").replace("’", "").replace("-", "").rstrip(".")
    if not rest:
        return True
    if rest.islower():
        return True
    # McDonald, MacLeod, O'Brien, DeMarco, Jean-Luc, Hauta-Aho
    return bool(re.fullmatch(r"(?:c|ac|e|a|i)?[A-Z]?[^\W\d_]*", rest)) and sum(c.isupper() for c in rest) <= 1


class NameLayer:
    """Gazetteer names with context (see the module docstring). Label: PERSON."""

    name = "names"
    version = "2"

    def __init__(self) -> None:
        self.table = gazetteer()

    def fingerprint(self) -> str:
        return f"names:{self.version}:{len(self.table)}"

    def tokens(self, text: str) -> list[_Tok]:
        out = []
        for m in _TOKEN.finditer(text):
            word = m.group(0)
            core = word.rstrip(".")
            if len(core) > 3 and core[-2:] in ("'s", "’s"):
                core = core[:-2]  # a possessive: "Misty's" is the name "Misty"
                word = core
            key = core.lower().replace("’", "'")
            initial = len(core) == 1 and core.isupper()
            out.append(
                _Tok(
                    m.start(),
                    m.start() + len(core) + (1 if initial and word.endswith(".") else 0),
                    core,
                    key,
                    self.table.get(key, ""),
                    _is_cap(core),
                    initial,
                    key in _PARTICLES,
                )
            )
        return out

    def detect(self, text: str) -> list[Span]:
        toks = self.tokens(text)
        if not toks:
            return []
        spans: list[tuple[int, int, float]] = []
        used = [False] * len(toks)
        self._cues(text, toks, spans, used)
        self._speakers(text, toks, spans, used)
        self._runs(text, toks, spans, used)
        self._shapes(text, toks, spans, used)
        self._lower_runs(text, toks, spans, used)
        self._header_lines(text, toks, spans, used)
        self._lists(text, toks, spans, used)
        self._singles(text, toks, spans, used)
        self._email_names(text, toks, spans, used)
        self._repeats(text, toks, spans, used)
        return [Span(s, e, LABEL, sc, self.name) for s, e, sc in sorted(spans)]

    # -- transcripts: "Sara: ..." on several lines ------------------------------------------------
    def _speakers(
        self, text: str, toks: list[_Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        if text.count(":") < 2:
            return
        found = [
            i
            for i, t in enumerate(toks)
            if (t.cap or t.name)
            and not t.initial
            and _at_line_start(text, t.start)
            and _SPEAKER_AFTER.match(text, t.end)
        ]
        if len(found) < 2:
            return
        labels = [toks[i] for i in found if toks[i].key not in NOT_NAMES and toks[i].key not in _NOT_SPEAKERS]
        if len(labels) < 2 or sum(1 for t in labels if t.name) * 2 < len(labels):
            return
        for i in found:
            t = toks[i]
            if t.key in NOT_NAMES or t.key in _NOT_SPEAKERS or used[i]:
                continue
            spans.append((t.start, t.end, RUN_SCORE))
            used[i] = True

    # -- lower-case full names: "follow up with patricia desrosiers" ---------------------------------
    def _lower_runs(
        self, text: str, toks: list[_Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        n = len(toks)
        for i, t in enumerate(toks):
            if (
                used[i]
                or t.cap
                or "f" not in t.flags
                or "w" in t.flags
                or t.key in NOT_NAMES
                or _code_context(text, t)
            ):
                continue
            j = i + 1
            if j < n and len(toks[j].text) == 1 and text[t.end : toks[j].start] == " ":
                j += 1  # a middle initial: "benjamin a seiler"
            if j >= n or text[toks[j - 1].end : toks[j].start] not in (" ", ". ", " "):
                continue
            last = toks[j]
            if last.cap or used[j] or "w" in last.flags or not last.flags or last.key in NOT_NAMES:
                continue
            if _code_context(text, last):
                continue
            spans.append((t.start, last.end, SINGLE_SCORE))
            for k in range(i, j + 1):
                used[k] = True

    # -- a line that is only a name, heading a block (signatures, contact cards, addresses) ----------
    def _header_lines(
        self, text: str, toks: list[_Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        starts = [t.start for t in toks]
        if "\n" not in text:
            return
        for m in _NAME_LINE.finditer(text):
            a, b = m.span("name")
            idx = list(range(bisect_left(starts, a), bisect_left(starts, b)))
            if not idx or any(used[i] for i in idx):
                continue
            words = [toks[i] for i in idx if not toks[i].initial]
            if not 2 <= len(words) <= 3 or any(
                w.key in NOT_NAMES or w.key in LEADING_NON_NAME for w in words
            ):
                continue
            if not any(w.clean_name for w in words) or sum("w" in w.flags for w in words) > 1:
                continue
            lower_names = text[a:b].islower() and all(
                w.name and "w" not in w.flags and w.key not in english_words() for w in words
            )
            if not (all(w.cap for w in words) or lower_names):
                continue
            spans.append((a, b, SINGLE_SCORE))
            for i in idx:
                used[i] = True

    # -- lists: "Matheus, Janet, Nicholas and Terri"; "Nekolná and Pearson were" ---------------------
    def _lists(
        self, text: str, toks: list[_Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        n = len(toks)

        def next_item(j: int) -> tuple[int, bool] | None:
            if j + 1 >= n:
                return None
            gap = text[toks[j].end : toks[j + 1].start]
            if re.fullmatch(r",[ \t]*", gap):
                if (
                    toks[j + 1].key == "and"
                    and j + 2 < n
                    and text[toks[j + 1].end : toks[j + 2].start] == " "
                ):
                    return j + 2, True
                return j + 1, False
            if (
                gap == " "
                and toks[j + 1].key == "and"
                and j + 2 < n
                and text[toks[j + 1].end : toks[j + 2].start] == " "
            ):
                return j + 2, True
            if re.fullmatch(r"[ \t]*&[ \t]*", gap):
                return j + 1, True
            return None

        i = 0
        while i < n:
            items = [i]
            joined = False
            while (nx := next_item(items[-1])) is not None:
                items.append(nx[0])
                joined = joined or nx[1]
                if nx[1]:
                    break  # "and" closes the list
            i = items[-1] + 1 if len(items) > 1 else i + 1
            if len(items) < 2 or not joined:
                continue
            same_case = all(toks[k].cap for k in items) or all(toks[k].text.islower() for k in items)
            if not same_case or any(
                toks[k].initial or toks[k].key in _STOP or _code_context(text, toks[k]) for k in items
            ):
                continue
            english = english_words()
            if any(toks[k].key in english and "f" not in toks[k].flags for k in items):
                continue  # "Wisdom and Discipline", "Salt, Pepper and Sugar"
            names = sum(1 for k in items if toks[k].name)
            if len(items) == 2:
                nxt = toks[items[-1] + 1] if items[-1] + 1 < n else None
                if not (nxt and nxt.key in _PERSON_VERBS and text[toks[items[-1]].end : nxt.start] == " "):
                    continue
                if names < 1 or not all(toks[k].cap for k in items):
                    continue
            elif names < max(2, (len(items) * 2 + 2) // 3) or not any(toks[k].clean_name for k in items):
                continue
            for k in items:
                if used[k] or toks[k].key in NOT_NAMES:
                    continue
                spans.append((toks[k].start, toks[k].end, SINGLE_SCORE))
                used[k] = True

    # -- names spelled out in an e-mail address of the same text ("Lara Fiorentino" ... LaraFiorentino@) --
    def _email_names(
        self, text: str, toks: list[_Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        if "@" not in text:
            return
        locals_ = [m.group(1).lower() for m in _EMAIL_LOCAL.finditer(text)]
        if not locals_:
            return
        pieces = {p for loc in locals_ for p in re.split(r"[._+-]+", loc) if len(p) >= 3 and p.isalpha()}
        joined = {re.sub(r"[._+-]+", "", loc) for loc in locals_}
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            if used[i] or not t.cap or t.initial or _code_context(text, t):
                i += 1
                continue
            j = i + 1
            while (
                j < n
                and j - i < 4
                and toks[j].cap
                and text[toks[j - 1].end : toks[j].start] in (" ", "  ", ". ")
            ):
                j += 1
            group = [g for g in toks[i:j] if not g.initial]
            keys = [g.key for g in group]
            whole = "".join(keys)
            match = len(group) >= 2 and (
                whole in joined or any(loc.startswith(whole) or loc.endswith(whole) for loc in joined)
            )
            english = english_words()
            plain_words = all(k in english or k in NOT_NAMES or k in LEADING_NON_NAME for k in keys)
            if not plain_words and (match or (len(group) >= 2 and all(k in pieces for k in keys))):
                spans.append((toks[i].start, toks[j - 1].end, RUN_SCORE))
                for k in range(i, j):
                    used[k] = True
                i = j
            else:
                i += 1

    # -- the surname or given name of a name found above, used again alone ---------------------------
    def _repeats(
        self, text: str, toks: list[_Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        starts = [t.start for t in toks]
        known: set[str] = set()
        for a, b, _ in spans:
            part = [
                t
                for t in toks[bisect_left(starts, a) : bisect_left(starts, b)]
                if not t.initial and len(t.text) > 2
            ]
            if len(part) >= 2:
                known.update(t.key for t in part if "w" not in t.flags and t.key not in NOT_NAMES)
        if not known:
            return
        for i, t in enumerate(toks):
            if (
                not used[i]
                and t.key in known
                and (t.cap or text[max(0, t.start - 60) : t.end].islower())
                and not _code_context(text, t)
            ):
                spans.append((t.start, t.end, SINGLE_SCORE))
                used[i] = True

    # -- 1. cues ------------------------------------------------------------------------------
    def _cues(
        self, text: str, toks: list[_Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        # where each kind of cue ends (one pass each over the text, not one search per word)
        strong_ends = _cue_ends(_STRONG_CUE, text)
        weak_ends = _cue_ends(_WEAK_CUE, text)
        signoff_ends = _cue_ends(_SIGNOFF, text)
        lower_ends = _cue_ends(_LOWER_CUE, text)
        lower_verb_ends = _cue_ends(_LOWER_VERB_CUE, text)
        for i, t in enumerate(toks):
            if used[i] or _code_context(text, t):
                continue
            before = text[max(0, t.start - 50) : t.start]
            signoff = t.start in signoff_ends and _line_is_short(text, t)
            strong = t.start in strong_ends or signoff
            weak = not strong and t.start in weak_ends
            if not t.cap:
                # chat: "I'll ask kofi", "ping lena": a given name that is no English word, one token
                if (
                    t.start in lower_verb_ends
                    and t.clean_name
                    and "f" in t.flags
                    and t.key not in english_words()
                    and t.key not in NOT_NAMES
                    and not re.match(r"[ \t]*[,=\]:;(\[{.]\w", text[t.end : t.end + 3])
                ):
                    spans.append((t.start, t.end, WEAK_CUE_SCORE))
                    used[i] = True
                    continue
                # lower case: only after "my name is"-like cues, a gazetteer name or a word that is no
                # ordinary English word, and not followed by code punctuation ("name: str)")
                if not (strong and not signoff and t.start in lower_ends):
                    continue
                if t.key in english_words() and not t.clean_name:
                    continue
                if re.match(r"[ \t]*[,=\]:;(\[{]", text[t.end : t.end + 2]):
                    continue
                field = re.search(r"name\s*:\s*$", before, re.IGNORECASE) is not None
                if field and not t.clean_name and not re.match(r"[ \t]+[^\W\d_]", text[t.end : t.end + 2]):
                    continue  # "name: api" is a config value; "name: hyuuma t. maida" a person
            if not (strong or weak):
                continue
            if t.key in _STOP or t.key in NOT_NAMES or t.particle or t.key in LEADING_NON_NAME:
                continue
            j = self._extend_name(text, toks, i, lower_ok=strong and not t.cap)
            group = toks[i:j]
            if not group:
                continue
            if strong:
                if not t.cap and not (t.name or _ends_clause(text, group[-1].end)):
                    continue
                if t.cap and not (
                    t.name or len(group) > 1 or _ends_clause(text, group[-1].end) or "w" not in t.flags
                ):
                    continue
                if len(group) == 1 and not t.name and t.key in english_words():
                    continue  # "Thanks,\nFacilities": a team, not a person
            else:
                if not t.cap or not any(g.clean_name for g in group):
                    continue
            # a cue and the gazetteer agreeing outrank the model's guess of another type ("by Marcus")
            spans.append((group[0].start, group[-1].end, CUE_SCORE if strong else WEAK_CUE_SCORE))
            for k in range(i, j):
                used[k] = True

    def _extend_name(self, text: str, toks: list[_Tok], i: int, lower_ok: bool) -> int:
        """Index after the last token of the name starting at toks[i] (same line, ≤ 4 words)."""
        j = i + 1
        while j < len(toks) and j - i < 5:
            prev, t = toks[j - 1], toks[j]
            gap = text[prev.end : t.start]
            if gap not in (" ", "  ", "-", " - ") and not (gap == "" and prev.initial):
                break
            if t.key in _STOP and not t.particle:
                break
            if (
                t.cap
                or t.initial
                or (t.particle and j + 1 < len(toks) and toks[j + 1].cap)
                or (lower_ok and (t.name or (len(t.text) == 1)))
            ):
                pass
            else:
                break
            if t.cap and not (t.name or t.initial) and "w" in t.flags:
                break
            j += 1
        while j - 1 > i and toks[j - 1].particle:
            j -= 1
        return j

    # -- 2. runs of capitalised words -----------------------------------------------------------
    def _runs(
        self, text: str, toks: list[_Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        i = 0
        n = len(toks)
        while i < n:
            t = toks[i]
            if (
                used[i]
                or not t.cap
                or t.initial
                or not t.name
                or "f" not in t.flags
                or t.key in _STOP  # "The", "An": given names somewhere, but not at a run's head
                or _code_context(text, t)
            ):
                i += 1
                continue
            j = i + 1
            while j < n and j - i < 5:
                prev, nxt = toks[j - 1], toks[j]
                gap = text[prev.end : nxt.start]
                if gap not in (" ", "-") and not (gap == "" and prev.initial):
                    break
                if used[j] or _code_context(text, nxt):
                    break
                if nxt.initial or (nxt.particle and j + 1 < n and toks[j + 1].cap) or (nxt.cap and nxt.name):
                    j += 1
                    continue
                if nxt.cap and not nxt.flags and len(nxt.text) > 2 and j - i == 1 and t.clean_name:
                    j += 1  # an unknown surname after an unambiguous first name: "Natasja Xyzowska"
                    continue
                break
            while j - 1 > i and (toks[j - 1].particle or toks[j - 1].initial):
                j -= 1
            group = toks[i:j]
            if len(group) >= 2 and any(g.clean_name for g in group if not g.initial):
                spans.append((group[0].start, group[-1].end, RUN_SCORE))
                for k in range(i, j):
                    used[k] = True
                i = j
            else:
                i += 1

    def _shapes(
        self, text: str, toks: list[_Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        """Runs of capitalised words that are not ordinary English words, shaped like a full name:
        with a middle initial ("Ravil G Yefimov") or with a known name in them ("Rościsław Dudek")."""
        english = english_words()
        n = len(toks)

        def wordlike(t: _Tok) -> bool:
            return (
                t.cap
                and not t.initial
                and not t.text.isupper()
                and t.key not in english
                and t.key not in NOT_NAMES
                and t.key not in LEADING_NON_NAME
                and not _code_context(text, t)
            )

        i = 0
        while i < n:
            if used[i] or not wordlike(toks[i]):
                i += 1
                continue
            j = i + 1
            while j < n and j - i < 4 and not used[j]:
                gap = text[toks[j - 1].end : toks[j].start]
                if gap != " " and not (gap == "" and toks[j - 1].initial):
                    break
                t = toks[j]
                after_particle = (
                    toks[j - 1].particle and t.cap and not t.text.isupper() and t.key not in _STOP
                )
                if (
                    wordlike(t)
                    or t.initial
                    or after_particle
                    or (t.particle and j + 1 < n and toks[j + 1].cap)
                ):
                    j += 1
                    continue
                break
            while j - 1 > i and (toks[j - 1].initial or toks[j - 1].particle):
                j -= 1
            group = toks[i:j]
            words = [g for g in group if not g.initial and not g.particle]
            has_initial = any(g.initial for g in group)
            # a Dutch or German particle between two capitalised words: "Willemine ten Pas"
            has_particle = any(g.key in _SURNAME_PARTICLES for g in group[1:-1])
            if len(words) >= 2 and (has_initial or has_particle or any(g.clean_name for g in words)):
                spans.append((group[0].start, group[-1].end, SINGLE_SCORE + 0.05))
                for k in range(i, j):
                    used[k] = True
                i = j
            else:
                i += 1

    # -- 3. single names -------------------------------------------------------------------------
    def _singles(
        self, text: str, toks: list[_Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        n = len(toks)
        english = english_words()
        for i, t in enumerate(toks):
            # "Misty's daughter", "roberto's wife": a possessive before a kinship word
            if used[i] or t.initial or _code_context(text, t) or t.key in NOT_NAMES:
                continue
            m = _KIN_AFTER.match(text, t.end)
            strong_verb = _STRONG_VERB_AFTER.match(text, t.end)
            if m and (t.name or t.key not in english) and (t.cap or (t.name and "w" not in t.flags)):
                spans.append((t.start, t.end, SINGLE_SCORE))
                used[i] = True
            elif (
                strong_verb
                and t.cap
                and not t.text.isupper()
                and t.key not in english
                and t.key not in LEADING_NON_NAME
                and _sentence_start(text, t.start)
            ):
                spans.append((t.start, t.end, SINGLE_SCORE))  # "Aristóteles spent a year at..."
                used[i] = True
        for i, t in enumerate(toks):
            if used[i] or not t.cap or t.initial or not t.clean_name or _code_context(text, t):
                continue
            if t.text.isupper() and len(t.text) > 1:
                continue
            after = text[t.end : t.end + 30]
            nxt = toks[i + 1] if i + 1 < n else None
            start_of_sentence = _sentence_start(text, t.start)
            speaker = start_of_sentence and re.match(r":[ \t]*[\"“'A-Za-z]", after) is not None
            possessive = after[:2] in ("'s", "’s")
            adjacent = nxt is not None and text[t.end : nxt.start] == " "
            verb = adjacent and nxt is not None and nxt.key in _PERSON_VERBS
            vocative = re.match(r",[ \t]+(?:[a-z]|I\b)", after) is not None or (
                re.match(r"[ \t]*[?!]", after) and (text[max(0, t.start - 2) : t.start] == ", ")
            )
            listed = _in_name_list(text, toks, i)
            first = "f" in t.flags
            if (
                first
                and not start_of_sentence
                and not (adjacent and nxt is not None and nxt.cap and not nxt.name)
            ):
                ok = True  # a known given name inside a sentence: "Why is Natasja so impulsive?"
            else:
                ok = bool(speaker or possessive or verb or vocative or listed)
            if ok:
                spans.append((t.start, t.end, SINGLE_SCORE))
                used[i] = True


def _in_name_list(text: str, toks: list[_Tok], i: int) -> bool:
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


def _cue_ends(rx: re.Pattern[str], text: str) -> set[int]:
    """End offsets of the cue `rx` (written anchored at the end with `$`) anywhere in `text`."""
    free = _UNANCHORED.get(rx)
    if free is None:
        pattern = rx.pattern[:-1] if rx.pattern.endswith("$") else rx.pattern
        free = _UNANCHORED[rx] = re.compile(pattern, rx.flags)
    return {m.end() for m in free.finditer(text)}


def _sentence_start(text: str, start: int) -> bool:
    k = start - 1
    while k >= 0 and text[k] in " \t\"“‘'(>*-":
        k -= 1
    return k < 0 or text[k] in ".!?\n:;"


def _ends_clause(text: str, end: int) -> bool:
    return bool(
        re.match(
            r"[ \t]*(?:$|\r?\n|[.,;:!?)\"”']|\s+(?:but|and|from|here|speaking|calling)\b)",
            text[end : end + 12],
        )
    )


def _line_is_short(text: str, t: _Tok) -> bool:
    line_end = text.find("\n", t.start)
    line = text[t.start : len(text) if line_end < 0 else line_end]
    return len(line.split()) <= 4


def _code_context(text: str, t: _Tok) -> bool:
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


# Generic abbreviations the model takes for organisations ("my SSN", "from the ATM").
NOT_ORGS = frozenset(
    _words(
        """
        ssn ein itin iban bic swift pin cvv cvc atm asap fyi eta faq ceo cfo cto coo cio hr it pr qa ui
        ux url uri pdf csv json xml html css api sdk cli gui id dob nhs nino tfn abn irs dmv vat gst kyc
        aml otp mfa 2fa sms mms usb ssd hdd cpu gpu ram rom os vm vpn dns ip tcp udp http https ssh ftp
        smtp imap pop tls ssl jwt oauth saml ldap sso rsvp tbd tba eod eow ooo wfh pto
        """
    )
)


def refine_entity(text: str, label: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Post-filter for NER spans: PERSON spans are split at line breaks and lose leading and
    trailing non-name words ("Email Jane Doe" → "Jane Doe"); ORG spans that are a generic
    abbreviation ("SSN", "ATM") are dropped."""
    value = text[start:end]
    if not any(c.isalpha() for c in value):
        return []  # "&&": no name without letters
    if value.islower() and _cased_around(text, start, end):
        return []  # "stdin", "max": a writer who capitalises writes names capitalised
    parts = [w for w in re.split(r"[\s-]+", value.lower()) if w]
    if parts and all(w in NOT_NAMES for w in parts):
        return []  # "JSON-RPC", "Unicode", "Linux": technology, not a name or a place
    if _CODE_VALUE.search(value):
        return []  # java.lang, self.customer, TypeError, UserCard
    if (start > 0 and text[start - 1] in "/\\") or re.match(r"[/\\]|\.[A-Za-z0-9]", text[end : end + 2]):
        return []  # a path component: "config/team.yaml"
    if label == "PERSON":
        return [
            _grow_person(text, a, b)
            for a, b in refine_person(text, start, end)
            if not _ordinary_word(text[a:b], person=True)
            and not _ordinary_phrase(text[a:b], person=True)
            and not _not_a_person(text, a, b)
        ]
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
        if " " not in word and word.isupper() and len(word) <= 5:
            return []  # INFO, USD, NDA: an upper-case abbreviation alone is not a named organisation
    return [(start, end)]


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
            _is_cap(word)
            and len(word) > 1
            and not word.isupper()
            and key not in english_words()
            and key not in NOT_NAMES
            and key not in LEADING_NON_NAME
            and key not in _STOP
        ):
            start = w.start(1)
    return start, end


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
    # "Mark", "Rose": a given name the model saw as one stays
    return not (person and "f" in gazetteer().get(key, ""))


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
        if key in _STOP:
            continue
        if key not in english and key not in NOT_NAMES:
            return False
        if person and ("f" in table.get(key, "") or "l" in table.get(key, "")):
            return False
    return not all(w.lower() in _STOP for w in words)


refine_entity.version = "4"  # type: ignore[attr-defined]


def refine_person(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Trim an NER PERSON span: split at line breaks, drop leading/trailing non-name words
    ("Email Jane Doe" → "Jane Doe", "Allan\\nEchocardiographer" → "Allan")."""
    table = gazetteer()
    pieces: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        words = [(m.start() + a, m.end() + a, m.group(0)) for m in re.finditer(r"\S+", line)]
        while words and words[0][2].lower().strip(",:;.") in LEADING_NON_NAME:
            words.pop(0)
        while words and words[-1][2].lower().strip(",:;.") in LEADING_NON_NAME:
            words.pop()
        if words:
            pieces.append((words[0][0], words[-1][1]))
    if len(pieces) > 1:
        # keep the lines that look like names; the first one when none does
        named = [
            p for p in pieces if any(table.get(w.lower().strip(",.")) for w in text[p[0] : p[1]].split())
        ]
        pieces = named[:1] if named else pieces[:1]
    return pieces
