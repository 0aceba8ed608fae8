"""The analytics view's `care_months`: the special-care counts of each site-month (R11.10;
views/care_facts.py `month_counts`), kept as the facts arrive, so that the quality pack reads
them for every site and its six months in one query, with the rest of the pack's per-site-month
rows (views/analytics_months.py; docs/PERFORMANCE.md).

A site-month has a row when it has a care fact. The batch that adds a fact recomputes its
site-month's row in its transaction (a few residents' facts: no need to wait as the site-months
do), and for a flag also the site's later rows, whose roll at the month's end it changes. A month
without a row has the roll of the site's row before it, and no visit or reminder (`series`). A
rebuild (`SQLiteView.bulk`) recomputes them all once at its end instead; a view written before
this table existed gets it filled from its care facts when it is opened.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.sqlite import SQLiteCursor

from services.reporting.views import care_facts
from services.reporting.views.analytics_months import CursorReader

TABLE = "care_months"
TABLES = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (site TEXT NOT NULL, month TEXT NOT NULL, "
    "residents INTEGER NOT NULL, visits INTEGER NOT NULL, overdue INTEGER NOT NULL, "
    "PRIMARY KEY (site, month))",
)
CHECKED = ((TABLE, "site, month"),)
Figures = dict[str, int | None]


def refresh(c: SQLiteCursor, touched: Iterable[care_facts.Touched]) -> None:
    """Recompute the rows of these site-months, and of the months after a flag's (in the
    transaction of `c`)."""
    keys = set()
    for site, month, flag in touched:
        keys.add((site, month))
        if flag:
            c.execute(f"SELECT month FROM {TABLE} WHERE site = ? AND month > ?", (site, month))
            keys.update((site, r["month"]) for r in c.fetchall())
    rows = CursorReader(c).rows
    counted = [(s, m, *care_facts.month_counts(rows, s, m)) for s, m in sorted(keys)]
    c.executemany(
        f"INSERT OR REPLACE INTO {TABLE} (site, month, residents, visits, overdue) "
        "VALUES (?, ?, ?, ?, ?)",
        counted,
    )


def refresh_all(c: SQLiteCursor) -> None:
    """Every site-month with a care fact recomputed: after a rebuild, or in a view that lacked
    the table."""
    c.execute(f"DELETE FROM {TABLE}")
    c.execute(f"SELECT DISTINCT site, month FROM {care_facts.CARE}")
    refresh(c, [(r["site"], r["month"], False) for r in c.fetchall()])


def series(rows: Iterable[dict[str, Any]], months: list[str]) -> dict[str, list[Figures]]:
    """Each site's figures (`care_facts.figures`) in each of `months`, from the rows of the
    months and each site's last row before them (queries/facts.py `care_months`):
    a month without a row has the roll of the site's row before it, no visit and no reminder."""
    kept: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        kept.setdefault(r["site"], {})[r["month"]] = r
    found = {}
    for site, by_month in kept.items():
        before = [r for m, r in by_month.items() if m < months[0]]  # at most one
        residents = before[0]["residents"] if before else 0
        figures = []
        for month in months:
            row = by_month.get(month)
            residents = row["residents"] if row is not None else residents
            done = (row["visits"], row["overdue"]) if row is not None else (0, 0)
            figures.append(care_facts.figures(residents, *done))
        found[site] = figures
    return found


def none(months: list[str]) -> list[Figures]:
    """A site without care facts: no figure in any month."""
    return [dict.fromkeys(care_facts.FIGURES) for _ in months]
