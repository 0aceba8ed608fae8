"""Where residents live (domain/homes.py), from intake's file on DESK, so that a special-care
resident's visit reminder names her zone (R11.10, R1.3; docs/RESIDENTS.md): a unit registered
or corrected notes its zone, a move in or out the resident's units; each tells the care board of
every flagged resident it touches (domain/care_visits.py `note_zone`) where she lives now. Only
facts published on DESK are read: a rebuild from DESK reaches the same zones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.escalation.domain import Cause
from services.escalation.domain.care_visits import CareVisits, care_board_id_for
from services.escalation.domain.homes import (
    Residence,
    UnitOnFile,
    residence_id_for,
    unit_on_file_id_for,
    zone_of_home,
)
from shared.contracts import resident_events as ev
from shared.contracts.envelope import Envelope
from shared.kernel.sites import SiteConfig

if TYPE_CHECKING:
    from services.escalation.application import EscalationApp


def zone_lived_in(app: EscalationApp, resident_id: UUID, *in_hand: Any) -> str | None:
    """The zone `resident_id` lives in (homes.py `zone_of_home`), reading the residence and
    units changed in this reaction from `in_hand` (not saved yet)."""
    held = {thing.id: thing for thing in in_hand}
    home_id = residence_id_for(resident_id)
    home = held.get(home_id) or app.get(home_id, Residence)
    lived_in = home.units if home else []
    units = [held.get(unit_on_file_id_for(u)) or _unit(app, u) for u in lived_in]
    return zone_of_home(unit.zone if unit else None for unit in units)


def _unit(app: EscalationApp, unit_id: UUID) -> UnitOnFile | None:
    return app.get(unit_on_file_id_for(unit_id), UnitOnFile)


def _told(app: EscalationApp, resident_id: UUID, event: Envelope, cause: Cause,
          *in_hand: Any) -> list[Any]:  # fmt: skip
    """Her care board, if she has one, told where she lives now; [] if it knew."""
    board = app.get(care_board_id_for(resident_id), CareVisits)
    if board is None:
        return []
    zone = zone_lived_in(app, resident_id, *in_hand)
    return [board] if board.note_zone(zone, event.occurred_at, cause.causation_id) else []


def unit_filed(app: EscalationApp, event: ev.UnitRegisteredEvent | ev.UnitCorrectedEvent,
               site: SiteConfig, cause: Cause) -> list[Any]:  # fmt: skip
    """A unit's zone on file; a zone changed moves the reminders of those living there."""
    del site
    unit = _unit(app, event.aggregate_id)
    if unit is None:
        unit = UnitOnFile.file(event.aggregate_id, event.data.zone, event.occurred_at)
    elif not unit.rezone(event.data.zone, event.occurred_at):
        return []
    told = [b for r in unit.residents for b in _told(app, r, event, cause, unit)]
    return [unit, *told]


def moved(app: EscalationApp, event: ev.ResidentMovedInEvent | ev.ResidentMovedOutEvent,
          site: SiteConfig, cause: Cause) -> list[Any]:  # fmt: skip
    """A resident moved in to or out of a unit (a unit not heard of yet: no zone known)."""
    del site
    resident_id, unit_id, at = event.aggregate_id, event.data.unit_id, event.occurred_at
    home = app.get(residence_id_for(resident_id), Residence) or Residence.open(resident_id, at)
    unit = _unit(app, unit_id) or UnitOnFile.file(unit_id, None, at)
    if isinstance(event, ev.ResidentMovedInEvent):
        home.move_in(unit_id, at)
        unit.occupy(resident_id, at)
    else:
        home.move_out(unit_id, at)
        unit.vacate(resident_id, at)
    changed = [found for found in (home, unit) if found.pending_events]  # none: a repeat
    return [*changed, *_told(app, resident_id, event, cause, home, unit)] if changed else []


HOME_REACTIONS = {
    ev.UnitRegisteredEvent: unit_filed,
    ev.UnitCorrectedEvent: unit_filed,
    ev.ResidentMovedInEvent: moved,
    ev.ResidentMovedOutEvent: moved,
}
