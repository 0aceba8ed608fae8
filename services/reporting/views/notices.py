"""The staff's notices in the ticket view: a notification escalation raises (a breach, a ladder
step, an upgrade) is written as it arrives, marked when acknowledged and when what it is about
ended first (`ended` in its notice: R6.3) (`apply_notice`), and `notice.list` pages through them
(`NoticeBoard.notices`). Their table is listed in views/ticket_tables.py."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore
from pydantic_core import to_jsonable_python

from services.reporting.views.zones import in_zones
from shared.contracts.envelope import Envelope
from shared.contracts.escalation_events import (
    EscalationNotificationAcknowledgedEvent,
    EscalationNotificationEndedEvent,
    notification_of,
)
from shared.eventstore.views import dump as _dump


class NoticeBoard:
    """Mixed into the ticket view (views/tickets.py, a shared.eventstore.views.SQLiteView)."""

    datastore: SQLiteDatastore

    def notices(
        self, site: str, *, role: str | None, unacknowledged: bool, limit: int, after_seq: int,
        department: str | None = None, ticket_no: str | None = None, zones: Sequence[str] = (),
    ) -> tuple[list[dict[str, Any]], int | None]:  # fmt: skip
        """Oldest first. Returns one page and the cursor (a stream sequence) of the next one."""
        sql = "SELECT * FROM notices WHERE site = ? AND seq > ?"
        params: list[Any] = [site, after_seq]
        if role is not None:
            sql += " AND role = ?"
            params.append(role)
        if department is not None:  # a department supervisor's own (R6.3, R4.12), and those
            # to no department: to every department's supervisors
            sql += " AND coalesce(json_extract(notice, '$.department'), ?) = ?"
            params += [department, department]
        if zones:  # a zone CS assistant's own (R1.3, R6.3), and those to no zone: to all of them
            clause, folded = in_zones("notice", zones)
            sql += f" AND (json_extract(notice, '$.zone') IS NULL OR {clause})"
            params += folded
        if ticket_no is not None:  # one subject's: an incident's page (R16.5)
            sql += " AND json_extract(notice, '$.ticket_no') = ?"
            params.append(ticket_no)
        if unacknowledged:
            sql += " AND acknowledged_at IS NULL"
        sql += " ORDER BY seq LIMIT ?"
        params.append(limit + 1)
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            rows = c.fetchall()
        page = [_entry(r) for r in rows[:limit]]
        return page, (rows[limit - 1]["seq"] if len(rows) > limit else None)


def _entry(row: Any) -> dict[str, Any]:
    """A row as notice.list answers it: its acknowledgement's and its end's times written as the
    notification's own (`raised_at`, `due_at`) and every contract model's are, by pydantic (UTC
    as `Z`); the row keeps them as first written (`+00:00`), so its checksum stays (§21)."""
    notice = json.loads(row["notice"])
    if ended := notice.get("ended"):
        notice["ended"] = ended | {"at": as_written(ended["at"])}
    acknowledged = {"acknowledged_at": as_written(row["acknowledged_at"])}
    return notice | {k: row[k] for k in ("acknowledged_by", "note")} | acknowledged


def as_written(when: str | None) -> str | None:
    """A stored ISO time as the contract's models write a time (pydantic's JSON: UTC as Z)."""
    return to_jsonable_python(datetime.fromisoformat(when)) if when else None


def apply_notice(c: SQLiteCursor, seq: int, event: Envelope) -> None:
    """A notification raised (breach, ladder step, upgrade), acknowledged, or ended: written at
    once, since no other step of a batch reads the notices."""
    note = notification_of(event)
    if note is not None:
        # a notification without an incident's or promise's summary, or a zone, is written as it
        # was before there were any: a view rebuilt today has the checksum of one built then
        # (contract §21)
        unsaid = {k for k in ("incident", "promise", "zone") if getattr(note, k) is None}
        c.execute(
            "INSERT OR IGNORE INTO notices (notification_id, site, role, seq, notice) "
            "VALUES (?, ?, ?, ?, ?)",
            (str(note.notification_id), note.site, note.role.value, seq,
             _dump(note.model_dump(mode="json", exclude=unsaid))),
        )  # fmt: skip
    elif isinstance(event, EscalationNotificationAcknowledgedEvent):
        data: Any = event.data  # type: ignore[attr-defined]
        c.execute(
            "UPDATE notices SET acknowledged_at = ?, acknowledged_by = ?, note = ? "
            "WHERE notification_id = ? AND acknowledged_at IS NULL",
            (event.occurred_at.isoformat(), event.actor, data.note, str(data.notification_id)),
        )
    elif isinstance(event, EscalationNotificationEndedEvent):
        _ended(c, event)


def _ended(c: SQLiteCursor, event: EscalationNotificationEndedEvent) -> None:
    """What the notice is about ended (R6.3): `ended` `{why, at}` in its notice, once. A notice
    that never ended keeps the row it had, so its checksum is the one it had (contract §21)."""
    notification_id = str(event.data.notification_id)
    c.execute("SELECT notice FROM notices WHERE notification_id = ?", (notification_id,))
    found = c.fetchone()
    if found is None:
        return
    notice = json.loads(found["notice"])
    if "ended" in notice:
        return
    notice["ended"] = {"why": event.data.why, "at": event.occurred_at.isoformat()}
    c.execute(
        "UPDATE notices SET notice = ? WHERE notification_id = ?", (_dump(notice), notification_id)
    )
