"""Intake's log of looks at the resident file (R15.2, R15.3): each `resident.lookup` — who looked,
in which role, by phone or by unit, and which residents it showed. One log per site and local
month, like the access log of refused reveals; never published. The phone asked for is not kept:
what a look showed is named by the residents' ids."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

CALLER_LOG_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/caller-log")


class CallerLog(Aggregate):
    class Opened(Aggregate.Created):
        site: str
        month: str

    class Looked(Aggregate.Event):
        staff_id: str
        role: str | None
        by: str  # phone | unit
        unit_ref: str | None
        found: list[UUID]
        refused: str | None  # why the look was refused (nothing shown)
        correlation_id: str

    def __init__(self, *, site: str, month: str) -> None:
        self.site, self.month = site, month

    @staticmethod
    def id_for(site: str, month: str) -> UUID:
        return uuid5(CALLER_LOG_NS, f"{site}/{month}")

    @classmethod
    def looked(cls, log: CallerLog | None, *, site: str, month: str, at: datetime,
               **look: Any) -> CallerLog:  # fmt: skip
        """Record a look in the site-month's log (`log`, or a new one)."""
        if log is None:
            log = cls._create(cls.Opened, id=cls.id_for(site, month), timestamp=at, site=site,
                              month=month)  # fmt: skip
        log.trigger_event(cls.Looked, timestamp=at, **look)
        return log


def looks(events: Iterable[Any]) -> list[dict[str, Any]]:
    """The looks among a log's stored events, oldest first."""
    fields = ("staff_id", "role", "by", "unit_ref", "found", "refused", "correlation_id")
    return [
        {"at": e.timestamp} | {f: getattr(e, f) for f in fields}
        for e in events
        if isinstance(e, CallerLog.Looked)
    ]
