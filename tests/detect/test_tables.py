"""The shared table-row splitter (detect/tables.py): each option as the table readers use it."""

from __future__ import annotations

import pytest

from maskgate.detect.tables import (
    ALIGNED,
    HTML,
    commonest_delimiter,
    first_delimiter,
    sniff_delimiter,
    split_row,
)


def cells(line: str, delim: str, **options: object) -> list[str]:
    return [line[a:b] for a, b in split_row(line, delim, **options)]  # type: ignore[arg-type]


# -- delimiters ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "delim"),
    [
        ("<tr><th>MRN</th><th>Member ID</th></tr>", HTML),
        ("| MRN | Name |", "|"),
        ("MRN | Name", "|"),  # one pipe, not at the start
        ("| MRN\tName", "\t"),  # one leading pipe is no pipe table
        ("MRN\tName|x", "|"),  # pipes before tabs
        ("MRN;Name;DOB", ";"),
        ("MRN;Name, DOB", ","),  # one semicolon is punctuation
        ("mrn,name", ","),
        ("MRN     Name   DOB", ALIGNED),
        ("Patient name", None),
    ],
)
def test_sniff_delimiter(line: str, delim: str | None) -> None:
    assert sniff_delimiter(line) == delim


def test_first_delimiter_takes_the_order_not_the_count() -> None:
    order = ("\t", "|", ";", ",")
    assert first_delimiter("a,b,c|d", order, ",") == "|"
    assert first_delimiter("a\tb|c", order, ",") == "\t"
    assert first_delimiter("username", order, ",") == ","


def test_commonest_delimiter_ties_go_to_the_order() -> None:
    order = (",", "\t", "|", ";")
    assert commonest_delimiter("a|b|c, d", order) == "|"
    assert commonest_delimiter("a|b,c", order) == ","
    assert commonest_delimiter("abc", order) == ","


# -- plain splitting -----------------------------------------------------------------------------------


def test_plain_cells_keep_blanks_and_empty_cells() -> None:
    assert cells("a, b,,c ", ",") == ["a", " b", "", "c "]
    assert cells("", ",") == [""]
    assert cells("a\tb\t", "\t") == ["a", "b", ""]


def test_bounds_are_offsets_in_the_line() -> None:
    assert split_row("ab|cd", "|") == [(0, 2), (3, 5)]


def test_aligned_and_html_cells() -> None:
    assert cells("jdoe    John Doe    x", ALIGNED) == ["jdoe", "John Doe", "x"]
    row = '<tr><td class="a">00448120</td><td>Ann</td></tr>'
    assert cells(row, HTML) == ["00448120", "Ann"]


# -- quotes --------------------------------------------------------------------------------------------


def test_toggle_quotes_anywhere_hold_the_delimiter() -> None:
    assert cells('1,"Smith, Ann",x', ",", quotes="toggle") == ["1", '"Smith, Ann"', "x"]
    assert cells('a "b,c" d,e', ",", quotes="toggle") == ['a "b,c" d', "e"]
    assert cells("a,b", ",", quotes="toggle") == ["a", "b"]


def test_lenient_quotes_open_a_cell_and_run_to_the_delimiter() -> None:
    assert cells('1, "Smith, Ann" x,y', ",", quotes="lenient") == ["1", ' "Smith, Ann" x', "y"]
    assert cells('"say ""hi, you""",z', ",", quotes="lenient") == ['"say ""hi, you"""', "z"]
    assert cells('a "b,c",d', ",", quotes="lenient") == ['a "b', 'c"', "d"]  # not at the start
    assert cells('"open, never closed', ",", quotes="lenient") == ['"open, never closed']


def test_strict_quotes_give_what_they_enclose() -> None:
    line = 'x, "Smith, Ann" ,"a""b",'
    assert cells(line, ",", quotes="strict") == ["x", "Smith, Ann", 'a""b', ""]
    # a quote followed by more than blanks before the comma: no quoted cell
    assert cells('"a,b" x,c', ",", quotes="strict") == ['"a', 'b" x', "c"]
    assert cells('\t"a;b"\t;c', ";", quotes="strict") == ["a;b", "c"]


def test_strict_quoted_cells_are_not_stripped() -> None:
    assert cells('" jdoe ", x ', ",", quotes="strict", strip=" \t") == [" jdoe ", "x"]


# -- outer pipes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "blank", "markdown"),
    [
        ("| a | b |", [" a ", " b "], [" a ", " b "]),
        ("| a | b", [" a ", " b"], [" a ", " b"]),
        ("a | b |", ["a ", " b "], ["a ", " b ", ""]),  # markdown drops the last only after a first
        ("a | b", ["a ", " b"], ["a ", " b"]),
        ("|", [], []),
    ],
)
def test_outer_pipes(line: str, blank: list[str], markdown: list[str]) -> None:
    assert cells(line, "|", pipes="blank") == blank
    assert cells(line, "|", pipes="markdown") == markdown


def test_outer_pipes_only_for_pipes() -> None:
    assert cells("\ta\t", "\t", pipes="blank") == ["", "a", ""]


# -- trimming ------------------------------------------------------------------------------------------


def test_strip() -> None:
    assert cells(" 'Ann' ,\t\"Bo\"", ",", strip=" \t\"'") == ["Ann", "Bo"]
    assert cells("  ,x", ",", strip=" ") == ["", "x"]


def test_sql_value_lists() -> None:
    line = "INSERT INTO patients (id, name, ssn) VALUES"
    assert cells(line, ",", sql=True, strip=" ") == ["id", "name", "ssn"]
    row = "(901, 'Ann Lee', '219-09-9999'),"
    assert cells(row, ",", sql=True, strip=" '") == ["901", "Ann Lee", "219-09-9999", ""]
    assert cells("f(x), g", ",", sql=True, strip=" ") == ["f(x)", "g"]  # balanced: kept
