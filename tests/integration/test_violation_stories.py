"""Violation cases through the bus (R14.1–R14.10, docs/VIOLATIONS.md): a case opened by staff or
from an inspection finding, its measures in order each with its due date, a penalty proposed by
the manager or the CS-assistant supervisor and in force once the manager signs, closed with its
retention, shown by violation.get and published without the offender's name or phone."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from tests.integration.drill import Drill
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

STAFF = {
    "S01": {"role": "receptionist"},
    "CSS": {"role": "cs_supervisor"},
    "M01": {"role": "project_manager"},
    "SUP": {"role": "department_supervisor"},
}
STAFFED = {"strict": True, "sites": {"hbw": {"name": "华碧屋村", "staff": STAFF}}}
OFFENDER = {"name": "钱多多", "phone": "13912345678"}


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    SiteDirectory.model_validate(STAFFED)
    sites_file = tmp_path / "sites.json"
    sites_file.write_text(json.dumps(STAFFED, ensure_ascii=False), encoding="utf-8")
    return settings.model_copy(update={"sites_file": sites_file})


def opening(ref: str, vclass: str = "major", **more: Any) -> dict[str, Any]:
    return {"staff_id": "S01", "client_ref": ref, "violation_class": vclass, "category": "fire",
            "place": "3栋消防通道", "description": f"杂物堵塞消防通道, 联系{OFFENDER['phone']}",
            "offender": OFFENDER, **more}  # fmt: skip


async def shown(desk: Desk, ref: str, until: Any = bool) -> dict[str, Any]:
    """The case as violation.get shows it, once `until(case)` holds."""

    async def probe() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "violation.get", {"client_ref": ref})
        case = reply.get("case") if reply["ok"] else None
        return case if case and until(case) else None

    return await eventually(probe)


async def test_a_major_case_climbs_its_measures_and_the_manager_signs_R14_3_R14_6_R14_9(
    desk: Desk, services
) -> None:
    opened = await desk.command("hbw", "violation_open", opening("v-1"))
    assert opened["ok"] and opened["responsible"] == "project_manager", opened
    steps = [
        ("persuasion", "2026-11-24"),
        ("rectify", "2026-11-30"),
        ("compensation", "2026-12-10"),
    ]
    for measure, due in steps:
        body = {"staff_id": "CSS", "case": "v-1", "measure": measure, "due_on": due}
        assert (await desk.command("hbw", "violation_measure", body))["ok"]
    body = {"staff_id": "S01", "case": "v-1", "measure": "legal_action", "due_on": "2026-12-20"}
    early = await desk.command("hbw", "violation_measure", body)
    assert early["error"]["code"] == "invalid" and "mediation" in early["error"]["message"]
    await desk.command(
        "hbw", "violation_mediate", {"staff_id": "CSS", "case": "v-1", "failed": True}
    )
    assert (await desk.command("hbw", "violation_measure", body))["ok"]

    penalty = {"staff_id": "CSS", "case": "v-1", "penalty": "赔偿消防门修理费", "amount": "1200"}
    assert (await desk.command("hbw", "violation_penalty", penalty))["penalty"] == "proposed"
    signed = await desk.command("hbw", "violation_sign", {"staff_id": "M01", "case": "v-1"})
    assert signed["penalty"] == "signed"
    closing = {"staff_id": "CSS", "case": "v-1", "outcome": "已赔偿并整改"}
    assert (await desk.command("hbw", "violation_close", closing))["status"] == "closed"

    case = await shown(desk, "v-1", lambda c: c["status"] == "closed")
    assert [m["measure"] for m in case["measures"]] == [
        "persuasion", "rectify", "compensation", "legal_action",
    ]  # fmt: skip
    assert case["measures"][1]["due_on"] == "2026-11-30"
    assert case["penalty"]["status"] == "signed" and case["penalty"]["signed_by"] == "M01"
    assert case["closed_on"] == "2026-11-23" and case["removable_on"] == "2031-11-23"  # R14.8

    published = [m.data.decode() for m in await desk.events() if ".violation." in m.subject]
    assert len(published) == 9
    assert all(OFFENDER["name"] not in raw and OFFENDER["phone"] not in raw for raw in published)


async def test_a_penalty_from_other_staff_is_refused_and_nothing_published_R14_7(
    desk: Desk, services
) -> None:
    await desk.command("hbw", "violation_open", opening("v-2", "general"))
    body = {"staff_id": "SUP", "case": "v-2", "penalty": "通报批评"}
    refused = await desk.command("hbw", "violation_penalty", body)
    assert refused["error"] == {
        "code": "forbidden",
        "message": "proposing a penalty for a violation needs project_manager or "
        "cs_supervisor; staff SUP is department_supervisor (R14.7)",
        "fields": [],
    }
    assert (await desk.command("hbw", "violation_penalty", body | {"staff_id": "CSS"}))["ok"]
    sign = await desk.command("hbw", "violation_sign", {"staff_id": "CSS", "case": "v-2"})
    assert sign["error"]["code"] == "forbidden"  # only the manager signs (R14.6)
    case = await shown(desk, "v-2", lambda c: c["penalty"])
    assert case["penalty"]["status"] == "proposed" and case["responsible"] == "cs_supervisor"
    types = [m.subject.rsplit(".", 1)[1] for m in await desk.events() if ".violation." in m.subject]
    assert types == ["opened", "penalty_proposed"]


async def test_an_inspection_finding_opens_a_case_naming_its_ticket_R14_10(
    desk: Desk, services
) -> None:
    finding = report_body("f-1", channel="inspection", kind="violation", reporter=None)
    ticket = await desk.command("hbw", "report", finding)
    assert ticket["ok"], ticket
    body = opening("v-3", ticket_id=ticket["ticket_no"], finding="round-7/point-3")
    assert (await desk.command("hbw", "violation_open", body))["ok"]
    case = await shown(desk, "v-3")
    assert case["ticket_id"] == ticket["ticket_id"] and case["finding"] == "round-7/point-3"
    unknown = await desk.command(
        "hbw", "violation_open", opening("v-4", ticket_id="HBW-202611-0999")
    )
    assert unknown["error"]["code"] == "not_found"


async def test_a_measure_past_its_due_date_tells_the_cases_role_once_R14_3_R14_4(
    desk: Desk, drill_services
) -> None:
    """A general case's rectification due 2026-11-25 (Shanghai) is still the latest measure when
    the day ends: the CS-assistant supervisor is told, once; a case closed in time tells nobody."""
    await drill_services()
    drill = Drill(desk)
    for ref in ("v-late", "v-done"):
        assert (await desk.command("hbw", "violation_open", opening(ref, "general")))["ok"]
        for measure, due in (("persuasion", "2026-11-23"), ("rectify", "2026-11-25")):
            body = {"staff_id": "CSS", "case": ref, "measure": measure, "due_on": due}
            assert (await desk.command("hbw", "violation_measure", body))["ok"]
    closing = {"staff_id": "CSS", "case": "v-done", "outcome": "已整改"}
    assert (await desk.command("hbw", "violation_close", closing))["ok"]
    await shown(desk, "v-done", lambda c: c["status"] == "closed")
    await eventually(lambda: drill.events("violation.closed"))

    await drill.set_clock(datetime(2026, 11, 25, 15, 59, tzinfo=UTC))  # 23:59 in Shanghai
    assert await drill.events("escalation.measure_overdue") == []
    await drill.set_clock(datetime(2026, 11, 25, 16, 0, tzinfo=UTC))
    [overdue] = await eventually(lambda: drill.events("escalation.measure_overdue"))
    late = await shown(desk, "v-late")
    assert (
        overdue["data"]["ticket_id"] == late["case_id"] and overdue["data"]["ticket_no"] == "v-late"
    )
    assert (overdue["data"]["measure"], overdue["data"]["due_on"]) == ("rectify", "2026-11-25")

    async def listed() -> list[dict[str, Any]]:
        return (await desk.query("hbw", "notice.list", {"role": "cs_supervisor"}))["notices"]

    [notice] = await eventually(listed)
    assert notice["reason"] == "measure_overdue" and notice["ticket_no"] == "v-late"
    assert notice["about"] == "violation_case"  # what ticket_id and ticket_no name
    shown_late = await shown(desk, "v-late", lambda c: c["notices"])
    assert shown_late["notices"][0]["role"] == "cs_supervisor"
    assert (await shown(desk, "v-done"))["notices"] == []
    await drill.set_clock(datetime(2026, 11, 27, 16, 0, tzinfo=UTC))
    assert len(await drill.events("escalation.measure_overdue")) == 1  # once


async def test_retention_lists_then_removes_closed_cases_past_one_or_five_years_R14_8(
    desk: Desk, drill_services
) -> None:
    """Closed the same day, the general case may go a year on and the major one five years on;
    the retention job says what it removes, the views drop it, its events stay on DESK."""
    await drill_services()
    drill = Drill(desk)
    for ref, vclass in (("v-gen", "general"), ("v-maj", "major"), ("v-open", "general")):
        assert (await desk.command("hbw", "violation_open", opening(ref, vclass)))["ok"]
    for ref in ("v-gen", "v-maj"):
        body = {"staff_id": "CSS", "case": ref, "outcome": "已整改"}
        assert (await desk.command("hbw", "violation_close", body))["ok"]
    ops = "desk.ops.intake.violation_retention"
    early = await desk.request(ops, {"site": "hbw", "as_of": "2027-11-23", "apply": True})
    assert (
        early["error"]["code"] == "invalid"
        and "nothing is removed early" in early["error"]["message"]
    )
    listed = await desk.request(ops, {"site": "hbw", "as_of": "2027-11-23"})
    assert [c["client_ref"] for c in listed["cases"]] == ["v-gen"] and listed["kept"] == 1
    assert listed["applied"] is False

    await drill.set_clock(datetime(2027, 11, 23, 2, 0, tzinfo=UTC))
    removed = await desk.request(ops, {"site": "hbw", "apply": True})
    assert removed["applied"] and [c["client_ref"] for c in removed["cases"]] == ["v-gen"]
    assert removed["cases"][0]["removable_on"] == "2027-11-23"

    async def gone() -> bool:
        reply = await desk.query("hbw", "violation.get", {"client_ref": "v-gen"})
        return reply["ok"] is False and reply["error"]["code"] == "not_found"

    await eventually(gone)
    listed = (await desk.query("hbw", "violation.list", {}))["cases"]
    assert sorted(c["client_ref"] for c in listed) == ["v-maj", "v-open"]
    assert len(await drill.events("violation.opened")) == 3  # the events stay on DESK
    [expired] = await drill.events("violation.expired")
    assert expired["data"] == {"closed_on": "2026-11-23", "violation_class": "general"}
    again = await desk.request(ops, {"site": "hbw", "apply": True})
    assert again["cases"] == [] and again["kept"] == 1  # removed once; the major one waits


async def test_the_months_report_counts_violations_by_measure_R14_3_R12_4(
    desk: Desk, services
) -> None:
    for ref, vclass in (("m-1", "major"), ("m-2", "general")):
        assert (await desk.command("hbw", "violation_open", opening(ref, vclass)))["ok"]
        body = {"staff_id": "CSS", "case": ref, "measure": "persuasion", "due_on": "2026-11-24"}
        assert (await desk.command("hbw", "violation_measure", body))["ok"]
    body = {"staff_id": "CSS", "case": "m-1", "measure": "rectify", "due_on": "2026-11-30"}
    assert (await desk.command("hbw", "violation_measure", body))["ok"]
    await desk.command(
        "hbw", "violation_penalty", {"staff_id": "M01", "case": "m-1", "penalty": "通报批评"}
    )
    assert (await desk.command("hbw", "violation_sign", {"staff_id": "M01", "case": "m-1"}))["ok"]

    async def counted() -> dict[str, Any] | None:
        reply = await desk.query("hbw", "report.monthly", {"month": "2026-11"})
        found = reply["report"]["violations"] if reply["ok"] else None
        return found if found and found["penalties_signed"] == 1 else None

    assert await eventually(counted) == {
        "opened": {"general": 1, "major": 1},
        "by_measure": {"persuasion": 2, "rectify": 1, "compensation": 0, "legal_action": 0},
        "penalties_signed": 1,
        "closed": 0,
    }


async def test_an_offenders_data_is_erased_by_deleting_the_cases_key_R15_1(
    desk: Desk, services, settings: Settings
) -> None:
    """Where the law asks for erasure, ops deletes the case's key: the name and phone sealed in
    intake's store can no longer be read; the case, its events and its views stay."""
    assert (await desk.command("hbw", "violation_open", opening("v-e")))["ok"]
    erase = "desk.ops.intake.violation_erase"
    erased = await desk.request(erase, {"site": "hbw", "case": "v-e"})
    assert erased["ok"] and erased["key_deleted"] is True and erased["client_ref"] == "v-e"
    again = await desk.request(erase, {"site": "hbw", "case": "v-e"})
    assert again["error"]["code"] == "conflict"
    intake = services["intake"].app
    case, offender = intake.violation_case(UUID(erased["case_id"]))
    assert offender is None and case.offender_erased
    assert (await shown(desk, "v-e"))["status"] == "open"
    keys = sqlite3.connect(settings.data_dir / "keys" / "intake-subjects.sqlite3")
    assert keys.execute("SELECT COUNT(*) FROM subject_keys").fetchone() == (0,)  # shredded
    keys.close()


async def test_a_general_case_found_to_cause_a_loss_becomes_the_managers_R14_2_R14_9(
    desk: Desk, services
) -> None:
    assert (await desk.command("hbw", "violation_open", opening("v-r", "general")))["ok"]
    body = {"staff_id": "CSS", "case": "v-r", "violation_class": "major", "reason": "消防门损坏"}
    reply = await desk.command("hbw", "violation_classify", body)
    assert reply["responsible"] == "project_manager", reply
    case = await shown(desk, "v-r", lambda c: c["violation_class"] == "major")
    assert case["responsible"] == "project_manager"
    assert case["reclassified"][0]["reason"] == "消防门损坏"
    [opened] = [json.loads(m.data) for m in await desk.events() if m.subject.endswith(".opened")]
    assert opened["data"]["violation_class"] == "general"  # as it was opened
