"""Speakers of pasted chat transcripts (Slack, Teams: `dev_ops_lena: anyone know...`) and IRC logs
(`[14:01] <carlos.m> hi`): their handles are USERNAME (usernames.py lists these finders)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.names import english_words
from maskgate.detect.patterns.accounts import is_service_account
from maskgate.detect.spans import Span

# Chat transcripts pasted from Slack, Teams or IRC: `dev_ops_lena: anyone know who owns this?`.
# Capitalised speaker names are the name layer's (PERSON); lower-case handles are accounts. A
# line-start `word: ` is also YAML, object dumps, logs and mail headers, so a handle counts only in a
# transcript: unindented lines whose message is prose (three words or more, two of them ordinary
# English words, not ending in `,` `{` `[`), three such lines or more making up most of their block,
# two handles or more, one of them on two lines, and no handle an ordinary English word (`error:`,
# `description:`, `run:`) or a common key.
_CHAT_LINE = re.compile(
    # capitalised speakers (`Nyx:`) count towards the transcript; only lower-case ones are reported
    r"^(?:\[\d{1,2}:\d{2}(?::\d{2})?\][ \t]*)?@?(?P<h>[A-Za-z][a-z0-9._-]{1,31})(?<![._-]):[ \t]+"
    r"(?P<msg>[^\W_][^\n]*)$",
    re.MULTILINE,
)
_NOT_HANDLES = frozenset(
    {"msg", "desc", "stderr", "stdout", "todo", "fixme", "xxx", "nb", "ps", "eg", "ie", "tldr", "re", "fwd",
     "cc", "bcc", "http", "https", "ftp", "ssh", "git", "npm", "pip", "src", "dst", "env", "cfg", "args",
     "kwargs", "err", "warn", "info", "debug", "trace", "fatal", "hint", "remote", "usr", "tmp", "var",
     "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue",
     "wed", "thu", "fri", "sat", "sun", "am", "pm", "utc", "gmt", "bot", "ai", "llm", "gpt", "claude"}
)  # fmt: skip
_MSG_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_CHAT_WORDS = frozenset(
    {"ty", "thx", "lol", "ok", "np", "brb", "idk", "omg", "pls", "plz", "yep", "yup", "nope", "im"}
)


class ChatHandleFinder:
    """Lower-case speaker handles of a chat transcript (see `_CHAT_LINE` above). Label USERNAME."""

    name = "username_chat"
    label = "USERNAME"
    locale = "any"
    version = "1"
    requires = (": ",)

    def find(self, text: str) -> Iterator[Span]:
        if "\n" not in text:
            return
        english = english_words()
        lines = [m for m in _CHAT_LINE.finditer(text) if self._prose(m.group("msg"), english)]
        if len(lines) < 3:
            return
        counts: dict[str, int] = {}
        for m in lines:
            counts[m.group("h")] = counts.get(m.group("h"), 0) + 1
        # two speakers or more (a capitalised name counts), one of them on two lines or more
        speakers = {h for h in counts if h.lower() not in english and h.lower() not in _NOT_HANDLES}
        handles = {h for h in speakers if h.islower() and not is_service_account(h)}
        if not handles or len(speakers) < 2 or max(counts[h] for h in speakers) < 2:
            return
        block = text[lines[0].start() : lines[-1].end()]
        if 2 * len(lines) < sum(1 for line in block.split("\n") if line.strip()):
            return  # chat-shaped lines here and there in a longer document
        for m in lines:
            if m.group("h") in handles:
                yield Span(m.start("h"), m.end("h"), self.label, 0.8, f"regex:{self.name}")

    @staticmethod
    def _prose(msg: str, english: frozenset[str]) -> bool:
        msg = msg.rstrip()
        if msg.endswith((",", "{", "[", "(", "\\")):
            return False
        words = msg.split()
        known = sum(1 for w in _MSG_WORD.findall(msg.lower()) if w in english or w in _CHAT_WORDS)
        return (len(words) >= 3 and known >= 2) or (len(words) == 2 and known >= 1)


USERNAME_CHAT = ChatHandleFinder()

# IRC and chat exports: `[14:01] <carlos.m> hi, prod DB CPU at 95%` (two such lines or more).
_IRC_LINE = re.compile(
    # the message starts with a word (`<typespec> = byte` in a grammar is no chat)
    r"^(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+)?<[@+%]?(?P<h>[A-Za-z0-9_][\w.|-]{0,31})>[ \t]+[^\W\d_]",
    re.M,
)


class IrcNickFinder:
    name = "username_irc"
    label = "USERNAME"
    locale = "any"
    version = "1"
    requires = ("> ",)

    def find(self, text: str) -> Iterator[Span]:
        lines = list(_IRC_LINE.finditer(text))
        if len(lines) < 2:
            return
        for m in lines:
            if not is_service_account(m.group("h")):
                yield Span(m.start("h"), m.end("h"), self.label, 0.8, f"regex:{self.name}")


USERNAME_IRC = IrcNickFinder()
