"""The site manager's monthly complaint analysis (R12.2), attached to its month: cause, lessons
and actions, revised by attaching again. It names what it is about; the residents of the six
months it looks back on are masked before it is stored, so their names never reach the bus
(R15.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventsourcing.application import AggregateNotFoundError
from pydantic import BaseModel

from services.intake.domain import MonthReview, TicketCounter
from shared.contracts.commands import AttachMonthAnalysis
from shared.contracts.replies import AnalysisReply
from shared.eventstore.desk_app import CommandContext
from shared.kernel.months import months_back
from shared.kernel.staff import PERMISSIONS
from shared.messaging.errors import invalid
from shared.messaging.publishing import mask

if TYPE_CHECKING:
    from services.intake.application import IntakeApp


def attach_month_analysis(
    app: IntakeApp, ctx: CommandContext, cmd: AttachMonthAnalysis
) -> tuple[BaseModel, list[Any]]:
    app.require(ctx, cmd, PERMISSIONS["intake.attach_analysis"])
    now = app.clock.now()
    this_month = now.astimezone(app.site_config(ctx.site).zone).strftime("%Y-%m")
    if cmd.month > this_month:
        raise invalid(f"month {cmd.month} has not begun at {ctx.site}", "month")
    try:
        review = app.repository.get(MonthReview.id_for(ctx.site, cmd.month))
    except AggregateNotFoundError:
        review = None
    reporters = _reporters(app, ctx.site, cmd.month)
    review = MonthReview.attach(
        review,
        at=now,
        site=ctx.site,
        month=cmd.month,
        cause=mask(cmd.cause, reporters) or "",
        lessons=mask(cmd.lessons, reporters) or "",
        actions=mask(cmd.actions, reporters) or "",
        **ctx.meta(cmd),
    )
    reply = AnalysisReply(site=ctx.site, month=cmd.month, revision=review.revision)
    return reply, [review]


def _reporters(app: IntakeApp, site: str, month: str) -> list[dict[str, Any]]:
    """Who reported the site's tickets in `month` (YYYY-MM) and the five months before, each
    name and phone once (a resident who called ten times is masked once)."""
    found: dict[tuple[Any, Any], dict[str, Any]] = {}
    for m in months_back(month, 6):
        for event in app.events.get(TicketCounter.id_for(site, m.replace("-", ""))):
            reporter = getattr(event, "reporter", None)  # Issued; Started has none
            if reporter is not None:
                found.setdefault((reporter.get("name"), reporter.get("phone")), reporter)
    return list(found.values())
