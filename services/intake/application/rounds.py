"""Inspection rounds (docs/INSPECTION.md): the month's plan (R13.1) and a round recorded, whose
findings not fixed on the spot open inspection tickets at the front desk (R13.15a, C9), routed by
type (R13.15b, shared/kernel/inspection.py `FINDING_ROUTES`): a facility finding is a repair
(dispatch issues its work order as for any repair), a staff finding names its department's
supervisor, a violation opens its violation case too (R14.10). The round, its tickets, their
numbers and cases are saved in one transaction, the tickets first, so each `ticket.reported` is
published before the `round.recorded` that names it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from services.intake.application.contacts import not_in_future
from services.intake.application.rounds_log import plan_of, round_day
from services.intake.application.tickets_opened import TicketsOpened
from services.intake.application.violations import CasesOpened
from services.intake.domain import Ticket
from services.intake.domain.rounds import InspectionRound, RoundPlan
from shared.contracts.rounds import (
    Finding,
    PlanReply,
    PlanRounds,
    RecordRound,
    RoundReply,
    RoutedFinding,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.departments import route
from shared.kernel.inspection import FINDING_ROUTES, FindingType
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import Channel
from shared.messaging.errors import invalid

if TYPE_CHECKING:
    from services.intake.application import IntakeApp

Outcome = tuple[BaseModel, list[Any]]


def plan_rounds(app: IntakeApp, ctx: CommandContext, cmd: PlanRounds) -> Outcome:
    app.site_config(ctx.site)  # a site served here
    slots = [slot.model_dump(mode="json") for slot in cmd.slots]
    plan = RoundPlan.plan(
        plan_of(app, ctx.site, cmd.month), at=app.clock.now(), site=ctx.site, month=cmd.month,
        slots=slots, **ctx.meta(cmd),
    )  # fmt: skip
    reply = PlanReply(site=ctx.site, month=cmd.month, revision=plan.revision, slots=len(slots))
    return reply, [plan]


def record_round(app: IntakeApp, ctx: CommandContext, cmd: RecordRound) -> Outcome:
    site = app.site_config(ctx.site)
    round_id = InspectionRound.id_for(ctx.site, cmd.round_ref)
    done = app.get(round_id, InspectionRound)
    if done is not None:  # the same round again: what it recorded then
        findings = [RoutedFinding.model_validate(_routed(f)) for f in done.findings]
        return RoundReply(round_id=str(round_id), duplicate=True, findings=findings), []
    now = app.clock.now()
    not_in_future(cmd.ended_at, now, "ended_at")
    day = cmd.started_at.astimezone(site.zone).date()
    _check(app, ctx, cmd, site, day.strftime("%Y-%m"))
    findings = []
    tickets = TicketsOpened(app, ctx.site, ctx.meta(cmd), now)
    cases = CasesOpened(app, ctx.site, now)
    for index, finding in enumerate(cmd.findings):
        entry = _route(finding, index, site)
        if not finding.fixed_on_spot:
            ticket = _open_ticket(tickets, cmd, finding, index)
            entry |= {"ticket_id": str(ticket.id), "ticket_no": ticket.ticket_no}
            if finding.type is FindingType.violation:  # R13.15b, R14.10: its case, at once
                case = cases.open_for(ctx, cmd, finding, ticket.client_ref, ticket.id)
                entry["case_id"] = str(case.id)
        findings.append(entry)
    changed = [*tickets.changed(), *cases.changed()]
    done = InspectionRound.record(
        at=now, site=ctx.site, round_ref=cmd.round_ref, round_type=cmd.round_type.value,
        slot=cmd.slot, local_day=day.isoformat(), area=cmd.area, started_at=cmd.started_at,
        ended_at=cmd.ended_at, inspectors=list(dict.fromkeys([cmd.staff_id, *cmd.inspectors])),
        points=[p.model_dump(mode="json") for p in cmd.points], findings=findings,
        **ctx.meta(cmd),
    )  # fmt: skip
    book = round_day(app, ctx.site, day, now)
    book.note(done.id, now)
    routed = [RoutedFinding.model_validate(_routed(f)) for f in findings]
    return RoundReply(round_id=str(done.id), duplicate=False, findings=routed), [
        *changed,
        done,
        book,
    ]


def _check(app: IntakeApp, ctx: CommandContext, cmd: RecordRound, site: SiteConfig,
           month: str) -> None:  # fmt: skip
    """What the command cannot know: the site's plan, categories and staff."""
    if cmd.slot is not None:
        plan = plan_of(app, ctx.site, month)
        if plan is None or plan.slot(cmd.slot) is None:
            raise invalid(f"the plan of {month} has no slot {cmd.slot!r}", "slot")
    for index, finding in enumerate(cmd.findings):
        if finding.category is not None and finding.category not in site.categories:
            raise invalid(
                f"unknown category {finding.category!r} for site {ctx.site}",
                f"findings.{index}.category",
            )
        if finding.about_staff is not None:
            app.listed(ctx.site, f"findings.{index}.about_staff", finding.about_staff)


def _route(finding: Finding, index: int, site: SiteConfig) -> dict[str, Any]:
    """Where a finding goes (R13.15b) and the department that answers for it (R13.2)."""
    routed_to = "fixed_on_spot" if finding.fixed_on_spot else FINDING_ROUTES[finding.type].routed_to
    department = None
    member = site.staff.get(finding.about_staff) if finding.about_staff else None
    if member is not None and member.department is not None:
        department = member.department
    elif finding.category is not None:
        department = route(finding.category, site.routing)
    return {
        "index": index,
        "type": finding.type.value,
        "routed_to": routed_to,
        "ticket_id": None,
        "ticket_no": None,
        "department": department.value if department else None,
        "point": finding.point,
        "category": finding.category,
        "description": finding.description,
        "location": finding.location,
        "measures": finding.measures,
        "about_staff": finding.about_staff,
        "case_id": None,
    }


def _routed(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: entry[k] for k in RoutedFinding.model_fields if k in entry}


def _open_ticket(tickets: TicketsOpened, cmd: RecordRound, finding: Finding,
                 index: int) -> Ticket:  # fmt: skip
    """The inspection ticket of a finding: no reporter, no customer (R13.17), found when the
    round ended; numbered by one counter per month across the round's findings."""
    where = " ".join(part for part in (cmd.area, finding.location, finding.point) if part)
    return tickets.open(
        client_ref=f"round/{cmd.round_ref}/{index}",
        channel=Channel.inspection.value,
        kind=FINDING_ROUTES[finding.type].kind.value,
        category=finding.category,
        content=f"[{where}] {finding.description}",
        received_at=cmd.ended_at,
    )
