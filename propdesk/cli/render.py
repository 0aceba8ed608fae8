"""How the command line shows replies to people at the desk (rich tables, plain words)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

VERB_DONE = {
    "report": "Contact logged",
    "classify": "Classified",
    "link": "Repeat contact linked",
    "reply": "Reply recorded",
    "accept_solution": "Solution accepted by the customer",
    "resolve": "Resolved",
    "follow_up": "Follow-up recorded",
    "reopen": "Reopened",
    "cancel": "Cancelled",
}


def print_error(console: Console, error: dict[str, Any]) -> None:
    console.print(f"[red]error ({error.get('code', '?')}):[/red] {error.get('message', '')}")
    for field in error.get("fields", []):
        console.print(f"  - {field.get('field')}: {field.get('message')}")


def print_command_reply(console: Console, verb: str, reply: dict[str, Any]) -> None:
    note = " (already logged: same client reference)" if reply.get("duplicate") else ""
    done = VERB_DONE.get(verb, verb)
    console.print(
        f"[green]{done}[/green]{note}: ticket [bold]{reply['ticket_no']}[/bold]"
        f"  status {reply['status']}  id {reply['ticket_id']}"
    )
    deadline = reply.get("deadline")
    if deadline:  # R3.9: what to tell the customer
        console.print(f"tell the customer: {deadline['clock'].replace('_', ' ')} by "
                      f"{deadline['due_at']}")  # fmt: skip


def print_ticket(console: Console, ticket: dict[str, Any]) -> None:
    _print_fields(
        console,
        ticket,
        (
            "ticket_no",
            "ticket_id",
            "site",
            "status",
            "kind",
            "category",
            "help_category",
            "channel",
            "validity",
            "communicative_type",
            "severity",
            "unit",
            "received_at",
            "owner",
            "content",
            "resolution",
            "repeat_count",
            "reopen_count",
        ),
    )
    orders = ticket.get("work_orders") or []
    if orders:
        table = Table(title="Work orders")
        for column in ("order no", "status", "department", "urgency", "scope", "technician"):
            table.add_column(column, no_wrap=True)
        for o in orders:
            table.add_row(o["order_no"], o["status"], o["department"], o["urgency"], o["scope"],
                          o.get("technician") or "")  # fmt: skip
        console.print(table)
    _print_sla(console, ticket.get("sla") or {})
    _print_history(console, ticket.get("history", []))


def _print_sla(console: Console, sla: dict[str, Any]) -> None:
    """Service levels: the clocks with their deadlines, overdue, the complaint ladder."""
    clocks = sla.get("clocks") or {}
    if sla.get("escalation_level") or sla.get("next_deadline") or sla.get("overdue"):
        overdue = "  [red]OVERDUE[/red]" if sla.get("overdue") else ""
        console.print(
            f"next deadline {sla.get('next_deadline') or '-'}"
            f"  escalation level {sla.get('escalation_level') or '-'}{overdue}"
        )
    if not clocks:
        return
    table = Table(title="Service-level clocks")
    for column in ("clock", "state", "deadline", "warned", "breached", "told"):
        table.add_column(column, no_wrap=True)
    for key, c in clocks.items():
        state = c["state"] + (f" ({c['pause_reason']})" if c.get("pause_reason") else "")
        table.add_row(key, state, c.get("deadline") or "", "yes" if c["warned"] else "",
                      "[red]yes[/red]" if c["breached"] else "", c["role"])  # fmt: skip
    console.print(table)


def print_ticket_list(console: Console, site: str, reply: dict[str, Any]) -> None:
    tickets = reply.get("tickets", [])
    table = Table(title=f"Tickets of {site}")
    for column in ("ticket no", "status", "kind", "category", "received at", "next deadline"):
        table.add_column(column, no_wrap=True)
    table.add_column("id", overflow="fold", min_width=36)
    for t in tickets:
        sla = t.get("sla") or {}
        deadline = (sla.get("next_deadline") or "")[:16].replace("T", " ")
        table.add_row(
            t["ticket_no"],
            t["status"],
            t["kind"],
            t.get("category") or "",
            t["received_at"][:16].replace("T", " "),
            deadline + (" [red]overdue[/red]" if sla.get("overdue") else ""),
            t["ticket_id"],
        )
    console.print(table)
    if not tickets:
        console.print("no tickets match")
    if reply.get("next_cursor"):
        console.print(f"more: --cursor {reply['next_cursor']}")


def print_contacts(console: Console, reply: dict[str, Any]) -> None:
    table = Table(title=f"Contacts of {reply['ticket_no']} (this look is recorded)")
    for column in ("name", "phone", "room"):
        table.add_column(column, no_wrap=True)
    for r in reply.get("reporters", []):
        table.add_row(r["name"], r.get("phone") or "", r.get("room") or "")
    console.print(table)
    if not reply.get("reporters"):
        console.print("no reporter was recorded (an inspection finding?)")


def print_order_reply(console: Console, verb: str, reply: dict[str, Any]) -> None:
    console.print(
        f"[green]{verb.replace('_', ' ')}[/green]: work order [bold]{reply['order_no']}[/bold]"
        f"  status {reply['status']}  {reply['department']}, {reply['urgency']}, {reply['scope']}"
        f"  id {reply['work_order_id']}"
    )


def print_order(console: Console, order: dict[str, Any]) -> None:
    _print_fields(
        console,
        order,
        (
            "order_no",
            "work_order_id",
            "ticket_id",
            "status",
            "department",
            "urgency",
            "scope",
            "category",
            "unit",
            "appointment",
            "collected_by",
            "technician",
            "quote",
            "fee",
            "leak",
            "non_standard",
            "rework_of",
            "free_of_charge",
            "evaluation",
        ),
    )
    _print_history(console, order.get("history", []))


def _print_history(console: Console, entries: list[dict[str, Any]]) -> None:
    history = Table(title="History", show_lines=False)
    for column in ("#", "event", "occurred at", "by", "details"):
        history.add_column(column)
    for entry in entries:
        details = ", ".join(
            f"{k}={v}" for k, v in entry.get("data", {}).items() if v not in (None, "", [])
        )
        history.add_row(
            str(entry["version"]),
            entry["event_type"],
            entry["occurred_at"],
            entry["actor"],
            details,
        )
    console.print(history)


def _print_fields(console: Console, record: dict[str, Any], keys: tuple[str, ...]) -> None:
    """The record's non-empty fields as a two-column table, in the given order."""
    summary = Table(show_header=False, box=None, pad_edge=False)
    summary.add_column(style="bold")
    summary.add_column()
    for key in keys:
        value = record.get(key)
        if value is not None and value != "" and value is not False:  # 0 is shown
            summary.add_row(key.replace("_", " "), str(value))
    console.print(summary)
