"""The month's visits and surveys in the monthly summary (R11.6, R11.9; docs/VISITS.md): each
week's households visited against the target, per zone and for the site, and the statistics of
each survey of the month — apart from the follow-up's satisfaction (section 满意度)."""

from __future__ import annotations

from typing import Any

from propdesk.report_files.document import Table, count, pct, text
from propdesk.report_files.labels import both

SITE = both("全项目", "Whole site")


def visits(report: dict[str, Any]) -> Table:
    weeks = (report.get("visits") or {}).get("weeks") or []
    header = [
        both("周", "Week"),
        both("管区", "Zone"),
        both("入住户数", "Occupied"),
        both("目标户数", "Target"),
        both("走访户数", "Visited"),
        both("走访率", "Rate"),
        both("达标", "On target"),
    ]
    rows = [
        [
            text(f"{w['first_day']} – {w['last_day'][5:]}"),
            text(SITE if z["zone"] == "*" else z["zone"]),
            count(z["occupied"]),
            count(z["target"]),
            count(z["visited"]),
            pct(z["rate"]),
            text(_verdict(w, z)),
        ]
        for w in weeks
        for z in w["zones"]
    ]
    return Table(both("走访(每周目标户数)", "Visits against the weekly target"), header, rows,
                 key="visits")  # fmt: skip


def _verdict(week: dict[str, Any], zone: dict[str, Any]) -> str:
    if not zone["target"]:
        return "—"
    if zone["met"]:
        return "✓ 达标"
    return "进行中 In progress" if week.get("ongoing") else "✗ 未达标"


def surveys(report: dict[str, Any]) -> Table:
    found = (report.get("visits") or {}).get("surveys") or []
    header = [
        both("调查", "Survey"),
        both("期间", "Period"),
        both("户数", "Households"),
        both("答卷", "Responses"),
        both("回收率", "Response rate"),
        both("满意率", "Satisfaction rate"),
    ]
    rows = [
        [
            text(s["title"]),
            text(f"{s['first_day']} – {s['last_day']}"),
            count(s["households"]),
            count(s["responses"]),
            pct(s["response_rate"]),
            pct(s["satisfaction_rate"]),
        ]
        for s in found
    ]
    title = both("满意度调查(不含回访)", "Satisfaction surveys (not the follow-ups)")
    return Table(title, header, rows, key="surveys")
