"""Staff act with a role: a site that lists its staff has every command checked against the list,
and the guarded commands against the role they need (docs/contract.md §16). Each refusal is
`forbidden`, names the role needed and publishes nothing; each has its positive control."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from services.escalation.entrypoint import EscalationService
from shared.kernel.clock import SimulatedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, cli, eventually, report_body

pytestmark = pytest.mark.integration

STAFF = {
    "S01": {"role": "receptionist", "name": "王芳"},
    "CS1": {"role": "cs_assistant"},
    "SUP": {"role": "department_supervisor"},
    "M01": {"role": "project_manager", "name": "李经理"},
    "T03": {"role": "technician", "department": "engineering"},
    "T09": {"role": "technician", "department": "engineering"},
}
STAFFED = {"strict": True, "sites": {"hbw": {"name": "华碧屋村", "staff": STAFF}}}


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The services of these stories read a site directory in which hbw lists its staff."""
    SiteDirectory.model_validate(STAFFED)  # a story never starts from a file the services refuse
    sites_file = tmp_path / "sites.json"
    sites_file.write_text(json.dumps(STAFFED, ensure_ascii=False), encoding="utf-8")
    return settings.model_copy(update={"sites_file": sites_file})


async def published(desk: Desk, event_type: str) -> list[dict[str, Any]]:
    return [json.loads(m.data) for m in await desk.events() if m.subject.endswith(f".{event_type}")]


def refused(reply: dict[str, Any]) -> str:
    assert reply["ok"] is False and reply["error"]["code"] == "forbidden", reply
    return reply["error"]["message"]


async def complaint(desk: Desk, ref: str = "c-1") -> str:
    """A valid noise complaint: on the escalation ladder (R6.3)."""
    reported = await desk.command("hbw", "report", report_body(ref))
    assert reported["ok"], reported
    ticket_id = reported["ticket_id"]
    body = {"staff_id": "S01", "ticket_id": ticket_id, "validity": "valid", "severity": "minor"}
    classified = await desk.command("hbw", "classify", body)
    assert classified["ok"], classified
    return ticket_id


async def test_a_command_from_staff_not_on_the_list_is_forbidden_and_publishes_nothing(
    desk: Desk, services
) -> None:
    stranger = await desk.command("hbw", "report", report_body("r-1", staff_id="S99"))
    assert refused(stranger) == "staff S99 is not on the staff list of hbw"
    ticket_id = await complaint(desk, "r-2")  # the receptionist on the list: served
    issue = {"staff_id": "S99", "ticket_id": ticket_id, "reason": "投诉处理"}
    order = await desk.dispatch("hbw", "issue", issue)
    assert refused(order) == "staff S99 is not on the staff list of hbw"  # every service checks

    await desk.ticket("hbw", ticket_id, version=2)
    assert [e["aggregate_id"] for e in await published(desk, "ticket.reported")] == [ticket_id]
    assert await published(desk, "workorder.issued") == []


async def test_a_technician_is_refused_a_residents_phone_and_the_attempt_is_kept_R15_2_R15_3(
    desk: Desk, services
) -> None:
    ticket_id = await complaint(desk)
    body = {"ticket_id": ticket_id, "purpose": "上门前联系业主"}
    looked = await desk.command("hbw", "reveal_contact", {"staff_id": "T03", **body})
    assert refused(looked) == (
        "revealing a resident's contact details needs receptionist, cs_assistant, "
        "department_supervisor or project_manager; staff T03 is technician (R15.2, R15.4)"
    )
    assert "13800138000" not in json.dumps(looked)

    # ops read the refused attempt, kept in intake's own store (never published), by asking
    # intake on desk.ops.intake.access_log, which only ops may send (docs/contract.md §22)
    log = await desk.request("desk.ops.intake.access_log", {"site": "hbw", "month": "2026-11"})
    assert log["ok"], log
    [attempt] = log["refused"]
    assert (attempt["staff_id"], attempt["role"], attempt["ticket_id"], attempt["purpose"]) == (
        "T03", "technician", ticket_id, "上门前联系业主",
    )  # fmt: skip
    assert datetime.fromisoformat(attempt["at"]) == START
    assert [m.subject for m in await desk.events() if "access" in m.subject] == []

    # the positive control: the CS assistant calls the customer back (R15.4)
    body = {"ticket_id": ticket_id, "purpose": "回访"}
    allowed = await desk.command("hbw", "reveal_contact", {"staff_id": "CS1", **body})
    assert allowed["ok"] and allowed["reporters"][0]["phone"] == "13800138000"
    revealed = await eventually(lambda: published(desk, "ticket.contact_revealed"))
    assert [e["actor"] for e in revealed] == ["CS1"]  # only the look that was allowed
    assert len(services["intake"].app.refused_reveals("hbw", "2026-11")) == 1


async def test_a_refused_look_at_a_missed_calls_number_is_kept_in_the_access_log_R2_6_R15_3(
    desk: Desk, services, nats_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    missed = {"staff_id": "S01", "client_ref": "m-1", "phone": "13912345678"}
    made = await desk.command("hbw", "promise_missed_call", missed)
    assert made["ok"], made
    body = {"promise": "m-1", "purpose": "回电"}
    looked = await desk.command("hbw", "promise_reveal", {"staff_id": "T03", **body})
    assert "R15.2" in refused(looked) and "13912345678" not in json.dumps(looked)
    unknown = await desk.command("hbw", "promise_reveal", {"staff_id": "T03", "promise": "m-9"})
    assert "R15.2" in refused(unknown)  # refused before the promise is looked up

    log = await desk.request("desk.ops.intake.access_log", {"site": "hbw", "month": "2026-11"})
    assert [(r["staff_id"], r["role"], r["ticket_id"], r["promise_id"], r["purpose"])
            for r in log["refused"]] == [
        ("T03", "technician", None, made["promise_id"], "回电"),
        ("T03", "technician", None, None, "回电 call back"),  # a promise the site does not have
    ]  # fmt: skip
    assert [m.subject for m in await desk.events() if "access" in m.subject] == []

    monkeypatch.setenv("COLUMNS", "200")  # a row a line: each cell whole
    shown = await cli(
        "access-log", "--site", "hbw", "--month", "2026-11", "--nats-url", nats_server.url
    )
    assert shown.exit_code == 0, shown.output  # as ops read it: which promise, or none found
    assert f"promise {made['promise_id']}" in shown.output and "(not found)" in shown.output

    allowed = await desk.command("hbw", "promise_reveal", {"staff_id": "CS1", **body})
    assert allowed["ok"] and allowed["phone"] == "13912345678"  # the positive control
    assert len(services["intake"].app.refused_reveals("hbw", "2026-11")) == 2


async def test_only_a_supervisor_or_above_cancels_a_complaint_on_the_ladder_R6_4(
    desk: Desk, services
) -> None:
    ticket_id = await complaint(desk)
    body = {"ticket_id": ticket_id, "reason": "withdrawn", "note": "业主表示已自行协商解决"}
    by_desk = await desk.command("hbw", "cancel", {"staff_id": "S01", **body})
    assert refused(by_desk) == (
        "cancelling a complaint on the escalation ladder needs department_supervisor, "
        "project_manager or gm_office; staff S01 is receptionist (R6.4–R6.6)"
    )
    shown = await desk.ticket("hbw", ticket_id, version=2)
    assert shown["status"] == "classified"

    by_supervisor = await desk.command("hbw", "cancel", {"staff_id": "SUP", **body})
    assert by_supervisor["ok"] and by_supervisor["status"] == "cancelled"
    [cancelled] = await eventually(lambda: published(desk, "ticket.cancelled"))
    assert cancelled["actor"] == "SUP"


async def test_a_receptionist_still_cancels_an_inquiry(desk: Desk, services) -> None:
    """Only the ladder is guarded: tickets off it are cancelled by the desk as before."""
    inquiry = await desk.command("hbw", "report", report_body("q-1", kind="inquiry"))
    body = {"staff_id": "S01", "ticket_id": inquiry["ticket_id"], "reason": "withdrawn"}
    cancelled = await desk.command("hbw", "cancel", body)
    assert cancelled["ok"] and cancelled["status"] == "cancelled"


async def test_only_the_management_office_head_attaches_the_month_analysis_R12_2(
    desk: Desk, services
) -> None:
    body = {"month": "2026-11", "cause": "装修噪音投诉集中", "lessons": "提前公示装修时间",
            "actions": "加强巡查"}  # fmt: skip
    by_assistant = await desk.command("hbw", "attach_analysis", {"staff_id": "CS1", **body})
    assert refused(by_assistant) == (
        "attaching the month's complaint analysis needs project_manager; "
        "staff CS1 is cs_assistant (R12.2)"
    )
    by_manager = await desk.command("hbw", "attach_analysis", {"staff_id": "M01", **body})
    assert by_manager["ok"] and by_manager["revision"] == 1
    [attached] = await eventually(lambda: published(desk, "report.analysis_attached"))
    assert attached["actor"] == "M01"


@pytest.fixture
async def escalation(
    services, settings: Settings, sim_clock: SimulatedClock, nats_server
) -> AsyncIterator[EscalationService]:
    """Escalation on the simulated clock, with the staffed directory of these stories."""
    service = EscalationService(settings, sim_clock)
    await service.start(nats_server.url)
    yield service
    await service.stop()


async def test_a_notice_is_acknowledged_only_by_its_role_or_above_R6_3(
    desk: Desk, escalation
) -> None:
    drill = Drill(desk)
    help_request = report_body("h-1", kind="help", help_category="G", category=None,
                               content="电梯困人")  # fmt: skip
    ticket_id = (await desk.command("hbw", "report", help_request))["ticket_id"]
    await drill.started(ticket_id, "help_reply")
    await drill.decided_at(START + timedelta(minutes=5))  # R10.2: no reply within 5 minutes
    [notice] = await eventually(lambda: drill.notices("cs_assistant"))
    ack = {"notification_id": notice["notification_id"], "note": "已回电"}

    by_receptionist = await drill.escalation("ack", {"staff_id": "S01", **ack})
    assert refused(by_receptionist).startswith(
        "acknowledging a notice to cs_assistant needs cs_assistant, department_supervisor, "
        "project_manager or gm_office; staff S01 is receptionist"
    )
    by_assistant = await drill.escalation("ack", {"staff_id": "CS1", **ack})
    assert by_assistant["ok"] and by_assistant["acknowledged_by"] == "CS1"
    [acknowledged] = await eventually(
        lambda: drill.events("escalation.notification_acknowledged", ticket_id)
    )
    assert acknowledged["actor"] == "CS1"


async def test_only_a_supervisor_or_above_replaces_the_technician_before_they_arrive_R8_4(
    desk: Desk, services
) -> None:
    """The technician sent is taken ill: the supervisor sends another; the first's queue no
    longer has the order, the second's has it. A technician may not hand it on, and once on
    site the order is not reassigned (it is rescheduled first, R7.17)."""
    reported = await desk.command("hbw", "report", report_body(
        "r-1", kind="repair", category="plumbing", content="厨房水管漏水"))  # fmt: skip
    assert reported["ok"], reported

    async def issued() -> dict[str, Any] | None:
        got = await desk.query("hbw", "ticket.get", {"ticket_id": reported["ticket_id"]})
        return (
            got["ticket"]["work_orders"][0] if got["ok"] and got["ticket"]["work_orders"] else None
        )

    order = {"work_order_id": (await eventually(issued))["work_order_id"]}
    # who signs for it and who is sent are on the site's list: a mistyped id is refused, naming
    # its field, and changes nothing (the order would have sat in nobody's queue)
    for verb, fields in (("collect", {"staff_id": "SUP", "collected_by": "SPU"}),
                         ("assign", {"staff_id": "SUP", "technician": "T3"})):  # fmt: skip
        typo = await desk.dispatch("hbw", verb, order | fields)
        assert typo["ok"] is False and typo["error"]["code"] == "invalid", typo
        field = next(iter(set(fields) - {"staff_id"}))
        assert typo["error"]["fields"][0]["field"] == field, typo
        assert "is not on the staff list of hbw" in typo["error"]["message"], typo
    still = await desk.query("hbw", "workorder.get", order)
    assert still["work_order"]["status"] == "issued", still
    for verb, fields in (("collect", {"staff_id": "SUP", "collected_by": "SUP"}),
                         ("assign", {"staff_id": "SUP", "technician": "T03"})):  # fmt: skip
        done = await desk.dispatch("hbw", verb, order | fields)
        assert done["ok"], done

    by_technician = await desk.dispatch("hbw", "assign", order | {"staff_id": "T03",
                                                                  "technician": "T09"})  # fmt: skip
    assert "replacing the technician of a work order needs department_supervisor" in refused(
        by_technician
    )
    replaced = await desk.dispatch("hbw", "assign", order | {"staff_id": "SUP",
                                                             "technician": "T09"})  # fmt: skip
    assert replaced["ok"] and replaced["status"] == "assigned", replaced

    async def queue(technician: str) -> list[str]:
        body = {"technician": technician}
        return [o["work_order_id"] for o in
                (await desk.query("hbw", "workorder.list", body))["work_orders"]]  # fmt: skip

    async def moved() -> bool:
        return await queue("T09") == [order["work_order_id"]] and await queue("T03") == []

    assert await eventually(moved)
    arrived = await desk.dispatch("hbw", "arrive", order | {"staff_id": "T09"})
    assert arrived["ok"], arrived
    again = await desk.dispatch("hbw", "assign", order | {"staff_id": "SUP", "technician": "T03"})
    assert again["ok"] is False and again["error"]["code"] == "conflict", again
