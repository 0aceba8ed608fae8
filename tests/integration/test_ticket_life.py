"""A ticket's whole life through NATS, read back from the reporting projection
(docs/DOMAIN.md §2–§6)."""

from __future__ import annotations

import json

import pytest

from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

NAME, PHONE = "王小明", "13800138000"


async def test_a_complaint_lives_from_report_to_closure_and_keeps_its_history(
    desk: Desk, services
) -> None:
    """R6.2 classify, R16.1 repeat contact, R6.9 the customer accepts the solution before it is
    carried out, R11.1 follow-up (unsatisfied reopens, then closes)."""
    t = await desk.command("hbw", "report", report_body())
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S02"}

    steps = [
        ("classify", {"validity": "valid", "severity": "important"}, "classified"),
        ("link", {"channel": "visit", "content": "住户再次来访反映噪音"}, "classified"),
        ("accept_solution", {"solution": "约谈装修单位, 限定施工时间"}, "classified"),
        ("resolve", {"resolution": "已约谈装修单位, 限定施工时间"}, "resolved"),
        ("follow_up", {"satisfied": False, "score": 2, "comment": "晚上仍有噪音"}, "reopened"),
        ("accept_solution", {"solution": "物业夜间巡查"}, "reopened"),
        ("resolve", {"resolution": "物业巡查确认已停止夜间施工"}, "resolved"),
        ("follow_up", {"satisfied": True, "score": 5}, "closed"),
    ]
    for verb, fields, status in steps:
        reply = await desk.command("hbw", verb, ref | fields)
        assert (reply["ok"], reply["status"]) == (True, status), (verb, reply)

    ticket = await desk.ticket("hbw", t["ticket_id"], version=11)
    assert ticket["status"] == "closed"
    assert ticket["validity"] == "valid" and ticket["severity"] == "important"
    assert ticket["repeat_count"] == 1
    assert ticket["reopen_count"] == 1
    assert ticket["owner"] == "S01"  # first-contact responsibility stays with the receiver
    assert [h["event_type"] for h in ticket["history"]] == [
        "ticket.reported",
        "ticket.classified",
        "ticket.contact_linked",
        "ticket.solution_accepted",
        "ticket.resolved",
        "ticket.followed_up",
        "ticket.reopened",
        "ticket.solution_accepted",
        "ticket.resolved",
        "ticket.followed_up",
        "ticket.closed",
    ]


async def test_a_communicative_complaint_is_classified_apart_from_valid_ones(
    desk: Desk, services
) -> None:
    """R5.6 and decision C10: communicative complaints have a type and no severity."""
    t = await desk.command("hbw", "report", report_body())
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S01"}

    refused = await desk.command(
        "hbw", "classify", ref | {"validity": "communicative", "severity": "minor"}
    )
    accepted = await desk.command(
        "hbw", "classify", ref | {"validity": "communicative", "communicative_type": "venting"}
    )

    assert refused["error"]["code"] == "invalid"
    assert accepted["ok"] is True
    ticket = await desk.ticket("hbw", t["ticket_id"], version=2)
    assert (ticket["validity"], ticket["communicative_type"]) == ("communicative", "venting")


async def test_tickets_are_listed_newest_first_by_status_and_kind_with_a_cursor(
    desk: Desk, services
) -> None:
    ids = []
    for n in range(5):
        kind = "repair" if n % 2 else "inquiry"
        reply = await desk.command("hbw", "report", report_body(f"r{n}", kind=kind))
        ids.append(reply["ticket_id"])
    await desk.ticket("hbw", ids[-1])
    await desk.command(
        "hbw", "cancel", {"ticket_id": ids[0], "staff_id": "S01", "reason": "withdrawn"}
    )
    await desk.ticket("hbw", ids[0], version=2)

    first = await desk.query("hbw", "ticket.list", {"limit": 2})
    second = await desk.query("hbw", "ticket.list", {"limit": 2, "cursor": first["next_cursor"]})
    third = await desk.query("hbw", "ticket.list", {"limit": 2, "cursor": second["next_cursor"]})
    repairs = await desk.query("hbw", "ticket.list", {"kind": "repair"})
    cancelled = await desk.query("hbw", "ticket.list", {"status": "cancelled"})
    bad = await desk.query("hbw", "ticket.list", {"status": "lost"})

    paged = [t["ticket_id"] for page in (first, second, third) for t in page["tickets"]]
    assert paged == list(reversed(ids))
    assert third["next_cursor"] is None
    assert [t["ticket_id"] for t in repairs["tickets"]] == [ids[3], ids[1]]
    assert [t["ticket_id"] for t in cancelled["tickets"]] == [ids[0]]
    assert bad["error"]["code"] == "invalid"


async def test_no_reporter_name_or_phone_ever_reaches_the_bus(desk: Desk, services) -> None:
    """docs/DOMAIN.md §9, R15.1: personal data stays in the intake store."""
    t = await desk.command(
        "hbw",
        "report",
        report_body(kind="inquiry", content=f"{NAME}说请回电 {PHONE}, 或 139-1234-5678"),
    )
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S01"}
    await desk.command(
        "hbw",
        "link",
        ref
        | {
            "channel": "phone",
            "content": f"{NAME}再次来电",
            "reporter": {"name": NAME, "phone": PHONE},
        },
    )
    await desk.command("hbw", "resolve", ref | {"resolution": f"已电话告知{NAME}"})
    await desk.ticket("hbw", t["ticket_id"], version=3)

    raw = b"".join(m.data for m in await desk.events()).decode()
    for secret in (NAME, PHONE, "139-1234-5678"):
        assert secret not in raw
    ticket = await desk.ticket("hbw", t["ticket_id"], version=3)
    assert NAME not in str(ticket) and PHONE not in str(ticket)


async def test_staff_see_the_reporters_contact_only_by_asking_and_every_look_is_recorded(
    desk: Desk, services
) -> None:
    """R15.2: no viewing of customer information without a recorded purpose."""
    t = await desk.command("hbw", "report", report_body())
    await desk.command(
        "hbw",
        "link",
        {"ticket_id": t["ticket_id"], "staff_id": "S01", "channel": "visit",
         "content": "家人来访", "reporter": {"name": "王太太", "phone": "13900001111"}},
    )  # fmt: skip
    ask = {"ticket_id": t["ticket_id"], "staff_id": "S05", "purpose": "回访"}

    revealed = await desk.command("hbw", "reveal_contact", ask)
    elsewhere = await desk.command("tech-park", "reveal_contact", ask)
    no_reason = await desk.command("hbw", "reveal_contact", ask | {"purpose": ""})

    assert [(r["name"], r["phone"]) for r in revealed["reporters"]] == [
        (NAME, PHONE),
        ("王太太", "13900001111"),
    ]
    assert elsewhere["error"]["code"] == "not_found"
    assert no_reason["error"]["fields"][0]["field"] == "purpose"
    ticket = await desk.ticket("hbw", t["ticket_id"], version=3)
    looked = ticket["history"][-1]
    assert (looked["event_type"], looked["actor"]) == ("ticket.contact_revealed", "S05")
    raw = b"".join(m.data for m in await desk.events()).decode()
    assert "13900001111" not in raw and "王太太" not in raw


async def test_a_ticket_is_found_by_the_number_the_customer_was_given(desk: Desk, services) -> None:
    t = await desk.command("hbw", "report", report_body())
    await desk.ticket("hbw", t["ticket_id"])

    by_no = await desk.query("hbw", "ticket.get", {"ticket_no": t["ticket_no"]})
    elsewhere = await desk.query("tech-park", "ticket.get", {"ticket_no": t["ticket_no"]})
    both = await desk.query(
        "hbw", "ticket.get", {"ticket_id": t["ticket_id"], "ticket_no": t["ticket_no"]}
    )
    neither = await desk.query("hbw", "ticket.get", {})

    assert by_no["ticket"]["ticket_id"] == t["ticket_id"]
    assert elsewhere["error"]["code"] == "not_found"
    assert both["error"]["code"] == neither["error"]["code"] == "invalid"


async def _published(desk: Desk, n: int) -> list[dict]:
    """The first `n` envelopes on DESK, once they are there."""

    async def there() -> list[dict] | None:
        msgs = await desk.events()
        return [json.loads(m.data) for m in msgs] if len(msgs) >= n else None

    return (await eventually(there))[:n]


async def test_a_help_request_is_replied_to_and_the_first_reply_is_marked_first(
    desk: Desk, services
) -> None:
    """R10.2: a help request is answered within 5 minutes; `first` tells which reply that was."""
    body = report_body(kind="help", help_category="G", category=None, content="钥匙锁在屋里了")
    t = await desk.command("hbw", "report", body)
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S02"}

    first = await desk.command("hbw", "reply", ref | {"message": f"{NAME}您好, 值班人员马上到"})
    second = await desk.command("hbw", "reply", ref | {"message": "值班人员已到门口"})

    expected = {"ok": True, "ticket_id": t["ticket_id"], "ticket_no": t["ticket_no"]}
    assert first == second == expected | {"status": "received"}
    reported, *replies = await _published(desk, 3)
    assert reported["event_type"] == "ticket.reported"
    assert [(e["event_type"], e["aggregate_version"], e["data"]["first"]) for e in replies] == [
        ("ticket.replied", 2, True),
        ("ticket.replied", 3, False),
    ]
    assert replies[0]["data"]["message"] == "***您好, 值班人员马上到"
    assert replies[1]["actor"] == "S02"


async def test_a_reply_to_a_resolved_ticket_or_without_a_message_is_refused_and_records_nothing(
    desk: Desk, services
) -> None:
    """R10.2: replies belong to open tickets; the message is short text (1–500 characters). A
    help request of category G (其他求助): A, E and F also open an emergency event (R16.5),
    whose events are not this test's."""
    t = await desk.command("hbw", "report", report_body(kind="help", help_category="G"))
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S02"}
    empty = await desk.command("hbw", "reply", ref | {"message": ""})
    await desk.command("hbw", "resolve", ref | {"resolution": "已帮忙开门"})
    await _published(desk, 2)
    before = services["intake"].app.recorder.max_notification_id()

    late = await desk.command("hbw", "reply", ref | {"message": "补充说明"})

    assert empty["error"]["code"] == "invalid"
    assert [f["field"] for f in empty["error"]["fields"]] == ["message"]
    assert late["error"] == {
        "code": "conflict",
        "message": "cannot reply to a ticket that is resolved",
        "fields": [],
    }
    assert services["intake"].app.recorder.max_notification_id() == before
    assert [e["event_type"] for e in await _published(desk, 2)] == [
        "ticket.reported",
        "ticket.resolved",
    ]
    assert await desk.stream_count() == 2
