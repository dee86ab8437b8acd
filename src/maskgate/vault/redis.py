"""Redis store: one vault shared by several maskgate replicas.

Values are sealed (vault/crypto.py: AES-GCM bound to session and placeholder) before they reach
Redis and looked up by an HMAC of the value, as in the SQLite store; sessions are kept under their
keyed id. Per session id: `<prefix>:s:<id>:v2p` (value MAC -> placeholder), `:p2v` (placeholder ->
sealed value), `:n` (label -> last number), `:meta` (created, updated, expires); `<prefix>:index`
orders the ids by creation for paging.

Sessions expire natively: every use renews the TTL of the session's four keys (PEXPIRE), and the
store also compares `expires` with its own clock, so an expired session starts over even before
Redis drops it. Each call is one round trip (a Lua script); assigning new values takes two: sealing
binds a value to its placeholder, so the number must be known before the write. The client reads
the counters, seals for the numbers it expects, and the write script stores them only if no other
replica moved those counters or assigned those values meanwhile (else the client retries).
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from maskgate.vault.base import Clock, Entry, SessionInfo, StoreError, ttl_seconds
from maskgate.vault.crypto import KEY_ENV, LegacyKeys, VaultKeys, load_key
from maskgate.vault.placeholder import make, parse

# Shared by the scripts: KEYS v2p, p2v, n, meta, index; ARGV[1] id, ARGV[2] now, ARGV[3] ttl (0: none).
_EXPIRE = """
local function expire_at(e, now)
  for i = 1, 4 do
    if e == '' then redis.call('PERSIST', KEYS[i])
    else redis.call('PEXPIRE', KEYS[i], math.max(1, math.ceil((tonumber(e) - now) * 1000))) end
  end
end
"""

# Start an expired session over, renew a live one; then ARGV[4] 'resolve': HMGET p2v ARGV[5..];
# 'assign': ARGV[5] = M, v2p entries of the M MACs ARGV[6..], then the counters of the labels after.
_TOUCH = (
    _EXPIRE
    + """
local now, ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
local exp = redis.call('HGET', KEYS[4], 'expires')
if exp and exp ~= '' and tonumber(exp) <= now then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
  redis.call('ZREM', KEYS[5], ARGV[1])
  exp = false
end
if exp then
  redis.call('HSET', KEYS[4], 'updated', ARGV[2])
  if ttl > 0 and (exp == '' or tonumber(exp) < now + ttl) then
    exp = tostring(now + ttl)
    redis.call('HSET', KEYS[4], 'expires', exp)
  end
  expire_at(exp, now)
end
if ARGV[4] == 'resolve' then
  if not exp then return {} end
  return redis.call('HMGET', KEYS[2], unpack(ARGV, 5))
end
local out, m = {}, tonumber(ARGV[5])
for i = 6, #ARGV do
  local h = i < 6 + m and KEYS[1] or KEYS[3]
  out[#out + 1] = redis.call('HGET', h, ARGV[i]) or false
end
return out
"""
)

# ARGV[4] = L, then L (label, counter seen, counter after), then (mac, placeholder, sealed) triples.
_ASSIGN = (
    _EXPIRE
    + """
local now, ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
local nl = tonumber(ARGV[4])
local first = 5 + 3 * nl
for i = 5, first - 1, 3 do
  if tonumber(redis.call('HGET', KEYS[3], ARGV[i]) or '0') ~= tonumber(ARGV[i + 1]) then return 0 end
end
for i = first, #ARGV, 3 do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then return 0 end
end
for i = 5, first - 1, 3 do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 2])
end
for i = first, #ARGV, 3 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('HSET', KEYS[2], ARGV[i + 1], ARGV[i + 2])
end
if redis.call('EXISTS', KEYS[4]) == 0 then
  local exp = ttl > 0 and tostring(now + ttl) or ''
  redis.call('HSET', KEYS[4], 'created', ARGV[2], 'updated', ARGV[2], 'expires', exp)
  redis.call('ZADD', KEYS[5], now, ARGV[1])
end
expire_at(redis.call('HGET', KEYS[4], 'expires'), now)
return 1
"""
)

# ARGV[4]: the new expiry ('' = never). 0 if the session does not exist.
_EXTEND = (
    _EXPIRE
    + """
if redis.call('EXISTS', KEYS[4]) == 0 then return 0 end
redis.call('HSET', KEYS[4], 'expires', ARGV[4])
expire_at(ARGV[4], tonumber(ARGV[2]))
return 1
"""
)

# KEYS v2p, p2v; ARGV mac. 1 if the value was there.
_FORGET = """
local ph = redis.call('HGET', KEYS[1], ARGV[1])
if not ph then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ph)
return 1
"""
ASSIGN_TRIES = 50


def _bytes(x: bytes | str) -> bytes:
    return x.encode() if isinstance(x, str) else x


def _str(x: bytes | str) -> str:
    return x.decode() if isinstance(x, bytes) else x


class RedisStore:
    def __init__(
        self,
        url: str,
        key: bytes | None = None,
        prefix: str = "maskgate",
        ttl: float | None = None,
        clock: Clock = time.time,
    ) -> None:
        import redis

        self.ttl = ttl_seconds(ttl)
        self._clock = clock
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
        self._crypto = VaultKeys(key)
        self._prefix = prefix
        self._index = f"{prefix}:index"
        self._errors = redis.RedisError
        try:
            check = f"{prefix}:key_check"
            self._r.setnx(check, self._crypto.check_value)
            if self._r.get(check) != self._crypto.check_value:
                raise StoreError(
                    f"redis vault was written with another vault key ({KEY_ENV} or its key file)"
                )
        except redis.RedisError as exc:
            raise StoreError(f"cannot use redis vault: {type(exc).__name__}") from exc
        try:
            self._upgrade(key)
        except redis.RedisError as exc:
            raise StoreError(f"cannot upgrade redis vault: {type(exc).__name__}") from exc
        self._touch = self._r.register_script(_TOUCH)
        self._assign = self._r.register_script(_ASSIGN)
        self._extend = self._r.register_script(_EXTEND)
        self._forget = self._r.register_script(_FORGET)

    def _upgrade(self, key: bytes) -> None:
        """Move sessions written by maskgate up to a9e7a20 (plain names in key names, values sealed
        for the session only, index hash `<prefix>:sessions`) to the current layout. One replica
        does it (a lock key); the others wait for it."""
        old_index = f"{self._prefix}:sessions"
        if self._r.type(old_index) != b"hash":
            return
        lock = f"{self._prefix}:upgrading"
        if not self._r.set(lock, "1", nx=True, ex=120):
            for _ in range(1200):
                if not self._r.exists(old_index):
                    return
                time.sleep(0.1)
            raise StoreError("redis vault: another replica did not finish upgrading it")
        legacy, now = LegacyKeys(key), self._clock()
        times = {_str(k): float(v) for k, v in self._r.hgetall(old_index).items()}
        for name in sorted({k.rsplit(":", 1)[0] for k in times}):
            base = f"{self._prefix}:s:{name}"
            sid = self._crypto.session_id(name)
            keys = self._keys(sid)
            v2p, p2v = {}, {}
            for ph, blob in self._r.hgetall(f"{base}:p2v").items():
                p, value = _str(ph), legacy.open(name, None, _bytes(blob))
                v2p[self._crypto.mac(sid, value)] = p
                p2v[p] = self._crypto.seal(sid, p, value)
            counters = self._r.hgetall(f"{base}:n")
            created = times.get(f"{name}:created", now)
            pipe = self._r.pipeline(transaction=True)
            if v2p:
                pipe.hset(keys[0], mapping=v2p)  # type: ignore[arg-type]
                pipe.hset(keys[1], mapping=p2v)  # type: ignore[arg-type]
            if counters:
                pipe.hset(keys[2], mapping=counters)  # type: ignore[arg-type]
            expires = now + self.ttl if self.ttl else ""
            meta = {"created": created, "updated": times.get(f"{name}:updated", created), "expires": expires}
            pipe.hset(keys[3], mapping=meta)  # type: ignore[arg-type]
            pipe.zadd(self._index, {sid: created})
            if self.ttl:
                for k in keys[:4]:
                    pipe.pexpire(k, int(self.ttl * 1000))
            pipe.delete(f"{base}:v2p", f"{base}:p2v", f"{base}:n")
            pipe.hdel(old_index, f"{name}:created", f"{name}:updated")
            pipe.execute()
        self._r.delete(old_index, lock)

    def _keys(self, sid: str) -> list[str]:
        base = f"{self._prefix}:s:{sid}"
        return [f"{base}:v2p", f"{base}:p2v", f"{base}:n", f"{base}:meta", self._index]

    def _head(self, sid: str) -> list[Any]:
        return [sid, repr(self._clock()), repr(self.ttl or 0)]

    def session_id(self, name: str) -> str:
        return self._crypto.session_id(name)

    # -- proxy -----------------------------------------------------------------------------
    def assign(self, session: str, items: Sequence[tuple[str, str]]) -> list[str]:
        sid = self._crypto.session_id(session)
        keys = self._keys(sid)
        macs = [self._crypto.mac(sid, v) for _, v in items]
        labels = sorted({label for label, _ in items})
        try:
            for _ in range(ASSIGN_TRIES):
                head = self._head(sid)
                got = self._touch(keys=keys, args=[*head, "assign", len(macs), *macs, *labels])
                out = [_str(p) if p is not None else None for p in got[: len(macs)]]
                if all(out):
                    return out  # type: ignore[return-value]
                seen = {lb: int(c or 0) for lb, c in zip(labels, got[len(macs) :], strict=True)}
                after = dict(seen)
                new: dict[bytes, str] = {}
                writes: list[Any] = []
                for i, ((label, value), mac) in enumerate(zip(items, macs, strict=True)):
                    if out[i] is None and mac not in new:
                        after[label] += 1
                        new[mac] = make(label, after[label])
                        writes += [mac, new[mac], self._crypto.seal(sid, new[mac], value)]
                    out[i] = out[i] or new[mac]
                moved = [lb for lb in labels if after[lb] != seen[lb]]
                args: list[Any] = [*head, len(moved)]
                for lb in moved:
                    args += [lb, seen[lb], after[lb]]
                if self._assign(keys=keys, args=args + writes):
                    return out  # type: ignore[return-value]
        except self._errors as exc:
            raise StoreError(f"vault write failed: {type(exc).__name__}") from exc
        raise StoreError("vault write failed: too much contention on one session")

    def resolve(self, session: str, placeholders: Collection[str]) -> dict[str, str]:
        sid = self._crypto.session_id(session)
        wanted = [p for p in placeholders if parse(p)]
        if not wanted:
            return {}
        try:
            blobs = self._touch(keys=self._keys(sid), args=[*self._head(sid), "resolve", *wanted])
        except self._errors as exc:
            raise StoreError(f"vault read failed: {type(exc).__name__}") from exc
        return {
            p: self._crypto.open(sid, p, _bytes(b))
            for p, b in zip(wanted, blobs, strict=False)
            if b is not None
        }

    # -- admin -----------------------------------------------------------------------------
    def _metas(self, sids: list[str]) -> list[tuple[float, float, float | None] | None]:
        """(created, updated, expires) of each live session, None for the others."""
        pipe = self._r.pipeline(transaction=False)
        for sid in sids:
            pipe.hmget(self._keys(sid)[3], ["created", "updated", "expires"])
        now, out = self._clock(), []
        for created, updated, expires in pipe.execute():
            exp = float(expires) if expires else None
            live = created is not None and (exp is None or exp > now)
            out.append((float(created), float(updated), exp) if live else None)
        return out

    def _infos(self, sids: list[str], metas: list[tuple[float, float, float | None]]) -> list[SessionInfo]:
        pipe = self._r.pipeline(transaction=False)
        for sid in sids:
            pipe.hkeys(self._keys(sid)[1])
        out = []
        for sid, meta, phs in zip(sids, metas, pipe.execute(), strict=True):
            labels: dict[str, int] = {}
            for ph in phs:
                label = (parse(_str(ph)) or ("", 0))[0]
                labels[label] = labels.get(label, 0) + 1
            out.append(SessionInfo(sid, len(phs), meta[0], meta[1], meta[2], labels))
        return out

    def _all_ids(self) -> list[str]:
        members: list[bytes] = self._r.zrange(self._index, 0, -1)  # type: ignore[assignment]
        return [_str(m) for m in members]  # by created, then id

    def sessions(self, offset: int = 0, limit: int = 100) -> list[SessionInfo]:
        try:
            sids = self._all_ids()
            live = [(s, m) for s, m in zip(sids, self._metas(sids), strict=True) if m is not None]
            page = live[max(0, offset) : max(0, offset) + max(0, limit)]
            return self._infos([s for s, _ in page], [m for _, m in page])
        except self._errors as exc:
            raise StoreError(f"vault read failed: {type(exc).__name__}") from exc

    def session_info(self, session_id: str) -> SessionInfo | None:
        try:
            (meta,) = self._metas([session_id])
            return self._infos([session_id], [meta])[0] if meta else None
        except self._errors as exc:
            raise StoreError(f"vault read failed: {type(exc).__name__}") from exc

    def entries(self, session_id: str) -> list[Entry]:
        try:
            if self._metas([session_id])[0] is None:
                return []
            rows = self._r.hgetall(self._keys(session_id)[1]).items()
        except self._errors as exc:
            raise StoreError(f"vault read failed: {type(exc).__name__}") from exc
        out = []
        for ph, blob in rows:
            p = _str(ph)
            out.append(Entry(p, (parse(p) or ("", 0))[0], self._crypto.open(session_id, p, _bytes(blob))))
        return sorted(out, key=lambda e: parse(e.placeholder) or ("", 0))

    def delete_session(self, session_id: str) -> int:
        keys = self._keys(session_id)
        try:
            pipe = self._r.pipeline(transaction=True)
            pipe.hlen(keys[1])
            pipe.delete(*keys[:4])
            pipe.zrem(self._index, session_id)
            return int(pipe.execute()[0])
        except self._errors as exc:
            raise StoreError(f"vault write failed: {type(exc).__name__}") from exc

    def extend(self, session_id: str, seconds: float | None = None) -> SessionInfo | None:
        span = self.ttl if seconds is None else ttl_seconds(seconds)
        now = self._clock()
        try:
            if self._metas([session_id])[0] is None:
                return None
            expires = "" if span is None else repr(now + span)
            if not self._extend(keys=self._keys(session_id), args=[*self._head(session_id), expires]):
                return None
        except self._errors as exc:
            raise StoreError(f"vault write failed: {type(exc).__name__}") from exc
        return self.session_info(session_id)

    def prune(self, now: float | None = None) -> int:
        at = self._clock() if now is None else now
        try:
            sids = self._all_ids()
            pipe = self._r.pipeline(transaction=False)
            for sid in sids:
                pipe.hmget(self._keys(sid)[3], ["created", "expires"])
            dead = [
                sid
                for sid, (created, expires) in zip(sids, pipe.execute(), strict=True)
                if created is None or (expires and float(expires) <= at)  # gone already, or due
            ]
            pipe = self._r.pipeline(transaction=False)
            for sid in dead:
                pipe.delete(*self._keys(sid)[:4])
                pipe.zrem(self._index, sid)
            pipe.execute()
        except self._errors as exc:
            raise StoreError(f"vault write failed: {type(exc).__name__}") from exc
        return len(dead)

    def forget(self, value: str) -> int:
        try:
            sids = self._all_ids()
            pipe = self._r.pipeline(transaction=False)
            for sid in sids:
                self._forget(keys=self._keys(sid)[:2], args=[self._crypto.mac(sid, value)], client=pipe)
            return sum(int(x) for x in pipe.execute())
        except self._errors as exc:
            raise StoreError(f"vault write failed: {type(exc).__name__}") from exc

    def sessions_with(self, value: str) -> list[str]:
        try:
            sids = self._all_ids()
            pipe = self._r.pipeline(transaction=False)
            for sid in sids:
                pipe.hexists(self._keys(sid)[0], self._crypto.mac(sid, value))
            held = [sid for sid, found in zip(sids, pipe.execute(), strict=True) if found]
            if not held:
                return []
            return [sid for sid, meta in zip(held, self._metas(held), strict=True) if meta is not None]
        except self._errors as exc:
            raise StoreError(f"vault read failed: {type(exc).__name__}") from exc

    def close(self) -> None:
        self._r.close()
