"""The desk's shift log (交接班记录, R15.9–R15.12; docs/SHIFTS.md): one per site and shift. During
the shift the desk writes what the next shift must know (important notices, unresolved matters,
abnormal events: R15.10); at shift change the outgoing shift closes it with its pending items
(its open tickets: R15.12); the incoming shift, the night operations duty included (R15.11),
reads and signs it (R15.9). No I/O; it changes only by triggering events.

Entries are free text, kept encrypted in intake's store and masked when published; the pending
items name tickets by number and their owners by staff id (工号), never a caller.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.shifts import ShiftStatus

SHIFT_NS = uuid5(NAMESPACE_URL, "https://propdesk.example/shift-log")
MAX_ENTRIES = 200  # a shift's log stays readable in one reply


def shift_log_id(site: str, label: str) -> UUID:
    """The log of a site's shift, named by its local start (2026-12-03T08:00)."""
    return uuid5(SHIFT_NS, f"{site}/{label}")


class ShiftLog(Aggregate):
    class Event(Aggregate.Event):
        site: str
        label: str  # the shift's local start, 2026-12-03T08:00
        actor: str
        correlation_id: str
        causation_id: str | None

    class Opened(Event, Aggregate.Created):
        starts_at: datetime
        ends_at: datetime

    class EntryWritten(Event):
        """An entry (R15.10): an important notice, an unresolved matter or an abnormal event."""

        kind: str
        text: str
        ticket_id: UUID | None
        ticket_no: str | None

        def apply(self, log: ShiftLog) -> None:
            log.entries.append(
                {"kind": self.kind, "text": self.text, "by": self.actor, "at": self.timestamp,
                 "ticket_no": self.ticket_no}
            )  # fmt: skip

    class Closed(Event):
        """Handed over (交班): the pending items listed, the incoming shift to sign by `sign_by`."""

        starts_at: datetime
        ends_at: datetime
        entries: int
        pending: list[dict[str, Any]]
        note: str | None
        sign_by: datetime

        def apply(self, log: ShiftLog) -> None:
            log.status = ShiftStatus.closed
            log.note = self.note
            log.closed_by = self.actor
            log.closed_at = self.timestamp
            log.pending = list(self.pending)
            log.sign_by = self.sign_by

    class Signed(Event):
        """Read and signed by a member of the incoming shift (接班签字, R15.9)."""

        role: str | None
        late: bool

        def apply(self, log: ShiftLog) -> None:
            log.status = ShiftStatus.signed
            log.signatures.append(
                {"by": self.actor, "role": self.role, "at": self.timestamp, "late": self.late}
            )

    def __init__(self, *, site: str, label: str, starts_at: datetime, ends_at: datetime,
                 **_: Any) -> None:  # fmt: skip
        self.site = site
        self.label = label
        self.starts_at = starts_at
        self.ends_at = ends_at
        self.status = ShiftStatus.open
        self.entries: list[dict[str, Any]] = []
        self.pending: list[dict[str, Any]] = []
        self.note: str | None = None
        self.closed_by: str | None = None
        self.closed_at: datetime | None = None
        self.sign_by: datetime | None = None
        self.signatures: list[dict[str, Any]] = []

    @classmethod
    def open(cls, *, site: str, label: str, starts_at: datetime, ends_at: datetime,
             at: datetime, meta: dict[str, Any]) -> ShiftLog:  # fmt: skip
        if starts_at > at:
            raise RuleError("shift", f"shift {label} has not started yet")
        return cls._create(
            cls.Opened,
            id=shift_log_id(site, label),
            timestamp=at,
            site=site,
            label=label,
            starts_at=starts_at,
            ends_at=ends_at,
            **meta,
        )

    def _event(self, cls: type[Event], at: datetime, meta: dict[str, Any], **data: Any) -> None:
        self.trigger_event(cls, timestamp=at, site=self.site, label=self.label, **meta, **data)

    def write(self, *, at: datetime, meta: dict[str, Any], kind: str, text: str,
              ticket_id: UUID | None = None, ticket_no: str | None = None) -> None:  # fmt: skip
        if self.status is not ShiftStatus.open:
            raise TransitionError("write in", self.status.value, "a shift log")
        if len(self.entries) >= MAX_ENTRIES:
            raise RuleError("text", f"a shift log holds at most {MAX_ENTRIES} entries")
        self._event(self.EntryWritten, at, meta, kind=kind, text=text, ticket_id=ticket_id,
                    ticket_no=ticket_no)  # fmt: skip

    def close(self, *, at: datetime, meta: dict[str, Any], pending: list[dict[str, Any]],
              note: str | None, sign_within: Any) -> None:  # fmt: skip
        """Hand over: the open tickets listed as pending items (R15.12); the incoming shift has
        `sign_within` to sign (R15.9)."""
        if self.status is not ShiftStatus.open:
            raise TransitionError("close", self.status.value, "a shift log")
        self._event(self.Closed, at, meta, starts_at=self.starts_at, ends_at=self.ends_at,
                    entries=len(self.entries), pending=pending, note=note,
                    sign_by=at + sign_within)  # fmt: skip

    def sign(self, *, at: datetime, meta: dict[str, Any], role: str | None) -> None:
        """Read and signed by the incoming shift (R15.9): each of them once, not by who closed
        it; after `sign_by` the signature is late."""
        if self.status is ShiftStatus.open:
            raise TransitionError("sign", "open", "a shift log")
        signer = meta["actor"]
        if signer == self.closed_by:
            raise RuleError("staff_id", "the incoming shift signs the handover, not who closed it")
        if any(s["by"] == signer for s in self.signatures):
            raise RuleError("staff_id", f"{signer} has signed this handover already")
        assert self.sign_by is not None
        self._event(self.Signed, at, meta, role=role, late=at > self.sign_by)

    @property
    def first_signed_at(self) -> datetime | None:
        return self.signatures[0]["at"] if self.signatures else None
