"""Which account names belong to a person, and which to a system, a service or a team.

A person's login (`jdoe`, `k.abernathy`, `mlopez2`) is USERNAME; `root`, `deploy`, `ec2-user`,
`svc-backup`, `orders_app`, `analytics_ro`, `release-bot` name no one and coding agents need to see
them, so every user-name recognizer asks `is_service_account` before it reports a value.
"""

from __future__ import annotations

import re

from maskgate.detect.words import english_words

# Accounts that operating systems, images, databases and daemons create, and generic logins.
SYSTEM_ACCOUNTS = frozenset(
    {
        "root", "toor", "admin", "administrator", "administrators", "nobody", "nfsnobody", "daemon",
        "www-data", "www", "nginx", "apache", "apache2", "httpd", "postgres", "pgsql", "mysql", "mariadb",
        "redis", "mongodb", "mongod", "oracle", "sqlserver", "mssql", "db2inst1", "sybase", "ubuntu",
        "ec2-user", "centos", "debian", "fedora", "rocky", "almalinux", "alpine", "opc", "azureuser",
        "git", "gitlab", "gitlab-runner", "guest", "anonymous", "test", "tester", "testuser", "demo",
        "user", "user1", "sys", "system", "bin", "sync", "games", "man", "lp", "mail", "news", "uucp",
        "proxy", "backup", "list", "irc", "gnats", "docker", "node", "jenkins", "runner", "default",
        "service", "app", "api", "web", "vagrant", "packer", "pi", "ubnt", "kali", "sa", "dbo",
        "sysadmin", "superuser", "su", "public", "me", "deploy", "deployer", "ansible", "puppet", "chef",
        "salt", "ftp", "ftpuser", "sftp", "tftp", "postfix", "dovecot", "exim", "named", "bind",
        "dnsmasq", "squid", "haproxy", "varnish", "caddy", "traefik", "tomcat", "jboss", "wildfly",
        "nagios", "zabbix", "grafana", "prometheus", "consul", "vault", "nomad", "elasticsearch",
        "kibana", "logstash", "kafka", "zookeeper", "rabbitmq", "memcache", "memcached", "hadoop", "hdfs",
        "yarn", "spark", "hive", "airflow", "jovyan", "vscode", "codespace", "circleci", "travis",
        "messagebus", "syslog", "sshd", "ntp", "chrony", "polkitd", "dbus", "avahi", "cups", "rtkit",
        "colord", "gdm", "lightdm", "pulse", "operator", "wheel", "staff", "users", "sudo", "adm",
        "everyone", "reboot", "shutdown", "halt", "krbtgt", "defaultaccount", "wdagutilityaccount",
        "iusr", "local service", "network service", "anonymous logon", "support", "helpdesk", "info",
        "sales", "noreply", "no-reply", "bot", "dependabot", "renovate", "imgbot", "mergify", "snyk", "ci", "cd", "build", "builder", "buildbot", "release",
        "automation", "monitor", "monitoring", "cron", "scheduler", "worker", "analytics", "reporting",
        "readonly", "read-only", "etl", "dev", "developer", "prod", "staging", "qa", "ops", "devops",
        "sre", "oncall", "on-call", "shared", "team", "platform", "infra", "security", "secops",
        "unknown", "invalid", "someone", "somebody", "foo", "bar", "baz", "username", "yourname",
        "your_user", "your-user", "you", "myuser", "myname", "jdoe-example", "john_doe_example",
    }
)  # fmt: skip

# Parts of a composed account name (`orders_app`, `svc-backup`, `billing-notify`, `analytics_ro`)
# that say "a program or a team uses this", never a person.
_SERVICE_PARTS = frozenset(
    {
        "svc", "srv", "service", "services", "app", "apps", "api", "bot", "bots", "ro", "rw", "readonly",
        "reader", "writer", "read", "write", "etl", "cron", "job", "jobs", "batch", "worker", "workers",
        "runner", "deploy", "deployer", "deployment", "backup", "backups", "sync", "notify", "notifier",
        "notification", "notifications", "alerts", "alert", "mailer", "noreply", "reply", "admin",
        "admins", "ops", "devops", "sre", "ci", "cd", "build", "builds", "release", "releases", "test",
        "tests", "testing", "qa", "dev", "prod", "production", "staging", "stage", "sandbox", "demo",
        "monitor", "monitoring", "metrics", "analytics", "report", "reports", "reporting", "replication",
        "replica", "migrate", "migration", "migrations", "db", "dba", "sql", "data", "schema", "owner",
        "system", "sys", "daemon", "agent", "proxy", "gateway", "web", "www", "http", "ftp", "sftp",
        "ssh", "git", "scm", "jenkins", "github", "gitlab", "actions", "pipeline", "terraform",
        "ansible", "k8s", "kube", "cluster", "node", "scheduler", "queue", "cache", "search", "index",
        "ingest", "export", "import", "integration", "integrations", "webhook", "hooks", "auth", "sso",
        "ldap", "scim", "team", "group", "platform", "infra", "security", "audit", "billing", "payments",
        "orders", "inventory", "crm", "erp", "hr", "payroll", "finance", "support", "helpdesk", "it",
        "user", "users", "account", "accounts", "guest", "shared", "public", "internal", "external",
        "default", "generic", "local", "remote", "mgmt", "mgr", "manager", "robot", "automation",
        "automated", "scanner", "healthcheck", "probe", "exporter", "collector", "uploader",
        "downloader", "loader", "fetcher", "crawler", "tool", "tools", "svcacct", "sa",
    }
)  # fmt: skip
_PARTS = re.compile(r"[._-]+|(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
# `svc_reports`, `_www` (macOS daemons), `WS-0142$` (machine accounts), `dependabot[bot]`,
# `systemd-network`, `nt authority\system`-style names.
_SERVICE_SHAPE = re.compile(
    r"(?:_|svc|srv|sa[._-]|systemd-|nt[ _]authority|iis[ _]apppool|ci[._-]|gh[._-]).*|.*(?:\$|\[bot\]|[._-]bot|svc)"
)


def is_service_account(value: str) -> bool:
    """True for a system, service, team or generic account (`root`, `deploy`, `svc-backup`,
    `orders_app`, `analytics_ro`, `release-bot`, `WS-0142$`); False for a person's login."""
    low = value.lower().strip("\"'")
    if low in SYSTEM_ACCOUNTS or _SERVICE_SHAPE.fullmatch(low):
        return True
    parts = [p for p in _PARTS.split(low) if p and not p.isdigit()]
    if not any(p in _SERVICE_PARTS for p in parts):
        return False
    # `jdoe-support`, `kwu_admin`: a person's second account still names the person.
    english = english_words()
    return all(p in _SERVICE_PARTS or p in english for p in parts)


_DIGITS_END = re.compile(r"\d+$")


def person_login(value: str) -> bool:
    """A login shaped like a person's: `first.last`, `first_last`, `f.last`, `flast`, `firstl`,
    `firstlast` or a first name, digits appended allowed (`jdoe`, `k.abernathy`, `mlopez2`,
    `aisha`), from the name gazetteer. For places where an organisation's name may stand too
    (`github.com/<owner>`), so stricter than a person field."""
    from maskgate.detect.words import gazetteer

    low = value.lower()
    if is_service_account(low) or low in english_words() or not re.fullmatch(r"[a-z][a-z0-9._-]*", low):
        return False
    names = gazetteer()
    parts = [_DIGITS_END.sub("", p) for p in re.split(r"[._-]+", low) if p]
    parts = [p for p in parts if p]

    def first(w: str) -> bool:
        return "f" in names.get(w, "")

    def name(w: str) -> bool:
        return len(w) >= 2 and bool(set(names.get(w, "")) & {"f", "l"})

    if len(parts) == 2:
        a, b = parts
        if len(a) <= 2:
            return len(b) >= 3 and (name(b) or b not in english_words())  # `k.abernathy`
        return first(a) and (name(b) or len(b) == 1)
    if len(parts) != 1:
        return False
    p = parts[0]
    if first(p) and len(p) >= 3:
        return True  # `aisha`
    if len(p) >= 4 and name(p[1:]) and len(p) - 1 >= 3:
        return True  # `jdoe`, `tpark`, `mlopez`
    if len(p) >= 5 and first(p[:-1]):
        return True  # `aishak`
    return any(first(p[:i]) and name(p[i:]) for i in range(3, len(p) - 2))  # `johnsmith`


# Companies' and their support desks' handles name no one (`@delta`, `@comcastcares`, `@AmazonHelp`,
# `@AskAmex`): support-desk endings and prefixes, platforms and large consumer brands, and a single
# English word that is no first name (`@united`, `@target`; `@grace` stays).
_BRAND_HANDLE = re.compile(
    r"(?:Ask|ask)[A-Z0-9]\w*|(?i:\w+(?:help|helps|cares|care|support|service|services|official|hq|status|news|team))"
    r"|(?i:instagram|twitter|facebook|meta|tiktok|youtube|snapchat|spotify|netflix|hulu|uber|lyft|airbnb|amazon|"
    r"google|microsoft|apple|paypal|venmo|cashapp|jetblue|southwestair|americanair|ryanair|easyjet|verizon|att|"
    r"tmobile|xfinity|comcast|sprint|walmart|bestbuy|chase|wellsfargo|bankofamerica|citi|amex|discord|reddit|"
    r"github|steam|playstation|xbox|nintendo|doordash|grubhub|instacart|fedex|ups|usps|dhl|spectrum|dell|hp)"
)


def brand_handle(handle: str) -> bool:
    from maskgate.detect.words import gazetteer

    if _BRAND_HANDLE.fullmatch(handle):
        return True
    low = handle.lower()
    return low in english_words() and "f" not in gazetteer().get(low, "")
