"""The resident and unit file (客户档案, docs/RESIDENTS.md) through the console: a caller found by
phone, unit or file number (`resident.lookup`, each look recorded by intake), the care roll
(`resident.care_roll`: the special-care residents by when each is next to be visited, R11.10),
and the forms that register or
correct a resident or a unit, or record a special-care resident's visit (R11.10), checked against
the contract's own models first — a bad form is refused here and sends nothing."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from services.console.application.forms import _local_time, _text, checked, new_client_ref
from services.console.application.ports import DeskContract
from services.console.domain.refusal import Refused
from shared.contracts.care_roll import ListCareRoll
from shared.contracts.resident_commands import (
    CorrectResident,
    CorrectUnit,
    LookupCaller,
    RecordCareVisit,
    RegisterResident,
    RegisterUnit,
)

KINDS = {"owner": "业主", "tenant": "租户", "occupant": "住户/使用人", "enterprise": "企业"}
CARE = {"elderly_alone": "独居老人", "disabled": "残疾人", "other": "其他需关怀"}
PLACES = {"room": "房间", "stairwell": "楼梯间", "roof": "天台", "lift": "电梯", "lobby": "大堂",
          "road": "道路", "parking": "停车场", "greenery": "绿化"}  # fmt: skip


async def lookup(desk: DeskContract, site: str, staff_id: str, phone: str | None,
                 unit_ref: str | None, resident_ref: str | None = None,
                 ) -> list[dict[str, Any]]:  # fmt: skip
    """The residents with this phone, living in this unit, or the one with this file number
    (intake records the look)."""
    asked = {"phone": phone, "unit_ref": unit_ref, "resident_ref": resident_ref}
    body = _checked_file(LookupCaller, asked, staff_id)
    reply = await desk.query(site, "resident.lookup", {**body, "staff_id": staff_id})
    return reply["residents"]


# the care roll's views (关怀名单): the whole roll, those due within a week and the late ones
CARE_VIEWS = {"all": ("全部", None), "week": ("7 天内到期（含已超时）", 7), "late": ("已超时", 0)}


async def care_roll(desk: DeskContract, site: str, staff_id: str, view: str,
                    cursor: str | None, zones: tuple[str, ...] = ()) -> dict[str, Any]:  # fmt: skip
    """One page of the site's special-care residents, the soonest due first, only those living
    in `zones` when given — a zone CS assistant's (R1.3) — (intake records the look, R15.2)."""
    asked = {"due_within_days": CARE_VIEWS[view][1], "cursor": cursor, "zones": list(zones)}
    body = _checked_file(ListCareRoll, asked, staff_id)
    return await desk.query(site, "resident.care_roll", {**body, "staff_id": staff_id})


def _lines(form: dict[str, str], name: str) -> list[str]:
    return [line.strip() for line in (form.get(name) or "").splitlines() if line.strip()]


def resident_body(form: dict[str, str]) -> dict[str, Any]:
    """The form: phones one a line, household members one a line as `name` or `name/relation`."""
    household = []
    for line in _lines(form, "household"):
        name, _, relation = line.partition("/")
        household.append({"name": name.strip(), "relation": relation.strip() or None})
    return {
        "resident_ref": _text(form, "resident_ref"), "kind": _text(form, "kind"),
        "name": _text(form, "name"), "phones": _lines(form, "phones"), "household": household,
        "special_care": _text(form, "special_care"), "care_note": _text(form, "care_note"),
        "unit_ref": _text(form, "unit_ref"),
    }  # fmt: skip


async def save_resident(desk: DeskContract, site: str, staff_id: str,
                        form: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    """Register (the form's `mode` is `register`) or correct the resident's whole file."""
    body = resident_body(form)
    if form.get("mode") == "correct":
        body.pop("unit_ref")
        command: type = CorrectResident
    else:
        command = RegisterResident
    body = _checked_file(command, body, staff_id)
    body.setdefault("household", [])
    if command is CorrectResident:
        body.setdefault("special_care", None)  # a correction clears what the form leaves empty
        body.setdefault("care_note", None)
    return await desk.command(site, "intake", command.verb, staff_id, body)


async def save_unit(desk: DeskContract, site: str, staff_id: str,
                    form: dict[str, str]) -> dict[str, Any]:  # fmt: skip
    command: type = CorrectUnit if form.get("mode") == "correct" else RegisterUnit
    body = {f: _text(form, f) for f in ("unit_ref", "place_kind", "building", "room", "zone")}
    body = _checked_file(command, body, staff_id)
    return await desk.command(site, "intake", command.verb, staff_id, body)


async def record_care_visit(desk: DeskContract, site: str, staff_id: str, form: dict[str, str],
                            zone: ZoneInfo) -> dict[str, Any]:  # fmt: skip
    """A special-care resident's visit (R11.10): when it was made, typed in the site's zone
    (blank: now, as intake records it), and how it went."""
    body = {"resident_ref": _text(form, "resident_ref"), "note": _text(form, "note"),
            "visited_at": _local_time(_text(form, "visited_at"), zone, "visited_at")}  # fmt: skip
    body = _checked_file(RecordCareVisit, body, staff_id)
    return await desk.command(site, "intake", RecordCareVisit.verb, staff_id, body)


async def recognised(desk: DeskContract, who: Any, phone: str) -> dict[str, Any]:
    """The intake form's context for a caller's phone: the residents it names (a look that is
    recorded), and the form filled with the first one's name, the phone and their unit."""
    form: dict[str, Any] = {"client_ref": new_client_ref(), "phone": phone}
    try:
        found = await lookup(desk, who.session.site, who.session.staff_id, phone, None)
    except Refused as refused:
        return {"form": form, "callers": [], "caller_refused": refused, "caller": phone}
    if found:
        units = found[0]["units"]
        form |= {"name": found[0]["name"], "room": units[0]["unit_ref"] if units else None}
    return {"form": form, "callers": found, "caller": phone}


def _checked_file(command: type, body: dict[str, Any], staff_id: str) -> dict[str, Any]:
    return checked(command, body, staff_id, empty=(None, [], ""))  # empty lines of a form
