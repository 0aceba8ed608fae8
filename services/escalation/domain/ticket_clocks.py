"""The clocks of one ticket and its complaint ladder (docs/DOMAIN.md §5, §3). No I/O, no wall clock.

`TicketClocks` (a ticket's "board") records every decision as an event: a clock started, paused,
resumed, counted again, stopped, warned or breached; a ladder step reached; the upgrade to major.
Its jobs are one module each, mixed into the aggregate over the state kept here:

- clocks.py — the clock operations (start, stop, pause, resume, recount) and the clocks'
  events;
- notes.py — what it notes of the ticket as DESK tells it (classified, an order and its
  urgency overridden, the ladder started or changed, the department, a major classification,
  a repeat contact, its end);
- due.py — `next_due()`, and `decide(now)`, which records what has fallen due, once: a
  replay of the events never decides anything again;
- referral.py, receipt.py — a staff finding told to its department's supervisor, a complaint
  to its zone's CS assistant, at once;
- told.py — the notices it raised still owed, by what each is about: those the ticket's end
  ends.

The arithmetic of one clock run is in clock_run.py, the ladder's in ladder.py. Stores written
before this class was `TicketClocks` name it `Board` (topics.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.escalation.domain import clocks, due, notes, receipt, referral, told
from services.escalation.domain.ids import SYSTEM, Cause, board_id_for
from services.escalation.domain.ticket_event import TicketEvent
from services.escalation.domain.topics import keep_board_topics


class TicketClocks(
    clocks.Clocks,
    notes.Notes,
    due.Decisions,
    referral.Referrals,
    receipt.Receipts,
    told.Owed,
    Aggregate,
):
    # Every event it records, each defined with the job that records it. Older stores name
    # each by `Board.<this name>` (topics.py): keep the names.
    Event = TicketEvent
    Opened = notes.Opened
    ClockStarted = clocks.ClockStarted
    ClockPaused = clocks.ClockPaused
    ClockResumed = clocks.ClockResumed
    ClockStopped = clocks.ClockStopped
    ClockWarned = clocks.ClockWarned
    ClockBreached = clocks.ClockBreached
    ClockExtended = clocks.ClockExtended
    ClockRecounted = clocks.ClockRecounted  # the order's urgency overridden (R7.1)
    Classified = notes.Classified
    OrderNoted = notes.OrderNoted
    UrgencyNoted = notes.UrgencyNoted
    ScopeNoted = notes.ScopeNoted  # the order's scope overridden
    LadderStarted = notes.LadderStarted
    LadderChanged = notes.LadderChanged
    DepartmentNoted = notes.DepartmentNoted
    MajorNoted = notes.MajorNoted
    RepeatNoted = notes.RepeatNoted
    Closed = notes.Closed
    Reopened = notes.Reopened
    ComplaintEscalated = due.ComplaintEscalated
    ComplaintUpgraded = due.ComplaintUpgraded
    MajorReported = due.MajorReported
    MajorSuggested = due.MajorSuggested
    FindingNoted = referral.FindingNoted  # a staff finding for its supervisor (R13.15b)
    FindingReferred = referral.FindingReferred
    ReceiptNoted = receipt.ReceiptNoted  # a complaint for its zone's CS assistant (R6.3, R1.3)
    ComplaintReceived = receipt.ComplaintReceived
    NoticesSettled = told.NoticesSettled  # acknowledged or ended: owed no more

    def __init__(self, *, site: str, ticket_id: UUID, ticket_no: str, kind: str,
                 received_at: datetime, zone: str | None, unit: str | None, said: str | None,
                 actor: str, correlation_id: str, causation_id: str | None) -> None:  # fmt: skip
        del actor, causation_id  # the envelope's, not the board's
        self.site = site
        self.correlation_id = correlation_id  # the ticket's: decisions join its correlation
        self.ticket_id = ticket_id
        self.ticket_no = ticket_no
        self.kind = kind
        self.received_at = received_at
        self.zone = zone  # whose CS assistant is told of the ticket (R1.3, R6.3)
        # its unit and what was said, as published at report (masked), cut; None on a board
        # stored before it kept them: what its notices' messages say of it (notify/message.py)
        self.unit, self.said = unit, said
        self.validity: str | None = None
        self.severity: str | None = None
        self.status = "open"
        self.clocks: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.ladder: dict[str, Any] | None = None
        self.department: str | None = None  # whose supervisor answers for the complaint
        self.major_since: datetime | None = None  # classified major, to be reported (R5.4)
        self.major_reported = False
        self.raised = 1  # times the customer raised the matter (R5.1a)
        self.raised_again_at: datetime | None = None
        self.major_suggested = False
        self.referral_since: datetime | None = None  # a staff finding to refer (referral.py)
        self.referred = False
        self.received_since: datetime | None = None  # a complaint to forward (receipt.py)
        self.receipt_told = False
        self.owed: dict[UUID, str] = {}  # its notices still owed: id → what about (told.py)

    @classmethod
    def open(cls, *, site: str, ticket_id: UUID, ticket_no: str, kind: str,
             received_at: datetime, at: datetime, correlation_id: str,
             causation_id: str | None, zone: str | None = None, unit: str | None = None,
             said: str | None = None) -> TicketClocks:  # fmt: skip
        return cls._create(
            cls.Opened,
            id=board_id_for(ticket_id),
            timestamp=at,
            site=site,
            actor=SYSTEM,
            correlation_id=correlation_id,
            causation_id=causation_id,
            ticket_id=ticket_id,
            ticket_no=ticket_no,
            kind=kind,
            received_at=received_at,
            zone=zone,
            unit=unit,
            said=said,
        )

    def record(self, event_class: type[TicketEvent], at: datetime, cause: Cause,
               **fields: Any) -> None:  # fmt: skip
        self.trigger_event(
            event_class,
            timestamp=at,
            site=self.site,
            actor=cause.actor,
            correlation_id=cause.correlation_id,
            causation_id=cause.causation_id,
            ticket_id=self.ticket_id,
            ticket_no=self.ticket_no,
            **fields,
        )

    def record_clock(self, event_class: type[TicketEvent], key: str, at: datetime, cause: Cause,
                     **fields: Any) -> None:  # fmt: skip
        self.record(event_class, at, cause, key=key, clock=self.clocks[key]["clock"], **fields)

    def _record_settled(self, notice_ids: list[UUID], at: datetime, cause: Cause) -> None:
        self.record(self.NoticesSettled, at, cause, notification_ids=notice_ids)


keep_board_topics(TicketClocks)
