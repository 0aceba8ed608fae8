"""Violation cases (R14.1–R14.10, docs/VIOLATIONS.md): one handler per command, load → change →
save. Who may propose and sign a penalty is the staff policy's (shared/kernel/staff.py
`violation.penalty`, `violation.sign`); the order of the measures is the case's."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pydantic import BaseModel

from services.intake.application.contacts import not_in_future
from services.intake.domain import ViolationCase, ViolationRegister, case_id_for
from shared.contracts.rounds import Finding, RecordRound
from shared.contracts.violation_commands import (
    CloseViolation,
    OpenViolation,
    ProposePenalty,
    ReclassifyViolation,
    RecordMeasure,
    RecordMediation,
    SignPenalty,
    ViolationCategory,
    ViolationCommand,
    ViolationReply,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.staff import PERMISSIONS
from shared.kernel.violations import RESPONSIBLE, ViolationClass
from shared.kernel.vocabulary import Channel
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
    case = app.get(ref, ViolationCase) if isinstance(ref, UUID) else None
    if case is None and isinstance(ref, str):  # a client_ref, or an id the Key read as text
        case = app.get(_as_uuid(ref) or case_id_for(site, ref), ViolationCase)
        case = case or app.get(case_id_for(site, ref), ViolationCase)
    if case is None or case.site != site:
        raise not_found(f"violation case {ref}")
    return case


def _as_uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def open_violation(app: IntakeApp, ctx: CommandContext, cmd: OpenViolation) -> Result:
    now = app.clock.now()
    case_id = case_id_for(ctx.site, cmd.client_ref)
    existing = app.get(case_id, ViolationCase)
    if existing is not None:
        raise conflict(f"violation case {cmd.client_ref} is open already: {case_id}")
    ticket_id = app.ticket_of_site(ctx.site, cmd.ticket_id).id if cmd.ticket_id else None
    opened = CasesOpened(app, ctx.site, now)
    case = opened.open(
        ctx.meta(cmd),
        client_ref=cmd.client_ref,
        violation_class=cmd.violation_class.value,
        category=cmd.category.value,
        place=cmd.place,
        description=cmd.description,
        observed_at=not_in_future(cmd.observed_at, now, "observed_at"),
        offender_sealed=_sealed(app, case_id, cmd),
        ticket_id=ticket_id,
        finding=cmd.finding,
    )
    return case_reply(case), opened.changed()


class CasesOpened:
    """The cases one command opens and the site's register that lists them (loaded once)."""

    def __init__(self, app: IntakeApp, site: str, now: datetime) -> None:
        self.app, self.site, self.now = app, site, now
        self.cases: list[ViolationCase] = []
        self.register: ViolationRegister | None = None

    def open(self, meta: dict[str, Any], *, client_ref: str, **fields: Any) -> ViolationCase:
        case = ViolationCase.open(
            at=self.now, site=self.site, client_ref=client_ref, **fields, **meta
        )
        if self.register is None:
            found = self.app.get(ViolationRegister.id_for(self.site), ViolationRegister)
            self.register = found or ViolationRegister.start(site=self.site, at=self.now)
        self.register.list_case(case.id, self.now)
        self.cases.append(case)
        return case

    def open_for(self, ctx: CommandContext, cmd: RecordRound, finding: Finding, ref: str,
                 ticket_id: UUID) -> ViolationCase:  # fmt: skip
        """A resident's violation found on a round (R13.15b, R14.10): its case, named like the
        finding's ticket (`round/<round_ref>/<index>`), which is also the finding's id. No
        offender: a round records none (the case's staff add what they learn)."""
        if self.app.get(case_id_for(self.site, ref), ViolationCase) is not None:
            raise conflict(f"a violation case already has the client_ref {ref!r}")
        violation_class = finding.violation_class or ViolationClass.general
        return self.open(
            ctx.meta(cmd),
            client_ref=ref,
            violation_class=violation_class.value,
            category=(finding.violation_category or ViolationCategory.other).value,
            place=finding.location or finding.point,
            description=finding.description,
            observed_at=cmd.ended_at,
            offender_sealed=None,
            ticket_id=ticket_id,
            finding=ref,
        )

    def changed(self) -> list[Any]:
        return [*self.cases, *([self.register] if self.register is not None else [])]


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
    reply, changed = _change(
        app,
        ctx,
        cmd,
        lambda c, at, meta: c.close(at=at, today=day, outcome=cmd.outcome, meta=meta),
    )
    return reply, [*changed, *_finding_handled(app, ctx, cmd, changed[0])]


def _finding_handled(app: IntakeApp, ctx: CommandContext, cmd: CloseViolation,
                     case: ViolationCase) -> list[Any]:  # fmt: skip
    """A case opened by a round's finding, closed: the finding's inspection ticket is resolved
    with the case's outcome, in the same transaction (its week stops, R13.16); its check on
    site closes it, as every finding's does (R13.17). A ticket resolved or closed already, or
    a ticket the desk logged (not a finding's), is left as it is."""
    if case.finding is None or case.ticket_id is None:
        return []
    ticket = app.ticket(case.ticket_id)
    if ticket is None or ticket.channel != Channel.inspection or not ticket.is_open:
        return []
    resolution = f"违例案件 {case.client_ref} 已结案: {cmd.outcome}"
    with as_reply():
        ticket.resolve(at=app.clock.now(), meta=ctx.meta(cmd), resolution=resolution[:500])
    return [ticket]


HANDLERS = {
    OpenViolation: open_violation,
    ReclassifyViolation: reclassify,
    RecordMeasure: record_measure,
    RecordMediation: record_mediation,
    ProposePenalty: propose_penalty,
    SignPenalty: sign_penalty,
    CloseViolation: close_violation,
}
