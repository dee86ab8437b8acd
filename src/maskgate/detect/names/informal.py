"""Lower-case names in informal lines (posts, chats, short notes) that the cue rules miss: people
there write names as they write everything else, without capitals and without cue words ("priya
and omar are in", "grab sam from practice", "jordan's coming too", "marco/lina/deshawn").

- a given name that is no English word and no word of the name table's (`w`), written in lower
  case as a word of its own (not inside a handle, path, address or identifier) in an informal line:
  taken without a cue, since such a token is a name far more often than anything else;
- a given name that is also a word ("mike", "deb", "amir") only in a position that says person:
  after "w/", after "tell"/"grab"/"text"... when a clause goes on ("tell deb i said hi"), before a
  possessive "'s" ("jake's mom"), after a relation ("my 6yo lily"), or in a slash list with a
  clean name ("marco/lina"); two letters only after a relation ("my brother tj");
- a given name inside a lower-case hashtag that splits into English words and names ("#jessturns30");
- a single lower-case name found by any rule of the layer, used again in the same text ("yes amir.",
  "mike: bet"): taken again where it stands as a name (a clean name anywhere, a word-name before
  punctuation, a verb or a possessive).

An informal line: written without case (`social.caseless_line`), or with a sentence that starts in
lower case, a lower-case "i", chat slang or an emoji."""

from __future__ import annotations

import re

from maskgate.detect.names.context import (
    AUXILIARIES,
    FOREIGN_STOP,
    PERSON_VERBS,
    RELATION_BEFORE,
    SINGLE_SCORE,
    Tok,
    code_context,
)
from maskgate.detect.names.social import CHAT_VERBS, SLANG, caseless_line, owned
from maskgate.detect.words import LEADING_NON_NAME, NOT_NAMES, STOP, english_words, gazetteer, word_list

# Brands, products and services that the name table lists as given names: "apple's new phone".
BRANDS = frozenset(
    word_list(
        """
        apple amazon google tesla nike adidas alexa siri cortana kindle dell lenovo asus acer
        verizon sprint subway wendy wendys chase audi porsche ferrari lexus mercedes toyota honda
        hulu roku venmo zelle uber lyft etsy ebay disney marvel pixar netflix nintendo sega
        """
    )
)
# Chat words that are no English words but given names somewhere; slang lives in social.SLANG.
NOT_INFORMAL_NAMES = frozenset(
    word_list(
        """
        tho thru tmrw tmr tmrrw ppl bday pic pics vid vids wifi ios app apps gym tix sat sun mon tues
        wed thurs fri jan feb mar apr jun jul aug sept oct nov dec ave blvd rd hwy apt
        dev devs prod env repo res edu exe eng iban min max avg etc
        him her he she they them you me us we it his hers its our their mine yours ya ye thee
        imma ima stan ama mac ayo ayy ayee yas yass yasss ong shi tik tok catur insta
        else other another one today tonight tomorrow yesterday world year week month
        """
    )
)

_DETERMINER_BEFORE = re.compile(
    r"\b(?:the|a|an|this|my|your|our|their|his|her|no|every|each|some|any|more|much)[ \t]+$", re.IGNORECASE
)
_VOWEL = re.compile(r"[aeiouy]")
# A word before one of these nouns names a thing, not a person: "the zelda game", "ramen place".
THING_NOUNS = frozenset(
    word_list(
        """
        game games album albums song songs track show shows movie movies film series episode app
        store shop place spot restaurant cafe bar truck menu phone card account ticket tickets tix
        concert tour video videos channel podcast book books team club music playlist merch cup
        burger pizza sauce bowl soup roll rolls tea latte chips drink drinks brand collab remix cover
        fans fan fandom era stan update patch server mod mods build skin skins console controller
        """
    )
)
# "jordan 4s", "kirby 64": a model number after the word, a product
_MODEL_AFTER = re.compile(r"[ \t]+\d{1,3}s?(?![\w:./])(?![ \t]*(?:am|pm|y/?o|yrs?|years?)\b)")
_NEXT_WORD = re.compile(r" ([a-z]+)\b")


# Foods the name table lists as given names: "pho or ramen tonight?"
FOODS = frozenset(
    word_list(
        """
        ramen sushi boba chai mochi matcha tofu kimchi taco tacos burrito nacho nachos pasta pesto
        paneer naan biryani curry masala tikka gyro shawarma falafel hummus churro churros tamale tamales
        """
    )
)
_VERB_AFTER_I = re.compile(r"(?<![\w'’])(?:i|we)[ \t]+$")


def drop_things(text: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Without the lower-case one-word names that name a thing or an action: "the zelda game",
    "ramen place", "jordan 4s", "i stan" (any rule of the layer may have taken them in a post)."""
    out = []
    for a, b, sc in spans:
        word = text[a:b]
        if word.islower() and " " not in word:
            m = _NEXT_WORD.match(text, b)
            if (m is not None and m.group(1) in THING_NOUNS) or _MODEL_AFTER.match(text, b):
                continue
            if word in FOODS or _VERB_AFTER_I.search(text, max(0, a - 4), a):
                continue
        out.append((a, b, sc))
    return out


# Not inside a handle, hashtag, path, e-mail, URL or identifier: what stands around a word of its own.
GLUED_BEFORE = frozenset("@#./\\_=:-<[{*~`$%+&'’")
GLUED_AFTER = re.compile(r"[\w@/\\=(\[{<`*$%+_-]|\.\w|:\w")

# Signs that a line is informal writing.
_INFORMAL = re.compile(
    r"(?:^|[.!?][ \t]+)[ \t]*[a-z]|(?<![\w'’])i(?:'m|’m|'ll|'ve|'d)?(?![\w'’])|"
    r"[\U0001F300-\U0001FAFF\u2600-\u27BF]|(?<!\w)(?:lol|lmao|omg|tbh|idk|ngl|thx|pls|plz|rn|u|ur)(?!\w)",
    re.MULTILINE,
)

# After these a lower-case word-name is a person when a clause goes on: "tell deb i said hi".
_VERB_CUE = re.compile(
    r"(?:^|(?<=[\s(]))(?:tell|grab|text|call|ping|tag|thank|thanks|ty|thx|hug|hi|hey|yo|bye|love|miss)[ \t]+$",
    re.IGNORECASE,
)
_CLAUSE_AFTER = re.compile(
    r"[ \t]*(?:[.,!?;:)]|$|\n|[\U0001F300-\U0001FAFF\u2600-\u27BF]|"
    r"(?:i|me|we|us|to|from|for|at|that|if|and|n|about|when|too|back|pls|plz|lol)\b)",
    re.IGNORECASE,
)
# Word-names that read as a verb or a noun right after a relation: "my daughter rose early"
_VERB_NAMES = frozenset(word_list("rose drew sue rob chase grant pat bill mark hope faith joy"))
_WITH_BEFORE = re.compile(r"(?:^|(?<=\s))w/[ \t]*$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\b")
# A repeated word-name stands as a name: punctuation, an emoji or a verb follows.
_NAME_END = re.compile(r"[ \t]*(?:[.,!?;:)]|$|\n|['’]s\b|[\U0001F300-\U0001FAFF\u2600-\u27BF])")


def standalone(text: str, t: Tok) -> bool:
    before = text[t.start - 1] if t.start > 0 else " "
    # an opening quote is fine ("'jenny'"); an apostrophe inside a word ("y'all") is not
    quote = before in "'’" and (t.start < 2 or not text[t.start - 2].isalnum())
    if (before in GLUED_BEFORE or before.isalnum()) and not quote:
        return False
    return GLUED_AFTER.match(text, t.end) is None or _POSSESSIVE.match(text, t.end) is not None


def _candidate(t: Tok) -> bool:
    return (
        "f" in t.flags
        and t.text.islower()
        and len(t.key) >= 2
        and t.key not in NOT_NAMES
        and t.key not in STOP
        and t.key not in SLANG
        and t.key not in LEADING_NON_NAME
        and t.key not in FOREIGN_STOP
        and t.key not in AUXILIARIES
        and t.key not in BRANDS
        and t.key not in NOT_INFORMAL_NAMES
        and (len(t.key) < 3 or _VOWEL.search(t.key[-3:]) is not None)  # "egfr", "ekg": abbreviations
    )


def informal_line(text: str, start: int, end: int) -> bool:
    """The line around text[start:end] is informal writing (see the module docstring)."""
    return Lines(text).informal(start, end)


class Lines:
    """informal(start, end), judged once per line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: dict[int, bool] = {}

    def informal(self, start: int, end: int) -> bool:
        a = self.text.rfind("\n", 0, start) + 1
        if a not in self.seen:
            b = self.text.find("\n", end)
            b = len(self.text) if b < 0 else b
            lo, hi = max(a, start - 200), min(b, end + 200)
            self.seen[a] = _INFORMAL.search(self.text, lo, hi) is not None or caseless_line(
                self.text, start, end
            )
        return self.seen[a]


def informal_names(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    english = english_words()
    lines: Lines | None = None
    slashed: set[int] = set()
    for i, t in enumerate(toks):
        if used[i] or "f" not in t.flags or not t.text.islower() or not _candidate(t):
            continue
        clean = "w" not in t.flags and t.key not in english and len(t.key) >= 3
        if len(t.key) == 2 and "w" not in t.flags and t.key not in english:
            # "my brother tj", "my son aj": two letters are a name after a relation only
            clean = RELATION_BEFORE.search(text, max(0, t.start - 40), t.start) is not None
        listed = i in slashed
        if not listed and "/" in (text[t.start - 1 : t.start], text[t.end : t.end + 1]):
            slashed.update(_slash_list(text, toks, i))  # a list of names is no path: no code check
            listed = i in slashed
        if not listed and (not standalone(text, t) or not (clean or _placed(text, toks, i))):
            continue
        if noun_position(text, t.start, clean) or (not listed and code_context(text, t)):
            continue
        if lines is None:
            lines = Lines(text)
        if not lines.informal(t.start, t.end):
            continue
        spans.append((t.start, t.end, SINGLE_SCORE))
        used[i] = True


def noun_position(text: str, start: int, clean: bool) -> bool:
    """After a determiner: "my mic", "that app". After "that" a word that is no English word starts a
    clause: "i told tyler that brooke is not invited"."""
    if clean:
        return _DETERMINER_BEFORE.search(text, max(0, start - 8), start) is not None
    return owned(text, start)


def _slash_list(text: str, toks: list[Tok], i: int) -> range:
    """The tokens of "marco/lina/deshawn" around toks[i] when they are lower-case given names joined
    by slashes, standing apart (not "/home/marco"), one at least no English word; else empty."""
    lo = hi = i
    while lo > 0 and text[toks[lo - 1].end : toks[lo].start] == "/":
        lo -= 1
    while hi + 1 < len(toks) and text[toks[hi].end : toks[hi + 1].start] == "/":
        hi += 1
    chain = toks[lo : hi + 1]
    a, b = chain[0], chain[-1]
    english = english_words()
    if (
        len(chain) >= 2
        and (a.start == 0 or text[a.start - 1] in " \t\n(\"'")
        and GLUED_AFTER.match(text, b.end) is None
        and all(_candidate(t) for t in chain)
        and any("w" not in t.flags and t.key not in english for t in chain)
    ):
        return range(lo, hi + 1)
    return range(0)


def _placed(text: str, toks: list[Tok], i: int) -> bool:
    """A word-name where only a person fits: "w/ mike", "tell deb i said", "jake's mom"."""
    t = toks[i]
    if _WITH_BEFORE.search(text, max(0, t.start - 4), t.start):
        return True
    if _POSSESSIVE.match(text, t.end):
        return True
    if t.key not in _VERB_NAMES and RELATION_BEFORE.search(text, max(0, t.start - 40), t.start):
        return True  # "my 6yo lily watches", "my sister bobby": a relation names the person
    cue = _VERB_CUE.search(text, max(0, t.start - 8), t.start)
    if cue is None or _DETERMINER_BEFORE.search(text, max(0, cue.start() - 12), cue.start()):
        return False  # "a text file", "the call log": the cue is a noun there, not a verb
    return _CLAUSE_AFTER.match(text, t.end) is not None


def repeated_names(text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]) -> None:
    """The lower-case single names found above, where they occur again."""
    known: set[str] = set()
    for a, b, _ in spans:
        word = text[a:b]
        if word.islower() and " " not in word and len(word) >= 2:
            known.add(word.lower().removesuffix("'s").removesuffix("’s"))
    if not known:
        return
    english = english_words()
    for i, t in enumerate(toks):
        if used[i] or t.key not in known or t.cap or not standalone(text, t):
            continue
        clean = "w" not in t.flags and t.key not in english and t.key not in AUXILIARIES
        if noun_position(text, t.start, clean):
            continue
        if not clean:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            verb = (
                nxt is not None
                and text[t.end : nxt.start] == " "
                and (nxt.key in CHAT_VERBS or nxt.key in PERSON_VERBS)
            )
            if not verb and _NAME_END.match(text, t.end) is None:
                continue
        if code_context(text, t):
            continue
        spans.append((t.start, t.end, SINGLE_SCORE))
        used[i] = True


# -- "#jessturns30", "#teamjacob", "#happybirthdaykiara": a given name inside a lower-case hashtag ---
_LOWER_TAG = re.compile(r"(?<![\w#&/])#([a-z]{3,30})\d*(?![\w#])")


def hashtag_names(text: str, spans: list[tuple[int, int, float]]) -> None:
    """The given names in a lower-case hashtag that splits into English words and names, fewest parts
    first ("#jessturns30" is "jess turns"): a name only where it is no English word; a tag that is one
    word ("#blessed") or that no split explains ("#ootd") gives none."""
    if "#" not in text:
        return
    table, english = gazetteer(), english_words()
    for m in _LOWER_TAG.finditer(text):
        tag = m.group(1)
        if tag in english or tag in SLANG:
            continue
        n = len(tag)
        # best[i]: (parts, names, previous cut, part is a name) for tag[:i]
        best: list[tuple[int, int, int, bool] | None] = [None] * (n + 1)
        best[0] = (0, 0, 0, False)
        for i in range(1, n + 1):
            for j in range(max(0, i - 15), i):
                prev = best[j]
                if prev is None:
                    continue
                part = tag[j:i]
                name = _tag_name(part, table, english)
                if not name and not (part in english and (len(part) >= 2 or part in ("a", "i"))):
                    continue
                cand = (prev[0] + 1, prev[1] + name, j, name)
                cur = best[i]
                if cur is None or cand[:2] < cur[:2]:
                    best[i] = cand
        end = best[n]
        if end is None or end[1] == 0:
            continue
        parts: list[tuple[int, int, bool]] = []  # (start, end, a name), last part first
        i = n
        while i > 0:
            step = best[i]
            if step is None:
                break
            parts.append((step[2], i, step[3]))
            i = step[2]
        parts.reverse()
        for k, (a, b, name) in enumerate(parts):
            if not name:
                continue
            if k + 1 < len(parts) and _tag_surname(tag[parts[k + 1][0] : parts[k + 1][1]], table):
                b = parts[k + 1][1]  # "#taylorswift", "#kevinhart": the surname too, a word or not
            spans.append((m.start(1) + a, m.start(1) + b, SINGLE_SCORE))


def _tag_surname(part: str, table: dict[str, str]) -> bool:
    return len(part) >= 3 and "l" in table.get(part, "") and part not in STOP and part not in NOT_NAMES


def _tag_name(part: str, table: dict[str, str], english: frozenset[str]) -> bool:
    return (
        len(part) >= 4  # "#tiktok..." is no "tik tok"
        and not (part[0] == "a" and part[1:] in english)  # "#itsaboy": "a boy"
        and "f" in table.get(part, "")
        and "w" not in table.get(part, "")
        and part not in english
        and part not in NOT_NAMES
        and part not in STOP
        and part not in SLANG
        and part not in FOREIGN_STOP
        and part not in BRANDS
        and part not in NOT_INFORMAL_NAMES
    )


# -- "jack antonoff", "mark hamill", "rose byrne": a given name that is also a word, before a surname
# that is no word ---------------------------------------------------------------------------------------
def word_name_pairs(
    text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
) -> None:
    """A lower-case given name that is also an ordinary word ("jack", "mark", "rose"), followed by a
    surname no dictionary has as a word: a surname of the name table or an unknown word of five
    letters or more ("antonoff"). The word alone says nothing; the pair is a person."""
    english = english_words()
    lines: Lines | None = None
    for i in range(len(toks) - 1):
        t = toks[i]
        if t.key not in WORD_GIVEN_NAMES:  # most tokens: one set lookup
            continue
        nxt = toks[i + 1]
        if used[i] or used[i + 1] or not _pair_first(t, english) or text[t.end : nxt.start] != " ":
            continue
        if not _pair_last(nxt, english) or owned(text, t.start):
            continue
        if not standalone(text, t) or not standalone(text, nxt):
            continue
        if code_context(text, t) or code_context(text, nxt):
            continue
        if lines is None:
            lines = Lines(text)
        if not lines.informal(t.start, nxt.end):
            continue
        spans.append((t.start, nxt.end, SINGLE_SCORE))
        used[i] = used[i + 1] = True


# Given names that are also common words: the name table marks thousands of words as given names
# somewhere ("run", "take", "song"); only these are read as one before a surname.
WORD_GIVEN_NAMES = frozenset(
    word_list(
        """
        jack mark rose drew pat rob jay tom bill grant chase hope april june amber dawn faith joy ray guy
        art penny summer holly ivy jade iris frank harry billy bobby sunny dean gene grace lily daisy ruby
        pearl ginger max sky river reed wade lance rusty buddy duke earl king prince sage rocky cliff dale
        glen heath chip chuck dick don doug gus hank herb jerry jim jimmy kit lou matt mick miles nick
        norm pete phil randy rich rick ron russ sandy sid stan ted terry tim toby vic walt wes carol kay
        kelly lane lee liz meg molly patty peg robin sally sue hazel heather brook autumn misty crystal
        destiny melody harmony bell belle candy cherry honey ginny rocco gale gay hunter carter mason
        tanner taylor jordan parker cole colt brandy tiffany whitney roman jasper august victor
        """
    )
)


def _pair_first(t: Tok, english: frozenset[str]) -> bool:
    key = t.key
    return (
        "f" in t.flags
        and t.text.islower()
        and key in WORD_GIVEN_NAMES  # a clean given name is `_casual`'s, with its surname
        and key not in NOT_NAMES
        and key not in STOP
        and key not in SLANG
        and key not in AUXILIARIES
        and key not in LEADING_NON_NAME
        and key not in FOREIGN_STOP
        and key not in BRANDS
        and key not in NOT_INFORMAL_NAMES
    )


def _pair_last(t: Tok, english: frozenset[str]) -> bool:
    key = t.key
    if not t.text.islower() or not t.text.isalpha() or key in english or len(key) < 4:
        return False
    if key in NOT_NAMES or key in STOP or key in SLANG or key in FOREIGN_STOP or key in NOT_INFORMAL_NAMES:
        return False
    if "l" in t.flags:
        return True  # "mark hamill", "rose byrne"
    # an unknown word: a surname far more often than anything else after a given name ("jack
    # antonoff"); not a word stretched for emphasis ("willl"), which the tokens already collapse
    return not t.flags and len(key) >= 5 and _VOWEL.search(key) is not None
