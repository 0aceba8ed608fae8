"""The retention of violation records (R14.8): a closed case is kept one year (general) or five
(major) from the day it closed, in the site's calendar; then `violation.expired` removes it from
the views. Its events stay on DESK and in intake's store (docs/VIOLATIONS.md, Retention)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from services.intake.application.violations import case_of_site
from services.intake.domain import ViolationCase, ViolationRegister
from shared.contracts.violation_retention import (
    EraseOffender,
    OffenderErased,
    RetainedCase,
    RetentionReport,
    RunRetention,
)
from shared.kernel.violations import ViolationClass, removable_on
from shared.messaging.errors import conflict, invalid

if TYPE_CHECKING:
    from services.intake.application import IntakeApp

RETENTION_ACTOR = "ops"  # the actor of the expiries the retention job records


def run_retention(app: IntakeApp, run: RunRetention, correlation_id: str) -> dict[str, Any]:
    zone = app.site_config(run.site).zone
    with app.writing:
        now = app.clock.now()
        today = now.astimezone(zone).date()
        as_of = run.as_of or today
        if run.apply and as_of > today:
            raise invalid(f"as_of {as_of} is after today ({today}): nothing is removed early")
        register = app.get(ViolationRegister.id_for(run.site), ViolationRegister)
        due: list[tuple[ViolationCase, date]] = []
        kept = 0
        for case_id in register.cases if register else []:
            case = app.get(case_id, ViolationCase)
            if case is None or case.status != "closed":
                continue
            until = removable_on(
                ViolationClass(case.violation_class), date.fromisoformat(case.closed_on)
            )
            if until <= as_of:
                due.append((case, until))
            else:
                kept += 1
        found = [_entry(case, until) for case, until in due]
        if run.apply and due:
            meta = {
                "actor": RETENTION_ACTOR,
                "correlation_id": correlation_id,
                "causation_id": None,
            }
            for case, _ in due:
                if run.erase and not case.offender_erased:
                    _erase(app, case, now, meta)
                case.expire(at=now, meta=meta)
            app.save(*(case for case, _ in due))
    report = RetentionReport(site=run.site, as_of=as_of, applied=run.apply, cases=found, kept=kept)
    return report.model_dump(mode="json")


def erase_offender(app: IntakeApp, request: EraseOffender, correlation_id: str) -> dict[str, Any]:
    """Delete the case's key first, then record it: a failure between leaves the data
    unreadable with no record of it, never a record of an erasure that did not happen."""
    with app.writing:
        case = case_of_site(app, request.site, request.case)
        if case.offender_erased:
            raise conflict(f"the offender of violation case {case.client_ref} is erased already")
        meta = {"actor": RETENTION_ACTOR, "correlation_id": correlation_id, "causation_id": None}
        deleted = _erase(app, case, app.clock.now(), meta)
        app.save(case)
    reply = OffenderErased(site=request.site, case_id=case.id, client_ref=case.client_ref,
                           key_deleted=deleted)  # fmt: skip
    return reply.model_dump(mode="json")


def _erase(app: IntakeApp, case: ViolationCase, at: datetime, meta: dict[str, Any]) -> bool:
    deleted = app.subject_keys.erase(str(case.id))
    case.offender_erased_now(at=at, meta=meta)
    return deleted


def _entry(case: ViolationCase, until: date) -> RetainedCase:
    return RetainedCase(
        case_id=case.id,
        client_ref=case.client_ref,
        violation_class=ViolationClass(case.violation_class),
        closed_on=date.fromisoformat(case.closed_on or ""),
        removable_on=until,
        offender_held=case.offender_sealed is not None,
    )
