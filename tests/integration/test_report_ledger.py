"""The month's paperwork as the quality department files it (issue 13 items 20–22): the
`propdesk report` command asks the live services over NATS and writes the files, which are read
back here: the ledger 《客户投诉(建议、咨询)月汇总表》 (R12.4) and the weekly complaint list
(R12.1), how the workbooks print, and trends that know a site's first month (R12.3)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from propdesk.cli.main import app
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body

pytestmark = pytest.mark.integration

RESIDENT = {"name": "王小明", "phone": "13800138000", "room": "3-201"}


async def propdesk_report(url: str, out: Path, *args: str) -> None:
    """`propdesk report …` as an operator runs it, writing into `out`."""
    argv = ["report", *args, "--out", str(out), "--nats-url", url]
    result = await asyncio.to_thread(CliRunner().invoke, app, argv)
    assert result.exit_code == 0, result.output


async def intake(desk: Desk, verb: str, body: dict[str, Any]) -> dict[str, Any]:
    reply = await desk.command("hbw", verb, body | {"staff_id": "S01"})
    assert reply["ok"], reply
    return reply


async def the_month(desk: Desk) -> None:
    """A complaint handled and followed up, a suggestion still open, an inquiry whose caller
    was not satisfied (reopened), and a repair (not a case of the ledger)."""
    complaint = await intake(desk, "report", report_body(
        "c-1", reporter=RESIDENT, received_at="2026-11-18T09:00:00+08:00"))  # fmt: skip
    await intake(desk, "classify", {"ticket_id": complaint["ticket_id"], "kind": "complaint",
                                    "category": "noise", "validity": "valid",
                                    "severity": "important"})  # fmt: skip
    await intake(desk, "accept_solution", {"ticket_id": complaint["ticket_id"],
                                           "solution": "约谈装修户"})  # fmt: skip  # R6.9
    await intake(desk, "resolve", {"ticket_id": complaint["ticket_id"],
                                   "resolution": "已约谈装修户, 限定施工时间"})  # fmt: skip
    await intake(desk, "follow_up", {"ticket_id": complaint["ticket_id"], "satisfied": True,
                                     "score": 5, "comment": "安静了"})  # fmt: skip
    await intake(desk, "report", report_body(
        "s-1", kind="suggestion", category="cleaning", content="建议增加垃圾桶",
        reporter={"name": "李四", "phone": "13900139000", "room": "5-302"},
        received_at="2026-11-19T10:00:00+08:00"))  # fmt: skip
    inquiry = await intake(desk, "report", report_body(
        "q-1", kind="inquiry", category="other", content="物业费什么时候交", channel="visit",
        reporter={"name": "赵六"}, received_at="2026-11-20T11:00:00+08:00"))  # fmt: skip
    await intake(desk, "resolve", {"ticket_id": inquiry["ticket_id"],
                                   "resolution": "已告知缴费时间"})  # fmt: skip
    await intake(desk, "follow_up", {"ticket_id": inquiry["ticket_id"], "satisfied": False,
                                     "score": 2, "comment": "回复太慢"})  # fmt: skip
    await intake(desk, "report", report_body(
        "r-1", kind="repair", category="plumbing", content="厨房水管漏水",
        received_at="2026-11-21T08:00:00+08:00"))  # fmt: skip

    async def projected() -> bool:
        reply = await desk.query("hbw", "report.monthly", {"month": "2026-11"})
        report = reply["report"]
        return report["contacts"] == 4 and report["satisfaction"]["follow_ups"] == 2

    await eventually(projected)


def rows_below(ws: Any, text: str) -> tuple[list[Any], list[list[Any]]]:
    """The header row holding `text` in its first column, and the rows under it up to the
    next blank row."""
    for row in ws.iter_rows():
        if row[0].value == text:
            header = [c.value for c in row]
            below = []
            for nxt in ws.iter_rows(min_row=row[0].row + 1):
                if nxt[0].value is None:
                    break
                below.append([c.value for c in nxt])
            return header, below
    raise AssertionError(f"{text!r} not on {ws.title}")


def cells(ws: Any) -> set[str]:
    return {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}


async def test_the_months_ledger_has_a_row_per_case_then_the_totals_and_the_analysis_R12_4(
    desk: Desk, drill_services, nats_server, tmp_path: Path
) -> None:
    """R12.4 the 《客户投诉(建议、咨询)月汇总表》 is a ledger: date, customer's unit, content,
    kind, responsible department, handling, completion time, follow-up result, remarks; then
    the totals and the analysis box (R12.2). No name, no phone (R15.1)."""
    await drill_services("intake", "reporting")
    await the_month(desk)
    await intake(desk, "attach_analysis", {"month": "2026-11", "cause": "装修噪音投诉集中",
                                           "lessons": "提前公示装修时间",
                                           "actions": "加强巡查"})  # fmt: skip
    out = tmp_path / "reports"

    async def analysed() -> bool:
        await propdesk_report(nats_server.url, out, "monthly", "--site", "hbw",
                              "--month", "2026-11")  # fmt: skip
        data = json.loads((out / "hbw-2026-11-monthly.json").read_text(encoding="utf-8"))
        return data["analysis"] is not None

    await eventually(analysed)
    wb = openpyxl.load_workbook(out / "hbw-2026-11-monthly.xlsx")
    assert wb.sheetnames == ["月汇总表 Monthly", "汇总台账 Ledger"]  # beside the statistics
    ws = wb["汇总台账 Ledger"]
    assert ws["A1"].value.startswith("客户投诉(建议、咨询)月汇总表")
    header, cases = rows_below(ws, "序号 No.")
    assert header[:11] == [
        "序号 No.", "单号 Ticket no", "日期 Date", "客户单元 Unit", "内容 Content",
        "类别 Kind", "责任部门 Department", "处理情况 Handling", "完成时间 Completed",
        "回访结果 Follow-up result", "备注 Remarks",
    ]  # fmt: skip
    complaint, suggestion, inquiry = cases  # the repair is not a case of this form
    assert complaint[:10] == [
        1,
        "HBW-202611-0001",
        "2026-11-18 09:00",
        "3-201",
        "楼上装修噪音太大",
        "投诉 Complaint",
        "秩序维护部 Security",
        "已约谈装修户, 限定施工时间",
        "2026-11-23 10:00",
        "满意 Satisfied (5/5)\n安静了",
    ]  # fmt: skip  (resolved at 10:00 in Shanghai: the simulated clock's start)
    assert complaint[10] == "有效投诉 Valid · 重要 Important"
    assert suggestion[3:10] == [
        "5-302", "建议增加垃圾桶", "建议 Suggestion", "清洁部 Cleaning", None, None,
        "未回访 Not followed up",
    ]  # fmt: skip
    assert suggestion[10] == "已受理 Received"  # still open
    assert inquiry[5:10] == [
        "咨询 Inquiry", "物业经营部 Property business", "已告知缴费时间", None,
        "不满意 Unsatisfied (2/5)\n回复太慢",
    ]  # fmt: skip
    assert inquiry[10] == "重新处理 Reopened"

    _, totals = rows_below(ws, "类别 Kind")
    assert [[r[0], *r[3:7]] for r in totals] == [
        ["投诉 Complaint", 1, 1, 1, 1],
        ["建议 Suggestion", 1, 0, 0, 0],
        ["咨询 Inquiry", 1, 0, 1, 0],
        ["合计 Total", 3, 1, 2, 1],
    ]
    _, analysis = rows_below(ws, "项目 Item")
    assert [(r[0], r[3]) for r in analysis[:3]] == [
        ("原因分析 Cause", "装修噪音投诉集中"),
        ("经验教训总结 Lessons learned", "提前公示装修时间"),
        ("整改措施 Corrective actions", "加强巡查"),
    ]
    for personal in ("王小明", "13800138000", "李四", "13900139000", "赵六"):
        assert not any(personal in c for s in wb for c in cells(s)), personal


async def test_the_weekly_list_says_unit_department_handling_and_follow_up_R12_1(
    desk: Desk, drill_services, nats_server, tmp_path: Path
) -> None:
    await drill_services("intake", "reporting")
    await the_month(desk)
    reply = await desk.query("hbw", "report.weekly", {"week": "2026-W47"})
    [complaint] = reply["report"]["complaints"]
    assert (complaint["unit"], complaint["departments"], complaint["resolution"]) == (
        "3-201", ["security"], "已约谈装修户, 限定施工时间"
    )  # fmt: skip
    assert complaint["completed_at"] == "2026-11-23T10:00:00+08:00"
    assert complaint["follow_up"] == {"score": 5, "satisfied": True, "comment": "安静了"}

    out = tmp_path / "reports"
    await propdesk_report(nats_server.url, out, "weekly", "--site", "hbw", "--week", "2026-W47")
    ws = openpyxl.load_workbook(out / "hbw-2026-W47-weekly.xlsx").active
    header, [row] = rows_below(ws, "单号 Ticket no")
    listed = dict(zip(header, row, strict=True))
    assert listed["客户单元 Unit"] == "3-201"
    assert listed["责任部门 Department"] == "秩序维护部 Security"
    assert listed["处理情况 Handling"] == "已约谈装修户, 限定施工时间"
    assert listed["回访结果 Follow-up result"] == "满意 Satisfied (5/5)\n安静了"
    assert "王小明" not in cells(ws) and "13800138000" not in cells(ws)


SECTION_FILL = "00D9E1F2"  # the shaded row that titles a table (report_files/xlsx_layout.py)


async def test_the_workbooks_print_on_landscape_a4_as_wide_as_the_page_R12_4(
    desk: Desk, drill_services, nats_server, tmp_path: Path
) -> None:
    """The month's forms are printed and filed (R12.4 monthly, R12.1 weekly, R12.3 quality
    pack): landscape A4, one page wide, the title (and a list's header) on every page, page
    numbers, and a page break only between two tables, never inside a short one."""
    await drill_services("intake", "reporting")
    await the_month(desk)
    out = tmp_path / "reports"
    url = nats_server.url
    await propdesk_report(url, out, "monthly", "--site", "hbw", "--month", "2026-11")
    await propdesk_report(url, out, "weekly", "--site", "hbw", "--week", "2026-W47")
    await propdesk_report(url, out, "quality", "--month", "2026-11")

    books = {
        name: openpyxl.load_workbook(out / name)
        for name in ("hbw-2026-11-monthly.xlsx", "hbw-2026-W47-weekly.xlsx",
                     "company-2026-11-quality.xlsx")
    }  # fmt: skip
    for name, wb in books.items():
        for ws in wb:
            where = f"{name} {ws.title}"
            setup = ws.page_setup
            assert (setup.orientation, str(setup.paperSize)) == ("landscape", ws.PAPERSIZE_A4), (
                where
            )
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), where  # as long as it takes
            assert ws.print_title_rows.startswith("$1:$"), where
            assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, where
            for brk in ws.row_breaks.brk:  # the row after a break titles a table
                assert ws.cell(brk.id + 1, 1).fill.fgColor.rgb == SECTION_FILL, where

    statistics = books["hbw-2026-11-monthly.xlsx"]["月汇总表 Monthly"]
    assert statistics.print_title_rows == "$1:$1"  # the title on every page
    assert len(statistics.row_breaks.brk) >= 2  # seventeen tables do not fit on one page
    ledger = books["hbw-2026-11-monthly.xlsx"]["汇总台账 Ledger"]
    header_row = next(r[0].row for r in ledger.iter_rows() if r[0].value == "序号 No.")
    assert ledger.print_title_rows == f"$1:${header_row}"  # the ledger's header on every page
    weekly = books["hbw-2026-W47-weekly.xlsx"].active
    header_row = next(r[0].row for r in weekly.iter_rows() if r[0].value == "单号 Ticket no")
    assert weekly.print_title_rows == f"$1:${header_row}"
    sites = books["company-2026-11-quality.xlsx"]["各项目对比 Sites"]
    assert sites.print_title_cols == "$A:$B"  # the site and its name on every page


async def test_a_sites_first_month_has_no_data_before_it_and_steps_are_not_complaints_R12_3(
    desk: Desk, drill_services, nats_server, tmp_path: Path
) -> None:
    """R12.3 the quality department looks for trends: the months before a site's first contact
    are no data, not zero, so the first month lists no site and no category as worse; and a
    complaint that climbed two steps of the ladder (R6.4, R6.5) is one complaint escalated and
    two ladder steps, each said so."""
    await drill_services()
    drill = Drill(desk)
    climbing = await intake(desk, "report", report_body("c-1"))  # noise, 23 November
    await eventually(lambda: drill.events("escalation.ladder_started", climbing["ticket_id"]))
    quiet = await intake(desk, "report", report_body("c-2", content="电梯厅灯不亮"))
    await intake(desk, "classify", {"ticket_id": quiet["ticket_id"], "kind": "complaint",
                                    "category": "noise", "validity": "valid",
                                    "severity": "minor"})  # fmt: skip
    await intake(desk, "accept_solution", {"ticket_id": quiet["ticket_id"],
                                           "solution": "维修灯具"})  # fmt: skip  # R6.9
    await intake(desk, "resolve", {"ticket_id": quiet["ticket_id"], "resolution": "已处理"})
    other = await desk.command("ohs", "report", report_body("o-1", category="parking"))
    assert other["ok"], other
    day = timedelta(days=1)
    supervisor = ("complaint_escalated", "department_supervisor")
    assert supervisor in await drill.decided_at(START + 2 * day)
    assert ("complaint_escalated", "project_manager") in await drill.decided_at(START + 7 * day)

    out = tmp_path / "reports"

    async def climbed() -> dict[str, Any] | None:
        await propdesk_report(nats_server.url, out, "quality", "--month", "2026-11")
        pack = json.loads((out / "company-2026-11-quality.json").read_text(encoding="utf-8"))
        hbw = next((s for s in pack["sites"] if s["site"] == "hbw"), {})
        return pack if hbw.get("escalations") == 2 and pack["company"]["contacts"] == 3 else None

    pack = await eventually(climbed)
    no_data = [None] * 5
    assert pack["trend"]["hbw"]["contacts"] == [*no_data, 2]
    assert pack["trend"]["hbw"]["complaints"] == [*no_data, 2]
    assert pack["trend"]["ohs"]["contacts"] == [*no_data, 1]
    assert pack["worse"] == {"sites": [], "categories": []}  # nothing to be worse than
    hbw = next(s for s in pack["sites"] if s["site"] == "hbw")
    assert (hbw["complaints"], hbw["escalated_complaints"], hbw["escalations"]) == (2, 1, 2)

    sites = openpyxl.load_workbook(out / "company-2026-11-quality.xlsx")["各项目对比 Sites"]
    header, rows = rows_below(sites, "项目 Site")
    shown = dict(zip(header, next(r for r in rows if r[0] == "hbw"), strict=True))
    assert shown["投诉 Complaints"] == 2
    assert shown["升级的投诉 Complaints escalated"] == 1
    assert shown["升级步数 Ladder steps"] == 2
    trends = openpyxl.load_workbook(out / "company-2026-11-quality.xlsx")["六个月趋势 Trends"]
    _, rows = rows_below(trends, "项目 Site")
    assert next(r for r in rows if r[0] == "hbw")[2:8] == [*no_data, 2]  # empty, not 0

    await propdesk_report(nats_server.url, out, "monthly", "--site", "hbw", "--month", "2026-11")
    report = json.loads((out / "hbw-2026-11-monthly.json").read_text(encoding="utf-8"))
    assert report["change"]["contacts"] == {"this": 2, "previous": None, "change": None}
    assert (report["escalated_complaints"], sum(report["escalations"].values())) == (1, 2)
    assert [t["contacts"] for t in report["trend"]] == [*no_data, 2]
    statistics = openpyxl.load_workbook(out / "hbw-2026-11-monthly.xlsx")["月汇总表 Monthly"]
    header, rows = rows_below(statistics, "升级级别 Level")
    assert header[:2] == ["升级级别 Level", "投诉数 Complaints"]  # complaints per level reached
    assert rows[:2] == [["部门主管 Department supervisor", 1, *([None] * (len(header) - 2))],
                        ["项目经理 Project manager", 1, *([None] * (len(header) - 2))]]  # fmt: skip
