"""Where the resident and unit file's domain events become published contracts (unit.*,
resident.*, ticket.special_care; docs/contract.md §29). A name, a phone, a household member or
why a resident needs care never leave: the contracts have no field for them. A unit's occupancy
and intake's caller log are intake's own (None: not published)."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.intake.domain import Ticket
from services.intake.domain.resident import Resident, Unit
from shared.contracts import resident_events as ev
from shared.contracts.envelope import Envelope
from shared.messaging.publishing import envelope


def resident_envelope(event: object) -> Envelope | None:
    """The published envelope of a file's event; None for anything else."""
    build = _BUILDERS.get(type(event))
    if build is None:
        return None
    published, data = build(event)
    return envelope(event, published.type_name(), data, None)


def _unit(e: Any) -> ev.UnitRegistered:
    return ev.UnitRegistered(unit_ref=e.unit_ref, place_kind=e.place_kind, building=e.building,
                             room=e.room, zone=e.zone)  # fmt: skip


def _unit_registered(e: Unit.Registered) -> tuple:
    return ev.UnitRegisteredEvent, _unit(e)


def _unit_corrected(e: Unit.Corrected) -> tuple:
    return ev.UnitCorrectedEvent, _unit(e)


def _filed(e: Any) -> ev.ResidentFiled:
    return ev.ResidentFiled(resident_ref=e.resident_ref, kind=e.details["kind"],
                            special_care=e.details.get("special_care") is not None)  # fmt: skip


def _registered(e: Resident.Registered) -> tuple:
    return ev.ResidentRegisteredEvent, _filed(e)


def _corrected(e: Resident.Corrected) -> tuple:
    return ev.ResidentCorrectedEvent, _filed(e)


def _moved(e: Any) -> ev.ResidentMoved:
    return ev.ResidentMoved(resident_ref=e.resident_ref, unit_id=e.unit_id, unit_ref=e.unit_ref,
                            on=date.fromisoformat(e.on))  # fmt: skip


def _moved_in(e: Resident.MovedIn) -> tuple:
    return ev.ResidentMovedInEvent, _moved(e)


def _moved_out(e: Resident.MovedOut) -> tuple:
    return ev.ResidentMovedOutEvent, _moved(e)


def _visited(e: Resident.CareVisited) -> tuple:
    made = e.visited_at or e.timestamp  # stored before visited_at: made when recorded
    return ev.CareVisitedEvent, ev.CareVisited(resident_ref=e.resident_ref, visited_at=made)


def _special_care(e: Ticket.SpecialCareMarked) -> tuple:
    return ev.TicketSpecialCareEvent, ev.TicketSpecialCare(resident_id=e.resident_id)


_BUILDERS: dict[type, Any] = {
    Unit.Registered: _unit_registered,
    Unit.Corrected: _unit_corrected,
    Resident.Registered: _registered,
    Resident.Corrected: _corrected,
    Resident.MovedIn: _moved_in,
    Resident.MovedOut: _moved_out,
    Resident.CareVisited: _visited,
    Ticket.SpecialCareMarked: _special_care,
}
