"""User names without a field label (label USERNAME): logins made from a person's name, written
anywhere (`jdoe`, `maria.gonzalez`, `dana_k`, `sarah92`), logins after a cue in prose (`my handle is
jess.marlowe_`, `Jira user cwei`, `the account theo.marchetti`) and profile links without a scheme
(`github.com/priyanka-dev`, `linkedin.com/in/dana-kim-4b1a27`, `twitch.tv/kevhollis`).

A name-derived login needs no context, so it is held to shapes no ordinary word has: an initial and a
surname, a first name and a surname joined, a first name and digits, never an English word or a
software name, and never a service account (`svc-backup`, `deploy`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.patterns.accounts import is_service_account
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.patterns.literals import CODE_OBJECTS, CODE_WORDS, TITLE_WORD
from maskgate.detect.patterns.usernames_fields import login_not_word
from maskgate.detect.spans import Span
from maskgate.detect.words import NOT_NAMES, english_words, gazetteer, word_list

# -- logins made from a name, anywhere --------------------------------------------------------------

# a lower-case token that is not part of an e-mail, path, URL host or dotted code name
# (a second separator only before an initial or digits: `mikey.b.2004`, `j.r.tolkien` is no login)
_TOKEN = re.compile(
    r"(?<![\w.@/\\:'’$%#=-])[a-z][a-z0-9]*(?:[._][a-z](?=[._][a-z]{3}))?(?:[._-][a-z0-9]+)?(?:[._-](?:[a-z]|\d{2,4})(?=[._-]\d{2,4}\b))?"
    r"(?:[._-]\d{2,4}(?=\W|$))?(?![\w@'’(]|[.:/=-]\w)"
)
_DIGITS_END = re.compile(r"\d{1,4}$")
# chat slang and short words the gazetteer knows as surnames
_SLANG = frozenset(
    word_list(
        "lmao lmfao smh tbh imo imho omg wtf idk ikr brb btw fyi afaik irl rofl ngl tbf asap wfh ooo pto "
        "yall gonna wanna gotta kinda sorta dunno lemme gimme ya yeah yep nope okay pls plz thx tysm"
    )
)
# short words of code that are also names in the gazetteer (`max_len`, `min_val`)
_CODE_PARTS = frozenset(
    word_list("max min len str num idx tmp buf ptr src dst cnt msg err val var arg obj req res ctx cfg")
)
# names of algorithms, encodings and formats that take digits (`sha256`, `utf8`, `mp4`)
_TECH = frozenset(
    word_list("sha md crc utf ucs rsa aes des ipv tls ssl http mpeg win mac ios api ecdsa ed ntlm")
)


# a person's second, privileged account: `rmenon-adm`, `chen.wei-admin`
_ADMIN_SUFFIXES = frozenset(word_list("adm admin priv da sa"))


_tables: list[tuple[dict[str, str], frozenset[str]]] = []


def _lists() -> tuple[dict[str, str], frozenset[str]]:
    """The gazetteer and the English words, fetched once (their getters take a lock on each call)."""
    if not _tables:
        _tables.append((gazetteer(), english_words()))
    return _tables[0]


def _flags(word: str) -> str:
    return _lists()[0].get(word, "")


def _english(word: str) -> bool:
    return word in _lists()[1]


def _first(word: str) -> bool:
    return len(word) >= 3 and "f" in _flags(word) and not _english(word) and word not in NOT_NAMES


def _any_name(word: str) -> bool:
    return len(word) >= 3 and bool(set(_flags(word)) & {"f", "l"}) and word not in NOT_NAMES


def _surname(word: str, *, common_ok: bool) -> bool:
    """A surname of 3+ letters; one that is also an English word (`doe`, `brown`) only where digits or
    a separator already say login (`jdoe7`, `j.brown`)."""
    if len(word) < 3 or "l" not in _flags(word) or word in NOT_NAMES:
        return False
    return common_ok or not _english(word)


# two letters that open English words (`sulfa`, `bokeh`, `charon`): an initial and a surname seldom do
_ENGLISH_ONSET = re.compile(
    r"[aeiou][a-z]|[bcdfghjklmnpqrstvwxyz][aeiouy]|bl|br|ch|cl|cr|dr|dw|fl|fr|gh|gl|gn|gr|kn|ph|pl|pr|ps|qu|"
    r"sc|sh|sk|sl|sm|sn|sp|st|sw|th|tr|tw|wh|wr"
)


def name_login(token: str) -> str | None:
    """ "strong" for a login no word is shaped like (`sarah92`, `maria.gonzalez`, `dana_k`,
    `j.kowalczyk`, `mkowalski`, `tzielinski`); "weak" for one an unknown word could be (`alopez`,
    `danakim`), which needs one of its names elsewhere in the text; None otherwise."""
    low = token.lower()
    english = _lists()[1]
    if low in english or low in _SLANG or low in CODE_WORDS or is_service_account(low):
        return None
    digits = _DIGITS_END.search(low)
    stem = low[: digits.start()] if digits else low
    if stem in _TECH:
        return None  # `sha256`
    if stem[-1:] in "._-":  # `jhollis_88`, `tbrooks_911`; not `mail-2`
        bare = stem.rstrip("._-")
        return None if bare in english or not bare else name_login(bare + (digits.group(0) if digits else ""))
    parts = [p for p in re.split(r"[._-]", stem) if p]
    if any(c.isdigit() for p in parts for c in p):
        return None
    if len(parts) == 3 and len(parts[1]) == 1 and len(parts[0]) > 1 and len(parts[2]) > 1:
        return name_login(parts[0] + "." + parts[2])  # `marisol.v.ortega`
    if len(parts) == 2 and parts[1] in _ADMIN_SUFFIXES and not digits:
        return "strong" if name_login(parts[0]) else None  # `rmenon-adm`: a person's admin account
    if len(parts) == 2:
        a, b = parts
        if a in CODE_OBJECTS or b in CODE_WORDS or (a in english and b in english):
            return None
        if len(a) == 1:
            ok = _surname(b, common_ok=False) or _first(b)
        elif len(b) == 1:
            ok = _first(a) or _surname(a, common_ok=False)
        else:
            # `maria.gonzalez`, `john.smith`; not `iban_last4`, `read_only`: one of the two names is
            # no English word (`maria` is one: the plural of `mare`)
            ok = (
                (_first(a) or _surname(a, common_ok=False))
                and (_surname(b, common_ok="." in stem and _first(a)) or _first(b))
            ) or ("f" in _flags(a) and _any_name(b) and b not in english and not {a, b} & _CODE_PARTS)
        return "strong" if ok else None
    if len(parts) != 1:
        return None
    p = parts[0]
    if p in NOT_NAMES or p in _SLANG:
        return None
    if digits and (_first(p) or _surname(p, common_ok=False)):
        return "strong"  # `sarah92`, `okafor88`
    if digits and len(digits.group(0)) >= 2 and len(p) >= 5 and not _english(p) and _first(p[:-1]):
        return "strong"  # `mikeyb2004`, `sarahk22`: a first name, an initial, digits
    if _flags(p):
        return None  # a name alone is the name layer's (PERSON)
    if len(p) >= 4 and _surname(p[1:], common_ok=True):
        if _english(p[1:]) and not digits:
            return None if _ENGLISH_ONSET.match(p) else "weak"  # `jdoe`, `jsmith`
        if digits or not _ENGLISH_ONSET.match(p):
            return "strong"  # `mkowalski`, `jdoe7`
        return "weak"  # `alopez`, `swebb` (but `charon`, `sulfa`)
    if any(_first(p[:i]) and _surname(p[i:], common_ok=False) for i in range(3, len(p) - 2)):
        return "strong" if digits else "weak"  # `danakim`
    return None


def _words_of(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{3,}", re.sub(r"(?<=\w)['’](?=\w)", "", text.lower())))


def _named_in(words: set[str], token: str) -> bool:
    """One of the names a weak login is made of occurs in the text as a word (`met dana ... danakim`,
    `Ana Lopez ... alopez`); `words` are the text's words (`_words_of`)."""
    low = re.sub(r"\d+$", "", token.lower())
    parts = [low[1:]] + [low[:i] for i in range(3, len(low) - 2)] + [low[i:] for i in range(3, len(low) - 2)]
    return any(len(p) >= 3 and p != low and p in words and _flags(p) for p in parts)


# where a word alone stands for an account: `(akhan)`, `<jdoe>`, `jdoe -> akhan`, `assigned to: jdoe`
_SLOT_BEFORE = re.compile(
    r"(?:[(<\[]|(?:->|→|=>)[ \t]*|(?:assign(?:ed|ee)?|owner|reporter|by|to|cc)[ \t]*:[ \t]*)$"
)
_SLOT_AFTER = re.compile(r"[)>\]]|[ \t]*(?:->|→|=>)")


def _in_slot(text: str, m: re.Match[str]) -> bool:
    return bool(_SLOT_BEFORE.search(text, max(0, m.start() - 16), m.start())) or bool(
        _SLOT_AFTER.match(text, m.end())
    )


def _foreign(tokens: list[str]) -> bool:
    """Prose of another language: 8+ lower-case words, under 40% of them English (Spanish clinical
    notes score 9-26%, English chats and tickets 60% and up)."""
    english = _lists()[1]
    return len(tokens) >= 8 and sum(w in english for w in tokens) < 0.4 * len(tokens)


class NameLoginFinder:
    """Name-derived logins in any text: chats, tickets, logs, tables, code comments."""

    name = "username_name_login"
    label = "USERNAME"
    locale = "any"
    version = "1"

    def find(self, text: str) -> Iterator[Span]:
        # the distinct tokens first (C speed), then positions only for those shaped like a login
        english = _lists()[1]
        tokens = _TOKEN.findall(text)
        kinds = {w: k for w in set(tokens) - english if 4 <= len(w) <= 32 and (k := name_login(w))}
        if not kinds:
            return
        words: set[str] | None = None
        foreign: bool | None = None
        hits: list[re.Match[str]] = []
        for token in kinds:
            pos = text.find(token)
            while pos >= 0:
                m = _TOKEN.match(text, pos)  # the look-behind sees the text before `pos`
                if m is not None and m.group(0) == token:
                    hits.append(m)
                pos = text.find(token, pos + 1)
        for m in sorted(hits, key=lambda m: m.start()):
            token = m.group(0)
            kind = kinds[token]
            if "." not in token and "_" not in token:
                # without a login's `.` or `_` (`alopez`, `caso1`, `bence-jones`) only in English
                # text: in Spanish or German prose most words are unknown to the word list
                foreign = _foreign(tokens) if foreign is None else foreign
                if foreign:
                    continue
            if kind == "weak" and not _in_slot(text, m):
                words = _words_of(text) if words is None else words
                if not _named_in(words, token):
                    continue
            yield Span(m.start(), m.end(), self.label, 0.7, f"regex:{self.name}")


USERNAME_NAME_LOGIN = NameLoginFinder()


# -- a login after a cue in prose ---------------------------------------------------------------------

_CUE_SYSTEMS = (
    r"ad|jira|gitlab|github|aws|iam|okta|slack|teams|zoom|vpn|sso|ldap|unix|linux|windows|db|sftp|ftp"
)


def _cue_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    if m.string[m.end() : m.end() + 1] in (":", "="):
        return False  # `user :attr:` (reST roles), `account: name: ...`; `admin-user: YWRtaW4=` (base64)
    if not login_not_word(value):
        return False
    if TITLE_WORD.fullmatch(value):
        return False  # `the account Maria opened`: a name (PERSON), not a login
    # with only a blank between cue and value, the value must look like a login, not a word
    if m.group("sep").strip() == "":
        # (`AD login lobrien`, `Jira user cwei`: a system's name makes a weak one enough)
        kind = name_login(value)
        return (
            kind == "strong"
            or (kind == "weak" and m.group("sys") is not None)
            or bool(re.search(r"\d|[._]", value))
        )
    return True


# `my handle is jess.marlowe_`, `user ID will be KPRESTO2`, `Jira user cwei`, `AD login lobrien`,
# `the account theo.marchetti`, `your own account (oadebayo)`, `screen name: BlessingO_88`.
USERNAME_PROSE_CUE = Recognizer(
    "username_prose_cue",
    "USERNAME",
    r"\b(?i:(?P<sys>(?:"
    + _CUE_SYSTEMS
    + r")[ \t]+)?(?:user(?:[ \t]?(?:name|id))?|login(?:[ \t]?(?:name|id))?|"
    r"handle|screen[ \t]?name|account|acct|gamertag|gamer[ \t]?tag|nick(?:name)?|alias|profile|"
    r"(?:psn|xbox|steam|epic|riot|battle\.?net|origin|uplay|discord|snap(?:chat)?|insta(?:gram)?|ig|tiktok|"
    r"twitter|twitch|telegram|venmo|cash[ \t]?app|psn)[ \t]+(?:id|name|handle|tag|user[ \t]?name)|"
    r"go(?:es)?[ \t]+by|known[ \t]+as|aka|a\.k\.a\.))"
    r"(?P<sep>[ \t]+(?i:is|was|will[ \t]+be|would[ \t]+be|should[ \t]+be|=)[ \t]+|[ \t]*[:=][ \t]*|"
    r"[ \t]+\(|[ \t]*,[ \t]+|[ \t]+)[\"'`“]?"
    r"(?P<value>[A-Za-z][A-Za-z0-9._-]{1,30}[A-Za-z0-9_])(?![\w@\\/]|\.\w|-\w)",
    score=0.8,
    group="value",
    accept=_cue_ok,
    requires=(
        "user",
        "login",
        "handle",
        "name",
        "account",
        "acct",
        "tag",
        "nick",
        "alias",
        "profile",
        " id",
        " by",
        "known as",
        "aka",
        "a.k.a.",
    ),
    # short words end in a blank here (`ad `, `ig `, `go by`): `address`, `good` do not start a try
    prefix=r"\b(?:(?:"
    + _CUE_SYSTEMS
    + r")[ \t]|user|login|handle|screen|account|acct|gamer|nick|alias|profile|(?:psn|xbox|steam|epic|riot|"
    r"battle|origin|uplay|discord|snap|insta|ig|tiktok|twitter|twitch|telegram|venmo|cash)[ \t.a-z]|"
    r"go(?:es)?[ \t]+by|known[ \t]+as|aka\b|a\.k\.)",
)


# -- profile links without a scheme -------------------------------------------------------------------

_NOT_PROFILES = frozenset(
    word_list(
        """
    about explore features pricing login logout signup settings search notifications marketplace topics
    orgs organizations sponsors trending collections home i intent share hashtag p reel reels stories
    accounts direct watch channel c user u r in company school jobs feed help legal privacy terms
    policies status blog docs developers apps download en us enterprise security team teams
    """
    )
)
_PROFILE_HOSTS = (
    r"github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|twitter\.com|x\.com|instagram\.com|"
    r"facebook\.com|fb\.com|tiktok\.com/@|twitch\.tv|linkedin\.com/in|youtube\.com/@|threads\.net/@|"
    r"medium\.com/@|reddit\.com/u(?:ser)?|bsky\.app/profile|keybase\.io|dev\.to|behance\.net|"
    r"dribbble\.com|pinterest\.com|soundcloud\.com|vimeo\.com|patreon\.com|ko-fi\.com|venmo\.com|"
    r"cash\.app/\$|substack\.com/@|mastodon\.social/@"
)


def _profile_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    low = value.lower()
    if low in _NOT_PROFILES or low in CODE_WORDS or is_service_account(low):
        return False
    # a repository path after a forge owner names an organisation as often as a person
    rest = m.string[m.end() : m.end() + 2]
    host = m.group("host").lower()
    if host.split(".")[0] in ("github", "gitlab", "bitbucket", "codeberg") and re.match(r"/\w", rest):
        return name_login(value) is not None
    return True


USERNAME_PROFILE_LINK = Recognizer(
    "username_profile_link",
    "USERNAME",
    r"(?<![\w-])(?:(?:https?://)?(?:www\.|m\.|mobile\.)?)(?P<host>(?i:" + _PROFILE_HOSTS + r"))/?"
    r"(?<=[/@$])(?P<value>[A-Za-z0-9_](?:[A-Za-z0-9_]|[.-](?=[A-Za-z0-9_])){0,38})(?![\w-])",
    score=0.85,
    group="value",
    accept=_profile_ok,
    requires=(".com", ".tv", ".org", ".io", ".app", ".net", ".to", ".social"),
    prefix=r"(?<![\w-])(?:https?://|www\.|m\.|mobile\.|github|gitlab|bitbucket|codeberg|twitter|x\.|instagram|"
    r"facebook|fb\.|tiktok|twitch|linkedin|youtube|threads|medium|reddit|bsky|keybase|dev\.|behance|dribbble|"
    r"pinterest|soundcloud|vimeo|patreon|ko-fi|venmo|cash\.|substack|mastodon)",
)

RECOGNIZERS: list[Recognizer | Finder] = [
    USERNAME_NAME_LOGIN,
    USERNAME_PROSE_CUE,
    USERNAME_PROFILE_LINK,
]
