"""Logins and passwords under a table's header (CSV exports, psql, Markdown), chat speakers, device
names, FreeRADIUS logins, post-cues, IAM ARNs and branch owners — and the look-alikes that stay."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer
from maskgate.detect.patterns.usernames_prose import name_login
from maskgate.detect.patterns.usernames_tables import USERNAME_CHAT_SPEAKER

LAYER = RegexLayer(recognizers_for())


def found(text: str, label: str) -> list[str]:
    spans = sorted({(s.start, s.end) for s in LAYER.detect(text) if s.label == label})
    return [text[a:b] for a, b in spans]


def test_password_manager_csv() -> None:
    text = (
        "name,url,username,password,note\n"
        "Chase,https://secure.chase.com,dkellerman77,Tr0ub4dor&3xK,\n"
        'Work VPN,https://vpn.acme.org,dkellerman,"Pa$$w,0rd",\n'
        "Router,http://192.168.1.1,admin,kZ7#pW2!eR,\n"
        "Mail,https://mail.example.com,dana@example.com,couchpotato,\n"
    )
    assert found(text, "USERNAME") == ["dkellerman77", "dkellerman"]
    assert found(text, "SECRET") == ["Tr0ub4dor&3xK", "Pa$$w,0rd", "kZ7#pW2!eR", "couchpotato"]


def test_bitwarden_and_keepass_headers() -> None:
    bw = (
        "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n"
    )
    bw += ",,login,Bank,,,0,https://bank.example,rvasquez,Gr33n!Tea,JBSWY3DPEHPK3PXP\n"
    assert found(bw, "USERNAME") == ["rvasquez"]
    assert found(bw, "SECRET") == ["Gr33n!Tea", "JBSWY3DPEHPK3PXP"]
    kp = '"Group","Title","Username","Password","URL","Notes"\n"Root","Wifi","lhernandez","sunflower-42","",""\n'
    assert found(kp, "USERNAME") == ["lhernandez"]
    assert "sunflower-42" in found(kp, "SECRET")


def test_psql_and_markdown_user_tables() -> None:
    psql = (
        " id |    username     |        email        | is_staff\n"
        "----+-----------------+---------------------+----------\n"
        "  1 | admin           | ops@greenleaf.app   | t\n"
        "  2 | bgunawardena    | bimal.g@outlook.com | f\n"
        "  3 | test_user_03    | qa@greenleaf.app    | f\n"
    )
    assert found(psql, "USERNAME") == ["bgunawardena"]
    md = "| Login | Team | Password |\n|---|---|---|\n| okwabena | Sales | ******** |\n| root | Ops | N/A |\n"
    assert found(md, "USERNAME") == ["okwabena"]
    assert found(md, "SECRET") == []


def test_key_value_tables_and_prose_are_no_headers() -> None:
    text = "| Item | Value |\n|---|---|\n| Temp password | x |\n| Laptop | Dell 7440 |\n| Manager | Grace |\n"
    assert "Laptop" not in found(text, "SECRET") and "Manager" not in found(text, "SECRET")
    csv = "date,user,action\n2026-03-01,guest,login\n2026-03-01,anonymous,view\n2026-03-02,www-data,cron\n"
    assert found(csv, "USERNAME") == []
    schema = "column,type,password\nemail,text,false\nname,text,no\n"
    assert found(schema, "SECRET") == []


def test_chat_speakers() -> None:
    text = (
        "[02/14/2026 9:41 PM] wren.hollis (Wren): build failing?\n"
        "[02/14/2026 9:43 PM] koji_nakamura#4471: yeah same\n"
        "[02/14/2026 9:44 PM] ModBot: keep bug reports in #beta\n"
        "[21:40] <dmitri_v88> anyone up\n"
        "[9:45 PM] Ellie (ellie.q): lol\n"
    )
    spans = [text[s.start : s.end] for s in USERNAME_CHAT_SPEAKER.find(text)]
    assert spans == ["wren.hollis", "koji_nakamura#4471", "dmitri_v88", "ellie.q"]
    desk = "[10:02] agent_maya: thanks for holding!\n[10:03] support_bot: hi\n[10:04] Maria: hi\n"
    assert list(USERNAME_CHAT_SPEAKER.find(desk)) == []


def test_device_radius_post_cue() -> None:
    assert found("Workstation Name:\tMFITZGERALD-LT", "USERNAME") == ["MFITZGERALD"]
    assert found("host DESKTOP-4F2K9QZ and build-pc and ci-vm-2", "USERNAME") == []
    radius = "Auth: (18232) Login incorrect (mschap: bad): [s.achebe] (from client wlc-3f port 0)"
    assert found(radius, "USERNAME") == ["s.achebe"]
    assert found("Auth: (1) Login OK: [admin] (from client x)", "USERNAME") == []
    assert "fal-mansouri" in found("the old fal-mansouri login was disabled", "USERNAME")
    assert "fal-mansouri" in found("my username is still fal-mansouri right?", "USERNAME")
    assert found("the old admin account and my google account, the new billing login", "USERNAME") == []


def test_arn_and_branch_owner() -> None:
    assert found('"Arn": "arn:aws:iam::418276530912:user/kboateng"', "USERNAME") == ["kboateng"]
    assert found("arn:aws:sts::418276530912:assumed-role/Dev/tvukovic", "USERNAME") == ["tvukovic"]
    assert found("arn:aws:iam::418276530912:user/terraform-ci", "USERNAME") == []
    text = "  origin/rachterberg/cart-fix\n  origin/feature/sepa\n  origin/dependabot/npm/axios\n"
    assert found(text, "USERNAME") == ["rachterberg"]
    assert found("git checkout -b release/2.4 && git push -u origin fix/login", "USERNAME") == []


@pytest.mark.parametrize("token", ["mikeyb2004", "sarahk22", "mikey.b.2004"])
def test_first_name_initial_digits(token: str) -> None:
    assert name_login(token) == "strong"


@pytest.mark.parametrize("token", ["base64", "bases12", "x-ray-2024", "users22", "v1.2.3"])
def test_words_with_digits_stay(token: str) -> None:
    assert name_login(token) != "strong"


def test_field_label_is_no_password() -> None:
    text = "Event: Suspicious login | User: rcosta@crestline.edu | Location: Lagos | IP: 1.2.3.4"
    assert found(text, "SECRET") == []


def test_pgpass_lines() -> None:
    text = "db-primary.internal:5432:orders:lbrandt:Wh1sky-Tango-7\n*:*:*:readonly:ro_5tq2Lm8x\n"
    assert found(text, "USERNAME") == ["lbrandt"]
    assert found(text, "SECRET") == ["Wh1sky-Tango-7", "ro_5tq2Lm8x"]
    assert found("at 10:02:11:482 the job ran\nurl=http://h:80/a:b", "SECRET") == []


def test_pin_after_i_put_and_determiners() -> None:
    assert found("When it asks for the account PIN I put 4471 but it says incorrect", "SECRET") == ["4471"]
    assert found("the login is my email now, my old username was k8lyn_r", "USERNAME") == ["k8lyn_r"]
    yaml = "data:\n  admin-password: c3VwM3JTM2NyZXQ=\n  admin-user: YWRtaW4=\n"
    assert found(yaml, "USERNAME") == []


@pytest.mark.parametrize("token", ["rmenon-adm", "jnakamura-adm", "marisol.v.ortega"])
def test_admin_accounts_and_middle_initials(token: str) -> None:
    assert name_login(token) == "strong"


@pytest.mark.parametrize("token", ["web-admin", "sys-adm", "read-admin", "john.q.public", "a.b.c"])
def test_role_admins_and_dotted_words_stay(token: str) -> None:
    assert name_login(token) != "strong"


def test_handle_on_platform() -> None:
    assert "mvo_draws" in found("my only one is mvo_draws on insta lol", "USERNAME")
    assert found("posted it on instagram and the photos on twitter", "USERNAME") == []


def test_support_desk_speakers_stay() -> None:
    from maskgate.detect.patterns.usernames_fields import USERNAME_SPEAKER

    chat = (
        "agent_maya: thanks for holding, can i get the account number?\n"
        "jen_k22: sure thing, it is on the bill somewhere\n"
        "agent_maya: perfect, i see the double charge on the bill\n"
    )
    assert [chat[s.start : s.end] for s in USERNAME_SPEAKER.find(chat)] == ["jen_k22"]
