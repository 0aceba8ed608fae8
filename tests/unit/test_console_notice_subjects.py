"""What the notices page (通知) says a notice is about (services/console/application/
notification_subjects.py): the notification's own `incident` or `promise` (contract §20.4) where
it has one, asking nobody; the lists (incident.list, promise.list) only for notices raised before
notifications said it, once per kind."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from services.console.application.notification_subjects import described

PROMISE_ID = str(uuid4())
FIRE = {"kind": "fire", "place": "地下车库B2", "occurred_at": "2026-11-23T01:53:00Z"}
CALLBACK = {"kind": "callback", "what": "致歉并回电，说明停水原因和恢复时间", "ticket_no": None}


class Lists:
    """The desk's two lists, counting what is asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def query(self, site: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        self.asked.append(name)
        if name == "incident.list":
            return {"incidents": [{"incident_no": "HBW-INC-202611-001", "kind": "flood",
                                   "place": "3号楼地下室"}]}  # fmt: skip
        what = {"promise_id": PROMISE_ID, "kind": "reply", "what": "核实水费后回电",
                "ticket_no": "HBW-202611-0002"}  # fmt: skip
        return {"promises": [what]}


def notice(about: str, ticket_no: str, ticket_id: str | None = None, **said: Any) -> dict:
    return {"notification_id": str(uuid4()), "about": about, "ticket_no": ticket_no,
            "ticket_id": ticket_id or str(uuid4()), **said}  # fmt: skip


async def test_a_notice_that_says_what_it_is_about_is_described_by_itself_R16_5_R6_15():
    fire = notice("incident", "HBW-INC-202611-002", incident=FIRE)
    promise = notice("promise", "desk-p24hic433", promise=CALLBACK)
    breach = notice("ticket", "HBW-202611-0007")
    lists = Lists()

    said = await described(lists, "hbw", [fire, promise, breach])  # type: ignore[arg-type]

    assert said == {
        fire["notification_id"]: "火灾 · 地下车库B2",
        promise["notification_id"]: "未接来电回电：致歉并回电，说明停水原因和恢复时间",
    }
    assert lists.asked == []  # nothing looked up


async def test_a_notice_raised_before_notices_said_it_is_looked_up_once_per_kind():
    older = [
        notice("incident", "HBW-INC-202611-001"),
        notice("incident", "HBW-INC-202611-001"),  # security's and the duty manager's
        notice("promise", "p-1", PROMISE_ID),
        notice("incident", "HBW-INC-202611-002", incident=FIRE | {"place": None}),
    ]
    lists = Lists()

    said = await described(lists, "hbw", older)  # type: ignore[arg-type]

    assert [said[n["notification_id"]] for n in older] == [
        "水浸 · 3号楼地下室", "水浸 · 3号楼地下室", "答复客户：核实水费后回电（HBW-202611-0002）",
        "火灾",
    ]  # fmt: skip
    assert sorted(lists.asked) == ["incident.list", "promise.list"]


async def test_what_was_promised_is_cut_to_20_characters_as_every_text_is_cut_R6_15():
    long = "核实本月水费异常原因后回电并说明退费办法和时间"  # 23 characters
    fits = long[:20]
    notices = [
        notice("promise", "p-1", promise=CALLBACK | {"what": long}),
        notice("promise", "p-2", promise=CALLBACK | {"what": fits}),
    ]

    said = await described(Lists(), "hbw", notices)  # type: ignore[arg-type]

    cut, whole = (said[n["notification_id"]] for n in notices)
    assert cut == "未接来电回电：" + long[:19] + "…"  # 20 in all, the "…" among them
    assert whole == "未接来电回电：" + fits
