"""Identifiers without a known label word (detect/patterns/open_ids.py): taken unless the context
explains them as something else."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from maskgate.detect.patterns.open_ids import OpenIdLayer

LAYER = OpenIdLayer()
AGENT_PROMPTS = Path(__file__).resolve().parents[1] / "data" / "agent_prompts"


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in LAYER.detect(text)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # unknown label words, forms and prose
        ("Enrollee identifier: XYL884120337", "XYL884120337"),
        ("Recip no.: OH 77120 448 1 (Medicaid)", "OH 77120 448 1"),
        ("the bracelet on her wrist says 88120473", "88120473"),
        ("his clock-in number changed to 30918 after the migration", "30918"),
        ("He read me the number on his statement, PN 447 120 93, and", "PN 447 120 93"),
        ("hey my member number is JX4471920 and i was double billed", "JX4471920"),
        ("Client's file no. is BWL-24-0317.", "BWL-24-0317"),
        ("Hospital number: K2203117", "K2203117"),
        ("Pt: Yusuf Demir   Patient No. 55120KT", "55120KT"),
        ("my acct is 7731 0092 4418 and the zip is 30307", "7731 0092 4418"),
        ("Account holder: W. Armistead      Acct: 5RT-447120", "5RT-447120"),
        # keys, tags, columns
        ('{"staffRef": "BF-20931", "requestId": "req_7f3a9c21"}', "BF-20931"),
        ("<BadgeSerial>0044-7192</BadgeSerial>", "0044-7192"),
        ("verify applicant_ref=K7744120 doc=passport", "K7744120"),
        ('{"memberKey":"ZQX447120991","plan":"PPO-500"}', "ZQX447120991"),
        ("pt_last,pt_first,chart,carrier\nOkafor,Lorraine,0041772,Aetna", "0041772"),
        ("carrier,ins_ref,visit,cpt\nCigna,U71204483 01,2024-05-02,93000", "U71204483 01"),
        ("name|licence_st|lic_num|plate\nD. Whitfield|GA|058827731|RJT 4471", "058827731"),
        # no words at all: the shape alone
        ("Please send the letter, ref'd as MED90817264, today", "MED90817264"),
        ("it is about 004471920583, the one from last week", "004471920583"),
        ("Your personnel file is under PF/22/00815.", "PF/22/00815"),
        ("Patient Roberta Kim (our profile # PH-448120) brought a script", "PH-448120"),
        ("Discharge summary\nName: Ms. A. Okonkwo     Unit no.: 0788 2214     Adm: 06/02", "0788 2214"),
        ("ok my number on the card is 8 8 1 2 0 4 7 3, thanks", "8 8 1 2 0 4 7 3"),
        ("**Insured ID:** XYL884120337", "XYL884120337"),
        ("lol my id # is jx4471920 if u need it", "jx4471920"),
        # HL7 patient segment
        ("PID|1||NR7730215^^^NRH^MR||KOWALCZYK^DANUTA", "NR7730215"),
        # the question on the line above
        ("Bot: What is your member ID?\nCustomer: 7733-1920", "7733-1920"),
    ],
)
def test_takes_unlabelled_ids(text: str, value: str) -> None:
    assert value in [v for v, _ in found(text)]


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("SSN 601-44-8872 spouse", "601-44-8872", "US_SSN"),
        ("the social on it (588-20-4471) doesn't match", "588-20-4471", "US_SSN"),
        ('"provided":"231-47-1209"', "231-47-1209", "US_SSN"),
        ("<TaxpayerRef>431 90 2276</TaxpayerRef>", "431 90 2276", "US_SSN"),
        ("Chart #: MED90817264", "MED90817264", "MRN"),
        ("Subscriber #: H44712093", "H44712093", "ACCOUNT_NUMBER"),
        ("doc=dl num=D4471-20931-88120", "D4471-20931-88120", "US_DRIVER_LICENSE"),
        ("passport number is 563109447 (US)", "563109447", "ID_NUMBER"),
    ],
)
def test_label_follows_the_cue(text: str, value: str, label: str) -> None:
    assert (value, label) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        # logs: pids, ports, epoch times, latencies, traces, kernel times, builds, hashes
        "2024-06-11T08:30:15.221Z INFO [worker-7] pid=48120 job=reindex batch=4471 took=1823ms rows=120447",
        "WARN retry 3/5 port=5432 status=503 latency_ms=30012",
        "GET /api/v2/orders/884120?page=2 200 0.114s trace=4bf92f3577b34da6a3ce929d0e0e4736",
        "1718094616 build=20240611.3 commit=9fceb02d0ae598e95dc970b74767f19372d61af8",
        "kernel: [ 8812.447120] EXT4-fs (nvme0n1p2): mounted. e1000e 0000:00:1f.6 eth0",
        '{"ts":1718097243,"claim":"CLM-2024-0448120","amount":1182.40,"ms":37}',
        "W1014 11:50:02.118321   4471 reflector.go:138] failed",
        "-rw-r----- 1 www-data adm  1048576 Nov 18 09:00 access.log",
        # code, git
        "9fceb02 fix: handle 404\na1b2c3d perf: cache regexes\n0447120 chore: bump version to 2.18.0",
        "Co-authored-by: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
        "user.signingkey=4AEE18F83AFDEB23",
        'id = "550E8400-E29B-41D4-A716-446655440000"',
        # invoices, orders, tickets, references, money
        "Thanks! I found invoice INV-2024-06-00912 for $39.00. Order #A55120.",
        "Please enter your order number.\nCustomer: 7733-1920",
        "Ticket OPS-4471 is in progress; see CX-20417.",
        "Routing number 021000021, confirmation 448120993, tracking 1Z999AA10123456784",
        "Q2 revenue 4,418.2m, 188,120 active merchants, dial-in code 447120#",
        "Deal 448120 and 448121 confirmed, volume 10,000 MMBtu/d at $4.12.",
        "Total $12,448,120 USD 447120",
        "Company no. 08812044, VAT GB 123456789",
        # clinical codes, doses, lab values, lots
        "Dx: E78.5, R73.03; CPT 85025, 80061; LOINC 2345-7; NDC 0409-4888-02",
        "Implant lot 4471902-A, ref 71331205; Specimen ID: SP-240611-0087",
        "vancomycin 1250 mg q12h, trough 17.4 mcg/mL, BP 182/104, weight 82 kg",
        "Vaccine           Date        Lot       Given by\nMMR #2            04/11/2023  X7732A    J. Ramos",
        # tables of numbers, versions, dates, addresses
        "VTI     120     262.41    31,489.20\nBND     300     72.18     21,654.00",
        "USER  PID %CPU %MEM    VSZ   RSS\namensah 20441 96.2 4.1 998120 331812 pts/1",
        "firmware 3.4.118, app v5.12.3, error 0x80070005, reboots every 86400 s",
        "Visit 2024-06-11 07:45, born 19580419, FY 2024-2025",
        "18 Linden Ct, Dayton, OH 45419-1234",
        "Conference room EB3321 at 3:30",
        "ISA*00*          *00*          *ZZ*SUBMITTERID    *ZZ*RECEIVERID     *240611*1022*^*00501*000004471*0*P*:~",
        # social posts: counts with their nouns; e-mail: deals, contracts, meters, Message-IDs
        "omg 250000 followers!! thank u all, 1200000 views on the last one 😭",
        "Message-ID: <18829104.1075852447120.JavaMail.evans@thyme>\nContract 96010478 and meter 447120 flow",
        "stamp 20240611T102241Z",
        "POST /v1/enroll 201 dob=** plan=GOLD-2400 agent=11804 dur=212ms",
        # a system's numbers under keys, resource names, thousands groups, a value named after it
        '{"id": 4155552671, "user_id": 123456789, "build": 20240115, "snowflake": 1747301648291037185}',
        'arn = "arn:aws:ec2:eu-west-2:123456789012:security-group/sg-0a1b"',
        "$ netstat -s | head\n    123 456 782 total packets received",
        "Agent: what is the account number?\nAgent: 4471203 is the ticket, one moment",
        "El lote 50123456A llegó ayer. Pedido B48123450 de la empresa.",
        # a year and a serial, registry and incident numbers
        "Protocol 2024-117, version 3.2: enrol patients aged 18-75. NCT05544120.",
        "Claim 2024-44120 opened. Please reference incident INC0044712.",
        # personal words in prose, system accounts, database rows
        "savings of 12345 this year; the sin 12345 of pride; the government 12345 budget",
        "Medicare covers 80% of 12000 approved charges",
        "AWS account 123456789012 and service account 7654321",
        '{"id": 12345678, "user": "x"}',
        "id,name,qty,price\n4471220,widget,3,9.99\n",
    ],
)
def test_leaves_what_context_explains(text: str) -> None:
    assert found(text) == []


def test_the_next_label_is_no_part_of_a_value() -> None:
    assert found("MRN 00448120/ACCT 7712004") == [("00448120", "MRN"), ("7712004", "ACCOUNT_NUMBER")]


def test_ssn_shapes_are_us_ssn_only_with_the_us_pack() -> None:
    text = "the social on it (588-20-4471) doesn't match"
    assert [s.label for s in OpenIdLayer(us=False).detect(text)] == ["ID_NUMBER"]
    assert [s.label for s in OpenIdLayer(us=True).detect(text)] == ["US_SSN"]


def test_no_break_spaces_inside_a_value() -> None:
    assert found("my acct is 7731\u00a00092\u00a04418 thanks") == [
        ("7731\u00a00092\u00a04418", "ACCOUNT_NUMBER")
    ]


def test_agent_metadata_stays_clear() -> None:
    text = (
        "<system-reminder>\nThe user's repository has 4471 files. Tool result truncated at 30000 "
        "characters. Build 20240611.3 passed in 118.2s (pid 48120, port 8080).\n</system-reminder>\n"
        '{"tool_use_id":"toolu_01Jr","content":"[{\\"key\\":\\"OPS-4471\\",\\"status\\":\\"Done\\"}]"}'
    )
    assert found(text) == []


def test_agent_requests_stay_clear() -> None:
    # the agents' first requests, read as raw text (tool schemas hold `"maximum":9007199254740991`)
    for path in sorted(AGENT_PROMPTS.glob("*.json")):
        assert found(path.read_text(encoding="utf-8")) == [], path.name


def test_linear_on_long_texts() -> None:
    # a long digit-free word, one long line of numbers, a tall CSV: each token looks at a bounded
    # stretch of text (a quadratic scan took 78 s on the 700 KB line, now ~4 s)
    texts = [
        ("x" * 5000 + " ") * 4,
        " ".join(str(100000 + i) for i in range(4000)),
        "|".join(str(4471200 + i) for i in range(4000)),
        "name,acct,amount,x\n" + "".join(f"Ann Lee,{4471200 + i},{i}.50,y\n" for i in range(4000)),
    ]
    small = [t[: len(t) // 8] for t in texts]
    for short, full in zip(small, texts, strict=True):
        t0 = time.process_time()
        LAYER.detect(short)
        t1 = time.process_time()
        LAYER.detect(full)
        t2 = time.process_time()
        assert t2 - t1 < 20 * (t1 - t0) + 0.05  # 8x the text: ~8x the time, not 64x
