"""Intake's own audit of customer information (R15.2, R15.3): every refused attempt to see a
resident's contact details — who asked, for which ticket (or which missed call's number: a
promise, R2.6), why, and why it was refused.

A look that was allowed is the ticket's `ContactRevealed`, published without personal data; a
refused one is recorded here, one log per site and local month, and never published (the relay's
translator maps its events to nothing). Ops read it through `IntakeApp.refused_reveals`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

ACCESS_LOG_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/access-log")


class AccessLog(Aggregate):
    class Opened(Aggregate.Created):
        site: str
        month: str

    class RevealRefused(Aggregate.Event):
        staff_id: str
        role: str | None  # None: not on the site's staff list
        ticket_id: UUID | None  # None: a ticket number the site does not have
        purpose: str
        reason: str
        correlation_id: str

    class CallerRevealRefused(Aggregate.Event):
        """A refused look at a missed call's number (`promise_reveal`): as `RevealRefused`, for
        a promise instead of a ticket."""

        staff_id: str
        role: str | None
        promise_id: UUID | None  # None: a promise the site does not have
        purpose: str
        reason: str
        correlation_id: str

    def __init__(self, *, site: str, month: str) -> None:
        self.site = site
        self.month = month

    @staticmethod
    def id_for(site: str, month: str) -> UUID:
        return uuid5(ACCESS_LOG_NS, f"{site}/{month}")

    @classmethod
    def reveal_refused(
        cls, log: AccessLog | None, *, site: str, month: str, at: datetime, **attempt: Any
    ) -> AccessLog:
        """Record a refused reveal in the site-month's log (`log`, or a new one): of a promise's
        caller when the attempt names a `promise_id`, else of a ticket's reporters."""
        if log is None:
            log = cls._create(
                cls.Opened, id=cls.id_for(site, month), timestamp=at, site=site, month=month
            )
        refused = cls.CallerRevealRefused if "promise_id" in attempt else cls.RevealRefused
        log.trigger_event(refused, timestamp=at, **attempt)
        return log


# stored before the domain became a package (issue 12)
register_topic("services.intake.audit:AccessLog", AccessLog)


def refused_reveals(events: Iterable[Any]) -> list[dict[str, Any]]:
    """The refusals among a log's stored events, oldest first: each names the ticket or the
    promise it asked about (the other None)."""
    fields = ("staff_id", "role", "ticket_id", "promise_id", "purpose", "reason", "correlation_id")
    kinds = (AccessLog.RevealRefused, AccessLog.CallerRevealRefused)
    return [
        {"at": event.timestamp} | {f: getattr(event, f, None) for f in fields}
        for event in events
        if isinstance(event, kinds)
    ]
