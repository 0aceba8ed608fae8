"""今日概况's 未确认通知 (services/console/application/dashboard.py `today`): the unacknowledged
notices of those the member's 通知 lists her by default (my_notices.py) — her role's; a zone CS
assistant's, under 我的辖区, her zones' and the site-wide ones (R1.3, R6.3) — asked of notice.list
as 通知 asks, counted by reporting (`count`); not the site's every notice. Through the console:
tests/integration/test_zone_notices.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.console.application.dashboard import today
from services.console.application.front_desk import FrontDesk
from shared.kernel.clock import FixedClock

CLOCK = FixedClock(datetime(2026, 12, 5, 1, tzinfo=UTC))
DONE = "2026-12-05T00:30:00Z"
NOTICES = [  # role, zone, acknowledged
    ("cs_assistant", "A区", None), ("cs_assistant", "C区", None), ("cs_assistant", None, None),
    ("cs_assistant", "A区", DONE), ("project_manager", None, None),
]  # fmt: skip


class Desk:
    """reporting's answers: notice.list filtered as the view filters (role, zones and none)."""

    def __init__(self) -> None:
        self.asked: list[dict[str, Any]] = []

    async def query(self, site: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        if name != "notice.list":
            return {"ok": True, "tickets": [], "incidents": [], "report": {}}
        self.asked.append(body)
        zones = body.get("zones") or []
        found = [
            {"role": role, "zone": zone, "acknowledged_at": acked, "reason": "clock_breached"}
            for role, zone, acked in NOTICES
            if body.get("role") in (None, role) and (not zones or zone is None or zone in zones)
        ]
        waiting = sum(1 for n in found if not n["acknowledged_at"])  # the view's count
        page = found[::-1][: body["limit"]] if body.get("newest_first") else found[: body["limit"]]
        return {"ok": True, "notices": page, "next_cursor": None} | (
            {"waiting": waiting} if body.get("count") else {}
        )


async def counted(role: str, zones: tuple[str, ...] = ()) -> tuple[int, Desk]:
    desk = Desk()
    front = FrontDesk(desk, CLOCK)  # type: ignore[arg-type]
    figures = await today(front, "hbw", ZoneInfo("Asia/Shanghai"), role, None, zones)
    return figures["unacknowledged"], desk


async def test_a_zone_cs_assistant_counts_her_zones_and_the_site_wide_ones_R1_3_R6_3():
    count, desk = await counted("cs_assistant", ("A区", "B区"))

    assert count == 2  # A区's and the one to no zone; C区's, the acknowledged and the PM's not
    # counted by reporting over every notice of hers, not of a page (a page of one is asked)
    assert {"role": "cs_assistant", "zones": ["A区", "B区"], "newest_first": True, "count": True,
            "limit": 1} in desk.asked  # fmt: skip


async def test_under_all_she_counts_her_role_s_across_the_site_R1_3():
    count, _ = await counted("cs_assistant")

    assert count == 3


async def test_a_manager_counts_his_role_s_not_every_role_s():
    count, _ = await counted("project_manager")

    assert count == 1
