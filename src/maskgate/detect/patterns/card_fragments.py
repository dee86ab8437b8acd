"""Card numbers the card recognizer (common.py) does not read: partly masked (`4526 01** **** 3012`,
`4526-01XX-XXXX-3012`), dotted (`4526.0181.5908.3012`: open_ids takes dots for a version) or
split 8-8 (`45260181 59083012`). Recall first: a masked card number that still shows its issuer
prefix and last four digits is masked whole. Run by the open_ids layer (one regex scan)."""

from __future__ import annotations

import re

from stdnum import luhn

from maskgate.detect.spans import Span

SCORE = 0.8
_MASK = "*•Xx"
# 4-4-4-4 with one separator throughout (or none), masks allowed inside; Amex 4-6-5; 8-8 with a space.
_CARD = re.compile(
    r"(?<![\w.*•/-])(?:"
    r"[3-6]\d{3}(?P<s>[ .-]?)[\d*•Xx]{4}(?P=s)[\d*•Xx]{4}(?P=s)[\d*•Xx]{0,3}\d"
    r"|3[47]\d{2}(?P<a>[ .-]?)[\d*•Xx]{6}(?P=a)[\d*•Xx]{4}\d"
    r"|[3-6]\d{7} \d{8}"
    r")(?![\w*•-]|[.]\d)"
)


def card_spans(text: str) -> list[Span]:
    out = []
    for m in _CARD.finditer(text):
        value = m.group()
        masked = sum(c in _MASK for c in value)
        digits = "".join(c for c in value if c.isdigit())
        if masked:
            # issuer prefix and last four visible, the middle hidden: still the person's card
            ok = masked >= 4 and len(digits) >= 8 and value[-4:].isdigit()
        else:
            sep = m.group("s") or m.group("a") or (" " if " " in value else "")
            ok = (
                sep in (".", " ")
                and 13 <= len(digits) <= 19
                and luhn.is_valid(digits)
                and len(set(digits)) > 2
            )
            ok = ok and (sep == "." or value.count(" ") == 1)  # spaced 4-4-4-4 is common.py's
        if ok:
            out.append(Span(m.start(), m.end(), "CREDIT_CARD", SCORE, "regex:open_ids"))
    return out
