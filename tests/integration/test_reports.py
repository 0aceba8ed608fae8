"""The report queries through NATS, fed by the live services (docs/REPORTS.md, R12.1–R12.4)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

MIDNIGHT_THIRTY = "2026-11-01T00:30:00+08:00"  # 2026-10-31 16:30 UTC: November's at the site
LAST_MINUTE = "2026-10-31T23:59:00+08:00"


async def monthly(desk: Desk, month: str, site: str = "hbw") -> dict[str, Any]:
    return await desk.query(site, "report.monthly", {"month": month})


async def counted(desk: Desk, month: str, contacts: int) -> dict[str, Any]:
    """The month's report once the analytics projection has seen `contacts` contacts."""

    async def seen() -> dict[str, Any] | None:
        reply = await monthly(desk, month)
        assert reply["ok"], reply
        return reply["report"] if reply["report"]["contacts"] >= contacts else None

    return await eventually(seen)


async def test_a_contact_at_0030_on_the_first_counts_in_that_month_at_the_site(
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "reporting")
    for ref, at, kind in (("n-1", MIDNIGHT_THIRTY, "complaint"), ("o-1", LAST_MINUTE, "repair")):
        reply = await desk.command(
            "hbw", "report", report_body(ref, kind=kind, category="noise", received_at=at)
        )
        assert reply["ok"], reply

    october = await counted(desk, "2026-10", 1)  # reported last: both are in once it shows
    november = await counted(desk, "2026-11", 1)
    assert (november["contacts"], november["by_kind"]["complaint"]) == (1, 1)
    assert (october["contacts"], october["by_kind"]["repair"]) == (1, 1)
    assert november["from"] == "2026-11-01T00:00:00+08:00"
    assert november["change"]["contacts"] == {"this": 1, "previous": 1, "change": 0}


async def test_the_site_manager_attaches_the_months_analysis_and_it_shows_R12_2(
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "reporting")
    body = {"month": "2026-11", "cause": "装修噪音投诉集中, 电话 13800138000",
            "lessons": "提前公示装修时间", "actions": "加强巡查", "staff_id": "M01"}  # fmt: skip
    first = await desk.command("hbw", "attach_analysis", body)
    second = await desk.command("hbw", "attach_analysis", body | {"actions": "每日巡查两次"})
    assert (first["ok"], first["revision"], second["revision"]) == (True, 1, 2)

    async def attached() -> dict[str, Any] | None:
        report = (await monthly(desk, "2026-11"))["report"]
        analysis = report["analysis"]
        return analysis if analysis and analysis["revision"] == 2 else None

    analysis = await eventually(attached)
    assert analysis["actions"] == "每日巡查两次"
    assert analysis["by"] == "M01"
    assert "13800138000" not in analysis["cause"]  # masked, as on the bus


async def test_an_analysis_never_carries_the_name_of_a_resident_who_reported_R15_1(
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "reporting")
    reported = await desk.command("hbw", "report", report_body("noisy", reporter={
        "name": "王小明", "phone": "13800138000", "room": "3-201"}))  # fmt: skip
    assert reported["ok"], reported
    elsewhere = await desk.command("ohs", "report", report_body("other", reporter={
        "name": "赵六", "phone": "13700001111", "room": "1-101"}))  # fmt: skip
    assert elsewhere["ok"], elsewhere
    body = {"month": "2026-11", "cause": "王小明(3-201)多次投诉楼上装修噪音",
            "lessons": "与王小明沟通后公示装修时间", "actions": "赵六的建议另行处理",
            "staff_id": "M01"}  # fmt: skip
    attached = await desk.command("hbw", "attach_analysis", body)
    assert attached["ok"], attached

    async def published() -> Any:
        found = [json.loads(m.data) for m in await desk.events()
                 if m.subject == "desk.evt.hbw.report.analysis_attached"]  # fmt: skip
        return found[0]["data"] if found else None

    data = await eventually(published)
    assert data["cause"] == "***(3-201)多次投诉楼上装修噪音"
    assert data["lessons"] == "与***沟通后公示装修时间"
    assert data["actions"] == "赵六的建议另行处理"  # not a resident of hbw: not known there


@pytest.mark.parametrize(
    ("verb", "body", "field"),
    [
        ("attach_analysis", {"month": "2026-13", "cause": "a", "lessons": "b", "actions": "c"},
         "month"),
        ("attach_analysis", {"month": "2027-01", "cause": "a", "lessons": "b", "actions": "c"},
         "month"),  # not begun yet
        ("attach_analysis", {"month": "2026-11", "cause": "", "lessons": "b", "actions": "c"},
         "cause"),
        ("attach_analysis", {"month": "0000-01", "cause": "a", "lessons": "b", "actions": "c"},
         "month"),  # no report can ever be made of it
    ],
)  # fmt: skip
async def test_a_bad_analysis_is_refused_and_records_nothing(
    desk: Desk, drill_services, verb: str, body: dict[str, Any], field: str
) -> None:
    await drill_services("intake", "reporting")
    reply = await desk.command("hbw", verb, body | {"staff_id": "M01"})
    assert reply["ok"] is False
    assert reply["error"]["code"] == "invalid"
    assert [f["field"] for f in reply["error"]["fields"]] == [field]
    assert await desk.stream_count() == 0


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [
        ("desk.qry.hbw.report.monthly", {"month": "2026-1"}, "month"),
        ("desk.qry.hbw.report.monthly", {}, "month"),
        ("desk.qry.hbw.report.weekly", {"week": "2026-W54"}, "week"),
        ("desk.qry.hbw.report.weekly", {"week": "2025-W53"}, "week"),  # 2025 has 52 weeks
        ("desk.qry.company.report.quality", {"month": "October"}, "month"),
        # years whose month after, or six months before, is no date: invalid, not "retry"
        ("desk.qry.hbw.report.monthly", {"month": "9999-12"}, "month"),
        ("desk.qry.hbw.report.monthly", {"month": "0000-01"}, "month"),
        ("desk.qry.hbw.report.weekly", {"week": "9999-W52"}, "week"),
        ("desk.qry.company.report.quality", {"month": "0000-03"}, "month"),
        ("desk.qry.hbw.report.monthly", {"month": "２０２６-10"}, "month"),  # full-width digits
    ],
)
async def test_a_bad_report_query_gets_an_error_naming_the_field(
    desk: Desk, drill_services, subject: str, body: dict[str, Any], field: str
) -> None:
    await drill_services("reporting")
    reply = await desk.request(subject, body)
    assert reply["ok"] is False
    assert reply["error"]["code"] == "invalid"
    assert [f["field"] for f in reply["error"]["fields"]] == [field]


async def test_weekly_summary_and_company_quality_pack_through_nats(
    desk: Desk, drill_services
) -> None:
    await drill_services("intake", "reporting")
    received = "2026-11-18T09:00:00+08:00"  # Wednesday of ISO week 47
    for site, ref, kind in (("hbw", "w-1", "complaint"), ("hbw", "w-2", "suggestion"),
                            ("ohs", "w-3", "complaint")):  # fmt: skip
        body = report_body(ref, kind=kind, category="noise", received_at=received)
        assert (await desk.command(site, "report", body))["ok"]
    await counted(desk, "2026-11", 2)

    weekly = await desk.query("hbw", "report.weekly", {"week": "2026-W47"})
    assert weekly["ok"], weekly
    report = weekly["report"]
    assert (report["from"], report["to"]) == (
        "2026-11-16T00:00:00+08:00",
        "2026-11-23T00:00:00+08:00",
    )
    assert (report["contacts"], report["open"], report["resolved"]) == (2, 2, 0)
    assert [c["category"] for c in report["complaints"]] == ["noise"]
    assert len(report["suggestions"]) == 1
    assert "王小明" not in str(report) and "13800138000" not in str(report)

    async def both_sites() -> dict[str, Any] | None:
        reply = await desk.request("desk.qry.company.report.quality", {"month": "2026-11"})
        assert reply["ok"], reply
        pack = reply["report"]
        return pack if pack["company"]["contacts"] == 3 else None

    pack = await eventually(both_sites)
    assert [s["site"] for s in pack["sites"]] == ["hbw", "ohs"]
    assert [s["complaints"] for s in pack["sites"]] == [1, 1]
    assert datetime.fromisoformat(pack["as_of"]).tzinfo is not None
    assert pack["timezone"] == "Asia/Shanghai"  # both sites': the files show as_of in it
