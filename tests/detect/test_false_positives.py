"""What coding agents send all day must not trip the structured recognizers.

Each snippet is realistic developer text with no personal data in it: git logs, stack traces,
lock files, CSS, container tables, access logs without client data, test output. The regex layer
must find nothing; the full default pipeline (with spaCy NER) must raise no structured label.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

GIT_LOG = """\
commit 9fceb02d0ae598e95dc970b74767f19372d61af8 (HEAD -> main, origin/main)
Merge: 1a2b3c4 5d6e7f8
Date:   Mon Jan 15 10:30:00 2024 +0000

    Bump version to 2.10.0 and fix flaky test in resolver (#1234)

    Refs: 3f786850e387550fdab836ed7e6dc881de23001b

commit e83c5163316f89bfbde7d9ab23ca2e25604af290
Date:   Sun Jan 14 22:01:13 2024 +0000

    Revert "Use sha256 for cache keys" (reverts commit 0d1d7fc32e5a947fbd92ee598033d85bfc445a50)

 src/app/cache.py     | 12 ++++++------
 tests/test_cache.py  |  4 ++--
 2 files changed, 8 insertions(+), 8 deletions(-)
"""

STACK_TRACE = """\
Traceback (most recent call last):
  File "/usr/lib/python3.11/site-packages/uvicorn/protocols/http/h11_impl.py", line 408, in run_asgi
    result = await app(  # type: ignore[func-returns-value]
  File "/app/src/service/handlers.py", line 1234, in handle_request
    payload = decode(body, max_size=1048576)
  File "/app/src/service/codec.py", line 87, in decode
    raise ValueError(f"bad frame at offset {offset:#x}")
ValueError: bad frame at offset 0x7ffd5e8c3a10
Segmentation fault at 0x00007f3a2c1b4e80 in thread 140234567890123
  at Object.<anonymous> (/home/runner/work/app/app/index.js:120:15)
  at Module._compile (node:internal/modules/cjs/loader:1256:14)
"""

PACKAGE_JSON = """\
{
  "name": "@acme/web-client",
  "version": "3.14.159",
  "private": true,
  "engines": { "node": ">=18.17.0 <21", "npm": "^9.8.1" },
  "dependencies": {
    "react": "^18.2.0",
    "react-dom": "~18.2.0",
    "lodash": "4.17.21",
    "typescript": ">=5.0.0 <5.4.0 || 5.4.2",
    "@types/node": "20.11.5"
  },
  "config": { "port": 8080, "timeoutMs": 30000, "retries": 3, "ratio": 0.75 },
  "build": { "id": 1705312200123, "ts": 1705312200, "commit": "9fceb02", "size": 4294967296 }
}
"""

LOCK_FILE = """\
[[package]]
name = "certifi"
version = "2024.2.2"
description = "Python package for providing Mozilla's CA Bundle."
files = [
    {file = "certifi-2024.2.2-py3-none-any.whl", hash = "sha256:dc383c07b76109f368f6106eee2b593b04a011ea4d55f652c6ca24a754d1cdd1"},
    {file = "certifi-2024.2.2.tar.gz", hash = "sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f"},
]

# package-lock.json
"node_modules/lodash": {
  "version": "4.17.21",
  "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",
  "integrity": "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="
}
# requirements.txt
urllib3==2.1.0.1 ; python_version >= "3.8"
grpcio==1.60.0.2 --hash=sha256:4b2c0ba6c5ee1b62b6e2b4d0ba2c1e7f8d5a4e3b2c1d0e9f8a7b6c5d4e3f2a1b
pip install foo==1.2.3.4 bar>=10.0.0.1 baz~=3.2.1.0
"""

CSS = """\
:root {
  --brand: #ff00aa;
  --brand-dark: #C0FFEE;
  --shadow: 0 1px 2px rgba(0, 0, 0, 0.25);
}
.card { margin: 0 auto; padding: 12px 16px; width: calc(100% - 2.5rem); color: #333; }
@media (min-width: 768px) and (max-width: 1024px) { .grid { grid-template-columns: 1fr 2fr; } }
.icon::before { content: "\\f101"; transform: rotate(45deg) scale(1.05); }
"""

DOCKER_PS = """\
CONTAINER ID   IMAGE                     COMMAND                  CREATED        STATUS                  PORTS                                       NAMES
4c01db0b339c   postgres:16.1-alpine      "docker-entrypoint.s…"   2 hours ago    Up 2 hours (healthy)    0.0.0.0:5432->5432/tcp, :::5432->5432/tcp   db
d7886598dbe2   redis:7.2.4               "redis-server --appe…"   2 hours ago    Up 2 hours              127.0.0.1:6379->6379/tcp                    cache
a1b2c3d4e5f6   ghcr.io/acme/api:v2.10.0  "uvicorn app:app --h…"   5 minutes ago  Restarting (1) 3s ago                                               api
image: nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac
"""

ACCESS_LOG = """\
[2024-01-15T10:30:00.123Z] GET /api/v1/items?page=2&limit=50&sort=desc HTTP/1.1 200 1532 12ms
[2024-01-15T10:30:01.456Z] POST /api/v1/items HTTP/1.1 201 88 34ms "Mozilla/5.0 (X11; Linux x86_64) \
AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36"
[2024-01-15T10:30:02.789Z] GET /healthz HTTP/1.1 200 2 0ms "kube-probe/1.28"
2024/01/15 10:30:03 [warn] 12#12: *4021 upstream response buffered, request id 7f3c2a9e-1b4d-4e8f-9a6b-2c5d8e1f3a7b
127.0.0.1 - - [15/Jan/2024:10:30:04 +0000] "GET /static/app.8f3a2b1c.js HTTP/2.0" 304 0
"""

PYTEST_OUTPUT = """\
============================= test session starts ==============================
platform linux -- Python 3.11.7, pytest-8.0.0, pluggy-1.4.0
rootdir: /home/dev/project
plugins: hypothesis-6.92.1, xdist-3.5.0
collected 142 items

tests/test_api.py ........F.....                                         [ 10%]
tests/test_models.py::test_roundtrip[case-3] FAILED                      [ 11%]

================================== FAILURES ===================================
_____________________________ test_roundtrip[3] ______________________________
>       assert result == 1700000000000
E       assert 1699999999999 == 1700000000000
tests/test_models.py:120: AssertionError
========================= 1 failed, 141 passed in 12.34s =========================
"""

CODE = """\
def connect(host: str = "localhost", port: int = 5432, password: str | None = None) -> Conn:
    password = password or os.environ["DB_PASSWORD"]
    api_key = settings.API_KEY
    token = get_token(scope="read")
    user = User.objects.get(pk=user_id)
    username = request.user.username
    secret = os.getenv("APP_SECRET", default=None)
    conn = psycopg.connect(f"postgresql://{user}:{password}@{host}:{port}/app")
    log.info("connected in %.3f s (retry %d/%d)", elapsed, attempt, MAX_RETRIES)
    if timeout_ms > 30_000 or version < (3, 11, 2):
        raise TimeoutError(f"timed out after {timeout_ms} ms at {datetime.now():%H:%M:%S}")
    ids = [uuid.UUID("123e4567-e89b-12d3-a456-426614174000"), 0xDEADBEEF, 0x7FFD5E8C3A10]
    return Conn(host, port, password=password, user=username, sslmode="require")
"""

CONFIG = """\
# config.yaml
server:
  listen: 0.0.0.0:8080
  read_timeout: 30s
database:
  url: postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/app
  password: ${DB_PASSWORD}
  pool_size: 20
auth:
  jwt_secret: !vault |
  token_ttl: 3600
cron: "*/5 * * * *"
semver: ">=1.2.3 <2.0.0-rc.1"
"""

MISC = """\
Release v2.10.0 (build 20240115.3), kernel 6.5.0-14-generic, firmware version 1.2.3.4.
OID 1.3.6.1.4.1.311.21.8 and 2.5.4.3 (commonName); SNMP walk of iso.3.6.1.2.1.1.5.0.
Run at 10:30:00 on 2024-01-15 (epoch 1705314600, ms 1705314600000); took 00:01:23.456.
See line 1234 and app/models.py:120; listening on :8080; PID 48213; exit code 137.
Base64 blob: SGVsbG8gd29ybGQsIHRoaXMgaXMganVzdCBhIHRlc3Qgc3RyaW5nIGZvciBlbmNvZGluZw==
Digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 and md5 d41d8cd98f00b204e9800998ecf8427e.
UUID 550e8400-e29b-41d4-a716-446655440000, short SHA 1a2b3c4, full 3f786850e387550fdab836ed7e6dc881de23001b.
Chrome/120.0.6099.109 and Firefox/121.0 and python3.11.4 and node v20.10.0 and go1.21.5.
Matrix: [[1.5, 2.25], [3.125, 4.0625]], ratio 0.333, 1e-9, -273.15, 6.022e23.
Order of ops: 3 * (4 + 5) = 27; 2^10 = 1024; 1,000,000 rows; 12.5% done; 99.99% uptime.
std::vector<int> v; std::map<std::string, int> m; Foo::bar(); crate::module::func().
"""

JSON_NUMBERS = """\
{"id": 4155552671, "count": 1048576, "user_id": 123456789, "amount": 1999.99,
 "created_at": 1705312200, "updated_ms": 1705312200123, "ratio": 0.125, "zip": null,
 "coords": [51.5074, -0.1278], "version": "1.2.3.4", "build": 20240115, "seq": 9434765919,
 "snowflake": 1747301648291037185, "hash": "5d41402abc4b2a76b9719d911017c592", "port": 5432,
 "items": [{"sku": "ABC-12345", "qty": 3, "price": 12.5}], "color": "#1e90ff"}
"""

K8S_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app: api, version: "2.10.0"}
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:2.10.0@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac
          ports: [{containerPort: 8080}]
          resources: {limits: {cpu: 500m, memory: 512Mi}}
          env:
            - {name: DATABASE_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
            - {name: LOG_LEVEL, value: debug}
"""

ENV_FILE = """\
NODE_ENV=production
PORT=3000
API_BASE_URL=https://api.example.com/v2
FEATURE_FLAGS=search,checkout
SENTRY_TRACES_SAMPLE_RATE=0.25
"""

GO_PANIC = """\
goroutine 1 [running]:
main.(*Server).handle(0xc000126000, {0x7f8e2c0, 0xc0001a2000})
        /app/cmd/server/main.go:142 +0x1d5
created by net/http.(*Server).Serve in goroutine 18
        /usr/local/go/src/net/http/server.go:3086 +0x4db
"""

JAVA_RUST_TRACES = """\
Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()"
	at com.example.billing.InvoiceService.total(InvoiceService.java:123)
	at com.example.billing.InvoiceController.get(InvoiceController.java:57)
thread 'main' panicked at src/main.rs:10:5:
called `Option::unwrap()` on a `None` value
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
"""

TERRAFORM_PLAN = """\
  # aws_security_group.api will be updated in-place
  ~ resource "aws_security_group" "api" {
        id          = "sg-0a1b2c3d4e5f67890"
        arn         = "arn:aws:ec2:eu-west-2:123456789012:security-group/sg-0a1b2c3d4e5f67890"
      ~ ingress     = [
          + { cidr_blocks = ["10.0.0.0/16", "172.16.0.0/12"], from_port = 443, to_port = 443 },
        ]
        vpc_id      = "vpc-0123456789abcdef0"
    }
Plan: 0 to add, 1 to change, 0 to destroy.
"""

SQL = """\
SELECT id, created_at, total FROM orders WHERE created_at > '2024-01-15 00:00:00+00' AND total > 1999.99
  AND status IN ('paid', 'shipped') ORDER BY id DESC LIMIT 100 OFFSET 2000;
EXPLAIN ANALYZE: Seq Scan on orders  (cost=0.00..18334.00 rows=1000000 width=16) (actual time=0.012..95.123 rows=1000000 loops=1)
"""

SHELL = """\
$ du -sh * | sort -h
4.0K	README.md
1.2M	dist
 98M	node_modules
$ ls -la
-rw-r--r--  1 dev  staff   1048576 Jan 15 10:30 data.bin
drwxr-xr-x 12 dev  staff       384 Jan 15 10:31 src
Total: 1 234 567 890 bytes, throughput 12 345 678 ops/s, latency p99 12.5 ms
"""

APP_LOGS = """\
2024-01-15 10:30:00,123 - INFO - worker.py:88 - Processed 1500 records in 2.35s (638.3 rec/s)
2024-01-15 10:30:00,456 - WARNING - Retrying request 3/5 after 0.5s backoff (HTTP 503)
I0115 10:30:00.123456   12345 reflector.go:255] Listing and watching *v1.Pod from k8s.io/client-go@v0.29.0/tools/cache/reflector.go:229
"""

SHELL_TABLES = """\
$ df -k
Filesystem     1K-blocks      Used Available Use% Mounted on
overlay        102687672  48213776  49214328  50% /
tmpfs              65536         0     65536   0% /dev
/dev/nvme0n1p1 102687672  48213776  49214328  50% /etc/hosts
$ ps aux --sort=-%mem | head -4
USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
app        48213 12.5  3.1 2846512 512344 ?      Sl   10:30   1:23 python -m uvicorn app:app --port 8080
app        48244  0.3  0.4 1024000  65536 ?      S    10:30   0:01 node server.js
$ netstat -s | head
    123 456 782 total packets received
    128 32 4096 forwarded
    49 091 850 requests sent out
$ wc -l src/*.py
   120 src/app.py
  1234 src/models.py
 10048 total
 top - 10:30:04 up 12 days,  3:04,  2 users,  load average: 0.52, 0.58, 0.59
 MiB Mem :  64312.5 total,  12034.2 free,  30124.7 used,  22153.6 buff/cache
"""

SNIPPETS = {
    "git_log": GIT_LOG,
    "stack_trace": STACK_TRACE,
    "package_json": PACKAGE_JSON,
    "lock_file": LOCK_FILE,
    "css": CSS,
    "docker_ps": DOCKER_PS,
    "access_log": ACCESS_LOG,
    "pytest_output": PYTEST_OUTPUT,
    "code": CODE,
    "config": CONFIG,
    "misc": MISC,
    "json_numbers": JSON_NUMBERS,
    "shell_tables": SHELL_TABLES,
    "k8s_yaml": K8S_YAML,
    "env_file": ENV_FILE,
    "go_panic": GO_PANIC,
    "java_rust_traces": JAVA_RUST_TRACES,
    "terraform_plan": TERRAFORM_PLAN,
    "sql": SQL,
    "shell": SHELL,
    "app_logs": APP_LOGS,
}

# Labels only structured recognizers produce: none of them may fire on the snippets above.
STRUCTURED_LABELS = {
    "EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "MAC_ADDRESS", "URL", "US_SSN", "US_ITIN",
    "UK_NINO", "UK_NHS", "POSTCODE", "AU_TFN", "AU_ABN", "AU_MEDICARE", "NZ_IRD", "NZ_NHI", "SECRET",
    "USERNAME",
}  # fmt: skip


@pytest.fixture(scope="module")
def regex_layer() -> RegexLayer:
    return RegexLayer(recognizers_for())


@pytest.fixture(scope="module")
def masker():  # type: ignore[no-untyped-def]
    from maskgate import Masker

    return Masker(store=None)


def _found(text: str, spans: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(s.label, text[s.start : s.end]) for s in spans]


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_regex_layer_finds_nothing(regex_layer: RegexLayer, name: str) -> None:
    text = SNIPPETS[name]
    assert _found(text, regex_layer.detect(text)) == []


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_full_pipeline_raises_no_structured_label(masker, name: str) -> None:  # type: ignore[no-untyped-def]
    text = SNIPPETS[name]
    structured = [
        (label, value) for label, value in _found(text, masker.analyze(text)) if label in STRUCTURED_LABELS
    ]
    assert structured == []


def test_snippets_are_not_empty_noise(regex_layer: RegexLayer) -> None:
    """Guard against the test passing vacuously: the same layer does fire on PII appended to a snippet."""
    text = ACCESS_LOG + "Connection from 10.2.33.4 port 5522 for user mgarcia, mail mgarcia@example.org\n"
    labels = {label for label, _ in _found(text, regex_layer.detect(text))}
    assert {"IP_ADDRESS", "USERNAME", "EMAIL"} <= labels


# -- generated developer noise ------------------------------------------------------------------

_HEX = "0123456789abcdef"
_sha = st.text(_HEX, min_size=7, max_size=40).filter(lambda s: any(c in "abcdef" for c in s))
_version = st.lists(st.integers(0, 400), min_size=2, max_size=4).map(lambda parts: ".".join(map(str, parts)))
_versioned = st.one_of(
    _version.map(lambda v: f"v{v}"),
    _version.map(lambda v: f"pkg=={v}"),
    _version.map(lambda v: f"version {v}"),
    _version.map(lambda v: f"lib-{v}.tar.gz"),
    st.lists(st.integers(0, 400), min_size=2, max_size=3).map(lambda p: ".".join(map(str, p))),
)
_timestamp = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1))


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    sha=_sha,
    uuid=st.uuids(),
    version=_versioned,
    when=_timestamp,
    colour=st.text(_HEX, min_size=6, max_size=6),
    address=st.text(_HEX, min_size=8, max_size=12),
    line=st.integers(1, 99_999),
    port=st.integers(1, 65_535),
)
def test_generated_developer_noise_finds_nothing(
    regex_layer: RegexLayer,
    sha: str,
    uuid: object,
    version: str,
    when: datetime,
    colour: str,
    address: str,
    line: int,
    port: int,
) -> None:
    epoch_ms = int(when.replace(tzinfo=UTC).timestamp() * 1000)
    text = (
        f"commit {sha} ({uuid}) at {when.isoformat()} epoch_ms={epoch_ms} ts={epoch_ms // 1000}\n"
        f'  File "app.py", line {line}, in run; listening on :{port}; {when:%H:%M:%S}; {version}\n'
        f'  {{"id": {line}, "color": "#{colour}", "ptr": "0x{address}", "sha": "{sha}"}}\n'
    )
    assert _found(text, regex_layer.detect(text)) == []


# -- tool descriptions: sent with every agent request, and masked since MCP servers put users' data there
TOOL_DESCRIPTIONS = """\
Executes a bash command in a persistent shell session. The command's stdout and stderr are returned;
stdin is closed. Use Popen-style argument lists for JSON-RPC servers. Output is decoded as Unicode
(UTF-8); invalid bytes are replaced. On Linux and macOS the shell is bash, on Windows it is PowerShell.
Do not use it to read files: use the Read tool, which streams through a BufferedIOBase and returns the
max number of lines asked for.

Returns an object with these fields:
msg: The unformatted error message when the command failed
doc: The JSON document the server returned, if any
pos: The start index of doc where parsing failed
"""
NAME_LABELS = {"PERSON", "ORG", "LOCATION", "FACILITY"}


def test_tool_descriptions_get_no_name_labels(masker) -> None:  # type: ignore[no-untyped-def]
    found = _found(TOOL_DESCRIPTIONS, masker.analyze(TOOL_DESCRIPTIONS))
    assert [(label, value) for label, value in found if label in NAME_LABELS] == []
    # not vacuous: the same text with a person in it
    text = TOOL_DESCRIPTIONS + "Written by Margaret Oyelaran for the platform team.\n"
    assert ("PERSON", "Margaret Oyelaran") in _found(text, masker.analyze(text))
