"""How the command line shows the desk's answer to a command: what was done and what to tell
the customer (R3.9), or why it was refused."""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any

from rich.console import Console
from rich.markup import escape

from shared.kernel.local_time import shown

VERB_DONE = {
    "report": "Contact logged",
    "classify": "Classified",
    "link": "Repeat contact linked",
    "reply": "Reply recorded",
    "accept_solution": "Solution accepted by the customer",
    "resolve": "Resolved",
    "follow_up": "Follow-up recorded",
    "verify": "Verified on site",
    "reopen": "Reopened",
    "cancel": "Cancelled",
}


def print_error(console: Console, error: dict[str, Any]) -> None:
    """A refusal (docs/contract.md §3): its code and what it says, then each field and what is
    wrong with it, once. The service's words are printed as text, never as markup: they quote
    what was sent and pydantic's patterns (`[a-z0-9_]`), which rich would swallow or fail on."""
    message = str(error.get("message", ""))
    fields = list(error.get("fields") or [])
    if fields and all(f.get("type") for f in fields):
        message = _checks_headline(message)  # the body's checks: each field is listed below
    elif len(fields) == 1 and fields[0].get("message") == message:
        message, fields = f"{fields[0].get('field')}: {message}", []  # one field's rule
    console.print(f"[red]error ({escape(str(error.get('code', '?')))}):[/red] {escape(message)}")
    for field in fields:
        console.print(escape(f"  - {field.get('field')}: {field.get('message')}"))


def _checks_headline(message: str) -> str:
    """`invalid command: a: …; b: …; and 3 more` as `invalid command (3 more not listed)`."""
    more = re.search(r"; and (\d+) more$", message)
    return message.split(": ", 1)[0] + (f" ({more[1]} more not listed)" if more else "")


# What the desk tells the customer at intake (R3.9), by what is promised (SiteConfig.promises)
PROMISED = {
    "urgent_on_site": "a technician on site by {} — R7.3",
    "urgent_fixed": "repaired by {} — R7.3",
    "general_fixed": "repaired by {} — R7.3",
    "appointment": "the technician comes at the agreed time, {} — R7.5",
    "help_reply": "an answer by {} — R10.2",
    "complaint_reply": "a reply on how your complaint is handled by {} — R6.4, R6.8",
}


def print_command_reply(
    console: Console, verb: str, reply: dict[str, Any], zone: tzinfo | None = None
) -> None:
    note = " (already logged: same client reference)" if reply.get("duplicate") else ""
    done = VERB_DONE.get(verb, verb)
    console.print(
        f"[green]{done}[/green]{note}: ticket [bold]{reply['ticket_no']}[/bold]"
        f"  status {reply['status']}  id {reply['ticket_id']}"
    )
    if reply.get("incident_no"):  # R16.5: a help request of category A, E or F
        console.print(f"[bold red]EMERGENCY EVENT[/bold red] {reply['incident_no']} opened: "
                      "security and the duty manager are told; record the measures "
                      "(propdesk incident measure …)")  # fmt: skip
    if reply.get("emergency"):  # R4.10, R16.5
        console.print("[bold red]EMERGENCY[/bold red] (gas, fire or smoke): start the emergency "
                      "plan now: security, evacuation if needed, report upward")  # fmt: skip
    # R3.9: what to tell the customer; a reply of an older desk has only its deadline
    promises = reply.get("promises") or ([reply["deadline"]] if reply.get("deadline") else [])
    for promise in promises:
        words = PROMISED.get(promise["clock"], promise["clock"].replace("_", " ") + " by {}")
        guessed = ", ".join(str(y) for y in promise.get("guessed_years") or ())
        estimate = (
            f" (an estimate: the working days of {guessed} are not known yet)" if guessed else ""
        )
        console.print(
            "tell the customer: " + words.format(shown(promise["due_at"], zone)) + estimate
        )


def print_order_reply(console: Console, verb: str, reply: dict[str, Any]) -> None:
    console.print(
        f"[green]{verb.replace('_', ' ')}[/green]: work order [bold]{reply['order_no']}[/bold]"
        f"  status {reply['status']}  {reply['department']}, {reply['urgency']}, {reply['scope']}"
        f"  id {reply['work_order_id']}"
    )
