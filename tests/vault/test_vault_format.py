"""The sealed-value format: vaults written by older versions keep opening, and a sealed value is
bound to its session and placeholder."""

from __future__ import annotations

import importlib.util
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from maskgate.vault import StoreError
from maskgate.vault.crypto import VERSION, VaultKeys
from maskgate.vault.sqlite import SQLiteStore

DATA = Path(__file__).parents[1] / "data"


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


def test_legacy_vault_is_resealed_in_the_current_format(legacy_copy: Path) -> None:
    SQLiteStore(legacy_copy).close()
    conn = sqlite3.connect(legacy_copy)
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
    blobs = [r[0] for r in conn.execute("SELECT value_enc FROM entries")]
    assert blobs and all(b[0] == VERSION for b in blobs)


def test_sealed_value_is_bound_to_session_and_placeholder() -> None:
    keys = VaultKeys(b"k" * 32)
    blob = keys.seal("s", "<EMAIL_1>", "a@x.io")
    assert keys.open("s", "<EMAIL_1>", blob) == "a@x.io"
    for session, ph in (("s", "<EMAIL_2>"), ("t", "<EMAIL_1>")):
        with pytest.raises(StoreError, match="does not decrypt"):
            keys.open(session, ph, blob)
    with pytest.raises(StoreError, match="does not decrypt"):
        VaultKeys(b"j" * 32).open("s", "<EMAIL_1>", blob)
    assert keys.mac("s", "a@x.io") != keys.mac("t", "a@x.io")


def test_sqlite_values_cannot_be_swapped_between_placeholders(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    store = SQLiteStore(path)
    store.assign("s", [("EMAIL", "a@x.io"), ("EMAIL", "b@x.io")])
    store.close()
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE entries SET value_enc = (SELECT value_enc FROM entries e2 WHERE e2.n = 3 - entries.n)"
    )
    conn.commit()
    with pytest.raises(StoreError):
        SQLiteStore(path).resolve("s", ["<EMAIL_1>"])


@pytest.mark.redis
def test_redis_values_cannot_be_swapped_between_placeholders_or_sessions(redis_url: str) -> None:
    import redis

    from maskgate.vault.redis import RedisStore

    prefix = f"t{uuid.uuid4().hex}"
    store = RedisStore(redis_url, key=b"r" * 32, prefix=prefix)
    store.assign("s", [("EMAIL", "a@x.io"), ("EMAIL", "b@x.io")])
    store.assign("t", [("EMAIL", "c@x.io")])
    r = redis.Redis.from_url(redis_url)
    (p2v_s,) = [k for k in r.keys(f"{prefix}*p2v") if r.hexists(k, "<EMAIL_2>")]
    (p2v_t,) = [k for k in r.keys(f"{prefix}*p2v") if k != p2v_s]
    one, two = r.hmget(p2v_s, ["<EMAIL_1>", "<EMAIL_2>"])
    r.hset(p2v_s, mapping={"<EMAIL_1>": two, "<EMAIL_2>": one})
    with pytest.raises(StoreError, match="does not decrypt"):
        store.resolve("s", ["<EMAIL_1>"])
    r.hset(p2v_t, "<EMAIL_1>", one)  # another session's value under the same placeholder
    with pytest.raises(StoreError, match="does not decrypt"):
        store.resolve("t", ["<EMAIL_1>"])
    store.close()


def _write_a9e7a20_redis(
    url: str, prefix: str, key: bytes, sessions: dict[str, list[tuple[str, str]]]
) -> None:
    """What RedisStore of a9e7a20 wrote: plain names in key names, values sealed for the session."""
    import hashlib
    import hmac
    import os

    import redis
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    r = redis.Redis.from_url(url)
    aead = AESGCM(hashlib.sha256(b"maskgate-enc" + key).digest())
    mac_key = hashlib.sha256(b"maskgate-mac" + key).digest()
    for name, items in sessions.items():
        base = f"{prefix}:s:{name}"
        for ph, (label, value) in _expected_items(items).items():
            nonce = os.urandom(12)
            mac = hmac.new(mac_key, f"{name}\x00{value}".encode(), hashlib.sha256).digest()
            r.hset(f"{base}:v2p", mac, ph)
            r.hset(f"{base}:p2v", ph, nonce + aead.encrypt(nonce, value.encode(), name.encode()))
            r.hincrby(f"{base}:n", label, 1)
        r.hset(f"{prefix}:sessions", mapping={f"{name}:created": 1000.0, f"{name}:updated": 2000.0})


def _expected_items(items: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    label_of = {v: label for label, v in items}
    return {ph: (label_of[v], v) for ph, v in _expected(items).items()}


@pytest.mark.redis
def test_redis_vault_written_by_a9e7a20_is_upgraded(redis_url: str) -> None:
    import redis

    from maskgate.vault.redis import RedisStore

    prefix, key = f"t{uuid.uuid4().hex}", b"r" * 32
    _write_a9e7a20_redis(redis_url, prefix, key, _legacy())
    stores = [RedisStore(redis_url, key=key, prefix=prefix) for _ in range(2)]  # the second finds it done
    for store in stores:
        for session, items in _legacy().items():
            expected = _expected(items)
            assert store.resolve(session, list(expected)) == expected
            assert store.assign(session, [("EMAIL", "new@example.org")]) == [
                f"<EMAIL_{sum(1 for p in expected if p.startswith('<EMAIL_')) + 1}>"
            ]
    info = stores[0].session_info(stores[0].session_id("alice@example.org"))
    assert info is not None and info.created == 1000.0
    r = redis.Redis.from_url(redis_url)
    assert not any(b"alice" in k or b"team/shared" in k for k in r.keys(f"{prefix}*"))
