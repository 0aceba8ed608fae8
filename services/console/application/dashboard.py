"""The managers' page: today at the site (new, open, overdue, breaches, the complaint ladder by
level, this month's satisfaction) from the contract's queries; a zone CS assistant's tickets in
her zones (R1.3); the notices not yet acknowledged of those the viewer's 通知 lists her."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.console.application import incident_desk, my_notices
from services.console.application.front_desk import FrontDesk
from services.console.domain.refusal import Refused
from shared.kernel.vocabulary import LADDER


async def today(
    front: FrontDesk, site: str, zone: ZoneInfo, role: str, department: str | None = None,
    zones: tuple[str, ...] = (),
) -> dict[str, Any]:  # fmt: skip
    """The day's figures for a member of `role` (of `department`); the tickets' (new, open,
    overdue, the ladder) only those in `zones` when given — a zone CS assistant's (R1.3) —;
    the unacknowledged notices of those her 通知 lists (my_notices.py: her role's, her
    department's, in `zones` and site-wide); the breaches, emergencies and satisfaction the
    site's."""
    now = front.clock.now().astimezone(zone)
    day = now.date().isoformat()
    month = now.strftime("%Y-%m")
    latest = await front.tickets(site, zones=zones)
    open_ = await front.queue(site, "open", None, zones=zones)
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    notices = await front.notices_since(site, start_of_day)  # today's, not every one
    unacknowledged = await my_notices.waiting(front, site, role, department, zones)

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
    try:  # emergencies still being handled (突发事件, R16.5): the duty manager's first look
        incidents: int | None = len(await incident_desk.incidents(front.desk, site, "open"))
    except Refused:
        incidents = None
    return {
        "day": day, "month": month,
        "new": sum(1 for t in latest if local_day(t.get("received_at")) == day),
        "open": len(open_),
        "overdue": sum(1 for t in open_ if (t.get("sla") or {}).get("overdue")),
        "breaches": sum(
            1 for n in notices
            if n.get("reason") == "clock_breached" and local_day(n.get("raised_at")) == day
        ),
        "unacknowledged": unacknowledged,  # every one, counted by reporting
        "incidents": incidents,
        "ladder": {level: ladder[level] for level in LADDER if ladder[level]},  # lowest first
        "satisfaction": satisfaction,
    }  # fmt: skip


def last_month(now: datetime, zone: ZoneInfo) -> str:
    first = now.astimezone(zone).date().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")
