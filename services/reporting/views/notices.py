"""The staff's notices in the ticket view: a notification escalation raises (a breach, a ladder
step, an upgrade) is written as it arrives, marked when acknowledged and when what it is about
ended first (`ended` in its notice: R6.3) (`apply_notice`), and `notice.list` pages through them
(`NoticeBoard.notices`) and counts those still waiting (`NoticeBoard.waiting`). Their table is
listed in views/ticket_tables.py."""

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
        newest_first: bool = False,
    ) -> tuple[list[dict[str, Any]], int | None]:  # fmt: skip
        """Oldest first (`newest_first`: newest first, `after_seq` then the one before which the
        page begins). Returns one page and the cursor (a stream sequence) of the next one."""
        where, params = _chosen(site, role, department, zones, ticket_no)
        if unacknowledged:
            where += " AND acknowledged_at IS NULL"
        if after_seq:
            where += " AND seq < ?" if newest_first else " AND seq > ?"
            params.append(after_seq)
        order = "DESC" if newest_first else "ASC"
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM notices WHERE {where} ORDER BY seq {order} LIMIT ?",
                      [*params, limit + 1])  # fmt: skip
            rows = c.fetchall()
        page = [_entry(r) for r in rows[:limit]]
        return page, (rows[limit - 1]["seq"] if len(rows) > limit else None)

    def waiting(
        self, site: str, *, role: str | None, department: str | None = None,
        ticket_no: str | None = None, zones: Sequence[str] = (),
    ) -> int:  # fmt: skip
        """How many of the notices so chosen wait for someone: nobody acknowledged them and
        what they are about did not end first (R6.3) — every one, not a page's."""
        where, params = _chosen(site, role, department, zones, ticket_no)
        where += " AND acknowledged_at IS NULL AND json_extract(notice, '$.ended') IS NULL"
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT count(*) AS n FROM notices WHERE {where}", params)
            return int(c.fetchone()["n"])


def _chosen(
    site: str, role: str | None, department: str | None, zones: Sequence[str],
    ticket_no: str | None,
) -> tuple[str, list[Any]]:  # fmt: skip
    """The WHERE clause (and its parameters) of a site's notices to `role`, of `department`,
    in `zones`, about `ticket_no` (each None or empty: any)."""
    where = "site = ?"
    params: list[Any] = [site]
    if role is not None:
        where += " AND role = ?"
        params.append(role)
    if department is not None:  # a department supervisor's own (R6.3, R4.12), and those
        # to no department: to every department's supervisors
        where += " AND coalesce(json_extract(notice, '$.department'), ?) = ?"
        params += [department, department]
    if zones:  # a zone CS assistant's own (R1.3, R6.3), and those to no zone: to all of them
        clause, keys = in_zones("notice", zones)
        where += f" AND (json_extract(notice, '$.zone') IS NULL OR {clause})"
        params += keys
    if ticket_no is not None:  # one subject's: an incident's page (R16.5)
        where += " AND json_extract(notice, '$.ticket_no') = ?"
        params.append(ticket_no)
    return where, params


def _entry(row: Any) -> dict[str, Any]:
    """A row as notice.list answers it: its acknowledgement's and its end's times written as the
    notification's own (`raised_at`, `due_at`) and every contract model's are, by pydantic (UTC
    as `Z`); the row keeps them as first written (`+00:00`): its checksum stays (contract §21)."""
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
