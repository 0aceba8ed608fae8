"""A resident's violation found on a round opens its violation case (R13.15b, R14.10,
docs/INSPECTION.md "Violation findings"): in the round's own transaction, once, naming the round's
finding and its ticket; the case closed, the finding's ticket is resolved within its week and its
check on site closes it (R13.16, R13.17)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually
from tests.integration.test_desk_words import cli
from tests.integration.test_inspection_rounds import PLAN, ROUND, SITES
from tests.integration.test_inspection_rounds import drill_sites as drill_sites
from tests.integration.test_report_ledger import propdesk_report

pytestmark = pytest.mark.integration

FOUND = {"point": "垃圾房", "type": "violation", "location": "5-101", "violation_class": "general",
         "violation_category": "hygiene", "description": "住户在垃圾房堆放装修垃圾"}  # fmt: skip
WALK = ROUND | {"round_ref": "hbw-20261123-violation", "findings": [ROUND["findings"][0], FOUND]}
assert SITES.sites["hbw"].staff  # the drill's staff list: roles are checked


async def test_a_violation_found_on_a_round_opens_its_case_once_and_its_close_resolves_the_finding_R13_15_R14_10(  # noqa: E501
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    assert (await desk.command("hbw", "plan_rounds", PLAN))["ok"]
    reply = await desk.command("hbw", "record_round", WALK)
    assert reply["ok"], reply
    repair, violation = reply["findings"]
    assert repair["case_id"] is None and violation["routed_to"] == "violation_case"
    case_id = violation["case_id"]
    again = await desk.command("hbw", "record_round", WALK | {"staff_id": "S01"})
    assert again["duplicate"] and again["findings"][1]["case_id"] == case_id  # exactly once

    async def opened() -> list[dict[str, Any]] | None:
        return await drill.events("violation.opened") or None

    [event] = await eventually(opened)
    ref = f"round/{WALK['round_ref']}/1"
    assert event["aggregate_id"] == case_id
    assert (event["data"]["client_ref"], event["data"]["finding"]) == (ref, ref)
    assert event["data"]["ticket_id"] == violation["ticket_id"]
    assert (event["data"]["violation_class"], event["data"]["category"]) == ("general", "hygiene")
    assert (event["data"]["place"], event["data"]["responsible"]) == ("5-101", "cs_supervisor")
    # published in the round's order: its tickets, the case, then the round that names them
    order = [json_type(m) for m in await desk.events()]
    assert order.index("violation.opened") < order.index("round.recorded")
    assert order.index("ticket.reported") < order.index("violation.opened")
    [recorded] = await drill.events("round.recorded")
    assert recorded["data"]["findings"][1]["case_id"] == case_id
    day = await desk.query("hbw", "round.list", {"day": "2026-11-23"})
    assert [f["case_id"] for f in day["findings"]] == [None, case_id]  # the summary links it

    ticket = violation["ticket_id"]
    await drill.started(ticket, "finding_resolved")
    await drill.set_clock(START + timedelta(days=2))
    measure = {"staff_id": "CS1", "case": case_id, "measure": "persuasion", "due_on": "2026-11-26"}
    measured = await desk.command("hbw", "violation_measure", measure)
    assert measured["ok"], measured
    close = {"staff_id": "CS1", "case": case_id, "outcome": "住户已清运装修垃圾"}
    closed = await desk.command("hbw", "violation_close", close)
    assert closed["ok"] and closed["status"] == "closed", closed
    assert (await drill.stopped(ticket, "finding_resolved"))["outcome"] == "met"  # R13.16
    [resolved] = [e for e in await drill.events("ticket.resolved") if e["aggregate_id"] == ticket]
    assert ref in resolved["data"]["resolution"]
    verified = await desk.command(
        "hbw", "verify", {"ticket_id": ticket, "staff_id": "CS1", "passed": True}
    )
    assert verified["ok"] and verified["status"] == "closed", verified  # R13.17

    case = await desk.query("hbw", "violation.get", {"case_id": case_id})
    assert case["ok"] and case["case"]["finding"] == ref, case


async def test_the_month_and_the_quality_pack_count_findings_by_closure_and_cases_by_grade_and_measure_R12_3_R13_16_R14_3(  # noqa: E501
    desk: Desk, drill_services, nats_server, tmp_path
) -> None:
    await drill_services()
    drill = Drill(desk)
    assert (await desk.command("hbw", "plan_rounds", PLAN))["ok"]
    repair, violation = (await desk.command("hbw", "record_round", WALK))["findings"]
    await drill.started(repair["ticket_id"], "finding_resolved")
    await drill.set_clock(START + timedelta(days=1))
    for measure, due in (("persuasion", "2026-11-25"), ("rectify", "2026-11-28")):
        body = {"staff_id": "CS1", "case": violation["case_id"], "measure": measure,
                "due_on": due}  # fmt: skip
        assert (await desk.command("hbw", "violation_measure", body))["ok"]
    close = {"staff_id": "CS1", "case": violation["case_id"], "outcome": "已整改"}
    assert (await desk.command("hbw", "violation_close", close))["ok"]
    await drill.stopped(violation["ticket_id"], "finding_resolved")
    await drill.set_clock(START + timedelta(days=8))  # the repair's week is over, still open

    async def month() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "report.monthly", {"month": "2026-11"})
        found = reply["report"] if reply["ok"] else {}
        done = found.get("inspection", {}).get("late") and found["violations"]["closed"]
        return found if done else None

    report = await eventually(month)
    inspection = report["inspection"]
    assert (inspection["findings"], inspection["resolved_in_a_week"]) == (2, 1)  # R13.16
    assert (inspection["late"], inspection["open"]) == (1, 1)
    assert report["violations"]["opened"] == {"general": 1, "major": 0}  # by grade, R14.2
    assert report["violations"]["by_measure"] == {
        "persuasion": 1, "rectify": 1, "compensation": 0, "legal_action": 0,
    }  # fmt: skip  # R14.3

    out = tmp_path / "reports"
    await propdesk_report(nats_server.url, out, "quality", "--month", "2026-11")
    pack = json.loads((out / "company-2026-11-quality.json").read_text(encoding="utf-8"))
    [hbw] = pack["sites"]
    expected = {
        "inspection_findings": 2, "findings_closed": 0, "finding_closure_rate": 0.0,
        "findings_on_time": 1, "findings_late": 1, "findings_open": 1,
        "violations_general": 1, "violations_major": 0, "measures_persuasion": 1,
        "measures_rectify": 1, "measures_compensation": 0, "measures_legal_action": 0,
    }  # fmt: skip
    assert {k: hbw[k] for k in expected} == expected
    assert {k: pack["company"][k] for k in expected} == expected
    sheet = load_workbook(out / "company-2026-11-quality.xlsx")["各项目对比 Sites"]
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "逾期 Findings late" in cells and "重大违章立案 Violations, major" in cells
    monthly = await cli(nats_server.url, "report", "monthly", "--site", "hbw", "--month",
                        "2026-11", "--out", str(out), "--format", "xlsx")  # fmt: skip
    assert monthly.exit_code == 0, monthly.output
    book = load_workbook(out / "hbw-2026-11-monthly.xlsx")
    cells = [c.value for ws in book for row in ws.iter_rows() for c in row]
    assert "逾期 Late" in cells and "未解决 Still open" in cells


def json_type(msg: Any) -> str:
    return msg.subject.rsplit(".", 2)[-2] + "." + msg.subject.rsplit(".", 1)[-1]
