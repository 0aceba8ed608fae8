"""Service-level projection: each ticket's clocks, ladder and notifications, from the escalation
events on DESK. Pure functions over plain dicts, like the ticket projection."""

from __future__ import annotations

from typing import Any

from shared.contracts import escalation_events as escalation
from shared.contracts.envelope import Envelope
from shared.eventstore.views import Projector, Step
from shared.kernel.vocabulary import LADDER

SlaState = dict[str, Any]
OPEN = ("running", "paused")


def empty() -> SlaState:
    return {"clocks": {}, "ladder": None, "notifications": {}, "versions": {}}


def _clock_started(state: SlaState, ev: Any, d: dict[str, Any]) -> SlaState:
    clock = {
        "clock": d["clock"],
        "order_no": d["order_no"],
        "state": "running",
        "started_at": d["started_at"],
        "deadline": d["deadline"],
        "warn_at": d["warn_at"],
        "role": d["role"],
        "warned": False,
        "breached": False,
        "pause_reason": None,
        "counted_seconds": None,
    }
    return state | {"clocks": state["clocks"] | {d["key"]: clock}}


def _clock(change: Any) -> Any:
    """A step on a running clock (`change(d)`: the fields it sets); no clock, no change."""

    def step(state: SlaState, ev: Any, d: dict[str, Any]) -> SlaState:
        clock = state["clocks"].get(d.get("key", ""))
        if not clock:
            return state
        return state | {"clocks": state["clocks"] | {d["key"]: clock | change(d)}}

    return step


def _recounted(d: dict[str, Any]) -> dict[str, Any]:
    """Counted the new way, again from its start, its order's urgency overridden (R7.1): its new
    deadline (none while paused), and while paused what it has counted."""
    counted = {} if d["counted_seconds"] is None else {"counted_seconds": d["counted_seconds"]}
    return {"deadline": d["deadline"], "warn_at": d["warn_at"]} | counted


def _breached(state: SlaState, ev: Any, d: dict[str, Any]) -> SlaState:
    state = _clock(lambda d: {"warned": True, "breached": True})(state, ev, d)
    return _notify(state, d, "clock_breached", ev) if d.get("key", "") in state["clocks"] else state


def _ladder_started(state: SlaState, ev: Any, d: dict[str, Any]) -> SlaState:
    ladder = {
        "state": "running",
        "steps": d["steps"],
        "upgrade_at": d["upgrade_at"],
        "level": "cs_assistant",  # R6.3: the zone CS assistant holds it from receipt
        "upgraded": False,
    }
    return state | {"ladder": ladder}


def _ladder(change: Any, reason: str | None = None) -> Any:
    """A step on a started ladder (`change(d)`: the fields it sets); no ladder, no change."""

    def step(state: SlaState, ev: Any, d: dict[str, Any]) -> SlaState:
        if not state["ladder"]:
            return state
        state = state | {"ladder": state["ladder"] | change(d)}
        return _notify(state, d, reason, ev) if reason else state

    return step


def _acknowledged(state: SlaState, ev: Any, d: dict[str, Any]) -> SlaState:
    note = state["notifications"].get(d["notification_id"])
    if note is None:
        return state
    note = note | {"acknowledged_by": ev.actor, "acknowledged_at": ev.occurred_at.isoformat()}
    return state | {"notifications": state["notifications"] | {d["notification_id"]: note}}


def _ended(state: SlaState, ev: Any, d: dict[str, Any]) -> SlaState | None:
    """What a notification is about ended before anyone acknowledged it (R6.3): `ended` `{why,
    at}` on it, as notice.list says it (contract §12.5), once; no notification here (one about
    an incident, a promise, a notice), no change."""
    note = state["notifications"].get(d["notification_id"])
    if note is None or note.get("ended"):
        return None
    # as notice.list's, its time written as this entry's others are
    ended = {"why": d["why"], "at": ev.occurred_at.isoformat()}
    notes = state["notifications"] | {d["notification_id"]: note | {"ended": ended}}
    return state | {"notifications": notes}


def _notify(state: SlaState, d: dict[str, Any], reason: str, event: Envelope) -> SlaState:
    note = d["notification"]
    raised = {
        "role": note["role"],
        "department": note.get("department"),
        "reason": reason,
        "raised_at": event.occurred_at.isoformat(),
        "acknowledged_by": None,
        "acknowledged_at": None,
    }
    return state | {"notifications": state["notifications"] | {note["notification_id"]: raised}}


def _once(step: Any) -> Step:
    """The step, applied once per version of the escalation aggregate that published the event:
    an event republished after the duplicate window changes nothing (None)."""

    def once(state: SlaState | None, event: Any) -> SlaState | None:
        state = state or empty()
        source = str(event.aggregate_id)
        if event.aggregate_version <= state["versions"].get(source, 0):
            return None  # already here
        state = state | {"versions": state["versions"] | {source: event.aggregate_version}}
        return step(state, event, event.data.model_dump(mode="json"))

    return once


STEPS: dict[type[Envelope], Step] = {
    cls: _once(step)
    for cls, step in {
        escalation.EscalationClockStartedEvent: _clock_started,
        escalation.EscalationClockPausedEvent: _clock(
            lambda d: {
                "state": "paused",
                "pause_reason": d["reason"],
                "deadline": None,
                "counted_seconds": d["counted_seconds"],
            }
        ),
        escalation.EscalationClockResumedEvent: _clock(
            lambda d: {
                "state": "running",
                "pause_reason": None,
                "deadline": d["deadline"],
                "warn_at": d["warn_at"],
            }
        ),
        escalation.EscalationClockStoppedEvent: _clock(
            lambda d: {"state": d["outcome"], "counted_seconds": d["counted_seconds"]}
        ),
        # the manager's later deadline for an inspection finding (R13.16, C12)
        escalation.EscalationClockExtendedEvent: _clock(
            lambda d: {"deadline": d["deadline"], "warn_at": d["warn_at"]}
        ),
        escalation.EscalationClockRecountedEvent: _clock(_recounted),
        escalation.EscalationClockWarnedEvent: _clock(lambda d: {"warned": True}),
        escalation.EscalationClockBreachedEvent: _breached,
        escalation.EscalationLadderStartedEvent: _ladder_started,
        escalation.EscalationLadderChangedEvent: _ladder(lambda d: {"state": d["state"]}),
        escalation.EscalationComplaintEscalatedEvent: _ladder(
            lambda d: {"level": d["level"]}, "complaint_escalated"
        ),
        escalation.EscalationComplaintUpgradedEvent: _ladder(
            lambda d: {"upgraded": True}, "complaint_upgraded"
        ),
        escalation.EscalationNotificationAcknowledgedEvent: _acknowledged,
        escalation.EscalationNotificationEndedEvent: _ended,
        escalation.EscalationMajorReportedEvent: lambda state, ev, d: _notify(
            state, d, "major_reported", ev
        ),
        # R5.1a: the flag the desk sees on the ticket until it classifies the complaint
        # a staff finding told to its department's supervisor (R13.15b)
        escalation.EscalationFindingReferredEvent: lambda state, ev, d: _notify(
            state, d, "finding_referred", ev
        ),
        # a complaint told at once to its zone's CS assistant (R6.3, R1.3)
        escalation.EscalationComplaintReceivedEvent: lambda state, ev, d: _notify(
            state, d, "complaint_received", ev
        ),
        escalation.EscalationMajorSuggestedEvent: lambda state, ev, d: _notify(
            state | {"major_suggested": d["raised"]}, d, "major_suggested", ev
        ),
        # a violation case's measure overdue (R14.3): keyed by the case, whose id it carries
        escalation.EscalationMeasureOverdueEvent: lambda state, ev, d: _notify(
            state, d, "measure_overdue", ev
        ),
        # a closed shift log not signed in time (R15.9): keyed by the log, whose id it carries
        escalation.EscalationHandoverUnsignedEvent: lambda state, ev, d: _notify(
            state, d, "handover_unsigned", ev
        ),
    }.items()
}
# An emergency event's alerts and reminder (R16.5) name an incident, not a ticket: no ticket's
# service levels change (the view lists their notices, views/notices.py).
STEPS |= {
    escalation.EscalationIncidentAlertedEvent: lambda state, ev: None,
    escalation.EscalationIncidentFollowUpDueEvent: lambda state, ev: None,
    # a maintenance notice's reminder and alert (R7.10, R16.6) name the notice
    escalation.EscalationMaintenanceExplanationDueEvent: lambda state, ev: None,
    escalation.EscalationMaintenanceRestorationOverdueEvent: lambda state, ev: None,
}
# A promise's reminder and overdue notice (R6.15) likewise: the view lists their notices only.
STEPS |= {
    escalation.EscalationPromiseReminderEvent: lambda state, ev: None,
    escalation.EscalationPromiseOverdueEvent: lambda state, ev: None,
    # a special-care resident's visit due (R11.10) names a resident: listed as a notice only
    escalation.EscalationCareVisitDueEvent: lambda state, ev: None,
}
# Keyed by the ticket: one state holds the clocks, ladder and notices of every escalation
# aggregate about it.
SERVICE_LEVELS: Projector[SlaState] = Projector(STEPS, key=lambda ev: str(_about(ev.data)))


def _about(data: Any) -> Any:
    """A ticket's id; an incident's, a promise's or a maintenance notice's for their notices."""
    for field in ("ticket_id", "incident_id", "promise_id"):
        found = getattr(data, field, None)
        if found:
            return found
    return data.notice_id


def evolve_sla(state: SlaState | None, event: Envelope) -> SlaState | None:
    """The ticket's service-level state after `event`; None if already applied."""
    return SERVICE_LEVELS.evolve(state, event)


def summary(state: SlaState | None) -> dict[str, Any]:
    """What the ticket view shows: open clocks, next deadline, overdue, escalation level."""
    state = state or empty()
    clocks = state["clocks"]
    open_clocks = {k: c for k, c in clocks.items() if c["state"] in OPEN}
    upcoming = [c["deadline"] for c in open_clocks.values() if c["deadline"] and not c["breached"]]
    ladder = state["ladder"]
    if ladder and ladder["state"] == "running":
        reached = ladder["level"]
        upcoming += [due for level, due in ladder["steps"].items() if _after(level, reached)]
        if not ladder["upgraded"]:
            upcoming.append(ladder["upgrade_at"])
    return {
        "clocks": clocks,
        "open_clocks": sorted(open_clocks),
        "next_deadline": min(upcoming) if upcoming else None,
        "overdue": any(c["breached"] for c in open_clocks.values()),
        "breached": sorted(k for k, c in open_clocks.items() if c["breached"]),  # which of them
        "escalation_level": ladder["level"] if ladder else None,
        "ladder": ladder,
        "notifications": state["notifications"],
        # raised this many times without result: toward major, for the desk to confirm (R5.1a)
        "major_suggested": state.get("major_suggested"),
    }


def _after(level: str, reached: str) -> bool:
    return LADDER.index(level) > LADDER.index(reached)
