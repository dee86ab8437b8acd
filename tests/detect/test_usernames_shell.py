"""Logins in what shells and system tools print: `id`, sudo and audit lines, /etc/passwd, prompts,
`~user/`, `user@IP`, commands that take a user, `ls -l`, `who`/`last`, `ps`/`top` — and never the
system accounts, variables and code around them."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())


def users(text: str) -> list[str]:
    spans = sorted({(s.start, s.end) for s in LAYER.detect(text) if s.label == "USERNAME"})
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # agent tool results: id, prompts, listings
        # the user's private group bears the login too (username_name_login takes it in its slot)
        ("uid=1003(ksmith) gid=1003(ksmith) groups=1003(ksmith),27(sudo)", ["ksmith", "ksmith", "ksmith"]),
        ("jdoe@laptop:~/src/app$ git status", ["jdoe"]),
        ("[ksmith@web01 ~]$ sudo systemctl status nginx", ["ksmith"]),
        ("(venv) aisha@mbp ~/code % pytest -q", ["aisha"]),
        ("-rw-r--r--  1 jdoe  staff   4096 Nov 12 10:00 report.txt\ndrwxr-xr-x  3 root wheel 96 Nov 12 bin",
         ["jdoe"]),
        ("-rw-------  1 mlopez mlopez 120 Nov 12 10:01 .env", ["mlopez", "mlopez"]),
        ("USER  PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND\n"
         "root    1  0.0  0.1 1677 118 ?  Ss  Nov11 0:03 /sbin/init\n"
         "ksmith 4471 2.1 1.2 9981 998 pts/1 Sl+ 10:02 0:41 python train.py\n"
         "ingrid.h+ 4480 0.1 0.2 9981 998 pts/2 S 10:02 0:01 bash\n", ["ksmith", "ingrid.h"]),
        ("  PID USER      PR  NI    VIRT    RES  %CPU COMMAND\n 4471 tpark     20   0  998120  99812  2.1 python\n"
         "  811 postgres  20   0  215660  25012  0.0 postgres", ["tpark"]),
        ("$ who\ntpark    pts/0        2024-11-12 09:58 (10.0.8.22)", ["tpark"]),
        ("rnguyen  pts/2  10.0.8.17  Tue Nov 12 09:12   still logged in\nreboot   system boot  6.8.0", ["rnguyen"]),
        # logs: sudo, audit, LDAP, passwd
        ("Nov 12 10:14:19 bastion-2 sudo:    tpark : TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/bin/ls",
         ["tpark"]),
        ("pam_unix(sudo:session): session opened for user root by kwu(uid=1004)", ["kwu"]),
        ("type=SYSCALL msg=audit(1731405600.118:221): auid=aisha uid=root gid=root", ["aisha"]),
        ("dn: uid=jdoe,ou=people,dc=example,dc=com", ["jdoe"]),
        ("rnguyen:x:1004:1004:Rosa Nguyen,,,:/home/rnguyen:/bin/bash", ["rnguyen"]),
        # paths and commands in tickets and runbooks
        ("ls: cannot access '~jdoe/notes.txt'", ["jdoe"]),
        ("slides at https://example.edu/~tpark/talk.pdf", ["tpark"]),
        ("scp dump.sql mlopez@192.168.1.20:/tmp/ then ssh bwells@10.0.0.5", ["mlopez", "bwells"]),
        ("crontab -l -u bwells", ["bwells"]),
        ("$ sudo usermod -aG docker rnguyen", ["rnguyen"]),
        ("# su - tpark -c 'make'", ["tpark"]),
        ("$ chown -R kwu:staff /srv/reports", ["kwu"]),
    ],
)  # fmt: skip
def test_logins_in_tool_output(text: str, expected: list[str]) -> None:
    assert users(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "root@web01:~# systemctl restart nginx",
        "drwxr-xr-x  2 root  wheel  64 Nov 12 10:00 bin\n-rw-r--r--  1 www-data www-data 12 Nov 12 x",
        "uid=0(root) gid=0(root) groups=0(root)",
        "uid=33(www-data) gid=33(www-data)",
        "ps -u $USER && crontab -u root -l",
        "query = f'SELECT * FROM t WHERE uid={uid}' if uid=user_id else None",
        "postgres:x:113:120:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash",
        "ec2-user@10.0.3.7 and deploy@203.0.113.9 and git@10.0.0.4",
        "mask = ~flags & 0xff; home = '~/.config'",
        "USER  PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND\nroot 1 0.0 0.1 1677 118 ? Ss Nov11 0:03 init\n"
        "systemd+ 512 0.0 0.1 1677 118 ? Ss Nov11 0:00 systemd-resolved",
        "sudo -u postgres psql and su - oracle",
        "finger prints were taken at intake\npasswd file permissions are 644\nchown before copying",
        "use console logs to debug\nopen tty1 and log in",
        "name@example.com and user@host style placeholders",
    ],
)
def test_system_accounts_and_code_stay(text: str) -> None:
    assert users(text) == []
