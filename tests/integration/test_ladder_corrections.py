"""The complaint ladder after a correction, who is told of a major complaint, and which department's
supervisor is told (issue 13 items 8, 9, 16), through NATS on the simulated clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from propdesk.runtime import SERVICES
from shared.kernel.clock import SimulatedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.service import Service
from tests.conftest import SecuredNats
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body

pytestmark = pytest.mark.integration

DAY = timedelta(days=1)


async def reported(desk: Desk, drill: Drill, ref: str = "c-1", **body: Any) -> str:
    reply = await desk.command("hbw", "report", report_body(ref, **body))
    assert reply["ok"], reply
    await eventually(lambda: drill.events("escalation.ladder_started", reply["ticket_id"]))
    return reply["ticket_id"]


async def classify(desk: Desk, ticket: str, staff: str = "S01", **fields: Any) -> None:
    reply = await desk.command("hbw", "classify", {"ticket_id": ticket, "staff_id": staff} | fields)
    assert reply["ok"], reply


def reasons(notices: list[dict[str, Any]]) -> list[str]:
    return sorted(n["reason"] for n in notices)


# -- item 8: a correction re-evaluates the ladder from receipt -----------------------------------


async def test_a_communicative_complaint_corrected_to_valid_climbs_from_receipt_R6_4_R6_5_R5_1c(
    desk: Desk, drill_services
) -> None:
    """Found communicative at first (R5.6), found valid on day 10: it is back on the ladder,
    counted from receipt (C11), so the supervisor (R6.4, day 2) and project manager (R6.5, week 1)
    steps are taken at once, in order; the GM office follows on day 14 (R6.6) and the upgrade to
    major on day 30 (R6.7, R5.1c)."""
    await drill_services()
    drill = Drill(desk)
    ticket = await reported(desk, drill)
    await classify(desk, ticket, validity="communicative", communicative_type="venting")
    await eventually(lambda: drill.events("escalation.ladder_changed", ticket))
    assert not any([await drill.decided_at(START + day * DAY) for day in range(1, 11)])

    await classify(desk, ticket, validity="valid", severity="minor")

    async def climbed() -> list[dict[str, Any]] | None:
        found = await drill.events("escalation.complaint_escalated", ticket)
        return found if len(found) == 2 else None

    steps = await eventually(climbed)
    assert [s["data"]["level"] for s in steps] == ["department_supervisor", "project_manager"]
    changes = [e["data"] for e in await drill.events("escalation.ladder_changed", ticket)]
    assert [c["state"] for c in changes] == ["left", "running"]

    later = {day: await drill.decided_at(START + day * DAY) for day in range(11, 31)}
    assert {d: f for d, f in later.items() if f} == {
        14: {("complaint_escalated", "gm_office")},
        30: {
            ("complaint_upgraded", "major"),
            ("major_reported", "major:department_supervisor"),
            ("major_reported", "major:project_manager"),
            ("major_reported", "major:gm_office"),
        },
    }
    reply = await desk.query("hbw", "ticket.get", {"ticket_id": ticket})
    assert reply["ticket"]["sla"]["ladder"]["state"] == "running"


# -- item 9: a major complaint is reported upward -------------------------------------------------


async def test_a_complaint_classified_major_tells_the_project_manager_at_once_R5_4(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    ticket = await reported(desk, drill)
    await drill.set_clock(START + timedelta(hours=1))
    await classify(desk, ticket, validity="valid", severity="major")

    [notice] = await eventually(lambda: drill.notices("project_manager"))
    assert notice["reason"] == "major_reported" and notice["ticket_id"] == ticket
    [event] = await drill.events("escalation.major_reported", ticket)
    assert event["data"]["reason"] == "classified"
    assert event["data"]["notification"]["role"] == "project_manager"

    # reported once; a major complaint is not upgraded again after a month
    decided = [await drill.decided_at(START + day * DAY) for day in range(1, 32)]
    assert not any(("complaint_upgraded", "major") in found for found in decided)
    assert len(await drill.events("escalation.major_reported", ticket)) == 1


async def test_the_upgrade_to_major_tells_the_ladder_as_well_as_quality_R5_4_R5_1c(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    ticket = await reported(desk, drill)
    await classify(desk, ticket, validity="valid", severity="important")
    await drill.decided_at(START + 30 * DAY)

    async def told() -> dict[str, list[str]] | None:
        roles = ("department_supervisor", "project_manager", "gm_office", "quality")
        found = {role: reasons(await drill.notices(role)) for role in roles}
        return found if all(found.values()) and len(found["gm_office"]) == 2 else None

    assert await eventually(told) == {
        "department_supervisor": ["complaint_escalated", "major_reported"],
        "project_manager": ["complaint_escalated", "major_reported"],
        "gm_office": ["complaint_escalated", "major_reported"],
        "quality": ["complaint_upgraded"],
    }
    upgraded = await drill.events("escalation.major_reported", ticket)
    assert {e["data"]["reason"] for e in upgraded} == {"upgraded"}


# -- item 16: the department's supervisor ---------------------------------------------------------


async def test_a_cleaning_complaints_supervisor_step_reaches_the_cleaning_supervisor_R6_3_R6_4(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    drill = Drill(desk)
    ticket = await reported(desk, drill, category="cleaning", content="楼道三天没人打扫")
    await drill.decided_at(START + 2 * DAY)

    [notice] = await eventually(lambda: drill.notices("department_supervisor"))
    assert notice["department"] == "cleaning" and notice["ticket_id"] == ticket

    async def listed(**body: Any) -> list[dict[str, Any]]:
        reply = await desk.query("hbw", "notice.list", body)
        assert reply["ok"], reply
        return reply["notices"]

    mine = await eventually(lambda: listed(role="department_supervisor", department="cleaning"))
    assert [n["ticket_id"] for n in mine] == [ticket]
    # only the CS assistant's notice of its receipt (R6.3), which names no department
    assert [n["reason"] for n in await listed(department="security")] == ["complaint_received"]


async def test_a_complaint_of_no_department_is_on_every_department_supervisors_list_R6_4(
    desk: Desk, drill_services
) -> None:
    """No category, nobody named: the supervisor step is site-wide, and each department's
    supervisor finds it among their own (the console's 通知 page asks with their department)."""
    await drill_services()
    drill = Drill(desk)
    ticket = await reported(desk, drill, category=None, content="对物业服务很不满意")
    await drill.decided_at(START + 2 * DAY)

    [notice] = await eventually(lambda: drill.notices("department_supervisor"))
    assert notice["department"] is None and notice["ticket_id"] == ticket

    async def listed(department: str) -> list[str]:
        body = {"role": "department_supervisor", "department": department}
        reply = await desk.query("hbw", "notice.list", body)
        assert reply["ok"], reply
        return [n["ticket_id"] for n in reply["notices"]]

    assert await eventually(lambda: listed("cleaning")) == [ticket]
    assert await listed("security") == [ticket]


STAFF = {
    "S01": {"role": "receptionist"},
    "S09": {"role": "cs_assistant"},
    "G07": {"role": "department_staff", "name": "赵师傅", "department": "greening"},
    "SUP": {"role": "department_supervisor", "department": "greening"},
}
STAFFED = SiteDirectory.model_validate({"sites": {"hbw": {"name": "华碧屋村", "staff": STAFF}}})


@pytest.fixture
async def staffed_services(
    nats_server: SecuredNats, settings: Settings, sim_clock: SimulatedClock
) -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """Every service on the simulated clock, at a site that lists its staff."""
    process: list[Service] = []

    async def start() -> None:
        for name in SERVICES:
            service = SERVICES[name](settings, sim_clock, STAFFED)
            process.append(service)
            service.process = process
            await service.start(nats_server.url)

    yield start
    for service in reversed(process):
        await service.stop()


async def test_a_complaint_about_a_named_staff_member_goes_to_their_departments_supervisor_R4_12(
    desk: Desk, staffed_services
) -> None:
    """A front-desk category, but the complaint is about the greening worker G07's service: the
    supervisor step goes to the greening supervisor (R4.12), who finds it in their list."""
    await staffed_services()
    drill = Drill(desk)
    ticket = await reported(desk, drill, category="front_desk", content="绿化工人态度恶劣")
    unknown = await desk.command(
        "hbw", "classify", {"ticket_id": ticket, "staff_id": "S01", "about_staff": "X99"}
    )
    assert unknown["ok"] is False and unknown["error"]["code"] == "invalid"
    assert unknown["error"]["message"] == "staff X99 is not on the staff list of hbw"
    await classify(desk, ticket, validity="valid", severity="important", about_staff="G07")
    await drill.decided_at(START + 2 * DAY)

    [notice] = await eventually(lambda: drill.notices("department_supervisor"))
    assert notice["department"] == "greening"

    async def listed() -> list[str]:
        body = {"role": "department_supervisor", "department": "greening"}
        reply = await desk.query("hbw", "notice.list", body)
        assert reply["ok"], reply
        return [n["ticket_id"] for n in reply["notices"]]

    # notice.list is reporting's view: it sees the notice once it has applied it, not when the
    # bus carried it (CI saw it a moment later)
    assert await eventually(listed) == [ticket]
    ack = await drill.escalation(
        "ack", {"staff_id": "SUP", "notification_id": notice["notification_id"]}
    )
    assert ack["ok"], ack
