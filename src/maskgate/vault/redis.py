"""Redis store: one vault shared by several maskgate replicas.

Values are encrypted (AES-GCM) before they reach Redis and looked up by an HMAC of the value, as in
the SQLite store. Assignment is one Lua script, so replicas racing on the same session never hand
out a number twice or two numbers for one value.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Collection, Sequence
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from platformdirs import user_data_dir

from maskgate.vault.base import Entry, SessionInfo, StoreError
from maskgate.vault.placeholder import parse
from maskgate.vault.sqlite import WRONG_KEY, load_key

# KEYS: v2p, p2v, counters, sessions. ARGV: session, now, then (mac, label, enc) triples.
_ASSIGN = """
local out = {}
local created = false
for i = 3, #ARGV, 3 do
  local mac, label, enc = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local ph = redis.call('HGET', KEYS[1], mac)
  if not ph then
    local n = redis.call('HINCRBY', KEYS[3], label, 1)
    ph = '<' .. label .. '_' .. n .. '>'
    redis.call('HSET', KEYS[1], mac, ph)
    redis.call('HSET', KEYS[2], ph, enc)
    created = true
  end
  out[#out + 1] = ph
end
if created then
  redis.call('HSETNX', KEYS[4], ARGV[1] .. ':created', ARGV[2])
  redis.call('HSET', KEYS[4], ARGV[1] .. ':updated', ARGV[2])
end
return out
"""


def _bytes(x: bytes | str) -> bytes:
    return x.encode() if isinstance(x, str) else x


def _str(x: bytes | str) -> str:
    return x.decode() if isinstance(x, bytes) else x


class RedisStore:
    def __init__(self, url: str, key: bytes | None = None, prefix: str = "maskgate") -> None:
        import redis

        try:
            self._r = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
            self._r.ping()
        except (redis.RedisError, ValueError) as exc:
            raise StoreError(f"cannot reach redis vault: {type(exc).__name__}: {exc}") from exc
        if key is None:
            # Replicas must share MASKGATE_VAULT_KEY; a single host may rely on its key file.
            key = load_key(
                Path(os.environ.get("MASKGATE_DATA_DIR", user_data_dir("maskgate"))) / "redis-vault"
            )
        self._mac_key = hashlib.sha256(b"maskgate-mac" + key).digest()
        self._aead = AESGCM(hashlib.sha256(b"maskgate-enc" + key).digest())
        self._prefix = prefix
        self._assign = self._r.register_script(_ASSIGN)
        self._errors = redis.RedisError

    def _keys(self, session: str) -> list[str]:
        base = f"{self._prefix}:s:{session}"
        return [f"{base}:v2p", f"{base}:p2v", f"{base}:n", f"{self._prefix}:sessions"]

    def _mac(self, session: str, value: str) -> bytes:
        return hmac.new(self._mac_key, f"{session}\x00{value}".encode(), hashlib.sha256).digest()

    def _encrypt(self, session: str, value: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, value.encode(), session.encode())

    def _decrypt(self, session: str, blob: bytes) -> str:
        try:
            return self._aead.decrypt(blob[:12], blob[12:], session.encode()).decode()
        except InvalidTag as exc:
            raise StoreError(WRONG_KEY) from exc

    def assign(self, session: str, items: Sequence[tuple[str, str]]) -> list[str]:
        args: list[bytes | str | float] = [session, time.time()]
        for label, value in items:
            args += [self._mac(session, value), label, self._encrypt(session, value)]
        try:
            out = self._assign(keys=self._keys(session), args=args)
        except self._errors as exc:
            raise StoreError(f"vault write failed: {type(exc).__name__}") from exc
        return [_str(p) for p in out]

    def resolve(self, session: str, placeholders: Collection[str]) -> dict[str, str]:
        wanted = [p for p in placeholders if parse(p)]
        if not wanted:
            return {}
        try:
            blobs = self._r.hmget(self._keys(session)[1], wanted)
        except self._errors as exc:
            raise StoreError(f"vault read failed: {type(exc).__name__}") from exc
        return {
            p: self._decrypt(session, _bytes(b)) for p, b in zip(wanted, blobs, strict=True) if b is not None
        }

    def sessions(self) -> list[SessionInfo]:
        raw = {_str(k): float(v) for k, v in self._r.hgetall(f"{self._prefix}:sessions").items()}
        out = []
        for name in sorted({k.rsplit(":", 1)[0] for k in raw}):
            entries = self._r.hlen(self._keys(name)[1])
            out.append(
                SessionInfo(name, entries, raw.get(f"{name}:created", 0.0), raw.get(f"{name}:updated", 0.0))
            )
        return out

    def entries(self, session: str) -> list[Entry]:
        rows = []
        for ph, blob in self._r.hgetall(self._keys(session)[1]).items():
            p = _str(ph)
            parsed = parse(p)
            rows.append(Entry(p, parsed[0] if parsed else "", self._decrypt(session, _bytes(blob))))
        return sorted(rows, key=lambda e: (e.label, parse(e.placeholder) or ("", 0)))

    def delete_session(self, session: str) -> int:
        keys = self._keys(session)
        n = int(self._r.hlen(keys[1]))
        self._r.delete(*keys[:3])
        self._r.hdel(keys[3], f"{session}:created", f"{session}:updated")
        return n

    def close(self) -> None:
        self._r.close()
