"""The visits a special-care resident is owed (R11.10; docs/RESIDENTS.md): from the day the
resident is flagged, and again from each visit as made, a visit is due within the site's
interval (`residents.care_visit_days`); when it passes with no visit, the site's visiting role
(`residents.care_visit_role`, default the zone's CS assistant) is told, once per wait. Only the
flag set and a visit move the wait (a reminder sent does not end it: the resident is still owed
the visit); the flag cleared ends it. No I/O, no wall clock. It stands beside `CaseDeadlines`
as a board of its own; its notice names the resident by id and `resident_ref` (`ticket_id`,
`ticket_no`), and, told to `cs_assistant`, her zone (R1.3): the zone she lives in as the board
last heard (`ZoneNoted`, domain/homes.py `zone_of_home`) when the reminder goes out — a move
during a wait moves its reminder to the new zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.escalation.domain.board_event import BoardEvent
from services.escalation.domain.ids import SYSTEM
from services.escalation.domain.notice import Notice
from services.escalation.domain.system_board import WaitingBoard
from services.escalation.domain.told import forget, owe
from shared.kernel.zones import zone_told

CARE_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/escalation/care-visits")


def care_board_id_for(resident_id: UUID) -> UUID:
    return uuid5(CARE_NS, str(resident_id))


class CareVisits(WaitingBoard):
    class Event(BoardEvent):
        pass

    class Opened(Event, Aggregate.Created):
        resident_id: UUID
        resident_ref: str

    class VisitDue(Event):
        key: str  # visit:<n>, the n-th wait
        since: datetime  # when the wait began: flagged, or the visit made
        due_at: datetime
        role: str

        class_version = 2  # v1 began each wait when recorded: at its timestamp

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["since"] = state["timestamp"]

        def apply(self, board: CareVisits) -> None:
            board.waiting = {"key": self.key, "due_at": self.due_at, "role": self.role}
            board.since = self.since
            board.count += 1

    class WaitEnded(Event):
        key: str
        reason: str  # visited | not_needed

        def apply(self, board: CareVisits) -> None:
            board.waiting = None
            if self.reason == "not_needed":  # the flag cleared: no visit owed any more
                board.since = None

    class ZoneNoted(Event):
        zone: str | None  # where she lives now (homes.py `zone_of_home`); None: site-wide

        def apply(self, board: CareVisits) -> None:
            board.zone = self.zone

    class VisitOverdue(Event):
        resident_id: UUID
        resident_ref: str
        key: str
        due_at: datetime
        notice_id: UUID
        role: str
        zone: str | None  # whose CS assistant is told (R1.3); None: every one of the site

        class_version = 2  # v1, stored before residents had zones, told every CS assistant

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["zone"] = None

        def apply(self, board: CareVisits) -> None:
            board.waiting = None
            owe(board, self.notice_id)

    class NoticesSettled(Event):
        """Its notices acknowledged or ended (domain/told.py): owed no more."""

        notification_ids: list[UUID]

        def apply(self, board: CareVisits) -> None:
            forget(board, self.notification_ids)

    def __init__(self, *, site: str, resident_id: UUID, resident_ref: str, actor: str,
                 correlation_id: str, causation_id: str | None) -> None:  # fmt: skip
        del actor, causation_id
        self.site, self.correlation_id = site, correlation_id
        self.ticket_id, self.ticket_no = resident_id, resident_ref  # what a Notice names
        self.waiting: dict[str, Any] | None = None
        # when the wait for the next visit began, reminded or not; None: not flagged
        self.since: datetime | None = None
        self.count = 0
        self.zone: str | None = None  # the zone she lives in; None: not one known, site-wide
        self.owed: dict[UUID, str] = {}  # its notices still owed (told.py)

    @classmethod
    def open(cls, *, site: str, resident_id: UUID, resident_ref: str, at: datetime,
             correlation_id: str, causation_id: str | None) -> CareVisits:  # fmt: skip
        return cls._create(
            cls.Opened, id=care_board_id_for(resident_id), timestamp=at, site=site,
            resident_id=resident_id, resident_ref=resident_ref, actor=SYSTEM,
            correlation_id=correlation_id, causation_id=causation_id,
        )  # fmt: skip

    def visit_due(self, *, since: datetime, due_at: datetime, role: str, at: datetime,
                  causation_id: str | None) -> None:  # fmt: skip
        """Wait, from `since`, for the next visit by `due_at` (a visit ends the wait before it)."""
        self.end_wait("visited", at, causation_id)
        self._record(self.VisitDue, at, causation_id, key=f"visit:{self.count + 1}",
                     since=since, due_at=due_at, role=role)  # fmt: skip

    def not_needed(self, at: datetime, causation_id: str | None) -> None:
        """The flag cleared: no visit is owed, whether or not the last wait's reminder went out
        (a resident flagged again waits afresh)."""
        if self.since is not None:
            self._record(self.WaitEnded, at, causation_id, key=f"visit:{self.count}",
                         reason="not_needed")  # fmt: skip

    def note_zone(self, zone: str | None, at: datetime, causation_id: str | None) -> bool:
        """She lives in `zone` now (moved, or her unit's zone corrected); whether it changed."""
        if zone == self.zone:
            return False
        self._record(self.ZoneNoted, at, causation_id, zone=zone)
        return True

    def decide(self, now: datetime) -> list[Notice]:
        """The interval passed with no visit: tell the visiting role, once."""
        waiting = self.waiting
        if waiting is None or waiting["due_at"] > now:
            return []
        role = waiting["role"]
        notice = Notice.raise_for(self, waiting["key"], role, now)  # type: ignore[arg-type]
        zone = zone_told(role, self.zone)  # as a ticket's (due.py)
        self._record(
            self.VisitOverdue, now, None, resident_id=self.ticket_id, resident_ref=self.ticket_no,
            key=waiting["key"], due_at=waiting["due_at"], notice_id=notice.id, role=role,
            zone=zone,
        )  # fmt: skip
        return [notice]
