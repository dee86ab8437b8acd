"""The names layer's faster paths give what the plain ones give: the handle pattern searched line
by line, and code_context computed once per token."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from maskgate.detect.names import fields
from maskgate.detect.names.context import (
    _CAMEL,
    _FROM_IMPORT,
    _IMPORTED,
    _NAME_PREFIX,
    _SIGNATURE,
    Tok,
    _code_context,
    code_context,
)

PIECES = [
    "Rose",
    "Young",
    "ab",
    " ",
    "\t",
    "\n",
    "\r",
    "(@ry_oung)",
    "<r.y@ex.com>",
    "@",
    "<",
    "(",
    ">",
    "Ж",
    "-",
    "'",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_handle_matches_line_by_line_equal_the_whole_text_search(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = [m.span() for m in fields._HANDLE_AFTER.finditer(text)]
    assert [m.span() for m in fields._handle_matches(text)] == expected


def test_handles_on_text_with_several_lines() -> None:
    text = "Team:\nRose Young (@ryoung) and\n- Mike\nPaul Lee <paul.lee@example.com>\nno handle here @ all"
    found = {text[a:b] for a, b in fields._handles(text)}
    assert {"Rose Young", "Paul Lee"} <= found


def test_code_context_is_computed_once_per_token() -> None:
    text = "call self.Porter() or ask Porter"
    code = Tok(10, 16, "Porter", "porter", "l", True, False, False)
    prose = Tok(26, 32, "Porter", "porter", "l", True, False, False)
    assert code_context(text, code) is True and code.code is True
    assert code_context(text, prose) is False and prose.code is False
    assert code_context(text, code) == _code_context(text, code)


def _plain_code_context(text: str, t: Tok) -> bool:
    """_code_context's regex tests without their prefilters; the rest as _code_context."""
    if _SIGNATURE.search(text[max(0, t.start - 8) : t.start]):
        return True
    if _FROM_IMPORT.search(text, max(0, t.start - 40), t.start) and _IMPORTED.match(
        text[t.start : t.start + 80]
    ):
        return True
    before = text[t.start - 1] if t.start > 0 else " "
    after = text[t.end] if t.end < len(text) else " "
    if (
        before in "._/\\$@#=<`[{"
        or after in "_/\\(=<>[{`@"
        or (after == "." and text[t.end + 1 : t.end + 2].isalnum())
        or after.isdigit()
    ):
        return True
    return bool(_CAMEL.search(t.text)) and not _NAME_PREFIX.match(t.text)


_CODE_PIECES = [
    "def",
    "class",
    "import",
    "from",
    "->",
    "::",
    " ",
    "\t",
    "\n",
    "Rose",
    "x.",
    "_",
    "(",
    "a",
    "s",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_CODE_PIECES), max_size=14), st.sampled_from(["", " ", "\n", "_"]))
def test_code_context_prefilters_keep_the_plain_regex_answer(pieces: list[str], glue: str) -> None:
    tail = glue + "Porter import X"
    text = "".join(pieces) + tail
    start = len(text) - len(tail) + len(glue)
    tok = Tok(start, start + 6, "Porter", "porter", "l", True, False, False)
    assert _code_context(text, tok) == _plain_code_context(text, tok)
