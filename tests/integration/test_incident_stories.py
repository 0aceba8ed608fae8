"""Emergency events (突发事件) through NATS (docs/INCIDENTS.md): what opens one, who is told at
once on any hour, what the desk records, what closing needs, and the month's report (R16.5,
R4.10, R10.7, R15.14, R4.6)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.integration.drill import Drill, parse, shanghai
from tests.integration.support import Desk, eventually, report_body
from tests.integration.test_desk_words import cli

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 12, 6, 2, 0)  # a Sunday, 02:00: the office-hours site is closed


async def _told(drill: Drill, role: str, reason: str) -> list[dict]:
    async def heard() -> list[dict]:
        return [n for n in await drill.notices(role) if n["reason"] == reason]

    return await eventually(heard)


async def _incident(desk: Desk, site: str, ref: str, **expect: object) -> dict:
    async def shown() -> dict | None:
        reply = await desk.query(site, "incident.show", {"incident_id": ref})
        if reply["ok"] and all(reply["incident"].get(k) == v for k, v in expect.items()):
            return reply["incident"]
        return None

    return await eventually(shown)


async def _report_help_f(desk: Desk, site: str, ref: str, incident_kind: str, content: str) -> dict:
    """A help request of category F (水浸、火灾等事故, R4.6): it opens its incident."""
    body = report_body(
        ref, kind="help", category=None, help_category="F",
        incident_kind=incident_kind, content=content,
    )  # fmt: skip
    reported = await desk.command(site, "report", body)
    assert reported["ok"], reported
    return reported


async def _close(desk: Desk, site: str, ref: str, measure: str, up: dict, follow_up: str) -> None:
    """Record a measure and the report upward, then close with the follow-up (R16.5)."""
    ids = {"incident_id": ref, "staff_id": "S01"}
    for verb, extra in (
        ("incident_measure", {"measure": measure}),
        ("incident_report_up", {"to": "project_manager"} | up),
        ("incident_close", {"follow_up": follow_up}),
    ):
        reply = await desk.command(site, verb, ids | extra)
        assert reply["ok"], reply


async def test_a_lift_entrapment_at_2am_on_sunday_tells_security_and_the_duty_manager_at_once_R16_5_R10_7_R15_14(  # noqa: E501
    desk: Desk, drill_services
) -> None:
    """R15.15 (C14): emergency calls are taken at any hour, not only in office hours."""
    await drill_services()
    drill = Drill(desk, "ohs")
    reported = await _report_help_f(desk, "ohs", "lift-1", "lift_entrapment", "2号楼电梯困人")

    # at once, at 02:00 on a Sunday: no office-hours clock holds the 24-hour line back
    [security] = await _told(drill, "department_supervisor", "incident_alerted")
    [manager] = await _told(drill, "project_manager", "incident_alerted")
    assert security["department"] == "security" and manager["department"] is None
    assert security["about"] == "incident" and parse(security["raised_at"]) == CLOCK_STARTS
    ref = security["ticket_no"]
    assert ref == "OHS-INC-202612-001"

    incident = await _incident(desk, "ohs", ref)
    assert (incident["kind"], incident["place"], incident["ticket_no"]) == (
        "lift_entrapment", "3-201", reported["ticket_no"],
    )  # fmt: skip
    assert incident["occurred_at"] == "2026-12-06T02:00:00+08:00"  # in the site's zone

    await drill.set_clock(CLOCK_STARTS + timedelta(minutes=25))
    await _close(desk, "ohs", ref, "电梯公司到场放人, 无人受伤", {"note": "电话报告"},
                 "门机故障, 已更换门锁")  # fmt: skip
    closed = await _incident(desk, "ohs", ref, status="closed")
    assert [m["taken_at"] for m in closed["measures"]] == ["2026-12-06T02:25:00+08:00"]
    assert closed["reports_up"][0]["to"] == "project_manager"

    async def listed() -> list[dict] | None:
        reply = await desk.query("ohs", "report.monthly", {"month": "2026-12"})
        found = reply["report"]["incidents"] if reply["ok"] else []
        return found if found and found[0]["status"] == "closed" else None

    [in_report] = await eventually(listed)
    assert (in_report["incident_no"], in_report["follow_up"]) == (ref, "门机故障, 已更换门锁")
    pack = await desk.request("desk.qry.company.report.quality", {"month": "2026-12"})
    assert [(s["site"], s["incidents"]) for s in pack["report"]["sites"]] == [
        ("hbw", 0),
        ("ohs", 1),
    ]
    assert pack["report"]["company"]["incidents"] == 1


async def test_closing_the_incident_answers_its_help_request_so_its_clock_no_longer_breaches_at_night_R10_2_R16_5(  # noqa: E501
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "escalation")
    drill = Drill(desk, "hbw")
    reported = await _report_help_f(desk, "hbw", "flood-1", "flood", "3-201 卫生间水浸")
    ticket_id, ref = reported["ticket_id"], reported["incident_no"]
    started = await drill.started(ticket_id, "help_reply")  # 5 minutes from 02:00 (R10.2)
    await _told(drill, "project_manager", "incident_alerted")

    # three minutes on the water is off, security has been, the manager told: the desk closes
    # the incident with its follow-up, and that answers the caller
    await drill.set_clock(CLOCK_STARTS + timedelta(minutes=3))
    await _close(desk, "hbw", ref, "关闭总阀, 清理积水", {}, "角阀老化爆裂, 已更换")

    async def replied() -> list[dict]:
        return [e for e in await drill.events("ticket.replied") if e["aggregate_id"] == ticket_id]

    [answered] = await eventually(replied)
    assert answered["data"]["first"] is True and ref in answered["data"]["message"]
    stopped = await drill.stopped(ticket_id, "help_reply")
    assert (stopped["outcome"], stopped["counted_seconds"]) == ("met", 180.0)

    # 02:05, and on to 02:30: no breach, nobody woken for it
    decided = await drill.decided_at(parse(started["deadline"]))
    decided |= await drill.decided_at(CLOCK_STARTS + timedelta(minutes=30))
    assert ("clock_breached", "help_reply") not in decided
    assert await drill.events("escalation.clock_breached", ticket_id) == []
    assert [n for n in await drill.notices("cs_assistant") if n["ticket_id"] == ticket_id] == []


async def test_the_desk_opens_an_incident_and_the_duty_manager_is_reminded_of_its_follow_up_R16_5(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk, "hbw")
    opened = await desk.command("hbw", "incident_open", {
        "client_ref": "pc-1", "kind": "power_cut", "place": "3号楼",
        "occurred_at": (CLOCK_STARTS - timedelta(minutes=10)).isoformat(),
        "measure": "已联系电力公司抢修", "staff_id": "S01",
    })  # fmt: skip
    assert opened["ok"], opened
    assert opened["alerted"] == ["department_supervisor/security", "project_manager"]
    await _told(drill, "project_manager", "incident_alerted")

    decided = await drill.decided_at(CLOCK_STARTS + timedelta(hours=24))
    assert ("incident_follow_up_due", "follow_up") in decided
    [reminder] = await _told(drill, "project_manager", "incident_follow_up_due")
    acked = await drill.escalation("ack", {"notification_id": reminder["notification_id"]})
    assert acked["ok"], acked


async def test_closing_without_a_report_upward_is_refused_and_changes_nothing_R16_5(
    desk: Desk, drill_services
) -> None:
    """R3.10: an emergency is recorded with its time, place and measures, and cannot be closed
    before the report upward is recorded."""
    await drill_services("intake", "reporting")
    opened = await desk.command("hbw", "incident_open", {
        "client_ref": "fire-1", "kind": "fire", "place": "地下车库",
        "occurred_at": CLOCK_STARTS.isoformat(), "measure": "启动消防系统, 广播疏散",
        "staff_id": "S01",
    })  # fmt: skip
    assert opened["ok"], opened
    await _incident(desk, "hbw", opened["incident_no"])
    before = await desk.stream_count()
    close = {"incident_id": opened["incident_id"], "follow_up": "已扑灭", "staff_id": "S01"}
    refused = await desk.command("hbw", "incident_close", close)
    assert refused["ok"] is False and refused["error"]["fields"][0]["field"] == "reports_up"
    bad_kind = await desk.command("hbw", "incident_open", {
        "client_ref": "x-1", "kind": "meteor", "place": "A区",
        "occurred_at": CLOCK_STARTS.isoformat(), "measure": "x", "staff_id": "S01",
    })  # fmt: skip
    assert bad_kind["ok"] is False and bad_kind["error"]["code"] == "invalid"
    assert await desk.stream_count() == before
    shown = await _incident(desk, "hbw", opened["incident_no"])
    assert shown["status"] == "open"


async def test_the_desk_runs_an_incident_from_the_command_line_R16_5(
    desk: Desk, services, nats_server
) -> None:
    url, site = nats_server.url, ["--site", "hbw", "--staff", "S01"]
    reported = await cli(url, "contact", "report", *site, "--kind", "help", "--help-category",
                         "F", "--incident-kind", "flood", "--content", "地下室进水",
                         "--name", "王小明", "--phone", "13800138000", "--room", "B1")  # fmt: skip
    assert reported.exit_code == 0, reported.output

    async def listed() -> list[dict] | None:
        done = await cli(url, "incident", "list", "--site", "hbw", "--json")
        return json.loads(done.output)["incidents"] or None

    [incident] = await eventually(listed)
    ref = incident["incident_no"]
    assert (incident["kind"], incident["place"]) == ("flood", "B1")
    early = await cli(url, "incident", "close", ref, *site, "--follow-up", "已排水")
    assert early.exit_code == 1 and "measures" in early.output  # none recorded yet
    for args in (
        ("measure", ref, *site, "--measure", "关闭总阀, 抽水"),
        ("report-up", ref, *site, "--to", "project_manager"),
        ("close", ref, *site, "--follow-up", "排水管堵塞, 已疏通"),
    ):
        done = await cli(url, "incident", *args)
        assert done.exit_code == 0, done.output
        assert ref in done.output

    async def closed() -> str | None:
        done = await cli(url, "incident", "show", ref, "--site", "hbw")
        return done.output if "排水管堵塞" in done.output else None

    shown = await eventually(closed)
    assert "关闭总阀" in shown and "王小明" not in shown and "13800138000" not in shown
