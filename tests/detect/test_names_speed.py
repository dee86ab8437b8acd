"""The names layer's faster paths give what the plain ones give: the handle pattern searched line
by line, and code_context computed once per token."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from maskgate.detect.names import fields
from maskgate.detect.names.context import Tok, _code_context, code_context

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
