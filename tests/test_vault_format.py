"""The sealed-value format: vaults written by older versions keep opening, and a sealed value is
bound to its session and placeholder."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from maskgate.vault.sqlite import SQLiteStore

DATA = Path(__file__).parent / "data"


def _legacy() -> dict[str, list[tuple[str, str]]]:
    spec = importlib.util.spec_from_file_location("make_legacy_vault", DATA / "make_legacy_vault.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LEGACY_CONTENTS  # type: ignore[no-any-return]


@pytest.fixture
def legacy_copy(tmp_path: Path) -> Path:
    """A copy of the vault written by maskgate a9e7a20 (opening may upgrade it in place)."""
    for name in ("legacy-vault.db", "legacy-vault.db.key"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path / "legacy-vault.db"


def _expected(items: list[tuple[str, str]]) -> dict[str, str]:
    counts: dict[str, int] = {}
    out = {}
    for label, value in items:
        if value in out.values():
            continue
        counts[label] = counts.get(label, 0) + 1
        out[f"<{label}_{counts[label]}>"] = value
    return out


def test_vault_written_by_a9e7a20_still_resolves(legacy_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASKGATE_VAULT_KEY", raising=False)
    for _ in range(2):  # the second open sees whatever the first one left
        store = SQLiteStore(legacy_copy)  # key from the .key file beside it
        for session, items in _legacy().items():
            expected = _expected(items)
            assert store.resolve(session, list(expected)) == expected
            # known values keep their placeholders, new ones continue the numbering
            assert store.assign(session, items) == [
                next(p for p, v in expected.items() if v == value) for _, value in items
            ]
        store.close()
    store = SQLiteStore(legacy_copy)
    assert store.assign("alice@example.org", [("EMAIL", "new.fake@example.org")]) == ["<EMAIL_3>"]
    store.close()
