"""The care roll (关怀名单, R11.10; docs/RESIDENTS.md): intake's list of a site's special-care
residents, the soonest due for a visit first, on a fixed clock and an in-memory store. Who may
read it and the look recorded (R15.2) are also told through the bus
(tests/integration/test_care_roll_stories.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.intake.application import IntakeApp
from services.intake.application.care_roll import list_care_roll
from services.intake.domain.caller_log import CallerLog, looks
from shared.contracts.care_roll import ListCareRoll
from shared.contracts.replies import ErrorCode
from shared.contracts.resident_commands import (
    CorrectResident,
    RecordCareVisit,
    RegisterResident,
    RegisterUnit,
)
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import DeskError

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
DAY = timedelta(days=1)
STAFF = {"HB-CS1": {"role": "cs_assistant"}, "HB-T01": {"role": "technician"}}
CTX = CommandContext("hbw", "c-1")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def app(clock: FixedClock) -> IntakeApp:
    sites = SiteDirectory.model_validate({"sites": {"hbw": {"staff": STAFF}}})
    return IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, sites)


def register(app: IntakeApp, ref: str, care: str | None, unit: str | None = None,
             **more: Any) -> None:  # fmt: skip
    body = {
        "staff_id": "HB-CS1",
        "resident_ref": ref,
        "kind": "owner",
        "name": f"住户{ref[-1]}",
        "phones": [f"1391111000{ref[-1]}"],
        "special_care": care,
        "unit_ref": unit,
        **more,
    }
    assert app.execute(CTX, RegisterResident.model_validate(body))["ok"]  # fmt: skip


def visit(app: IntakeApp, ref: str) -> None:
    body = {"staff_id": "HB-CS1", "resident_ref": ref, "note": "上门探访"}
    assert app.execute(CTX, RecordCareVisit.model_validate(body))["ok"]


def roll(app: IntakeApp, staff: str = "HB-CS1", **query: Any) -> dict[str, Any]:
    return list_care_roll(app, "hbw", ListCareRoll(staff_id=staff, **query), "c-roll")


def refs(reply: dict[str, Any]) -> list[str]:
    return [r["resident_ref"] for r in reply["residents"]]


@pytest.fixture
def four(app: IntakeApp, clock: FixedClock) -> None:
    """Flagged on 1, 3 and 5 December (HBW-0001, -0002, -0003), HBW-0004 needing none; HBW-0001
    visited on 10 December: due 2, 4 January (HBW-0002, -0003) and 9 January (HBW-0001)."""
    app.execute(CTX, RegisterUnit(staff_id="HB-CS1", unit_ref="3-1201", building="3栋",
                                  room="1201", zone="A区"))  # fmt: skip
    register(app, "HBW-0001", "elderly_alone", "3-1201", care_note="行动不便")
    clock.advance(2 * DAY)
    register(app, "HBW-0002", "disabled")
    clock.advance(2 * DAY)
    register(app, "HBW-0003", "other")
    register(app, "HBW-0004", None, "3-1201")
    clock.set(T0 + 9 * DAY)
    visit(app, "HBW-0001")


@pytest.mark.usefixtures("four")
def test_the_roll_lists_the_special_care_residents_soonest_due_first_R11_10(
    app: IntakeApp, clock: FixedClock
) -> None:
    clock.set(T0 + 35 * DAY)  # 5 January: HBW-0002's and HBW-0003's visits are late
    reply = roll(app)
    assert refs(reply) == ["HBW-0002", "HBW-0003", "HBW-0001"]  # not HBW-0004: no care needed
    first, _, last = reply["residents"]
    assert first["next_visit_due"] == "2027-01-02T02:00:00Z" and first["overdue"] is True
    assert first["last_visited_at"] is None and first["units"] == []
    assert last == last | {
        "name": "住户1", "special_care": "elderly_alone", "care_note": "行动不便",
        "last_visited_at": "2026-12-10T02:00:00Z", "last_visited_by": "HB-CS1",
        "next_visit_due": "2027-01-09T02:00:00Z", "overdue": False,  # 30 days from the visit
    }  # fmt: skip
    assert [u["unit_ref"] for u in last["units"]] == ["3-1201"]
    assert (reply["total"], reply["overdue"], reply["care_visit_days"]) == (3, 2, 30)
    assert reply["as_of"] == "2027-01-05T02:00:00Z" and reply["next_cursor"] is None


@pytest.mark.usefixtures("four")
def test_a_visit_due_this_very_moment_is_late_as_escalation_reckons_it_R11_10(
    app: IntakeApp, clock: FixedClock
) -> None:
    clock.set(T0 + 32 * DAY - timedelta(seconds=1))
    assert [r["overdue"] for r in roll(app)["residents"]] == [False, False, False]
    clock.set(T0 + 32 * DAY)  # HBW-0002's due moment: escalation tells the CS assistant now
    assert [r["overdue"] for r in roll(app)["residents"]] == [True, False, False]


@pytest.mark.usefixtures("four")
def test_only_those_due_within_n_days_or_overdue_R11_10(app: IntakeApp, clock: FixedClock) -> None:
    clock.set(T0 + 33 * DAY)  # 3 January: HBW-0002 late, HBW-0003 due tomorrow, HBW-0001 in 6
    assert refs(roll(app, due_within_days=0)) == ["HBW-0002"]  # only the late
    assert refs(roll(app, due_within_days=1)) == ["HBW-0002", "HBW-0003"]
    five = roll(app, due_within_days=5)
    assert refs(five) == ["HBW-0002", "HBW-0003"] and (five["total"], five["overdue"]) == (2, 1)
    assert refs(roll(app, due_within_days=6)) == ["HBW-0002", "HBW-0003", "HBW-0001"]


@pytest.mark.usefixtures("four")
def test_the_roll_is_paged_and_a_visit_between_pages_skips_nobody_R11_10(
    app: IntakeApp, clock: FixedClock
) -> None:
    clock.set(T0 + 20 * DAY)
    first = roll(app, limit=1)
    assert refs(first) == ["HBW-0002"] and first["total"] == 3 and first["next_cursor"]
    visit(app, "HBW-0002")  # visited now: due 30 days on, last on the roll
    second = roll(app, limit=1, cursor=first["next_cursor"])
    assert refs(second) == ["HBW-0003"]
    rest = roll(app, limit=5, cursor=second["next_cursor"])
    assert refs(rest) == ["HBW-0001", "HBW-0002"] and rest["next_cursor"] is None
    with pytest.raises(DeskError) as foreign:
        roll(app, cursor="HBW-0001")
    assert foreign.value.code is ErrorCode.invalid and foreign.value.fields[0].field == "cursor"


@pytest.mark.usefixtures("four")
def test_a_resident_no_longer_flagged_leaves_the_roll_R11_10(app: IntakeApp) -> None:
    body = {"staff_id": "HB-CS1", "resident_ref": "HBW-0003", "kind": "owner", "name": "住户3",
            "phones": ["13911110003"]}  # fmt: skip
    assert app.execute(CTX, CorrectResident.model_validate(body))["ok"]
    assert refs(roll(app)) == ["HBW-0002", "HBW-0001"]


def test_a_site_with_nobody_flagged_has_an_empty_roll_R11_10(app: IntakeApp) -> None:
    register(app, "HBW-0009", None)
    reply = roll(app)
    assert (reply["residents"], reply["total"], reply["overdue"]) == ([], 0, 0)


@pytest.mark.usefixtures("four")
def test_each_look_at_the_roll_is_recorded_and_a_technician_may_not_look_R15_2(
    app: IntakeApp,
) -> None:
    page = roll(app, limit=2)
    with pytest.raises(DeskError) as refused:
        roll(app, staff="HB-T01")
    assert refused.value.code is ErrorCode.forbidden
    with pytest.raises(DeskError) as stranger:
        roll(app, staff="HB-X99")  # not on the site's staff list
    assert stranger.value.code is ErrorCode.forbidden
    log = looks(app.events.get(CallerLog.id_for("hbw", "2026-12")))
    seen = [(x["by"], x["staff_id"], x["role"], bool(x["refused"])) for x in log]
    assert seen == [
        ("care_roll", "HB-CS1", "cs_assistant", False),
        ("care_roll", "HB-T01", "technician", True),
        ("care_roll", "HB-X99", None, True),
    ]
    assert [str(i) for i in log[0]["found"]] == [r["resident_id"] for r in page["residents"]]
    assert log[1]["found"] == [] == log[2]["found"]  # a refused look shows nobody
