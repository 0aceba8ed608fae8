"""Report files (propdesk.report_files) from reports shaped exactly like docs/REPORTS.md, and the
`propdesk report` command line without NATS."""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest
from typer.testing import CliRunner

from propdesk import report_files
from propdesk.cli import report as report_cli
from propdesk.cli.main import app
from propdesk.report_files import charts, html

EVIL = "<script>alert('x')</script>"

MONTHLY: dict[str, Any] = {
    "site": "hbw",
    "site_name": "华碧屋村",
    "month": "2026-10",
    "timezone": "Asia/Shanghai",
    "from": "2026-10-01T00:00:00+08:00",
    "to": "2026-11-01T00:00:00+08:00",
    "as_of": "2026-11-03T09:00:00+00:00",
    "contacts": 12,
    "cancelled": 1,
    "by_kind": {"complaint": 3, "repair": 5, "inquiry": 2, "suggestion": 1, "help": 1},
    "by_category": {"plumbing": 4, "security": 2, f"漏水{EVIL}": 1},
    "by_channel": {"phone": 6, "visit": 4, "letter": 0, "online": 1, "hotline": 0, "inspection": 1},
    "by_validity": {"valid": 2, "communicative": 1, "unclassified": 0},
    "by_severity": {"minor": 0, "important": 1, "major": 1, "unclassified": 1},
    "escalations": {"department_supervisor": 2, "project_manager": 1, "gm_office": 0},
    "escalated_complaints": 2,
    "upgraded_to_major": 0,
    "clocks": {
        "general_fixed": {
            "started": 4,
            "met": 2,
            "late": 1,
            "open": 1,
            "breached": 1,
            "compliance": 0.6667,
        },
        "help_reply": {
            "started": 0,
            "met": 0,
            "late": 0,
            "open": 0,
            "breached": 0,
            "compliance": None,
        },
    },
    "resolution_hours": {"resolved": 9, "median": 20.5, "p90": 70.0},
    "follow_up": {"resolved": 9, "followed_up": 8, "rate": 0.8889},
    "satisfaction": {"follow_ups": 8, "satisfied": 7, "rate": 0.875},
    "reopen": {"resolved": 9, "reopened": 1, "rate": 0.1111},
    "repeat_units": [{"unit": "3-1201", "complaints": 2}],
    "paid": {"orders": 2, "revenue": "160.00"},
    "orders_by_department": {"engineering": 5, "cleaning": 1},
    "top_categories": [{"category": "plumbing", "count": 4, "previous": 2, "change": 2}],
    "change": {
        "contacts": {"this": 12, "previous": 10, "change": 2},
        "complaints": {"this": 3, "previous": 4, "change": -1},
        "repairs": {"this": 5, "previous": 5, "change": 0},
    },
    "trend": [
        {
            "month": "2026-05",
            "contacts": 8,
            "complaints": 2,
            "satisfaction_rate": 1.0,
            "clock_compliance": 0.9,
        },
        {
            "month": "2026-06",
            "contacts": 0,
            "complaints": 0,
            "satisfaction_rate": None,
            "clock_compliance": None,
        },
        {
            "month": "2026-07",
            "contacts": 9,
            "complaints": 1,
            "satisfaction_rate": 0.9,
            "clock_compliance": 0.8,
        },
        {
            "month": "2026-08",
            "contacts": 11,
            "complaints": 2,
            "satisfaction_rate": 1.0,
            "clock_compliance": 0.9,
        },
        {
            "month": "2026-09",
            "contacts": 10,
            "complaints": 4,
            "satisfaction_rate": 0.8,
            "clock_compliance": 0.7,
        },
        {
            "month": "2026-10",
            "contacts": 12,
            "complaints": 3,
            "satisfaction_rate": 0.875,
            "clock_compliance": 0.6667,
        },
    ],
    "ledger": [
        {
            "ticket_no": "HBW-202610-0003",
            "received_at": "2026-10-03T09:12:00+08:00",
            "unit": "3-1201",
            "kind": "complaint",
            "category": "noise",
            "content": f"楼上装修噪音, 晚上十点还在施工{EVIL}",
            "validity": "valid",
            "severity": "important",
            "status": "closed",
            "escalation_level": "department_supervisor",
            "upgraded": False,
            "reopened": False,
            "departments": ["security"],
            "resolution": "已约谈装修户, 限定施工时间为 8:00–18:00, 并加强巡查",
            "completed_at": "2026-10-05T16:30:00+08:00",
            "follow_up": {"score": 5, "satisfied": True, "comment": "安静了"},
        },
        {
            "ticket_no": "HBW-202610-0008",
            "received_at": "2026-10-12T19:40:00+08:00",
            "unit": None,
            "kind": "suggestion",
            "category": "cleaning",
            "content": "建议在东门增加两个分类垃圾桶",
            "validity": None,
            "severity": None,
            "status": "received",
            "escalation_level": None,
            "upgraded": False,
            "reopened": False,
            "departments": ["cleaning"],
            "resolution": None,
            "completed_at": None,
            "follow_up": None,
        },
        {
            "ticket_no": "HBW-202610-0011",
            "received_at": "2026-10-20T10:05:00+08:00",
            "unit": "5-302",
            "kind": "inquiry",
            "category": "other",
            "content": "物业费什么时候交",
            "validity": None,
            "severity": None,
            "status": "reopened",
            "escalation_level": None,
            "upgraded": False,
            "reopened": True,
            "departments": ["property_business"],
            "resolution": "已告知缴费时间",
            "completed_at": None,
            "follow_up": {"score": 2, "satisfied": False, "comment": "回复太慢"},
        },
    ],
    "analysis": {
        "cause": f"水管老化{EVIL}\n第二行",
        "lessons": '=HYPERLINK("http://x")',
        "actions": "更换全部角阀 & 加强巡查",
        "revision": 2,
        "by": "M01",
        "at": "2026-11-02T10:00:00+08:00",
    },
}

# A quiet month: nothing resolved (null rates and times), empty lists, no analysis yet.
QUIET: dict[str, Any] = copy.deepcopy(MONTHLY) | {
    "month": "2026-06",
    "contacts": 0,
    "cancelled": 0,
    "by_category": {},
    "clocks": {},
    "resolution_hours": {"resolved": 0, "median": None, "p90": None},
    "follow_up": {"resolved": 0, "followed_up": 0, "rate": None},
    "satisfaction": {"follow_ups": 0, "satisfied": 0, "rate": None},
    "reopen": {"resolved": 0, "reopened": 0, "rate": None},
    "repeat_units": [],
    "paid": {"orders": 0, "revenue": "0.00"},
    "top_categories": [],
    "ledger": [],
    "analysis": None,
}

WEEKLY: dict[str, Any] = {
    "site": "hbw",
    "site_name": "华碧屋村",
    "week": "2026-W44",
    "timezone": "Asia/Shanghai",
    "from": "2026-10-26T00:00:00+08:00",
    "to": "2026-11-02T00:00:00+08:00",
    "as_of": "2026-11-01T12:00:00+00:00",
    "contacts": 5,
    "by_kind": {"complaint": 2, "repair": 2, "inquiry": 0, "suggestion": 1, "help": 0},
    "resolved": 3,
    "cancelled": 0,
    "open": 2,
    "complaints": [
        {
            "ticket_no": "HBW-202610-0007",
            "received_at": "2026-10-27T09:12:00+08:00",
            "category": "noise",
            "validity": "valid",
            "severity": "important",
            "status": "resolved",
            "escalation_level": "department_supervisor",
            "content": f"楼上装修噪音{EVIL}",
            "unit": "3-1201",
            "departments": ["security"],
            "resolution": "已约谈装修户, 限定施工时间",
            "completed_at": "2026-10-28T16:30:00+08:00",
            "follow_up": {"score": 5, "satisfied": True, "comment": "安静了"},
        },
        {
            "ticket_no": "HBW-202610-0009",
            "received_at": "2026-10-29T19:00:00+08:00",
            "category": None,
            "validity": None,
            "severity": None,
            "status": "received",
            "escalation_level": None,
            "content": "停车位被占",
            "unit": None,
            "departments": ["security"],
            "resolution": None,
            "completed_at": None,
            "follow_up": None,
        },
    ],
    "suggestions": [],
}

QUALITY: dict[str, Any] = {
    "month": "2026-10",
    "as_of": "2026-11-03T09:00:00+00:00",
    "months": ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"],
    "sites": [
        {"site": "hbw", "site_name": "华碧屋村", "contacts": 12, "complaints": 3,
         "valid_complaints": 2, "escalated_complaints": 2, "escalations": 3, "upgraded_to_major": 0,
         "clock_compliance": 0.6667, "resolution_median_hours": 20.5, "follow_up_rate": 0.8889,
         "satisfaction_rate": 0.875, "reopen_rate": 0.1111, "paid_revenue": "160.00"},
        {"site": "szp", "site_name": f"深圳园区{EVIL}", "contacts": 0, "complaints": 0,
         "valid_complaints": 0, "escalated_complaints": 0, "escalations": 0, "upgraded_to_major": 0,
         "clock_compliance": None, "resolution_median_hours": None, "follow_up_rate": None,
         "satisfaction_rate": None, "reopen_rate": None, "paid_revenue": "0.00"},
    ],
    "company": {"contacts": 12, "complaints": 3, "valid_complaints": 2,
                "escalated_complaints": 2, "escalations": 3, "upgraded_to_major": 0,
                "clock_compliance": 0.6667,
                "resolution_median_hours": 20.5, "follow_up_rate": 0.8889,
                "satisfaction_rate": 0.875, "reopen_rate": 0.1111, "paid_revenue": "160.00"},
    "trend": {
        "hbw": {"contacts": [8, 9, 10, 11, 10, 12], "complaints": [2, 1, 3, 2, 4, 3],
                "satisfaction_rate": [1.0, None, 0.9, 1.0, 0.8, 0.875],
                "clock_compliance": [0.9, 1.0, 0.8, 0.9, 0.7, 0.6667]},
        "szp": {"contacts": [None] * 6, "complaints": [None] * 6,  # no contact yet: no data
                "satisfaction_rate": [None] * 6, "clock_compliance": [None] * 6},
    },
    "worse": {
        "sites": [{"site": "hbw", "measure": "clock_compliance", "previous": 0.7, "this": 0.6667}],
        "categories": [{"category": "noise", "previous": 1, "this": 3, "change": 2}],
    },
}  # fmt: skip

REPORTS = {"monthly": MONTHLY, "weekly": WEEKLY, "quality": QUALITY}


def written(kind: str, report: dict[str, Any], tmp_path: Path) -> dict[str, Path]:
    return {p.suffix[1:]: p for p in report_files.write(kind, report, tmp_path)}


# -- XLSX -----------------------------------------------------------------------------------------


def find(ws, text: str) -> tuple[int, int]:
    """(row, column) of the first cell holding exactly `text`."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not on sheet {ws.title}")


def right_of(ws, text: str, offset: int = 1):
    row, col = find(ws, text)
    return ws.cell(row=row, column=col + offset)


def test_the_monthly_workbook_is_the_summary_table(tmp_path: Path) -> None:
    path = written("monthly", MONTHLY, tmp_path)["xlsx"]
    assert path.name == "hbw-2026-10-monthly.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["月汇总表 Monthly", "汇总台账 Ledger"]  # the ledger beside it
    ws = wb.active

    title = ws["A1"].value
    assert title.startswith("客户投诉(建议、咨询)月汇总表 Monthly complaint (suggestion, inquiry)")
    assert "华碧屋村 (hbw) 2026-10" in title
    assert ws["A1"].font.b
    assert ws.freeze_panes == "A7"  # the title and its five lines stay in view
    # every time in the site's zone, saying so (issue 13 item 17)
    assert right_of(ws, "数据截至 As of").value == "2026-11-03 17:00 (UTC+08:00)"

    header = ws.cell(*find(ws, "类别 Kind"))
    assert header.font.b
    assert ws.cell(row=header.row, column=2).value == "数量 Count"
    for label, value in (
        ("投诉 Complaint", 3),
        ("报修 Repair", 5),
        ("咨询 Inquiry", 2),
        ("建议 Suggestion", 1),
        ("求助 Help", 1),
        ("来电 Phone", 6),  # the channels in R2.2's words
        ("来访 Visit", 4),
        ("信访 Letter", 0),
        ("网络(App/微信/邮件) Online", 1),
        ("24小时热线 Hotline", 0),
        ("巡查发现 Inspection", 1),
        ("有效投诉 Valid", 2),  # R4.2, R5.6
        ("沟通性投诉 Communicative", 1),
        ("轻微 Minor", 0),  # R5.3: 一般 is a general repair
        ("重要 Important", 1),
        ("重大 Major", 1),
        ("部门主管 Department supervisor", 2),
        ("项目经理 Project manager", 1),
        ("总经理办公会 GM office meeting", 0),
        ("给排水 Plumbing", 4),
        (f"漏水{EVIL}", 1),
        ("工程部 Engineering", 5),
        ("3-1201", 2),
        ("受理总数 Contacts", 12),
    ):
        assert right_of(ws, label).value == value, label

    clock_row, _ = find(ws, "一般维修完成 General repair fixed")
    header_row, _ = find(ws, "时限 Clock")
    assert [c.value for c in ws[header_row]][:7] == [
        "时限 Clock", "开始 Started", "按时 Met", "超时完成 Late", "未完成 Open",
        "已超时 Breached", "达标率 Compliance",
    ]  # fmt: skip
    assert [c.value for c in ws[clock_row]][:7] == [
        "一般维修完成 General repair fixed", 4, 2, 1, 1, 1, 0.6667,
    ]  # fmt: skip
    assert ws.cell(row=clock_row, column=7).number_format == "0.0%"
    assert right_of(ws, "求助回复 Help-request reply", 6).value is None  # null compliance

    assert right_of(ws, "中位数 Median").value == 20.5
    assert right_of(ws, "P90").value == 70
    satisfaction = right_of(ws, "满意率 Satisfaction rate", 3)
    assert (satisfaction.value, satisfaction.number_format) == (0.875, "0.0%")
    assert right_of(ws, "回访率 Follow-up rate", 3).value == 0.8889
    assert right_of(ws, "重开率 Reopen rate", 3).value == 0.1111
    revenue = right_of(ws, "收入(元) Revenue (CNY)")
    assert (revenue.value, revenue.number_format) == (160.0, "#,##0.00")

    assert find(ws, "主要类别及环比 Top categories and change on the previous month")
    top_row = [r for r in ws.iter_rows() if r[0].value == "给排水 Plumbing"][-1]
    assert [c.value for c in top_row][:4] == ["给排水 Plumbing", 4, 2, 2]
    complaints_change = next(r for r in ws.iter_rows() if r[0].value == "投诉 Complaints")
    assert [c.value for c in complaints_change][:4] == ["投诉 Complaints", 3, 4, -1]
    repairs_change = next(r for r in ws.iter_rows() if r[0].value == "报修 Repairs")
    assert [c.value for c in repairs_change][:4] == ["报修 Repairs", 5, 5, 0]
    june = next(r for r in ws.iter_rows() if r[0].value == "2026-06")
    assert [c.value for c in june][:5] == ["2026-06", 0, 0, None, None]

    cause = right_of(ws, "原因分析 Cause")
    assert cause.value == f"水管老化{EVIL}\n第二行" and cause.alignment.wrap_text
    lessons = right_of(ws, "经验教训 Lessons")
    assert lessons.value == MONTHLY["analysis"]["lessons"]
    assert lessons.data_type == "s"  # text typed at the desk is never a formula
    assert right_of(ws, "整改措施 Corrective actions").value == "更换全部角阀 & 加强巡查"
    assert right_of(ws, "修订版本 Revision").value == 2

    assert ws.column_dimensions["A"].width >= 30  # sized for "部门主管 Department supervisor"
    assert wb.properties.created.isoformat() == "2026-11-03T09:00:00"
    assert wb.properties.modified.isoformat() == "2026-11-03T09:00:00"


def test_a_quiet_month_leaves_cells_empty_and_says_none(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(written("monthly", QUIET, tmp_path)["xlsx"]).active
    for label in ("原因分析 Cause", "经验教训 Lessons", "整改措施 Corrective actions",
                  "修订版本 Revision", "填写人 By", "填写时间 At"):  # fmt: skip
        assert right_of(ws, label).value is None, label
    assert right_of(ws, "中位数 Median").value is None
    assert right_of(ws, "满意率 Satisfaction rate", 3).value is None
    unit_row, _ = find(ws, "单元 Unit")
    assert ws.cell(row=unit_row + 1, column=1).value == "无 None"
    clock_row, _ = find(ws, "时限达标 Clock compliance")
    assert ws.cell(row=clock_row + 2, column=1).value == "无 None"


def test_the_weekly_workbook_lists_the_complaints(tmp_path: Path) -> None:
    path = written("weekly", WEEKLY, tmp_path)["xlsx"]
    assert path.name == "hbw-2026-W44-weekly.xlsx"
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == 1
    ws = wb.active
    assert "2026-W44" in ws["A1"].value
    assert right_of(ws, "已解决 Resolved").value == 3
    assert right_of(ws, "已取消 Cancelled").value == 0
    assert right_of(ws, "未解决 Open").value == 2
    header_row, _ = find(ws, "单号 Ticket no")
    # R12.1: the week's complaint list says where, who is responsible, what was done and how
    # the follow-up call went
    assert [c.value for c in ws[header_row]][:13] == [
        "单号 Ticket no", "受理时间 Received", "客户单元 Unit", "分类 Category",
        "有效性 Validity", "严重程度 Severity", "状态 Status", "升级级别 Escalation level",
        "责任部门 Department", "内容 Content", "处理情况 Handling", "完成时间 Completed",
        "回访结果 Follow-up result",
    ]  # fmt: skip
    assert [c.value for c in ws[header_row + 1]][:13] == [
        "HBW-202610-0007", "2026-10-27 09:12", "3-1201", "噪音 Noise", "有效投诉 Valid",
        "重要 Important", "已处理待回访 Resolved", "部门主管 Department supervisor",
        "秩序维护部 Security", f"楼上装修噪音{EVIL}", "已约谈装修户, 限定施工时间",
        "2026-10-28 16:30", "满意 Satisfied (5/5)\n安静了",
    ]  # fmt: skip
    assert [c.value for c in ws[header_row + 2]][:13] == [
        "HBW-202610-0009", "2026-10-29 19:00", None, None, None, None,
        "已受理 Received", None, "秩序维护部 Security", "停车位被占", None, None,
        "未回访 Not followed up",
    ]  # fmt: skip
    suggestions_row, _ = find(ws, "建议明细 Suggestions")
    assert ws.cell(row=suggestions_row + 2, column=1).value == "无 None"


def test_the_quality_workbook_has_sites_side_by_side_trends_and_what_got_worse(
    tmp_path: Path,
) -> None:
    path = written("quality", QUALITY, tmp_path)["xlsx"]
    assert path.name == "company-2026-10-quality.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["各项目对比 Sites", "六个月趋势 Trends", "变差项 Worse"]

    sites = wb["各项目对比 Sites"]
    header_row, _ = find(sites, "项目 Site")
    header = [c.value for c in sites[header_row]]
    assert header[:5] == [
        "项目 Site", "名称 Name", "受理总数 Contacts", "重复来电 Repeat contacts", "投诉 Complaints"
    ]  # fmt: skip
    assert "时限达标率 Clock compliance" in header and "满意率 Satisfaction rate" in header
    assert sites.freeze_panes == f"C{header_row + 1}"
    rows = {r[0].value: r for r in sites.iter_rows(min_row=header_row + 1) if r[0].value}
    assert set(rows) == {"hbw", "szp", "company"}
    hbw = dict(zip(header, [c.value for c in rows["hbw"]], strict=True))
    assert hbw["受理总数 Contacts"] == 12 and hbw["投诉 Complaints"] == 3
    assert hbw["时限达标率 Clock compliance"] == 0.6667
    assert hbw["有偿服务收入(元) Paid-service revenue (CNY)"] == 160.0
    szp = dict(zip(header, [c.value for c in rows["szp"]], strict=True))
    assert szp["名称 Name"] == f"深圳园区{EVIL}" and szp["满意率 Satisfaction rate"] is None
    company = dict(zip(header, [c.value for c in rows["company"]], strict=True))
    assert company["名称 Name"] == "全公司 Company" and company["投诉 Complaints"] == 3
    rate_col = header.index("满意率 Satisfaction rate") + 1
    assert sites.cell(row=rows["hbw"][0].row, column=rate_col).number_format == "0.0%"

    trends = wb["六个月趋势 Trends"]
    contacts_row, _ = find(trends, "受理总数 Contacts")
    assert [c.value for c in trends[contacts_row + 1]][:8] == [
        "项目 Site", "名称 Name", *QUALITY["months"],
    ]  # fmt: skip
    assert [c.value for c in trends[contacts_row + 2]][:8] == [
        "hbw", "华碧屋村", 8, 9, 10, 11, 10, 12,
    ]  # fmt: skip
    satisfaction_row, _ = find(trends, "满意率 Satisfaction rate")
    assert [c.value for c in trends[satisfaction_row + 2]][2:8] == [1, None, 0.9, 1, 0.8, 0.875]

    worse = wb["变差项 Worse"]
    row, _ = find(worse, "时限达标率 Clock compliance")
    assert [c.value for c in worse[row]][:5] == [
        "hbw", "华碧屋村", "时限达标率 Clock compliance", 0.7, 0.6667,
    ]  # fmt: skip
    assert [c.value for c in worse[find(worse, "噪音 Noise")[0]]][:4] == ["噪音 Noise", 1, 3, 2]


# -- CSV ------------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_monthly_csv_is_section_key_value_rows(tmp_path: Path) -> None:
    rows = read_csv(written("monthly", MONTHLY, tmp_path)["csv"])
    assert rows[0] == ["section", "key", "value"]
    assert all(len(r) == 3 for r in rows)
    got = {(s, k): v for s, k, v in rows[1:]}
    assert len(got) == len(rows) - 1  # every (section, key) once
    expected = {
        ("report", "site"): "hbw",
        ("report", "site_name"): "华碧屋村",
        ("report", "as_of"): "2026-11-03T09:00:00+00:00",
        ("report", "contacts"): "12",
        ("by_kind", "complaint"): "3",
        ("by_category", f"漏水{EVIL}"): "1",
        ("by_channel", "inspection"): "1",
        ("by_severity", "unclassified"): "1",
        ("escalations", "project_manager"): "1",
        ("clocks", "general_fixed.compliance"): "0.6667",
        ("clocks", "help_reply.compliance"): "",
        ("resolution_hours", "p90"): "70.0",
        ("satisfaction", "rate"): "0.875",
        ("repeat_units", "3-1201.complaints"): "2",
        ("paid", "revenue"): "160.00",
        ("top_categories", "plumbing.previous"): "2",
        ("change", "complaints.change"): "-1",
        ("trend", "2026-06.satisfaction_rate"): "",
        ("trend", "2026-10.clock_compliance"): "0.6667",
        ("analysis", "cause"): f"水管老化{EVIL}\n第二行",
        ("analysis", "lessons"): "'" + MONTHLY["analysis"]["lessons"],  # a formula, defused
        ("analysis", "revision"): "2",
        ("analysis", "by"): "M01",
    }
    for key, value in expected.items():
        assert got[key] == value, key


def test_a_quiet_month_csv_keeps_every_section(tmp_path: Path) -> None:
    rows = read_csv(written("monthly", QUIET, tmp_path)["csv"])[1:]
    got = {(s, k): v for s, k, v in rows}
    for field in ("cause", "lessons", "actions", "revision", "by", "at"):
        assert got[("analysis", field)] == ""
    assert got[("repeat_units", "")] == "" and got[("top_categories", "")] == ""
    assert got[("by_category", "")] == "" and got[("clocks", "")] == ""
    assert got[("resolution_hours", "median")] == ""


def test_weekly_csv_names_complaints_by_ticket_number(tmp_path: Path) -> None:
    path = written("weekly", WEEKLY, tmp_path)["csv"]
    assert path.name == "hbw-2026-W44-weekly.csv"
    got = {(s, k): v for s, k, v in read_csv(path)[1:]}
    assert got[("report", "week")] == "2026-W44"
    assert got[("complaints", "HBW-202610-0007.content")] == f"楼上装修噪音{EVIL}"
    assert got[("complaints", "HBW-202610-0009.severity")] == ""
    assert got[("suggestions", "")] == ""


def test_csv_keys_typed_at_the_desk_are_never_read_as_formulas(tmp_path: Path) -> None:
    report = copy.deepcopy(MONTHLY)
    report["repeat_units"] = [
        {"unit": '=HYPERLINK("http://x.io","3-201")', "complaints": 2},
        {"unit": "-1-05", "complaints": 2},
    ]
    rows = read_csv(written("monthly", report, tmp_path)["csv"])
    keys = [k for s, k, _ in rows if s == "repeat_units"]
    assert keys == ['\'=HYPERLINK("http://x.io","3-201").complaints', "'-1-05.complaints"]


def test_a_control_character_typed_at_the_desk_still_gives_a_workbook(tmp_path: Path) -> None:
    report = copy.deepcopy(WEEKLY)
    report["suggestions"] = [
        {"ticket_no": "HBW-202610-0011", "received_at": "2026-10-27T10:00:00+08:00",
         "category": "noise", "status": "received", "content": "建议\x0b加装隔音\x1b板"}
    ]  # fmt: skip
    book = openpyxl.load_workbook(written("weekly", report, tmp_path)["xlsx"])
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert "建议\ufffd加装隔音\ufffd板" in cells


def test_quality_csv_is_a_row_per_site_with_the_measures_as_columns(tmp_path: Path) -> None:
    path = written("quality", QUALITY, tmp_path)["csv"]
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["site"] for r in rows] == ["hbw", "szp", "company"]
    hbw, szp, company = rows
    assert hbw["contacts"] == "12" and hbw["complaints"] == "3"
    assert hbw["clock_compliance"] == "0.6667" and hbw["paid_revenue"] == "160.00"
    assert hbw["worse"] == "clock_compliance"
    assert hbw["contacts.2026-05"] == "8" and hbw["satisfaction_rate.2026-06"] == ""
    assert szp["site_name"] == f"深圳园区{EVIL}" and szp["satisfaction_rate"] == ""
    assert company["complaints"] == "3" and company["contacts.2026-10"] == ""


# -- JSON -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["monthly", "weekly", "quality"])
def test_json_is_the_report_as_received(kind: str, tmp_path: Path) -> None:
    path = written(kind, REPORTS[kind], tmp_path)["json"]
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == REPORTS[kind]
    assert "\\u" not in text and "\n  " in text  # readable Chinese, indented


# -- HTML -----------------------------------------------------------------------------------------


def assert_self_contained_and_escaped(page: str, evil: bool = True) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()  # every EVIL value was escaped
    assert ("&lt;script&gt;" in page) is evil
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing fetched
    assert "<link" not in page and "@import" not in page
    ids = re.findall(r'<[^<>]*\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # several charts in one page share no id


def test_the_monthly_page_has_the_tables_and_three_charts(tmp_path: Path) -> None:
    path = written("monthly", MONTHLY, tmp_path)["html"]
    assert path.name == "hbw-2026-10-monthly.html"
    page = path.read_text(encoding="utf-8")
    assert_self_contained_and_escaped(page)
    assert page.count("<svg") == 3
    assert "<title>客户投诉(建议、咨询)月汇总表" in page
    for text in (
        '<td class="text">投诉 Complaint</td><td class="num">3</td>',
        '<td class="num">66.7%</td>',  # general_fixed compliance
        '<td class="num">87.5%</td>',  # satisfaction
        '<td class="num">160.00</td>',
        '<td class="num">20.5</td>',
        '<td class="num">-1</td>',
        f"漏水{EVIL}".replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#x27;"),
        "更换全部角阀 &amp; 加强巡查",
        "原因分析 Cause",
        "2026-11-03 17:00 (UTC+08:00)",  # as of, in the site's zone (issue 13 item 17)
    ):
        assert text in page, text
    # the charts: contacts by category, compliance per clock, the six-month trend
    assert (
        ">Contacts by category</text>" in page
        or ">各分类受理数 Contacts by category</text>" in page
    )
    assert "66.7%</text>" in page and "n/a</text>" in page
    assert ">2026-05</text>" in page
    assert "漏水&lt;script&gt;" in page  # a category's own name, escaped in the chart too


def test_a_quiet_month_page_says_none_and_draws_what_it_can(tmp_path: Path) -> None:
    page = written("monthly", QUIET, tmp_path)["html"].read_text(encoding="utf-8")
    assert_self_contained_and_escaped(page, evil=False)
    assert page.count("<svg") == 1  # no categories, no clocks: only the trend
    assert '<p class="empty">无 None</p>' in page
    assert '<td class="num">—</td>' in page  # a null rate


def test_the_weekly_page_escapes_what_residents_said(tmp_path: Path) -> None:
    page = written("weekly", WEEKLY, tmp_path)["html"].read_text(encoding="utf-8")
    assert_self_contained_and_escaped(page)
    assert "楼上装修噪音&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "HBW-202610-0009" in page and "<svg" in page


def test_the_quality_page_has_sites_trends_and_what_got_worse(tmp_path: Path) -> None:
    page = written("quality", QUALITY, tmp_path)["html"].read_text(encoding="utf-8")
    assert_self_contained_and_escaped(page)
    assert page.count("<svg") == 3  # complaints and compliance by site, trends per site
    assert "深圳园区&lt;script&gt;" in page
    assert '<tr class="total"><td class="text">company</td>' in page
    # the charts name a site by its code, and by its name too where a CJK font draws it
    words = charts.Words(charts.cjk_font() is not None)
    for text in (
        "变差的项目 Sites that got worse",
        "投诉上升的分类 Categories with more complaints",
        "噪音 Noise",
        '<td class="num">70.0%</td>',
        f">{escape(words.site('hbw', '华碧屋村'))}</text>",
        f">{escape(words.site('szp', f'深圳园区{EVIL}'))}</text>",
    ):
        assert text in page, text


def test_charts_are_bilingual_with_a_cjk_font_and_english_without() -> None:
    doc = report_files.layout("monthly", MONTHLY)
    without = html.render("monthly", MONTHLY, doc, font=None).decode()
    assert ">Contacts by category</text>" in without
    assert ">各分类受理数 Contacts by category</text>" not in without
    # any loadable font stands in for a CJK one: a missing glyph never stops the drawing
    bilingual = html.render("monthly", MONTHLY, doc, font="DejaVu Sans").decode()
    assert ">各分类受理数 Contacts by category</text>" in bilingual
    assert ">给排水 Plumbing</text>" in bilingual
    found = charts.cjk_font()
    assert found is None or isinstance(found, str)


def test_the_category_chart_puts_the_most_contacts_first_and_names_a_sites_own_category() -> None:
    report = copy.deepcopy(MONTHLY)
    report["by_category"] = {"security": 2, "pet_control": 3, "plumbing": 5, "noise": 0}
    doc = report_files.layout("monthly", report)
    page = html.render("monthly", report, doc, font=None).decode()
    chart = page[page.index("<svg") : page.index("</svg>")]
    drawn = [
        chart.index(f">{name}</text>") for name in ("Plumbing", "Pet control", "Security", "Noise")
    ]
    assert drawn == sorted(drawn)


def test_trend_rates_keep_every_month_on_the_axis_when_only_the_last_has_a_value() -> None:
    months = [f"2026-{m:02}" for m in range(5, 11)]
    trend = [
        {"month": m, "contacts": 0, "complaints": 0, "satisfaction_rate": None,
         "clock_compliance": None}
        for m in months[:-1]
    ] + [{"month": months[-1], "contacts": 9, "complaints": 2, "satisfaction_rate": 0.9,
          "clock_compliance": 0.95}]  # fmt: skip
    svg = charts.monthly_trend(trend, charts.Words(False), None)
    for month in months:
        assert svg.count(f">{month}</text>") == 2, month  # in both panels
    sites = charts.site_trends(
        months,
        {"hbw": {"contacts": [0] * 5 + [9], "satisfaction_rate": [None] * 5 + [0.9]}},
        {"hbw": None},
        charts.Words(False),
        None,
    )
    assert sites.count(">2026-05</text>") == 4  # in each of the four panels


def test_a_count_of_zeros_every_month_is_drawn_on_whole_numbers() -> None:
    """A site whose residents were all visited in time: 0 overdue every month, on an axis of
    whole numbers up to 1, not matplotlib's 0.000 … 0.054 (R11.10)."""
    months = [f"2026-{m:02}" for m in range(7, 13)]
    svg = charts.site_trends(
        months, {"hbw": {"care_visits_overdue": [0] * 6}}, {"hbw": None}, charts.Words(False),
        None, panels=("care_visits_overdue",),
    )  # fmt: skip
    ticks = re.findall(r">([0-9.]+)</text>", svg)
    assert ticks == ["0", "1"], ticks


# -- determinism ----------------------------------------------------------------------------------


def digests() -> dict[str, str]:
    return {
        f"{kind}.{fmt}": hashlib.sha256(report_files.render(kind, report, fmt)).hexdigest()
        for kind, report in REPORTS.items()
        for fmt in report_files.FORMATS
    }


def test_the_same_report_gives_the_same_bytes_in_another_process() -> None:
    here = digests()
    script = (
        "import json; from tests.unit.test_report_files import digests; "
        "print(json.dumps(digests()))"
    )
    there = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert json.loads(there.stdout) == here


def test_file_names_never_leave_the_directory(tmp_path: Path) -> None:
    odd = MONTHLY | {"site": "../etc", "month": "2026/10"}
    assert report_files.stem("monthly", odd) == "___etc-2026_10-monthly"
    assert report_files.stem("quality", QUALITY) == "company-2026-10-quality"
    paths = report_files.write("weekly", WEEKLY, tmp_path / "new" / "dir", ["csv", "json"])
    assert [p.name for p in paths] == ["hbw-2026-W44-weekly.csv", "hbw-2026-W44-weekly.json"]
    left = sorted(p.name for p in (tmp_path / "new" / "dir").iterdir())
    assert left == ["hbw-2026-W44-weekly.csv", "hbw-2026-W44-weekly.json"]  # no partial files


# -- the command line -----------------------------------------------------------------------------

NO_NATS = ["--nats-url", "nats://127.0.0.1:1"]  # were it ever asked: exit 3, not 2


@pytest.mark.parametrize(
    "args",
    [
        ["report", "monthly", "--site", "hbw", "--month", "2026-13"],
        ["report", "monthly", "--site", "hbw", "--month", "2026/10"],
        ["report", "monthly", "--site", "hbw", "--month", "202610"],
        ["report", "monthly", "--site", "../x", "--month", "2026-10"],
        ["report", "monthly", "--site", "company", "--month", "2026-10"],
        ["report", "weekly", "--site", "hbw", "--week", "2026-44"],
        ["report", "weekly", "--site", "hbw", "--week", "2025-W53"],  # 2025 has 52 weeks
        ["report", "weekly", "--site", "hbw", "--week", "2026-W00"],
        ["report", "weekly", "--site", "hbw", "--week", "9999-W52"],
        ["report", "monthly", "--site", "hbw", "--month", "0000-01"],
        ["report", "monthly", "--site", "hbw", "--month", "２０２６-10"],  # full-width digits
        ["report", "quality", "--month", "Oct 2026"],
        ["report", "quality", "--month", "2026-10", "--format", "pdf"],
    ],
)
def test_bad_months_weeks_sites_and_formats_exit_2_before_sending(args: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, *NO_NATS])
    assert result.exit_code == 2, result.output
    assert "Invalid value" in result.output
    if "company" in args:
        assert "reserved" in result.output


def test_report_commands_write_the_files_and_summarise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, dict[str, Any]]] = []

    def fake_call_desk(url, subject, body, as_json):
        asked.append((subject, body))
        kind = subject.rsplit(".", 1)[-1]
        return {"ok": True, "report": REPORTS[kind]}

    monkeypatch.setattr(report_cli, "call_desk", fake_call_desk)
    runner = CliRunner(env={"COLUMNS": "200"})
    out = str(tmp_path / "reports")

    monthly = runner.invoke(app, ["report", "monthly", "--site", "hbw", "--month", "2026-10",
                                  "--out", out])  # fmt: skip
    weekly = runner.invoke(app, ["report", "weekly", "-s", "hbw", "--week", "2026-w44",
                                 "--out", out, "--format", "xlsx,csv", "-f", "html"])  # fmt: skip
    quality = runner.invoke(app, ["report", "quality", "--month", "2026-10", "--out", out,
                                  "--format", "json"])  # fmt: skip

    assert monthly.exit_code == 0, monthly.output
    assert weekly.exit_code == 0, weekly.output
    assert quality.exit_code == 0, quality.output
    assert asked == [
        ("desk.qry.hbw.report.monthly", {"month": "2026-10"}),
        ("desk.qry.hbw.report.weekly", {"week": "2026-W44"}),
        ("desk.qry.company.report.quality", {"month": "2026-10"}),
    ]
    assert sorted(p.name for p in Path(out).iterdir()) == sorted(
        [f"hbw-2026-10-monthly.{f}" for f in ("xlsx", "csv", "json", "html")]
        + [f"hbw-2026-W44-weekly.{f}" for f in ("xlsx", "csv", "html")]
        + ["company-2026-10-quality.json"]
    )
    assert "hbw-2026-10-monthly.xlsx" in monthly.output
    assert "12 contacts, 3 complaints, satisfaction 87.5%" in monthly.output
    assert "5 contacts, 2 complaints, 0 suggestions" in weekly.output
    assert "2 sites, 12 contacts, 3 complaints, satisfaction 87.5%" in quality.output


def test_json_prints_only_the_reply_and_still_writes_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_call_desk(url, subject, body, as_json):
        reply = {"ok": True, "report": WEEKLY}
        if as_json:
            print(json.dumps(reply, ensure_ascii=False))
        return reply

    monkeypatch.setattr(report_cli, "call_desk", fake_call_desk)
    result = CliRunner().invoke(
        app,
        ["report", "weekly", "--site", "hbw", "--week", "2026-W44", "--json", "-f", "csv",
         "--out", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"ok": True, "report": WEEKLY}
    assert (tmp_path / "hbw-2026-W44-weekly.csv").exists()


def test_the_quality_page_shows_a_month_without_data_as_a_dash_in_every_trend(
    tmp_path: Path,
) -> None:
    """REPORT-FILES.md: a trend month before a site's first contact has no data, which the HTML
    page shows as `—`. The rates did; the counts (contacts, complaints) were blank cells."""
    page = written("quality", QUALITY, tmp_path)["html"].read_text(encoding="utf-8")
    for measure in ("contacts", "complaints", "satisfaction_rate", "clock_compliance"):
        section = page[page.index(f'<section id="trend-{measure}"') :]
        section = section[: section.index("</section>")]
        szp = section[section.index('<td class="text">szp</td>') :]
        szp = szp[: szp.index("</tr>")]
        assert szp.count('<td class="num">—</td>') == 6, (measure, szp)


def test_the_overview_says_how_many_contacts_were_new_tickets_and_how_many_repeats(
    tmp_path: Path,
) -> None:
    """The demo's hbw-2026-10 read 受理总数 Contacts 86 above a 按类别 By kind table of 83: the
    three repeat contacts (REPORTS.md: the counts by kind count tickets) were nowhere on the
    page or the sheet, so the tables looked as if they disagreed."""
    report = MONTHLY | {"contacts": 13, "tickets": 12, "repeat_contacts": 1}
    files = written("monthly", report, tmp_path)
    ws = openpyxl.load_workbook(files["xlsx"]).active
    assert right_of(ws, "受理总数 Contacts").value == 13
    assert right_of(ws, "新工单 New tickets").value == 12
    assert right_of(ws, "重复来电 Repeat contacts").value == 1
    page = files["html"].read_text(encoding="utf-8")
    assert "新工单 New tickets" in page and "重复来电 Repeat contacts" in page
    weekly = written("weekly", WEEKLY | {"tickets": 5, "repeat_contacts": 0}, tmp_path)
    ws = openpyxl.load_workbook(weekly["xlsx"]).active
    assert right_of(ws, "新工单 New tickets").value == 5
    assert right_of(ws, "重复来电 Repeat contacts").value == 0


def test_a_headline_counts_one_in_the_singular() -> None:
    from propdesk.report_files.headline import headline

    month = {"site": "hbw", "month": "2026-11", "contacts": 1, "by_kind": {"complaint": 1},
             "satisfaction": {"rate": 1.0, "satisfied": 1, "follow_ups": 1}}  # fmt: skip
    assert headline("monthly", month) == (
        "hbw 2026-11: 1 contact, 1 complaint, satisfaction 100.0% (1 of 1 follow-up)"
    )
    week = {"site": "hbw", "week": "2026-W48", "contacts": 2, "complaints": [{}], "suggestions": [],
            "resolved": 1, "open": 1}  # fmt: skip
    assert headline("weekly", week).startswith(
        "hbw 2026-W48: 2 contacts, 1 complaint, 0 suggestions"
    )


# -- the special-care trend (R11.10) --------------------------------------------------------------

CARE_TREND = {"care_residents": [2, 2, 3, 3, 3, 3], "care_visits": [1, 3, 2, 0, 4, 3],
              "care_visits_overdue": [0, 0, 1, 2, 0, 1]}  # fmt: skip
CARED = copy.deepcopy(QUALITY)
CARED["trend"]["hbw"] |= CARE_TREND
CARED["trend"]["szp"] |= {k: [None] * 6 for k in CARE_TREND}  # no special-care resident


def test_the_quality_pack_shows_the_special_care_trend_as_the_other_trends_R11_10(
    tmp_path: Path,
) -> None:
    """Each format as it shows the other series: a table per measure (HTML, workbook), columns
    per month (CSV), and a chart of its own with a line per site that has special-care
    residents; a pack without the series (an older desk's) shows the four as before."""
    files = written("quality", CARED, tmp_path)
    page = files["html"].read_text(encoding="utf-8")
    assert page.count("<svg") == 4  # complaints and compliance by site, trends, special care
    for measure, values in CARE_TREND.items():
        section = page[page.index(f'<section id="trend-{measure}"') :]
        hbw = section[section.index('<td class="text">hbw</td>') :]
        hbw = hbw[: hbw.index("</tr>")]
        assert re.findall(r'<td class="num">([^<]*)</td>', hbw) == [str(v) for v in values]
    care_chart = page[page.rindex("<figure>") : page.rindex("</figure>")]
    words = charts.Words(charts.cjk_font() is not None)
    assert f">{escape(words.site('hbw', '华碧屋村'))}</text>" in care_chart
    assert ">szp</text>" not in care_chart and "深圳园区" not in care_chart  # nothing to draw
    assert ">2026-05</text>" in care_chart

    trends = openpyxl.load_workbook(files["xlsx"])["六个月趋势 Trends"]
    visits_row, _ = find(trends, "关怀走访 Special-care visits")
    assert [c.value for c in trends[visits_row + 2]][:8] == ["hbw", "华碧屋村", 1, 3, 2, 0, 4, 3]
    assert [c.value for c in trends[visits_row + 3]][2:8] == [None] * 6  # `—`, not 0

    rows = list(csv.DictReader(io.StringIO(files["csv"].read_bytes().decode("utf-8-sig"))))
    assert rows[0]["care_visits_overdue.2026-08"] == "2" and rows[1]["care_visits.2026-10"] == ""

    older = written("quality", QUALITY, tmp_path / "older")
    assert "care_visits.2026-10" not in older["csv"].read_bytes().decode("utf-8-sig")
    assert 'id="trend-care_visits"' not in older["html"].read_text(encoding="utf-8")


def test_residents_left_waiting_that_rose_read_as_the_other_measures_that_got_worse_R11_10(
    tmp_path: Path,
) -> None:
    """hbw's residents overdue a visit rose from 0 to 1 (queries/quality.py `WORSE`): in words and
    as counts, not a rate, in each format's list of what got worse."""
    report = copy.deepcopy(CARED)
    waiting = {"site": "hbw", "measure": "care_visits_overdue", "previous": 0, "this": 1}
    report["worse"]["sites"].append(waiting)
    files = written("quality", report, tmp_path)
    worse = openpyxl.load_workbook(files["xlsx"])["变差项 Worse"]
    row, _ = find(worse, "逾期未访住户 Residents overdue a visit")
    assert [c.value for c in worse[row]][:5] == [
        "hbw", "华碧屋村", "逾期未访住户 Residents overdue a visit", 0, 1,
    ]  # fmt: skip
    assert worse.cell(row=row, column=5).number_format != "0.0%"
    page = files["html"].read_text(encoding="utf-8")
    listed = page[page.index("逾期未访住户 Residents overdue a visit</td>") :]
    assert re.findall(r'<td class="num">([^<]*)</td>', listed[: listed.index("</tr>")]) == [
        "0", "1",
    ]  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(files["csv"].read_bytes().decode("utf-8-sig"))))
    assert rows[0]["worse"] == "clock_compliance;care_visits_overdue"


def test_the_monthly_trend_shows_the_sites_special_care_visits_R11_10(tmp_path: Path) -> None:
    report = copy.deepcopy(MONTHLY)
    for point, *care in zip(report["trend"], *CARE_TREND.values(), strict=True):
        point |= dict(zip(CARE_TREND, care, strict=True))
    files = written("monthly", report, tmp_path)
    ws = openpyxl.load_workbook(files["xlsx"]).active
    header_row = find(ws, "近六个月趋势 Six-month trend")[0] + 1
    assert [c.value for c in ws[header_row]][5:8] == [
        "关怀住户 Special-care residents", "关怀走访 Special-care visits",
        "逾期未访住户 Residents overdue a visit",
    ]  # fmt: skip
    assert [c.value for c in ws[header_row + 4]][:8] == ["2026-08", 11, 2, 1, 0.9, 3, 0, 2]
    page = files["html"].read_text(encoding="utf-8")
    trend_chart = page[page.rindex("<figure>") : page.rindex("</figure>")]
    assert ">Special care</text>" in trend_chart or ">特殊关怀 Special care</text>" in trend_chart
    assert trend_chart.count(">2026-05</text>") == 3  # in each of its three panels
    plain = written("monthly", MONTHLY, tmp_path / "plain")["html"].read_text(encoding="utf-8")
    plain = plain[plain.rindex("<figure>") : plain.rindex("</figure>")]
    assert plain.count(">2026-05</text>") == 2  # no special care: its two panels
