"""How the command line shows the desk's records to people at the desk (rich tables, plain
words): tickets, their lists and contacts, work orders, their histories and service levels. A
command's answer (done, or refused) is shown by propdesk/cli/replies.py."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from rich.console import Console
from rich.table import Table

from propdesk.cli.tables import ONE_WORD, desk_table, print_list, print_table
from shared.kernel.local_time import TableTimes, shown, shown_or_blank

TICKET_TIMES = ("received_at", "resolved_at", "closed_at", "first_reply_at")
ORDER_TIMES = ("issued_at", "completed_at", "signed_off_at", "returned_at")


def print_ticket(console: Console, ticket: dict[str, Any], zone: tzinfo | None = None) -> None:
    """A ticket; every time in the site's zone, saying so (`zone` None: as the desk sent it)."""
    _print_fields(
        console,
        _local(ticket, TICKET_TIMES, zone),
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
        columns = ("order no", "status", "department", "urgency", "scope", "technician")
        table = desk_table("Work orders", columns, whole={"order no"})
        for o in orders:
            table.add_row(o["order_no"], o["status"], o["department"], o["urgency"], o["scope"],
                          o.get("technician") or "")  # fmt: skip
        console.print(table)
    _print_sla(console, ticket.get("sla") or {}, zone)
    _print_history(console, ticket.get("history", []), zone)


def _print_sla(console: Console, sla: dict[str, Any], zone: tzinfo | None) -> None:
    """Service levels: the clocks with their deadlines, overdue, the complaint ladder."""
    clocks = sla.get("clocks") or {}
    if sla.get("escalation_level") or sla.get("next_deadline") or sla.get("overdue"):
        overdue = "  [red]OVERDUE[/red]" if sla.get("overdue") else ""
        console.print(
            f"next deadline {shown_or_blank(sla.get('next_deadline'), zone) or '-'}"
            f"  escalation level {sla.get('escalation_level') or '-'}{overdue}"
        )
    if not clocks:
        return
    columns = ("clock", "state", "deadline", "warned", "breached", "told")
    times = TableTimes(zone, (c.get("deadline") for c in clocks.values()))
    table = desk_table("Service-level clocks", columns, {"clock"}, times)
    for key, c in clocks.items():
        state = c["state"] + (f" ({c['pause_reason']})" if c.get("pause_reason") else "")
        table.add_row(key, state, times(c.get("deadline")),
                      "yes" if c["warned"] else "",
                      "[red]yes[/red]" if c["breached"] else "", c["role"])  # fmt: skip
    print_table(console, table)  # a clock's key is long: blocks on a narrow terminal


def print_ticket_list(
    console: Console, site: str, reply: dict[str, Any], zone: tzinfo | None = None
) -> None:
    tickets = reply.get("tickets", [])
    columns = ("ticket no", "status", "kind", "category", "received at", "next deadline", "id")
    deadlines = [(t.get("sla") or {}).get("next_deadline") for t in tickets]
    times = TableTimes(zone, [*(t["received_at"] for t in tickets), *deadlines])
    table = desk_table(f"Tickets of {site}", columns, {"ticket no", "id"}, times, ONE_WORD)
    for t in tickets:
        sla = t.get("sla") or {}
        # overdue: a clock of the ticket breached -- not the next deadline, which is still ahead
        overdue = " [red]overdue[/red]" if sla.get("overdue") else ""
        table.add_row(
            t["ticket_no"],
            t["status"] + overdue,
            t["kind"],
            t.get("category") or "",
            times(t["received_at"]),
            times(sla.get("next_deadline")),
            t["ticket_id"],
        )
    print_list(console, table, "id")
    if not tickets:
        console.print("no tickets match")
    if reply.get("next_cursor"):
        console.print(f"more: --cursor {reply['next_cursor']}")


def print_contacts(console: Console, reply: dict[str, Any]) -> None:
    title = f"Contacts of {reply['ticket_no']} (this look is recorded)"
    table = desk_table(title, ("name", "phone", "room"), whole={"phone"})
    for r in reply.get("reporters", []):
        table.add_row(r["name"], r.get("phone") or "", r.get("room") or "")
    console.print(table)
    if not reply.get("reporters"):
        console.print("no reporter was recorded (an inspection finding?)")


def print_order(console: Console, order: dict[str, Any], zone: tzinfo | None = None) -> None:
    """A work order; every time in the site's zone, saying so."""
    shown_order = _local(order, ORDER_TIMES, zone)
    if isinstance(order.get("appointment"), dict):
        window = order["appointment"]
        shown_order["appointment"] = (
            f"{shown(window['start'], zone)} – {shown(window['end'], zone)}"
            if window.get("start") and window.get("end")
            else window
        )
    _print_fields(
        console,
        shown_order,
        (
            "order_no",
            "work_order_id",
            "ticket_id",
            "status",
            "department",
            "urgency",
            "emergency",
            "scope",
            "category",
            "unit",
            "content",
            "appointment",
            "collected_by",
            "technician",
            "quote",
            "fee",
            "actual_item",
            "notes",
            "completed_at",
            "leak",
            "non_standard",
            "rework_of",
            "free_of_charge",
            "evaluation",
        ),
    )
    _print_history(console, order.get("history", []), zone)


def _local(record: dict[str, Any], keys: tuple[str, ...], zone: tzinfo | None) -> dict[str, Any]:
    """The record with its times (`keys`) as people read them."""
    return record | {k: shown(record[k], zone) for k in keys if record.get(k)}


def _print_history(console: Console, entries: list[dict[str, Any]], zone: tzinfo | None) -> None:
    # every value whole, folded where the terminal is narrow: an ellipsis cut the ids and order
    # numbers of the details ("ticket_id=b321b028…") below ~120 columns
    times = TableTimes(zone, [w for e in entries for w in (e["occurred_at"], *_times_in(e))])
    columns = ("#", "event", "occurred at", "by", "details")
    history = desk_table("History", columns, {"#"}, times)
    for entry in entries:
        details = ", ".join(
            f"{k}={_time_or_value(v, times)}"
            for k, v in entry.get("data", {}).items()
            if v not in (None, "", [])
        )
        history.add_row(
            str(entry["version"]), entry["event_type"], times(entry["occurred_at"]),
            entry["actor"], details,
        )  # fmt: skip
    console.print(history)


def _times_in(entry: dict[str, Any]) -> list[datetime]:
    """The times in an event's data (also inside an appointment window)."""
    found: list[datetime] = []

    def look(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                look(v)
        elif (when := _aware(value)) is not None:
            found.append(when)

    look(entry.get("data", {}))
    return found


def _time_or_value(value: Any, times: TableTimes) -> Any:
    """A value of an event's data as people read it: an aware ISO time in the site's zone
    (also inside an appointment window), anything else as it is."""
    if isinstance(value, dict):
        return {k: _time_or_value(v, times) for k, v in value.items()}
    when = _aware(value)
    return value if when is None else times(when)


def _aware(value: Any) -> datetime | None:
    """An aware ISO 8601 time written as a string, else None."""
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and "T" in value:
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return None
        return when if when.tzinfo is not None else None
    return None


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
