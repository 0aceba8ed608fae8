"""No personal data on the bus, whatever a desk types (R15.1, R15.4, R15.5, docs/DOMAIN.md §9).

Every published field of every command is sent with personal data in it, through NATS to the
real services; then every event on DESK is read back: free text arrives masked, identifiers that
look like personal data were refused without changing anything, and what is not personal (a
room, a date, an amount, an order number) arrives as typed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import timedelta
from typing import Any

import pytest

from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body

pytestmark = pytest.mark.integration

# What a desk types about people, written the many ways desks write it.
PERSONAL = (
    "业主李四 139 1234 5678，邻居王女士 138-0013-8000，座机 (0755) 2601 2345，"
    "身份证 440301 19900101 1234，卡号 6222 0212 3456 7890 123，邮箱 li.si@example.com，"
    "微信：lisi_1990，QQ 987654321，车牌粤B·12345，联系人赵六 １３７ ００１３ ７０００"
)
# ... and what must come through as typed.
KEPT = ("5-302", "2026-11-24 10:00", "¥120.00", "HBW-202611-0001-W1")
NOT_PERSONAL = f"预约 {KEPT[1]} 上门，收费 {KEPT[2]}，见工单 {KEPT[3]}"
# Each of them as it reads with the separators a desk types taken out.
PLANTED = (
    "13912345678", "13800138000", "13700137000", "075526012345", "440301199001011234",
    "6222021234567890123", "987654321", "lisi@examplecom", "lisi_1990", "粤B12345",
    "李四", "王女士", "赵六",
)  # fmt: skip
REPORTER = {"name": "李四", "phone": "139 1234 5678", "room": KEPT[0]}


def text(label: str) -> str:
    return f"{label}：{PERSONAL}。{NOT_PERSONAL}"


def squashed(raw: str) -> str:
    return re.sub(r"[\s\-.()+·]", "", unicodedata.normalize("NFKC", raw))


def leaks(messages: list[Any]) -> list[str]:
    """Every planted piece of personal data found in an event, as `subject: piece`."""
    found = []
    for msg in messages:
        raw = squashed(json.dumps(json.loads(msg.data), ensure_ascii=False))
        found += [f"{msg.subject}: {piece}" for piece in PLANTED if piece in raw]
    return found


async def published(desk: Desk, *event_types: str) -> list[Any]:
    """Every message on DESK, once each of `event_types` is among them."""

    async def all_there() -> list[Any] | None:
        messages = await desk.events()
        subjects = {m.subject.split(".", 3)[3] for m in messages}
        return messages if set(event_types) <= subjects else None

    return await eventually(all_there)


class Desks:
    """The desk and the engineering department of site hbw, each command required to succeed."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def intake(self, verb: str, **fields: Any) -> dict[str, Any]:
        reply = await self.desk.command("hbw", verb, {"staff_id": "S01"} | fields)
        assert reply["ok"], (verb, reply)
        return reply

    async def report(self, ref: str, **fields: Any) -> str:
        reply = await self.desk.command("hbw", "report", report_body(ref, **fields))
        assert reply["ok"], reply
        await self.desk.ticket("hbw", reply["ticket_id"])
        return reply["ticket_id"]

    async def order(self, verb: str, order_id: str, **fields: Any) -> dict[str, Any]:
        body = {"work_order_id": order_id, "staff_id": "E01"} | fields
        reply = await self.desk.dispatch("hbw", verb, body)
        assert reply["ok"], (verb, reply)
        return reply

    async def issue(self, ticket_id: str, **fields: Any) -> str:
        """An order by hand, once dispatch has read the ticket."""
        body = {"ticket_id": ticket_id, "staff_id": "S01"} | fields

        async def issued() -> str | None:
            reply = await self.desk.dispatch("hbw", "issue", body)
            return reply["work_order_id"] if reply["ok"] else None

        return await eventually(issued)

    async def walk(self, order_id: str, *verbs: str) -> None:
        fields = {"collect": {"collected_by": "ENG-LEAD"}, "assign": {"technician": "T07"}}
        for verb in verbs:
            await self.order(verb, order_id, **fields.get(verb, {}))

    async def order_of(self, ticket_id: str, count: int = 1) -> str:
        """The id of the ticket's `count`th work order, once the view shows it."""

        async def shown() -> str | None:
            reply = await self.desk.query("hbw", "ticket.get", {"ticket_id": ticket_id})
            orders = reply["ticket"]["work_orders"] if reply["ok"] else []
            return orders[count - 1]["work_order_id"] if len(orders) >= count else None

        return await eventually(shown)


async def _ok(reply: Any) -> bool:
    return (await reply)["ok"]


async def test_every_free_text_field_reaches_desk_masked_R15_1_R15_5(desk: Desk, services, clock):
    """A repair, a complaint and a leak, each field of free text full of personal data: intake's
    and dispatch's events carry none of it, and keep the dates, amounts and numbers as typed."""
    hbw = Desks(desk)
    # a repair reported by 李四, linked again by 赵六: every field of intake's free text
    tid = await hbw.report("pd-1", kind="repair", category="plumbing", reporter=REPORTER,
                           content=text("content"))  # fmt: skip
    await hbw.intake("link", ticket_id=tid, channel="phone", content=text("link"),
                     reporter={"name": "赵六", "phone": "13700137000"})  # fmt: skip
    await hbw.intake("reveal_contact", ticket_id=tid, purpose=text("purpose"))
    await hbw.intake("reply", ticket_id=tid, message=text("message"))
    # its work order, quoted, done and signed off, which resolves the ticket
    first = await hbw.order_of(tid)
    await hbw.walk(first, "collect", "assign")
    await hbw.order("quote", first, amount="120", items=text("items"))
    await hbw.walk(first, "accept_quote", "arrive")
    await hbw.order("complete", first, notes=text("notes"), actual_item=text("item"), fee="120")
    await hbw.order("sign_off", first, quality=3, attitude=3, comment=text("sign-off"))
    await desk.ticket("hbw", tid, version=5)
    await hbw.intake("follow_up", ticket_id=tid, satisfied=False, score=2,
                     comment=text("follow-up"))  # fmt: skip
    # its rework: overridden, rescheduled, referred; the ticket resolved and reopened by hand
    second = (await hbw.order("rework", first, reason=text("rework")))["work_order_id"]
    await hbw.order("override", second, urgency="urgent", reason=text("override"))
    await hbw.walk(second, "collect", "assign")
    start = clock.now() + timedelta(days=1)
    window = {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}
    await hbw.order("reschedule", second, reason=text("reschedule"), appointment=window)
    await hbw.order("refer", second, reason=text("refer"))
    # resolvable once intake has read that the rework was referred (no order open, R8.12)
    body = {"staff_id": "S01", "ticket_id": tid, "resolution": text("resolution")}
    await eventually(lambda: _ok(desk.command("hbw", "resolve", body)))
    await hbw.intake("reopen", ticket_id=tid, reason=text("reopen"))
    # a complaint with an order by hand whose quote is declined; the complaint cancelled
    complaint = await hbw.report("pd-2", category="cleaning", content=text("complaint"))
    third = await hbw.issue(complaint, reason=text("issue"))
    await hbw.walk(third, "collect")
    await hbw.order("quote", third, amount="80", items="非标清洁")
    await hbw.order("decline_quote", third, reason=text("decline"))
    await hbw.intake("cancel", ticket_id=complaint, reason="withdrawn", note=text("cancel"))
    # a roof leak, accepted after the rain
    leak = await hbw.report("pd-3", kind="repair", category="plumbing", content="顶楼屋面渗水")
    fourth = await hbw.order_of(leak)
    await hbw.walk(fourth, "collect", "assign", "arrive")
    await hbw.order("complete", fourth, notes="重做防水", actual_item="涂料")
    await hbw.order("confirm_acceptance", fourth, note=text("acceptance"))
    # the month's analysis
    await hbw.intake("attach_analysis", month="2026-11", cause=text("cause"),
                     lessons=text("lessons"), actions=text("actions"))  # fmt: skip

    messages = await published(
        desk, "ticket.reopened", "ticket.cancelled", "workorder.referred",
        "workorder.quote_declined", "workorder.acceptance_confirmed", "report.analysis_attached",
    )  # fmt: skip

    assert leaks(messages) == []
    events = [json.loads(m.data) for m in messages]
    texts = [v for e in events for v in e["data"].values() if isinstance(v, str) and "：" in v]
    assert len(texts) >= 25  # every field of free text above, as published
    for published_text in texts:
        assert "***" in published_text and all(kept in published_text for kept in KEPT[1:])
    [reported] = [e["data"] for e in events if e["aggregate_id"] == tid
                  and e["event_type"] == "ticket.reported"]  # fmt: skip
    assert (reported["unit"], reported["client_ref"]) == ("5-302", "pd-1")


async def test_a_room_client_ref_and_staff_id_that_are_not_personal_are_published_as_typed(
    desk: Desk, services
):
    """The positive control of the refusals below: real rooms, references and staff ids."""
    room = {"name": "王小明", "phone": "13800138000", "room": "3栋1单元502"}
    await Desks(desk).report("crm-20261123-000042", staff_id="hbw-S01", reporter=room,
                             content="3栋漏水 2026-11-23")  # fmt: skip

    [msg] = await published(desk, "ticket.reported")
    event = json.loads(msg.data)
    assert event["actor"] == "hbw-S01"
    assert event["data"]["unit"] == "3栋1单元502"
    assert event["data"]["client_ref"] == "crm-20261123-000042"
    assert event["data"]["content"] == "3栋漏水 2026-11-23"


async def test_identifiers_that_look_like_personal_data_are_refused_and_change_nothing_R15_4(
    desk: Desk, services
):
    """staff_id (the actor), client_ref, command_id (the causation), the room (the unit), the
    department lead and the technician and the Correlation-Id header are published as typed:
    each is refused as `invalid`, naming the field, and nothing reaches DESK. (A site id that
    looks like a phone never becomes a site: tests/unit/test_sites_file.py.)"""
    hbw = Desks(desk)
    tid = await hbw.report("ok-1", kind="repair", category="plumbing", content="水龙头滴水")
    order = {"work_order_id": await hbw.order_of(tid), "staff_id": "E01"}
    await published(desk, "ticket.reported", "workorder.issued")
    before = await desk.stream_count()
    room = {"name": "王小明", "phone": "13800138000", "room": "139 1234 5678"}
    refusals = {
        "staff_id": desk.command("hbw", "report", report_body("r-2", staff_id="13912345678")),
        "client_ref": desk.command("hbw", "report", report_body("c.139.1234.5678")),
        "command_id": desk.command(
            "hbw", "report", report_body("r-3", command_id="440301199001011234")
        ),
        "reporter.room": desk.command("hbw", "report", report_body("r-4", reporter=room)),
        "collected_by": desk.dispatch("hbw", "collect", order | {"collected_by": "139-1234-5678"}),
        "technician": desk.dispatch("hbw", "assign", order | {"technician": "li.si@qq.com"}),
    }
    for field, sent in refusals.items():
        reply = await sent
        assert reply["ok"] is False and reply["error"]["code"] == "invalid", (field, reply)
        assert [f["field"] for f in reply["error"]["fields"]] == [field]
    resolve = {"ticket_id": tid, "staff_id": "S01", "resolution": "已修好"}
    hbw_desk = await desk.bus.connection("site-hbw")
    msg = await hbw_desk.request(
        "desk.cmd.hbw.intake.resolve",
        json.dumps(resolve).encode(),
        headers={"Correlation-Id": "139 1234 5678"},
        timeout=5,
    )
    header = json.loads(msg.data)
    assert [f["field"] for f in header["error"]["fields"]] == ["Correlation-Id"]

    assert await desk.stream_count() == before
    shown = await desk.ticket("hbw", tid)
    assert shown["status"] == "received" and shown["work_orders"][0]["status"] == "issued"


async def test_escalation_notes_reach_desk_masked_R15_1(desk: Desk, drill_services):
    """A pause while waiting for parts and the acknowledgement of a breach, both noted with
    personal data: escalation's events carry none of it."""
    await drill_services()
    drill = Drill(desk)
    hbw = Desks(desk)
    repair = await hbw.report("e-1", kind="repair", category="plumbing", content="卫生间下水慢")
    await drill.started(repair, "general_fixed")
    paused = await drill.escalation(
        "pause", {"ticket_id": repair, "reason": "parts", "note": text("pause")}
    )
    help_request = await hbw.report(
        "e-2", kind="help", help_category="G", category=None, content="电梯困人"
    )
    await drill.started(help_request, "help_reply")
    await drill.decided_at(START + timedelta(minutes=5))
    [notice] = await eventually(lambda: drill.notices("cs_assistant"))
    ack = {"notification_id": notice["notification_id"]}
    refused = await drill.escalation("ack", ack | {"staff_id": "+86 139 1234 5678"})
    acknowledged = await drill.escalation("ack", ack | {"note": text("ack")})

    messages = await published(
        desk, "escalation.clock_paused", "escalation.notification_acknowledged"
    )
    assert paused["ok"] and acknowledged["ok"]
    assert refused["error"]["fields"][0]["field"] == "staff_id"
    assert leaks(messages) == []
    notes = {m.subject.rsplit(".", 1)[1]: json.loads(m.data)["data"]["note"] for m in messages
             if m.subject.endswith(("clock_paused", "notification_acknowledged"))}  # fmt: skip
    assert set(notes) == {"clock_paused", "notification_acknowledged"}
    assert all("***" in note and KEPT[2] in note for note in notes.values())
