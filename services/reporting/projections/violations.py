"""Violation-case projection: each case as 《客户违例事件记录表》 shows it (R14.1–R14.8), for
violation.list and violation.get. Pure functions over plain dicts. A case whose retention ended
(violation.expired, R14.8) becomes `REMOVED`: the view deletes its row."""

from __future__ import annotations

from typing import Any

from shared.contracts import violation_events as ev
from shared.eventstore.views import Projector

CaseState = dict[str, Any]
REMOVED: CaseState = {"removed": True}


def _opened(state: CaseState | None, e: Any) -> CaseState:
    d = e.data
    return {
        "case_id": str(e.aggregate_id),
        "site": e.site,
        "client_ref": d.client_ref,
        "violation_class": d.violation_class.value,
        "category": d.category,
        "place": d.place,
        "description": d.description,
        "observed_at": d.observed_at.isoformat(),
        "opened_by": e.actor,
        "responsible": d.responsible,
        "ticket_id": str(d.ticket_id) if d.ticket_id else None,
        "finding": d.finding,
        "status": "open",
        "measures": [],
        "reclassified": [],
        "mediation": None,
        "penalty": None,
        "closed_on": None,
        "removable_on": None,
        "outcome": None,
    }


def _reclassified(state: CaseState, e: Any) -> CaseState:
    d = e.data
    entry = {"to": d.violation_class.value, "reason": d.reason, "by": e.actor,
             "at": e.occurred_at.isoformat()}  # fmt: skip
    changes = {"violation_class": d.violation_class.value, "responsible": d.responsible}
    return state | changes | {"reclassified": [*state.get("reclassified", []), entry]}


def _measure(state: CaseState, e: Any) -> CaseState:
    entry = e.data.model_dump(mode="json", exclude={"responsible"})
    entry |= {"recorded_at": e.occurred_at.isoformat(), "by": e.actor}
    return state | {"measures": [*state["measures"], entry]}


def _mediation(state: CaseState, e: Any) -> CaseState:
    return state | {"mediation": e.data.model_dump(mode="json") | {"by": e.actor}}


def _proposed(state: CaseState, e: Any) -> CaseState:
    penalty = e.data.model_dump(mode="json") | {"status": "proposed", "proposed_by": e.actor}
    return state | {"penalty": penalty}


def _signed(state: CaseState, e: Any) -> CaseState:
    penalty = (state["penalty"] or {}) | e.data.model_dump(mode="json")
    signed = {"status": "signed", "signed_by": e.actor, "signed_at": e.occurred_at.isoformat()}
    return state | {"penalty": penalty | signed}


def _closed(state: CaseState, e: Any) -> CaseState:
    d = e.data
    penalty = state["penalty"]
    if d.penalty_lapsed and penalty is not None:
        penalty = penalty | {"status": "lapsed"}  # never signed: never in force (R14.6)
    return state | {
        "status": "closed",
        "outcome": d.outcome,
        "closed_on": d.closed_on.isoformat(),
        "removable_on": d.removable_on.isoformat(),
        "penalty": penalty,
    }


def _expired(state: CaseState, e: Any) -> CaseState:
    return REMOVED


VIOLATIONS: Projector[CaseState] = Projector(
    steps={
        ev.ViolationOpenedEvent: _opened,
        ev.ViolationReclassifiedEvent: _reclassified,
        ev.MeasureRecordedEvent: _measure,
        ev.MediationRecordedEvent: _mediation,
        ev.PenaltyProposedEvent: _proposed,
        ev.PenaltySignedEvent: _signed,
        ev.ViolationClosedEvent: _closed,
        ev.ViolationExpiredEvent: _expired,
    },
    first=frozenset({ev.ViolationOpenedEvent}),
)
