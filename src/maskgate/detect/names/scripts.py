"""Names written in non-Latin scripts: Arabic, Chinese, Japanese, Korean, Cyrillic, Devanagari,
Greek, Hebrew, Thai and the other scripts of the world's names.

Two rules, recall first:

1. In text written in the Latin alphabet, a short run of another script (at most four words, or ten
   characters of CJK, kana or Hangul) is a name or a place far more often than anything else: the
   customer's name in a support ticket, `Wang Wei (王伟)`, a signature under an English e-mail. It is
   masked as PERSON; if it was a place or a word, masking it cost one placeholder.
2. In text written mostly in that script, a run is taken only with a cue: a field label (`姓名：`,
   `이름:`, `Имя:`, `الاسم:`), an honorific (`王伟先生`, `田中さん`, `김민준 씨`, `السيد`, `מר`), or
   a known given name followed by another word of the same script (`محمد علي`).

Single letters (`π`, `λ`, `μs`, `Δ`) are never taken: in Latin text they are maths and units.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from maskgate.detect.words import gazetteer

# Letters (and in-block combining marks) of scripts other than Latin.
_CASELESS = (
    "\u0590-\u05ff"  # Hebrew
    "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"  # Arabic
    "\u0700-\u074f"  # Syriac
    "\u0900-\u0dff"  # Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u10a0-\u10ff"  # Georgian
    "\u1200-\u137f"  # Ethiopic
    "\u1780-\u17ff"  # Khmer
)
_CJK = (
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
)
_CASED = "\u0370-\u03ff\u1f00-\u1fff\u0400-\u04ff\u0500-\u052f\u0530-\u058f\u2126\u2206"  # Greek (and its PDF look-alikes Ω ∆), Cyrillic, Armenian
LETTERS = _CASELESS + _CJK + _CASED
_NON_LATIN = re.compile(f"[{LETTERS}]")
_CJK_CHAR = re.compile(f"[{_CJK}]")
# A run: words of such letters joined by single spaces or a name dot (`ジョン・スミス`, `Абу·Бакр`).
_RUN = re.compile(f"[{LETTERS}]+(?:[ \u00b7\u30fb\u2027-][{LETTERS}]+)*")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")

MAX_WORDS = 4
MAX_CJK = 10
WINDOW = 150

# Cues in those scripts: name fields, honorifics after the name, titles before it.
_FIELD_BEFORE = re.compile(
    r"(?:姓名|名字|氏名|名前|フルネーム|이름|성명|성함|患者|病人|联系人|聯絡人|担当者|申请人|申請人|"
    r"(?i:имя|фамилия|отчество|фио|пациент|όνομα|επώνυμο|ονοματεπώνυμο)|الاسم|اسم|שם|नाम|ชื่อ|ชื่อ-สกุล)"
    r"[ \t]*[:：][ \t]*$"
)
_TITLE_BEFORE = re.compile(
    r"(?:(?i:господин|госпожа|г-н|г-жа|доктор|κ\.|κύριος|κυρία|δρ\.)|السيد|السيدة|الدكتور|د\.|מר|גב'|ד\"ר|"
    r"श्री|श्रीमती|डॉ\.|คุณ|นาย|นาง|นางสาว)[ \t]*$"
)
_HONORIFIC_AFTER = re.compile(
    r"[ \t]?(?:先生|女士|小姐|老师|老師|医生|醫生|同志|さん|様|さま|氏|君|くん|ちゃん|殿|씨|님|선생님|교수님|ji\b|जी)"
)


_INNER_HONORIFIC = re.compile(
    r"([\u4e00-\u9fff\u30a0-\u30ff]{1,4})(?=さん|様|さま|氏|君|くん|ちゃん|殿|先生|女士|小姐|老师|老師|医生|醫生)"
    r"|([\uac00-\ud7af]{2,4})(?=[ \t]?(?:씨|님|선생님))"
)
_IDENTIFIER = re.compile(r"[A-Za-z0-9_$]")


def _is_cjk_run(run: str) -> bool:
    return _CJK_CHAR.match(run) is not None


def _latin_context(text: str, start: int, end: int) -> bool:
    """Latin letters outnumber other scripts' letters around the run."""
    a, b = max(0, start - WINDOW), min(len(text), end + WINDOW)
    window = text[a:start] + text[end:b]
    latin = len(_LATIN_LETTER.findall(window))
    other = len(_NON_LATIN.findall(window))
    return latin > 2 * other and latin >= 3


def script_names(text: str) -> Iterator[tuple[int, int]]:
    if text.isascii() or _NON_LATIN.search(text) is None:
        return
    table = gazetteer()
    for m in _INNER_HONORIFIC.finditer(text):
        yield m.span(
            m.lastindex or 1
        )  # 田中さん, 王伟先生, 김민준님 inside a sentence written without spaces
    for m in _RUN.finditer(text):
        start, end = m.span()
        run = m.group(0)
        if _IDENTIFIER.match(text[start - 1 : start]) or _IDENTIFIER.match(text[end : end + 1]):
            continue  # ПРИВЕТ_MESSAGE, i18n keys: part of an identifier
        letters = sum(1 for c in run if c not in " \u00b7\u30fb\u2027-")
        if letters < 2:
            continue  # π, λ, Δ, μs
        cjk = _is_cjk_run(run)
        short = letters <= MAX_CJK if cjk else run.count(" ") < MAX_WORDS and len(run) <= 40
        before = text[max(0, start - 24) : start]
        cue = (
            _FIELD_BEFORE.search(before) is not None
            or _TITLE_BEFORE.search(before) is not None
            or _HONORIFIC_AFTER.match(text, end) is not None
        )
        if short and (cue or _latin_context(text, start, end)):
            yield start, end
            continue
        if cue:
            words = run.split()
            yield start, start + (len(" ".join(words[:3])) if not cjk else min(len(run), 4))
            continue
        if not cjk:
            yield from _known_pairs(run, start, table)


def _known_pairs(run: str, offset: int, table: dict[str, str]) -> Iterator[tuple[int, int]]:
    """A known given name and the word after it, in text of the same script: "محمد علي"."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", run)]
    for k in range(len(words) - 1):
        a, b = words[k]
        first = run[a:b].lower()
        last = run[words[k + 1][0] : words[k + 1][1]].lower()
        if "f" in table.get(first, "") and "w" not in table.get(first, "") and table.get(last):
            yield offset + a, offset + words[k + 1][1]
