"""The desk recognises a caller (R16.2, R11.10; docs/RESIDENTS.md): `resident.lookup` finds the
residents with a phone (through the blind index, contact_index.py), living in a unit, or by their
file number, with their units, their special-care flag, visits and next visit due, and their open
tickets (reported from any of their phones). Every look at the file, this one or the care roll's
(care_roll.py), is recorded in the site's caller log (`FileLook`, domain/caller_log.py, R15.2).
A contact reported from a special-care resident's phone marks its ticket (residents.py
`mark_special_care`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from services.intake.application.residents import phones_short, unit_of_site
from services.intake.application.ticket_search import _found
from services.intake.domain.caller_log import CallerLog
from services.intake.domain.resident import Resident, Unit, resident_id_for
from shared.contracts.care_roll import ListCareRoll
from shared.contracts.queue_queries import FoundTicket
from shared.contracts.resident_commands import (
    CallerReply,
    CareVisit,
    KnownResident,
    LookupCaller,
    UnitOf,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.personal.search_terms import PHONE, phone_term
from shared.kernel.staff import PERMISSIONS
from shared.kernel.vocabulary import TicketStatus
from shared.messaging.errors import DeskError

if TYPE_CHECKING:
    from services.intake.application import IntakeApp
    from services.intake.application.contact_index import ContactIndex

ENDED = {TicketStatus.closed.value, TicketStatus.cancelled.value}
OPEN_LIMIT = 50  # the open tickets shown per resident, newest first
VISITS_SHOWN = 12  # a special-care resident's visits, newest first: a year's at the default


def lookup_caller(app: IntakeApp, index: ContactIndex, site: str, query: LookupCaller,
                  correlation_id: str) -> dict[str, Any]:  # fmt: skip
    """The reply, and the look recorded (in the writer's turn: the caller holds it)."""
    look = FileLook(app, site, query, query.by, correlation_id, query.unit_ref)
    look.allowed()
    if query.phone is not None:
        ids = index.find_residents(site, phone_term(query.phone))
    elif query.unit_ref is not None:
        ids = list(unit_of_site(app, site, query.unit_ref).residents)
    else:
        ids = [resident_id_for(site, query.resident_ref or "")]
    residents = [r for r in (app.get(i, Resident) for i in ids) if r is not None and r.site == site]
    known = [_known(app, index, site, r) for r in residents]
    look.showed([r.id for r in residents])
    return CallerReply(residents=known).model_dump(mode="json")


@dataclass(frozen=True, slots=True)
class FileLook:
    """One look at the resident file (`resident.lookup`, `resident.care_roll`), recorded in the
    site's caller log, allowed or refused (R15.2, R15.3)."""

    app: IntakeApp
    site: str
    query: LookupCaller | ListCareRoll  # who asks: its staff_id
    by: str  # phone | unit | ref | care_roll
    correlation_id: str
    unit_ref: str | None = None

    def allowed(self) -> None:
        """Only a role of `resident.file` may look; a refused look is recorded too (R15.3)."""
        ctx = CommandContext(self.site, self.correlation_id)
        try:
            self.app.require(ctx, self.query, PERMISSIONS["resident.file"])  # type: ignore[arg-type]
        except DeskError as refused:
            self._record([], refused.message)
            raise

    def showed(self, found: list[UUID]) -> None:
        self._record(found, None)

    def _record(self, found: list[UUID], refused: str | None) -> None:
        app, site = self.app, self.site
        now = app.clock.now()
        month = now.astimezone(app.site_config(site).zone).strftime("%Y-%m")
        staff_id = self.query.staff_id
        member = app.site_config(site).staff.get(staff_id)
        log = CallerLog.looked(
            app.get(CallerLog.id_for(site, month), CallerLog), site=site, month=month, at=now,
            staff_id=staff_id, role=member.role.value if member else None, by=self.by,
            unit_ref=self.unit_ref, found=found, refused=refused,
            correlation_id=self.correlation_id,
        )  # fmt: skip
        app.save(log)


def _known(app: IntakeApp, index: ContactIndex, site: str, resident: Resident) -> KnownResident:
    d = resident.details
    units = [app.get(UUID(u), Unit) for u in resident.units]
    config = app.site_config(site)
    since = resident.visit_clock_from
    visits = sorted(resident.care_visits, key=lambda v: v["visited_at"], reverse=True)
    return KnownResident(
        resident_id=resident.id, resident_ref=resident.resident_ref, kind=d["kind"],
        name=d["name"], phones=d["phones"], household=d.get("household", []),
        special_care=d.get("special_care"), care_note=d.get("care_note"),
        phones_short=phones_short(config, resident.phones),
        units=[shown_unit(u) for u in units if u is not None],
        open_tickets=_open_tickets(app, index, site, resident.phones),
        care_visits=[CareVisit(**v) for v in visits[:VISITS_SHOWN]],
        next_visit_due=config.residents.visit_due(since) if since else None,
    )  # fmt: skip


def shown_unit(unit: Unit) -> UnitOf:
    return UnitOf(unit_ref=unit.unit_ref, place_kind=unit.place_kind, building=unit.building,
                  room=unit.room, zone=unit.zone)  # fmt: skip


def _open_tickets(app: IntakeApp, index: ContactIndex, site: str,
                  phones: list[str]) -> list[FoundTicket]:  # fmt: skip
    found: dict[UUID, FoundTicket] = {}
    for phone in phones:
        ids, _ = index.find(site, [(PHONE, phone_term(phone))], limit=OPEN_LIMIT)
        for ticket_id in ids:
            ticket = _found(app, site, ticket_id)
            if ticket is not None and ticket.status not in ENDED:
                found.setdefault(ticket_id, ticket)
    return sorted(found.values(), key=lambda t: t.received_at, reverse=True)[:OPEN_LIMIT]
