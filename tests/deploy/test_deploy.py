"""deploy/ (issue 15), tested without a container engine or a cluster.

Static checks: hadolint on the Dockerfile, kubernetes-validate (schemas bundled, offline) on every
manifest, yamllint on all YAML, systemd-analyze on the unit, and the settings they name exist.
End to end: the Dockerfile's own install script in a fresh virtualenv, then the image's command
(entrypoint, environment, volumes) serving and masking; the compose `replicas` profile as three
`maskgate serve` processes on one real redis-server, a conversation spread over them, a replica and
then Redis killed with SIGKILL.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import anthropic
import httpx
import pytest

from deploy.helpers import (
    DEPLOY,
    ROOT,
    compose,
    dockerfile_stages,
    exec_form,
    find,
    free_port,
    image_env,
    manifests,
    new_key,
    start,
    stop,
    wait_healthy,
    wait_port,
    yaml_docs,
)
from fake_upstream import EMAIL, NAME, FakeUpstream, assert_no_pii
from fake_upstream import new_key as new_api_key
from maskgate.config import Settings, load_settings
from maskgate.detect.pipeline import Pipeline
from maskgate.masking import Masker
from maskgate.server.app import create_app
from maskgate.vault import Store, StoreError
from maskgate.vault.redis import RedisStore
from maskgate.vault.sqlite import SQLiteStore

pytest_plugins = ("proxy_fixtures",)

BIN = Path(sys.executable).parent
K8S_VERSIONS = ("1.31.0", "1.37.0")  # oldest in wide use, newest that kubernetes-validate bundles
# MASKGATE_* names that are not settings: read by the CLI, the vault, the entrypoint, the admin API.
NOT_SETTINGS = {"CONFIG", "VAULT_KEY", "ADMIN_TOKEN"}


def run(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


# -- linters and schemas ---------------------------------------------------------------------------
def test_hadolint_passes_on_the_dockerfile(tmp_path: Path) -> None:
    res = run([str(BIN / "hadolint"), str(DEPLOY / "Dockerfile")])
    assert res.returncode == 0, res.stdout + res.stderr
    bad = tmp_path / "Dockerfile"  # the linter really lints: an unpinned base and a root apt install fail
    bad.write_text("FROM python:latest\nRUN apt-get update && apt-get install -y curl\n")
    res = run([str(BIN / "hadolint"), str(bad)])
    assert res.returncode != 0 and "DL3007" in res.stdout


def test_yamllint_passes_on_every_yaml_file() -> None:
    res = run([str(BIN / "yamllint"), "--strict", "."], cwd=ROOT)
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_kubernetes_manifests_validate_offline(version: str) -> None:
    files = sorted(str(DEPLOY / "kubernetes" / name) for name in manifests())
    cmd = [str(BIN / "kubernetes-validate"), "--strict", "--quiet", "-k", version, *files]
    # In a network namespace of its own where the machine allows one: the schemas must be bundled.
    if shutil.which("unshare") and run(["unshare", "-n", "true"]).returncode == 0:
        cmd = ["unshare", "-n", *cmd]
    res = run(cmd)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "did not validate" not in res.stdout + res.stderr


def test_kustomization_applies_every_manifest_but_the_secret_template() -> None:
    kustomization = yaml_docs(DEPLOY / "kubernetes" / "kustomization.yaml")[0]
    assert set(kustomization["resources"]) == set(manifests()) - {"secret.yaml"}
    kinds = {doc["kind"] for docs in manifests().values() for doc in docs}
    needed = {"Deployment", "Service", "ConfigMap", "Secret", "StatefulSet", "HorizontalPodAutoscaler"}
    assert needed | {"NetworkPolicy"} <= kinds


def test_systemd_unit_verifies_and_is_hardened(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    unit = (DEPLOY / "systemd" / "maskgate.service").read_text()
    # systemd-analyze checks that ExecStart exists: point /opt/maskgate/bin at real executables.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "maskgate").symlink_to(BIN / "maskgate")
    (bindir / "maskgate-entrypoint").symlink_to(DEPLOY / "entrypoint.py")
    path = tmp_path / "maskgate.service"
    path.write_text(unit.replace("/opt/maskgate/bin/", f"{bindir}/"))
    res = run(["systemd-analyze", "verify", str(path)])
    assert res.returncode == 0 and "maskgate.service" not in res.stderr, res.stderr  # no warnings
    # exposure in tenths: at most 2.0 of 10 ("OK"; the unit scores 1.4, a default service 9.6)
    res = run(["systemd-analyze", "security", "--offline=true", "--threshold=20", "--no-pager", str(path)])
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr
    for directive in ("DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=maskgate"):
        assert directive in unit


# -- what the files say ----------------------------------------------------------------------------
def deploy_texts() -> dict[str, str]:
    paths = [DEPLOY / "Dockerfile", DEPLOY / "compose.yaml", DEPLOY / "systemd" / "maskgate.service"]
    paths += [*sorted((DEPLOY / "kubernetes").glob("*.yaml")), ROOT / "docs" / "deploy.md"]
    return {str(p.relative_to(ROOT)): p.read_text() for p in paths}


def test_every_maskgate_variable_named_is_read_by_maskgate() -> None:
    known = {f"MASKGATE_{name.upper()}" for name in {*Settings.model_fields, *NOT_SETTINGS}}
    for where, text in deploy_texts().items():
        for name in set(re.findall(r"\bMASKGATE_[A-Z0-9_]*[A-Z0-9]\b", text)):
            assert name in known or name.removesuffix("_FILE") in known, f"{where}: {name} is read by nothing"


def test_configmap_settings_load_and_fail_closed(tmp_path: Path) -> None:
    toml = find("ConfigMap", "maskgate-config")["data"]["maskgate.toml"]
    path = tmp_path / "maskgate.toml"
    path.write_text(toml)
    settings = load_settings(path)
    assert settings.fail_open is False and settings.port == 8080
    assert tomllib.loads(toml).keys() <= Settings.model_fields.keys()


def test_pods_run_unprivileged_with_a_read_only_root() -> None:
    deployment = find("Deployment", "maskgate")
    uid = image_user()
    for workload in (deployment, find("StatefulSet", "maskgate-redis")):
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert pod["enableServiceLinks"] is False  # else MASKGATE_PORT=tcp://... breaks the port setting
        assert pod["automountServiceAccountToken"] is False
        for container in pod["containers"]:
            ctx = container["securityContext"]
            assert ctx["readOnlyRootFilesystem"] is True and ctx["allowPrivilegeEscalation"] is False
            assert ctx["capabilities"]["drop"] == ["ALL"]
            assert container["resources"]["requests"] and container["resources"]["limits"]["memory"]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsUser"] == uid  # the image's own user
    container = pod["containers"][0]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/healthz"
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert {"/tmp", "/etc/maskgate"} <= mounts
    # every secret a pod reads is in the Secret template
    secret = find("Secret", "maskgate-secrets")["stringData"]
    for workload in (deployment, find("StatefulSet", "maskgate-redis")):
        for c in workload["spec"]["template"]["spec"]["containers"]:
            for env in c.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] == "maskgate-secrets" and ref["key"] in secret


def image_user() -> int:
    users = [rest for word, rest in dockerfile_stages()[-1] if word == "USER"]
    assert users, "the image runs as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0  # numeric, so runAsNonRoot can check it
    return int(uid)


def test_network_policy_lets_the_proxy_reach_only_dns_providers_and_redis() -> None:
    proxy = find("NetworkPolicy", "maskgate-proxy")["spec"]
    assert set(proxy["policyTypes"]) == {"Ingress", "Egress"}
    ports = {p["port"] for rule in proxy["egress"] for p in rule["ports"]}
    assert ports == {53, 443, 6379}
    public = [b["ipBlock"] for rule in proxy["egress"] for b in rule["to"] if "ipBlock" in b]
    for block in public:
        assert block["except"], "443 open to private addresses"
    assert "169.254.0.0/16" in public[0]["except"]  # cloud metadata
    redis = find("NetworkPolicy", "maskgate-redis")["spec"]
    assert redis["egress"] == [] and [p["port"] for p in redis["ingress"][0]["ports"]] == [6379]


def test_compose_profiles() -> None:
    services = compose()["services"]
    volumes = {v for word, rest in dockerfile_stages()[-1] if word == "VOLUME" for v in json.loads(rest)}
    single = services["maskgate"]
    assert single["profiles"] == ["sqlite"]
    assert {v.split(":")[1] for v in single["volumes"]} == volumes  # vault and key each on a volume
    replica, redis = services["replica"], services["redis"]
    assert replica["profiles"] == redis["profiles"] == ["replicas"]
    assert replica["deploy"]["replicas"] == 3
    assert replica["environment"]["MASKGATE_STORE"].startswith("redis://redis:")
    secret = replica["secrets"][0]
    assert replica["environment"]["MASKGATE_VAULT_KEY_FILE"] == f"/run/secrets/{secret}"
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command and "--appendfsync always" in command
    assert compose()["networks"]["vault"]["internal"] is True and redis["networks"] == ["vault"]
    assert "ports" not in redis


def dockerignore_excludes(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent directories wins."""
    parts = path.split("/")
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        body = pattern.removeprefix("!").strip("/")
        regex = re.escape(body).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
        regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        if any(re.fullmatch(regex, "/".join(parts[:i])) for i in range(1, len(parts) + 1)):
            excluded = not negate
    return excluded


def test_dockerignore_sends_only_what_the_dockerfile_copies() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [p.strip() for p in lines if p.strip() and not p.startswith("#")]
    listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    tracked = listed.stdout.split()
    copied = [
        src
        for word, rest in dockerfile_stages()[0]
        if word == "COPY"
        for src in shlex.split(rest)[:-1]
        if not src.startswith("--")
    ]
    for src in copied:
        wanted = [f for f in tracked if f == src.rstrip("/") or f.startswith(src.rstrip("/") + "/")]
        assert wanted, f"COPY {src}: no such file"
        for f in wanted:
            assert not dockerignore_excludes(f, patterns), f"COPY {src}: {f} is excluded by .dockerignore"
    for f in (".venv/bin/python", ".git/HEAD", "vault.db", "deploy/secrets/vault.key", "tests/test_x.py"):
        assert dockerignore_excludes(f, patterns), f"{f} would be sent to the docker daemon"


# -- the entrypoint --------------------------------------------------------------------------------
def entrypoint(env: dict[str, str], *cmd: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ["PATH"], **env}
    return run([sys.executable, str(DEPLOY / "entrypoint.py"), *cmd], env=base)


def test_entrypoint_reads_secret_files_and_creates_a_missing_key(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("s3cret-token\n")
    key_file = tmp_path / "key" / "vault.key"
    key_file.parent.mkdir()
    show = "import os; print(os.environ['MASKGATE_ADMIN_TOKEN'], os.environ['MASKGATE_VAULT_KEY'])"
    env = {
        "MASKGATE_ADMIN_TOKEN_FILE": str(token),
        "MASKGATE_VAULT_KEY_FILE": str(key_file),
        # the default vault path under its own data dir, not whatever the user's holds
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    res = entrypoint(env, "python", "-c", show)
    assert res.returncode == 0, res.stderr
    created = key_file.read_text().strip()
    assert res.stdout.split() == ["s3cret-token", created]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(created) == 44
    assert created not in res.stderr and "back it up" in res.stderr
    again = entrypoint(env, "python", "-c", show)
    assert again.stdout.split() == ["s3cret-token", created] and "back it up" not in again.stderr
    # a value set directly wins over its file
    res = entrypoint({**env, "MASKGATE_ADMIN_TOKEN": "direct"}, "python", "-c", show)
    assert res.stdout.split()[0] == "direct"


def test_entrypoint_refuses_to_invent_a_key_for_a_shared_redis_vault(tmp_path: Path) -> None:
    key_file = tmp_path / "vault.key"
    env = {"MASKGATE_VAULT_KEY_FILE": str(key_file), "MASKGATE_STORE": "redis://redis:6379/0"}
    res = entrypoint(env, "python", "-c", "print('started')")
    assert res.returncode == 2 and "started" not in res.stdout and not key_file.exists()
    assert "one key" in res.stderr
    res = entrypoint({"MASKGATE_VAULT_KEY_FILE": str(key_file)}, "maskgate", "serve", "--store=rediss://r")
    assert res.returncode == 2 and not key_file.exists()
    config = tmp_path / "maskgate.toml"  # a Redis store named only in the TOML file counts too
    config.write_text('[maskgate]\nstore = "redis://redis:6379/0"\n')
    res = entrypoint({"MASKGATE_VAULT_KEY_FILE": str(key_file)}, "maskgate", "serve", "-c", str(config))
    assert res.returncode == 2 and not key_file.exists()
    key_file.write_text("")
    res = entrypoint({"MASKGATE_VAULT_KEY_FILE": str(key_file)}, "python", "-c", "print('started')")
    assert res.returncode == 2 and "is empty" in res.stderr


def test_entrypoint_refuses_a_new_key_for_an_existing_vault(tmp_path: Path) -> None:
    """A lost key volume beside a kept vault volume: a new key could read nothing in that vault."""
    vault = tmp_path / "data" / "maskgate" / "vault.db"  # maskgate's default store under XDG_DATA_HOME
    vault.parent.mkdir(parents=True)
    vault.write_bytes(b"SQLite format 3\x00")
    key_file = tmp_path / "vault.key"
    env = {"MASKGATE_VAULT_KEY_FILE": str(key_file), "XDG_DATA_HOME": str(tmp_path / "data")}
    res = entrypoint(env, "python", "-c", "print('started')")
    assert res.returncode == 2 and "exists but its key file" in res.stderr and not key_file.exists()
    other = f"sqlite:///{tmp_path / 'other.db'}"  # another vault path: a first start, a new key
    res = entrypoint(env, "maskgate", "sessions", "list", "--store", other)
    assert res.returncode == 0 and key_file.exists()


def test_the_secret_template_cannot_be_deployed_as_is(tmp_path: Path) -> None:
    placeholder = find("Secret", "maskgate-secrets")["stringData"]["vault-key"]
    env = {**os.environ, "MASKGATE_VAULT_KEY": placeholder}
    cmd = [str(BIN / "maskgate"), "redact", "x", "--ner", "none", "--store", f"sqlite:///{tmp_path / 'v.db'}"]
    res = run(cmd, env=env)
    assert res.returncode != 0 and "MASKGATE_VAULT_KEY" in res.stderr and placeholder not in res.stderr


# -- the image's recipe, run here ------------------------------------------------------------------
def serve_image(
    root: Path, stage: list[tuple[str, str]], port: int, upstream: str, log: Path
) -> subprocess.Popen[bytes]:
    """The image's ENTRYPOINT + CMD with its ENV, its paths under `root`; only the listening address
    differs (servers here listen on loopback only)."""
    env = image_env(stage, {"PATH": "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"})
    env = {
        k: v.replace("/opt/", f"{root}/opt/").replace("/var/lib", f"{root}/var/lib") for k, v in env.items()
    }
    providers = {"anthropic": {"base_url": upstream, "api": "anthropic"}}
    env |= {"MASKGATE_PORT": str(port), "MASKGATE_PROVIDERS": json.dumps(providers)}
    cmd = exec_form(stage, "ENTRYPOINT") + exec_form(stage, "CMD")
    assert cmd[-2:] == ["--host", "0.0.0.0"]
    exe = shutil.which(cmd[0], path=env["PATH"])
    assert exe and exe.startswith(str(root)), f"{cmd[0]} is not installed in the image"
    return start([exe, *cmd[1:-1], "127.0.0.1"], env, log)


def ask(port: int, key: str, text: str, history: list[dict[str, str]] | None = None) -> str:
    client = anthropic.Anthropic(api_key=key, base_url=f"http://127.0.0.1:{port}/anthropic", max_retries=0)
    messages = [*(history or []), {"role": "user", "content": text}]
    msg = client.messages.create(model="claude-test", max_tokens=50, messages=messages)
    block = msg.content[0]
    assert block.type == "text"
    return block.text


@pytest.mark.slow
def test_image_recipe_installs_serves_and_keeps_the_vault(
    tmp_path: Path, fake_upstream: FakeUpstream
) -> None:
    build, image = dockerfile_stages()[0], dockerfile_stages()[-1]
    runs = [shlex.split(rest) for word, rest in build if word == "RUN" and "deploy/install.sh" in rest]
    assert len(runs) == 1, "the build stage must RUN deploy/install.sh"
    script = runs[0][runs[0].index("sh") :]
    root = tmp_path / "image"  # the image's filesystem, as far as maskgate uses it
    prefix = f"{root}{script[-1]}"
    # The build stage's ENV, less its cache, link and bytecode options: they change how the packages
    # are fetched and written, not which ones (and here the caches make it ~3x faster).
    build_env = image_env(build, dict(os.environ))
    speed = ("UV_LINK_MODE", "UV_COMPILE_BYTECODE", "PIP_NO_CACHE_DIR")
    build_env = {k: v for k, v in build_env.items() if k not in speed}
    build_env["PYTHON"] = sys.executable
    began = time.monotonic()
    res = run([*script[:-1], prefix], cwd=ROOT, env=build_env)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    print(f"deploy/install.sh: {time.monotonic() - began:.1f} s")
    for word, rest in image:  # the directories the image creates for its volumes
        if word == "VOLUME":
            for path in json.loads(rest):
                Path(f"{root}{path}").mkdir(parents=True, mode=0o700)

    key = new_api_key()
    port = free_port()
    log = tmp_path / "serve.log"
    checks = [rest for word, rest in image if word == "HEALTHCHECK"]
    health = json.loads(checks[-1].partition(" CMD ")[2])  # the image's HEALTHCHECK command
    proc = serve_image(root, image, port, fake_upstream.url, log)
    try:
        wait_healthy(port, proc, log)
        hc_env = {"PATH": f"{prefix}/bin:/usr/bin:/bin", "MASKGATE_PORT": str(port)}
        assert run(health, env=hc_env).returncode == 0
        assert run(health, env={**hc_env, "MASKGATE_PORT": str(free_port())}).returncode == 1
        text = f"Please write to {NAME} at {EMAIL} today."
        assert ask(port, key, text) == f"Echo: {text}"
        first = fake_upstream.for_key(key)[-1].json()["messages"]
        assert "<PERSON_1>" in first[0]["content"] and "<EMAIL_1>" in first[0]["content"]
    finally:
        stop(proc)
    assert proc.returncode in (0, -signal.SIGTERM), log.read_text()[-3000:]  # a graceful stop
    key_file = Path(f"{root}/var/lib/maskgate-key/vault.key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert Path(f"{root}/var/lib/maskgate/vault.db").exists()  # the default vault is on the vault volume

    # A new container on the same volumes: same key, same vault, same placeholders.
    proc = serve_image(root, image, port, fake_upstream.url, log)
    try:
        wait_healthy(port, proc, log)
        assert ask(port, key, text) == f"Echo: {text}"
        assert fake_upstream.for_key(key)[-1].json()["messages"] == first
    finally:
        stop(proc)
    assert_no_pii(fake_upstream, key, (NAME, EMAIL))
    logged = log.read_text()
    assert logged.count("created a new vault key") == 1
    assert NAME not in logged and EMAIL not in logged and key_file.read_text().strip() not in logged


# -- the compose `replicas` profile, without containers ---------------------------------------------
@pytest.mark.redis
def test_three_replicas_share_one_redis_vault(tmp_path: Path, fake_upstream: FakeUpstream) -> None:
    exe = shutil.which("redis-server")
    if exe is None:
        if os.environ.get("MASKGATE_REQUIRE_REDIS"):
            pytest.fail("redis-server is required (MASKGATE_REQUIRE_REDIS is set) but not installed")
        pytest.skip("redis-server is not installed")
    services = compose()["services"]
    # Redis as compose runs it (append-only file, fsync on every write), on loopback.
    redis_port = free_port()
    (tmp_path / "redis").mkdir()
    redis_cmd = [exe, *services["redis"]["command"][1:], "--port", str(redis_port), "--bind", "127.0.0.1"]
    redis_cmd += ["--dir", str(tmp_path / "redis")]
    redis = start(redis_cmd, dict(os.environ), tmp_path / "redis.log")
    wait_port(redis_port)

    spec = services["replica"]
    secret = tmp_path / "secrets" / spec["secrets"][0]  # the compose secret, a file
    secret.parent.mkdir()
    secret.write_text(new_key() + "\n")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    env |= {k: str(v) for k, v in spec["environment"].items()}
    env["MASKGATE_STORE"] = env["MASKGATE_STORE"].replace("redis:6379", f"127.0.0.1:{redis_port}")
    env["MASKGATE_VAULT_KEY_FILE"] = str(secret)
    providers = {"anthropic": {"base_url": fake_upstream.url, "api": "anthropic"}}
    # Regex detection only, in the server process: the vault is what is under test, not the model.
    env |= {"MASKGATE_PROVIDERS": json.dumps(providers), "MASKGATE_NER": "none"}
    env["MASKGATE_DETECT_PROCESSES"] = "0"
    ports = [free_port() for _ in range(spec["deploy"]["replicas"])]
    cmd = [sys.executable, str(DEPLOY / "entrypoint.py"), "maskgate", "serve", "--host", "127.0.0.1"]
    replicas = [start([*cmd, "--port", str(p)], env, tmp_path / f"replica{p}.log") for p in ports]
    try:
        for p, proc in zip(ports, replicas, strict=True):
            wait_healthy(p, proc, tmp_path / f"replica{p}.log")
        conversation(fake_upstream, ports, replicas, redis, redis_cmd, redis_port, tmp_path)
    finally:
        for proc in [*replicas, redis]:
            stop(proc)


def conversation(
    fake: FakeUpstream,
    ports: list[int],
    replicas: list[subprocess.Popen[bytes]],
    redis: subprocess.Popen[bytes],
    redis_cmd: list[str],
    redis_port: int,
    tmp_path: Path,
) -> None:
    key = new_api_key()  # one client: one vault session, whichever replica serves a turn
    values = [f"dana.whit{i}@example.com" for i in range(12)]
    history: list[dict[str, str]] = []

    def turn(port: int, text: str) -> None:
        answer = ask(port, key, text, history)
        assert answer == f"Echo: {text}"  # unmasked by this replica, whoever assigned the placeholders
        history.extend([{"role": "user", "content": text}, {"role": "assistant", "content": answer}])

    for i in range(9):  # round robin over the three replicas, the whole history re-sent each turn
        turn(ports[i % 3], f"Turn {i}: write to {values[i]}.")
    os.kill(replicas[0].pid, signal.SIGKILL)  # a replica crashes
    replicas[0].wait(10)
    with pytest.raises(anthropic.APIConnectionError):
        ask(ports[0], key, "anyone there?")
    for i in range(9, 11):
        turn(ports[1 + i % 2], f"Turn {i}: write to {values[i]}.")

    sent = [r.json()["messages"] for r in fake.for_key(key)]
    assert len(sent) == 11
    for i, messages in enumerate(sent):  # one numbering, whichever replica saw a value first
        assert messages[-1]["content"] == f"Turn {i}: write to <EMAIL_{i + 1}>."
        for j, earlier in enumerate(sent[:i]):  # the re-sent history masks byte for byte the same
            assert messages[2 * j] == earlier[-1]
    assert_no_pii(fake, key, tuple(values))

    # Redis crashes: requests fail closed (nothing upstream) until it is back with its append-only file.
    os.kill(redis.pid, signal.SIGKILL)
    redis.wait(10)
    with pytest.raises(anthropic.InternalServerError) as failed:
        ask(ports[1], key, f"Turn 11: write to {values[11]}.", history)
    assert failed.value.status_code == 503 and len(fake.for_key(key)) == 11
    restarted = start(redis_cmd, dict(os.environ), tmp_path / "redis.log")
    try:
        wait_port(redis_port)
        everything = "Summary: " + ", ".join(values[:11]) + "."
        turn(ports[2], everything)  # every earlier placeholder, from all three replicas, unmasks
        assert (
            fake.for_key(key)[-1].json()["messages"][-1]["content"]
            == "Summary: " + ", ".join(f"<EMAIL_{i + 1}>" for i in range(11)) + "."
        )
        survivors = httpx.get(f"http://127.0.0.1:{ports[1]}/healthz", timeout=5)
        assert survivors.status_code == 200
    finally:
        stop(restarted)


# -- a replica given another vault key --------------------------------------------------------------
@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_a_replica_with_another_vault_key_fails_in_the_providers_format(
    kind: str, tmp_path: Path, fake_upstream: FakeUpstream, regex_pipeline: Pipeline, request: Any
) -> None:
    """The mistake docs/deploy.md warns about: replicas (or a container restarted with a new key) on one
    vault with different keys. The vault keeps a check value of its key, so the replica with the other
    key refuses to open it (naming MASKGATE_VAULT_KEY) instead of serving from what looks like an empty
    vault; the right one keeps working."""

    def store(key: bytes) -> Store:
        if kind == "redis":
            return RedisStore(request.getfixturevalue("redis_url"), key=key, prefix=f"t{os.getpid()}")
        return SQLiteStore(tmp_path / "vault.db", key=key)

    from proxy_fixtures import Served, proxy_settings  # registered as a plugin above: imported by now

    settings = proxy_settings(fake_upstream.url)
    right = Served(create_app(settings, Masker(regex_pipeline, store(os.urandom(32)))))
    try:
        headers = {"authorization": f"Bearer {new_api_key()}"}
        body = {"model": "gpt-test", "input": f"Mail {EMAIL} today."}
        made = httpx.post(f"{right.url}/openai/v1/responses", json=body, headers=headers, timeout=30)
        assert made.status_code == 200 and EMAIL in made.text
        with pytest.raises(StoreError, match="MASKGATE_VAULT_KEY") as refused:
            store(os.urandom(32))
        assert EMAIL not in str(refused.value)
    finally:
        right.stop()
