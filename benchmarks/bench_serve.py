"""Benchmarks 2-4: what the proxy adds, against a local fake upstream that answers instantly.

`maskgate serve` runs as a real subprocess (default pipeline, a temp SQLite vault, the built-in
providers pointed at the fake upstream, itself a separate process). Every figure is "added"
latency: the same request sent to the fake upstream directly and through maskgate, alternately.

2. Overhead: a 2 KB prompt, non-streaming, cold (new text every request) and fully cached; a
   streamed 4 KB answer in 16-character deltas: added time to first token and total time.
3. A growing agent conversation (Anthropic messages): 40 turns each adding ~3 KB (user text, a
   tool call, tool results with logs and code), the whole history re-sent every turn.
4. 50 concurrent streaming clients: throughput and latency percentiles, direct and proxied;
   4b: a cached streamed request alone and while detection is kept busy by 100 KB requests.
Then the RSS of the `maskgate serve` process (and of its detection worker).

    python benchmarks/bench_serve.py [--quick] [--only 2,3,4] [--serve-arg=--workers=2]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console
from rich.table import Table

from benchmarks.corpus import code, logs, prose
from benchmarks.fake_upstream import free_port

ROOT = Path(__file__).resolve().parent.parent
console = Console(width=150)
MODEL = "claude-bench"


# -- processes -------------------------------------------------------------------------------
def wait_ready(port: int, path: str, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited early with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port}")


@dataclass
class Servers:
    upstream_port: int
    proxy_port: int
    proxy: subprocess.Popen[bytes]
    upstream: subprocess.Popen[bytes] | None = None

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) so far of the serve process, its detection workers (its
        descendants) and the fake upstream: per-request CPU, whatever else loads the machine."""
        kids = _descendants(self.proxy.pid)
        return {
            "server": _cpu(self.proxy.pid),
            "workers": sum(_cpu(k) for k in kids),
            "upstream": _cpu(self.upstream.pid) if self.upstream is not None else 0.0,
        }

    def rss_mb(self) -> tuple[float, float]:
        """RSS of the serve process, and of it plus all its descendants (MB)."""
        own = _rss(self.proxy.pid)
        total = own + sum(_rss(p) for p in _descendants(self.proxy.pid))
        return own / 1024, total / 1024


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _descendants(pid: int) -> list[int]:
    out: list[int] = []
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        kids = [int(x) for x in children.read_text().split()]
    except OSError:
        return out
    for k in kids:
        out.append(k)
        out.extend(_descendants(k))
    return out


@contextmanager
def servers(serve_args: list[str], keep: Path | None = None) -> Iterator[Servers]:
    """Fake upstream and `maskgate serve` with a SQLite vault in a fresh directory (or in `keep`,
    which is left in place: a restart finds its vault and analysis cache)."""
    tmp = keep or Path(tempfile.mkdtemp(prefix="maskgate-bench-"))
    up_port, px_port = free_port(), free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    exe = Path(sys.executable).parent / "maskgate"
    up_log = (tmp / "upstream.log").open("wb")
    upstream = subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "fake_upstream.py"), "--port", str(up_port)],
        env=env,
        stdout=up_log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{up_port}"
    cmd = [
        str(exe),
        "serve",
        "--port",
        str(px_port),
        "--store",
        f"sqlite:///{tmp / 'vault.db'}",
        "--provider",
        f"anthropic={url}",
        "--provider",
        f"openai={url}",
        *serve_args,
    ]
    log = (tmp / "serve.log").open("wb")
    proxy = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(up_port, "/", upstream)
        wait_ready(px_port, "/healthz", proxy)
        yield Servers(up_port, px_port, proxy, upstream)
    finally:
        for p in (proxy, upstream):
            p.terminate()
        for p in (proxy, upstream):
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        log.close()
        up_log.close()
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


# -- requests --------------------------------------------------------------------------------
@dataclass
class Timing:
    total: float
    first_token: float | None = None


class Client:
    """One keep-alive HTTP/1.1 connection (http.client: the lightest client, same for both sides)."""

    def __init__(self, port: int, prefix: str) -> None:
        self.port = port
        self.prefix = prefix
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def post(self, path: str, body: bytes, headers: dict[str, str], stream: bool = False) -> Timing:
        hdrs = {"content-type": "application/json", **headers}
        t0 = time.perf_counter()
        self.conn.request("POST", self.prefix + path, body, hdrs)
        resp = self.conn.getresponse()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}: {resp.read()[:300]!r}")
        if not stream:
            resp.read()
            return Timing(time.perf_counter() - t0)
        first: float | None = None
        while True:
            chunk = resp.read1(65536)
            if not chunk:
                break
            if first is None and b"_delta" in chunk:
                first = time.perf_counter() - t0
        return Timing(time.perf_counter() - t0, first)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def ms(x: float) -> str:
    return f"{x * 1000:.2f}"


def prompt_2kb(seed: int) -> str:
    """~2 KB of the kind of text a user pastes: prose with contact details, a few log lines."""
    r = random.Random(seed)
    text = prose(r) + prose(r) + prose(r) + prose(r) + logs(r)[:500]
    return text[:2048]


def anthropic_body(messages: list[dict[str, Any]], stream: bool = False, system: str | None = None) -> bytes:
    body: dict[str, Any] = {"model": MODEL, "max_tokens": 1024, "messages": messages}
    if system:
        body["system"] = system
    if stream:
        body["stream"] = True
    return orjson.dumps(body)


def paired(
    direct: Client, proxy: Client, bodies: list[bytes], headers: dict[str, str], stream: bool = False
) -> tuple[list[Timing], list[Timing]]:
    d_out, p_out = [], []
    for i, body in enumerate(bodies):
        if i % 2:
            d_out.append(direct.post("/v1/messages", body, headers, stream))
            p_out.append(proxy.post("/v1/messages", body, headers, stream))
        else:
            p_out.append(proxy.post("/v1/messages", body, headers, stream))
            d_out.append(direct.post("/v1/messages", body, headers, stream))
    return d_out, p_out


def added(d: list[float], p: list[float]) -> tuple[float, float]:
    """Median and p99 of the added latency: proxied times minus the direct median."""
    base = statistics.median(d)
    extra = [x - base for x in p]
    return statistics.median(extra), pct(extra, 99)


# -- benchmark 2 -------------------------------------------------------------------------------
def bench_overhead(s: Servers, n: int) -> dict[str, float]:
    direct, proxy = Client(s.upstream_port, ""), Client(s.proxy_port, "/anthropic")
    headers = {"x-api-key": "bench-overhead", "anthropic-version": "2023-06-01"}
    # warm-up: connections, code paths
    warm = [anthropic_body([{"role": "user", "content": prompt_2kb(10_000 + i)}]) for i in range(10)]
    paired(direct, proxy, warm, headers)
    rows: dict[str, float] = {}
    table = Table(title="2. Proxy overhead vs the fake upstream called directly (ms)")
    for col in ("case", "direct median", "proxied median", "added median", "added p99", "p99/median"):
        table.add_column(col, justify="left" if col == "case" else "right")

    cold = [anthropic_body([{"role": "user", "content": prompt_2kb(i)}]) for i in range(n)]
    d, p = paired(direct, proxy, cold, headers)
    med, p99 = added([t.total for t in d], [t.total for t in p])
    rows["cold_median"], rows["cold_p99"] = med, p99
    table.add_row(
        "2 KB prompt, cold cache (new text each request)",
        ms(statistics.median(t.total for t in d)),
        ms(statistics.median(t.total for t in p)),
        ms(med),
        ms(p99),
        f"{p99 / med:.1f}x",
    )

    same = anthropic_body([{"role": "user", "content": prompt_2kb(424242)}])
    paired(direct, proxy, [same] * 3, headers)
    d, p = paired(direct, proxy, [same] * (2 * n), headers)
    med, p99 = added([t.total for t in d], [t.total for t in p])
    rows["cached_median"], rows["cached_p99"] = med, p99
    table.add_row(
        "2 KB prompt, fully cached",
        ms(statistics.median(t.total for t in d)),
        ms(statistics.median(t.total for t in p)),
        ms(med),
        ms(p99),
        f"{p99 / med:.1f}x",
    )

    hdrs = {**headers, "x-bench-answer-bytes": "4096", "x-bench-chunk": "16"}
    sbody = anthropic_body([{"role": "user", "content": prompt_2kb(424242)}], stream=True)
    paired(direct, proxy, [sbody] * 3, hdrs, stream=True)
    d, p = paired(direct, proxy, [sbody] * n, hdrs, stream=True)
    ttft_d = [t.first_token or t.total for t in d]
    ttft_p = [t.first_token or t.total for t in p]
    med, p99 = added(ttft_d, ttft_p)
    rows["ttft_median"], rows["ttft_p99"] = med, p99
    table.add_row(
        "streamed 4 KB answer (16-char deltas): time to first token",
        ms(statistics.median(ttft_d)),
        ms(statistics.median(ttft_p)),
        ms(med),
        ms(p99),
        f"{p99 / med:.1f}x" if med > 0 else "-",
    )
    med, p99 = added([t.total for t in d], [t.total for t in p])
    rows["stream_total_median"], rows["stream_total_p99"] = med, p99
    table.add_row(
        "streamed 4 KB answer: total time",
        ms(statistics.median(t.total for t in d)),
        ms(statistics.median(t.total for t in p)),
        ms(med),
        ms(p99),
        f"{p99 / med:.1f}x" if med > 0 else "-",
    )
    console.print(table)
    return rows


# -- benchmark 3 -------------------------------------------------------------------------------
def turn_messages(r: random.Random, turn: int) -> list[dict[str, Any]]:
    """One turn, ~3 KB: user text, an assistant tool call, tool results with logs and code."""
    user = prose(r) + f"Turn {turn}: please check the failing job and tell me what to change."
    log_text = logs(r) + logs(r)[:400]
    code_text = code(r) + code(r)[:300]
    tid = f"toolu_{turn:03d}"
    return [
        {"role": "user", "content": [{"type": "text", "text": user}]},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me look at the logs and the loader."},
                {
                    "type": "tool_use",
                    "id": tid,
                    "name": "bash",
                    "input": {"command": f"tail -n 25 /var/log/export-{turn}.log && cat orders.py"},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": tid, "content": log_text},
                {
                    "type": "tool_result",
                    "tool_use_id": tid + "b",
                    "content": [{"type": "text", "text": code_text}],
                },
            ],
        },
    ]


def bench_conversation(s: Servers, turns: int, reps: int) -> dict[str, float]:
    direct, proxy = Client(s.upstream_port, ""), Client(s.proxy_port, "/anthropic")
    system = "You are a coding agent working in the billing service repository. " * 20
    per_turn: dict[int, list[float]] = {t: [] for t in range(1, turns + 1)}
    sizes: dict[int, int] = {}
    for rep in range(reps):
        r = random.Random(1000 + rep)
        headers = {"x-api-key": f"bench-conversation-{rep}", "anthropic-version": "2023-06-01"}
        history: list[dict[str, Any]] = []
        for t in range(1, turns + 1):
            history.extend(turn_messages(r, t))
            body = anthropic_body(history, system=system)
            sizes[t] = len(body)
            if t % 2:
                dt = direct.post("/v1/messages", body, headers).total
                pt = proxy.post("/v1/messages", body, headers).total
            else:
                pt = proxy.post("/v1/messages", body, headers).total
                dt = direct.post("/v1/messages", body, headers).total
            per_turn[t].append(pt - dt)
            history.append({"role": "assistant", "content": [{"type": "text", "text": "Done: see above."}]})
    table = Table(title=f"3. Growing agent conversation: added latency per turn (median of {reps} runs)")
    for col in ("turn", "request body", "added ms", "vs turn 1"):
        table.add_column(col, justify="right")
    first = statistics.median(per_turn[1])
    out: dict[str, float] = {}
    for t in (1, 10, 20, 40):
        if t > turns:
            continue
        v = statistics.median(per_turn[t])
        out[f"turn{t}"] = v
        table.add_row(str(t), f"{sizes[t] / 1024:.0f} KB", ms(v), f"{v / first:.2f}x")
    console.print(table)
    return out


# -- benchmark 4 -------------------------------------------------------------------------------
async def _stream_once(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    path: str,
    body: bytes,
    headers: dict[str, str],
) -> Timing:
    head = f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    t0 = time.perf_counter()
    writer.write(head.encode() + body)
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"bad status {status!r}")
    chunked = False
    length = None
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        k, _, v = line.decode("latin-1").partition(":")
        if k.lower() == "transfer-encoding" and "chunked" in v.lower():
            chunked = True
        elif k.lower() == "content-length":
            length = int(v)
    first: float | None = None
    if not chunked:
        data = await reader.readexactly(length or 0)
        return Timing(time.perf_counter() - t0, time.perf_counter() - t0 if b"_delta" in data else None)
    while True:
        size = int((await reader.readline()).strip(), 16)
        if size == 0:
            await reader.readline()
            break
        data = await reader.readexactly(size + 2)
        if first is None and b"_delta" in data:
            first = time.perf_counter() - t0
    return Timing(time.perf_counter() - t0, first)


async def _clients(
    port: int, prefix: str, clients: int, per_client: int, shared: str
) -> tuple[float, list[Timing]]:
    timings: list[Timing] = []

    async def one(c: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        headers = {
            "content-type": "application/json",
            "x-api-key": f"bench-concurrency-{c}",
            "anthropic-version": "2023-06-01",
            "x-bench-answer-bytes": "4096",
            "x-bench-chunk": "16",
        }
        r = random.Random(c)
        for i in range(per_client):
            user = prose(r)[:500] + f" (client {c}, request {i})"
            body = anthropic_body([{"role": "user", "content": user}], stream=True, system=shared)
            timings.append(await _stream_once(reader, writer, prefix + "/v1/messages", body, headers))
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one(c) for c in range(clients)))
    return time.perf_counter() - t0, timings


def bench_concurrency(s: Servers, clients: int, per_client: int) -> dict[str, float]:
    shared = prompt_2kb(777)[:1500]
    # warm the shared system prompt into the cache
    Client(s.proxy_port, "/anthropic").post(
        "/v1/messages", anthropic_body([{"role": "user", "content": "hi"}], system=shared), {"x-api-key": "w"}
    )
    table = Table(
        title=f"4. {clients} concurrent streaming clients x {per_client} requests "
        "(1.5 KB cached system prompt + 0.5 KB new text each, 4 KB answer in 16-char deltas)"
    )
    for col in ("target", "requests/s", "answer KB/s", "TTFT p50", "TTFT p99", "total p50", "total p99"):
        table.add_column(col, justify="left" if col == "target" else "right")
    out: dict[str, float] = {}
    res: dict[str, list[Timing]] = {}
    cpu_rows: list[str] = []
    for name, port, prefix in (("direct", s.upstream_port, ""), ("maskgate", s.proxy_port, "/anthropic")):
        cpu0, own0 = s.cpu_seconds(), time.process_time()
        wall, timings = asyncio.run(_clients(port, prefix, clients, per_client, shared))
        cpu1, own1 = s.cpu_seconds(), time.process_time()
        res[name] = timings
        n = len(timings)
        per = {k: (cpu1[k] - cpu0[k]) * 1000 / n for k in cpu0}
        per["clients"] = (own1 - own0) * 1000 / n
        for k, v in per.items():
            out[f"{name}_cpu_{k}_ms"] = v
        parts = (
            ["server", "workers", "upstream", "clients"] if name == "maskgate" else ["upstream", "clients"]
        )
        cpu_rows.append(f"{name}: " + ", ".join(f"{k} {per[k]:.2f}" for k in parts))
        ttft = [t.first_token or t.total for t in timings]
        tot = [t.total for t in timings]
        out[f"{name}_rps"] = n / wall
        out[f"{name}_ttft_p99"] = pct(ttft, 99)
        out[f"{name}_total_p99"] = pct(tot, 99)
        table.add_row(
            name,
            f"{n / wall:.1f}",
            f"{n * 4 / wall:.0f}",
            ms(pct(ttft, 50)),
            ms(pct(ttft, 99)),
            ms(pct(tot, 50)),
            ms(pct(tot, 99)),
        )
    d_tot = [t.total for t in res["direct"]]
    p_tot = [t.total for t in res["maskgate"]]
    d_ttft = [t.first_token or t.total for t in res["direct"]]
    p_ttft = [t.first_token or t.total for t in res["maskgate"]]
    out["added_ttft_p50"] = pct(p_ttft, 50) - pct(d_ttft, 50)
    out["added_ttft_p99"] = pct(p_ttft, 99) - pct(d_ttft, 99)
    out["added_total_p50"] = pct(p_tot, 50) - pct(d_tot, 50)
    out["added_total_p99"] = pct(p_tot, 99) - pct(d_tot, 99)
    table.add_row(
        "added by maskgate",
        f"{out['maskgate_rps'] / out['direct_rps']:.2f}x",
        "",
        ms(out["added_ttft_p50"]),
        ms(out["added_ttft_p99"]),
        ms(out["added_total_p50"]),
        ms(out["added_total_p99"]),
    )
    console.print(table)
    console.print("CPU ms per request (user + system, /proc): " + "; ".join(cpu_rows))
    return out


def bench_flow(s: Servers, n: int) -> dict[str, float]:
    """Streams keep flowing while other requests are masked: a cached streamed request, alone and
    while two clients keep sending 100 KB of new text (detection busy all the time)."""
    import threading

    hdrs = {"x-api-key": "bench-flow", "x-bench-answer-bytes": "4096", "x-bench-chunk": "16"}
    sbody = anthropic_body([{"role": "user", "content": prompt_2kb(31337)}], stream=True)
    client = Client(s.proxy_port, "/anthropic")
    for _ in range(3):
        client.post("/v1/messages", sbody, hdrs, stream=True)
    idle = [client.post("/v1/messages", sbody, hdrs, stream=True) for _ in range(n)]
    stop = threading.Event()
    masked = [0]

    def load(k: int) -> None:
        c = Client(s.proxy_port, "/anthropic")
        i = 0
        while not stop.is_set():
            msgs = [{"role": "user", "content": prompt_2kb(10**6 * (k + 1) + 50 * i + j)} for j in range(50)]
            c.post("/v1/messages", anthropic_body(msgs), {"x-api-key": f"bench-load-{k}"})
            masked[0] += 1
            i += 1

    threads = [threading.Thread(target=load, args=(k,), daemon=True) for k in range(2)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    busy = [client.post("/v1/messages", sbody, hdrs, stream=True) for _ in range(n)]
    stop.set()
    for t in threads:
        t.join(120)
    table = Table(
        title="4b. A cached streamed request while detection is busy with 100 KB cold requests (ms)"
    )
    for col in ("condition", "TTFT p50", "TTFT p99", "total p50", "total p99"):
        table.add_column(col, justify="left" if col == "condition" else "right")
    out: dict[str, float] = {}
    for name, ts in (("detection idle", idle), ("2 clients sending 100 KB of new text", busy)):
        ttft = [t.first_token or t.total for t in ts]
        tot = [t.total for t in ts]
        out[f"{name}_ttft_p50"] = pct(ttft, 50)
        table.add_row(name, ms(pct(ttft, 50)), ms(pct(ttft, 99)), ms(pct(tot, 50)), ms(pct(tot, 99)))
    console.print(table)
    console.print(f"(100 KB cold requests masked meanwhile: {masked[0]})")
    return out


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return f"{os.cpu_count()} CPUs ({model}), load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer requests (a smoke run)")
    ap.add_argument("--only", default="2,3,4", help="which benchmarks, e.g. 2,3")
    ap.add_argument("--serve-arg", action="append", default=[], help="extra `maskgate serve` argument")
    args = ap.parse_args()
    only = {x.strip() for x in args.only.split(",")}
    n = 20 if args.quick else 100
    console.print(f"machine: {machine()}")
    with servers(args.serve_arg) as s:
        rss_start = s.rss_mb()
        if "2" in only:
            bench_overhead(s, n)
        if "3" in only:
            bench_conversation(s, 40, 1 if args.quick else 5)
            own, total = s.rss_mb()
            console.print(
                f"RSS of `maskgate serve` after benchmark 3: {own:.0f} MB"
                + (f" ({total:.0f} MB with its child processes)" if total > own + 1 else "")
                + f"; at start {rss_start[0]:.0f} MB"
            )
        if "4" in only:
            bench_concurrency(s, 50, 2 if args.quick else 6)
            bench_flow(s, 20 if args.quick else 50)
            own, total = s.rss_mb()
            console.print(
                f"RSS after benchmark 4: {own:.0f} MB"
                + (f" ({total:.0f} MB total)" if total > own + 1 else "")
            )
    console.print(f"machine after: {machine()}")


if __name__ == "__main__":
    main()
