"""Acknowledging a notice through the console (FrontDesk.acknowledge): after escalation's `ack`,
the console waits until notice.list shows it acknowledged, so the page shown next reads its own
write — asking only for that notice's subject and role (contract §12.5, §20.3), never every
page of the site's notices."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from services.console.application.front_desk import FrontDesk
from shared.kernel.clock import FixedClock

NOTICE = str(uuid4())
CLOCK = FixedClock(datetime(2026, 12, 5, 1, tzinfo=UTC))


class Desk:
    """escalation's ack and reporting's notice.list, which shows the acknowledgement from its
    `shown_after`-th answer on (the view catching up)."""

    def __init__(self, reply: dict[str, Any], shown_after: int = 2) -> None:
        self.reply, self.shown_after = reply, shown_after
        self.asked: list[dict[str, Any]] = []

    async def command(self, site: str, service: str, verb: str, staff_id: str,
                      body: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
        assert (service, verb, body["notification_id"]) == ("escalation", "ack", NOTICE)
        return self.reply

    async def query(self, site: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        self.asked.append({"name": name, **body})
        done = "2026-12-05T01:00:00Z" if len(self.asked) >= self.shown_after else None
        notice = {"notification_id": NOTICE, "acknowledged_at": done}
        return {"ok": True, "notices": [notice], "next_cursor": None}


REPLY = {
    "ok": True, "notification_id": NOTICE, "role": "department_supervisor",
    "ticket_id": str(uuid4()), "ticket_no": "HBW-INC-202612-001", "acknowledged_by": "S1",
}  # fmt: skip


async def test_the_wait_after_an_acknowledgement_asks_only_for_that_notice_s_subject_and_role():
    desk = Desk(REPLY)
    front = FrontDesk(desk, CLOCK)  # type: ignore[arg-type]

    assert await front.acknowledge("hbw", "S1", NOTICE, None) == REPLY

    assert desk.asked == 2 * [
        {"name": "notice.list", "role": "department_supervisor",
         "ticket_no": "HBW-INC-202612-001", "limit": 200}
    ]  # fmt: skip


async def test_an_escalation_that_does_not_name_the_subject_is_asked_for_the_role_s_notices():
    older = {k: v for k, v in REPLY.items() if k != "ticket_no"}
    desk = Desk(older, shown_after=1)
    front = FrontDesk(desk, CLOCK)  # type: ignore[arg-type]

    await front.acknowledge("hbw", "S1", NOTICE, "已处理")

    assert desk.asked == [{"name": "notice.list", "role": "department_supervisor", "limit": 200}]
