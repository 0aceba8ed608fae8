"""What the desk records and tells people, through the CLI and NATS with the real services
(issue 13, items 12, 13, 17, 18): the follow-up's one definition of "satisfied" (R11.1), the
inspection finding verified on site (R13.17), times in the site's zone, and the promises the
procedures make to the customer (R3.9, R7.3, R10.2, R6.4)."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest
import structlog
from typer.testing import CliRunner

from propdesk.cli.main import app
from tests.integration.support import Desk, eventually, ready_to_resolve, report_body

pytestmark = pytest.mark.integration


async def cli(url: str, *args: str, columns: int = 200) -> Any:
    """`propdesk …` as the desk runs it (in a thread: it runs its own event loop), in a terminal
    `columns` wide."""
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=sys.__stderr__))
    try:
        runner = CliRunner()
        return await asyncio.to_thread(
            runner.invoke, app, [*args, "--nats-url", url], env={"COLUMNS": str(columns)}
        )
    finally:
        structlog.reset_defaults()


async def monthly(desk: Desk, month: str = "2026-11") -> dict[str, Any]:
    reply = await desk.query("hbw", "report.monthly", {"month": month})
    assert reply["ok"], reply
    return reply["report"]


# -- item 13: one definition of "satisfied" ------------------------------------------------------


async def test_a_follow_up_whose_flag_contradicts_the_score_is_refused_and_the_score_decides_R11_1(
    desk: Desk, services, nats_server
) -> None:
    """R11.1, R8.12: the customer's score (1–5) is the answer; 4–5 is satisfied and closes,
    1–3 reopens. `--satisfied --score 1` closed a ticket before and counted as satisfied in the
    demo's table but not in the report: it is refused, with a message that says why."""
    t = await desk.command("hbw", "report", report_body())
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S02"}
    await ready_to_resolve(desk, "hbw", t["ticket_id"], "S02")  # R6.2, R6.9 (item 14)
    resolved = await desk.command("hbw", "resolve", ref | {"resolution": "已协调楼上住户"})
    assert resolved["ok"], resolved
    follow_up = ("ticket", "follow-up", t["ticket_id"], "--site", "hbw", "--staff", "S02")

    contradicted = await cli(nats_server.url, *follow_up, "--score", "1", "--satisfied")
    told = await cli(nats_server.url, *follow_up, "--score", "4")

    assert contradicted.exit_code == 1, contradicted.output
    assert "score 1 is not satisfied" in contradicted.output
    assert "4–5" in contradicted.output
    assert told.exit_code == 0, told.output
    assert "status closed" in told.output

    async def answered() -> dict[str, Any] | None:
        report = await monthly(desk)
        return report if report["satisfaction"]["follow_ups"] else None

    report = await eventually(answered)
    assert report["satisfaction"] == {"follow_ups": 1, "satisfied": 1, "rate": 1.0}
    published = [m for m in await desk.events() if m.subject.endswith(".ticket.followed_up")]
    assert len(published) == 1  # the contradiction recorded nothing


async def test_a_score_of_three_is_not_satisfied_and_reopens_with_its_reason_R11_2(
    desk: Desk, services, nats_server
) -> None:
    """R11.2: fed back until the customer is satisfied; 3 is not (reports count 4–5).
    R11.4: a phone complaint is handled until the customer is satisfied: it reopens."""
    t = await desk.command("hbw", "report", report_body())
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S02"}
    await ready_to_resolve(desk, "hbw", t["ticket_id"], "S02")  # R6.2, R6.9 (item 14)
    resolved = await desk.command("hbw", "resolve", ref | {"resolution": "已协调楼上住户"})
    assert resolved["ok"], resolved

    no_reason = await desk.command("hbw", "follow_up", ref | {"score": 3})
    reopened = await desk.command("hbw", "follow_up", ref | {"score": 3, "comment": "一般"})

    assert [f["field"] for f in no_reason["error"]["fields"]] == ["comment"]
    assert (reopened["ok"], reopened["status"]) == (True, "reopened")


# -- items 17 and 18: what the desk tells the customer, in the site's time -----------------------

REPORT = ("contact", "report", "--site", "hbw", "--staff", "S01")
RESIDENT = ("--name", "王小明", "--phone", "13800138000", "--room", "3-201")


async def test_the_desk_tells_the_customer_the_repair_times_in_the_sites_zone_R7_3_R3_9(
    desk: Desk, services, nats_server
) -> None:
    """R3.9, R7.3: an urgent repair reported at 10:00 in Shanghai (02:00 UTC): a technician on
    site by 12:00 and repaired by 10:00 the next day, said in the site's time and zone; the reply
    carries the site's offset."""
    told = await cli(nats_server.url, *REPORT, *RESIDENT, "--kind", "repair",
                     "--category", "electrical", "--content", "整栋楼停电")  # fmt: skip
    reply = await desk.command("hbw", "report", report_body(
        "r-2", kind="repair", category="plumbing", content="厨房水龙头滴水"))  # fmt: skip

    assert told.exit_code == 0, told.output
    assert "tell the customer: a technician on site by 2026-11-23 12:00 (UTC+08:00)" in told.output
    assert "tell the customer: repaired by 2026-11-24 10:00 (UTC+08:00)" in told.output
    assert "T02:00" not in told.output and "Z" not in told.output.split("id ")[-1]
    assert reply["deadline"] == {"clock": "general_fixed", "due_at": "2026-11-26T10:00:00+08:00",
                                 "guessed_years": []}  # fmt: skip
    assert reply["promises"] == [reply["deadline"]]


async def test_a_complaint_is_promised_a_reply_not_told_the_internal_ladder_step_R6_4_R6_8(
    desk: Desk, services, nats_server
) -> None:
    """R6.4, R6.8, R6.15: the complainant is promised a reply on how the complaint is handled
    within the two days after which it would go up; "department supervisor" is the desk's own
    step, not something to tell a customer."""
    told = await cli(nats_server.url, *REPORT, *RESIDENT, "--kind", "complaint",
                     "--category", "noise", "--content", "楼上装修噪音太大")  # fmt: skip
    reply = await desk.command("hbw", "report", report_body("c-2"))

    assert told.exit_code == 0, told.output
    assert (
        "tell the customer: a reply on how your complaint is handled by 2026-11-25 10:00 "
        "(UTC+08:00)" in told.output
    )
    assert "supervisor" not in told.output
    assert reply["promises"] == [
        {"clock": "complaint_reply", "due_at": "2026-11-25T10:00:00+08:00", "guessed_years": []}
    ]


async def test_a_help_request_is_promised_an_answer_in_five_minutes_R10_2(
    desk: Desk, services, nats_server
) -> None:
    told = await cli(nats_server.url, *REPORT, *RESIDENT, "--kind", "help",
                     "--help-category", "G", "--content", "钥匙锁在屋里了")  # fmt: skip

    assert told.exit_code == 0, told.output
    assert "tell the customer: an answer by 2026-11-23 10:05 (UTC+08:00)" in told.output


async def test_an_inspection_finding_promises_nothing_for_there_is_no_customer_R13_17(
    desk: Desk, services, nats_server
) -> None:
    """R13.13–R13.17: a finding goes to the front desk as a report; nobody reported it, so nobody
    is told anything (its clocks still run for the desk)."""
    told = await cli(nats_server.url, *REPORT, "--channel", "inspection", "--kind", "repair",
                     "--category", "electrical",
                     "--content", "巡查发现大堂灯不亮")  # fmt: skip
    reply = await desk.command("hbw", "report", report_body(
        "i-2", channel="inspection", kind="repair", category="plumbing", reporter=None,
        content="巡查发现消防栓漏水"))  # fmt: skip

    assert told.exit_code == 0, told.output
    assert "Contact logged" in told.output
    assert "tell the customer" not in told.output
    assert (reply["deadline"], reply["promises"]) == (None, [])


async def test_ticket_show_and_list_give_every_time_in_the_sites_zone_and_say_so(
    desk: Desk, services, nats_server
) -> None:
    """Times a person reads are the site's (Asia/Shanghai, UTC+08:00), never bare UTC."""
    t = await desk.command("hbw", "report", report_body(kind="repair", category="plumbing",
                                                        content="厨房水管漏水"))  # fmt: skip
    await desk.ticket("hbw", t["ticket_id"])

    shown = await cli(nats_server.url, "ticket", "show", t["ticket_no"], "--site", "hbw")
    listed = await cli(nats_server.url, "ticket", "list", "--site", "hbw")

    assert shown.exit_code == 0, shown.output
    assert "2026-11-23 10:00 (UTC+08:00)" in shown.output  # received, and in the history
    assert "02:00" not in shown.output
    assert listed.exit_code == 0, listed.output
    # a list's times share the site's zone: said once below it, each cell without it
    assert "2026-11-23 10:00" in listed.output and "(UTC" not in listed.output
    assert "times in Asia/Shanghai, UTC+08:00" in listed.output


# -- item 12: an inspection finding is verified on site, not called back -------------------------

WORK = (
    ("collect", {"collected_by": "ENG-LEAD"}),
    ("assign", {"technician": "T07"}),
    ("arrive", {}),
    ("complete", {"notes": "更换消防栓阀门", "actual_item": "DN65 阀门"}),
    ("sign_off", {"quality": 5, "attitude": 5}),
)


async def _handled_finding(desk: Desk) -> dict[str, Any]:
    """An inspection finding (no reporter) whose work order was done: the ticket is resolved."""
    t = await desk.command("hbw", "report", report_body(
        "insp-1", channel="inspection", kind="repair", category="plumbing", reporter=None,
        content="巡查发现3栋消防栓漏水"))  # fmt: skip

    async def with_order() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "ticket.get", {"ticket_id": t["ticket_id"]})
        return reply["ticket"] if reply["ok"] and reply["ticket"]["work_orders"] else None

    order = (await eventually(with_order))["work_orders"][0]
    for verb, fields in WORK:
        body = {"work_order_id": order["work_order_id"], "staff_id": "E01"} | fields
        assert (await desk.dispatch("hbw", verb, body))["ok"], verb
    resolved = await desk.ticket("hbw", t["ticket_id"], version=2)
    assert resolved["status"] == "resolved"
    return t


async def test_an_inspection_finding_is_verified_on_site_and_never_asked_for_a_score_R13_17(
    desk: Desk, services, nats_server
) -> None:
    """R13.17: after handling, the responsible person verifies on site and records who, when and
    the result; a finding has no customer, so no follow-up call, no invented score, and nothing in
    the satisfaction rate (R11.1 counts customers' answers)."""
    t = await _handled_finding(desk)
    common = (t["ticket_no"], "--site", "hbw", "--staff", "S03")

    invented = await cli(nats_server.url, "ticket", "follow-up", *common, "--score", "5")
    no_note = await desk.command(
        "hbw", "verify", {"ticket_id": t["ticket_id"], "staff_id": "S03", "passed": False}
    )
    verified = await cli(nats_server.url, "ticket", "verify", *common, "--passed",
                         "--verified-by", "S07", "--verified-at", "2026-11-23T09:45+08:00",
                         "--note", "复查无渗漏")  # fmt: skip

    assert invented.exit_code == 1, invented.output
    assert "no customer" in invented.output and "verify" in invented.output
    assert [f["field"] for f in no_note["error"]["fields"]] == ["note"]
    assert verified.exit_code == 0, verified.output
    assert "Verified on site" in verified.output and "status closed" in verified.output
    ticket = await desk.ticket("hbw", t["ticket_id"], version=4)
    assert [h["event_type"] for h in ticket["history"][-2:]] == ["ticket.verified", "ticket.closed"]
    check = ticket["history"][-2]
    assert check["actor"] == "S03"
    assert check["data"] == {"verified_by": "S07", "verified_at": "2026-11-23T09:45:00+08:00",
                             "passed": True, "note": "复查无渗漏"}  # fmt: skip
    assert ticket["history"][-1]["data"]["reason"] == "verified_on_site"
    assert ticket["follow_up_count"] == 0

    async def counted() -> dict[str, Any] | None:
        report = await monthly(desk)
        return report if report["contacts"] and report["resolution_hours"]["resolved"] else None

    report = await eventually(counted)
    assert report["satisfaction"] == {"follow_ups": 0, "satisfied": 0, "rate": None}
    assert report["follow_up"] == {"resolved": 0, "followed_up": 0, "rate": None}


async def test_a_failed_check_on_site_reopens_the_finding_with_what_remains_R13_17(
    desk: Desk, services
) -> None:
    t = await _handled_finding(desk)
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S03"}

    failed = await desk.command("hbw", "verify", ref | {"passed": False, "note": "仍有渗水"})

    assert (failed["ok"], failed["status"]) == (True, "reopened")
    ticket = await desk.ticket("hbw", t["ticket_id"], version=4)
    assert ticket["history"][-1]["data"]["reason"] == "仍有渗水"


async def test_a_customers_ticket_is_not_verified_on_site_but_followed_up_R11_1(
    desk: Desk, services
) -> None:
    t = await desk.command("hbw", "report", report_body())
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S02"}
    await ready_to_resolve(desk, "hbw", t["ticket_id"], "S02")  # R6.2, R6.9 (item 14)
    resolved = await desk.command("hbw", "resolve", ref | {"resolution": "已协调楼上住户"})
    assert resolved["ok"], resolved

    refused = await desk.command("hbw", "verify", ref | {"passed": True})

    assert refused["error"]["code"] == "invalid"
    assert "follow-up call" in refused["error"]["message"]
