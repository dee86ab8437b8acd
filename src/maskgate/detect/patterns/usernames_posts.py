"""Person handles in social posts and Q&A threads (label USERNAME), where `username_handle` has no cue:

- a mention that addresses its reader (`@RichardNeo did you remove...`, `Also @ThiefMaster — your
  comment`, `@mayaaa.jpg we need to go back`), one followed by its platform (`@jade.paints.things on
  ig`), one closing a line of prose (`see u in vegas @marco.rossi_21`), and mentions with letters
  beyond ASCII after a social cue (`cc @Tomás_Quiroga`);
- Cash App cashtags (`cashapp $jazzyw04`);
- an account after its platform in prose (`my insta is jade.paints`, `add me on snap: kyle_o22`,
  `same name everywhere: xXdarkphoenixXx`);
- a handle thanked or credited without its `@` (`props to rick_in_reno for the pic`);
- the author's name closing a StackExchange comment (`... first. – wjandrea_dev`).

Brand and support handles (`@delta`, `@AppleSupport`), code (`@dataclass`, `@pytest.mark.xfail`,
`$HOME`, "add @JsonIgnore") and English words are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from maskgate.detect.patterns.accounts import brand_handle, is_service_account
from maskgate.detect.patterns.base import Finder, Recognizer
from maskgate.detect.words import english_words, gazetteer, word_list


@dataclass(frozen=True)
class KeyedRecognizer(Recognizer):
    """A Recognizer tried only where one of its `keys` (lower-case literals) occurs in the lower-cased
    text: every match starts with one. `str.find` finds them far faster than a regex alternation
    scans for them (~1 us against ~40 us on 2 KB)."""

    keys: tuple[str, ...] = ()

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        low = text.lower()
        if len(low) != len(text):
            yield from self.compiled.finditer(text)
            return
        starts: set[int] = set()
        for key in self.keys:
            i = low.find(key)
            while i >= 0:
                starts.add(i)
                i = low.find(key, i + 1)
        pos = 0
        match = self.compiled.match
        for start in sorted(starts):
            if start < pos:
                continue
            m = match(text, start)
            if m is not None:
                yield m
                pos = max(m.end(), start + 1)


# -- mentions ---------------------------------------------------------------------------------------

# words of code and markup that follow an `@` (decorators, annotations, CSS at-rules, doc tags)
_CODE_AT = frozenset(
    word_list(
        """
    param return returns type throws throw raises see since deprecated override media import keyframes
    font supports charset property example todo fixme author version link inheritdoc internal private
    public protected static abstract interface end else if include mixin extend apply layer tailwind
    container page namespace everyone here channel all latest next types babel angular vue nestjs aws
    azure google classmethod staticmethod abstractmethod overload dataclass given retry cached_property
    contextmanager wraps fixture pytest class protocol synthesize pragma objc autoreleasepool selector
    """
    )
)
# what a reply says right after the handle it addresses (`@jfs that fixes it`, `@x — your comment`)
_REPLY_AFTER = re.compile(
    r"[ \t]*(?:[,:!]|[—–]|--?)?[ \t]*(?i:you\b|your\b|you['’]re|u\b|ur\b|thanks|thank\b|thx\b|ty\b|that\b|this\b|"
    r"yes\b|yeah\b|yep\b|no\b|nope\b|sure\b|agreed\b|exactly\b|right\b|lol\b|lmao\b|haha|pls\b|please\b|"
    r"i\b|i['’]m\b|im\b|i['’]ve\b|i['’]d\b|we\b|we['’]re\b|see\b|check\b|try\b|what\b|why\b|how\b|good\b|"
    r"great\b|nice\b|congrats|happy\b|hope\b|love\b|miss\b|same\b|\+1|"
    r"(?:did|do|does|can|could|would|will|have|are|were)[ \t]+(?:you|u)\b)"
)
_PLATFORM = (
    r"ig|insta(?:gram)?|twitter|x|tiktok|tt|snap(?:chat)?|sc|twitch|youtube|yt|threads|bluesky|bsky|discord|"
    r"reddit|fb|facebook|venmo|cash[ \t]?app|psn|xbox|xbl|steam|spotify|soundcloud|tumblr|pinterest|"
    r"kik|telegram|tg|vsco|roblox|epic|riot|battle\.?net|linktree"
)
# the same without the short names a sentence also uses (`the x is x_train`, `my tt is`)
_PLATFORM_WORDS = "|".join(p for p in _PLATFORM.split("|") if p not in ("x", "tt", "sc", "tg"))
# the substrings one of which a platform's name needs (`ig` only as a word: `big`, `config`)
_PLATFORM_NEEDS = (" ig", "\nig", "(ig", "insta", "snap", "tiktok", "twitch", "youtube", " yt", "threads",
                   "bluesky", "bsky", "discord", "reddit", " fb", "facebook", "venmo", "cash", "psn", "xbox",
                   "xbl", "steam", "spotify", "soundcloud", "tumblr", "pinterest", "kik", "telegram", "vsco",
                   "roblox", "epic", "riot", "battle", "linktree", "twitter")  # fmt: skip
_PLATFORM_AFTER = re.compile(r"[ \t]+(?:on|@)[ \t]+(?i:" + _PLATFORM + r"|here)\b")
_SELF_BEFORE = re.compile(
    r"(?i)(?:^|[\s(])(?:i['’]?m|i am|find me|follow me|add me|hmu|dm me|it['’]?s|its)[ \t:]*(?:at|on)?[ \t]*$"
)
# a social cue earlier on the line (as `username_handle` has it): `cc @x`, `venmo @x`, `thanks @x`
_SOCIAL_BEFORE = re.compile(
    r"(?i)\b(?:venmo|cash ?app|paypal|slack|twitter|instagram|insta|ig|tiktok|telegram|discord|snapchat|"
    r"handle|follow(?:ed|ing)?|dm|cc|ping(?:ed)?|thanks|thank you|thx|shout ?out|congrats|hbd|tagged?|"
    r"mention(?:ed)?|credit|props|kudos|h/t|via)\b[^\n@]{0,30}$"
)
# code before a mention on its line: an operator, a call, a block or a keyword (`x = f(@y`)
_CODE_BEFORE = re.compile(r"[={;<>|$]|\w\(|^[ \t]*(?:def|class|import|from|return|public|private)\b")
# the words a reply opens with before its handle (`Comment: @x`, `Also @x`): at most one
_OPENING = re.compile(r"(?:^|[.!?:)\]]\s)\s*(?:[A-Za-z]+\s+)?$")
_EMOJI = re.compile(r"[\U0001F000-\U0001FFFF\u2600-\u27BF]")
# a person's doing after a handle opening a sentence (`@CourageJD was the best caster`), and the
# casual writing around it that code comments lack (a lower-case sentence start, chat slang, emoji)
_VERB_AFTER = re.compile(
    r"[ \t]+(?i:was|is|has|had|got|gets|said|says|just|literally|really|always|never|did|does|posted|"
    r"dropped|streamed|made|makes|and|&)(?![\w-])"
)
_CASUAL = re.compile(
    r"(?:^|[.!?][ \t]+)[a-z]|(?<![\w'’])(?:lol|lmao|omg|tbh|ngl|fr|smh|rn|u|ur|i)(?![\w'’])|"
    r"[\U0001F000-\U0001FFFF\u2600-\u27BF]"
)
_WORD = re.compile(r"[A-Za-z]{2,}")
_VERSION = re.compile(r"v?\d[\d.]*[a-z]{0,2}")
_HANDLE_DOTS = re.compile(r"\d|\.(?:jpe?g|png|gif|mp4|exe|txt|wav|mp3)$")
_LINE_END = re.compile(r"[ \t]*(?:[.!?)]+[ \t]*)?(?:$|\n)")
_MARKS = re.compile(r"[\d_.]")
_LOGIN_SHAPE = re.compile(r"[\d_.]|[a-z][A-Z]|^[a-z]+$")
_DIGIT_OR_UNDERSCORE = re.compile(r"[\d_]")
_USER_SHAPE = re.compile(r"[\d_]|[a-z][A-Z]")


def _value_ok(value: str) -> bool:
    low = value.lower()
    return not (low in _CODE_AT or is_service_account(low) or _VERSION.fullmatch(low) or brand_handle(value))


def _dotted(value: str) -> bool:
    """Shaped like a dotted code path (`pytest.mark.xfail`, `typing_extensions.runtime_checkable`):
    a handle's dots mostly go with digits or a file ending (`marco.rossi_21`, `mayaaa.jpg`)."""
    return "." in value and not _HANDLE_DOTS.search(value.lower())


def _mention_ok(m: re.Match[str]) -> bool:
    text, start, end = m.string, m.start(), m.end()
    value = m.group("value")
    if not _value_ok(value):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    before = text[max(line_start, start - 120) : start]  # a cue is near: bounded work per `@`
    if before.count("`") % 2 or (before and before[-1] in "`|*$[{<\"'"):
        return False  # inside inline code or a string
    after = text[end : end + 40]
    if _PLATFORM_AFTER.match(after) or _SELF_BEFORE.search(before):
        return True  # `@jade.paints.things on ig`, `i'm @jade.paints.things`
    if _dotted(value):
        # `@rosa.delgado` in a post with emoji; not `via a @pytest.mark.xfail mark`
        return bool(_EMOJI.search(line)) and not _CODE_BEFORE.search(before)
    if _SOCIAL_BEFORE.search(before):
        return True  # `cc @Tomás_Quiroga`
    if _CODE_BEFORE.search(before):
        return False
    if _REPLY_AFTER.match(after) and _OPENING.search(before):
        return True  # `@RichardNeo did you...`, `Also @ThiefMaster — your comment`; not `use @X that way`
    if _OPENING.search(before) and _VERB_AFTER.match(after) and "`" not in line and _CASUAL.search(line):
        return True  # `i miss when... @CourageJD was the best caster too`; not `@Transactional is ignored`
    # a handle closing a line of prose (three words before it): one shaped as no annotation is
    if len(_WORD.findall(before)) >= 3 and _LINE_END.match(after):
        return bool(_MARKS.search(value)) or bool(_EMOJI.search(line))
    return False


USERNAME_POST_MENTION = Recognizer(
    "username_post_mention",
    "USERNAME",
    # letters beyond ASCII too (`@Tomás_Quiroga`, `@ngozi_adébáyọ̀`); the span keeps the `@`
    r"(?<![\w.@/+-])(?P<handle>@(?P<value>\w(?:\w|[.-](?=\w)){1,38}))(?![\w@/(]|[.-]\w)",
    score=0.8,
    group="handle",
    accept=_mention_ok,
    requires=("@",),
    prefix="@",
)


# -- Cash App cashtags ---------------------------------------------------------------------------------

USERNAME_CASHTAG = Recognizer(
    "username_cashtag",
    "USERNAME",
    r"(?i:cash[ \t]?app|cash[ \t]?tag)(?:[ \t]+(?:me|is|at|to|=|:))?[ \t:,-]*(?P<handle>\$(?P<value>[A-Za-z][A-Za-z0-9_-]{1,19}))(?![\w$-])"
    r"|(?P<handle2>\$(?P<value2>[A-Za-z][A-Za-z0-9_-]{1,19}))[ \t]+(?i:on|via)[ \t]+(?i:cash[ \t]?app)\b",
    score=0.8,
    group=("handle", "handle2"),
    requires=("cash",),
)


# -- an account after its platform in prose --------------------------------------------------------------

_HANDLE_VALUE = (
    r"(?P<handle>@?(?P<value>[A-Za-z0-9_](?:[A-Za-z0-9_]|[.-](?=[A-Za-z0-9_])){1,30}))(?![\w@/]|[.-]\w)"
)


def _account_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    low = value.lower()
    if m.group("handle").startswith("@"):
        return _value_ok(value)
    if low in english_words() or is_service_account(low) or brand_handle(value) or _VERSION.fullmatch(low):
        return False
    # without an `@` a plain name could be a sentence going on (`my insta is private`, `is Kayla's`)
    return bool(_LOGIN_SHAPE.search(value)) and low not in gazetteer()


USERNAME_PLATFORM_ACCOUNT = KeyedRecognizer(
    "username_platform_account",
    "USERNAME",
    r"(?i:\b(?:my|his|her|their|our)[ \t]+(?:"
    + _PLATFORM_WORDS
    + r"|gt|gamertag|ign|psn[ \t]?id|riot[ \t]?id)"
    r"(?:[ \t]+(?:name|handle|tag|id|user(?:name)?))?[ \t]*(?:is|=|:|-|–|'s)[ \t]*"
    r"|\b(?:add|follow|find|dm|message|msg|hmu|hit[ \t]+me[ \t]+up|snap|friend)(?:[ \t]+me)?[ \t]+(?:on|at|@)?[ \t]*"
    r"(?:" + _PLATFORM_WORDS + r")[ \t]*[:!,-]*[ \t]*(?:it['’]?s[ \t]+|im[ \t]+|at[ \t]+)?"
    r"|\bsame[ \t]+(?:user[ \t]?name|name|tag|handle|ign|gt)[ \t]+(?:everywhere|on[ \t]+everything|on[ \t]+all)[ \t]*[:!,-]*[ \t]*)"
    + _HANDLE_VALUE,
    score=0.8,
    group="handle",
    accept=_account_ok,
    requires=(*_PLATFORM_NEEDS, "gamertag", " gt", " ign", "same "),
    keys=(
        "my",
        "his",
        "her",
        "their",
        "our",
        "add",
        "follow",
        "find",
        "dm",
        "message",
        "msg",
        "hmu",
        "hit",
        "snap",
        "friend",
        "same",
    ),
)


def _labelled_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    if m.group("handle").startswith("@"):
        return _value_ok(value)
    low = value.lower()
    if low in english_words() or is_service_account(low) or brand_handle(value) or _VERSION.fullmatch(low):
        return False
    return bool(_USER_SHAPE.search(value) or "." in value)  # `jade.paints`, `kyle_o22`; not `true`


# `IG: jade.paints | TikTok: @jadepaints_`, `snap - kyle_o22`: an account after its platform's name
USERNAME_PLATFORM_LABEL = KeyedRecognizer(
    "username_platform_label",
    "USERNAME",
    r"(?<![\w.@/-])(?i:ig|insta(?:gram)?|snap(?:chat)?|tiktok|twitch|psn|xbox|xbl|discord|kik|venmo|twitter|threads|"
    r"bsky|bluesky|steam|roblox)[ \t]*(?::|=|-|–|\|)[ \t]*" + _HANDLE_VALUE,
    score=0.75,
    group="handle",
    accept=_labelled_ok,
    requires=(*_PLATFORM_NEEDS, "ig:", "ig :", "ig -", "ig |", "ig=", "ig-", "ig|"),  # `IG:` opening a text
    keys=("ig", "insta", "snap", "tiktok", "twitch", "psn", "xb", "discord", "kik", "venmo", "twitter", "threads",
          "bsky", "bluesky", "steam", "roblox"),
)  # fmt: skip


# -- a handle thanked or credited without its `@` -----------------------------------------------------------

_PRODUCTS = frozenset(
    word_list(
        """
    reddit stackoverflow github gitlab google youtube chatgpt copilot claude openai everyone everybody
    yall guys mods admins wikipedia spotify discord twitter tiktok instagram
    """
    )
)


def _credit_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    low = value.lower()
    if low in english_words() or low in _PRODUCTS or is_service_account(low) or low in gazetteer():
        return False  # a name alone is the name layer's (PERSON)
    if "." in value:
        return False  # `thanks example.com`, a file or a host
    if _DIGIT_OR_UNDERSCORE.search(low) and any(c.isalpha() for c in low) and not _VERSION.fullmatch(low):
        return True  # `rick_in_reno`, `dave92`
    return len(low) >= 9  # `brunodesthuilliers`: a run of letters no word list knows


USERNAME_CREDIT = KeyedRecognizer(
    "username_credit",
    "USERNAME",
    r"\b(?i:thanks(?:[ \t]+to)?|thank[ \t]+you|thx|props[ \t]+to|kudos[ \t]+to|shout[ -]?outs?[ \t]+to|"
    r"credit[ \t]+to|h/t|hat[ \t]+tip[ \t]+to)[ \t]+(?P<value>[a-z0-9_][a-z0-9_.-]{2,30}[a-z0-9_])"
    r"(?=[ \t]*(?:for\b|[!,:)]|\.(?:\s|$)|$))",
    score=0.75,
    group="value",
    accept=_credit_ok,
    requires=("thank", "thx", "props", "kudos", "shout", "credit", "h/t", "hat tip"),
    keys=("thank", "thx", "props", "kudos", "shout", "credit", "h/t", "hat tip"),
    flags=re.MULTILINE,
)


# -- the author closing a StackExchange comment ---------------------------------------------------------------

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"


def _signature_ok(m: re.Match[str]) -> bool:
    value = m.group("value")
    if brand_handle(value) or value.lower() in english_words() or value.lower() in gazetteer():
        return False
    # a user name's shape, not an artist or a title after a dash (`Bohemian Rhapsody – Queen`)
    return bool(_USER_SHAPE.search(value))


USERNAME_SIGNATURE = Recognizer(
    "username_signature",
    "USERNAME",
    r"[ \t][–—][ \t]+(?P<value>[A-Za-z][\w.-]{1,30}\w)"
    r"(?:[ \t]+" + _MONTH + r"[ \t]+\d{1,2}(?:[ \t,]+'?\d{2,4})?(?:[ \t]+at[ \t]+\d{1,2}:\d{2})?)?[ \t]*$",
    score=0.75,
    group="value",
    accept=_signature_ok,
    requires=("–", "—"),
    flags=re.MULTILINE,
)


# -- gamer tags in their own shape -------------------------------------------------------------------------------

USERNAME_GAMER_TAG = Recognizer(
    "username_gamer_tag",
    "USERNAME",
    r"(?<![\w@])(?:xX|Xx)[A-Za-z0-9_]{2,24}(?:Xx|xX)(?!\w)",
    score=0.8,
    requires=("xx",),
)


RECOGNIZERS: list[Recognizer | Finder] = [
    USERNAME_POST_MENTION,
    USERNAME_CASHTAG,
    USERNAME_PLATFORM_ACCOUNT,
    USERNAME_PLATFORM_LABEL,
    USERNAME_CREDIT,
    USERNAME_SIGNATURE,
    USERNAME_GAMER_TAG,
]
