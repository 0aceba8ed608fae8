"""The ticket (docs/DOMAIN.md §2, §3, §6). No I/O; it changes only by triggering events: what it
records is in ticket_events.py, the checks that end it in closure.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from services.intake.domain import closure, ticket_events
from services.intake.domain.classification import (
    check_classification,
    drop_what_no_longer_applies,
    ladder_after,
)
from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.sla import climbs_ladder
from shared.kernel.vocabulary import OPEN_STATUSES, CancelReason, Kind, TicketStatus

TICKET_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/ticket")


def ticket_id_for(site: str, client_ref: str) -> UUID:
    """Deterministic id: the same client_ref at the same site is the same ticket."""
    return uuid5(TICKET_NS, f"{site}/{client_ref}")


class Ticket(Aggregate):
    """One contact's ticket. The reporter's name and phone live here and nowhere else."""

    # Named here, each event is redefined as Ticket.<Name> of this module: its stored topic.
    Reported = ticket_events.Reported
    Classified = ticket_events.Classified
    ContactLinked = ticket_events.ContactLinked
    ContactRevealed = ticket_events.ContactRevealed
    Replied = ticket_events.Replied
    SolutionAccepted = ticket_events.SolutionAccepted
    Resolved = ticket_events.Resolved
    FollowedUp = ticket_events.FollowedUp
    VerifiedOnSite = ticket_events.VerifiedOnSite
    Closed = ticket_events.Closed
    Reopened = ticket_events.Reopened
    Cancelled = ticket_events.Cancelled
    HandedOver = ticket_events.HandedOver
    SpecialCareMarked = ticket_events.SpecialCareMarked

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
        answered_by_notice: str | None = None,
        zone: str | None = None,
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
        self.answered_by_notice = answered_by_notice  # the outage notice that answered it (R16.6)
        self.zone = zone  # the reporter's unit's zone on file at report, whose assistant's (R1.3)
        self.owner = actor  # first-contact responsibility (首问负责制, R10.1)
        self.handovers: list[dict[str, Any]] = []  # explicit hand-overs of ownership (R10.1)
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
        self.special_care: UUID | None = None  # the special-care resident's (R11.10)

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

    def mark_special_care(self, *, at: datetime, meta: dict[str, Any], resident_id: UUID) -> None:
        """Mark the ticket as a special-care resident's (R11.10), once."""
        if getattr(self, "special_care", None) is None:
            self._emit(self.SpecialCareMarked, at, meta, resident_id=resident_id)

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
        """Resolved once the work is done (closure.check_resolvable)."""
        self._require(OPEN_STATUSES, "resolve")
        closure.check_resolvable(self.kind, self.validity, self.solution_accepted, open_orders)
        self._emit(self.Resolved, at, meta, resolution=resolution)

    def follow_up(
        self,
        *,
        at: datetime,
        meta: dict[str, Any],
        score: int,
        comment: str | None,
        satisfied: bool | None = None,
        open_orders: Sequence[str] = (),
    ) -> None:
        """The customer's score (1–5) closes the ticket or reopens it; `satisfied`, when the
        caller states it, must agree with the score (closure.follow_up_closes)."""
        self._require({TicketStatus.resolved}, "follow up")
        closes = closure.follow_up_closes(self.channel, score, satisfied, open_orders)
        self._emit(self.FollowedUp, at, meta, satisfied=closes, score=score, comment=comment)
        if closes:
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
        "verified where that applies"), failed reopens it with what remains."""
        self._require({TicketStatus.resolved}, "verify")
        closure.check_verifiable(self.channel)
        check = {"verified_by": verified_by, "verified_at": verified_at, "passed": passed}
        self._emit(self.VerifiedOnSite, at, meta, **check, note=note)
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
        """A duplicate or a withdrawal (closure.cancel_reason, G2)."""
        self._require(OPEN_STATUSES, "cancel")
        why = closure.cancel_reason(reason, duplicate_of, self.id)
        self._emit(self.Cancelled, at, meta, reason=why.value, note=note, duplicate_of=duplicate_of)

    def hand_over(self, *, at: datetime, meta: dict[str, Any], to_staff: str, reason: str,
                  may_hand_any: bool = False) -> None:  # fmt: skip
        """Hand the ticket to another member of staff (R10.1): its owner stays answerable until
        this is recorded. Only the owner, or (`may_hand_any`) a supervisor or manager."""
        if self.status in (TicketStatus.closed, TicketStatus.cancelled):
            raise TransitionError("hand over", self.status, "a ticket")
        if meta["actor"] != self.owner and not may_hand_any:
            raise RuleError(
                "staff_id",
                f"only the ticket's owner {self.owner} or a supervisor or manager may hand it "
                "over (R10.1)",
            )
        if to_staff == self.owner:
            raise RuleError("to_staff", f"the ticket is owned by {to_staff} already")
        self._emit(self.HandedOver, at, meta, ticket_no=self.ticket_no, from_staff=self.owner,
                   to_staff=to_staff, reason=reason)  # fmt: skip

    def _emit(
        self,
        event_class: type[ticket_events.TicketEvent],
        at: datetime,
        meta: dict[str, Any],
        **data: Any,
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


# stored before the domain became a package (issue 12)
register_topic("services.intake.domain:Ticket", Ticket)
