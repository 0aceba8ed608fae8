"""The ticket (docs/DOMAIN.md §2, §3, §6). No I/O; it changes only by triggering events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from services.intake.domain.classification import (
    check_classification,
    drop_what_no_longer_applies,
    ladder_after,
)
from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.satisfaction import contradiction, has_customer
from shared.kernel.sla import climbs_ladder
from shared.kernel.vocabulary import (
    OPEN_STATUSES,
    CancelReason,
    Kind,
    TicketStatus,
    Validity,
)

NO_CUSTOMER = (
    "an inspection finding has no customer to call back: verify it on site instead "
    "(`verify`, R13.17)"
)
TICKET_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/ticket")


def ticket_id_for(site: str, client_ref: str) -> UUID:
    """Deterministic id: the same client_ref at the same site is the same ticket."""
    return uuid5(TICKET_NS, f"{site}/{client_ref}")


class Ticket(Aggregate):
    """One contact's ticket. The reporter's name and phone live here and nowhere else."""

    class Event(Aggregate.Event):
        site: str
        actor: str
        correlation_id: str
        causation_id: str | None

    class Reported(Event, Aggregate.Created):
        ticket_no: str
        client_ref: str
        channel: str
        kind: str
        category: str | None
        help_category: str | None
        reporter: dict[str, Any] | None
        content: str
        received_at: datetime
        appointment: dict[str, Any] | None

    class Classified(Event):
        kind: str
        category: str | None
        help_category: str | None
        validity: str | None
        communicative_type: str | None
        severity: str | None
        about_staff: str | None = None  # stored before issue 13: none named

        def apply(self, t: Ticket) -> None:
            t.kind, t.category, t.help_category = self.kind, self.category, self.help_category
            t.validity, t.communicative_type = self.validity, self.communicative_type
            t.severity = self.severity
            t.about_staff = self.about_staff
            t.status = TicketStatus.classified
            t.ladder = ladder_after(t.ladder, climbs_ladder(t.kind, t.validity))

    class ContactLinked(Event):
        channel: str
        content: str
        reporter: dict[str, Any] | None
        received_at: datetime
        repeat_count: int

        def apply(self, t: Ticket) -> None:
            t.repeat_count = self.repeat_count
            if self.reporter is not None:
                t.reporters.append(self.reporter)

    class ContactRevealed(Event):
        """Who looked at the reporters' names and phones, and why (R15.2)."""

        purpose: str

        def apply(self, t: Ticket) -> None:
            pass

    class Replied(Event):
        """A reply to the customer (R10.2); `first` marks the ticket's first one."""

        message: str
        first: bool

        def apply(self, t: Ticket) -> None:
            t.reply_count += 1

    class SolutionAccepted(Event):
        """The customer accepted the proposed solution of their complaint (R6.9)."""

        solution: str

        def apply(self, t: Ticket) -> None:
            t.solution_accepted = True

    class Resolved(Event):
        resolution: str

        def apply(self, t: Ticket) -> None:
            t.resolution = self.resolution
            t.status = TicketStatus.resolved

    class FollowedUp(Event):
        satisfied: bool
        score: int
        comment: str | None

        def apply(self, t: Ticket) -> None:
            t.follow_up_count += 1

    class VerifiedOnSite(Event):
        """An inspection finding verified on site (R13.17): who, when, the result."""

        verified_by: str
        verified_at: datetime
        passed: bool
        note: str | None

        def apply(self, t: Ticket) -> None:
            pass

    class Closed(Event):
        reason: str

        def apply(self, t: Ticket) -> None:
            t.status = TicketStatus.closed

    class Reopened(Event):
        reason: str
        reopen_count: int

        def apply(self, t: Ticket) -> None:
            t.reopen_count = self.reopen_count
            t.reopened_at = self.timestamp
            t.status = TicketStatus.reopened
            t.solution_accepted = False  # what was accepted did not satisfy: a new one (R6.9)

    class Cancelled(Event):
        """Withdrawn or a duplicate (G2), with what the desk was told (`note`)."""

        reason: str  # CancelReason
        note: str | None
        duplicate_of: UUID | None

        class_version = 2  # v1, before issue 13, kept a free-text reason and no note

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["note"] = state["reason"]
            duplicate = state.get("duplicate_of") is not None
            state["reason"] = CancelReason.duplicate if duplicate else CancelReason.withdrawn

        def apply(self, t: Ticket) -> None:
            t.status = TicketStatus.cancelled

    def __init__(
        self,
        *,
        site: str,
        ticket_no: str,
        client_ref: str,
        channel: str,
        kind: str,
        category: str | None,
        help_category: str | None,
        reporter: dict[str, Any] | None,
        content: str,
        received_at: datetime,
        appointment: dict[str, Any] | None,
        actor: str,
        correlation_id: str,
        causation_id: str | None,
    ) -> None:
        self.site = site
        self.ticket_no = ticket_no
        self.client_ref = client_ref
        self.channel = channel
        self.kind = kind
        self.category = category
        self.help_category = help_category
        self.reporters: list[dict[str, Any]] = [reporter] if reporter else []
        self.content = content
        self.received_at = received_at
        self.appointment = appointment
        self.owner = actor  # first-contact responsibility (首问负责制, R10.1)
        self.status = TicketStatus.received
        self.validity: str | None = None
        self.communicative_type: str | None = None
        self.severity: str | None = None
        self.about_staff: str | None = None
        self.resolution: str | None = None
        self.repeat_count = 0
        self.reopen_count = 0
        self.reopened_at: datetime | None = None
        self.follow_up_count = 0
        self.reply_count = 0
        self.solution_accepted = False
        self.ladder = ladder_after(None, climbs_ladder(kind, None))

    @classmethod
    def report(cls, *, ticket_id: UUID, at: datetime, **fields: Any) -> Ticket:
        return cls._create(cls.Reported, id=ticket_id, timestamp=at, **fields)

    # -- commands -------------------------------------------------------------------------

    def classify(self, *, at: datetime, meta: dict[str, Any], **changes: Any) -> None:
        self._require(OPEN_STATUSES, "classify")
        merged = {
            "kind": self.kind,
            "category": self.category,
            "help_category": self.help_category,
            "validity": self.validity,
            "communicative_type": self.communicative_type,
            "severity": self.severity,
            "about_staff": self.about_staff,
        }
        given = {k: v for k, v in changes.items() if v is not None}
        merged.update(given)
        drop_what_no_longer_applies(merged, given)
        check_classification(merged)
        self._emit(self.Classified, at, meta, **merged)

    def link_contact(self, *, at: datetime, meta: dict[str, Any], **contact: Any) -> None:
        if self.status in (TicketStatus.closed, TicketStatus.cancelled):
            raise TransitionError("link a contact to", self.status, "a ticket")
        self._emit(self.ContactLinked, at, meta, repeat_count=self.repeat_count + 1, **contact)

    def reveal_contact(
        self, *, at: datetime, meta: dict[str, Any], purpose: str
    ) -> list[dict[str, Any]]:
        """The reporters' contact details, for the follow-up call; every look is recorded."""
        self._emit(self.ContactRevealed, at, meta, purpose=purpose)
        return list(self.reporters)

    def reply(self, *, at: datetime, meta: dict[str, Any], message: str) -> None:
        self._require(OPEN_STATUSES, "reply to")
        self._emit(self.Replied, at, meta, message=message, first=self.reply_count == 0)

    def accept_solution(self, *, at: datetime, meta: dict[str, Any], solution: str) -> None:
        """The customer accepted the solution proposed for their complaint; it is carried out
        only then (R6.9)."""
        self._require(OPEN_STATUSES, "record an accepted solution for")
        if self.kind != Kind.complaint:
            raise RuleError("solution", "a solution is accepted for a complaint only (R6.9)")
        self._emit(self.SolutionAccepted, at, meta, solution=solution)

    def resolve(
        self,
        *,
        at: datetime,
        meta: dict[str, Any],
        resolution: str,
        open_orders: Sequence[str] = (),
    ) -> None:
        """Resolved once the work is done: never while a work order is open (R8.12, R8.8: a leak
        waits for the next rain and the owner's signature)."""
        self._require(OPEN_STATUSES, "resolve")
        if self.kind == Kind.complaint and self.validity is None:
            raise TransitionError("resolve", "an unclassified complaint (R6.2)", "a ticket")
        valid = self.kind == Kind.complaint and self.validity == Validity.valid
        if valid and not self.solution_accepted:
            status = "a complaint whose solution the customer has not accepted (R6.9)"
            raise TransitionError("resolve", status, "a ticket")
        _no_open_orders("resolve", open_orders)
        self._emit(self.Resolved, at, meta, resolution=resolution)

    def follow_up(
        self,
        *,
        at: datetime,
        meta: dict[str, Any],
        satisfied: bool,
        score: int,
        comment: str | None,
        open_orders: Sequence[str] = (),
    ) -> None:
        self._require({TicketStatus.resolved}, "follow up")
        if not has_customer(self.channel):
            raise RuleError("ticket_id", NO_CUSTOMER)
        if (problem := contradiction(satisfied, score)) is not None:
            raise RuleError("score", problem)
        if satisfied:
            _no_open_orders("close", open_orders)  # an order issued after the resolution
        self._emit(self.FollowedUp, at, meta, satisfied=satisfied, score=score, comment=comment)
        if satisfied:
            self._emit(self.Closed, at, meta, reason="satisfied_follow_up")
        else:
            self._reopen(at, meta, comment or "")

    def verify(
        self,
        *,
        at: datetime,
        meta: dict[str, Any],
        verified_by: str,
        verified_at: datetime,
        passed: bool,
        note: str | None,
    ) -> None:
        """An inspection finding, handled, is verified on site (R13.17): passed closes it (R11.8:
        "verified where that applies"), failed reopens it with what remains. A customer's ticket
        is closed by the follow-up call instead (R11.1)."""
        self._require({TicketStatus.resolved}, "verify")
        if has_customer(self.channel):
            raise RuleError(
                "ticket_id",
                "only an inspection finding is verified on site; a customer's ticket is closed "
                "by the follow-up call (R11.1)",
            )
        self._emit(
            self.VerifiedOnSite,
            at,
            meta,
            verified_by=verified_by,
            verified_at=verified_at,
            passed=passed,
            note=note,
        )
        if passed:
            self._emit(self.Closed, at, meta, reason="verified_on_site")
        else:
            self._reopen(at, meta, note or "")

    def reopen(self, *, at: datetime, meta: dict[str, Any], reason: str) -> None:
        self._require({TicketStatus.resolved, TicketStatus.closed}, "reopen")
        self._reopen(at, meta, reason)

    def _reopen(self, at: datetime, meta: dict[str, Any], reason: str) -> None:
        self._emit(self.Reopened, at, meta, reason=reason, reopen_count=self.reopen_count + 1)

    def cancel(
        self,
        *,
        at: datetime,
        meta: dict[str, Any],
        reason: CancelReason,
        note: str | None = None,
        duplicate_of: UUID | None = None,
    ) -> None:
        """Cancelling is for a duplicate, naming the ticket it repeats, or a withdrawal by the
        customer (docs/DOMAIN.md §6, G2); nothing else ends a ticket without its follow-up."""
        self._require(OPEN_STATUSES, "cancel")
        reason = CancelReason(reason)
        if reason is CancelReason.duplicate and duplicate_of is None:
            raise RuleError("duplicate_of", "a duplicate names the ticket it repeats")
        if reason is not CancelReason.duplicate and duplicate_of is not None:
            raise RuleError("duplicate_of", "duplicate_of is only for reason duplicate")
        if duplicate_of == self.id:
            raise RuleError("duplicate_of", "a ticket cannot be a duplicate of itself")
        self._emit(
            self.Cancelled, at, meta, reason=reason.value, note=note, duplicate_of=duplicate_of
        )

    def _emit(
        self, event_class: type[Event], at: datetime, meta: dict[str, Any], **data: Any
    ) -> None:
        self.trigger_event(event_class, timestamp=at, site=self.site, **meta, **data)

    def _require(self, allowed: set[TicketStatus] | frozenset[TicketStatus], action: str) -> None:
        if self.status not in allowed:
            raise TransitionError(action, self.status, "a ticket")

    # -- state ----------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def on_ladder(self) -> bool:
        """Climbing the complaint ladder now, as escalation counts it (R6.3–R6.7): a complaint
        that is not communicative, open; resolved it stops, reopened it climbs again."""
        return self.ladder == "climbing" and self.is_open


def _no_open_orders(action: str, open_orders: Sequence[str]) -> None:
    """A ticket is never resolved or closed while one of its work orders is open (R8.12)."""
    if open_orders:
        status = f"waiting for its open work orders {', '.join(open_orders)} (R8.12)"
        raise TransitionError(action, status, "a ticket")


# stored before the domain became a package (issue 12)
register_topic("services.intake.domain:Ticket", Ticket)
