"""The resident and unit file (R16.2–R16.4, R11.10, R1.6; docs/RESIDENTS.md): one handler per
command, load → change → save. The site's choices (phones required and advised, the special-care
visit interval) are its `residents` configuration (shared/kernel/residents.py)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from services.intake.application.times import not_in_future
from services.intake.domain.care_roll import CareRoll
from services.intake.domain.households import Households
from services.intake.domain.resident import Resident, Unit, resident_id_for, unit_id_for
from shared.contracts.resident_commands import (
    CorrectResident,
    CorrectUnit,
    MoveResident,
    RecordCareVisit,
    RegisterResident,
    RegisterUnit,
    ResidentDetails,
    ResidentReply,
    UnitReply,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.personal.search_terms import phone_term
from shared.kernel.sites import SiteConfig
from shared.kernel.staff import PERMISSIONS
from shared.messaging.errors import as_reply, conflict, invalid, not_found

if TYPE_CHECKING:
    from services.intake.application import IntakeApp

Result = tuple[BaseModel, list[Any]]


def phones_short(site: SiteConfig, phones: list[str]) -> bool:
    return len(phones) < site.residents.recommended_phones  # R16.3: at least two advised


def resident_reply(site: SiteConfig, resident: Resident) -> ResidentReply:
    return ResidentReply(
        resident_id=resident.id,
        resident_ref=resident.resident_ref,
        unit_refs=sorted(resident.units.values()),
        special_care=resident.special_care is not None,
        phones_short=phones_short(site, resident.phones),
        version=resident.version,
    )


def _unit_reply(unit: Unit) -> UnitReply:
    return UnitReply(unit_id=unit.id, unit_ref=unit.unit_ref, version=unit.version)


def _today(app: IntakeApp, site: str, given: date | None) -> str:
    today = app.clock.now().astimezone(app.site_config(site).zone).date()
    if given is not None and given > today:
        raise invalid("must not lie in the future", "on")
    return (given or today).isoformat()


def unit_of_site(app: IntakeApp, site: str, unit_ref: str) -> Unit:
    unit = app.get(unit_id_for(site, unit_ref), Unit)
    if unit is None or unit.site != site:
        raise not_found(f"unit {unit_ref}")
    return unit


def resident_of_site(app: IntakeApp, site: str, resident_ref: str) -> Resident:
    resident = app.get(resident_id_for(site, resident_ref), Resident)
    if resident is None or resident.site != site:
        raise not_found(f"resident {resident_ref}")
    return resident


def _place(cmd: RegisterUnit) -> dict[str, Any]:
    return {"place_kind": cmd.place_kind.value, "building": cmd.building, "room": cmd.room,
            "zone": cmd.zone}  # fmt: skip


def register_unit(app: IntakeApp, ctx: CommandContext, cmd: RegisterUnit) -> Result:
    app.require(ctx, cmd, PERMISSIONS["resident.file"])
    if app.get(unit_id_for(ctx.site, cmd.unit_ref), Unit) is not None:
        raise conflict(f"unit {cmd.unit_ref} is registered already: correct it with unit_correct")
    unit = Unit.register(at=app.clock.now(), site=ctx.site, unit_ref=cmd.unit_ref, **_place(cmd),
                         **ctx.meta(cmd))  # fmt: skip
    return _unit_reply(unit), [unit, *_households(app, unit)]


def correct_unit(app: IntakeApp, ctx: CommandContext, cmd: CorrectUnit) -> Result:
    app.require(ctx, cmd, PERMISSIONS["resident.file"])
    unit = unit_of_site(app, ctx.site, cmd.unit_ref)
    changed = unit.correct(at=app.clock.now(), meta=ctx.meta(cmd), **_place(cmd))
    return _unit_reply(unit), [unit, *_households(app, unit)] if changed else []


def _details(app: IntakeApp, ctx: CommandContext, cmd: ResidentDetails) -> dict[str, Any]:
    required = app.site_config(ctx.site).residents.required_phones
    if len(cmd.phones) < required:
        raise invalid(f"site {ctx.site} requires at least {required} phone numbers (R16.3)",
                      "phones")  # fmt: skip
    if cmd.care_note is not None and cmd.special_care is None:
        raise invalid("a care_note needs special_care", "care_note")
    details = cmd.model_dump(mode="json", include={"kind", "name", "phones", "household",
                                                   "special_care", "care_note"})  # fmt: skip
    return details


def register_resident(app: IntakeApp, ctx: CommandContext, cmd: RegisterResident) -> Result:
    app.require(ctx, cmd, PERMISSIONS["resident.file"])
    if app.get(resident_id_for(ctx.site, cmd.resident_ref), Resident) is not None:
        raise conflict(f"resident {cmd.resident_ref} is registered already: "
                       "correct the file with resident_correct")  # fmt: skip
    details = _details(app, ctx, cmd)
    unit = unit_of_site(app, ctx.site, cmd.unit_ref) if cmd.unit_ref else None
    on = _today(app, ctx.site, cmd.moved_in_on)
    now, meta = app.clock.now(), ctx.meta(cmd)
    resident = Resident.register(at=now, site=ctx.site, resident_ref=cmd.resident_ref,
                                 details=details, meta=meta)  # fmt: skip
    if unit is not None:
        resident.move_in(unit, on=on, at=now, meta=meta)
    site = app.site_config(ctx.site)
    return resident_reply(site, resident), [
        resident,
        *([unit, *_households(app, unit)] if unit else []),
        *_roll(app, resident),
    ]


def correct_resident(app: IntakeApp, ctx: CommandContext, cmd: CorrectResident) -> Result:
    app.require(ctx, cmd, PERMISSIONS["resident.file"])
    resident = resident_of_site(app, ctx.site, cmd.resident_ref)
    details = _details(app, ctx, cmd)
    changed = resident.correct(at=app.clock.now(), meta=ctx.meta(cmd), details=details)
    saved = [resident, *_roll(app, resident)] if changed else []
    return resident_reply(app.site_config(ctx.site), resident), saved


def move_resident(app: IntakeApp, ctx: CommandContext, cmd: MoveResident) -> Result:
    app.require(ctx, cmd, PERMISSIONS["resident.file"])
    resident = resident_of_site(app, ctx.site, cmd.resident_ref)
    unit = unit_of_site(app, ctx.site, cmd.unit_ref)
    on, now, meta = _today(app, ctx.site, cmd.on), app.clock.now(), ctx.meta(cmd)
    with as_reply():
        if cmd.move == "in":
            resident.move_in(unit, on=on, at=now, meta=meta)
        else:
            resident.move_out(unit, on=on, at=now, meta=meta)
    saved = [resident, unit, *_households(app, unit)]
    return resident_reply(app.site_config(ctx.site), resident), saved


def record_visit(app: IntakeApp, ctx: CommandContext, cmd: RecordCareVisit) -> Result:
    app.require(ctx, cmd, PERMISSIONS["resident.file"])
    resident = resident_of_site(app, ctx.site, cmd.resident_ref)
    now = app.clock.now()
    visited_at = not_in_future(cmd.visited_at, now, "visited_at")
    with as_reply():
        resident.visit(at=now, meta=ctx.meta(cmd), note=cmd.note, visited_at=visited_at)
    return resident_reply(app.site_config(ctx.site), resident), [resident]


def _roll(app: IntakeApp, resident: Resident) -> list[CareRoll]:
    """The site's care roll, if the resident's file changed who is on it."""
    roll = app.get(CareRoll.id_for(resident.site), CareRoll)
    if roll is None and resident.special_care is None:
        return []
    roll = roll or CareRoll.start(resident.site, app.clock.now())
    changed = roll.keep(resident, app.clock.now())
    return [roll] if changed else []


def _households(app: IntakeApp, unit: Unit) -> list[Households]:
    """The site's households, if the unit's change changed what they count (R11.6)."""
    roll = app.get(Households.id_for(unit.site), Households)
    if roll is None and unit.place_kind != "room":
        return []
    roll = roll or Households.start(unit.site, app.clock.now())
    return [roll] if roll.keep(unit, app.clock.now()) else []


def mark_special_care(app: IntakeApp, ticket: Any, meta: dict[str, Any]) -> None:
    """A contact from the phone of a resident on the site's care roll marks its ticket (R11.10)."""
    phone = (ticket.reporters[-1] if ticket.reporters else {}).get("phone")
    roll = app.get(CareRoll.id_for(ticket.site), CareRoll) if phone else None
    if roll is None:
        return
    term = phone_term(phone)
    for resident_id in roll.residents:
        resident = app.get(resident_id, Resident)
        if resident is not None and term in {phone_term(p) for p in resident.phones}:
            ticket.mark_special_care(at=app.clock.now(), meta=meta, resident_id=resident_id)
            return


HANDLERS = {
    RegisterUnit: register_unit,
    CorrectUnit: correct_unit,
    RegisterResident: register_resident,
    CorrectResident: correct_resident,
    MoveResident: move_resident,
    RecordCareVisit: record_visit,
}
