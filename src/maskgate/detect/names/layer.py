"""The name layer: gazetteer names where the context says "person" (see the package docstring)."""

from __future__ import annotations

import re
from bisect import bisect_left

from maskgate.detect.names import figures, informal, proper, shapes, social
from maskgate.detect.names.context import (
    ABBREVIATED_RANK,
    AUXILIARIES,
    CUE_SCORE,
    FOREIGN_STOP,
    KIN_AFTER,
    KIN_BEFORE,
    LOWER_CUE,
    LOWER_VERB_CUE,
    NOT_PERSON_SUBJECTS,
    NOT_SPEAKERS,
    PERSON_VERBS,
    PLACE_WORDS,
    RANK_CUE,
    RELATION_BEFORE,
    RUN_SCORE,
    SIGNOFF,
    SINGLE_SCORE,
    SPEAKER_AFTER,
    STRONG_CUE,
    STRONG_VERB_AFTER,
    TOKEN,
    WEAK_CUE,
    WEAK_CUE_SCORE,
    WITH_WRITER,
    WRITER_WITH,
    Tok,
    after_determiner,
    at_line_start,
    code_context,
    cue_ends,
    ends_clause,
    in_name_list,
    line_is_short,
    lower_case_writer,
    sentence_start,
    subject_of_action,
    title_start,
)
from maskgate.detect.names.fields import field_names
from maskgate.detect.names.scripts import script_names
from maskgate.detect.spans import Span
from maskgate.detect.words import (
    DRUG_STEM,
    EPONYM_AFTER,
    LEADING_NON_NAME,
    NOT_NAMES,
    PARTICLES,
    STOP,
    SURNAME_PARTICLES,
    english_words,
    gazetteer,
    is_cap,
)

LABEL = "PERSON"
_PATIENT_BEFORE = re.compile(r"\b(?i:pt|patient)\.?[ \t]+$")


class NameLayer:
    """Gazetteer names with context (see the module docstring). Label: PERSON."""

    name = "names"
    version = "12"

    def __init__(self) -> None:
        self.table = gazetteer()

    def fingerprint(self) -> str:
        return f"names:{self.version}:{len(self.table)}"

    def tokens(self, text: str) -> list[Tok]:
        out = []
        for m in TOKEN.finditer(text):
            word = m.group(0)
            core = word.rstrip(".")
            if len(core) > 3 and core[-2:] in ("'s", "’s"):
                core = core[:-2]  # a possessive: "Misty's" is the name "Misty"
                word = core
            key = social.collapse_repeats(core.lower().replace("’", "'"), self.table)
            initial = len(core) == 1 and core.isupper()
            end = m.start() + len(core)
            # Letters glued to digits are part of an id, a hash or a UUID ("01a22ada-03ea"), not a
            # word: no name-table flags, so no rule takes them for a name.
            glued = (m.start() > 0 and text[m.start() - 1].isdigit()) or (
                end < len(text) and text[end].isdigit()
            )
            out.append(
                Tok(
                    m.start(),
                    end + (1 if initial and word.endswith(".") else 0),
                    core,
                    key,
                    "" if glued else self.table.get(key, ""),
                    is_cap(core),
                    initial,
                    key in PARTICLES,
                )
            )
        return out

    def detect(self, text: str) -> list[Span]:
        toks = self.tokens(text)
        if not toks:
            return []
        spans: list[tuple[int, int, float]] = []
        used = [False] * len(toks)
        self._fields(text, toks, spans, used)
        shapes.hashtag_names(text, toks, spans, used)
        informal.hashtag_names(text, spans)
        shapes.capital_runs(text, toks, spans, used)
        self._cues(text, toks, spans, used)
        social.aged_names(text, toks, spans, used)
        social.stretched_names(text, toks, spans, used)
        social.dash_signoffs(text, toks, spans, used)
        self._speakers(text, toks, spans, used)
        self._runs(text, toks, spans, used)
        self._shapes(text, toks, spans, used)
        shapes.lower_runs(text, toks, spans, used)
        shapes.header_lines(text, toks, spans, used)
        shapes.lists(text, toks, spans, used)
        self._subjects(text, toks, spans, used)
        self._casual(text, toks, spans, used)
        social.lower_subjects(text, toks, spans, used)
        social.joined_names(text, toks, spans, used)
        informal.word_name_pairs(text, toks, spans, used)
        informal.informal_names(text, toks, spans, used)
        figures.figure_names(text, toks, spans, used)
        self._singles(text, toks, spans, used)
        proper.proper_names(text, toks, spans, used)
        shapes.email_names(text, toks, spans, used)
        shapes.closing_names(text, toks, spans, used)
        self._repeats(text, toks, spans, used)
        informal.repeated_names(text, toks, spans, used)
        best: dict[tuple[int, int], float] = {}
        for s, e, sc in informal.drop_things(
            text, spans
        ):  # two rules may find the same name: one span, the higher score
            one_word = " " not in text[s:e]
            if one_word and (EPONYM_AFTER.match(text, e) or DRUG_STEM.fullmatch(text, s, e)):
                continue  # "Parkinson's disease", "Apgar score", "Losartan": no person
            s = title_start(text, s)  # "Dr. Feldman": the title is part of the masked name
            best[(s, e)] = max(sc, best.get((s, e), 0.0))
        return [Span(s, e, LABEL, sc, self.name) for (s, e), sc in sorted(best.items())]

    # -- structured text: form fields, table columns, segments, e-mail headers, greetings -------------
    def _fields(
        self, text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        starts = [t.start for t in toks]
        for a, b in field_names(text):
            spans.append((a, b, CUE_SCORE))
            for k in range(bisect_left(starts, a), bisect_left(starts, b)):
                used[k] = True
        for a, b in script_names(text):
            spans.append((a, b, RUN_SCORE))
            for k in range(bisect_left(starts, a), bisect_left(starts, b)):
                used[k] = True

    # -- transcripts: "Sara: ..." on several lines ------------------------------------------------
    def _speakers(
        self, text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        if text.count(":") < 2:
            return
        found = [
            i
            for i, t in enumerate(toks)
            if (t.cap or t.name)
            and not t.initial
            and at_line_start(text, t.start)
            and SPEAKER_AFTER.match(text, t.end)
        ]
        if len(found) < 2:
            return
        labels = [toks[i] for i in found if toks[i].key not in NOT_NAMES and toks[i].key not in NOT_SPEAKERS]
        if len(labels) < 2 or sum(1 for t in labels if t.name) * 2 < len(found):
            return
        for i in found:
            t = toks[i]
            if t.key in NOT_NAMES or t.key in NOT_SPEAKERS or used[i]:
                continue
            spans.append((t.start, t.end, RUN_SCORE))
            used[i] = True

    # -- the surname or given name of a name found above, used again alone ---------------------------
    def _repeats(
        self, text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        starts = [t.start for t in toks]
        known: set[str] = set()
        for a, b, _ in spans:
            part = [
                t
                for t in toks[bisect_left(starts, a) : bisect_left(starts, b)]
                if not t.initial and len(t.text) > 2
            ]
            if 2 <= len(part) <= 3:  # a longer span may have run into the next word
                known.update(
                    t.key
                    for t in part
                    if t.key not in NOT_NAMES
                    and t.key not in LEADING_NON_NAME
                    and t.key not in STOP
                    and t.key not in FOREIGN_STOP
                )
        if not known:
            return
        for i, t in enumerate(toks):
            if not used[i] and t.key in known and not code_context(text, t):
                if "w" in t.flags or t.key in english_words():
                    # "Young", "Fisher": also words, so capitalised, and at a sentence's start only as
                    # the subject of a verb ("Young later moved"; not "Young people")
                    opens = sentence_start(text, t.start) and text[: t.start].rstrip()[-1:] != ":"
                    if not t.cap or (opens and not subject_of_action(text, toks, i)):
                        continue
                elif not (t.cap or text[max(0, t.start - 60) : t.end].islower()):
                    continue
                spans.append((t.start, t.end, SINGLE_SCORE))
                used[i] = True

    # -- casual lower-case text: "lol ben really said", "my son hope turns 5", "auntie rosa" -----------
    def _casual(
        self, text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        english = english_words()
        # the whole text is written without capitals (a post, a chat line), not prose with long sentences
        casual_text: bool | None = None  # counted on the first candidate only
        for i, t in enumerate(toks):
            if used[i] or t.cap or t.initial or len(t.text) < 3 or "f" not in t.flags:
                continue
            if t.key in NOT_NAMES or t.key in STOP or t.key in LEADING_NON_NAME or t.key in FOREIGN_STOP:
                continue
            if t.key in social.SLANG:
                continue
            if code_context(text, t):
                continue
            related = RELATION_BEFORE.search(text, max(0, t.start - 40), t.start) is not None
            kin = KIN_BEFORE.search(text, max(0, t.start - 20), t.start) is not None
            if (related or kin) and t.key in AUXILIARIES:
                continue  # "her daughter will call back"
            kin_clean = (kin or related) and t.key not in english and "w" not in t.flags
            if kin_clean:
                pass  # "her son chidi", "ask for manny": the cue says person, capitals around or not
            elif not related:
                if t.key in english or "w" in t.flags or social.owned(text, t.start):
                    continue  # "my mic", "the app": a noun after a determiner
                if casual_text is None:
                    casual_text = sum(map(str.isupper, text)) <= max(2, len(text) // 300)
                if not casual_text and not social.caseless_line(text, t.start, t.end):
                    continue
            if (
                not kin_clean
                and not lower_case_writer(text, t.start, t.end)
                and not social.caseless_line(text, t.start, t.end)
            ):
                continue
            end = t.end
            last = social.surname_after(text, toks, i)
            if last > 0 and not used[last]:
                end = toks[last].end  # "dr. amina yusuf", "justin bieber": the surname too
                used[last] = True
            spans.append((t.start, end, SINGLE_SCORE))
            used[i] = True

    # -- the subject of a person's verb: "Banks signed", "Hope said", "Victoria administered" ----------
    def _subjects(
        self, text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        for i, t in enumerate(toks):
            if used[i] or not t.cap or t.initial or t.text.isupper() or not t.name:
                continue
            if t.key in NOT_PERSON_SUBJECTS or t.key in STOP or t.key in LEADING_NON_NAME:
                continue
            if (
                subject_of_action(text, toks, i)
                and not after_determiner(text, t.start)
                and not code_context(text, t)
            ):
                spans.append((t.start, t.end, RUN_SCORE))
                used[i] = True

    # -- 1. cues ------------------------------------------------------------------------------
    def _cues(
        self, text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        # where each kind of cue ends (one pass each over the text, not one search per word)
        strong_ends = cue_ends(STRONG_CUE, text)
        weak_ends = cue_ends(WEAK_CUE, text)
        signoff_ends = cue_ends(SIGNOFF, text)
        lower_ends = cue_ends(LOWER_CUE, text)
        lower_verb_ends = cue_ends(LOWER_VERB_CUE, text)  # "tell", "ping", "cc": also capitalised names
        rank_ends = cue_ends(RANK_CUE, text)
        abbreviated_ends = cue_ends(ABBREVIATED_RANK, text) if rank_ends else set()
        # a word after none of these cues takes no branch below (lower_ends and abbreviated_ends
        # only narrow strong_ends and rank_ends): skipped before any per-word work
        cued = strong_ends | weak_ends | signoff_ends | rank_ends | lower_verb_ends
        for i, t in enumerate(toks):
            if t.start not in cued or used[i] or code_context(text, t):
                continue
            before = text[max(0, t.start - 50) : t.start]
            signoff = t.start in signoff_ends and line_is_short(text, t)
            # a rank or office before a surname that is also a word: "Sgt. Young", "Nurse Rose Fisher"
            rank = (
                t.start in rank_ends
                and t.cap
                and (t.name or (t.start in abbreviated_ends and t.key not in english_words()))
                and t.key not in PLACE_WORDS
                and not (i + 1 < len(toks) and toks[i + 1].key in PLACE_WORDS)
            )
            strong = t.start in strong_ends or signoff or rank
            weak = not strong and t.start in weak_ends
            if not t.cap:
                # chat: "I'll ask kofi", "ping lena": a given name that is no English word, one token
                if (
                    t.start in lower_verb_ends
                    and t.clean_name
                    and "f" in t.flags
                    and t.key not in english_words()
                    and t.key not in NOT_NAMES
                    and not re.match(r"[ \t]*[,=\]:;(\[{.]\w", text[t.end : t.end + 3])
                ):
                    spans.append((t.start, t.end, WEAK_CUE_SCORE))
                    used[i] = True
                    continue
                # lower case: only after "my name is"-like cues, a gazetteer name or a word that is no
                # ordinary English word, and not followed by code punctuation ("name: str)")
                if not (strong and not signoff and t.start in lower_ends):
                    continue
                if t.key in english_words() and not t.clean_name:
                    continue
                if re.match(r"[ \t]*[,=\]:;(\[{]", text[t.end : t.end + 2]):
                    continue
                field = re.search(r"name\s*:\s*$", before, re.IGNORECASE) is not None
                if field and not t.clean_name and not re.match(r"[ \t]+[^\W\d_]", text[t.end : t.end + 2]):
                    continue  # "name: api" is a config value; "name: hyuuma t. maida" a person
            if not (strong or weak):
                continue
            if t.key in STOP or t.key in NOT_NAMES or t.particle or t.key in LEADING_NON_NAME:
                continue
            j = self._extend_name(text, toks, i, lower_ok=strong and not t.cap)
            group = toks[i:j]
            if not group:
                continue
            if strong:
                if not t.cap and not (t.name or ends_clause(text, group[-1].end)):
                    continue
                if t.cap and not (
                    t.name or len(group) > 1 or ends_clause(text, group[-1].end) or "w" not in t.flags
                ):
                    continue
                if len(group) == 1 and not t.name and t.key in english_words():
                    continue  # "Thanks,\nFacilities": a team, not a person
            else:
                # "Tell Deb I said hi", "ping Mark": after a chat verb a given name that is also a word
                chat_verb = t.start in lower_verb_ends and "f" in t.flags and len(group) == 1
                if not t.cap or not (chat_verb or any(g.clean_name for g in group)):
                    continue
            # a cue and the gazetteer agreeing outrank the model's guess of another type ("by Marcus")
            spans.append((group[0].start, group[-1].end, CUE_SCORE if strong else WEAK_CUE_SCORE))
            for k in range(i, j):
                used[k] = True

    def _extend_name(self, text: str, toks: list[Tok], i: int, lower_ok: bool) -> int:
        """Index after the last token of the name starting at toks[i] (same line, ≤ 4 words)."""
        j = i + 1
        while j < len(toks) and j - i < 5:
            prev, t = toks[j - 1], toks[j]
            gap = text[prev.end : t.start]
            if gap not in (" ", "  ", "-", " - ") and not (gap == "" and prev.initial):
                break
            if t.key in STOP and not t.particle:
                break
            if (
                t.cap
                or t.initial
                or (t.particle and j + 1 < len(toks) and toks[j + 1].cap)
                or (lower_ok and (t.name or (len(t.text) == 1)))
            ):
                pass
            else:
                break
            if t.cap and not (t.name or t.initial) and "w" in t.flags:
                break
            j += 1
        while j - 1 > i and toks[j - 1].particle:
            j -= 1
        return j

    # -- 2. runs of capitalised words -----------------------------------------------------------
    def _runs(
        self, text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        i = 0
        n = len(toks)
        while i < n:
            t = toks[i]
            if (
                used[i]
                or not t.cap
                or t.initial
                or not t.name
                or "f" not in t.flags
                or t.key in STOP  # "The", "An": given names somewhere, but not at a run's head
                or code_context(text, t)
            ):
                i += 1
                continue
            j = i + 1
            while j < n and j - i < 5:
                prev, nxt = toks[j - 1], toks[j]
                gap = text[prev.end : nxt.start]
                if gap not in (" ", "-") and not (gap == "" and prev.initial):
                    break
                if used[j] or code_context(text, nxt):
                    break
                abbreviation = nxt.text.isupper() and 1 < len(nxt.text) <= 3  # "Per RN Jess": a role
                if (
                    nxt.initial
                    or (nxt.particle and j + 1 < n and toks[j + 1].cap)
                    or (nxt.cap and nxt.name and not abbreviation)
                ):
                    j += 1
                    continue
                if nxt.cap and not nxt.flags and len(nxt.text) > 2 and j - i == 1 and t.clean_name:
                    j += 1  # an unknown surname after an unambiguous first name: "Natasja Xyzowska"
                    continue
                break
            while j - 1 > i and (toks[j - 1].particle or toks[j - 1].initial):
                j -= 1
            group = toks[i:j]
            # "Pt Hope Young": after "pt"/"patient" a full name of words that are also English words
            patient = _PATIENT_BEFORE.search(text, max(0, t.start - 12), t.start) is not None
            if len(group) >= 2 and (patient or any(g.clean_name for g in group if not g.initial)):
                spans.append((group[0].start, group[-1].end, RUN_SCORE))
                for k in range(i, j):
                    used[k] = True
                i = j
            else:
                i += 1

    def _shapes(
        self, text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        """Runs of capitalised words that are not ordinary English words, shaped like a full name:
        with a middle initial ("Ravil G Yefimov") or with a known name in them ("Rościsław Dudek")."""
        english = english_words()
        n = len(toks)

        def wordlike(t: Tok) -> bool:
            return (
                t.cap
                and not t.initial
                and not t.text.isupper()
                and t.key not in english
                and t.key not in NOT_NAMES
                and t.key not in LEADING_NON_NAME
                and not code_context(text, t)
            )

        i = 0
        while i < n:
            if used[i] or not wordlike(toks[i]):
                i += 1
                continue
            j = i + 1
            while j < n and j - i < 4 and not used[j]:
                gap = text[toks[j - 1].end : toks[j].start]
                if gap != " " and not (gap == "" and toks[j - 1].initial):
                    break
                t = toks[j]
                after_particle = toks[j - 1].particle and t.cap and not t.text.isupper() and t.key not in STOP
                if (
                    wordlike(t)
                    or t.initial
                    or after_particle
                    or (t.particle and j + 1 < n and toks[j + 1].cap)
                ):
                    j += 1
                    continue
                break
            while j - 1 > i and (toks[j - 1].initial or toks[j - 1].particle):
                j -= 1
            group = toks[i:j]
            words = [g for g in group if not g.initial and not g.particle]
            has_initial = any(g.initial for g in group)
            # a Dutch or German particle between two capitalised words: "Willemine ten Pas"
            has_particle = any(g.key in SURNAME_PARTICLES for g in group[1:-1])
            if len(words) >= 2 and (has_initial or has_particle or any(g.clean_name for g in words)):
                spans.append((group[0].start, group[-1].end, SINGLE_SCORE + 0.05))
                for k in range(i, j):
                    used[k] = True
                i = j
            else:
                i += 1

    # -- 3. single names -------------------------------------------------------------------------
    def _singles(
        self, text: str, toks: list[Tok], spans: list[tuple[int, int, float]], used: list[bool]
    ) -> None:
        n = len(toks)
        english = english_words()
        for i, t in enumerate(toks):
            # "Misty's daughter", "roberto's wife": a possessive before a kinship word
            if used[i] or t.initial or code_context(text, t) or t.key in NOT_NAMES:
                continue
            m = KIN_AFTER.match(text, t.end)
            strong_verb = STRONG_VERB_AFTER.match(text, t.end)
            # "daughter Grace", "Yara and I", "me and Ronan": a kin word or the writer beside a given name
            beside = (
                t.cap
                and "f" in t.flags
                and not t.text.isupper()
                and t.key not in STOP
                and t.key not in LEADING_NON_NAME
                and (
                    KIN_BEFORE.search(text, max(0, t.start - 20), t.start) is not None
                    or WITH_WRITER.match(text, t.end) is not None
                    or WRITER_WITH.search(text, max(0, t.start - 12), t.start) is not None
                )
            )
            if beside or (
                m and (t.name or t.key not in english) and (t.cap or (t.name and "w" not in t.flags))
            ):
                spans.append((t.start, t.end, SINGLE_SCORE))
                used[i] = True
            elif (
                strong_verb
                and t.cap
                and not t.text.isupper()
                and t.key not in english
                and t.key not in LEADING_NON_NAME
                and sentence_start(text, t.start)
            ):
                spans.append((t.start, t.end, SINGLE_SCORE))  # "Aristóteles spent a year at..."
                used[i] = True
        for i, t in enumerate(toks):
            if used[i] or not t.cap or t.initial or not t.clean_name or code_context(text, t):
                continue
            if t.text.isupper() and len(t.text) > 1:
                continue
            after = text[t.end : t.end + 30]
            nxt = toks[i + 1] if i + 1 < n else None
            start_of_sentence = sentence_start(text, t.start)
            speaker = start_of_sentence and re.match(r":[ \t]*[\"“'A-Za-z]", after) is not None
            possessive = after[:2] in ("'s", "’s")
            adjacent = nxt is not None and text[t.end : nxt.start] == " "
            verb = adjacent and nxt is not None and nxt.key in PERSON_VERBS
            vocative = re.match(r",[ \t]+(?:[a-z]|I\b)", after) is not None or (
                re.match(r"[ \t]*[?!]", after) and (text[max(0, t.start - 2) : t.start] == ", ")
            )
            listed = in_name_list(text, toks, i)
            first = "f" in t.flags
            if (
                first
                and not start_of_sentence
                and not (adjacent and nxt is not None and nxt.cap and not nxt.name)
            ):
                ok = True  # a known given name inside a sentence: "Why is Natasja so impulsive?"
            else:
                ok = bool(speaker or possessive or verb or vocative or listed)
            if ok:
                spans.append((t.start, t.end, SINGLE_SCORE))
                used[i] = True
