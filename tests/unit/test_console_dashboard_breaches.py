"""今日概况's 违约 (breaches today, services/console/application/dashboard.py `today`): the
clock breaches raised today in the site's zone, read from the newest notice back until a page
holds none raised today (FrontDesk.notices_since) — not every page of the site's notices, which
at a busy site are months of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.console.application.dashboard import today
from services.console.application.front_desk import PAGE, FrontDesk
from shared.kernel.clock import FixedClock

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 5, 6, tzinfo=UTC)  # 14:00 in Shanghai
MIDNIGHT = datetime(2026, 12, 4, 16, tzinfo=UTC)  # the day's start in Shanghai


class Desk:
    """reporting's notice.list over a site's notices, oldest first as published: one an hour
    for 60 days before now, every third a breach; pages of `limit`, newest first if asked."""

    def __init__(self) -> None:
        self.notices = [
            {"notification_id": f"n-{i}", "reason": "clock_breached" if i % 3 == 0 else "x",
             "raised_at": (NOW - timedelta(hours=1440 - i)).isoformat(), "role": "supervisor"}
            for i in range(1440)
        ]  # fmt: skip
        self.pages = 0

    async def query(self, site: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        if name != "notice.list":
            return {"ok": True, "tickets": [], "incidents": [], "report": {}}
        if body.get("count"):
            return {"ok": True, "notices": [], "next_cursor": None, "waiting": 0}
        self.pages += 1
        rows = self.notices[::-1] if body.get("newest_first") else self.notices
        start = int(body.get("cursor") or 0)
        page = rows[start : start + body["limit"]]
        more = start + body["limit"] < len(rows)
        return {"ok": True, "notices": page,
                "next_cursor": str(start + body["limit"]) if more else None}  # fmt: skip


async def test_breaches_today_are_counted_from_the_newest_pages_only():
    desk = Desk()
    front = FrontDesk(desk, FixedClock(NOW))  # type: ignore[arg-type]
    figures = await today(front, "hbw", SHANGHAI, "project_manager")

    raised_today = [
        n for n in desk.notices
        if n["reason"] == "clock_breached" and datetime.fromisoformat(n["raised_at"]) >= MIDNIGHT
    ]  # fmt: skip
    assert figures["breaches"] == len(raised_today) > 0
    # 1,440 notices are 8 pages of 200; today's fit in the first, so the second says stop
    assert len(desk.notices) > PAGE * 2 and desk.pages <= 2
