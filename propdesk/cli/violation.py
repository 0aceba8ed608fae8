"""`propdesk violation …`: violation cases (客户违例事件, R14.1–R14.10, docs/VIOLATIONS.md) — open,
record a measure or the mediation, propose and sign a penalty, close, list, show (the ops' retention
and erasure: violation_ops.py). A case is named by its client_ref or its id."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import typer
from rich.table import Table

from propdesk.cli.common import (
    AsJson,
    IsoTime,
    NatsUrl,
    Site,
    Staff,
    call_desk,
    new_client_ref,
    out,
    out_whole,
    send_command,
    ticket_ref,
)
from shared.contracts import violation_commands as vc
from shared.messaging import subjects

violation_app = typer.Typer(no_args_is_help=True, help="Violation cases (违例) and their measures.")

Case = Annotated[str, typer.Argument(help="The case's client_ref or id")]


def _send(verb: str, site: str, staff: str, url: str | None, as_json: bool,
          **fields: Any) -> None:  # fmt: skip
    reply = send_command(url, site, verb, {"staff_id": staff} | fields, as_json)
    if not as_json:
        penalty = f", penalty {reply['penalty']}" if reply["penalty"] else ""
        measures = " → ".join(reply["measures"]) or "no measure yet"
        out.print(
            f"[green]{reply['client_ref']}[/green] ({reply['violation_class']}, "
            f"{reply['status']}, for {reply['responsible']}): {measures}{penalty}"
        )


@violation_app.command("open")
def open_case(
    site: Site,
    staff: Staff,
    violation_class: Annotated[str, typer.Option("--class", help="general or major (R14.2)")],
    category: Annotated[str, typer.Option(help="decoration fire hygiene public_security other")],
    place: Annotated[str, typer.Option(help="Unit or public area")],
    description: Annotated[str, typer.Option(help="What was seen")],
    name: Annotated[str | None, typer.Option(help="Offender's name (kept in intake only)")] = None,
    phone: Annotated[str | None, typer.Option(help="Offender's phone (intake only)")] = None,
    ticket: Annotated[str | None, typer.Option(help="The ticket or finding's ticket")] = None,
    finding: Annotated[str | None, typer.Option(help="An inspection round's finding id")] = None,
    observed_at: IsoTime = None,
    client_ref: Annotated[str | None, typer.Option(help="Idempotency key (default: new)")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Register a violation (客户违例事件记录表, R14.4)."""
    offender = {k: v for k, v in {"name": name, "phone": phone}.items() if v} or None
    if offender is not None and "name" not in offender:
        raise typer.BadParameter("--phone needs --name", param_hint="--name")
    _send(vc.OpenViolation.verb, site, staff, nats_url, as_json,
          client_ref=client_ref or new_client_ref(), violation_class=violation_class,
          category=category, place=place, description=description, offender=offender,
          ticket_id=ticket_ref(ticket) if ticket else None, finding=finding,
          observed_at=observed_at)  # fmt: skip


@violation_app.command("classify")
def classify(
    case: Case,
    site: Site,
    staff: Staff,
    violation_class: Annotated[str, typer.Option("--class", help="general or major (R14.2)")],
    reason: Annotated[str, typer.Option(help="Why: a loss or a danger found, or none")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Reclassify a case: the manager or the CS-assistant supervisor (R14.2, R14.9)."""
    _send(vc.ReclassifyViolation.verb, site, staff, nats_url, as_json, case=case,
          violation_class=violation_class, reason=reason)  # fmt: skip


@violation_app.command("measure")
def measure(
    case: Case,
    site: Site,
    staff: Staff,
    what: Annotated[
        str, typer.Option("--measure", help="persuasion rectify compensation legal_action")
    ],
    due_on: Annotated[str, typer.Option(help="YYYY-MM-DD, the site's calendar")],
    note: Annotated[str | None, typer.Option()] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Record a measure with its due date, after every earlier one (R14.3)."""
    _send(vc.RecordMeasure.verb, site, staff, nats_url, as_json, case=case, measure=what,
          due_on=due_on, note=note)  # fmt: skip


@violation_app.command("mediate")
def mediate(
    case: Case,
    site: Site,
    staff: Staff,
    failed: Annotated[bool, typer.Option("--failed/--settled", help="How the mediation ended")],
    note: Annotated[str | None, typer.Option()] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Record the customer committee's mediation (客户委员会调解), after compensation."""
    _send(vc.RecordMediation.verb, site, staff, nats_url, as_json, case=case, failed=failed,
          note=note)  # fmt: skip


@violation_app.command("penalty")
def penalty(
    case: Case,
    site: Site,
    staff: Staff,
    decision: Annotated[str, typer.Option("--penalty", help="The decision (处理意见)")],
    amount: Annotated[str | None, typer.Option(help="Yuan, e.g. 1200.50")] = None,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Propose a penalty: the manager or the CS-assistant supervisor only (R14.7)."""
    _send(vc.ProposePenalty.verb, site, staff, nats_url, as_json, case=case, penalty=decision,
          amount=amount)  # fmt: skip


@violation_app.command("sign")
def sign(case: Case, site: Site, staff: Staff, nats_url: NatsUrl = None,
         as_json: AsJson = False) -> None:  # fmt: skip
    """The manager signs the proposed penalty: in force from now (R14.6)."""
    _send(vc.SignPenalty.verb, site, staff, nats_url, as_json, case=case)


@violation_app.command("close")
def close(
    case: Case,
    site: Site,
    staff: Staff,
    outcome: Annotated[str, typer.Option(help="How it ended")],
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """Close the case; kept one year (general) or five (major) from today (R14.8)."""
    _send(vc.CloseViolation.verb, site, staff, nats_url, as_json, case=case, outcome=outcome)


@violation_app.command("list")
def list_cases(
    site: Site,
    status: Annotated[str | None, typer.Option(help="open or closed")] = None,
    limit: Annotated[int, typer.Option()] = 50,
    nats_url: NatsUrl = None,
    as_json: AsJson = False,
) -> None:
    """The site's cases, the latest observed first."""
    body = {"limit": limit} | ({"status": status} if status else {})
    reply = call_desk(nats_url, subjects.query(site, "violation.list"), body, as_json)
    if as_json:
        return
    table = Table(title=f"Violation cases, {site}")
    for column in ("case", "class", "category", "place", "status", "measures", "penalty"):
        table.add_column(column)
    for c in reply["cases"]:
        penalty = (c["penalty"] or {}).get("status", "")
        measures = " → ".join(m["measure"] for m in c["measures"])
        table.add_row(c["client_ref"], c["violation_class"], c["category"], c["place"],
                      c["status"], measures, penalty)  # fmt: skip
    out.print(table)


@violation_app.command("show")
def show(case: Case, site: Site, nats_url: NatsUrl = None, as_json: AsJson = False) -> None:
    """A case as 《客户违例事件记录表》 shows it, with its measures and penalty."""
    key = _key(case)
    reply = call_desk(nats_url, subjects.query(site, "violation.get"), key, as_json)
    if as_json:
        return
    c = reply["case"]
    out_whole.print(f"{c['client_ref']}  {c['case_id']}")
    out.print(f"{c['violation_class']} ({c['category']}) at {c['place']}, {c['status']}; "
              f"for {c['responsible']}")  # fmt: skip
    out.print(c["description"])
    for m in c["measures"]:
        out.print(f"  {m['measure']:<13} due {m['due_on']}  by {m['by']}  {m.get('note') or ''}")
    if c["mediation"]:
        out.print(f"  mediation     {'failed' if c['mediation']['failed'] else 'settled'}")
    if c["penalty"]:
        p = c["penalty"]
        out.print(f"  penalty       {p['penalty']} {p.get('amount') or ''} ({p['status']})")
    if c["closed_on"]:
        out.print(f"closed {c['closed_on']}: {c['outcome']}; kept until {c['removable_on']}")


def _key(case: str) -> dict[str, str]:
    try:
        return {"case_id": str(UUID(case))}
    except ValueError:
        return {"client_ref": case}
