"""The month's maintenance and outage notices in the monthly summary (维修通告, R7.9, R7.10,
R16.6; docs/OUTAGES.md): planned work announced on time or late, emergencies, outages and how
long they lasted, and the contacts linked to them."""

from __future__ import annotations

from typing import Any

from propdesk.report_files import labels as L
from propdesk.report_files.document import Table, count, hours, text
from propdesk.report_files.labels import both

WORDS: dict[str, tuple[str, str]] = {
    "notices": ("维修通告", "Notices"),
    "planned": ("计划维修(提前一天通知)", "Planned (announced the day before)"),
    "on_time": ("按时通知", "Announced on time"),
    "late": ("通知迟于前一天", "Announced late"),
    "emergency": ("紧急抢修/突发停运", "Emergency"),
    "outages": ("停水停电停气停梯", "Outages"),
    "restored": ("已恢复", "Restored"),
    "outage_hours": ("停运总时长(小时)", "Outage hours"),
    "longest_outage_hours": ("最长停运(小时)", "Longest outage (hours)"),
    "restored_after_expected": ("晚于预计恢复时间", "Restored after the expected time"),
    "revised": ("修改过预计时间", "Restoration time revised"),
    "contacts_linked": ("相关来电来访", "Contacts linked"),
    "cancelled": ("已取消", "Cancelled"),
}


def maintenance(report: dict[str, Any]) -> Table:
    data = report.get("maintenance") or {}
    rows = [
        [text(L.label(WORDS, k)), (hours if k.endswith("hours") else count)(data.get(k))]
        for k in WORDS
        if k in data
    ]
    header = [both("项目", "Item"), both("数量", "Count")]
    return Table(both("维修通告", "Maintenance notices"), header, rows, key="maintenance")
