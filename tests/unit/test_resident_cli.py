"""`propdesk residents care` and `lookup --ref` send bodies the contract accepts, to the queries
intake serves, and print the care roll in the site's time, the late marked (R11.10;
docs/RESIDENTS.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from propdesk.cli import common
from propdesk.cli.main import app
from shared.contracts.care_roll import CareRollReply, ListCareRoll
from shared.contracts.resident_commands import LookupCaller

ZHANG = {
    "resident_id": "6eb79cef-3d22-5d13-9c6b-cb0aca089d27",
    "resident_ref": "HBW-0001",
    "name": "张阿婆",
    "units": [
        {
            "unit_ref": "3-1201",
            "place_kind": "room",
            "building": "3栋",
            "room": "1201",
            "zone": "A区",
        }
    ],
    "special_care": "elderly_alone",
    "care_note": "耳背",
    "last_visited_at": None,
    "last_visited_by": None,
    "next_visit_due": "2026-12-23T01:00:00Z",
    "overdue": True,
}
ZHAO = ZHANG | {
    "resident_id": "7eb79cef-3d22-5d13-9c6b-cb0aca089d27",
    "resident_ref": "HBW-0002",
    "name": "赵伯",
    "units": [],
    "special_care": "disabled",
    "care_note": None,
    "last_visited_at": "2026-12-03T07:00:00Z",
    "last_visited_by": "HB-CS1",
    "next_visit_due": "2027-01-02T07:00:00Z",
    "overdue": False,
}
ROLL = {
    "ok": True,
    "as_of": "2026-12-24T01:30:00Z",
    "care_visit_days": 30,
    "total": 3,
    "overdue": 1,
    "residents": [ZHANG, ZHAO],
    "next_cursor": "1798848000000000~HBW-0002",
}


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, dict[str, Any]]]:
    sites = tmp_path / "sites.json"
    sites.write_text(json.dumps({"sites": {"hbw": {"timezone": "Asia/Shanghai"}}}))
    monkeypatch.setenv("PROPDESK_SITES_FILE", str(sites))
    calls: list[tuple[str, dict[str, Any]]] = []

    def request(url: str, subject: str, body: dict[str, Any]) -> dict[str, Any]:
        calls.append((subject, body))
        return ROLL if subject.endswith("care_roll") else {"ok": True, "residents": []}

    monkeypatch.setattr(common, "request", request)
    return calls


def test_care_asks_for_the_roll_and_prints_the_late_first_in_the_sites_time_R11_10(
    sent, monkeypatch: pytest.MonkeyPatch
) -> None:
    CareRollReply.model_validate(ROLL)  # the reply this test stands for is the contract's
    monkeypatch.setenv("COLUMNS", "160")
    args = ["residents", "care", "--site", "hbw", "--staff", "HB-CS1", "--within", "7"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    [(subject, body)] = sent
    assert subject == "desk.qry.hbw.resident.care_roll"
    assert ListCareRoll.model_validate(body).due_within_days == 7
    lines = result.output.splitlines()
    zhang = next(line for line in lines if "HBW-0001" in line)
    assert "2026-12-23 09:00 LATE" in zhang and "3-1201 A区" in zhang and "耳背" in zhang
    zhao = next(line for line in lines if "HBW-0002" in line)
    assert "2027-01-02 15:00" in zhao and "LATE" not in zhao and "2026-12-03 15:00 HB-CS1" in zhao
    assert lines.index(zhang) < lines.index(zhao)
    assert "3, 1 late" in result.output and "times in Asia/Shanghai" in result.output
    assert "more: --cursor 1798848000000000~HBW-0002" in result.output


def test_care_passes_the_next_page_on_and_lookup_takes_a_file_number(sent) -> None:
    runner = CliRunner()
    more = ["residents", "care", "--site", "hbw", "--staff", "HB-CS1", "--cursor", "1~HBW-0002"]
    assert runner.invoke(app, more).exit_code == 0
    ref = ["residents", "lookup", "--site", "hbw", "--staff", "HB-CS1", "--ref", "HBW-0001"]
    result = runner.invoke(app, ref)
    assert result.exit_code == 0 and "nobody on file" in result.output
    (_, page), (subject, asked) = sent
    assert ListCareRoll.model_validate(page).cursor == "1~HBW-0002"
    assert subject == "desk.qry.hbw.resident.lookup"
    assert LookupCaller.model_validate(asked).resident_ref == "HBW-0001"
