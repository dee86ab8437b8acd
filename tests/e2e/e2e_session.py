"""The agent session the scripted upstream plays, whatever the wire format: which step comes next,
chosen from the conversation the client sends (no per-client state), and what the answer holds.

1. no tool result yet: thinking / reasoning, then a call to read `customers.md` (Claude Code `Read`,
   Codex `exec_command cat`, the SDK scripts' `read_file`);
2. the file came back: the `Key: value` lines it saw (placeholders, if maskgate masked them) as text, a
   call writing them to `contacts.txt` (Claude Code `Write`, Codex `apply_patch`, `write_file`) and a
   shell command printing some of them into `shell_out.txt`;
3. the writes came back: a final answer naming the record's name and e-mail;
and a plain follow-up question (`claude -c`) is answered from the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from e2e_planted import INPUT_FILE, OUTPUT_FILE, SHELL_FIELDS, SHELL_FILE, SUMMARY_FIELDS, record_lines

READ, WRITE, SHELL = "read", "write", "shell"
MAX_TURNS = 12


@dataclass
class Script:
    """What one API key's session does; `workspace` is the client's working directory."""

    workspace: str
    faults: set[str] = field(default_factory=set)
    fired: set[str] = field(default_factory=set)
    turns: int = 0


@dataclass
class Call:
    kind: str  # READ, WRITE or SHELL
    name: str
    args: dict[str, Any] | None = None  # JSON arguments, or
    custom: str | None = None  # a custom (freeform) tool's input (Codex apply_patch)


@dataclass
class Plan:
    """One answer, independent of the wire format."""

    opaque: str | None = None  # thinking text (Anthropic) / reasoning marker (Responses)
    text: str = ""
    calls: list[Call] = field(default_factory=list)


def tool_names(body: dict[str, Any]) -> set[str]:
    names = set()
    for t in body.get("tools") or []:
        names.add(t.get("name") or (t.get("function") or {}).get("name") or t.get("type", ""))
    return names


def plan_read(tools: set[str], workspace: str) -> Call:
    path = f"{workspace}/{INPUT_FILE}"
    if "Read" in tools:
        return Call(READ, "Read", {"file_path": path})
    if "exec_command" in tools:
        return Call(READ, "exec_command", {"cmd": f"cat {INPUT_FILE}", "yield_time_ms": 1000})
    return Call(READ, "read_file", {"path": path})


def plan_writes(tools: set[str], workspace: str, lines: list[str]) -> list[Call]:
    values = {ln.split(": ", 1)[0]: ln.split(": ", 1)[1] for ln in lines}
    printed = " ".join(f"'{values[k]}'" for k in SHELL_FIELDS if k in values)
    shell = f"printf '%s\\n' {printed} > {SHELL_FILE}"
    content = "\n".join(lines) + "\n"
    if "Write" in tools:
        return [
            Call(WRITE, "Write", {"file_path": f"{workspace}/{OUTPUT_FILE}", "content": content}),
            Call(SHELL, "Bash", {"command": shell, "description": "Print the contact fields"}),
        ]
    if "apply_patch" in tools:
        patch = f"*** Begin Patch\n*** Add File: {OUTPUT_FILE}\n" + "".join(f"+{ln}\n" for ln in lines)
        return [
            Call(WRITE, "apply_patch", custom=patch + "*** End Patch\n"),
            Call(SHELL, "exec_command", {"cmd": shell, "yield_time_ms": 1000}),
        ]
    return [
        Call(WRITE, "write_file", {"path": f"{workspace}/{OUTPUT_FILE}", "content": content}),
        Call(SHELL, "run_shell", {"command": f"cd {workspace} && {shell}"}),
    ]


def summary(lines: list[str]) -> str:
    values = {ln.split(": ", 1)[0]: ln.split(": ", 1)[1] for ln in lines}
    named = ", ".join(f"{k}: {values[k]}" for k in SUMMARY_FIELDS if k in values)
    return f"Done. The record belongs to {named}. I saved it to {OUTPUT_FILE}."


def call_id(kind: str, n: int) -> str:
    return f"call_e2e_{kind}_{n}"


def kind_of(cid: str) -> str | None:
    for kind in (READ, WRITE, SHELL):
        if f"_e2e_{kind}_" in cid:
            return kind
    return None


def next_step(
    script: Script | None, tools: set[str], results: dict[str, str], history: list[str], question: str
) -> Plan:
    """`results`: tool outputs of the last turn by call kind; `history`: texts of earlier tool calls
    the client re-sent (write calls), newest last; `question`: the user's last text."""
    if script is None or not tools:
        return Plan(text="OK.")
    if script.turns > MAX_TURNS:  # a client looping on the script: end it (the test then fails)
        return Plan(text="Stopping: too many turns.")
    if READ in results:
        lines = record_lines(results[READ])
        listed = "; ".join(lines)
        return Plan(
            opaque=f"The record lists {listed}. I will save it and print the contact fields.",
            text=f"I found these fields: {listed}. Saving them now.",
            calls=plan_writes(tools, script.workspace, lines),
        )
    if WRITE in results or SHELL in results:
        written = record_lines(history[-1]) if history else []
        return Plan(text=summary(written))
    if history:  # a follow-up question in a continued session (`claude -c`)
        written = record_lines(history[-1])
        return Plan(text="From the earlier file: " + summary(written))
    return Plan(
        opaque=f"The user asked: {question[:80]}. I should read {INPUT_FILE} first.",
        text=f"I'll read {INPUT_FILE}.",
        calls=[plan_read(tools, script.workspace)],
    )


def text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(p.get("text", "") for p in content or [] if isinstance(p, dict))


def patch_lines(patch: str) -> str:
    """The added lines of an apply_patch input."""
    return "\n".join(ln[1:] for ln in patch.splitlines() if ln.startswith("+"))
