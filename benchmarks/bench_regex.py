"""Throughput of the regex layer alone on a deterministic ~200 KB mixed corpus (one core).

    .venv/bin/python benchmarks/bench_regex.py [--size 200000] [--repeat 5] [--locales us,uk,au,nz]

Prints one row per recognizer (matches, seconds per pass, whether the pre-check skipped it) and
the whole layer's chars/s. Caches are cleared before each timed pass. The corpus mixes prose,
server logs, Python code and JSON with a little PII, like the text a coding agent sends.
"""

from __future__ import annotations

import argparse
import random
import time

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer
from maskgate.detect.patterns.phones import clear_caches

PROSE = [
    "The deploy went out at {t} and the error rate dropped back to normal within a few minutes.",
    "Can you refactor the resolver so that overlapping spans keep the longest match?",
    "I think the cache key should include the pipeline fingerprint, otherwise stale results leak.",
    "Please email {email} if the migration fails again; she owns the billing service.",
    "Customer called from {phone} about invoice {n}; refund approved by the team lead.",
    "We bumped lodash to 4.17.21 and react to 18.2.0 in the same PR, see commit {sha}.",
]
LOGS = [
    "{d}T{t}.{ms}Z INFO  worker-{n} processed job {uuid} in {n}ms",
    "{d} {t} [warn] upstream timed out (110: Connection timed out) while reading response header",
    "Connection from {ip} port {port} on 0.0.0.0 port 22",
    "{d} {t} sshd[{n}]: Accepted publickey for deploy from {ip} port {port} ssh2",
    '{ip} - - [15/Jan/2024:{t} +0000] "GET /api/v1/items?page={n}&limit=50 HTTP/1.1" 200 {n}',
    "{d} {t} ERROR payment failed user={user} amount=12.50 currency=GBP",
]
CODE = [
    "def handle(request: Request, timeout: float = 30.0) -> Response:",
    "    result = await client.get(f'{{BASE_URL}}/items/{{item_id}}', timeout=timeout)",
    "    password = os.environ['DB_PASSWORD']",
    "    if result.status_code >= 500 and attempt < MAX_RETRIES:",
    "        logger.warning('retrying %s after %.2fs', url, backoff)",
    "    return Response(json.dumps(payload), status=201, headers={{'X-Request-Id': rid}})",
    "colors = {{'primary': '#ff00aa', 'muted': '#C0FFEE'}}  # sha {sha}",
]
JSON = [
    '{{"id": {n}, "uuid": "{uuid}", "created_at": "{d}T{t}Z", "score": 0.{n}, "tags": ["a", "b"]}}',
    '{{"version": "1.2.3", "resolved": "https://registry.npmjs.org/x/-/x-1.2.3.tgz", "integrity": "sha512-{b64}"}}',
    '{{"user": "{user}", "email": "{email}", "ip": "{ip}", "card": "4111 1111 1111 1111"}}',
]
USERS = ["jsmith", "mgarcia", "a.kowalski", "dnguyen"]
EMAILS = ["jane.doe@example.com", "ops@acme.io", "m.garcia@example.org"]
PHONES = ["(415) 555-2671", "+44 20 7946 0958", "0412 345 678"]


def make_corpus(size: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    hexd = "0123456789abcdef"
    b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    out: list[str] = []
    total = 0
    while total < size:
        template = rnd.choice(rnd.choice([PROSE, LOGS, CODE, JSON]))
        line = template.format(
            t=f"{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:{rnd.randrange(60):02d}",
            d=f"2024-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}",
            ms=rnd.randrange(1000),
            n=rnd.randrange(1, 100000),
            port=rnd.randrange(1024, 65535),
            ip=f"10.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}",
            sha="".join(rnd.choice(hexd) for _ in range(40)),
            uuid="-".join("".join(rnd.choice(hexd) for _ in range(k)) for k in (8, 4, 4, 4, 12)),
            b64="".join(rnd.choice(b64) for _ in range(86)) + "==",
            user=rnd.choice(USERS),
            email=rnd.choice(EMAILS),
            phone=rnd.choice(PHONES),
        )
        out.append(line)
        total += len(line) + 1
    return "\n".join(out)[:size]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--locales", default="us,uk,au,nz")
    args = ap.parse_args()

    text = make_corpus(args.size)
    layer = RegexLayer(recognizers_for(args.locales.split(",")))
    low = text.lower()

    print(f"corpus: {len(text):,} chars, {len(layer.recognizers)} recognizers, best of {args.repeat}")
    print(f"{'recognizer':<28} {'label':<12} {'matches':>8} {'seconds':>9}  note")
    for r in layer.recognizers:
        requires: tuple[str, ...] = getattr(r, "requires", ())
        skipped = bool(requires) and not any(w in low for w in requires)
        best = float("inf")
        matches = 0
        for _ in range(args.repeat):
            clear_caches()
            t0 = time.perf_counter()
            matches = 0 if skipped else sum(1 for _ in r.find(text))
            best = min(best, time.perf_counter() - t0)
        print(
            f"{r.name:<28} {r.label:<12} {matches:>8} {best:>9.4f}  {'skipped by pre-check' if skipped else ''}"
        )

    best = float("inf")
    spans = 0
    for _ in range(args.repeat):
        clear_caches()
        t0 = time.perf_counter()
        spans = len(layer.detect(text))
        best = min(best, time.perf_counter() - t0)
    warm = float("inf")
    for _ in range(args.repeat):  # caches kept: the same text again, as in a resent conversation
        t0 = time.perf_counter()
        layer.detect(text)
        warm = min(warm, time.perf_counter() - t0)
    print(f"{'TOTAL (layer.detect)':<28} {'':<12} {spans:>8} {best:>9.4f}")
    print(f"throughput: {len(text) / best:,.0f} chars/s on one core (cold phone cache)")
    print(f"            {len(text) / warm:,.0f} chars/s with the phone cache warm (same text again)")


if __name__ == "__main__":
    main()
