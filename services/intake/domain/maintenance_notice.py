"""A maintenance or outage notice (维修通告, R7.9, R7.10, R16.6; docs/OUTAGES.md): planned
common-part work announced to the affected households the day before, emergency work explained
afterwards, an outage with its expected restoration time; and the contacts about it. No I/O; it
changes only by triggering events. Its scope is places (published), never a name."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.intake.domain.recorded_event import RecordedEvent
from shared.kernel.maintenance import NoticeStatus, building_of
from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.zones import in_zones

NOTICE_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/maintenance-notice")


def notice_id_for(site: str, client_ref: str) -> UUID:
    """The same `client_ref` at the same site is the same notice."""
    return uuid5(NOTICE_NS, f"{site}/{client_ref}")


class MaintenanceNotice(Aggregate):
    class Event(RecordedEvent):
        pass

    class Announced(Event, Aggregate.Created):
        notice_no: str
        client_ref: str
        kind: str
        planned: bool
        scope: dict[str, Any]
        categories: list[str]
        starts_at: datetime
        expected_end: datetime
        announced_at: datetime
        late: bool
        explain_by: datetime | None
        text: str

    class Revised(Event):
        """The expected end or restoration moved (S1:120)."""

        expected_end: datetime
        previous_end: datetime
        reason: str

        def apply(self, notice: MaintenanceNotice) -> None:
            notice.expected_end = self.expected_end
            notice.revisions += 1

    class Explained(Event):
        """The explanation to the households after emergency work (R7.10)."""

        explanation: str

        def apply(self, notice: MaintenanceNotice) -> None:
            notice.explanation = self.explanation

    class Ended(Event):
        outcome: str  # restored | done
        ended_at: datetime
        note: str | None

        def apply(self, notice: MaintenanceNotice) -> None:
            notice.status = NoticeStatus(self.outcome)
            notice.ended_at = self.ended_at

    class Cancelled(Event):
        reason: str

        def apply(self, notice: MaintenanceNotice) -> None:
            notice.status = NoticeStatus.cancelled

    class ContactLinked(Event):
        ticket_id: UUID
        ticket_no: str
        by: str  # auto | desk

        def apply(self, notice: MaintenanceNotice) -> None:
            notice.linked[self.ticket_id] = self.ticket_no

    class ContactUnlinked(Event):
        ticket_id: UUID
        ticket_no: str
        reason: str

        def apply(self, notice: MaintenanceNotice) -> None:
            notice.linked.pop(self.ticket_id, None)

    def __init__(self, *, site: str, notice_no: str, client_ref: str, kind: str, planned: bool,
                 scope: dict[str, Any], categories: list[str], starts_at: datetime,
                 expected_end: datetime, announced_at: datetime, late: bool,
                 explain_by: datetime | None, text: str, **_: Any) -> None:  # fmt: skip
        self.site = site
        self.notice_no = notice_no
        self.client_ref = client_ref
        self.kind = kind
        self.planned = planned
        self.scope = scope
        self.categories = categories
        self.starts_at = starts_at
        self.expected_end = expected_end
        self.announced_at = announced_at
        self.late = late
        self.explain_by = explain_by
        self.text = text
        self.status = NoticeStatus.announced
        self.revisions = 0
        self.explanation: str | None = None
        self.ended_at: datetime | None = None
        self.linked: dict[UUID, str] = {}

    @classmethod
    def announce(cls, *, notice_id: UUID, at: datetime, **fields: Any) -> MaintenanceNotice:
        if fields["expected_end"] <= fields["starts_at"]:
            raise RuleError("expected_end", "the expected end must be after the start")
        return cls._create(cls.Announced, id=notice_id, timestamp=at, **fields)

    def _event(self, cls: type[Event], at: datetime, meta: dict[str, Any], **data: Any) -> None:
        self.trigger_event(cls, timestamp=at, site=self.site, **meta, **data)

    @property
    def in_force(self) -> bool:
        return self.status is NoticeStatus.announced

    def _in_force(self, action: str) -> None:
        if not self.in_force:
            raise TransitionError(action, self.status.value, "a notice")

    def revise(self, *, at: datetime, meta: dict[str, Any], expected_end: datetime,
               reason: str) -> None:  # fmt: skip
        self._in_force("revise")
        if expected_end <= self.starts_at:
            raise RuleError("expected_end", "the expected end must be after the start")
        self._event(self.Revised, at, meta, expected_end=expected_end,
                    previous_end=self.expected_end, reason=reason)  # fmt: skip

    def explain(self, *, at: datetime, meta: dict[str, Any], explanation: str) -> None:
        """Emergency work is explained afterwards (R7.10); a planned notice was explained by
        its announcement the day before."""
        if self.explain_by is None:
            raise RuleError("explanation", "only an emergency notice is explained afterwards")
        if self.status is NoticeStatus.cancelled:
            raise TransitionError("explain", self.status.value, "a notice")
        self._event(self.Explained, at, meta, explanation=explanation)

    def end(self, *, at: datetime, meta: dict[str, Any], outcome: str, ended_at: datetime,
            note: str | None) -> None:  # fmt: skip
        self._in_force("end")
        if ended_at < self.starts_at:
            raise RuleError("ended_at", "it cannot end before it started")
        self._event(self.Ended, at, meta, outcome=outcome, ended_at=ended_at, note=note)

    def cancel(self, *, at: datetime, meta: dict[str, Any], reason: str) -> None:
        self._in_force("cancel")
        self._event(self.Cancelled, at, meta, reason=reason)

    def link(self, *, at: datetime, meta: dict[str, Any], ticket_id: UUID, ticket_no: str,
             by: str) -> bool:  # fmt: skip
        """Link a contact (once); a notice no longer in force takes no new ones."""
        if ticket_id in self.linked:
            return False
        if self.status is NoticeStatus.cancelled:
            raise TransitionError("link a contact to", self.status.value, "a notice")
        self._event(self.ContactLinked, at, meta, ticket_id=ticket_id, ticket_no=ticket_no, by=by)
        return True

    def unlink(self, *, at: datetime, meta: dict[str, Any], ticket_id: UUID,
               reason: str) -> None:  # fmt: skip
        if ticket_id not in self.linked:
            raise RuleError("ticket_id", "that ticket is not linked to this notice")
        self._event(self.ContactUnlinked, at, meta, ticket_id=ticket_id,
                    ticket_no=self.linked[ticket_id], reason=reason)  # fmt: skip

    def answers(self, *, unit: str | None, category: str | None, at: datetime,
                zone: str | None = None) -> bool:  # fmt: skip
        """The matching rule (docs/OUTAGES.md): in force and started by `at`, a category it
        answers, and a place in its scope: a unit, its building, its zone (`zone`: the unit
        file's, None when the unit is not on file or has none), or the whole site. A scope of
        zones alone matches any place whose zone is not known."""
        if not self.in_force or at < self.starts_at or category not in self.categories:
            return False
        scope = self.scope
        if scope.get("whole_site"):
            return True
        if in_zones(zone, scope.get("zones", [])):
            return True
        if not (scope.get("buildings") or scope.get("units")):
            return zone is None  # zones alone: a place in another zone is not theirs
        if unit is None:
            return False
        units = {u.strip().casefold() for u in scope.get("units", [])}
        buildings = {b.strip().casefold() for b in scope.get("buildings", [])}
        return unit.strip().casefold() in units or building_of(unit) in buildings
