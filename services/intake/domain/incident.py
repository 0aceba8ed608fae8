"""An emergency event (突发事件, R16.5, R4.10): a fire, power cut, flood, lift entrapment, medical
emergency or crime, recorded by the desk with its time, place and measures, reported upward and
followed up afterwards (docs/INCIDENTS.md). No I/O; it changes only by triggering events.

The place is a unit or an area (published, so never a name); a caller's name and phone stay on
the ticket that opened the incident, if any.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.intake.domain.month_counter import MonthCounter
from services.intake.domain.recorded_event import RecordedEvent
from shared.kernel.incidents import IncidentStatus
from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.vocabulary import Kind

if TYPE_CHECKING:
    from services.intake.domain.ticket import Ticket

INCIDENT_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/incident")
COUNTER_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/incident-counter")


def incident_id_for(site: str, client_ref: str) -> UUID:
    """The same `client_ref` at the same site is the same incident."""
    return uuid5(INCIDENT_NS, f"{site}/{client_ref}")


def incident_of_ticket(site: str, ticket_id: UUID) -> UUID:
    """The incident a help request of category A, E or F opens (one per ticket)."""
    return incident_id_for(site, f"ticket:{ticket_id}")


class Incident(Aggregate):
    class Event(RecordedEvent):
        pass

    class Opened(Event, Aggregate.Created):
        incident_no: str
        client_ref: str
        kind: str
        place: str | None
        occurred_at: datetime
        ticket_id: UUID | None
        ticket_no: str | None
        help_category: str | None

    class MeasureRecorded(Event):
        """A measure taken (处理措施), timestamped when it was taken."""

        measure: str
        taken_at: datetime

        def apply(self, incident: Incident) -> None:
            incident.measures.append({"measure": self.measure, "taken_at": self.taken_at})

    class ReportedUp(Event):
        """Reported upward (向上级报告): to whom (a role, never a name) and when."""

        to: str
        reported_at: datetime
        note: str | None

        def apply(self, incident: Incident) -> None:
            incident.reports_up.append({"to": self.to, "reported_at": self.reported_at})

    class Closed(Event):
        """Followed up afterwards (事后跟进): what was found and done; the incident is over."""

        follow_up: str
        closed_at: datetime

        def apply(self, incident: Incident) -> None:
            incident.status = IncidentStatus.closed
            incident.follow_up = self.follow_up

    def __init__(self, *, site: str, incident_no: str, client_ref: str, kind: str,
                 place: str | None, occurred_at: datetime, ticket_id: UUID | None,
                 ticket_no: str | None, help_category: str | None, **_: Any) -> None:  # fmt: skip
        self.site = site
        self.incident_no = incident_no
        self.client_ref = client_ref
        self.kind = kind
        self.place = place
        self.occurred_at = occurred_at
        self.ticket_id = ticket_id
        self.ticket_no = ticket_no
        self.help_category = help_category
        self.status = IncidentStatus.open
        self.measures: list[dict[str, Any]] = []
        self.reports_up: list[dict[str, Any]] = []
        self.follow_up: str | None = None

    @classmethod
    def open(cls, *, incident_id: UUID, at: datetime, occurred_at: datetime,
             **fields: Any) -> Incident:  # fmt: skip
        if occurred_at > at:
            raise RuleError("occurred_at", "an incident cannot have happened in the future")
        return cls._create(
            cls.Opened, id=incident_id, timestamp=at, occurred_at=occurred_at, **fields
        )

    def _event(self, cls: type[Event], at: datetime, meta: dict[str, Any], **data: Any) -> None:
        self.trigger_event(cls, timestamp=at, site=self.site, **meta, **data)

    def _still_open(self, action: str) -> None:
        if self.status is not IncidentStatus.open:
            raise TransitionError(action, self.status.value, "an incident")

    def _after_it_happened(self, when: datetime, at: datetime, field: str) -> None:
        if when < self.occurred_at:
            raise RuleError(field, f"{field} is before the incident happened")
        if when > at:
            raise RuleError(field, f"{field} lies in the future")

    def record_measure(self, *, at: datetime, meta: dict[str, Any], measure: str,
                       taken_at: datetime) -> None:  # fmt: skip
        self._still_open("record a measure on")
        self._after_it_happened(taken_at, at, "taken_at")
        self._event(self.MeasureRecorded, at, meta, measure=measure, taken_at=taken_at)

    def report_up(self, *, at: datetime, meta: dict[str, Any], to: str, reported_at: datetime,
                  note: str | None) -> None:  # fmt: skip
        self._still_open("report up")
        self._after_it_happened(reported_at, at, "reported_at")
        self._event(self.ReportedUp, at, meta, to=to, reported_at=reported_at, note=note)

    def close(self, *, at: datetime, meta: dict[str, Any], follow_up: str) -> None:
        """Closing needs the record R16.5 asks for: a measure taken, a report upward, and the
        follow-up afterwards (given here)."""
        self._still_open("close")
        if not self.measures:
            raise RuleError("measures", "record the measures taken before closing (R16.5)")
        if not self.reports_up:
            raise RuleError("reports_up", "report the incident upward before closing (R16.5)")
        self._event(self.Closed, at, meta, follow_up=follow_up, closed_at=at)


def answers_its_help_request(incident: Incident, ticket: Ticket) -> bool:
    """A closed incident answers the help request that reported it, if that is still waiting
    for its first reply (R10.2): closing records the follow-up afterwards (事后跟进, R16.5), the
    desk going back to the caller once the emergency is over (S1:128), so the caller has had
    their answer and the 5-minute reply clock has nothing left to wait for. A help request
    answered already, resolved, closed or cancelled, or reclassified as another kind, keeps what
    it has; its resolution and follow-up call (回访) stay the desk's (docs/INCIDENTS.md)."""
    return (
        incident.status is IncidentStatus.closed
        and incident.ticket_id == ticket.id
        and ticket.kind == Kind.help
        and ticket.is_open
        and ticket.reply_count == 0
    )


class IncidentCounter(MonthCounter):
    """Numbers the incidents of one site and local month: HBW-INC-202612-001."""

    namespace = COUNTER_NS

    class Started(Aggregate.Created):
        site: str
        month: str

    class Issued(Aggregate.Event):
        number: int

        def apply(self, c: IncidentCounter) -> None:
            c.last = self.number

    def next_number(self, at: datetime) -> str:
        self.trigger_event(self.Issued, timestamp=at, number=self.last + 1)
        return f"{self.site.upper()}-INC-{self.month}-{self.last:03d}"
