"""The analytics view's tables (views/analytics.py applies the facts of
services/reporting/projections/analytics_facts.py and answers the reports' queries): what each
holds, and how a batch reads and writes their rows with shared.eventstore.views' `Batch`: each
state it touches is loaded once, changed in memory by every event of the batch and saved once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.analytics_facts import FactProjectors
from services.reporting.projections.ticket_facts import Facts, no_facts
from services.reporting.views import (
    analytics_months,
    care_facts,
    care_months,
    household_facts,
    notice_facts,
    promise_facts,
    shift_facts,
    violation_facts,
    visit_facts,
)
from services.reporting.views.parked import PARKED_TABLE
from shared.eventstore.views import Batch, Rows

# each table's columns
COLUMNS: dict[str, str] = {
    "ticket_facts": (
        "ticket_id TEXT PRIMARY KEY, site TEXT NOT NULL, month TEXT NOT NULL, "
        "week TEXT NOT NULL, ticket_no TEXT NOT NULL, received_at TEXT NOT NULL, "
        "kind TEXT NOT NULL, category TEXT, channel TEXT NOT NULL, validity TEXT, "
        "severity TEXT, unit TEXT, content TEXT NOT NULL, status TEXT NOT NULL, "
        "duplicate INTEGER NOT NULL DEFAULT 0, resolved_at TEXT, "
        "reopened INTEGER NOT NULL DEFAULT 0, follow_ups INTEGER NOT NULL DEFAULT 0, "
        "satisfied INTEGER NOT NULL DEFAULT 0, level TEXT, upgraded INTEGER NOT NULL DEFAULT 0, "
        # the ledger's columns, added after the first views were written (views/analytics.py)
        "resolution TEXT, completed_at TEXT, follow_up_score INTEGER, follow_up_comment TEXT"
    ),
    # a repeat contact linked to a ticket (R16.1), in the month it was received (R3.1)
    "contact_facts": (
        "ticket_id TEXT NOT NULL, n INTEGER NOT NULL, site TEXT NOT NULL, month TEXT NOT NULL, "
        "week TEXT NOT NULL, channel TEXT NOT NULL, received_at TEXT NOT NULL, "
        "PRIMARY KEY (ticket_id, n)"
    ),
    "escalation_facts": (
        "ticket_id TEXT NOT NULL, level TEXT NOT NULL, site TEXT NOT NULL, month TEXT NOT NULL, "
        "PRIMARY KEY (ticket_id, level)"
    ),
    "clock_facts": (
        "ticket_id TEXT NOT NULL, clock_key TEXT NOT NULL, run INTEGER NOT NULL, "
        "site TEXT NOT NULL, month TEXT NOT NULL, clock TEXT NOT NULL, "
        "outcome TEXT NOT NULL, breached INTEGER NOT NULL DEFAULT 0, "
        "PRIMARY KEY (ticket_id, clock_key, run)"
    ),
    "order_facts": (
        "work_order_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, site TEXT NOT NULL, "
        "issued_month TEXT NOT NULL, department TEXT NOT NULL, completed_month TEXT, fee TEXT"
    ),
    "month_analysis": (
        "site TEXT NOT NULL, month TEXT NOT NULL, analysis TEXT NOT NULL, PRIMARY KEY (site, month)"
    ),
    # an emergency event (R16.5), in the local month it happened; `incident` holds it all (JSON)
    "incident_facts": (
        "incident_id TEXT PRIMARY KEY, site TEXT NOT NULL, month TEXT NOT NULL, "
        "incident_no TEXT NOT NULL, occurred_at TEXT NOT NULL, status TEXT NOT NULL, "
        "incident TEXT NOT NULL"
    ),
    "versions": "aggregate_id TEXT PRIMARY KEY, version INTEGER NOT NULL",
    # what each site-month's measures are made of, kept from the facts above
    analytics_months.TABLE: analytics_months.COLUMNS,
}
INDEXES = (
    "CREATE INDEX IF NOT EXISTS ticket_facts_month ON ticket_facts (site, month)",
    "CREATE INDEX IF NOT EXISTS ticket_facts_week ON ticket_facts (site, week)",
    "CREATE INDEX IF NOT EXISTS contact_facts_month ON contact_facts (site, month)",
    "CREATE INDEX IF NOT EXISTS contact_facts_week ON contact_facts (site, week)",
    "CREATE INDEX IF NOT EXISTS escalation_facts_month ON escalation_facts (site, month)",
    "CREATE INDEX IF NOT EXISTS clock_facts_month ON clock_facts (site, month)",
    "CREATE INDEX IF NOT EXISTS order_facts_issued ON order_facts (site, issued_month)",
    "CREATE INDEX IF NOT EXISTS order_facts_completed ON order_facts (site, completed_month)",
    "CREATE INDEX IF NOT EXISTS incident_facts_month ON incident_facts (site, month)",
    analytics_months.INDEX,
)
# each table's whole key, so a checksum reads the rows in one order
_KEYS = {
    "ticket_facts": "ticket_id",
    "contact_facts": "ticket_id, n",
    "escalation_facts": "ticket_id, level",
    "clock_facts": "ticket_id, clock_key, run",
    "order_facts": "work_order_id",
    "month_analysis": "site, month",
    "incident_facts": "incident_id",
    "versions": "aggregate_id",
    analytics_months.TABLE: "site, month",
}
TABLES = (
    *(f"CREATE TABLE IF NOT EXISTS {name} ({columns})" for name, columns in COLUMNS.items()),
    *INDEXES,
    PARKED_TABLE,  # not checked: a park says how the view was fed, not what it shows
    analytics_months.STALE_TABLE,  # not checked: emptied before a checksum
    *violation_facts.TABLES,
    *promise_facts.TABLES,
    *notice_facts.TABLES,
    *shift_facts.TABLES,
    *visit_facts.TABLES,
    *household_facts.TABLES,
    *care_facts.TABLES,
    *care_months.TABLES,
)
CHECKED = (
    *_KEYS.items(),
    *violation_facts.CHECKED,
    *promise_facts.CHECKED,
    *notice_facts.CHECKED,
    *shift_facts.CHECKED,
    *visit_facts.CHECKED,
    *household_facts.CHECKED,
    *care_facts.CHECKED,
    *care_months.CHECKED,
)


def batch(c: SQLiteCursor, p: FactProjectors) -> Batch:
    """The rows one `apply` touches: the last version of every aggregate seen (`versions`), and
    the facts of tickets, work orders and months."""
    return Batch(
        c,
        {
            "versions": Rows(
                c, _load_version, _save_versions, evolve=_version_of, version=int
            ),  # the row is the version
            "tickets": Rows.projecting(p.tickets, c, _load_ticket, _save_tickets),
            "orders": Rows.projecting(p.orders, c, _load_order, _saver("order_facts")),
            "analyses": Rows.projecting(p.analyses, c, _load_analysis, _saver("month_analysis")),
            "incidents": Rows.projecting(p.incidents, c, _load_incident, _saver("incident_facts")),
        },
    )


def _version_of(_before: int | None, event: Any) -> int:
    return event.aggregate_version


def _load_version(c: SQLiteCursor, aggregate_id: str) -> int | None:
    c.execute("SELECT version FROM versions WHERE aggregate_id = ?", (aggregate_id,))
    row = c.fetchone()
    return row["version"] if row is not None else None


def _save_versions(c: SQLiteCursor, rows: Rows[int]) -> None:
    c.executemany(
        "INSERT INTO versions (aggregate_id, version) VALUES (?, ?) ON CONFLICT "
        "(aggregate_id) DO UPDATE SET version = excluded.version",
        list(rows.changed.items()),
    )


def _save_tickets(c: SQLiteCursor, rows: Rows[Facts]) -> None:
    """A ticket's facts: its row, and the clock runs and ladder levels new or changed."""
    tickets, clocks, escalations, repeats = [], [], [], []
    for key, facts in rows.changed.items():
        before = rows.loaded[key] or no_facts()
        if facts["ticket"] is not before["ticket"]:
            tickets.append(facts["ticket"])
        for clock_key, runs in facts["clocks"].items():
            stored = before["clocks"].get(clock_key, ())
            clocks += [r for i, r in enumerate(runs) if i >= len(stored) or r is not stored[i]]
        escalations += [
            r for level, r in facts["escalations"].items() if level not in before["escalations"]
        ]
        known = before.get("repeats", {})
        repeats += [r for n, r in facts.get("repeats", {}).items() if n not in known]
    _upsert(c, "ticket_facts", tickets)
    _upsert(c, "clock_facts", clocks)
    _upsert(c, "escalation_facts", escalations)
    _upsert(c, "contact_facts", repeats)


def _upsert(c: SQLiteCursor, table: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        columns = list(rows[0])
        sql = (
            f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        c.executemany(sql, [tuple(r[k] for k in columns) for r in rows])


def _saver(table: str) -> Callable[[SQLiteCursor, Rows[dict[str, Any]]], None]:
    def save(c: SQLiteCursor, rows: Rows[dict[str, Any]]) -> None:
        _upsert(c, table, list(rows.changed.values()))

    return save


def _load_ticket(c: SQLiteCursor, ticket_id: str) -> Facts | None:
    return _load_tickets(c, [ticket_id])[ticket_id]


def _load_tickets(c: SQLiteCursor, keys: list[str]) -> dict[str, Facts | None]:
    """Each ticket's facts (None for a ticket without any), a few hundred tickets a query."""
    found: dict[str, Facts | None] = {}
    for marks, chunk in _chunks(keys):
        rows: dict[str, list[dict[str, Any]]] = {}
        for table, order in (
            ("ticket_facts", "ticket_id"),
            ("clock_facts", "ticket_id, clock_key, run"),
            ("escalation_facts", "ticket_id, level"),
            ("contact_facts", "ticket_id, n"),
        ):
            c.execute(f"SELECT * FROM {table} WHERE ticket_id IN {marks} ORDER BY {order}", chunk)
            rows[table] = [dict(r) for r in c.fetchall()]
        facts: dict[str, Facts] = {k: no_facts() for k in chunk}
        for r in rows["ticket_facts"]:
            facts[r["ticket_id"]]["ticket"] = r
        for r in rows["clock_facts"]:
            facts[r["ticket_id"]]["clocks"].setdefault(r["clock_key"], []).append(r)
        for r in rows["escalation_facts"]:
            facts[r["ticket_id"]]["escalations"][r["level"]] = r
        for r in rows["contact_facts"]:
            facts[r["ticket_id"]]["repeats"][r["n"]] = r
        for k, f in facts.items():
            found[k] = (
                None if f["ticket"] is None and not f["clocks"] and not f["escalations"] else f
            )
    return found


def preload(batch: Batch, events: list[Any], projectors: FactProjectors) -> None:
    """The versions and ticket facts a batch touches (live or in a rebuild), read a few hundred
    keys a query (as `_load_version` and `_load_ticket` read them one by one: same rows)."""
    c = batch.c
    ids = list(dict.fromkeys(str(ev.aggregate_id) for ev in events))
    versions: dict[str, int | None] = dict.fromkeys(ids)
    for marks, chunk in _chunks(ids):
        c.execute(
            f"SELECT aggregate_id, version FROM versions WHERE aggregate_id IN {marks}", chunk
        )
        versions.update((r["aggregate_id"], r["version"]) for r in c.fetchall())
    batch.rows["versions"].preload(versions)
    tickets = projectors.tickets
    keys = list(dict.fromkeys(tickets.key(ev) for ev in events if ev in tickets))
    batch.rows["tickets"].preload(_load_tickets(c, keys))


def _chunks(keys: list[str], size: int = 500) -> list[tuple[str, list[str]]]:
    return [
        (f"({', '.join('?' * len(keys[at : at + size]))})", keys[at : at + size])
        for at in range(0, len(keys), size)
    ]


def _load_order(c: SQLiteCursor, work_order_id: str) -> dict[str, Any] | None:
    c.execute("SELECT * FROM order_facts WHERE work_order_id = ?", (work_order_id,))
    row = c.fetchone()
    return dict(row) if row is not None else None


def _load_analysis(c: SQLiteCursor, key: str) -> dict[str, Any] | None:
    site, month = key.split("\n")
    c.execute("SELECT * FROM month_analysis WHERE site = ? AND month = ?", (site, month))
    row = c.fetchone()
    return dict(row) if row is not None else None


def _load_incident(c: SQLiteCursor, incident_id: str) -> dict[str, Any] | None:
    c.execute("SELECT * FROM incident_facts WHERE incident_id = ?", (incident_id,))
    row = c.fetchone()
    return dict(row) if row is not None else None
