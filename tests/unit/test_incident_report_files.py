"""The month's emergency events in the report files (R16.5; docs/INCIDENTS.md): the workbook's
section 突发事件, the CSV rows named by incident number, the page — times in the site's zone."""

from __future__ import annotations

import copy
from pathlib import Path

import openpyxl

from propdesk import report_files
from tests.unit.test_report_files import MONTHLY, read_csv, right_of

INCIDENT = {
    "incident_id": "0b6f1c1e-0000-4000-8000-000000000001", "incident_no": "HBW-INC-202610-001",
    "kind": "lift_entrapment", "place": "2号楼电梯", "occurred_at": "2026-10-04T02:00:00+08:00",
    "opened_at": "2026-10-04T02:01:00+08:00", "opened_by": "S01", "ticket_no": "HBW-202610-0009",
    "help_category": "F", "status": "closed",
    "measures": [{"measure": "电梯公司到场放人", "taken_at": "2026-10-04T02:25:00+08:00",
                  "by": "S01"}],
    "reports_up": [{"to": "project_manager", "reported_at": "2026-10-04T02:30:00+08:00",
                    "note": None, "by": "S01"}],
    "follow_up": "门机故障, 已更换", "closed_at": "2026-10-05T09:00:00+08:00", "closed_by": "S02",
}  # fmt: skip
REPORT = copy.deepcopy(MONTHLY) | {"incidents": [INCIDENT]}


def written(report: dict, tmp_path: Path, *formats: str) -> dict[str, Path]:
    return {p.suffix[1:]: p for p in report_files.write("monthly", report, tmp_path, formats)}


def test_the_workbook_lists_the_months_incidents_with_measures_and_follow_up_R16_5(
    tmp_path: Path,
) -> None:
    ws = openpyxl.load_workbook(written(REPORT, tmp_path, "xlsx")["xlsx"]).worksheets[0]
    assert right_of(ws, "HBW-INC-202610-001").value == "电梯困人 Lift entrapment"
    assert right_of(ws, "HBW-INC-202610-001", 3).value == "2026-10-04 02:00 (UTC+08:00)"
    measures = right_of(ws, "HBW-INC-202610-001", 6).value
    assert "2026-10-04 02:25 电梯公司到场放人" in measures and "门机故障, 已更换" in measures


def test_the_csv_and_the_page_carry_the_incidents(tmp_path: Path) -> None:
    files = written(REPORT, tmp_path, "csv", "html")
    got = {(s, k): v for s, k, v in read_csv(files["csv"])[1:]}
    assert got[("incidents", "HBW-INC-202610-001.kind")] == "lift_entrapment"
    assert got[("incidents", "HBW-INC-202610-001.measures.0.measure")] == "电梯公司到场放人"
    page = files["html"].read_text(encoding="utf-8")
    assert "突发事件 Emergency events" in page and "HBW-INC-202610-001" in page


def test_a_month_without_incidents_says_none(tmp_path: Path) -> None:
    quiet = copy.deepcopy(MONTHLY) | {"incidents": []}
    got = {(s, k): v for s, k, v in read_csv(written(quiet, tmp_path, "csv")["csv"])[1:]}
    assert got[("incidents", "")] == ""
    page = written(quiet, tmp_path, "html")["html"].read_text(encoding="utf-8")
    assert "突发事件 Emergency events" in page
