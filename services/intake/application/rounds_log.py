"""The rounds of a day or a week, answered from intake's own records (round.list): the plan's
slots for those days, the ones no round walked, each round, and each finding with its ticket's
state today: the day's summary (R12.9, by 18:30) and the week's quality check sheet
(《物业品质监督检查表》, R1.5, before Friday) are laid out from it (docs/INSPECTION.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.intake.domain.rounds import InspectionRound, RoundDay, RoundPlan
from shared.contracts.rounds import FindingLine, ListRounds, RoundLine, RoundsReply, Slot
from shared.kernel.inspection import (
    FINDING_CLOCK,
    Frequency,
    daily_summary_due,
    quality_sheet_due,
    week_of,
)
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import TicketStatus
from shared.messaging.publishing import mask

if TYPE_CHECKING:
    from services.intake.application import IntakeApp


def plan_of(app: IntakeApp, site: str, month: str) -> RoundPlan | None:
    return app.get(RoundPlan.id_for(site, month), RoundPlan)


def round_day(app: IntakeApp, site: str, day: date, at: datetime) -> RoundDay:
    return app.get(RoundDay.id_for(site, day), RoundDay) or RoundDay.open(site=site, day=day, at=at)


def list_rounds(app: IntakeApp, site: str, query: ListRounds) -> RoundsReply:
    config = app.site_config(site)
    zone, choices = config.zone, config.inspection
    first = week_of(query.day) if query.week else query.day
    days = [first + timedelta(days=n) for n in range(7 if query.week else 1)]
    planned: dict[str, dict[str, Any]] = {}
    expected: list[str] = []
    for day in days:
        plan = plan_of(app, site, day.strftime("%Y-%m"))
        for slot in plan.slots if plan else []:
            if _falls_on(slot, day):
                planned.setdefault(slot["name"], slot)
                expected.append(f"{day.isoformat()}/{slot['name']}")
    rounds: list[InspectionRound] = []
    for day in days:
        book = app.get(RoundDay.id_for(site, day), RoundDay)
        rounds += [app.get(i, InspectionRound) for i in book.rounds] if book else []
    walked = {f"{r.local_day}/{r.slot}" for r in rounds if r.slot}
    if query.week:
        due = quality_sheet_due(first, zone, choices.quality_sheet_due_weekday)
    else:
        due = daily_summary_due(first, zone, choices.daily_summary_due)
    return RoundsReply(
        site=site,
        first_day=days[0],
        last_day=days[-1],
        due_at=due,
        planned=[Slot.model_validate(s) for s in planned.values()],
        missed=[e for e in expected if e not in walked],
        rounds=[_line(r) for r in rounds],
        findings=[_finding(app, r, f) for r in rounds for f in r.findings],
    )


def _falls_on(slot: dict[str, Any], day: date) -> bool:
    match Frequency(slot["frequency"]):
        case Frequency.daily:
            return True
        case Frequency.weekly:
            return day.weekday() == slot["weekday"]
        case Frequency.monthly:
            return day.day == slot["day"]


def _line(r: InspectionRound) -> RoundLine:
    return RoundLine(
        round_id=str(r.id),
        round_ref=r.round_ref,
        round_type=r.round_type,
        slot=r.slot,
        area=r.area,
        started_at=r.started_at,
        ended_at=r.ended_at,
        inspector=r.inspectors[0],
        points=len(r.points),
        points_ok=sum(1 for p in r.points if p["ok"]),
        findings=len(r.findings),
    )


def _finding(app: IntakeApp, r: InspectionRound, f: dict[str, Any]) -> FindingLine:
    ticket = app.ticket(UUID(f["ticket_id"])) if f["ticket_id"] else None
    return FindingLine(
        round_id=str(r.id),
        area=r.area,
        point=f["point"],
        type=f["type"],
        category=f["category"],
        description=mask(f["description"]) or "",
        found_at=r.ended_at,
        routed_to=f["routed_to"],
        department=f["department"],
        ticket_no=f["ticket_no"],
        status=str(ticket.status) if ticket else "fixed_on_spot",
        due_at=finding_due(app.site_config(r.site), r.ended_at) if ticket else None,
        verified=(ticket.status == TicketStatus.closed) if ticket else None,
        case_id=f.get("case_id"),  # a violation finding's case (R14.10)
    )


def finding_due(site: SiteConfig, found_at: datetime) -> datetime:
    """A week from when it was found (R13.16), as escalation's clock counts it; an extension
    the manager approved is escalation's (`escalation.clock_extended`), not shown here."""
    return site.deadline(found_at, site.sla.clock(FINDING_CLOCK).target, "calendar")
