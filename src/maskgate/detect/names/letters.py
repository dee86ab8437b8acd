"""Names in the parts of a message around its body: e-mail headers (`From:`, `To:`, `Cc:`: `Last,
First`, `First Last <addr>`, Lotus Notes `First Last/OU/ORG@ORG`), greeting and sign-off lines
(`Marta,` / `Hi Young,` / `Thanks, Bram`) and staff directories (`Aguilar, Marisol     x4412`).
Read through fields.py's `value_span` (fields.field_names calls them)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.names.fields import NAME, ROLE, value_span
from maskgate.detect.words import LEADING_NON_NAME, NOT_NAMES, STOP, english_words, gazetteer, word_list

# -- e-mail headers --------------------------------------------------------------------------------
_HEADER_LINE = re.compile(r"(?im)^[ \t>]*(?:x-)?(?:from|to|cc|bcc|reply-to|sender|subject|sent|date)[ \t]*:")
_ADDRESS_HEADER = re.compile(
    r"(?im)^[ \t>]*(?:x-)?(?:from|to|cc|bcc|reply-to|sender)[ \t]*:[ \t]*(?P<v>[^\n]*(?:\n[ \t]+[^\n]*)*)"
)


_NOTES_ADDRESS = re.compile(r"<([^<>@/\n]{2,40})/[^<>\n]*@[^<>\n]*>")  # <Mark Taylor/HOU/ECT@ECT>


def header_names(text: str) -> Iterator[tuple[int, int]]:
    if len(_HEADER_LINE.findall(text, 0, 20_000)) < 2:
        return
    for m in _ADDRESS_HEADER.finditer(text):
        start, end = m.span("v")
        items: list[tuple[int, int, bool]] = []  # (start, end, taken)
        for item in re.finditer(r"[^,;\n]+", text[start:end]):
            a, b = start + item.start(), start + item.end()
            cut = re.search(r"[<@/(\[]", text[a:b])
            if cut is not None:
                if text[a + cut.start()] == "@":
                    continue  # a bare address: the e-mail recognizer's
                b = a + cut.start()
            while a < b and text[a] in " \t\"'":
                a += 1
            while b > a and text[b - 1] in " \t\"'":
                b -= 1
            v = value_span(text, a, ROLE, b)
            items.append((a, b, v is not None and v[1] == b))
        kept: list[tuple[int, int]] = []
        for k, (a, b, taken) in enumerate(items):
            # "Tweed, Sheila": a word beside a name in a header list is its other half
            pair = (k > 0 and items[k - 1][2]) or (k + 1 < len(items) and items[k + 1][2])
            if taken or (pair and value_span(text, a, NAME, b) == (a, b) and " " not in text[a:b]):
                kept.append((a, b))
        yield from _last_first_pairs(text, kept, ";" in text[start:end] or len(kept) == 2)
        for n in _NOTES_ADDRESS.finditer(text, start, end):
            v = value_span(text, n.start(1), ROLE, n.end(1))
            if v is not None:
                yield v


def _last_first_pairs(text: str, kept: list[tuple[int, int]], paired: bool) -> Iterator[tuple[int, int]]:
    """ "Kaminski, Vince J" is one person: a one-word surname, a comma and the given name(s) make one
    span, so the comma between them is masked too (lists separated by `;`, or one pair alone)."""
    k = 0
    while k < len(kept):
        a, b = kept[k]
        if (
            paired
            and k + 1 < len(kept)
            and " " not in text[a:b].strip()
            and re.fullmatch(r",[ \t]?", text[b : kept[k + 1][0]])
        ):
            yield a, kept[k + 1][1]
            k += 2
            continue
        yield a, b
        k += 1


# -- a directory line: "Aguilar, Marisol     x4412   maguilar@..." ----------------------------------
_DIRECTORY = re.compile(
    r"(?m)^[ \t>*-]*(?P<v>[A-Z][^\W\d_]+(?:['’-][^\W\d_]+)*(?:[ \t][A-Z][^\W\d_]+)?,[ \t]?"
    r"[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?(?:[ \t][A-Z]\.?)?)(?=[ \t]{2,}|\t|[ \t]*[|;]|[ \t]*\r?$)"
)


def directory_names(text: str) -> Iterator[tuple[int, int]]:
    """`Surname, Given` at the start of two lines or more, then a column gap or the line's end, the given
    names known ones: staff directories, class lists, sign-in sheets."""
    if ", " not in text and ",\t" not in text:
        return
    table = gazetteer()
    found: list[tuple[int, int]] = []
    givens: set[str] = set()
    for m in _DIRECTORY.finditer(text):
        value = m.group("v")
        last, given = value.split(",", 1)
        first = given.strip().split()[0].split("-")[0].lower()
        if "f" not in table.get(first, "") or first in NOT_NAMES:
            continue
        keys = [w.lower() for w in last.split()]
        if any(k in NOT_NAMES or k in STOP or k in LEADING_NON_NAME or k in _SIGNOFF_WORDS for k in keys):
            continue
        if all(k in english_words() and "l" not in table.get(k, "") for k in keys):
            continue  # "Best, Anna", "Okay, Maria": a word before a name, not a surname
        found.append(m.span("v"))
        givens.add(first)
    # a directory has two lines or more, with different given names ("Paris, France\nLyon, France": places)
    if len(found) >= 2 and len(givens) >= 2:
        yield from found


# -- greeting and sign-off lines -------------------------------------------------------------------
_GREETING = re.compile(
    r"(?im)^[ \t]*(?:(?P<greet>hi|hello|hey|dear|good[ \t]+(?:morning|afternoon|evening)|morning|greetings)[ \t]+)?"
    r"(?P<name>[^\W\d_][\w'’.-]*(?:[ \t][^\W\d_][\w'’.-]*){0,2})[ \t]*[,!][ \t]*\r?$"
)
_SIGNED = re.compile(
    r"(?im)^[ \t]*(?:thanks|thank[ \t]+you|cheers|regards|best|kind[ \t]+regards|best[ \t]+regards|"
    r"sincerely|warm[ \t]+regards|all[ \t]+the[ \t]+best|talk[ \t]+soon|xoxo|xo|xx|hugs|love|much[ \t]+love|"
    r"lots[ \t]+of[ \t]+love)[ \t]*[,!-]+[ \t]*"
    r"(?P<name>[^\W\d_][\w'’.-]*(?:[ \t][^\W\d_][\w'’.-]*){0,2})[ \t]*[.!]?[ \t]*\r?$"
)
_SIGNOFF_WORDS = frozenset(
    word_list(
        """
        regards best cheers sincerely thanks thank yours love all everyone team folks
        üdv üdvözlettel pozdrawiam pozdrav pozdravy mfg grüße gruß gruss saludos saluti cordialement bisous
        groetjes hälsningar hilsen terveisin atenciosamente abraços ciao hola bonjour hallo salut hej hei
        merci gracias danke obrigado grazie tschüss besos
        """
    )
)
_INTERJECTIONS = frozenset(
    word_list("hmm hm hmmm ugh oops lol haha hehe yay wow ok btw fyi imo tbh omg aha nope yep yup")
)


def greeting_names(text: str) -> Iterator[tuple[int, int]]:
    for rx in (_GREETING, _SIGNED):
        for m in rx.finditer(text):
            a, b = m.span("name")
            if rx is _GREETING and not m.group("greet"):
                before = text[: m.start()].rstrip(" \t")
                if before and not before.endswith("\n\n") and not _HEADER_LINE.search(before[-200:]):
                    continue  # "Marta," alone opens a message: the first line, or after a blank line
            keys = [w.lower() for w in re.findall(r"[^\W\d_]+", text[a:b])]
            if any(k in _SIGNOFF_WORDS or k in LEADING_NON_NAME or k in NOT_NAMES for k in keys):
                continue
            if (
                rx is _GREETING
                and not m.group("greet")
                and any(k in english_words() or k in _INTERJECTIONS for k in keys)
            ):
                continue  # "Great," "Perfect," opening a reply; a bare name line needs an unambiguous name
            v = value_span(text, a, ROLE, b)
            if v is not None and v[1] == b:
                yield v
