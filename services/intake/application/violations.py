"""Violation cases (R14.1–R14.10, docs/VIOLATIONS.md): one handler per command, load → change →
save. Who may propose and sign a penalty is the staff policy's (shared/kernel/staff.py
`violation.penalty`, `violation.sign`); the order of the measures is the case's."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic import BaseModel

from services.intake.application.contacts import not_in_future
from services.intake.domain import ViolationCase, ViolationRegister, case_id_for
from shared.contracts.violation_commands import (
    CloseViolation,
    OpenViolation,
    ProposePenalty,
    ReclassifyViolation,
    RecordMeasure,
    RecordMediation,
    SignPenalty,
    ViolationCommand,
    ViolationReply,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.staff import PERMISSIONS
from shared.kernel.violations import RESPONSIBLE, ViolationClass
from shared.messaging.errors import as_reply, conflict, not_found

if TYPE_CHECKING:
    from services.intake.application import IntakeApp

Result = tuple[BaseModel, list[Any]]


def case_reply(case: ViolationCase) -> ViolationReply:
    penalty = None if case.penalty is None else "signed" if case.penalty_signed else "proposed"
    return ViolationReply(
        case_id=str(case.id),
        client_ref=case.client_ref,
        violation_class=ViolationClass(case.violation_class),
        status=case.status,
        responsible=RESPONSIBLE[ViolationClass(case.violation_class)].value,
        measures=[m["measure"] for m in case.measures],
        penalty=penalty,
    )


def today(app: IntakeApp, site: str) -> date:
    return app.clock.now().astimezone(app.site_config(site).zone).date()


def case_of_site(app: IntakeApp, site: str, ref: UUID | str) -> ViolationCase:
    """A case, by id or client_ref, reachable only through its own site's subjects."""
    case_id = ref if isinstance(ref, UUID) else case_id_for(site, ref)
    case = app.get(case_id, ViolationCase)
    if case is None or case.site != site:
        raise not_found(f"violation case {ref}")
    return case


def open_violation(app: IntakeApp, ctx: CommandContext, cmd: OpenViolation) -> Result:
    now = app.clock.now()
    case_id = case_id_for(ctx.site, cmd.client_ref)
    existing = app.get(case_id, ViolationCase)
    if existing is not None:
        raise conflict(f"violation case {cmd.client_ref} is open already: {case_id}")
    ticket_id = app.ticket_of_site(ctx.site, cmd.ticket_id).id if cmd.ticket_id else None
    case = ViolationCase.open(
        at=now,
        site=ctx.site,
        client_ref=cmd.client_ref,
        violation_class=cmd.violation_class.value,
        category=cmd.category.value,
        place=cmd.place,
        description=cmd.description,
        observed_at=not_in_future(cmd.observed_at, now, "observed_at"),
        offender_sealed=_sealed(app, case_id, cmd),
        ticket_id=ticket_id,
        finding=cmd.finding,
        **ctx.meta(cmd),
    )
    register = app.get(ViolationRegister.id_for(ctx.site), ViolationRegister)
    register = register or ViolationRegister.start(site=ctx.site, at=now)
    register.list_case(case.id, now)
    return case_reply(case), [case, register]


def _sealed(app: IntakeApp, case_id: UUID, cmd: OpenViolation) -> str | None:
    """The offender's name and phone under the case's own key (erasable, R15.1)."""
    if cmd.offender is None:
        return None
    return app.subject_keys.seal(str(case_id), cmd.offender.model_dump(exclude_none=True))


def offender_of(app: IntakeApp, case: ViolationCase) -> dict[str, Any] | None:
    """The offender as the case's key opens it; None when none was given or it was erased."""
    if case.offender_sealed is None:
        return None
    return app.subject_keys.open(str(case.id), case.offender_sealed)


def _change(app: IntakeApp, ctx: CommandContext, cmd: ViolationCommand, change: Any) -> Result:
    case = case_of_site(app, ctx.site, cmd.case)
    with as_reply():
        change(case, app.clock.now(), ctx.meta(cmd))
    return case_reply(case), [case]


def reclassify(app: IntakeApp, ctx: CommandContext, cmd: ReclassifyViolation) -> Result:
    app.require(ctx, cmd, PERMISSIONS["violation.classify"])
    return _change(
        app,
        ctx,
        cmd,
        lambda c, at, meta: c.reclassify(
            at=at, violation_class=cmd.violation_class, reason=cmd.reason, meta=meta
        ),
    )


def record_measure(app: IntakeApp, ctx: CommandContext, cmd: RecordMeasure) -> Result:
    day = today(app, ctx.site)
    return _change(
        app,
        ctx,
        cmd,
        lambda c, at, meta: c.record_measure(
            at=at, today=day, measure=cmd.measure, due_on=cmd.due_on, note=cmd.note, meta=meta
        ),
    )


def record_mediation(app: IntakeApp, ctx: CommandContext, cmd: RecordMediation) -> Result:
    return _change(
        app,
        ctx,
        cmd,
        lambda c, at, meta: c.record_mediation(at=at, failed=cmd.failed, note=cmd.note, meta=meta),
    )


def propose_penalty(app: IntakeApp, ctx: CommandContext, cmd: ProposePenalty) -> Result:
    app.require(ctx, cmd, PERMISSIONS["violation.penalty"])
    return _change(
        app,
        ctx,
        cmd,
        lambda c, at, meta: c.propose_penalty(
            at=at, penalty=cmd.penalty, amount=cmd.amount, meta=meta
        ),
    )


def sign_penalty(app: IntakeApp, ctx: CommandContext, cmd: SignPenalty) -> Result:
    app.require(ctx, cmd, PERMISSIONS["violation.sign"])
    return _change(app, ctx, cmd, lambda c, at, meta: c.sign_penalty(at=at, meta=meta))


def close_violation(app: IntakeApp, ctx: CommandContext, cmd: CloseViolation) -> Result:
    day = today(app, ctx.site)
    return _change(
        app,
        ctx,
        cmd,
        lambda c, at, meta: c.close(at=at, today=day, outcome=cmd.outcome, meta=meta),
    )


HANDLERS = {
    OpenViolation: open_violation,
    ReclassifyViolation: reclassify,
    RecordMeasure: record_measure,
    RecordMediation: record_mediation,
    ProposePenalty: propose_penalty,
    SignPenalty: sign_penalty,
    CloseViolation: close_violation,
}
