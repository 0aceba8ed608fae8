"""Where a violation case's domain events become published contracts (violation.*). The
offender's name and phone never leave: they are not in the contracts, and free text is masked for
them and for anything that looks like personal data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from services.intake.domain import ViolationCase
from shared.contracts import violation_events as ev
from shared.contracts.envelope import Envelope
from shared.kernel.violations import RESPONSIBLE, ViolationClass, removable_on
from shared.messaging.publishing import envelope, mask

# a case and its offender's name and phone as intake can still read them (none once erased)
CaseOf = Callable[[UUID], tuple[ViolationCase, dict[str, Any] | None] | None]


def violation_envelope(event: ViolationCase.Event, case_of: CaseOf) -> Envelope | None:
    found = case_of(event.originator_id)
    if found is None:
        return None
    _, seen = found
    offender = [seen] if seen else []
    vclass = ViolationClass(event.violation_class)  # as it stood then

    def m(text: str | None) -> str | None:
        return mask(text, offender)

    build = _BUILDERS.get(type(event))
    if build is None:
        return None
    published, data = build(event, m, vclass)
    occurred = event.observed_at if isinstance(event, ViolationCase.Opened) else None
    return envelope(event, published.type_name(), data, occurred)


def _opened(e: Any, m: Callable, vclass: ViolationClass) -> tuple:
    data = ev.ViolationOpened(
        client_ref=e.client_ref,
        violation_class=vclass,
        category=e.category,
        place=m(e.place) or "",
        description=m(e.description) or "",
        observed_at=e.observed_at,
        responsible=RESPONSIBLE[vclass].value,
        ticket_id=e.ticket_id,
        finding=e.finding,
    )
    return ev.ViolationOpenedEvent, data


def _reclassified(e: Any, m: Callable, vclass: ViolationClass) -> tuple:
    data = ev.ViolationReclassified(
        violation_class=vclass, responsible=RESPONSIBLE[vclass].value, reason=m(e.reason) or ""
    )
    return ev.ViolationReclassifiedEvent, data


def _measure(e: Any, m: Callable, vclass: ViolationClass) -> tuple:
    data = ev.MeasureRecorded(
        measure=e.measure,
        due_on=date.fromisoformat(e.due_on),
        responsible=RESPONSIBLE[vclass].value,
        note=m(e.note),
    )
    return ev.MeasureRecordedEvent, data


def _mediation(e: Any, m: Callable, vclass: ViolationClass) -> tuple:
    return ev.MediationRecordedEvent, ev.MediationRecorded(failed=e.failed, note=m(e.note))


def _proposed(e: Any, m: Callable, vclass: ViolationClass) -> tuple:
    return ev.PenaltyProposedEvent, ev.PenaltyProposed(penalty=m(e.penalty) or "", amount=e.amount)


def _signed(e: Any, m: Callable, vclass: ViolationClass) -> tuple:
    # what was signed is the proposal in force when it was signed: the last one before it
    return ev.PenaltySignedEvent, ev.PenaltySigned(penalty=m(e.penalty) or "", amount=e.amount)


def _closed(e: Any, m: Callable, vclass: ViolationClass) -> tuple:
    closed_on = date.fromisoformat(e.closed_on)
    data = ev.ViolationClosed(
        outcome=m(e.outcome) or "",
        closed_on=closed_on,
        removable_on=removable_on(vclass, closed_on),
        penalty_lapsed=e.penalty_lapsed,
    )
    return ev.ViolationClosedEvent, data


def _expired(e: Any, m: Callable, vclass: ViolationClass) -> tuple:
    data = ev.ViolationExpired(closed_on=date.fromisoformat(e.closed_on), violation_class=vclass)
    return ev.ViolationExpiredEvent, data


_BUILDERS: dict[type, Callable[[Any, Callable, ViolationClass], tuple]] = {
    ViolationCase.Opened: _opened,
    ViolationCase.Reclassified: _reclassified,
    ViolationCase.MeasureRecorded: _measure,
    ViolationCase.MediationRecorded: _mediation,
    ViolationCase.PenaltyProposed: _proposed,
    ViolationCase.PenaltySigned: _signed,
    ViolationCase.Closed: _closed,
    ViolationCase.Expired: _expired,
}
