"""Who sees a resident's contact details (R15.2, R15.3). A member of staff allowed to asks for
them, for a purpose (the follow-up call), and the look is recorded on the ticket
(`ContactRevealed`); a refused look — at a ticket's reporters or at a missed call's number
(`promise_reveal`) — is recorded in the site's access log for the month, never published, and
read by ops (`IntakeApp.refused_reveals`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from services.intake.application.promises import promise_named
from services.intake.application.replies import contact_reply
from services.intake.domain import AccessLog
from shared.contracts.commands import RevealContact
from shared.contracts.promise_commands import RevealCaller
from shared.eventstore.desk_app import CommandContext
from shared.kernel.staff import PERMISSIONS

if TYPE_CHECKING:
    from services.intake.application import IntakeApp


def reveal_contact(
    app: IntakeApp, ctx: CommandContext, cmd: RevealContact
) -> tuple[BaseModel, list[Any]]:
    # before the ticket is looked up: a refused member of staff learns nothing of it
    app.require(ctx, cmd, PERMISSIONS["intake.reveal_contact"])
    ticket = app.ticket_of_site(ctx.site, cmd.ticket_id)
    reporters = ticket.reveal_contact(at=app.clock.now(), meta=ctx.meta(cmd), purpose=cmd.purpose)
    return contact_reply(ticket, reporters), [ticket]


def refused_reveal(
    app: IntakeApp, ctx: CommandContext, cmd: RevealContact | RevealCaller, reason: str
) -> AccessLog:
    """The site's access log of this month, with the refused look recorded: at the ticket's
    reporters, or at the promise's caller."""
    now = app.clock.now()
    month = now.astimezone(app.site_config(ctx.site).zone).strftime("%Y-%m")
    member = app.site_config(ctx.site).staff.get(cmd.staff_id)
    if isinstance(cmd, RevealCaller):
        asked = {"promise_id": promise_named(app, ctx.site, cmd.promise)}
    else:
        asked = {"ticket_id": app.id_named(ctx.site, cmd.ticket_id)}
    return AccessLog.reveal_refused(
        app.get(AccessLog.id_for(ctx.site, month), AccessLog),
        site=ctx.site,
        month=month,
        at=now,
        staff_id=cmd.staff_id,
        role=member.role.value if member else None,
        purpose=cmd.purpose,
        reason=reason,
        correlation_id=ctx.correlation_id,
        **asked,
    )
