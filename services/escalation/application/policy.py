"""The clock rules as data: which event on DESK starts, pauses, resumes and stops which clock of a
ticket, counted from when (docs/DOMAIN.md §5, §3). `TRIGGERS` says it, in the words of
services/escalation/application/clock_vocabulary.py; `run()` does it to a ticket's `TicketClocks`.
The tables of docs/SERVICE-LEVELS.md are written from `TRIGGERS`
(services/escalation/adapters/clock_doc.py), and a unit test keeps the document equal to them.
"""

from __future__ import annotations

from services.escalation.application.clock_actions import perform
from services.escalation.application.clock_vocabulary import (
    Action,
    ByScope,
    ForwardComplaint,
    From,
    Ladder,
    Moment,
    NoteDepartment,
    NoteRepeat,
    NoteUrgency,
    Pause,
    Recount,
    ReportMajor,
    Rescope,
    Resume,
    Start,
    StartLadder,
    Stop,
    Until,
    When,
    later,
    order_key,
)
from services.escalation.domain import Cause, TicketClocks
from shared.contracts import events as ticket_events
from shared.contracts import workorder_events
from shared.contracts.envelope import Envelope
from shared.kernel.inspection import FINDING_CLOCK
from shared.kernel.sites import SiteConfig
from shared.kernel.sla import climbs_ladder, repair_clocks
from shared.kernel.vocabulary import Channel, ClockName, Kind, Scope, Urgency, Validity

# -- the vocabulary of the table -----------------------------------------------------------------


def _fix_wanted(m: Moment) -> set[str]:
    return {name.value for name in repair_clocks(m.event.data.urgency, Scope.household)}


ORDER_ISSUED = ByScope(ClockName.order_issued_household, ClockName.order_issued_public)
COLLECTED = ByScope(ClockName.order_collected_household, ClockName.order_collected_public)
ON_SITE = ByScope(ClockName.on_site_household, ClockName.on_site_public)
URGENT_FIX = repair_clocks(Urgency.urgent, Scope.household)  # R7.3
GENERAL_FIX = repair_clocks(Urgency.general, Scope.household)
FIX = (*URGENT_FIX, *GENERAL_FIX)  # the repair clocks of the ticket (R7.3)
ORDER_CLOCKS = (COLLECTED, ON_SITE, ClockName.non_standard_assessed)  # each order's own

HELP = When("a help request", lambda m: m.board.kind == Kind.help)
REPAIR = When(
    "a repair with no work order yet", lambda m: m.board.kind == Kind.repair and not m.board.orders
)
CLIMBS = When(
    "a complaint, not communicative", lambda m: climbs_ladder(m.board.kind, m.board.validity)
)
NEVER_CLIMBED = When("not on the ladder before", lambda m: m.board.ladder is None)
KIND_CHANGED = When("another kind", lambda m: m.was_kind != m.board.kind)
WAS_COMPLAINT = When("was a complaint", lambda m: m.was_kind == Kind.complaint)
COMMUNICATIVE = When("communicative", lambda m: m.board.validity == Validity.communicative)
COMPLAINT = When("a complaint", lambda m: m.board.kind == Kind.complaint)
LEFT_LADDER = When(
    "its ladder was left",
    lambda m: m.board.ladder is not None and m.board.ladder["state"] == "left",
)
MAJOR = When(
    "classified major", lambda m: m.board.kind == Kind.complaint and m.board.severity == "major"
)
FINDING = When(
    "an inspection finding", lambda m: getattr(m.event.data, "channel", None) is Channel.inspection
)
NON_STANDARD = When("a non-standard order", lambda m: m.event.data.non_standard)
FIRST_FIX = When(
    "the ticket's first order not for rework",
    lambda m: (
        m.event.data.origin != "rework"
        and not m.board.clock_keys(*FIX, states=("running", "paused", "stopped"))
    ),
)
REWORK = When(
    "a rework order, no repair clock running",
    lambda m: m.event.data.origin == "rework" and not m.board.clock_keys(*FIX),
)
URGENT = When("urgent", lambda m: m.event.data.urgency is Urgency.urgent)
GENERAL = When("general", lambda m: m.event.data.urgency is not Urgency.urgent)
FIX_CHANGES = When(
    "another urgency",
    lambda m: (
        bool(running := {m.board.clocks[k]["clock"] for k in m.board.clock_keys(*FIX)})
        and running != _fix_wanted(m)
    ),
)
ORDER_NOTED = When("", lambda m: m.order is not None)  # an order issued to a ticket we know
ON_SITE_RUNS = When(
    "while waiting for arrival",
    lambda m: m.order is not None and m.board.running(order_key(ON_SITE, m.order)),
)


def _ended_in_time_or_late(name: ClockName) -> When:
    """The ticket's repair clock `name` ran and ended met or late (not cancelled)."""
    return When(
        "it ran before",
        lambda m: (
            name.value in m.board.clocks
            and m.board.clocks[name.value]["state"] == "stopped"
            and m.board.clocks[name.value]["outcome"] in ("met", "late")
        ),
    )


RECEIPT = From("receipt", lambda m: m.board.received_at)
EVENT = From("the event", lambda m: m.at)
RECEIPT_OR_APPOINTMENT = From(
    "receipt, or the order's appointment if later",
    lambda m: later(m.board.received_at, m.order["appointment_start"] if m.order else None),
)
RECEIPT_OR_FIRST_APPOINTMENT = From(
    "receipt, or the first order's appointment if later",
    lambda m: later(
        m.board.received_at,
        next(
            (o["appointment_start"] for o in m.board.orders.values() if o["appointment_start"]),
            None,
        ),
    ),
)
EVENT_OR_APPOINTMENT = From(
    "the event, or the appointment if later",
    lambda m: later(m.at, m.order["appointment_start"] if m.order else None),
)
EVENT_OR_NEW_APPOINTMENT = From(
    "the event, or the new appointment if later",
    lambda m: later(m.at, m.event.data.appointment.start),
)
WINDOW_END = Until(
    "the appointment's end if later", lambda m: m.order["appointment_end"] if m.order else None
)
NEW_WINDOW_END = Until("the new appointment's end if later", lambda m: m.event.data.appointment.end)

BY_KIND: tuple[Action, ...] = (  # what a ticket of its kind runs from receipt
    Start(ClockName.help_reply, RECEIPT, when=(HELP,)),
    Start(ORDER_ISSUED, RECEIPT, when=(REPAIR,)),
    StartLadder(when=(CLIMBS,)),
    # R6.3, R1.3: at once to the CS assistant who holds it; once, as the ladder starts once
    ForwardComplaint(when=(CLIMBS, NEVER_CLIMBED)),
    NoteDepartment(when=(COMPLAINT,)),
)


def _fix_starts(counted_from: From, *when: When, urgent_from: From = RECEIPT) -> tuple[Action, ...]:
    """The repair clocks of the order's urgency (R7.3): urgent from receipt (a rework: from its
    order), general from receipt or its appointment."""
    return (
        *(Start(name, urgent_from, when=(*when, URGENT)) for name in URGENT_FIX),
        Start(ClockName.general_fixed, counted_from, when=(*when, GENERAL)),
    )


# -- the table ---------------------------------------------------------------------------------

TRIGGERS: dict[type[Envelope], tuple[Action, ...]] = {
    # an inspection finding is resolved within a week of its round (R13.16)
    ticket_events.TicketReportedEvent: (*BY_KIND, Start(FINDING_CLOCK, RECEIPT, when=(FINDING,))),
    ticket_events.TicketClassifiedEvent: (
        Stop((ClockName.help_reply, ORDER_ISSUED), cancelled=True, when=(KIND_CHANGED,)),
        Ladder("left", "reclassified as {kind}", when=(KIND_CHANGED, WAS_COMPLAINT)),
        Ladder("left", "communicative complaint (R5.6)", when=(COMMUNICATIVE,)),
        # a correction puts it back on the ladder, counted from receipt: steps due by now are
        # taken at once, in order (R6.3–R6.7, R5.1c)
        Ladder(
            "running", "on the ladder again, from receipt", when=(CLIMBS, LEFT_LADDER), rejoin=True
        ),
        *BY_KIND,
        ReportMajor(when=(MAJOR,)),  # R5.4
    ),
    ticket_events.ContactLinkedEvent: (NoteRepeat(when=(COMPLAINT,)),),  # R5.1a
    ticket_events.TicketRepliedEvent: (Stop((ClockName.help_reply,)),),
    ticket_events.TicketResolvedEvent: (
        Stop(),
        Ladder("stopped", "resolved"),
        Start(ClockName.follow_up, EVENT),
    ),
    ticket_events.FollowUpRecordedEvent: (Stop((ClockName.follow_up,)),),
    # an inspection finding has no customer to call: its check on site takes the call's place
    # and stops the same clock (R13.17)
    ticket_events.VerifiedOnSiteEvent: (Stop((ClockName.follow_up,)),),
    ticket_events.TicketReopenedEvent: (
        Stop((ClockName.follow_up,), cancelled=True),
        Ladder("running", "reopened"),
        # the repair runs its clock again, for the rework too (R7.3, R8.9)
        *(Start(name, EVENT, when=(_ended_in_time_or_late(name),)) for name in FIX),
        # a finding that failed its check on site has a week again (R13.16, R13.17)
        Start(FINDING_CLOCK, EVENT, when=(_ended_in_time_or_late(FINDING_CLOCK),)),
    ),
    ticket_events.TicketClosedEvent: (Stop(), Ladder("stopped", "closed")),
    ticket_events.TicketCancelledEvent: (Stop(cancelled=True), Ladder("stopped", "cancelled")),
    workorder_events.WorkOrderIssuedEvent: (
        Stop((ORDER_ISSUED,)),
        Start(COLLECTED, EVENT, per_order=True),
        Start(ClockName.non_standard_assessed, EVENT, when=(NON_STANDARD,), per_order=True),
        *_fix_starts(RECEIPT_OR_APPOINTMENT, FIRST_FIX),
        # a rework runs the repair clock again (R8.9, R7.3), unless the reopening started it
        *_fix_starts(EVENT_OR_APPOINTMENT, REWORK, urgent_from=EVENT),
    ),
    workorder_events.ClassificationOverriddenEvent: (
        NoteUrgency(when=(ORDER_NOTED,)),
        Stop(FIX, cancelled=True, when=(ORDER_NOTED, FIX_CHANGES)),
        *_fix_starts(RECEIPT_OR_FIRST_APPOINTMENT, ORDER_NOTED, FIX_CHANGES),
        # a household order made public (or back) runs the other scope's collection and arrival
        # clocks from the same start: 5 and 10 minutes instead of 2 and 15 (R7.6, R7.7, R7.12,
        # R7.13)
        Rescope((COLLECTED, ON_SITE), when=(ORDER_NOTED,)),
        # the order's own clocks count as work of its new urgency counts, again from their
        # start: the deadlines the procedures give an order of that urgency (R7.1, R7.6, R7.7)
        Recount(ORDER_CLOCKS, per_order=True),
    ),
    workorder_events.WorkOrderCollectedEvent: (
        Stop((COLLECTED,), per_order=True),
        Start(ON_SITE, EVENT_OR_APPOINTMENT, per_order=True, until=WINDOW_END),  # R7.15
    ),
    workorder_events.WorkOrderRescheduledEvent: (
        Stop((ON_SITE,), cancelled=True, when=(ON_SITE_RUNS,), per_order=True),
        Start(
            ON_SITE,
            EVENT_OR_NEW_APPOINTMENT,
            when=(ON_SITE_RUNS,),
            per_order=True,
            until=NEW_WINDOW_END,
        ),
    ),
    workorder_events.TechnicianArrivedEvent: (
        Stop((ON_SITE,), per_order=True),
        Stop((ClockName.urgent_on_site,), when=(ORDER_NOTED,)),
    ),
    workorder_events.QuoteGivenEvent: (
        Stop((ClockName.non_standard_assessed,), per_order=True),
        Pause(FIX, "customer_consent", "quote given"),
        Pause((ON_SITE,), "customer_consent", "quote given", per_order=True),  # R7.14
    ),
    # only the wait for the customer's consent ends: a pause for parts or access (by command,
    # maybe before this event was read) stays until resumed by hand
    workorder_events.QuoteAcceptedEvent: (
        Resume(FIX, "customer_consent"),
        Resume((ON_SITE,), "customer_consent", per_order=True),
    ),
    workorder_events.QuoteDeclinedEvent: (
        Stop(FIX, cancelled=True),
        Stop((ON_SITE,), cancelled=True, per_order=True),
    ),
    # referred out of the repair scope (R7.11): the order ends, so neither the repair clocks
    # nor its own (collection, arrival, assessment) apply any more
    workorder_events.WorkOrderReferredEvent: (
        Stop(FIX, cancelled=True),
        Stop(ORDER_CLOCKS, cancelled=True, per_order=True),
    ),
    # an order cancelled (its ticket cancelled, or by a supervisor): its own clocks no longer apply
    workorder_events.WorkOrderCancelledEvent: (Stop(ORDER_CLOCKS, cancelled=True, per_order=True),),
    workorder_events.WorkOrderCompletedEvent: (
        Stop((ClockName.urgent_fixed, ClockName.general_fixed)),
    ),
}


# -- doing it ---------------------------------------------------------------------------------


def run(board: TicketClocks, event: Envelope, site: SiteConfig, cause: Cause,
        was_kind: str | None = None) -> None:  # fmt: skip
    """Do to `board` what `TRIGGERS` says `event` does; `was_kind`: the ticket's kind before it."""
    moment = Moment(event, board, site, cause, board.kind if was_kind is None else was_kind)
    perform(TRIGGERS.get(type(event), ()), moment)
