"""A fixed, deterministic mixed corpus for benchmarks: prose, logs, code, JSON (seeded, no files)."""

from __future__ import annotations

import json
import random

FIRST = [
    "James",
    "Maria",
    "Wei",
    "Aisha",
    "Oliver",
    "Sofia",
    "Liam",
    "Priya",
    "Noah",
    "Chloe",
    "Mateo",
    "Hana",
]
LAST = [
    "Smith",
    "Garcia",
    "Chen",
    "Khan",
    "Brown",
    "Rossi",
    "Murphy",
    "Patel",
    "Nguyen",
    "Martin",
    "Kowalski",
]
CITIES = ["Boston", "Leeds", "Sydney", "Auckland", "Denver", "Manchester", "Perth", "Wellington"]


def _person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def prose(r: random.Random) -> str:
    a, b = _person(r), _person(r)
    email = f"{a.split()[0].lower()}.{a.split()[1].lower()}@example.com"
    return (
        f"Hi team, {a} from the {r.choice(CITIES)} office reported that the export job failed again "
        f"last night. She can be reached at {email} or +1 415 555 {r.randint(1000, 9999)}. "
        f"{b} suggested we roll back the migration, but the billing report still shows the card "
        f"4111 1111 1111 1111 as pending. Could someone look into it before Thursday's review? "
        f"The customer mentioned that the invoice was sent to the wrong address twice. Thanks, {b.split()[0]}.\n"
    )


def logs(r: random.Random) -> str:
    lines = []
    for _ in range(12):
        ip = f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        user = r.choice(["jsmith", "mgarcia", "wchen", "akhan", "deploy"])
        lines.append(
            f"2026-11-{r.randint(10, 28)}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z "
            f"INFO sshd[{r.randint(1000, 99999)}]: Accepted publickey for {user} from {ip} port {r.randint(1024, 65535)}"
        )
        lines.append(
            f"2026-11-{r.randint(10, 28)} GET /api/v2/orders/{r.randint(1, 10**6)} 200 {r.randint(1, 900)}ms "
            f"req_id={r.getrandbits(64):016x} build=1.{r.randint(0, 30)}.{r.randint(0, 9)}"
        )
    return "\n".join(lines) + "\n"


def code(r: random.Random) -> str:
    n = r.randint(1, 999)
    return f'''def load_orders_{n}(session, customer_id: int, limit: int = 50) -> list[dict]:
    """Fetch the latest orders for a customer; see ticket OPS-{n} (reported by {_person(r)})."""
    query = session.query(Order).filter(Order.customer_id == customer_id)
    rows = query.order_by(Order.created_at.desc()).limit(limit).all()
    # TODO(wchen): retry on 503 from the payments gateway, commit 9f2c1e7{r.getrandbits(24):06x}
    return [{{"id": o.id, "total": float(o.total), "status": o.status.value}} for o in rows]

class HttpClientFactory:
    timeout = {r.randint(1, 60)}.0
    color = "#{r.getrandbits(24):06x}"
'''


def data(r: random.Random) -> str:
    recs = [
        {
            "id": r.randint(1, 10**6),
            "uuid": f"{r.getrandbits(128):032x}",
            "name": _person(r),
            "email": f"user{r.randint(1, 9999)}@example.org",
            "amount": round(r.random() * 1000, 2),
            "tags": ["priority", "eu-west-1"],
            "scores": [round(r.random(), 3) for _ in range(8)],
        }
        for _ in range(5)
    ]
    return json.dumps(recs) + "\n"


KINDS = {"prose": prose, "logs": logs, "code": code, "json": data}


def segments(n: int, seed: int = 42) -> list[str]:
    """n segments cycling prose, logs, code and JSON."""
    r = random.Random(seed)
    gens = list(KINDS.values())
    return [gens[i % len(gens)](r) for i in range(n)]


def corpus(target_chars: int = 200_000, seed: int = 42) -> list[str]:
    out: list[str] = []
    total = 0
    r = random.Random(seed)
    gens = list(KINDS.values())
    i = 0
    while total < target_chars:
        s = gens[i % len(gens)](r)
        out.append(s)
        total += len(s)
        i += 1
    return out
