"""The care roll (关怀名单, R11.10; docs/RESIDENTS.md): `resident.care_roll` lists the site's
special-care residents — those on its `CareRoll` — with when each is next to be visited, the
soonest due first, so the CS assistant plans the week's visits and sees who is late before
escalation's notice does. The next visit is due when the lookup says (`ResidentConfig.visit_due`,
from the same moment), and is late once that moment is not after now, as escalation reckons it.
Each page shown is a look recorded in the caller log (callers.py `FileLook`, R15.2). A zone CS
assistant asks for her zones' residents (`zones`, R1.3): those with a unit on file in one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.intake.application.callers import FileLook, shown_unit
from services.intake.domain.care_roll import CareRoll
from services.intake.domain.resident import Resident, Unit
from shared.contracts.base import MAX_INT64
from shared.contracts.care_roll import CareRollEntry, CareRollReply, ListCareRoll
from shared.kernel.zones import in_zones
from shared.messaging.errors import invalid

if TYPE_CHECKING:
    from services.intake.application import IntakeApp

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RollOrder = tuple[int, str]  # (next visit due, in µs since the epoch; resident_ref)


def list_care_roll(app: IntakeApp, site: str, query: ListCareRoll,
                   correlation_id: str) -> dict[str, Any]:  # fmt: skip
    """One page of the roll, and the look recorded (in the writer's turn: the caller holds it)."""
    look = FileLook(app, site, query, "care_roll", correlation_id)
    look.allowed()
    after = _after(query.cursor)
    now, config = app.clock.now(), app.site_config(site).residents
    roll = app.get(CareRoll.id_for(site), CareRoll)
    due: list[tuple[RollOrder, datetime, Resident]] = []
    for resident_id in roll.residents if roll is not None else []:
        resident = app.get(resident_id, Resident)
        if resident is None or resident.visit_clock_from is None:
            continue
        if query.zones and not _lives_in(app, resident, query.zones):
            continue
        at = config.visit_due(resident.visit_clock_from)
        due.append(((_micros(at), resident.resident_ref), at, resident))
    if query.due_within_days is not None:
        horizon = now + timedelta(days=query.due_within_days)
        due = [d for d in due if d[1] <= horizon]
    due.sort(key=lambda d: d[0])
    rest = [d for d in due if after is None or d[0] > after]
    page = rest[: query.limit]
    look.showed([resident.id for _, _, resident in page])
    return CareRollReply(
        as_of=now, care_visit_days=config.care_visit_days, total=len(due),
        overdue=sum(1 for _, at, _ in due if at <= now),
        residents=[_entry(app, resident, at, now) for _, at, resident in page],
        next_cursor=_cursor(page[-1][0]) if len(rest) > len(page) else None,
    ).model_dump(mode="json")  # fmt: skip


def _entry(app: IntakeApp, resident: Resident, due: datetime, now: datetime) -> CareRollEntry:
    d = resident.details
    units = [app.get(UUID(u), Unit) for u in resident.units]
    last = max(resident.care_visits, key=lambda v: v["visited_at"], default=None)
    return CareRollEntry(
        resident_id=resident.id, resident_ref=resident.resident_ref, name=d["name"],
        units=[shown_unit(u) for u in units if u is not None],
        special_care=d["special_care"], care_note=d.get("care_note"),
        last_visited_at=last["visited_at"] if last else None,
        last_visited_by=last["staff_id"] if last else None,
        next_visit_due=due, overdue=due <= now,  # as escalation's wait: not after now
    )  # fmt: skip


def _lives_in(app: IntakeApp, resident: Resident, zones: list[str]) -> bool:
    """Whether one of the resident's units on file is in one of `zones` (R1.3)."""
    units = (app.get(UUID(u), Unit) for u in resident.units)
    return any(unit is not None and in_zones(unit.zone, zones) for unit in units)


def _micros(at: datetime) -> int:
    return (at - EPOCH) // timedelta(microseconds=1)


def _cursor(key: RollOrder) -> str:
    """Where the next page starts: after this resident in the roll's order (so a visit recorded
    between two pages moves its resident later without the next page skipping anyone)."""
    return f"{key[0]}~{key[1]}"


def _after(cursor: str | None) -> RollOrder | None:
    if cursor is None:
        return None
    micros, sep, ref = cursor.partition("~")
    if not (sep and ref and micros.isascii() and micros.isdigit()) or int(micros) > MAX_INT64:
        raise invalid("cursor is not one this service gave out", "cursor")
    return int(micros), ref
