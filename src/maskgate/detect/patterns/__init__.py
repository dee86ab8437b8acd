"""Recognizer packs: common, phones, secrets, usernames, identifiers, national, edi, health (all locales),
one per locale."""

from __future__ import annotations

from collections.abc import Iterable

from maskgate.detect.patterns.base import LOCALES, Finder, Recognizer


def all_recognizers() -> list[Recognizer | Finder]:
    """Every built-in recognizer, locale-free ones first."""
    from maskgate.detect.patterns import (
        au,
        common,
        edi,
        es,
        health,
        identifiers,
        loose_ids,
        national,
        nz,
        phones,
        plain_ids,
        secrets,
        secrets_prose,
        uk,
        us,
        usernames,
        usernames_code,
        usernames_creds,
        usernames_fields,
        usernames_posts,
        usernames_prose,
        usernames_shell,
        usernames_tables,
    )

    out: list[Recognizer | Finder] = []
    for module in (
        common,
        phones,
        secrets,
        secrets_prose,
        usernames,
        usernames_fields,
        usernames_shell,
        usernames_code,
        usernames_creds,
        usernames_prose,
        usernames_posts,
        usernames_tables,
        identifiers,
        loose_ids,
        national,
        edi,
        health,
        us,
        uk,
        au,
        nz,
        es,
        plain_ids,
    ):
        out.extend(module.RECOGNIZERS)
    return out


def recognizers_for(locales: Iterable[str] = LOCALES) -> list[Recognizer | Finder]:
    """Every built-in recognizer of the given locales plus the locale-free ones."""
    wanted = {loc.lower() for loc in locales}
    unknown = wanted - set(LOCALES)
    if unknown:
        raise ValueError(f"unknown locale(s): {', '.join(sorted(unknown))} (known: {', '.join(LOCALES)})")
    return [r for r in all_recognizers() if r.locale == "any" or r.locale in wanted]
