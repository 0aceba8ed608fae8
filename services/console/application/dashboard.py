"""The managers' pages: today at the site (new, open, overdue, breaches, the complaint ladder by
level, this month's satisfaction) from the contract's queries, and the site's monthly and weekly
reports as files (the writers `propdesk report` uses, propdesk/report_files)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.console.adapters.desk import Desk, Refused
from services.console.application.front_desk import FrontDesk

REPORT_FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "csv": "text/csv; charset=utf-8", "html": "text/html; charset=utf-8"}  # fmt: skip


async def today(front: FrontDesk, site: str, zone: ZoneInfo) -> dict[str, Any]:
    now = front.clock.now().astimezone(zone)
    day = now.date().isoformat()
    month = now.strftime("%Y-%m")
    latest = await front.tickets(site)
    open_ = await front.queue(site, "open", None)
    notices = await front.notices(site, None)

    def local_day(when: str | None) -> str:
        return datetime.fromisoformat(when).astimezone(zone).date().isoformat() if when else ""

    ladder = Counter(
        (t.get("sla") or {}).get("escalation_level") for t in open_ if t["kind"] == "complaint"
    )
    try:
        monthly = (await front.desk.query(site, "report.monthly", {"month": month}))["report"]
        satisfaction = monthly.get("satisfaction") or {}
    except Refused:
        satisfaction = {}
    return {
        "day": day, "month": month,
        "new": sum(1 for t in latest if local_day(t.get("received_at")) == day),
        "open": len(open_),
        "overdue": sum(1 for t in open_ if (t.get("sla") or {}).get("overdue")),
        "breaches": sum(
            1 for n in notices
            if n.get("reason") == "clock_breached" and local_day(n.get("raised_at")) == day
        ),
        "unacknowledged": sum(1 for n in notices if not n.get("acknowledged_at")),
        "ladder": {level: n for level, n in ladder.items() if level},
        "satisfaction": satisfaction,
    }  # fmt: skip


def last_month(now: datetime, zone: ZoneInfo) -> str:
    first = now.astimezone(zone).date().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


async def report_file(
    desk: Desk, site: str, kind: str, period: str, fmt: str
) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of the site's monthly or weekly report."""
    from propdesk import report_files  # the writers of `propdesk report`; imported when used

    if kind not in ("monthly", "weekly") or fmt not in REPORT_FORMATS:
        raise Refused("invalid", f"没有这种报表：{kind} {fmt}")
    field = "month" if kind == "monthly" else "week"
    report = (await desk.query(site, f"report.{kind}", {field: period}))["report"]
    body = report_files.render(kind, report, fmt)
    return f"{report_files.stem(kind, report)}.{fmt}", REPORT_FORMATS[fmt], body
