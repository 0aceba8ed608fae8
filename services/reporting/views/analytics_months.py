"""The analytics view's `site_months`: what the measures of each site-month are made of
(queries/month.py `Month.parts`), kept as the facts change, so that the company quality pack
reads one finished row per site and month instead of every fact of fifty sites' six months
(docs/PERFORMANCE.md, "2026-12-03, reporting").

A row is recomputed from the facts, with the queries the reports ask (queries/facts.py): equal
facts make equal rows. The batch that changes a fact of a site-month marks it stale (`STALE`, in
its transaction), and the stale rows are recomputed together (`settle`) at most every
`SETTLE_EVERY` seconds by a batch (less often when a recompute is slow: `SETTLE_SHARE`), and
before anything reads the rows (the reports, a checksum): recomputing a busy month's row cost
more than the rest of a small batch (docs/PERFORMANCE.md, "session 5 — the consumers"). A
rebuild (`SQLiteView.bulk`) recomputes them all once at its end instead. A view written before
this table existed gets it filled when it is opened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.projections.ticket_facts import Facts
from services.reporting.queries.facts import PeriodFacts
from shared.eventstore.views import Batch, dump

TABLE = "site_months"
COLUMNS = (
    "site TEXT NOT NULL, month TEXT NOT NULL, "
    # facts of any kind in the month (a contact, a duplicate, an order issued or completed)
    "present INTEGER NOT NULL, "
    "tickets INTEGER NOT NULL, "  # new tickets, duplicates left out: a site's first month
    # Month.parts() and the paid revenue (queries/facts.py `paid`), JSON; the hours to
    # resolve apart, read only for the company's median of the pack's month
    "parts TEXT NOT NULL, hours TEXT NOT NULL, PRIMARY KEY (site, month)"
)
# the site-months whose facts changed since their rows were last recomputed
STALE = "site_months_stale"
STALE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {STALE} (site TEXT NOT NULL, month TEXT NOT NULL, "
    "PRIMARY KEY (site, month))"
)
SETTLE_EVERY = 1.0  # seconds: how long a busy view's batches may leave rows stale, at least
# A recompute reads every fact of each stale site-month, so it costs more as the month fills (at
# 200 contacts/s into one site-month of ~12,000: ~0.15 s of every second, docs/PERFORMANCE.md,
# session 16). The batches recompute at most this share of the time: after a recompute that took
# t seconds they wait t / SETTLE_SHARE (at least SETTLE_EVERY, at most SETTLE_MOST). A reader
# still recomputes what is stale before it reads, so what it sees does not change.
SETTLE_SHARE = 0.05
SETTLE_MOST = 30.0
# a ticket marked a duplicate (or no longer one) changes the revenue of its orders' months
INDEX = "CREATE INDEX IF NOT EXISTS order_facts_ticket ON order_facts (ticket_id)"

# every site-month that has a fact
_ALL = (
    "SELECT site, month FROM ticket_facts UNION SELECT site, month FROM contact_facts UNION "
    "SELECT site, month FROM clock_facts UNION SELECT site, month FROM escalation_facts UNION "
    "SELECT site, issued_month FROM order_facts UNION "
    "SELECT site, completed_month FROM order_facts WHERE completed_month IS NOT NULL"
)
_PRESENT = (
    "SELECT EXISTS (SELECT 1 FROM ticket_facts WHERE site = ?1 AND month = ?2) "
    "OR EXISTS (SELECT 1 FROM contact_facts WHERE site = ?1 AND month = ?2) "
    "OR EXISTS (SELECT 1 FROM order_facts WHERE site = ?1 AND issued_month = ?2) "
    "OR EXISTS (SELECT 1 FROM order_facts WHERE site = ?1 AND completed_month = ?2) AS present"
)


class CursorReader:
    """`rows(sql, params)` on an open transaction's cursor (queries/facts.py reads through it)."""

    def __init__(self, c: SQLiteCursor) -> None:
        self.c = c

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        self.c.execute(sql, params)
        return [dict(r) for r in self.c.fetchall()]

    def settle(self, site: str | None = None) -> None:
        """Nothing: within a batch's transaction the site-months are not read."""


def touched(batch: Batch) -> set[tuple[str, str]]:
    """The site-months whose facts the batch changed: every month of every fact of each changed
    ticket, before and after (a ticket marked duplicate leaves its repeats' and clocks' months),
    each changed work order's months, and the orders' months of a ticket that became a
    duplicate or stopped being one (their fees count no more, or again). Called after the
    batch's rows are written."""
    found: set[tuple[str, str]] = set()
    tickets = batch.rows["tickets"]
    flipped = []
    for key, facts in tickets.changed.items():
        before = tickets.loaded.get(key)
        for state in (before, facts):
            if state is not None:
                found.update(_months(state))
        if _duplicate(before) != _duplicate(facts):
            flipped.append(key)
    changed = batch.rows["orders"]
    orders = [
        row
        for key, order in changed.changed.items()
        for row in (changed.loaded.get(key), order)
        if row is not None
    ]
    for key in flipped:
        batch.c.execute("SELECT * FROM order_facts WHERE ticket_id = ?", (key,))
        orders += [dict(r) for r in batch.c.fetchall()]
    for row in orders:
        found.add((row["site"], row["issued_month"]))
        if row["completed_month"] is not None:
            found.add((row["site"], row["completed_month"]))
    return found


def _duplicate(facts: Facts | None) -> int:
    """As the reports' queries see it: a ticket the view does not know is not a duplicate."""
    ticket = facts["ticket"] if facts is not None else None
    return ticket["duplicate"] if ticket is not None else 0


def _months(facts: Facts) -> Iterable[tuple[str, str]]:
    if facts["ticket"] is not None:
        yield facts["ticket"]["site"], facts["ticket"]["month"]
    for runs in facts["clocks"].values():
        for r in runs:
            yield r["site"], r["month"]
    for r in facts["escalations"].values():
        yield r["site"], r["month"]
    for r in facts.get("repeats", {}).values():
        yield r["site"], r["month"]


def refresh(c: SQLiteCursor, keys: Iterable[tuple[str, str]]) -> None:
    """Recompute the rows of these site-months from the facts (in the transaction of `c`)."""
    facts = PeriodFacts(CursorReader(c))
    rows = []
    for site, month in sorted(keys):
        parts = facts.month(site, month, measured=True).parts()
        hours = parts.pop("hours")
        parts["paid_revenue"] = facts.paid(site, month)["revenue"]
        c.execute(_PRESENT, (site, month))
        present = c.fetchone()["present"]
        rows.append((site, month, present, parts["tickets"], dump(parts), dump(hours)))
    c.executemany(
        f"INSERT OR REPLACE INTO {TABLE} (site, month, present, tickets, parts, hours) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def mark(c: SQLiteCursor, keys: Iterable[tuple[str, str]]) -> None:
    """These site-months' rows are to be recomputed (in the transaction of `c`)."""
    c.executemany(f"INSERT OR IGNORE INTO {STALE} (site, month) VALUES (?, ?)", sorted(keys))


def settle(c: SQLiteCursor, site: str | None = None) -> bool:
    """Recompute the stale rows, or the stale rows of `site` (in the transaction of `c`); True
    when none is left stale. The first statement writes, so that a transaction begun here takes
    the file's write lock before it reads."""
    if site is None:
        c.execute(f"DELETE FROM {STALE} RETURNING site, month")
    else:
        c.execute(f"DELETE FROM {STALE} WHERE site = ? RETURNING site, month", (site,))
    refresh(c, {(r[0], r[1]) for r in c.fetchall()})
    if site is None:
        return True
    c.execute(f"SELECT 1 FROM {STALE} LIMIT 1")
    return c.fetchone() is None


def refresh_all(c: SQLiteCursor) -> None:
    """Every site-month recomputed: after a rebuild, or in a view that lacked the table."""
    c.execute(f"DELETE FROM {STALE}")
    c.execute(f"DELETE FROM {TABLE}")
    c.execute(_ALL)
    refresh(c, [(r[0], r[1]) for r in c.fetchall()])
