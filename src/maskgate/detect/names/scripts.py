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
3. Without a cue, the shape of a name in its own script: a common family name and a given name
   before a verb of speech (`张伟说`, `김민수가 ... 했어요`), a common Japanese family name and a particle
   (`山田太郎は`), a Cyrillic surname ending (`Ивану Петрову`), a common Indian surname (`विकास पटेल`).

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
    yield from own_script_names(text)


def _known_pairs(run: str, offset: int, table: dict[str, str]) -> Iterator[tuple[int, int]]:
    """A known given name and the word after it, in text of the same script: "محمد علي"."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", run)]
    for k in range(len(words) - 1):
        a, b = words[k]
        first = run[a:b].lower()
        last = run[words[k + 1][0] : words[k + 1][1]].lower()
        if "f" in table.get(first, "") and "w" not in table.get(first, "") and table.get(last):
            yield offset + a, offset + words[k + 1][1]


# -- 3. names in their own script without a cue -------------------------------------------------------
# The commonest family names (about 70% of people in China, Japan and Korea; India's most common ones).
_ZH_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范廖贾夏韦邹孟熊秦邱尹薛闫段雷侯史陶黎贺顾毛郝龚邵钱严覃戴莫孔汤"
)
_ZH_NAME = re.compile(
    rf"(?:(?<=联系|告诉|通知)|(?<=[找叫由和跟问请给])|(?<![\u4e00-\u9fff]))([{_ZH_SURNAMES}][\u4e00-\u9fff]{{1,2}}?)"
    r"(?=说|表示|告诉|问道|写道|回答|回复|认为|指出|提到|打电话|发邮件|负责|[，,。、])"
)
_ZH_NOT_GIVEN = re.compile(r"[的地得了们是在不也都就这那个我你他她它和与及或说]")
_JA_SURNAMES = (
    "佐藤|鈴木|高橋|田中|伊藤|渡辺|山本|中村|小林|加藤|吉田|山田|佐々木|山口|松本|井上|木村|斎藤|清水|山崎|"
    "池田|橋本|阿部|石川|山下|中島|石井|小川|前田|岡田|長谷川|藤田|後藤|近藤|村上|遠藤|青木|坂本|斉藤|福田|"
    "太田|西村|藤井|金子|岡本|藤原|三浦|原田|中川|松田|竹内|小野|田村|中山|和田|石田|森田|上田|柴田|酒井|"
    "工藤|横山|宮崎|宮本|内田|高木|安藤|島田|谷口|大野|丸山|今井|高田|藤本|武田|村田|杉山|増田|小山|大塚|"
    "平野|菅原|久保|松井|千葉|岩崎|桜井|木下|野口|松尾|菊地|野村|新井|渡部"
)
_JA_NAME = re.compile(rf"(?:{_JA_SURNAMES})[\u4e00-\u9fff]{{0,3}}?(?=は|が|に|と|から|へ|も|の)")
_KO_SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
_KO_NAME = re.compile(
    rf"(?<![\uac00-\ud7af])([{_KO_SURNAMES}][\uac00-\ud7af]{{2}})(?=(?:가|이|는|은|에게|한테|를|을|의|와|과|랑)[ \t,.])"
)
# Last syllables of common nouns (한국어 "Korean", 강아지 "puppy", 회사 "company"), rare at a given name's end.
_KO_NOT_LAST = frozenset("어국도시과부원실관회사교당소청물품기법권학들게요다계업터체")
_KO_SPEECH = re.compile(r"말했|했다|했어|했습니다|라고|전했|밝혔|물었|답했|보냈|연락|알려")
_CY_SURNAME = re.compile(
    r"(?<![\w-])([А-ЯЁ][а-яё]+[ \t]+[А-ЯЁ][а-яё]*(?:ов|ова|ову|овым|овой|ев|ева|еву|евым|ин|ина|ину|ский|ская|скому|"
    r"цкий|цкая|енко|ук|юк|ич|ович|евич|овна|евна))(?![\w-])"
)
_HI_SURNAMES = (
    "शर्मा|वर्मा|पटेल|सिंह|गुप्ता|कुमार|यादव|जोशी|मिश्रा|अग्रवाल|खान|रेड्डी|नायर|मेहता|शाह|चौधरी|त्रिपाठी|पांडे|"
    "श्रीवास्तव|दास|बनर्जी|मुखर्जी|चटर्जी|राव|अय्यर|पिल्लई|देसाई|कपूर|मल्होत्रा|सक्सेना|ठाकुर|भट्ट|नाइक|जैन"
)
_HI_NAME = re.compile(rf"(?<![\u0900-\u097f])([\u0900-\u097f]+[ \t]+(?:{_HI_SURNAMES}))(?![\u0900-\u097f])")


def own_script_names(text: str) -> Iterator[tuple[int, int]]:
    """Rule 3 of the module docstring: name shapes in text of the name's own script."""
    for m in _ZH_NAME.finditer(text):
        if not _ZH_NOT_GIVEN.search(m.group(1), 1):
            yield m.span(1)
    for m in _JA_NAME.finditer(text):
        yield m.span()
    if _KO_SPEECH.search(text):
        for m in _KO_NAME.finditer(text):
            end = text.find(".", m.end())
            sentence = text[m.end() : len(text) if end < 0 else end]
            if m.group(1)[-1] not in _KO_NOT_LAST and _KO_SPEECH.search(sentence):
                yield m.span(1)
    for rx in (_CY_SURNAME, _HI_NAME):
        for m in rx.finditer(text):
            yield m.span(1)
