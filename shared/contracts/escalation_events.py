"""Escalation events (docs/DOMAIN.md §5, §3) on desk.evt.<site>.escalation.<event>, and the
notification a role receives on desk.ntf.<site>.<role>.

Every event names the ticket (`ticket_id`, `ticket_no`), but an emergency event's (`incident_*`,
R16.5), which name the incident. A clock is identified by `key`: the clock's
name, or `<name>:<order_no>` for a clock of one work order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal, get_args
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints

from shared.contracts.base import Contract
from shared.contracts.envelope import Envelope
from shared.kernel.incidents import IncidentKind
from shared.kernel.maintenance import NoticeKind
from shared.kernel.promises import PromiseKind
from shared.kernel.vocabulary import ClockName, Department, Level, Role
from shared.kernel.zones import ZoneName, ZonesAsked


class TicketRef(Contract):
    ticket_id: UUID
    ticket_no: str


class ClockRef(TicketRef):
    clock: ClockName
    key: str = Field(description="The clock's name, or <name>:<order_no> for a work order's")


class ClockStarted(ClockRef):
    """A service-level clock started (its deadline is what the desk promises)."""

    order_no: str | None
    started_at: AwareDatetime
    deadline: AwareDatetime
    warn_at: AwareDatetime
    target_seconds: float = Field(description="Counted seconds (office time where the site counts)")
    role: Role = Field(description="Who is told if it breaches")
    guessed_years: list[int] = Field(
        default_factory=list,
        description="Years the deadline counts office time across whose holidays and adjusted "
        "working days (调休) are not known (no State Council notice in the calendar, none "
        "entered by the site): the deadline is an estimate from the statutory holidays. Empty "
        "when the calendar is known or the clock counts calendar time",
    )


class ClockPaused(ClockRef):
    """Paused time does not count: waiting for the customer's consent or access, or for parts."""

    reason: Literal["customer_consent", "access", "parts"]
    note: str | None
    counted_seconds: float


class ClockResumed(ClockRef):
    """Counting again; the deadline moves by the time spent paused."""

    deadline: AwareDatetime
    warn_at: AwareDatetime
    guessed_years: list[int] = Field(
        default_factory=list,
        description="Years the deadline counts office time across whose holidays and adjusted "
        "working days (调休) are not known (no State Council notice in the calendar, none "
        "entered by the site): the deadline is an estimate from the statutory holidays. Empty "
        "when the calendar is known or the clock counts calendar time",
    )


class ClockStopped(ClockRef):
    """The stopping event happened: `met` in time, `late`, or `cancelled` (no longer applies)."""

    outcome: Literal["met", "late", "cancelled"]
    counted_seconds: float


class ClockExtended(ClockRef):
    """A clock's deadline moved later with the manager's approval (the envelope's actor; C12):
    only an inspection finding's week (R13.16)."""

    deadline: AwareDatetime
    warn_at: AwareDatetime
    previous_deadline: AwareDatetime
    target_seconds: float = Field(description="What the run may count in all, now")
    reason: str = Field(description="The special circumstances, masked")


class ClockRecounted(ClockRef):
    """A work order's clock counts another way from now on: the order's urgency was overridden
    (R7.1), and the clock counts as work of that urgency does, again from its start (its pauses
    still not counting): the deadline it would have had had the order been of that urgency from
    the first. A warning or breach already published stands."""

    counting: Literal["calendar", "site"] = Field(
        description="calendar: every second (urgent work); site: as the site counts"
    )
    deadline: AwareDatetime | None = Field(description="null while paused: set on resuming")
    warn_at: AwareDatetime | None
    previous_deadline: AwareDatetime | None = Field(description="null: it was paused")
    target_seconds: float = Field(description="What the run may count in all, now")
    counted_seconds: float | None = Field(
        description="While paused: the seconds counted, the new way; null while it runs"
    )
    guessed_years: list[int] = Field(
        default_factory=list,
        description="As on clock_started: years the new deadline counts office time across "
        "whose holidays and adjusted working days (调休) are not known",
    )


class ClockWarned(ClockRef):
    """The warning point (default 80 % of the target) passed."""

    deadline: AwareDatetime


class Notified(Contract):
    notification_id: UUID
    role: Role
    department: Department | None = Field(
        default=None,
        description="The department whose supervisor is told (R6.3, R4.12); none: site-wide",
    )


ZONE_TOLD = (
    "The zone whose CS assistant is told, on a notification to cs_assistant: the ticket's zone, "
    "or a special-care resident's (R1.3, R6.3, R11.10); none: every CS assistant of the site, "
    "and every other role"
)


class ZoneNotified(Notified):
    zone: ZoneName | None = Field(default=None, description=ZONE_TOLD)


class ClockBreached(ClockRef):
    """The target passed with the clock still running. Schema 2 added the notification's `zone`;
    a schema-1 breach reads as null."""

    SCHEMA_VERSION: ClassVar[int] = 2

    deadline: AwareDatetime
    compensation_risk: bool = Field(description="A late repair the company may pay for (R7.4)")
    notification: ZoneNotified


class LadderStarted(TicketRef):
    """A complaint entered the escalation ladder (R6.3–R6.7), with every step's due time."""

    steps: dict[Level, AwareDatetime]
    upgrade_at: AwareDatetime


class LadderChanged(TicketRef):
    """The ladder stopped (resolved, closed, cancelled), resumed (reopened), or was `left`
    (classified communicative, R5.6: never escalated)."""

    state: Literal["running", "stopped", "left"]
    reason: str


class ComplaintEscalated(TicketRef):
    """An unresolved complaint reached the next level of the ladder (R6.4–R6.6)."""

    level: Level
    due_at: AwareDatetime
    notification: Notified


class ComplaintUpgraded(TicketRef):
    """A valid complaint still unresolved after one month becomes major (R6.7, R5.1c)."""

    severity: Literal["major"]
    due_at: AwareDatetime
    notification: Notified


class MajorReported(TicketRef):
    """A major complaint reported upward (R5.4): to the project manager at once when the desk
    classifies it major (`classified`), to every level of the ladder when it is upgraded after
    a month (`upgraded`, R5.1c; quality has `complaint_upgraded`). One event per role told."""

    reason: Literal["classified", "upgraded"]
    due_at: AwareDatetime = Field(description="When it became major")
    notification: Notified


class MajorSuggested(TicketRef):
    """The customer raised the complaint again and again without result (R5.1a, 经住户多次提出):
    flagged toward major for the desk to confirm by classifying it; nothing is upgraded."""

    raised: int = Field(description="Times raised: the first contact and its linked repeats")
    due_at: AwareDatetime = Field(description="When it was raised the time that flagged it")
    notification: Notified


class FindingReferred(TicketRef):
    """A staff finding of an inspection round (员工不履职) told to its department's supervisor
    at once (R13.15b, docs/INSPECTION.md): the department of the member of staff it names, else
    of its category; none: every department supervisor of the site."""

    due_at: AwareDatetime = Field(description="When the round's finding was noted")
    notification: Notified


class ComplaintReceived(TicketRef):
    """A complaint received, told at once to the CS assistant of its zone, who holds it from
    receipt (R6.3, R1.3): reported as a complaint, or first classified or corrected into one
    that is not communicative (R5.6). Once per ticket; her acknowledgement is her receipt (签收)."""

    due_at: AwareDatetime = Field(description="When it was received as a complaint")
    notification: ZoneNotified


class NotificationAcknowledged(TicketRef):
    """A person (the envelope's actor) acknowledged a notification."""

    notification_id: UUID
    role: Role
    note: str | None


NoticeEnd = Literal[
    "resolved", "closed", "cancelled", "left_ladder",  # a ticket's (R6.3, R5.6)
    "incident_closed",  # an emergency event's (R16.5)
    "promise_kept", "promise_broken",  # a promise's (R6.15)
    # a maintenance or outage notice's: restored or done (R16.6), cancelled, explained (R7.10),
    # its restoration time revised (the alert about the time replaced, R16.6)
    "maintenance_ended", "maintenance_cancelled", "maintenance_explained", "maintenance_revised",
    # a violation case's: closed, or a measure replaced by a later measure (R14.3)
    "violation_closed", "measure_replaced",
    "shift_signed",  # a shift log's (R15.9)
    "care_visited", "care_not_needed",  # a special-care resident's (R11.10)
]  # fmt: skip
KNOWN_ENDS: tuple[str, ...] = get_args(NoticeEnd)
# The codes `why` may carry are an open set (contract §20.2): this version gives NoticeEnd's, a
# later one may add a code, and a reader takes any code of this shape — an older reporting
# lists the notice as ended and a desk shows a code it has no words for as it came — rather
# than parking the end of a notice over a word it does not know.
NoticeEndCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]


class NotificationEnded(TicketRef):
    """What a notification is about ended before anyone acknowledged it (R6.3): its ticket
    resolved, closed or cancelled, its complaint taken off the ladder (classified another kind,
    or communicative, R5.6), its incident closed, its promise kept or broken, its maintenance
    notice ended, cancelled or explained, or the restoration time it was about revised, its
    violation case closed, or the measure it was about replaced by a later one, its shift log
    signed, its special-care resident visited or no longer flagged. It is sent no more; it stays
    listed, and may still be acknowledged."""

    notification_id: UUID
    role: Role
    why: NoticeEndCode = Field(
        description="A code of an open set (a later version may add one: a reader shows a code "
        "it does not know as it came): resolved, closed, cancelled (its ticket's end), "
        "left_ladder (its complaint classified another kind, or communicative), "
        "incident_closed, promise_kept, promise_broken, maintenance_ended, "
        "maintenance_cancelled, maintenance_explained, violation_closed, shift_signed, "
        "care_visited, care_not_needed (its subject's: the DESK event that closed it), "
        "maintenance_revised (the restoration time it was about revised), measure_replaced "
        "(the violation measure it was about replaced by a later measure)",
        examples=list(KNOWN_ENDS),
    )


OCCURRED = "When it happened (the incident's occurred_at); null in schema 1"


class IncidentAlerted(Contract):
    """An emergency event opened (R16.5): a role told at once, on any hour (R10.7, R15.14).
    Schema 2 added `occurred_at`; a schema-1 alert reads as null."""

    SCHEMA_VERSION: ClassVar[int] = 2

    incident_id: UUID
    incident_no: str
    kind: IncidentKind
    place: str | None
    occurred_at: AwareDatetime | None = Field(default=None, description=OCCURRED)
    notification: Notified


class IncidentFollowUpDue(Contract):
    """An emergency event's follow-up was not recorded by its time (R16.5): a reminder.
    Schema 2 added `place` and `occurred_at`; a schema-1 reminder reads as null."""

    SCHEMA_VERSION: ClassVar[int] = 2

    incident_id: UUID
    incident_no: str
    kind: IncidentKind
    place: str | None = Field(default=None, description="The unit or area, masked, or null")
    occurred_at: AwareDatetime | None = Field(default=None, description=OCCURRED)
    due_at: AwareDatetime
    notification: Notified


class EscalationClockStartedEvent(Envelope):
    event_type: Literal["escalation.clock_started"]
    data: ClockStarted


class EscalationClockPausedEvent(Envelope):
    event_type: Literal["escalation.clock_paused"]
    data: ClockPaused


class EscalationClockResumedEvent(Envelope):
    event_type: Literal["escalation.clock_resumed"]
    data: ClockResumed


class EscalationClockStoppedEvent(Envelope):
    event_type: Literal["escalation.clock_stopped"]
    data: ClockStopped


class EscalationClockWarnedEvent(Envelope):
    event_type: Literal["escalation.clock_warned"]
    data: ClockWarned


class EscalationClockExtendedEvent(Envelope):
    event_type: Literal["escalation.clock_extended"]
    data: ClockExtended


class EscalationClockRecountedEvent(Envelope):
    event_type: Literal["escalation.clock_recounted"]
    data: ClockRecounted


class EscalationClockBreachedEvent(Envelope):
    event_type: Literal["escalation.clock_breached"]
    data: ClockBreached


class EscalationLadderStartedEvent(Envelope):
    event_type: Literal["escalation.ladder_started"]
    data: LadderStarted


class EscalationLadderChangedEvent(Envelope):
    event_type: Literal["escalation.ladder_changed"]
    data: LadderChanged


class EscalationComplaintEscalatedEvent(Envelope):
    event_type: Literal["escalation.complaint_escalated"]
    data: ComplaintEscalated


class EscalationComplaintUpgradedEvent(Envelope):
    event_type: Literal["escalation.complaint_upgraded"]
    data: ComplaintUpgraded


class EscalationMajorReportedEvent(Envelope):
    event_type: Literal["escalation.major_reported"]
    data: MajorReported


class EscalationMajorSuggestedEvent(Envelope):
    event_type: Literal["escalation.major_suggested"]
    data: MajorSuggested


class EscalationFindingReferredEvent(Envelope):
    event_type: Literal["escalation.finding_referred"]
    data: FindingReferred


class MeasureOverdue(Contract):
    """A violation case's measure passed its due date with no later measure and the case open
    (R14.3): the role that answers for the case is told (R14.4, R14.9). `ticket_id` and
    `ticket_no` are the case's id and client_ref, as its notification names them."""

    ticket_id: UUID = Field(description="The violation case's id")
    ticket_no: str = Field(description="The violation case's client_ref")
    measure: str
    due_on: str = Field(description="YYYY-MM-DD, the site's calendar")
    due_at: AwareDatetime = Field(description="The end of the due date")
    notification: Notified


# the most of what was promised a promise's notification carries (masked first, then cut)
WHAT_SHOWN = 120


class PromiseDue(Contract):
    """A promise's reminder to its owner's role before the due time, or its overdue notice to
    the supervisor after it (R6.15, R10.6, R2.6, R11.5; docs/PROMISES.md). Schema 2 added
    `kind`, `what` and `ticket_no`; a schema-1 event reads as null, as does a promise made
    before escalation kept them."""

    SCHEMA_VERSION: ClassVar[int] = 2

    promise_id: UUID
    client_ref: str
    owner: str = Field(description="The staff id (工号) who keeps it")
    due_at: AwareDatetime
    kind: PromiseKind | None = None
    what: str | None = Field(
        default=None,
        max_length=WHAT_SHOWN,
        description=f"What was promised, masked, at most {WHAT_SHOWN} characters (cut with …)",
    )
    ticket_no: str | None = Field(
        default=None, description="The ticket it was made on; null for a missed call"
    )
    notification: Notified


class EscalationPromiseReminderEvent(Envelope):
    event_type: Literal["escalation.promise_reminder"]
    data: PromiseDue


class EscalationPromiseOverdueEvent(Envelope):
    event_type: Literal["escalation.promise_overdue"]
    data: PromiseDue


class CareVisitDue(Contract):
    """A special-care resident was not visited within the site's interval (R11.10): the visiting
    role is told. `ticket_id` and `ticket_no` are the resident's id and resident_ref, as the
    notification names them; no name, phone or care reason (docs/RESIDENTS.md). Schema 2 added
    the notification's `zone`: told to cs_assistant, the zone of the units she lives in when the
    reminder goes out (R1.3), null when she has none, one with no zone, or units in two zones;
    a schema-1 reminder reads as null (site-wide)."""

    SCHEMA_VERSION: ClassVar[int] = 2

    ticket_id: UUID = Field(description="The resident's id")
    ticket_no: str = Field(description="The resident's resident_ref")
    due_at: AwareDatetime = Field(description="When the visit was due")
    notification: ZoneNotified


class EscalationCareVisitDueEvent(Envelope):
    event_type: Literal["escalation.care_visit_due"]
    data: CareVisitDue


class EscalationComplaintReceivedEvent(Envelope):
    event_type: Literal["escalation.complaint_received"]
    data: ComplaintReceived


class EscalationMeasureOverdueEvent(Envelope):
    event_type: Literal["escalation.measure_overdue"]
    data: MeasureOverdue


class MaintenanceDue(Contract):
    """A maintenance notice's clock ran out (docs/OUTAGES.md): an emergency's explanation to the
    households not recorded in time (R7.10, the CS supervisor reminded), or an outage past its
    expected restoration, neither revised nor restored (R16.6, the duty manager alerted)."""

    notice_id: UUID
    notice_no: str
    kind: NoticeKind
    due_at: AwareDatetime
    notification: Notified


class EscalationMaintenanceExplanationDueEvent(Envelope):
    event_type: Literal["escalation.maintenance_explanation_due"]
    data: MaintenanceDue


class EscalationMaintenanceRestorationOverdueEvent(Envelope):
    event_type: Literal["escalation.maintenance_restoration_overdue"]
    data: MaintenanceDue


class HandoverUnsigned(Contract):
    """A closed shift log was not signed by the incoming shift within the site's grace (R15.9):
    the CS supervisor is reminded. `ticket_id` and `ticket_no` are the shift log's id and its
    shift (its local start, 2026-12-03T08:00), as its notification names them."""

    ticket_id: UUID = Field(description="The shift log's id")
    ticket_no: str = Field(description="The shift: its local start, YYYY-MM-DDTHH:MM")
    due_at: AwareDatetime = Field(description="When the incoming shift was to sign by")
    notification: Notified


class EscalationHandoverUnsignedEvent(Envelope):
    event_type: Literal["escalation.handover_unsigned"]
    data: HandoverUnsigned


class EscalationNotificationAcknowledgedEvent(Envelope):
    event_type: Literal["escalation.notification_acknowledged"]
    data: NotificationAcknowledged


class EscalationNotificationEndedEvent(Envelope):
    event_type: Literal["escalation.notification_ended"]
    data: NotificationEnded


class EscalationIncidentAlertedEvent(Envelope):
    event_type: Literal["escalation.incident_alerted"]
    data: IncidentAlerted


class EscalationIncidentFollowUpDueEvent(Envelope):
    event_type: Literal["escalation.incident_follow_up_due"]
    data: IncidentFollowUpDue


ESCALATION_EVENTS: tuple[type[Envelope], ...] = (
    EscalationClockStartedEvent,
    EscalationClockPausedEvent,
    EscalationClockResumedEvent,
    EscalationClockStoppedEvent,
    EscalationClockWarnedEvent,
    EscalationClockBreachedEvent,
    EscalationLadderStartedEvent,
    EscalationLadderChangedEvent,
    EscalationComplaintEscalatedEvent,
    EscalationComplaintUpgradedEvent,
    EscalationNotificationAcknowledgedEvent,
    EscalationMajorReportedEvent,
    EscalationMajorSuggestedEvent,
    EscalationIncidentAlertedEvent,
    EscalationIncidentFollowUpDueEvent,
    EscalationClockExtendedEvent,
    EscalationFindingReferredEvent,
    EscalationMeasureOverdueEvent,
    EscalationPromiseReminderEvent,
    EscalationPromiseOverdueEvent,
    EscalationMaintenanceExplanationDueEvent,
    EscalationMaintenanceRestorationOverdueEvent,
    EscalationHandoverUnsignedEvent,
    EscalationCareVisitDueEvent,
    EscalationClockRecountedEvent,
    EscalationComplaintReceivedEvent,
    EscalationNotificationEndedEvent,
)
# the event's name after `escalation.` -> its data
ESCALATION_DATA: dict[str, type[Contract]] = {
    e.type_name().removeprefix("escalation."): e.data_model() for e in ESCALATION_EVENTS
}
# the decisions that notify a role
NOTIFYING = (
    EscalationClockBreachedEvent,
    EscalationComplaintEscalatedEvent,
    EscalationComplaintUpgradedEvent,
    EscalationMajorReportedEvent,
    EscalationMajorSuggestedEvent,
    EscalationIncidentAlertedEvent,
    EscalationIncidentFollowUpDueEvent,
    EscalationFindingReferredEvent,
    EscalationMeasureOverdueEvent,
    EscalationPromiseReminderEvent,
    EscalationPromiseOverdueEvent,
    EscalationMaintenanceExplanationDueEvent,
    EscalationMaintenanceRestorationOverdueEvent,
    EscalationHandoverUnsignedEvent,
    EscalationCareVisitDueEvent,
    EscalationComplaintReceivedEvent,
)
INCIDENT_NOTIFYING = (EscalationIncidentAlertedEvent, EscalationIncidentFollowUpDueEvent)
PROMISE_NOTIFYING = (EscalationPromiseReminderEvent, EscalationPromiseOverdueEvent)
MAINTENANCE_NOTIFYING = (
    EscalationMaintenanceExplanationDueEvent,
    EscalationMaintenanceRestorationOverdueEvent,
)


class IncidentSummary(Contract):
    """What an incident's notification says of it, so that whoever it wakes knows what happened,
    where and when without opening the console (R16.5)."""

    kind: IncidentKind
    place: str | None = Field(description="The unit or area, masked; null when none was given")
    occurred_at: AwareDatetime = Field(description="When it happened")


class PromiseSummary(Contract):
    """What a promise's notification says of it (R6.15): what was promised and the ticket it was
    made on; by when is the notification's `due_at`."""

    kind: PromiseKind
    what: str = Field(
        max_length=WHAT_SHOWN,
        description=f"What was promised, masked, at most {WHAT_SHOWN} characters (cut with …)",
    )
    ticket_no: str | None = Field(description="The ticket it was made on; null for a missed call")


class Notification(Contract):
    """What a role receives on desk.ntf.<site>.<role> (also kept in the stream NOTICES)."""

    notification_id: UUID
    site: str
    role: Role
    reason: Literal[
        "clock_breached",
        "complaint_escalated",
        "complaint_upgraded",
        "major_reported",
        "major_suggested",
        "incident_alerted",
        "incident_follow_up_due",
        "finding_referred",
        "measure_overdue",  # a violation case's: `about` violation_case (R14.3)
        "promise_reminder",  # a promise's: ticket_id, ticket_no are the promise's id, client_ref
        "promise_overdue",
        "maintenance_explanation_due",  # a notice's: ticket_id, ticket_no are the notice's
        "maintenance_restoration_overdue",
        "handover_unsigned",  # a shift log's: ticket_id, ticket_no are the log's and its shift
        "care_visit_due",  # a special-care resident's: ticket_id, ticket_no are theirs (R11.10)
        "complaint_received",  # a complaint, to its zone's CS assistant at once (R6.3, R1.3)
    ]
    ticket_id: UUID = Field(description="The ticket's id; for an incident's, the incident's")
    ticket_no: str = Field(description="The ticket's number; for an incident's, the incident's")
    about: Literal[
        "ticket", "incident", "violation_case", "promise", "maintenance", "shift", "resident"
    ] = Field(
        default="ticket",
        description="What ticket_id and ticket_no name: a ticket, an incident (R16.5), a "
        "violation case (its id and client_ref, R14.3), a promise (its id and client_ref, R6.15), "
        "a maintenance notice (its id and number, R16.6), a shift's log (its id and the shift's "
        "start, R15.9) or a special-care resident (their id and resident_ref, R11.10)",
    )
    clock: ClockName | None
    level: Level | None
    due_at: datetime
    raised_at: AwareDatetime
    event_id: UUID = Field(description="The escalation event on DESK that raised it")
    department: Department | None = Field(
        default=None,
        description="The department whose supervisor is told (R6.3, R4.12); none: site-wide",
    )
    zone: ZoneName | None = Field(default=None, description=ZONE_TOLD)
    staff: str | None = Field(
        default=None, description="A promise's owner (工号), whom its reminder is for (R6.15)"
    )
    order_no: str | None = Field(
        default=None,
        description="A breach of a work order's clock (collected, on site, assessed): the order",
    )
    incident: IncidentSummary | None = Field(
        default=None,
        description="An incident's (about `incident`): its kind, place and when it happened; "
        "null on one raised before escalation published them (its escalation event's schema 1)",
    )
    promise: PromiseSummary | None = Field(
        default=None,
        description="A promise's (about `promise`): its kind, what was promised and its ticket; "
        "null on one raised before escalation published them",
    )


# what a notification's ticket_id and ticket_no name, by its reason, where not a ticket's
ABOUT: dict[str, Any] = {
    "measure_overdue": "violation_case",
    "handover_unsigned": "shift",
    "care_visit_due": "resident",
}


def notification_of(published: Envelope) -> Notification | None:
    """The notification a published escalation decision sends to its role, if it sends one:
    escalation publishes it on desk.ntf.<site>.<role>, reporting lists it (notice.list)."""
    if not isinstance(published, NOTIFYING):
        return None
    name = published.type_name().removeprefix("escalation.")
    data: Any = published.data
    if isinstance(published, PROMISE_NOTIFYING):
        return Notification(
            notification_id=data.notification.notification_id,
            site=published.site,
            role=data.notification.role,
            reason=name,
            ticket_id=data.promise_id,
            ticket_no=data.client_ref,
            about="promise",
            clock=None,
            level=None,
            due_at=data.due_at,
            raised_at=published.occurred_at,
            event_id=published.event_id,
            staff=data.owner,
            promise=_promise_summary(data),
        )
    if isinstance(published, INCIDENT_NOTIFYING + MAINTENANCE_NOTIFYING):
        incident = isinstance(published, INCIDENT_NOTIFYING)
        return Notification(
            notification_id=data.notification.notification_id,
            site=published.site,
            role=data.notification.role,
            reason=name,
            ticket_id=data.incident_id if incident else data.notice_id,
            ticket_no=data.incident_no if incident else data.notice_no,
            about="incident" if incident else "maintenance",
            clock=None,
            level=None,
            due_at=getattr(data, "due_at", published.occurred_at),
            raised_at=published.occurred_at,
            event_id=published.event_id,
            department=data.notification.department,
            incident=_incident_summary(data) if incident else None,
        )
    return Notification(
        notification_id=data.notification.notification_id,
        site=published.site,
        role=data.notification.role,
        reason=name,
        ticket_id=data.ticket_id,
        ticket_no=data.ticket_no,
        about=ABOUT.get(name, "ticket"),
        clock=getattr(data, "clock", None),
        level=getattr(data, "level", None),
        due_at=data.deadline if name == "clock_breached" else data.due_at,
        raised_at=published.occurred_at,
        event_id=published.event_id,
        department=data.notification.department,
        zone=getattr(data.notification, "zone", None),
        order_no=(data.key.partition(":")[2] or None) if name == "clock_breached" else None,
    )


def _incident_summary(data: IncidentAlerted | IncidentFollowUpDue) -> IncidentSummary | None:
    """What the incident's decision says of it, when it says it whole (schema 2)."""
    if data.occurred_at is None:
        return None
    return IncidentSummary(kind=data.kind, place=data.place, occurred_at=data.occurred_at)


def _promise_summary(data: PromiseDue) -> PromiseSummary | None:
    """What the promise's decision says of it, when it says it (schema 2, and a promise made
    since escalation keeps what was promised)."""
    if data.kind is None or data.what is None:
        return None
    return PromiseSummary(kind=data.kind, what=data.what, ticket_no=data.ticket_no)


class ListNotices(Contract):
    """A site's notifications, oldest first or newest first (notice.list): of one role, or only
    those nobody has acknowledged yet (`open`); with `count`, how many wait for someone."""

    role: Role | None = None
    department: Department | None = Field(
        default=None,
        description=(
            "Only notifications to this department and those to none (site-wide): a department "
            "supervisor's own"
        ),
    )
    zones: ZonesAsked = Field(
        default_factory=list,
        description="Only the notifications to these zones (compared without case) and those to "
        "none (site-wide): a zone CS assistant's own (R1.3, R6.3); empty: every notification",
    )
    open: bool = Field(default=False, description="Only notifications not yet acknowledged")
    ticket_no: str | None = Field(
        default=None,
        max_length=80,
        description="Only the notifications about this subject: its ticket_no (a ticket's or an "
        "incident's number, a case's or promise's ref)",
    )
    newest_first: bool = Field(
        default=False,
        description="Newest first, each next page older (a desk's latest, with the older a page "
        "away); default oldest first",
    )
    count: bool = Field(
        default=False,
        description="Also answer `waiting`: how many of the notifications the filters choose "
        "(role, department, zones, ticket_no; not open, limit or cursor) nobody has acknowledged "
        "and whose subject did not end first — all of them, not one page's",
    )
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=200)


class NoticeEnded(Contract):
    """What a notification is about ended before anyone acknowledged it (`notification_ended`)."""

    why: NoticeEndCode = Field(
        description="A code of escalation.notification_ended's open set", examples=list(KNOWN_ENDS)
    )
    at: AwareDatetime = Field(description="When it ended (the event's occurred_at)")


class NoticeEntry(Notification):
    """A notification as reporting lists it, with its acknowledgement, and its end (absent
    while what it is about goes on)."""

    acknowledged_at: datetime | None
    acknowledged_by: str | None
    note: str | None
    ended: NoticeEnded | None = None
