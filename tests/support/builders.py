"""Published envelopes, built with the contracts as the services publish them, and `History`: a
run of them in the order they would stand on DESK, each aggregate's versions counted.

    h = History()
    t = h.ticket("repair", at, category="plumbing")      # ticket.reported
    t.complete(t.order(at, "engineering"), later, "80.00")
    view.apply([Delivery(seq, ev) for seq, ev in enumerate(h.events, start=1)])

bench/replay.py generates its streams with the same `History` (tests/support/generated.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from shared.contracts.envelope import Envelope, schema_of
from shared.contracts.events import EVENT_TYPES
from shared.kernel.satisfaction import is_satisfied
from shared.messaging.publishing import event_id_for


def envelope(
    event_type: str,
    *,
    site: str,
    aggregate: UUID,
    version: int,
    at: datetime,
    data: Any,
    actor: str,
    correlation: str,
    causation: str | None = None,
    recorded_at: datetime | None = None,
) -> Envelope:
    """One event as its service publishes it: `data` a contract, or a dict validated into the
    event type's own (its schema version follows from it); the event id as the outbox makes it."""
    model = EVENT_TYPES[event_type]
    body = data if not isinstance(data, dict) else model.data_model().model_validate(data)
    return model(
        event_id=event_id_for(aggregate, version),
        event_type=event_type,
        schema_version=schema_of(body),
        site=site,
        aggregate_id=aggregate,
        aggregate_version=version,
        occurred_at=at,
        recorded_at=recorded_at or at,
        correlation_id=correlation,
        causation_id=causation,
        actor=actor,
        data=body,
    )


class History:
    """Envelopes in the order they are emitted (`events`), each aggregate's versions counted.
    `recorded_from`: no event is recorded before it (a view built after the fact)."""

    def __init__(
        self, *, actor: str = "S01", correlation: str = "c", recorded_from: datetime | None = None
    ) -> None:
        self.events: list[Envelope] = []
        self.versions: dict[UUID, int] = {}
        self.numbers: dict[str, int] = {}
        self.actor, self.correlation, self.recorded_from = actor, correlation, recorded_from

    def emit(
        self,
        site: str,
        aggregate: UUID,
        event_type: str,
        at: datetime,
        data: Any = None,
        *,
        actor: str | None = None,
        correlation: str | None = None,
        causation: str | None = None,
        **fields: Any,
    ) -> Envelope:
        """The aggregate's next event: `data` a contract, or the data's fields as keywords."""
        version = self.versions[aggregate] = self.versions.get(aggregate, 0) + 1
        recorded = at if self.recorded_from is None else max(at, self.recorded_from)
        event = envelope(
            event_type, site=site, aggregate=aggregate, version=version, at=at,
            data=fields if data is None else data, actor=actor or self.actor,
            correlation=correlation or self.correlation, causation=causation, recorded_at=recorded,
        )  # fmt: skip
        self.record(event)
        return event

    def record(self, event: Envelope) -> None:
        self.events.append(event)

    def ticket(self, kind: str, at: datetime, *, site: str = "hbw", **fields: Any) -> TicketStory:
        """A ticket reported at `at` (numbered per site), to be taken further."""
        ticket_id = uuid4()
        n = self.numbers[site] = self.numbers.get(site, 0) + 1
        data = {
            "ticket_no": f"{site.upper()}-{at.strftime('%Y%m')}-{n:04d}",
            "client_ref": f"ref-{n}",
            "channel": "phone",
            "kind": kind,
            "category": None,
            "help_category": None,
            "unit": None,
            "content": "内容",
            "received_at": at.isoformat(),
            "appointment": None,
        } | fields
        self.emit(site, ticket_id, "ticket.reported", at, data)
        return TicketStory(self, site, ticket_id, data["ticket_no"])


class TicketStory:
    """One ticket's events after its report: its own, its clocks and ladder, its work orders."""

    def __init__(self, history: History, site: str, ticket_id: UUID, ticket_no: str) -> None:
        self.h, self.site, self.id, self.no = history, site, ticket_id, ticket_no
        self.board = uuid4()
        self.orders: list[UUID] = []

    def event(self, event_type: str, at: datetime, **data: Any) -> TicketStory:
        self.h.emit(self.site, self.id, f"ticket.{event_type}", at, data)
        return self

    def classify(self, at: datetime, kind: str, category: str | None, **fields: Any) -> TicketStory:
        data = {"kind": kind, "category": category, "help_category": None, "validity": None,
                "communicative_type": None, "severity": None} | fields  # fmt: skip
        return self.event("classified", at, **data)

    def resolve(self, at: datetime) -> TicketStory:
        return self.event("resolved", at, resolution="处理完毕")

    def follow_up(self, at: datetime, score: int) -> TicketStory:
        satisfied = is_satisfied(score)  # 4–5, as the command and every report say
        self.event("followed_up", at, satisfied=satisfied, score=score,
                   comment=None if satisfied else "不满意")  # fmt: skip
        if satisfied:
            return self.event("closed", at, reason="satisfied_follow_up")
        return self.event("reopened", at, reason="不满意", reopen_count=1)

    def escalation(self, event_type: str, at: datetime, **data: Any) -> TicketStory:
        data = {"ticket_id": str(self.id), "ticket_no": self.no} | data
        self.h.emit(self.site, self.board, f"escalation.{event_type}", at, data)
        return self

    def escalated(self, at: datetime, level: str) -> TicketStory:
        return self.escalation("complaint_escalated", at, level=level, due_at=at.isoformat(),
                               notification=notified())  # fmt: skip

    def clock(self, at: datetime, clock: str, outcome: str | None, *, breached: bool = False,
              end: datetime | None = None) -> TicketStory:  # fmt: skip
        ref = {"clock": clock, "key": clock}
        deadline = (at + timedelta(hours=1)).isoformat()
        self.escalation("clock_started", at, **ref, order_no=None, started_at=at.isoformat(),
                        deadline=deadline, warn_at=deadline, target_seconds=3600.0,
                        role="department_supervisor")  # fmt: skip
        end = end or at + timedelta(hours=2)
        if breached:
            self.escalation("clock_breached", end, **ref, deadline=deadline,
                            compensation_risk=False, notification=notified())  # fmt: skip
        if outcome is not None:
            self.escalation("clock_stopped", end, **ref, outcome=outcome, counted_seconds=60.0)
        return self

    def order(self, at: datetime, department: str) -> UUID:
        order_id = uuid4()
        self.orders.append(order_id)
        self.h.emit(self.site, order_id, "workorder.issued", at, ticket_id=str(self.id),
                    order_no=f"{self.no}-W{len(self.orders)}", origin="automatic",
                    department=department, category=None, urgency="general", scope="household",
                    unit=None, content="工单", appointment=None, leak=False, rework_of=None,
                    free_of_charge=False, reason=None)  # fmt: skip
        return order_id

    def complete(self, order_id: UUID, at: datetime, fee: str) -> None:
        self.h.emit(self.site, order_id, "workorder.completed", at, notes="完工",
                    actual_item="更换", fee=fee, awaiting_acceptance=False)  # fmt: skip


def notified() -> dict[str, Any]:
    return {"notification_id": str(uuid4()), "role": "department_supervisor"}
