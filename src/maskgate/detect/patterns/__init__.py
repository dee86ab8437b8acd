"""Recognizer packs: common (all locales), secrets, and one module per locale."""

from __future__ import annotations

from collections.abc import Iterable

from maskgate.detect.patterns.base import LOCALES, Recognizer


def recognizers_for(locales: Iterable[str] = LOCALES) -> list[Recognizer]:
    """Every built-in recognizer of the given locales plus the locale-free ones."""
    from maskgate.detect.patterns import common

    wanted = {loc.lower() for loc in locales}
    unknown = wanted - set(LOCALES)
    if unknown:
        raise ValueError(f"unknown locale(s): {', '.join(sorted(unknown))} (known: {', '.join(LOCALES)})")
    return [r for r in common.RECOGNIZERS if r.locale == "any" or r.locale in wanted]
