"""Where a promise's domain events become published contracts (promise.*, docs/PROMISES.md). A
missed call's phone never leaves: it is not in the contracts, and free text is masked for it, for
the callers of the promise's ticket and for anything that looks like personal data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from services.intake.domain import Promise
from shared.contracts import promise_events as ev
from shared.contracts.envelope import Envelope
from shared.messaging.publishing import envelope, mask

# the promise itself, for its ticket and its caller, as intake can read it
PromiseOf = Callable[[UUID], Promise | None]
ReportersOf = Callable[[UUID], list[dict[str, Any] | None]]


def promise_envelope(event: Promise.Event, promise_of: PromiseOf,
                     reporters_of: ReportersOf) -> Envelope | None:  # fmt: skip
    build = _BUILDERS.get(type(event))
    promise = promise_of(event.originator_id)
    if build is None or promise is None:
        return None
    people = [promise.caller] if promise.caller else []
    if promise.ticket_id is not None:
        people += reporters_of(promise.ticket_id)

    def m(text: str) -> str:
        return mask(text, people) or ""

    published, data, occurred_at = build(event, m)
    return envelope(event, published.type_name(), data, occurred_at)


def _made(e: Any, m: Callable) -> tuple:
    data = ev.PromiseMade(
        client_ref=e.client_ref, kind=e.kind, owner=e.owner, owner_role=e.owner_role,
        due_at=e.due_at, what=m(e.what), ticket_id=e.ticket_id, ticket_no=e.ticket_no,
    )  # fmt: skip
    return ev.PromiseMadeEvent, data, None


def _rescheduled(e: Any, m: Callable) -> tuple:
    data = ev.PromiseRescheduled(due_at=e.due_at, previous_due_at=e.previous_due_at,
                                 reason=m(e.reason), late=e.late)  # fmt: skip
    return ev.PromiseRescheduledEvent, data, None


def _kept(e: Any, m: Callable) -> tuple:
    data = ev.PromiseKept(kept_at=e.kept_at, on_time=e.on_time, outcome=m(e.outcome))
    return ev.PromiseKeptEvent, data, e.kept_at


def _broken(e: Any, m: Callable) -> tuple:
    return ev.PromiseBrokenEvent, ev.PromiseBroken(broken_at=e.broken_at, reason=m(e.reason)), None


_BUILDERS: dict[type, Callable[[Any, Callable], tuple]] = {
    Promise.Made: _made,
    Promise.Rescheduled: _rescheduled,
    Promise.Kept: _kept,
    Promise.Broken: _broken,
}
