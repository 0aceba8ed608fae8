"""The day's inspection summary (R12.9) and the week's quality check sheet 《物业品质监督检查表》
(R1.5) as a workbook, from a `round.list` reply (docs/INSPECTION.md): the rounds walked, the
planned slots no round walked, and every finding with where it went and its state."""

from __future__ import annotations

from typing import Any

from propdesk.report_files import xlsx
from propdesk.report_files.document import Document, Sheet, Table, count, text, when
from propdesk.report_files.labels import both, label
from shared.kernel.words import ROUTED


def rounds_document(reply: dict[str, Any], *, week: bool) -> Document:
    title = (
        "物业品质监督检查表 Quality check sheet"
        if week
        else "每日巡查问题汇总 Daily inspection summary"
    )
    period = f"{reply['first_day']} – {reply['last_day']}" if week else reply["first_day"]
    meta = [
        (both("项目", "Site"), text(reply["site"])),
        (both("期间", "Period"), text(period)),
        (both("报送截止", "Due"), when(reply, reply["due_at"])),
    ]
    rounds = Table(
        both("巡查记录", "Rounds"),
        [both(zh, en) for zh, en in (("开始", "Started"), ("类型", "Type"), ("时段", "Slot"),
                                     ("区域", "Area"), ("巡查人", "Inspector"),
                                     ("检查点", "Points"), ("合格", "OK"), ("问题", "Findings"))],
        [
            [when(reply, r["started_at"]), text(r["round_type"]), text(r["slot"]), text(r["area"]),
             text(r["inspector"]), count(r["points"]), count(r["points_ok"]), count(r["findings"])]
            for r in reply["rounds"]
        ],
        key="rounds",
    )  # fmt: skip
    missed = Table(
        both("未巡查的计划", "Planned, not walked"),
        [both("日期/时段", "Date/slot")],
        [[text(m)] for m in reply["missed"]],
        key="missed",
    )
    findings = Table(
        both("巡查问题处理", "Findings"),
        [both(zh, en) for zh, en in (("单号", "Ticket no"), ("区域", "Area"), ("检查点", "Point"),
                                     ("类型", "Type"), ("去向", "Routed to"),
                                     ("责任部门", "Department"), ("状态", "Status"),
                                     ("期限", "Due"), ("现场验证", "Verified"),
                                     ("问题", "Description"))],
        [
            [text(f["ticket_no"]), text(f["area"]), text(f["point"]), text(f["type"]),
             text(label(ROUTED, f["routed_to"])), text(f["department"]),
             text(f["status"]), when(reply, f["due_at"]), text(_verified(f["verified"])),
             text(f["description"])]
            for f in reply["findings"]
        ],
        key="findings",
        long_text=True,
    )  # fmt: skip
    sheet = Sheet("巡查 Rounds", title, meta, [rounds, missed, findings])
    return Document(title, [sheet])


def render_rounds(reply: dict[str, Any], *, week: bool) -> bytes:
    """The workbook's bytes: the same reply always gives the same file."""
    return xlsx.render(rounds_document(reply, week=week), reply["due_at"])


def _verified(value: bool | None) -> str:
    return "" if value is None else ("通过 Passed" if value else "未通过 Not yet")
