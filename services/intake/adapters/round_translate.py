"""Intake's inspection rounds as published (round.planned, round.recorded): free text masked
like a ticket's content; the day books of rounds are intake's own (never published)."""

from __future__ import annotations

from typing import Any

from services.intake.domain.rounds import InspectionRound, RoundPlan
from shared.contracts.envelope import Envelope
from shared.contracts.round_events import (
    RecordedFinding,
    RoundPlanned,
    RoundPlannedEvent,
    RoundRecorded,
    RoundRecordedEvent,
)
from shared.messaging.publishing import envelope, mask


def round_envelope(event: object) -> Envelope | None:
    """The published envelope of a round's event; None for anything else."""
    if isinstance(event, RoundPlan.Event):
        data = RoundPlanned(month=event.month, revision=event.originator_version, slots=event.slots)
        return envelope(event, RoundPlannedEvent.type_name(), data, None)
    if isinstance(event, InspectionRound.Recorded):
        recorded = RoundRecorded(
            round_ref=event.round_ref,
            round_type=event.round_type,
            slot=event.slot,
            local_day=event.local_day,
            area=event.area,
            started_at=event.started_at,
            ended_at=event.ended_at,
            inspectors=event.inspectors,
            points=[_masked(p, "note") for p in event.points],
            findings=[RecordedFinding.model_validate(_finding(f)) for f in event.findings],
        )
        return envelope(event, RoundRecordedEvent.type_name(), recorded, event.ended_at)
    return None


def _finding(entry: dict[str, Any]) -> dict[str, Any]:
    return _masked(_masked(entry, "description"), "measures")


def _masked(entry: dict[str, Any], field: str) -> dict[str, Any]:
    value = entry.get(field)
    return entry if value is None else {**entry, field: mask(value) or ""}
