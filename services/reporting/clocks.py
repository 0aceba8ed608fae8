"""Service-level projection: each ticket's clocks, ladder and notifications, from the escalation
events on DESK. Pure functions over plain dicts, like the ticket projection."""

from __future__ import annotations

from typing import Any

from shared.contracts.envelope import Envelope
from shared.kernel.vocabulary import LADDER

SlaState = dict[str, Any]
OPEN = ("running", "paused")


def is_escalation_event(event: Envelope) -> bool:
    return event.event_type.startswith("escalation.")  # type: ignore[attr-defined]


def empty() -> SlaState:
    return {"clocks": {}, "ladder": None, "notifications": {}, "versions": {}}


def evolve_sla(state: SlaState | None, event: Envelope) -> SlaState | None:
    """The ticket's service-level state after `event`; None if already applied."""
    state = state or empty()
    source = str(event.aggregate_id)
    if event.aggregate_version <= state["versions"].get(source, 0):
        return None  # republished after the duplicate window: already here
    state["versions"][source] = event.aggregate_version
    name = event.event_type.removeprefix("escalation.")  # type: ignore[attr-defined]
    d = event.data.model_dump(mode="json")  # type: ignore[attr-defined]
    clock = state["clocks"].get(d.get("key", ""))
    match name:
        case "clock_started":
            state["clocks"][d["key"]] = {
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
        case "clock_paused" if clock:
            clock.update(state="paused", pause_reason=d["reason"], deadline=None)
            clock["counted_seconds"] = d["counted_seconds"]
        case "clock_resumed" if clock:
            clock.update(state="running", pause_reason=None, deadline=d["deadline"])
            clock["warn_at"] = d["warn_at"]
        case "clock_stopped" if clock:
            clock.update(state=d["outcome"], counted_seconds=d["counted_seconds"])
        case "clock_warned" if clock:
            clock["warned"] = True
        case "clock_breached" if clock:
            clock.update(warned=True, breached=True)
            _notify(state, d, "clock_breached", event)
        case "ladder_started":
            state["ladder"] = {
                "state": "running",
                "steps": d["steps"],
                "upgrade_at": d["upgrade_at"],
                "level": "cs_assistant",  # R6.3: the zone CS assistant holds it from receipt
                "upgraded": False,
            }
        case "ladder_changed" if state["ladder"]:
            state["ladder"]["state"] = d["state"]
        case "complaint_escalated" if state["ladder"]:
            state["ladder"]["level"] = d["level"]
            _notify(state, d, "complaint_escalated", event)
        case "complaint_upgraded" if state["ladder"]:
            state["ladder"]["upgraded"] = True
            _notify(state, d, "complaint_upgraded", event)
        case "notification_acknowledged":
            note = state["notifications"].get(d["notification_id"])
            if note is not None:
                note["acknowledged_by"] = event.actor
                note["acknowledged_at"] = event.occurred_at.isoformat()
    return state


def _notify(state: SlaState, d: dict[str, Any], reason: str, event: Envelope) -> None:
    note = d["notification"]
    state["notifications"][note["notification_id"]] = {
        "role": note["role"],
        "reason": reason,
        "raised_at": event.occurred_at.isoformat(),
        "acknowledged_by": None,
        "acknowledged_at": None,
    }


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
        "escalation_level": ladder["level"] if ladder else None,
        "ladder": ladder,
        "notifications": state["notifications"],
    }


def _after(level: str, reached: str) -> bool:
    return LADDER.index(level) > LADDER.index(reached)
