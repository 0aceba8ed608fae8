"""The ticket view: tickets, work orders and service levels (services/reporting/projections/)
with their histories, in SQLite, on shared.eventstore.views.SQLiteView (rows and stream position in
one transaction, so "rebuild" is "point the inbox at an empty view").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.service_levels import SERVICE_LEVELS, summary
from services.reporting.projections.tickets import TICKETS, history_entry
from services.reporting.projections.violations import VIOLATIONS
from services.reporting.projections.work_orders import WORK_ORDERS
from services.reporting.queries.as_of import TicketRecords, order_position
from services.reporting.views import ticket_tables, violation_rows
from services.reporting.views.notices import NoticeBoard, apply_notice
from services.reporting.views.parked import ParkingView
from services.reporting.views.zones import FUNCTIONS as ZONE_FUNCTIONS
from services.reporting.views.zones import in_zones
from shared.eventstore.views import Batch, SQLiteView
from shared.eventstore.views import dump as _dump
from shared.logging import get_logger
from shared.messaging.inbox import Delivery
from shared.messaging.subjects import STREAM

log = get_logger("reporting.view")


class TicketView(NoticeBoard, ParkingView, SQLiteView):
    TABLES = ticket_tables.TABLES
    CHECKED = ticket_tables.CHECKED
    PRAGMAS = SQLiteView.DERIVED  # rebuilt by a replay, read again from its position
    FUNCTIONS = ZONE_FUNCTIONS  # zone_key: zones compared as everywhere else (R1.3)

    def __init__(self, db_name: str) -> None:
        super().__init__(db_name)
        before = self.tables()
        self.create_table()
        if "tickets" in before and "ticket_sla_events" not in before:
            # A view projected before it kept the escalation events: the service levels of the
            # tickets it already has cannot be told as of a past time (rebuild the view for that).
            with self.datastore.transaction(commit=True) as c:
                c.execute(
                    "INSERT OR IGNORE INTO view_meta (key, value) VALUES ('sla_events_after', ?)",
                    (str(self._max_tracking_id(STREAM, c) or 0),),
                )

    # -- writing ---------------------------------------------------------------------------

    def _apply_rows(self, c: SQLiteCursor, deliveries: Sequence[Delivery]) -> None:
        """Each row the batch touches is read once, changed in memory by every event of the batch
        and written once, with the history rows, at the end (a rebuild's batches hold thousands
        of events, a few of them for each ticket): the same rows as applying the events one by
        one, which tests/unit/test_view_batches.py checks."""
        batch = ticket_tables.batch(c)
        ticket_tables.preload(batch, [d.envelope for d in deliveries if d.envelope is not None])
        for delivery in deliveries:
            if delivery.envelope is not None:
                self._apply_one(batch, delivery)
        batch.write()

    def _apply_one(self, batch: Batch, delivery: Delivery) -> None:
        event, seq = delivery.envelope, delivery.seq
        assert event is not None
        projector = _PROJECTOR_OF.get(type(event))
        if projector is TICKETS:
            tickets = batch.rows["tickets"]
            row = tickets.project(event)
            if row is not None:
                row.setdefault("seq", seq)  # its ticket.reported's: the order of ticket.list
                entry = _dump(history_entry(event))
                key = tickets.key_of(event)
                batch.add("ticket_history", (key, event.aggregate_version, seq, entry))
        elif projector is WORK_ORDERS:
            orders = batch.rows["work_orders"]
            if orders.project(event) is not None:
                entry = _dump(history_entry(event))
                batch.add("order_history", (orders.key_of(event), event.aggregate_version, entry))
        elif projector is SERVICE_LEVELS:
            apply_notice(batch.c, seq, event)
            sla = batch.rows["ticket_sla"]
            if sla.project(event) is not None:
                envelope = _dump(event.model_dump(mode="json"))
                batch.add("ticket_sla_events", (sla.key_of(event), seq, envelope))
        elif projector is VIOLATIONS:
            batch.rows["violations"].project(event)

    # -- reading ---------------------------------------------------------------------------

    def get(
        self, site: str, ticket_id: str | None = None, ticket_no: str | None = None
    ) -> dict[str, Any] | None:
        """A ticket of `site` with its work orders and history, by id or by ticket number."""
        with self.datastore.transaction(commit=False) as c:
            key = ("ticket_id", ticket_id) if ticket_id else ("ticket_no", ticket_no)
            ticket = _read(c, "tickets", "ticket_history", "ticket_id", site, key)
            if ticket is None:
                return None
            c.execute("SELECT state FROM work_orders WHERE ticket_id = ?", (ticket["ticket_id"],))
            orders = [json.loads(r["state"]) for r in c.fetchall()]
            sla = _sla(c, [ticket["ticket_id"]])
        orders.sort(key=order_position)
        return ticket | {"work_orders": orders, "sla": sla[ticket["ticket_id"]]}

    def violation(
        self, site: str, case_id: str | None, client_ref: str | None
    ) -> dict[str, Any] | None:
        """A case of `site`, with the notices its overdue measures raised (R14.3)."""
        with self.datastore.transaction(commit=False) as c:
            case = violation_rows.get_case(c, site, case_id, client_ref)
            if case is None:
                return None
            sla = sla_states(c, [case["case_id"]]).get(case["case_id"]) or {}
        notices = [{"notification_id": k, **v} for k, v in sla.get("notifications", {}).items()]
        return case | {"notices": notices}

    def violations(self, site: str, status: str | None, limit: int) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            return violation_rows.list_cases(c, site, status, limit)

    def records(
        self, site: str, ticket_id: str | None = None, ticket_no: str | None = None
    ) -> TicketRecords | None:
        """Everything the view keeps about a ticket of `site`, to fold it as of a past time."""
        key = ("ticket_id", ticket_id) if ticket_id else ("ticket_no", ticket_no)
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT ticket_id, seq FROM tickets WHERE {key[0]} = ? AND site = ?",
                (key[1], site),
            )
            row = c.fetchone()
            if row is None:
                return None
            found = row["ticket_id"]
            c.execute(
                "SELECT entry FROM ticket_history WHERE ticket_id = ? ORDER BY version", (found,)
            )
            history = [json.loads(r["entry"]) for r in c.fetchall()]
            c.execute(
                "SELECT h.work_order_id, h.entry FROM work_orders o JOIN order_history h "
                "ON h.work_order_id = o.work_order_id WHERE o.ticket_id = ? "
                "ORDER BY h.work_order_id, h.version",
                (found,),
            )
            orders: dict[str, list[dict[str, Any]]] = {}
            for r in c.fetchall():
                orders.setdefault(r["work_order_id"], []).append(json.loads(r["entry"]))
            c.execute("SELECT value FROM view_meta WHERE key = 'sla_events_after'")
            marker = c.fetchone()
            sla_events = None
            if marker is None or row["seq"] > int(marker["value"]):  # all its events are here
                c.execute(
                    "SELECT envelope FROM ticket_sla_events WHERE ticket_id = ? ORDER BY seq",
                    (found,),
                )
                sla_events = [r["envelope"] for r in c.fetchall()]
        return TicketRecords(found, site, history, orders, sla_events)

    def get_order(
        self, site: str, work_order_id: str | None = None, order_no: str | None = None
    ) -> dict[str, Any] | None:
        """A work order of `site` with its history, by id or by order number."""
        key = ("work_order_id", work_order_id) if work_order_id else ("order_no", order_no)
        with self.datastore.transaction(commit=False) as c:
            return _read(c, "work_orders", "order_history", "work_order_id", site, key)

    def list(
        self,
        site: str,
        *,
        status: str | None,
        kind: str | None,
        limit: int,
        before_seq: int | None,
        zones: Sequence[str] = (),
    ) -> tuple[list[dict[str, Any]], int | None]:
        """Newest first. Returns one page and the cursor (a stream sequence) of the next one.
        `zones`: only the tickets in one of them (R1.3), compared as shared/kernel/zones.py
        compares them."""
        sql = "SELECT seq, state FROM tickets WHERE site = ?"
        params: list[Any] = [site]
        for column, value in (("status", status), ("kind", kind)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        if zones:
            clause, folded = in_zones("state", zones)
            sql += f" AND {clause}"
            params += folded
        if before_seq is not None:
            sql += " AND seq < ?"
            params.append(before_seq)
        sql += " ORDER BY seq DESC LIMIT ?"
        params.append(limit + 1)
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            rows = c.fetchall()
            page = [json.loads(r["state"]) for r in rows[:limit]]
            sla = _sla(c, [t["ticket_id"] for t in page])
        for ticket in page:
            brief = sla[ticket["ticket_id"]]
            ticket["sla"] = {k: brief[k] for k in LIST_FIELDS}
        next_seq = rows[limit - 1]["seq"] if len(rows) > limit else None
        return page, next_seq


# which of the view's projectors takes each event (one lookup per event, on the hot path)
_PROJECTOR_OF = {
    cls: p for p in (TICKETS, WORK_ORDERS, SERVICE_LEVELS, VIOLATIONS) for cls in p.steps
}
LIST_FIELDS = ("open_clocks", "next_deadline", "overdue", "breached", "escalation_level")


def sla_states(c: SQLiteCursor, ticket_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The service-level state of each of the tickets that has one (a clock ever ran)."""
    if not ticket_ids:
        return {}
    marks = ", ".join("?" * len(ticket_ids))
    sql = f"SELECT ticket_id, state FROM ticket_sla WHERE ticket_id IN ({marks})"
    c.execute(sql, list(ticket_ids))
    return {r["ticket_id"]: json.loads(r["state"]) for r in c.fetchall()}


def _sla(c: SQLiteCursor, ticket_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The service-level summary of each ticket (an empty one where no clock ever ran)."""
    found = sla_states(c, ticket_ids)
    return {t: summary(found.get(t)) for t in ticket_ids}


def _read(
    c: SQLiteCursor, table: str, history: str, id_column: str, site: str, key: tuple[str, Any]
) -> dict[str, Any] | None:
    """One row of `table` at `site` by the (column, value) `key`, with its history in order."""
    column, value = key
    c.execute(
        f"SELECT {id_column}, state FROM {table} WHERE {column} = ? AND site = ?", (value, site)
    )
    row = c.fetchone()
    if row is None:
        return None
    c.execute(f"SELECT entry FROM {history} WHERE {id_column} = ? ORDER BY version", (row[0],))
    return json.loads(row["state"]) | {"history": [json.loads(r["entry"]) for r in c.fetchall()]}
