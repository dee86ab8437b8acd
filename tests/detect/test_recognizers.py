"""Every built-in recognizer: valid examples are found with the right label and exact span,
checksum-failing or malformed ones are not."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maskgate.detect.patterns import all_recognizers, recognizers_for
from maskgate.detect.patterns.au import medicare_is_valid
from maskgate.detect.patterns.base import Finder, Recognizer, RegexLayer
from maskgate.detect.patterns.nz import nhi_is_valid
from maskgate.detect.spans import Span

LAYER = RegexLayer(recognizers_for())


def found(text: str, layer: RegexLayer = LAYER) -> list[tuple[str, str]]:
    return sorted({(s.label, text[s.start : s.end]) for s in layer.detect(text)})


def spans_of(text: str, label: str) -> list[Span]:
    return [s for s in LAYER.detect(text) if s.label == label]


# (sentence, label, exact text of the entity)
VALID: list[tuple[str, str, str]] = [
    # tables, chat exports, devices, auth logs, ARNs, branches, .pgpass (usernames_tables.py, _code, _creds)
    (
        "name,url,username,password\nChase,https://chase.com,dkellerman77,Tr0ub4dor&3xK",
        "USERNAME",
        "dkellerman77",
    ),
    (
        "name,url,username,password\nChase,https://chase.com,dkellerman77,Tr0ub4dor&3xK",
        "SECRET",
        "Tr0ub4dor&3xK",
    ),
    ("[02/14/2026 9:41 PM] wren.hollis (Wren): build failing?", "USERNAME", "wren.hollis"),
    ("Workstation Name:\tMFITZGERALD-LT", "USERNAME", "MFITZGERALD"),
    ("Auth: (18232) Login incorrect (mschap: bad): [s.achebe] (from client wlc-3f)", "USERNAME", "s.achebe"),
    ("the old fal-mansouri login was disabled", "USERNAME", "fal-mansouri"),
    ("my only one is mvo_draws on insta", "USERNAME", "mvo_draws"),
    ("arn:aws:iam::418276530912:user/kboateng", "USERNAME", "kboateng"),
    ("  origin/rachterberg/cart-fix", "USERNAME", "rachterberg"),
    ("db-primary.internal:5432:orders:lbrandt:Wh1sky-Tango-7", "USERNAME", "lbrandt"),
    ("db-primary.internal:5432:orders:lbrandt:Wh1sky-Tango-7", "SECRET", "Wh1sky-Tango-7"),
    # user names and secrets in prose (usernames_prose.py, secrets_prose.py)
    ("INC0091123 reassigned: jdoe -> tkowalczyk", "USERNAME", "tkowalczyk"),
    ("His user ID will be KPRESTO2 from Monday.", "USERNAME", "KPRESTO2"),
    ("new github! github.com/priyanka-dev has my side projects", "USERNAME", "priyanka-dev"),
    ("Comment: @RichardNeo did you remove the spaces?", "USERNAME", "@RichardNeo"),
    ("ok who owes me? cashapp $jazzyw04", "USERNAME", "$jazzyw04"),
    ("my insta is jade.paints if u want more", "USERNAME", "jade.paints"),
    ("IG: jade.paints | commissions open", "USERNAME", "jade.paints"),
    ("props to rick_in_reno for the pic", "USERNAME", "rick_in_reno"),
    ("sort both frames first. – wjandrea_dev", "USERNAME", "wjandrea_dev"),
    ("same name everywhere: xXdarkphoenixXx", "USERNAME", "xXdarkphoenixXx"),
    ("I reset my password yesterday to Marigold#2291 but it fails", "SECRET", "Marigold#2291"),
    ("Customer: pin is 4821", "SECRET", "4821"),
    ("your one-time code is Q7M2-K9PX", "SECRET", "Q7M2-K9PX"),
    ('AUTH = ("amurray", "Ch1cago-Winds-42")', "SECRET", "Ch1cago-Winds-42"),
    ("X-Auth-Key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0", "SECRET", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"),
    # e-mail
    ("Please reply to jane.doe@example.com by Friday.", "EMAIL", "jane.doe@example.com"),
    ("From: <m.garcia+billing@mail.example.co.uk>", "EMAIL", "m.garcia+billing@mail.example.co.uk"),
    # phones
    ("Call me on (415) 555-2671 after lunch.", "PHONE", "(415) 555-2671"),
    ("Can you text me your new number?\nSure! It's 555-0123.", "PHONE", "555-0123"),
    ("US office: +1 415-555-2671", "PHONE", "+1 415-555-2671"),
    ("Ring the London desk on +44 20 7946 0958.", "PHONE", "+44 20 7946 0958"),
    ("My mobile is 07911 123456 if you need me.", "PHONE", "07911 123456"),
    ("lost my phone, if found call 4I5-555-O123 !!", "PHONE", "4I5-555-O123"),  # look-alike letters
    ("London switchboard 020 7946 0958", "PHONE", "020 7946 0958"),
    ("Sydney office (02) 9374 4000, ask for Ben.", "PHONE", "(02) 9374 4000"),
    ("Text 0412 345 678 when you arrive.", "PHONE", "0412 345 678"),
    ("Her NZ mobile: 021 123 4567.", "PHONE", "021 123 4567"),
    ("Auckland: +64 9 379 1234", "PHONE", "+64 9 379 1234"),
    ("tel: 4155552671", "PHONE", "4155552671"),
    ('{"phone_number": "4155552671"}', "PHONE", "4155552671"),
    # payment cards
    ("Charge card 4111 1111 1111 1111 exp 12/27.", "CREDIT_CARD", "4111 1111 1111 1111"),
    ("card=5555-5555-5555-4444 declined", "CREDIT_CARD", "5555-5555-5555-4444"),
    ("Amex 3782 822463 10005 on file", "CREDIT_CARD", "3782 822463 10005"),
    ("Visa 4111 1111 1111 1111 003 (19 digits, grouped)", "CREDIT_CARD", "4111 1111 1111 1111 003"),
    ("pan: 6011111111111117", "CREDIT_CARD", "6011111111111117"),
    ("Diners 3056 9309 0259 04 on file", "CREDIT_CARD", "3056 9309 0259 04"),
    ("JCB 3530111333300000", "CREDIT_CARD", "3530111333300000"),
    # IBAN
    ("Pay to IBAN GB82 WEST 1234 5698 7654 32 today.", "IBAN", "GB82 WEST 1234 5698 7654 32"),
    ("iban=DE89370400440532013000;", "IBAN", "DE89370400440532013000"),
    ("Compte FR14 2004 1010 0505 0001 3M02 606", "IBAN", "FR14 2004 1010 0505 0001 3M02 606"),
    # IP addresses
    ("Connection from 10.2.33.4 port 5522", "IP_ADDRESS", "10.2.33.4"),
    ("IKE_SA established between 198.51.100.4...88.217.34.201 for user", "IP_ADDRESS", "88.217.34.201"),
    ("sshd[811]: Failed password for root from 203.0.113.77 port 40122 ssh2", "IP_ADDRESS", "203.0.113.77"),
    ("curl http://192.168.1.20:8080/health", "IP_ADDRESS", "192.168.1.20"),
    ('{"client_ip": "198.51.100.23", "status": 200}', "IP_ADDRESS", "198.51.100.23"),
    ("Resolved to 8.8.8.8.", "IP_ADDRESS", "8.8.8.8"),
    ('peer "10.9.8.7". Retrying', "IP_ADDRESS", "10.9.8.7"),
    ("allow 10.2.33.4/32 and 192.168.7.9/24", "IP_ADDRESS", "192.168.7.9"),
    ("ssh alice@10.0.4.12 -p 2222", "IP_ADDRESS", "10.0.4.12"),
    ("ping -v 10.0.4.13 timed out", "IP_ADDRESS", "10.0.4.13"),
    ('203.0.113.7 - - [15/Jan/2024:10:30:04 +0000] "GET / HTTP/1.1" 200 512', "IP_ADDRESS", "203.0.113.7"),
    ("haproxy[1234]: 10.1.2.3:54321 [15/Jan/2024:10:30:04.123] fe be/srv1", "IP_ADDRESS", "10.1.2.3"),
    ('"x_forwarded_for": "203.0.113.195, 70.41.3.18"', "IP_ADDRESS", "70.41.3.18"),
    ("Upgrade to websocket from 192.168.0.14 refused", "IP_ADDRESS", "192.168.0.14"),
    ("Version 2.4.1 build 17 served 192.168.3.44", "IP_ADDRESS", "192.168.3.44"),
    ("peer 2001:db8::8a2e:370:7334 connected", "IP_ADDRESS", "2001:db8::8a2e:370:7334"),
    ("link-local fe80::1ff:fe23:4567:890a%eth0 up", "IP_ADDRESS", "fe80::1ff:fe23:4567:890a%eth0"),
    (
        "[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:443",
        "IP_ADDRESS",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    ),
    # MAC addresses
    ("wlan0 ether 00:1A:2B:3C:4D:5E txqueuelen 1000", "MAC_ADDRESS", "00:1A:2B:3C:4D:5E"),
    ("Physical Address. . . : 00-1a-2b-3c-4d-5e", "MAC_ADDRESS", "00-1a-2b-3c-4d-5e"),
    ("switch port learned 001a.2b3c.4d5e on Gi0/1", "MAC_ADDRESS", "001a.2b3c.4d5e"),
    # a netfilter log glues destination, source and EtherType into one `MAC=` field
    (
        "kernel: [UFW BLOCK] IN=eth0 OUT= MAC=11:2c:93:f4:33:43:00:1a:2b:3c:4d:5e:08:00 SRC=10.0.0.4",
        "MAC_ADDRESS",
        "11:2c:93:f4:33:43",
    ),
    (
        "kernel: [UFW BLOCK] IN=eth0 OUT= MAC=11:2c:93:f4:33:43:00:1a:2b:3c:4d:5e:08:00 SRC=10.0.0.4",
        "MAC_ADDRESS",
        "00:1a:2b:3c:4d:5e",
    ),
    ("SSN (last 4): 1234 verified", "US_SSN", "1234"),
    ("Referred by Dr. Amara Osei 1245319599 for follow-up.", "NPI", "1245319599"),
    ("client id / secret: 4471abcd / Zx8kQ2mN7pL4vR9sT1wY6uE3", "SECRET", "Zx8kQ2mN7pL4vR9sT1wY6uE3"),
    # a phone number read out in words
    (
        "Number he gave: zero seven seven zero zero, nine double-zero, three one four.",
        "PHONE",
        "zero seven seven zero zero, nine double-zero, three one four",
    ),
    # URL parts
    ("GET https://api.example.com/v1/me?access_token=ya29.a0AfH6SMB&page=2", "URL", "ya29.a0AfH6SMB"),
    ("https://app.example.com/reset?email=alice%40example.com&lang=en", "URL", "alice%40example.com"),
    ("redirect to /callback?code=4%2F0AX4XfWh&state=xyz", "URL", "4%2F0AX4XfWh"),
    ("https://cdn.example.com/f.pdf?X-Amz-Signature=3f5a9c0d1e2b&X-Amz-Expires=300", "URL", "3f5a9c0d1e2b"),
    ("https://example.com/login?USER=jsmith&next=/", "URL", "jsmith"),
    ("https://example.com/login?username=jsmith&password=hunter2", "SECRET", "hunter2"),
    # secrets
    ("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "SECRET", "AKIAIOSFODNN7EXAMPLE"),
    ('SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "Nf8#kQ2vLz!9xR")', "SECRET", "Nf8#kQ2vLz!9xR"),
    ("wire to FR38-2227-9180-5888-7180-3340-187 today", "IBAN", "FR38-2227-9180-5888-7180-3340-187"),
    ("dsn: https://4f1c9e2b8a7d6c5e@o447120.ingest.sentry.io/5", "SECRET", "4f1c9e2b8a7d6c5e"),
    (
        '{"username": "m", "key": "9f8e7d6c5b4a39281706f5e4d3c2b1a0"}',
        "SECRET",
        "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    ),
    ("my api key is sk_9a8b7c6d5e4f3a2b1c0d", "SECRET", "sk_9a8b7c6d5e4f3a2b1c0d"),
    ("ST*834*0001~\nNM1*IL*1*DOE*JANE****34*521447103~", "US_SSN", "521447103"),
    (
        "AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "SECRET",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "SECRET",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "export GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "SECRET",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    ),
    (
        "token github_pat_11ABCDEFG0abcdefghijkl_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN4",
        "SECRET",
        "github_pat_11ABCDEFG0abcdefghijkl_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN4",
    ),
    ("CI uses glpat-Ab3dE6gH9jK2mN5pQ8rS", "SECRET", "glpat-Ab3dE6gH9jK2mN5pQ8rS"),
    (
        "SLACK_BOT_TOKEN: xoxb-2734582379-234234234-aBcDeFgHiJkL",
        "SECRET",
        "xoxb-2734582379-234234234-aBcDeFgHiJkL",
    ),
    (
        "webhook https://hooks.slack.com/services/T0A1B2C3D/B0A1B2C3D/aBcDeFgHiJkLmNoPqRsTuVwX",
        "SECRET",
        "T0A1B2C3D/B0A1B2C3D/aBcDeFgHiJkLmNoPqRsTuVwX",
    ),
    ("stripe.api_key = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'", "SECRET", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("key rk_live_51H8aBcDeFgHiJkLmNoPq in dashboard", "SECRET", "rk_live_51H8aBcDeFgHiJkLmNoPq"),
    ("OPENAI_API_KEY=sk-proj-abcDEF123ghiJKL456mnoPQR789", "SECRET", "sk-proj-abcDEF123ghiJKL456mnoPQR789"),
    ("client = OpenAI(api_key=sk-abcdEFGH1234ijklMNOP5678qrst)", "SECRET", "sk-abcdEFGH1234ijklMNOP5678qrst"),
    (
        "ANTHROPIC_API_KEY=sk-ant-api03-abcDEF123ghiJKL456mnoPQR789-xyzAA",
        "SECRET",
        "sk-ant-api03-abcDEF123ghiJKL456mnoPQR789-xyzAA",
    ),
    (
        "cookie: session=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "SECRET",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ),
    (
        "SLACK_APP_TOKEN=xapp-1-A0123BCDE45-1234567890123-abcdef0123456789",
        "SECRET",
        "xapp-1-A0123BCDE45-1234567890123-abcdef0123456789",
    ),
    (
        "maps key AIzaSyD3hJk9Lm2Np4Qr6St8Uv0Wx2Yz4Ab6Cd8 in html",
        "SECRET",
        "AIzaSyD3hJk9Lm2Np4Qr6St8Uv0Wx2Yz4Ab6Cd8",
    ),
    (
        "//registry.npmjs.org/:_authToken=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        "SECRET",
        "npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    ),
    ("HF_TOKEN=hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH", "SECRET", "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH"),
    (
        "twine upload -p pypi-AgEIcHlwaS5vcmcCJGE0ZDY3YTYwLTc5ZjEtNGQ1MC04ZjA2LWY1NTQ3ZTMwYjg0ZQ",
        "SECRET",
        "pypi-AgEIcHlwaS5vcmcCJGE0ZDY3YTYwLTc5ZjEtNGQ1MC04ZjA2LWY1NTQ3ZTMwYjg0ZQ",
    ),
    (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END RSA PRIVATE KEY-----",
        "SECRET",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END RSA PRIVATE KEY-----",
    ),
    ("curl -H 'Authorization: Bearer abcDEF123456ghiJKL789' https://api", "SECRET", "abcDEF123456ghiJKL789"),
    ('headers = {"Authorization": "Basic dXNlcjpwYXNzd29yZDEyMw=="}', "SECRET", "dXNlcjpwYXNzd29yZDEyMw=="),
    ("DB_PASSWORD=s3cr3t-Pa55", "SECRET", "s3cr3t-Pa55"),
    ("mysql login failed, passwd: hunter2", "SECRET", "hunter2"),
    ('{"username": "svc", "password": "correct horse battery"}', "SECRET", "correct horse battery"),
    ("settings.py: SECRET_KEY = 'django-insecure-8f3$k2@x'", "SECRET", "django-insecure-8f3$k2@x"),
    ("pwd=Tr0ub4dor&3", "SECRET", "Tr0ub4dor"),
    ("X-API-Key: 9f8e7d6c5b4a3210", "SECRET", "9f8e7d6c5b4a3210"),
    ("DATABASE_URL=postgres://app:S3cr3tPw@db.internal:5432/app", "SECRET", "S3cr3tPw"),
    ("mongodb+srv://jsmith:pa55w0rd@cluster0.example.net/test", "SECRET", "pa55w0rd"),
    ("REDIS_URL=redis://:hunter22@cache:6379/0", "SECRET", "hunter22"),
    ("amqp://guest:guestpw@rabbit:5672/", "SECRET", "guestpw"),
    ('{"arguments": "{\\"password\\": \\"hunter2\\"}"}', "SECRET", "hunter2"),  # JSON in a JSON string
    ("export MYSQL_PWD=secret123 && mysql -h db", "SECRET", "secret123"),
    ("curl -u jsmith:hunter2 https://api.example.com", "SECRET", "hunter2"),
    ("<password>hunter2</password>", "SECRET", "hunter2"),
    ("Cookie: sessionid=abc123def456ghi789; theme=dark", "SECRET", "abc123def456ghi789"),
    # user names
    ('{"arguments": "{\\"username\\": \\"jsmith\\"}"}', "USERNAME", "jsmith"),
    ("curl --user jsmith:hunter2 https://api.example.com", "USERNAME", "jsmith"),
    ("thanks @ryoung and @gfisher for the review", "USERNAME", "@ryoung"),
    ("thanks @ryoung and @gfisher for the review", "USERNAME", "@gfisher"),
    ("u/throwaway_jess posted this", "USERNAME", "u/throwaway_jess"),
    ('{"assignee": "jdoe-support"}', "USERNAME", "jdoe-support"),
    ("Login ID: mgarcia2024", "USERNAME", "mgarcia2024"),
    ("add me on discord: kayla#4821", "USERNAME", "kayla#4821"),
    ("X-To: Booth, Chris </O=ENRON/OU=NA/CN=RECIPIENTS/CN=Cbooth>", "USERNAME", "Cbooth"),
    ("[14:01] <carlos.m> hi all\n[14:02] <yuki> looking", "USERNAME", "yuki"),
    ("Ticket: User bellamy.r reports logins from abroad", "USERNAME", "bellamy.r"),
    ('10.1.4.22 - mwaweru [12/Nov/2024:10:05:01 +0000] "GET / HTTP/1.1" 200', "USERNAME", "mwaweru"),
    ("scp build.tar.gz mlopez@142.93.18.240:/opt/app/", "USERNAME", "mlopez"),
    ("<user>mgarcia</user>", "USERNAME", "mgarcia"),
    ("Hi, my username is jsmith and I can't log in", "USERNAME", "jsmith"),
    ("Her login was `m.garcia` until March", "USERNAME", "m.garcia"),
    ("mongodb+srv://jsmith:pa55w0rd@cluster0.example.net/test", "USERNAME", "jsmith"),
    ("2024-01-15 audit user=jsmith action=delete", "USERNAME", "jsmith"),
    ("username: jsmith", "USERNAME", "jsmith"),
    ("login: mgarcia", "USERNAME", "mgarcia"),
    ('{"user": "a.kowalski", "role": "dev"}', "USERNAME", "a.kowalski"),
    ("pam_unix(sshd:session): session opened for user mgarcia by (uid=0)", "USERNAME", "mgarcia"),
    ("sshd[4242]: Accepted password for alice from 10.0.0.5 port 52144 ssh2", "USERNAME", "alice"),
    ("sshd[4243]: Failed password for invalid user bob_k from 10.0.0.9", "USERNAME", "bob_k"),
    # shell and system-tool output (patterns/usernames_shell.py)
    ("uid=1003(ksmith) gid=1003(ksmith)", "USERNAME", "ksmith"),
    ("sudo:    tpark : TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/bin/ls", "USERNAME", "tpark"),
    ("rnguyen:x:1004:1004:Rosa Nguyen,,,:/home/rnguyen:/bin/bash", "USERNAME", "rnguyen"),
    ("cannot access ~jdoe/notes.txt", "USERNAME", "jdoe"),
    ("jdoe@laptop:~/src$ ls", "USERNAME", "jdoe"),
    ("then ssh bwells@10.0.0.5", "USERNAME", "bwells"),
    ("crontab -l -u bwells", "USERNAME", "bwells"),
    ("-rw-r--r--  1 jdoe  staff  4096 Nov 12 10:00 report.txt", "USERNAME", "jdoe"),
    # records, forms, prose (patterns/usernames_fields.py)
    ("\tAccount Name:\t\tjdoe\n", "USERNAME", "jdoe"),
    ("Access denied for ACME\\mlopez on fs01", "USERNAME", "mlopez"),
    ("Network ID: mlopez2", "USERNAME", "mlopez2"),
    ("I'm logged in as ksmith", "USERNAME", "ksmith"),
    ("account: @kwu_design", "USERNAME", "@kwu_design"),
    ("Approved by: Helen Achterberg (hachterberg)", "USERNAME", "hachterberg"),
    # git output and code (patterns/usernames_code.py)
    ("// TODO(jdoe): remove after the migration", "USERNAME", "jdoe"),
    (" * @author tpark\n", "USERNAME", "tpark"),
    ("^8f3a2c1 (jdoe    2024-11-12 10:00:00 +0000 14)  x = 3", "USERNAME", "jdoe"),
    ("origin\tgit@github.com:jdoe/dotfiles.git (fetch)", "USERNAME", "jdoe"),
    ("git clone git@github.com:rnguyen/ml-notes.git", "USERNAME", "rnguyen"),
    ("see https://gitlab.com/users/aisha.k/projects", "USERNAME", "aisha.k"),
    # credential pairs, database clients, platform handles (patterns/usernames_creds.py)
    ("login jdoe / Winter2024!x", "USERNAME", "jdoe"),
    ("login jdoe / Winter2024!x", "SECRET", "Winter2024!x"),
    ("mysql -u bwells -pS3cr3tPass! -h db.internal", "USERNAME", "bwells"),
    ("mysql -u bwells -pS3cr3tPass! -h db.internal", "SECRET", "S3cr3tPass!"),
    ("snap: priya.k.29 for pics", "USERNAME", "priya.k.29"),
    (
        "TechGuru42: my router keeps dropping the line\nAgent: have you tried a reset today?",
        "USERNAME",
        "TechGuru42",
    ),
    ("sshd: Accepted publickey for d.nguyen from 10.1.1.1", "USERNAME", "d.nguyen"),
    # US
    ("Her SSN is 123-45-6789.", "US_SSN", "123-45-6789"),
    ("applicant SSN 078 05 1121 pending", "US_SSN", "078 05 1121"),
    ("Tax file number 123 456 782 on the form", "AU_TFN", "123 456 782"),
    ("IRD no. 49 091 850", "NZ_IRD", "49 091 850"),
    ("TFN: 123-456-782", "AU_TFN", "123-456-782"),
    ("SSN: 123456789", "US_SSN", "123456789"),
    ("Applicant 536.22.1234 approved", "US_SSN", "536.22.1234"),
    ("SOCIALNUM: 219-09-9999", "US_SSN", "219-09-9999"),
    ("ITIN 912-70-1234 issued", "US_ITIN", "912-70-1234"),
    ("Her SSN on file is 000-12-3456, flagged", "US_SSN", "000-12-3456"),
    # national ids of other countries (python-stdnum)
    ("alta: HEGG560427MVZRRL04", "ID_NUMBER", "HEGG560427MVZRRL04"),
    ("dati RCCMNL83S18D969H Genova", "ID_NUMBER", "RCCMNL83S18D969H"),
    ("assinado por 390.533.447-05", "ID_NUMBER", "390.533.447-05"),
    ("등록번호 850101-1234566", "ID_NUMBER", "850101-1234566"),
    ("Aadhaar on the KYC form: 4371 8820 9151", "ID_NUMBER", "4371 8820 9151"),
    ("his PAN on the form is ABCPE1234F", "ID_NUMBER", "ABCPE1234F"),
    ("RFC del empleado: GODE561231GR8", "ID_NUMBER", "GODE561231GR8"),
    ("social insurance number on file: 130 692 544", "ID_NUMBER", "130 692 544"),
    ("taxpayer itin: 912781234", "US_ITIN", "912781234"),
    ("It shows 5l8-3O-7726 (the scanner read it weird)", "US_SSN", "5l8-3O-7726"),
    # UK
    ("NI number AB 12 34 56 C on payslip", "UK_NINO", "AB 12 34 56 C"),
    ("nino=JG103759A", "UK_NINO", "JG103759A"),
    ("NHS number 943 476 5919", "UK_NHS", "943 476 5919"),
    ("nhs_no: 9434765919", "UK_NHS", "9434765919"),
    ("Patient record 943-476-5919 updated", "UK_NHS", "943-476-5919"),
    ("Deliver to 10 Downing Street, London SW1A 2AA.", "POSTCODE", "SW1A 2AA"),
    ("Manchester M1 1AE", "POSTCODE", "M1 1AE"),
    ("ship to B33 8TH please", "POSTCODE", "B33 8TH"),
    ("Edinburgh EH1 1YZ / Cardiff CF10 1EP", "POSTCODE", "CF10 1EP"),
    ("W1A 0AX is the BBC", "POSTCODE", "W1A 0AX"),
    ("postcode: SW1A1AA", "POSTCODE", "SW1A1AA"),
    # AU
    ("My TFN is 123 456 782.", "AU_TFN", "123 456 782"),
    ("tfn=876543210", "AU_TFN", "876543210"),
    ("Invoice from ABN 51 824 753 556", "AU_ABN", "51 824 753 556"),
    ("abn: 51824753556", "AU_ABN", "51824753556"),
    ("Medicare card 2123 45670 1", "AU_MEDICARE", "2123 45670 1"),
    ("medicare_no=2123456701", "AU_MEDICARE", "2123456701"),
    # NZ
    ("IRD number 49-091-850", "NZ_IRD", "49-091-850"),
    ("ird: 136410132", "NZ_IRD", "136410132"),
    ("NHI ZAC5361 admitted", "NZ_NHI", "ZAC5361"),
    ("patient ZBN77VL (new format)", "NZ_NHI", "ZBN77VL"),
    # Spain (the `es` pack; more in test_locale_es.py)
    ("Paciente con DNI 50123456Q ingresa", "ID_NUMBER", "50123456Q"),
    ("DNI: 12.345.678-Z", "ID_NUMBER", "12.345.678-Z"),
    ("con NIE X1234567L y domicilio", "ID_NUMBER", "X1234567L"),
    ("Titular: Florencia Giménez, DNI 32.456.789", "ID_NUMBER", "32.456.789"),
    ("Transportes Cantábrico S.L., CIF B48123459", "TAX_ID", "B48123459"),
    ("Teléfono de contacto: 654 213 908", "PHONE", "654 213 908"),
    (
        "Domicilio: Calle del Olmo, 14, 2º B, 28807 Alcalá de Henares",
        "ADDRESS",
        "Calle del Olmo, 14, 2º B, 28807 Alcalá de Henares",
    ),
    ("Se traslada a la paciente desde Sevilla por la tarde.", "LOCATION", "Sevilla"),
    ("Remitido por: Dra. Inés Salvatierra Ochoa", "PERSON", "Inés Salvatierra Ochoa"),
    ("Trabaja en Aceros del Norte S.A. desde hace años", "ORG", "Aceros del Norte S.A."),
    # health (health.py)
    ("Patient: Maria Garcia, DOB 03/04/1980, seen today", "DATE_OF_BIRTH", "03/04/1980"),
    ("MRN 00482913 admitted", "MRN", "00482913"),
    # phones: extensions, trunk (0), possible numbers after an explicit +, other countries' national formats
    ("Fax: 345-899-3560x4587", "PHONE", "345-899-3560x4587"),
    ("Fax: 259.735.7502x459 today", "PHONE", "259.735.7502x459"),
    ("Desk: (898)666-3621x0135", "PHONE", "(898)666-3621x0135"),
    ("Desk: +1-903-140-4508x769 Fax:", "PHONE", "+1-903-140-4508x769"),
    ("Desk: +41 (0)96 471 07 95 Fax:", "PHONE", "+41 (0)96 471 07 95"),
    ("office +46 (0)179 459 33 fax", "PHONE", "+46 (0)179 459 33"),
    ("Desk: +447700 921 916 Fax:", "PHONE", "+447700 921 916"),
    ("Ring +44 7700 900461 tonight", "PHONE", "+44 7700 900461"),
    ("fax +447700677662 mobile", "PHONE", "+447700677662"),
    ("fax +1-984-182-0190 mobile", "PHONE", "+1-984-182-0190"),
    ("Can someone call me on 01.84.17.61.18? I have", "PHONE", "01.84.17.61.18"),
    ("Standard Paris: 01 84 17 61 18", "PHONE", "01 84 17 61 18"),
    ("stop sending messages to 0688 872 49 99", "PHONE", "0688 872 49 99"),
    ("my registered 0961-7596216. Could you", "PHONE", "0961-7596216"),
    ("reach the ward on 0393 1144137 today", "PHONE", "0393 1144137"),
    ("Johannesburg office 082 490 1693", "PHONE", "082 490 1693"),
    ("Personal Info:\nPhone:\n467 3395\n\nE-mail:", "PHONE", "467 3395"),
    ("Can someone call me on 9472 7916? I have", "PHONE", "9472 7916"),
    ("Phone: (99) 645-791", "PHONE", "(99) 645-791"),
    ("Mobile: 72 128 827 Desk:", "PHONE", "72 128 827"),
    ("Portugal 30971 21 253 109 8211-Office", "PHONE", "21 253 109 8211"),
    ("BUNDALAGUAH VIC 655 437 108 office +4", "PHONE", "655 437 108"),
    ("Personal Info:\nFax: 3660170548\n", "PHONE", "3660170548"),
    ("South Africa 89082\n085 175 7641-Office,3660170548-Fax", "PHONE", "3660170548"),
    ("APO AA 61487\n416 60 039 office\n", "PHONE", "416 60 039"),
    # phone_cued: a telephony verb, a preposition, grouped digits that end the clause
    ("They're not answering at 78 651 450", "PHONE", "78 651 450"),
    ("I would like to stop receiving messages to 699 956 915", "PHONE", "699 956 915"),
    ("didn't get any message on my registered 668 5702. Could you", "PHONE", "668 5702"),
    ("I called her on 71-33-52-22, no answer", "PHONE", "71-33-52-22"),
    ("You can reach the night nurse at 99 668472, ward 4", "PHONE", "99 668472"),
    ("Voicemail said to call back on 374 780 163.", "PHONE", "374 780 163"),
    ("he rang from 77 204 5519, I told him", "PHONE", "77 204 5519"),
    ("I'll message him on 77 204 5519 to confirm", "PHONE", "77 204 5519"),
    # chat transcripts: lower-case speaker handles
    (
        "dev_ops_lena: anyone know who owns the flaky test?\ntomasz: git blame says it was the old team\n"
        "dev_ops_lena: ok I will ask them anyway",
        "USERNAME",
        "tomasz",
    ),
    (
        "[10:02] k.osei: is the deploy still running?\n[10:03] mhernandez: yes, it should be done soon\n"
        "[10:04] k.osei: thanks, I will wait for it",
        "USERNAME",
        "k.osei",
    ),
    ("not answering at 78 651 450, and he rang from 77 204 5519 yesterday.", "PHONE", "77 204 5519"),
    ("call me on 93 412 880 after 6pm", "PHONE", "93 412 880"),
    # cards: 15-digit JCB, card-word context for 12-19 digit runs
    ("I have lost my card 180016070420458. Could you", "CREDIT_CARD", "180016070420458"),
    ("Please block 213175197796454 today", "CREDIT_CARD", "213175197796454"),
    ("My card 4131034282458809939 is expiring", "CREDIT_CARD", "4131034282458809939"),
    ("card number 630427373398 is lost", "CREDIT_CARD", "630427373398"),
    ("cc 3509413199654323 on my e-mail", "CREDIT_CARD", "3509413199654323"),
    # IBAN in lower case
    ("my iban is gb42nawi04454264788619", "IBAN", "gb42nawi04454264788619"),
    # user names: home directories, audit logs
    ("ls /home/aisha/projects", "USERNAME", "aisha"),
    ("open /Users/aisha/Desktop/notes.txt", "USERNAME", "aisha"),
    ("C:\\Users\\aisha\\Documents\\cv.docx", "USERNAME", "aisha"),
    ('"path": "C:\\\\Users\\\\aisha\\\\AppData"', "USERNAME", "aisha"),
    ("audit actor=alice action=role.grant target=o.bakker", "USERNAME", "alice"),
    ("audit actor=alice action=role.grant target=o.bakker", "USERNAME", "o.bakker"),
    ('rejected peer id "o.bakker" at 10:02', "USERNAME", "o.bakker"),
    ("e1c7a55 Merge pull request #409 from tkowalski/feature/export", "USERNAME", "tkowalski"),
    # passwords in prose
    ("the password is Tr0ub4dor&3x. Thanks", "SECRET", "Tr0ub4dor&3x"),
    ('my passphrase was "correct horse battery"', "SECRET", "correct horse battery"),
    ("password reset to Welcome123 today", "SECRET", "Welcome123"),
    # account numbers after an account word
    ("Customer CUS-0048213 called", "ACCOUNT_NUMBER", "CUS-0048213"),
    ("renewal of policy POL-7731920.", "ACCOUNT_NUMBER", "POL-7731920"),
    ("account number 12345678 is closed", "ACCOUNT_NUMBER", "12345678"),
    ("acct #00481234", "ACCOUNT_NUMBER", "00481234"),
    ('{"customer_id": "55512345"}', "ACCOUNT_NUMBER", "55512345"),
    # spaced out, and with invisible or full-width characters inside (loose_ids.py, plain_ids.py)
    ("Checking  acct # 0 9 1 1 - 8 8 4 - 4 1 7   balance", "ACCOUNT_NUMBER", "0 9 1 1 - 8 8 4 - 4 1 7"),
    ("acct 4410\u200b2093\u200b88 thanks", "ACCOUNT_NUMBER", "4410\u200b2093\u200b88"),
    (
        "SSN: \uff15\uff13\uff16-\uff12\uff12-\uff11\uff12\uff13\uff14",
        "US_SSN",
        "\uff15\uff13\uff16-\uff12\uff12-\uff11\uff12\uff13\uff14",
    ),
]


def _id(case: tuple[str, str, str]) -> str:
    return f"{case[1]}:{case[2][:24]}"


@pytest.mark.parametrize(("text", "label", "value"), VALID, ids=[_id(c) for c in VALID])
def test_valid_examples_are_found(text: str, label: str, value: str) -> None:
    assert (label, value) in found(text)


@pytest.mark.parametrize(("text", "label", "value"), VALID, ids=[_id(c) for c in VALID])
def test_scores_clear_the_default_threshold(text: str, label: str, value: str) -> None:
    spans = [s for s in spans_of(text, label) if text[s.start : s.end] == value]
    assert spans and all(0.5 <= s.score <= 1.0 for s in spans)


# (sentence, label that must not appear)
INVALID: list[tuple[str, str]] = [
    # e-mail look-alikes
    ("git clone git@github.com:acme/app.git", "EMAIL"),
    ("npm i @acme/web-client@3.14.1", "EMAIL"),
    ("Created symlink /etc/systemd/system/getty.target.wants/getty@tty1.service", "EMAIL"),
    ("@app.route('/users/<id>')", "EMAIL"),
    # phones
    ("order 2079460000 shipped", "PHONE"),
    ('{"id": 4155552671}', "PHONE"),
    ("at 22:01:13 2024 +0000", "PHONE"),
    ('{"telemetry_id": 4155552671, "callback_ms": 4155552671}', "PHONE"),
    ("* [[`0701559336`](https://github.com/nodejs/node/commit/0701559336)] - fix", "PHONE"),  # numeric SHA
    ("// Prints: <Buffer ab 90 78 56 34 12>", "PHONE"),
    ("Boston, MA 02110-1301 USA", "PHONE"),
    ("logprob=-0.39453125, special=False", "PHONE"),
    ("Unpacking libabsl20220623:amd64 (20220623.1-1+deb12u2) ...", "PHONE"),
    ("r = 4000000*x**3 - 239960000*x**2", "PHONE"),
    # cards failing Luhn or with unknown prefixes
    ("card 4111 1111 1111 1112", "CREDIT_CARD"),
    ("card 5555-5555-5555-4445", "CREDIT_CARD"),
    ("id 1234567812345670", "CREDIT_CARD"),  # passes Luhn, but 1 is no card network
    ("epoch ms 1705312200123", "CREDIT_CARD"),
    ("hashes = [4220315081820346526, 717751820318449133]", "CREDIT_CARD"),  # bare 19 digits: a hash
    ("expires_at_ms=2243289601266", "CREDIT_CARD"),  # Luhn-valid, Mastercard-like, but 13 digits
    # IBAN failing mod 97 or country format
    ("IBAN GB82 WEST 1234 5698 7654 33", "IBAN"),
    ("DE89370400440532013001", "IBAN"),
    ("XX82WEST12345698765432", "IBAN"),
    # IP look-alikes
    ("pip install foo==1.2.3.4", "IP_ADDRESS"),
    ("Requires: version 1.2.3.4 or later", "IP_ADDRESS"),
    ("User-Agent: Chrome/120.0.6099.109", "IP_ADDRESS"),
    ("OID 1.3.6.1.4.1.311.21.8", "IP_ADDRESS"),
    ("firmware v10.2.33.4 released", "IP_ADDRESS"),
    ("package foo-1.2.3.4.tar.gz", "IP_ADDRESS"),
    ("tag 1.2.3.4-rc1", "IP_ADDRESS"),
    ("bad 256.1.1.1 and 10.0.0.300", "IP_ADDRESS"),
    ("uvicorn running on 127.0.0.1:8000 and 0.0.0.0:80", "IP_ADDRESS"),
    ("listen [::1]:8080 and [::]:80", "IP_ADDRESS"),
    ("at 10:30:00 std::vector abc::def Foo::bar", "IP_ADDRESS"),
    ("boxes[:, 0::2] = x[1::3]; y = a[::2, ::3]", "IP_ADDRESS"),
    ("Setting up alsa-topology-conf (1.2.5.1-2) ...", "IP_ADDRESS"),
    ('<strong aria-hidden="true">9.2.6.2.</strong> Searching', "IP_ADDRESS"),
    ("* Upgrade V8 to 3.1.8.5", "IP_ADDRESS"),
    ("as required by RFC 5890 §2.3.2.1", "IP_ADDRESS"),
    ("url = 'http://169.254.169.254/latest/meta-data/'; mask 255.255.255.0", "IP_ADDRESS"),
    ('cidr_blocks = ["10.0.0.0/16", "172.16.0.0/12"], ipv6 = "2001:db8::/32"', "IP_ADDRESS"),
    # MAC look-alikes
    ("time 12:34:56 and 00:00:00:00:00:00", "MAC_ADDRESS"),
    ("broadcast ff:ff:ff:ff:ff:ff", "MAC_ADDRESS"),
    ("mixed 00:1a-2b:3c-4d:5e", "MAC_ADDRESS"),
    # URL query look-alikes
    ("GET /items?page=2&sort=desc&limit=50", "URL"),
    ("fetch(`/api?token=${token}&user={user}`)", "URL"),
    ("https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2023-23920", "URL"),
    ("new MIMEType('text/javascript;key=value')", "URL"),
    # secrets look-alikes
    ("sk-learn is not a key, nor is sk-this-is-not-a-real-key", "SECRET"),
    ("glpat-xxxxxxxxxxxxxxxxxxxx", "SECRET"),
    ("password = os.environ['DB_PASSWORD']", "SECRET"),
    ("def login(password: str, api_key: Optional[str] = None):", "SECRET"),
    ("password=password, secret=client_secret, token=TOKEN", "SECRET"),
    ("password: ${DB_PASSWORD}", "SECRET"),
    ("docker run -u 1000:1000 img && git push -u origin main", "SECRET"),
    ("<Password>${PW}</Password>", "SECRET"),
    ('password = f"{prefix}-{suffix}"; VISION_START_TOKEN = "]<]start of image[>["', "SECRET"),
    ("(used when `config.return_class_token=True`)", "SECRET"),
    ("Args:\n    token: str:\n        The token", "SECRET"),
    ('"ftp://username:password@host:port/path/file"', "SECRET"),
    ("PWD: '/Users/dev/project', OLDPWD=/home/dev", "SECRET"),
    ("postgres://${DB_USER}:${DB_PASS}@localhost/app", "SECRET"),
    ("eyJub3QiOiJqd3QifQ.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc", "SECRET"),  # header has no alg
    ("the bearer token is stored in Vault", "SECRET"),
    ('"""\n    password: The password for authenticating over HTTP.\n"""', "SECRET"),
    ("They do not have to be secret: IVs are typically just random", "SECRET"),
    ("def f(atom_to_token: Tensor): atom_to_token=conditioning.atom_to_token", "SECRET"),
    ("Element(score=0.0655, token=45075, token_str=' immort')", "SECRET"),
    ('client = Client(api_key="your-api-key-here")  # or api_key="hf_..."', "SECRET"),
    ("styles = {Token: '#dcdccc', Error: '#e37170'}", "SECRET"),
    ('{token:"support.constant",regex:"x"},{token:a.token+".end"}', "SECRET"),
    ('{token:"empty_line",regex:"^$"},{token:"identifier"}', "SECRET"),  # tokens are machine-made
    ('"--token": "Use a User Access Token. Prefer setting HF_TOKEN2 instead."', "SECRET"),
    ('groups = ["passwd:dir", "passwd:gecos", "passwd:shell"]', "SECRET"),
    ("username, password = split", "SECRET"),
    ('{"username": "username", "password": "pwd"}', "SECRET"),
    ('self.image_token = "|SPEAKER|"', "SECRET"),
    (
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
        "SECRET",
    ),
    # user name look-alikes
    ("user = User.objects.get(pk=1)", "USERNAME"),
    ("username = request.user.username", "USERNAME"),
    ("user: root", "USERNAME"),
    ("Failed password for invalid user oracle from 45.141.84.120 port 40112 ssh2", "USERNAME"),
    ("root@web01:~# uid=0(root) gid=0(root); ssh deploy@10.0.0.4", "USERNAME"),
    ("Account Name: WS-0142$ and CORP\\svc_backup", "USERNAME"),
    ('docker run --user 1000:1000 and user: "1000"', "USERNAME"),
    ("def get(user: str, login: bool = True):", "USERNAME"),
    ("for user in node.users:", "USERNAME"),
    ("# For user visible outputs, inductor will", "USERNAME"),
    ("trusts user :attr:`dataset` code", "USERNAME"),
    ("Null for user messages.", "USERNAME"),
    ('username = f"uid_{getuid()}"', "USERNAME"),
    ('client.users.create(user_id=user_id, username="current")', "USERNAME"),
    ("# power user: used with advanced RoPE", "USERNAME"),
    ("The username is required and the login is case sensitive", "USERNAME"),
    ("if the username is invalid, the file handle is stale", "USERNAME"),
    # US: area 000 / 666 / 9xx, group 00, serial 0000 where nothing labels them an SSN (a labelled one
    # is masked: tests/detect/test_recognizers_ssn.py); bare digits without context
    ("ref 000-12-3456", "US_SSN"),
    ("ref 666-12-3456", "US_SSN"),
    ("ref 923-45-6789", "US_SSN"),
    ("ref 123-00-6789", "US_SSN"),
    ("ref 123-45-0000", "US_SSN"),
    ("order 123456789 shipped", "US_SSN"),
    ("mixed 123-45 6789", "US_SSN"),
    ("Total 128 32 4096 rows", "US_SSN"),  # spaced needs context
    ("ITIN 912-65-1234", "US_ITIN"),  # group 65 is not an ITIN group
    # UK
    ("NINO QQ 12 34 56 C", "UK_NINO"),  # Q never a first letter
    ("NINO GB 12 34 56 A", "UK_NINO"),  # GB never issued
    ("NINO AB 12 34 56 E", "UK_NINO"),  # suffix A-D only
    ("NHS number 943 476 5918", "UK_NHS"),
    ("nhs: 9434765910", "UK_NHS"),
    ("row 9434765919 of the export", "UK_NHS"),  # bare 10 digits need context
    ("columns 943 476 5919", "UK_NHS"),  # spaced needs context too
    ("room 2000 floor 4", "POSTCODE"),
    ("code SW1A 1A and QQ1 1AA and M1 1CE", "POSTCODE"),
    ("ids M11AE and SW1A1AA", "POSTCODE"),  # compact only with context
    # AU
    ("TFN 123 456 789", "AU_TFN"),
    ("sizes 123 456 782 bytes", "AU_TFN"),  # valid checksum, but spaced needs context
    ("tfn=876543211", "AU_TFN"),
    ("abnormal exit 51824753556", "AU_ABN"),  # `abn` must be a whole word
    ("ABN 51 824 753 557", "AU_ABN"),
    ("abn: 51824753557", "AU_ABN"),
    ("Medicare card 2123 45671 1", "AU_MEDICARE"),
    ("Medicare card 7123 45670 1", "AU_MEDICARE"),  # first digit 2-6 only
    # NZ
    ("IRD number 49-091-851", "NZ_IRD"),
    ("ird: 136410133", "NZ_IRD"),
    ("counts 49 091 850", "NZ_IRD"),
    ("NHI ZZZ0044", "NZ_NHI"),
    ("El lote 50123456A llegó ayer", "ID_NUMBER"),  # wrong check letter, no id label
    ("the invoice total was 1.234.567 euros", "ID_NUMBER"),
    ("Order 612345678 shipped", "PHONE"),  # nine bare digits, no phone word, English text
    ("Pedido B48123450 de la empresa", "TAX_ID"),  # wrong check digit
    ("NHI ZZZ00AA", "NZ_NHI"),
    ("See RFC7231 and ISO8601", "NZ_NHI"),
    ("### DEP0055: `util.isRegExp()`", "NZ_NHI"),  # old format needs context
    ("from jnius import autoclass  # noqa: PLC0415", "NZ_NHI"),
    ("nhi zac5361", "NZ_NHI"),  # lower case is code, not an NHI
    # phones: no label, no trunk prefix, no country code: IDs as often as phones
    ("order 699 956 915 shipped", "PHONE"),
    ("the batch took 12 345 678 ns at peak", "PHONE"),
    # phone_cued: a telephony verb alone is not enough; the grouped number must follow a preposition
    # and end the clause, and a few pairs are figures
    ("the queue reached 12 345 678 rows.", "PHONE"),
    ("called flush at 12 345 678 bytes", "PHONE"),
    ("the call returned 200 404 500.", "PHONE"),
    ("message sizes at 10 20 30", "PHONE"),
    ("call graph at 1.2.3.4.", "PHONE"),
    ("Text on 2024-01-15.", "PHONE"),
    ("called on 20240115 again", "PHONE"),
    ("the call. At 12 345 678 rows", "PHONE"),
    ("answered 1 200 calls on trunk 4, rang 37 times", "PHONE"),
    ("sent 3 messages to 412 000 recipients", "PHONE"),
    # chat handles: YAML, object dumps and logs have line-start `key: value` too
    (
        "name: build\nruns-on: ubuntu-latest\nsteps: run the tests on every push\nsteps: and then the linters",
        "USERNAME",
    ),
    (
        "  atime: Mon, 10 Oct 2011 23:24:11 GMT,\n  mtime: Mon, 10 Oct 2011 23:24:11 GMT,\n  atime: Mon,",
        "USERNAME",
    ),
    (
        "error: could not apply the patch to the tree\nhint: resolve all conflicts by hand\nerror: it is not done",
        "USERNAME",
    ),
    ("summary: the build is red\nowner: the platform team\nsummary: it has been red for days", "USERNAME"),
    ("resolution 1920x1080, build 1234-5678x12", "PHONE"),
    ("phone 2024-01-15, tel: 192.168.10.100", "PHONE"),
    ("Phone: 1.2.3", "PHONE"),
    ("ids 0001 0002 0003 0004", "PHONE"),
    ("+12345678 bytes", "PHONE"),
    # cards: a 12-digit or 19-digit run needs a card word; not MII 0-digit or 7-9
    ("AWS account 123456789012 in us-east-1", "CREDIT_CARD"),
    ("card 060426070011", "CREDIT_CARD"),
    ("card 7992739871300", "CREDIT_CARD"),
    ("epoch 4131034282458809939", "CREDIT_CARD"),
    # IBAN mixed case is no IBAN (checksum alone is not enough)
    ("token Gb42nawi04454264788619", "IBAN"),
    # home directories of service accounts, build targets
    ("cd /home/runner/work/repo", "USERNAME"),
    ("/home/ubuntu/.cache and /Users/Shared/x and /home/linuxbrew/.linuxbrew", "USERNAME"),
    ("cp x /home/${USER}/y /home/user/z", "USERNAME"),
    ("cargo build --target=wasm32 target=release", "USERNAME"),
    ("actor: str, target: str", "USERNAME"),
    ("actor=github-actions[bot]", "USERNAME"),
    ("Merge pull request #12 from dependabot/pip/requests-2.32", "USERNAME"),
    ("Merge branch 'main' of github.com:org/repo", "USERNAME"),
    ("One row per actor unless `group_by[]` splits an actor across rows", "USERNAME"),
    ("    actor: SpendLimitIncreaseRequestActor", "USERNAME"),
    ('path=Path("/home/u/venv") and file:///home/foo/dev/tomli', "USERNAME"),
    ("    if password is None:\n        return", "SECRET"),
    (">>> validate('0614-050707-104-8')", "PHONE"),  # El Salvador NIT
    (">>> validate('07-1144442')", "PHONE"),  # US EIN
    ("is given by 03.05.16.0001.01", "PHONE"),  # a formula id
    # passwords: prose words
    ("the password is expired and the password is required", "SECRET"),
    ("your password was Changed; the password is incorrect.", "SECRET"),
    # account numbers: ticket ids without an account word, cloud accounts, fillers
    ("fixed in JIRA-1234 and OPS-1234567", "ACCOUNT_NUMBER"),
    ("AWS account 123456789012 and service account 7654321", "ACCOUNT_NUMBER"),
    ("customer since 2019, member 00000000", "ACCOUNT_NUMBER"),
]


@pytest.mark.parametrize(("text", "label"), INVALID, ids=[f"{c[1]}:{c[0][:24]}" for c in INVALID])
def test_invalid_examples_are_not_found(text: str, label: str) -> None:
    assert [value for lab, value in found(text) if lab == label] == []


# -- spans cover only the value ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("password=hunter2;", "hunter2"),
        ('"password": "hunter2"', "hunter2"),
        ("user=jsmith", "jsmith"),
        ("Authorization: Bearer abcDEF123456ghiJKL789", "abcDEF123456ghiJKL789"),
        ("https://x.example.com/?token=abc123XYZ", "abc123XYZ"),
    ],
)
def test_key_is_never_part_of_the_span(text: str, value: str) -> None:
    spans = LAYER.detect(text)
    assert spans and {text[s.start : s.end] for s in spans} == {value}


def test_pem_private_key_block_is_masked_whole() -> None:
    block = (
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
        "QyNTUxOQAAACDx2iZ5s7K0h1jz0m1lq9y8u7t6r5e4w3q2a1s0d9f8gAAAAJgAAAAAAAAA\n"
        "-----END OPENSSH PRIVATE KEY-----"
    )
    text = f"here is my key:\n{block}\nthanks"
    assert found(text) == [("SECRET", block)]


def test_pem_block_in_json_string_and_truncated_block() -> None:
    escaped = '{"key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"}'
    assert found(escaped) == [
        (
            "SECRET",
            "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----",
        )
    ]
    truncated = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5\nMHcCAQEE"
    assert found(truncated) == [("SECRET", truncated)]
    # Prose after a truncated block stays readable.
    assert found(truncated + "\n\n(truncated) then I ran the deploy again") == [("SECRET", truncated)]


def test_connection_string_masks_user_and_password_not_host() -> None:
    text = "postgres://jsmith:S3cr3tPw@db.internal:5432/app"
    assert found(text) == [("SECRET", "S3cr3tPw"), ("USERNAME", "jsmith")]


def test_phone_and_uk_nhs_overlap_resolves_to_one_span() -> None:
    from maskgate.detect.resolve import ResolveConfig, resolve

    text = "NHS number 943 476 5919"
    (span,) = resolve(text, LAYER.detect(text), ResolveConfig())
    assert (span.label, text[span.start : span.end]) == ("UK_NHS", "943 476 5919")


# -- checksum helpers written here because python-stdnum 2.2 lacks them -------------------------


@pytest.mark.parametrize(
    ("value", "ok"), [("2123456701", True), ("2123 45670 1", True), ("2123456711", False)]
)
def test_medicare_checksum(value: str, ok: bool) -> None:
    assert medicare_is_valid(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("ZAC5361", True),
        ("zac5361", True),
        ("ZBN77VL", True),
        ("ZZZ0044", False),
        ("ZZZ00AA", False),
        ("ZAC536", False),
    ],
)
def test_nhi_checksum(value: str, ok: bool) -> None:
    assert nhi_is_valid(value) is ok


# -- locales -------------------------------------------------------------------------------------


def _labels(recognizers: list[Recognizer | Finder]) -> set[str]:
    return {r.label for r in recognizers}


def test_uk_locale_excludes_other_countries() -> None:
    uk = recognizers_for(["uk"])
    labels = _labels(uk)
    assert {"UK_NINO", "UK_NHS", "POSTCODE", "EMAIL", "PHONE", "SECRET"} <= labels
    assert not labels & {"US_SSN", "US_ITIN", "AU_TFN", "AU_ABN", "AU_MEDICARE", "NZ_IRD", "NZ_NHI"}
    assert {r.locale for r in uk} == {"any", "uk"}


def test_uk_layer_ignores_an_ssn() -> None:
    layer = RegexLayer(recognizers_for(["UK"]))
    assert found("SSN 123-45-6789", layer) == []
    assert ("US_SSN", "123-45-6789") in found("SSN 123-45-6789")


def test_all_locales_by_default() -> None:
    assert {r.name for r in recognizers_for()} == {r.name for r in all_recognizers()}
    assert {r.locale for r in all_recognizers()} == {"any", "us", "uk", "au", "nz", "es"}


def test_every_label_is_canonical_and_documented() -> None:
    from pathlib import Path

    from maskgate.detect.labels import LABELS

    labels = {r.label for r in all_recognizers()}
    assert labels <= set(LABELS)
    doc = (Path(__file__).parents[2] / "docs" / "labels.md").read_text(encoding="utf-8")
    assert [label for label in LABELS if f"| `{label}` |" not in doc] == []


def test_recognizers_pickle() -> None:
    """Worker processes may receive the layer: no lambdas or other unpicklable parts."""
    import pickle

    layer = pickle.loads(pickle.dumps(LAYER))
    text = "SSN 123-45-6789, Authorization: Bearer abcDEF123456ghiJKL789, tel +44 20 7946 0958"
    assert found(text, layer) == found(text)


def test_unknown_locale_raises() -> None:
    with pytest.raises(ValueError, match="fr"):
        recognizers_for(["uk", "fr"])


def test_recognizer_names_are_unique_and_every_one_fires() -> None:
    names = [r.name for r in all_recognizers()]
    assert len(names) == len(set(names))
    sources = {s.source.removeprefix("regex:") for text, _, _ in VALID for s in LAYER.detect(text)}
    assert set(names) - sources == set()


@pytest.mark.parametrize("text", [t for t, _, _ in VALID] + [t for t, _ in INVALID])
def test_prefilter_does_not_change_results(text: str) -> None:
    """The `requires` pre-check is an optimisation only: running every recognizer gives the same spans."""
    unfiltered = sorted(s for r in LAYER.recognizers for s in r.find(text))
    assert sorted(LAYER.detect(text)) == unfiltered


def test_fingerprint_is_stable_and_locale_dependent() -> None:
    assert RegexLayer(recognizers_for()).fingerprint() == LAYER.fingerprint()
    assert RegexLayer(recognizers_for(["uk"])).fingerprint() != LAYER.fingerprint()


# -- the `prefix` fast path finds exactly what the plain pattern finds ---------------------------

_PREFIXED = [r for r in all_recognizers() if isinstance(r, Recognizer) and r.prefix]


def _plain(r: Recognizer) -> Recognizer:
    return dataclasses.replace(r, prefix=None)


def test_some_recognizers_use_the_prefix_fast_path() -> None:
    assert {"secret_assignment", "username_assignment", "username_log", "username_prose"} <= {
        r.name for r in _PREFIXED
    }


@pytest.mark.parametrize("r", _PREFIXED, ids=lambda r: r.name)
def test_prefix_fast_path_matches_plain_scan_on_examples(r: Recognizer) -> None:
    texts = [t for t, _, _ in VALID] + [t for t, _ in INVALID]
    for text in texts:
        assert list(r.find(text)) == list(_plain(r).find(text)), text


_FRAGMENTS = [
    "password", "PASSWORD", "Passwd", "db_", "my", "_", "-", "=", ": ", "'", '"', "\\", " ", "x9", "hunter2",
    "user", "USER_NAME", "login", "for user ", "Accepted password for ", "jsmith", "token", "secret",
    "api-key", "\n", ".", "(", "from", "İ",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14).map("".join))
def test_prefix_fast_path_matches_plain_scan_on_random_text(text: str) -> None:
    for r in _PREFIXED:
        assert list(r.find(text)) == list(_plain(r).find(text))


@pytest.mark.parametrize(("text", "label", "value"), VALID, ids=[_id(c) for c in VALID])
def test_masked_text_is_not_detected_again(text: str, label: str, value: str) -> None:
    """Conversations resend earlier, already masked turns: placeholders must not be re-detected."""
    from maskgate.detect.resolve import ResolveConfig, resolve

    spans = resolve(text, LAYER.detect(text), ResolveConfig())
    masked = text
    for i, s in enumerate(sorted(spans, reverse=True)):
        masked = f"{masked[: s.start]}<{s.label}_{i + 1}>{masked[s.end :]}"
    assert found(masked) == []
