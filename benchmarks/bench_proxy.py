"""Latency maskgate adds on top of an upstream: the fake upstream of the tests, called directly and
through `maskgate serve`, each in its own process. Non-streaming round trips (short ~300-char and
2 KB prompts) and time to first token when streaming. Every prompt is unique (no analysis-cache hits).

    .venv/bin/python benchmarks/bench_proxy.py [--n 200]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SHORT = (
    "Hi, I'm John Smith (john.smith@example.com). Ticket {i}: the deploy of service api-{i} failed at "
    "step 3 after the migration; the logs show a timeout talking to the database. Can you suggest what "
    "to check first and how to roll back safely? Please reply to mary.jones@example.org too. Thanks!"
)
FILLER = (
    " Ticket {i}.{k}: Sarah Connor from the Berlin office reported that the nightly export job stalls "
    "when the queue holds more than ten thousand items; she can be reached at sarah.connor@example.net."
)


def prompt(i: int, size: int) -> str:
    text, k = SHORT.format(i=i), 0
    while len(text) < size:
        text += FILLER.format(i=i, k=k)
        k += 1
    return text[: max(size, len(SHORT))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early ({proc.returncode})")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def start_servers(extra: list[str]) -> tuple[list[subprocess.Popen[bytes]], str, str]:
    py = sys.executable
    fake_port, proxy_port = free_port(), free_port()
    fake_code = (
        "import sys, uvicorn; sys.path.insert(0, 'tests'); from fake_upstream import FakeUpstream; "
        f"uvicorn.run(FakeUpstream().app, host='127.0.0.1', port={fake_port}, log_level='warning')"
    )
    fake = subprocess.Popen([py, "-c", fake_code], cwd=ROOT)
    fake_url = f"http://127.0.0.1:{fake_port}"
    maskgate = Path(py).with_name("maskgate")
    args = [str(maskgate), "serve", "--port", str(proxy_port), "--store", "memory://"]
    args += ["--provider", f"anthropic={fake_url}", "--provider", f"openai={fake_url}", *extra]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proxy = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs = [fake, proxy]
    wait_up(f"{fake_url}/v1/models", fake)
    wait_up(f"http://127.0.0.1:{proxy_port}/healthz", proxy)
    return procs, fake_url, f"http://127.0.0.1:{proxy_port}/anthropic"


def body(i: int, size: int, stream: bool) -> bytes:
    msg = {
        "model": "m",
        "max_tokens": 64,
        "stream": stream,
        "messages": [{"role": "user", "content": prompt(i, size)}],
    }
    return json.dumps(msg).encode()


def round_trip(client: httpx.Client, base: str, payload: bytes) -> float:
    t = time.perf_counter()
    r = client.post(f"{base}/v1/messages", content=payload)
    r.read()
    assert r.status_code == 200, r.text
    return time.perf_counter() - t


def first_token(client: httpx.Client, base: str, payload: bytes) -> float:
    t = time.perf_counter()
    with client.stream("POST", f"{base}/v1/messages", content=payload) as r:
        buf, took = b"", 0.0
        for chunk in r.iter_raw():  # read to the end, so the connection is reused
            buf += chunk
            if not took and b"text_delta" in buf:
                took = time.perf_counter() - t
    assert took, "no text delta in the stream"
    return took


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=200, help="requests per case and target")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--serve-arg", action="append", default=[], help="extra `maskgate serve` argument")
    opts = ap.parse_args()
    n, warmup = opts.n, opts.warmup
    procs, fake, proxy = start_servers(opts.serve_arg)
    headers = {"x-api-key": "sk-bench", "anthropic-version": "2023-06-01", "content-type": "application/json"}
    rows = []
    try:
        with httpx.Client(headers=headers, timeout=60) as client:
            cases = [
                ("non-stream, ~300 chars", 300, False, round_trip),
                ("non-stream, 2 KB", 2048, False, round_trip),
            ]
            cases += [
                ("stream TTFT, ~300 chars", 300, True, first_token),
                ("stream TTFT, 2 KB", 2048, True, first_token),
            ]
            seq = 0
            for name, size, stream, fn in cases:
                times: dict[str, list[float]] = {"direct": [], "proxy": []}
                for i in range(warmup + n):
                    for target, base in (("direct", fake), ("proxy", proxy)):
                        seq += 1
                        took = fn(client, base, body(seq, size, stream))
                        if i >= warmup:
                            times[target].append(took * 1000)
                d, p = times["direct"], times["proxy"]
                rows.append((name, statistics.median(d), pct(d, 0.99), statistics.median(p), pct(p, 0.99)))
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)
    head = f"{'case':<26}{'direct p50':>11}{'p99':>8}{'proxy p50':>11}{'p99':>8}{'added p50':>11}{'added p99':>11}"
    print(f"n={n} per case and target, times in ms, unique prompt per request (no cache hits)")
    if opts.serve_arg:
        print("maskgate serve " + " ".join(opts.serve_arg))
    print(head)
    print("-" * len(head))
    for name, d50, d99, p50, p99 in rows:
        print(f"{name:<26}{d50:>11.1f}{d99:>8.1f}{p50:>11.1f}{p99:>8.1f}{p50 - d50:>11.1f}{p99 - d99:>11.1f}")


if __name__ == "__main__":
    main()
