"""A violation case's rules, on intake's application with an in-memory store (R14.1–R14.10):
the measures in order, the penalty's authority and signature, and every refusal changing
nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from services.intake.application import IntakeApp
from shared.contracts import violation_commands as vc
from shared.eventstore.desk_app import CommandContext
from shared.eventstore.subject_keys import SubjectKeys
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.kernel.violations import Measure, ViolationClass, missing_before, removable_on
from tests.unit.conftest import T0, refused

STAFF = {
    "S01": {"role": "receptionist"},
    "CSS": {"role": "cs_supervisor"},
    "M01": {"role": "project_manager"},
    "SUP": {"role": "department_supervisor"},
}
DAY = date(2026, 11, 10)  # T0 at Asia/Shanghai


@pytest.fixture
def staffed(clock: FixedClock) -> IntakeApp:
    sites = SiteDirectory.model_validate({"sites": {"hbw": {"name": "华碧屋村", "staff": STAFF}}})
    return IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, sites)


def run(app: IntakeApp, ctx: CommandContext, command: type, **body: Any) -> dict[str, Any]:
    return app.execute(ctx, command.model_validate(body))


def open_case(app: IntakeApp, ctx: CommandContext, vclass: str = "major", ref: str = "v-1"):
    return run(app, ctx, vc.OpenViolation, staff_id="S01", client_ref=ref, violation_class=vclass,
               category="fire", place="3栋消防通道", description="杂物堵塞消防通道",
               offender={"name": "张三", "phone": "13800138000"})  # fmt: skip


def measure(app, ctx, what: str, staff: str = "S01", days: int = 3, ref: str = "v-1"):
    due = (DAY + timedelta(days=days)).isoformat()
    return run(app, ctx, vc.RecordMeasure, staff_id=staff, case=ref, measure=what, due_on=due)


def test_the_measures_climb_in_order_R14_3(app: IntakeApp, ctx: CommandContext) -> None:
    opened = open_case(app, ctx)
    assert opened["responsible"] == "project_manager"  # major (R14.4, R14.9)
    message = refused(app, lambda: measure(app, ctx, "rectify"), "invalid")
    assert "rectify needs persuasion first (R14.3)" in message
    for step in ("persuasion", "rectify", "compensation"):
        assert measure(app, ctx, step)["measures"][-1] == step
    lawsuit = refused(app, lambda: measure(app, ctx, "legal_action"), "invalid")
    assert "mediation to have failed" in lawsuit
    run(app, ctx, vc.RecordMediation, staff_id="S01", case="v-1", failed=True)
    assert measure(app, ctx, "legal_action")["measures"] == [m.value for m in Measure]


def test_a_general_case_goes_to_the_cs_supervisor_and_takes_no_compensation_R14_2_R14_4(
    app: IntakeApp, ctx: CommandContext
) -> None:
    assert open_case(app, ctx, "general")["responsible"] == "cs_supervisor"
    measure(app, ctx, "persuasion")
    measure(app, ctx, "rectify")
    message = refused(app, lambda: measure(app, ctx, "compensation"), "invalid")
    assert "a general case caused none (R14.2)" in message


def test_a_due_date_in_the_past_is_refused(app: IntakeApp, ctx: CommandContext) -> None:
    open_case(app, ctx)
    assert "before today" in refused(
        app, lambda: measure(app, ctx, "persuasion", days=-1), "invalid"
    )


def test_only_the_manager_or_cs_supervisor_proposes_a_penalty_R14_7(
    staffed: IntakeApp, ctx: CommandContext
) -> None:
    open_case(staffed, ctx)

    def propose(staff: str):
        return lambda: run(staffed, ctx, vc.ProposePenalty, staff_id=staff, case="v-1",
                           penalty="赔偿消防门修理费", amount="1200.50")  # fmt: skip

    for staff, role in (("S01", "receptionist"), ("SUP", "department_supervisor")):
        message = refused(staffed, propose(staff), "forbidden")
        assert message == (
            "proposing a penalty for a violation needs project_manager or cs_supervisor; "
            f"staff {staff} is {role} (R14.7)"
        )
    assert propose("CSS")()["penalty"] == "proposed"


def test_a_penalty_is_in_force_only_once_the_manager_signs_it_R14_6(
    staffed: IntakeApp, ctx: CommandContext
) -> None:
    open_case(staffed, ctx)
    sign = lambda staff: lambda: run(staffed, ctx, vc.SignPenalty, staff_id=staff, case="v-1")  # noqa: E731
    assert "no penalty has been proposed" in refused(staffed, sign("M01"), "invalid")
    run(staffed, ctx, vc.ProposePenalty, staff_id="CSS", case="v-1", penalty="通报批评")
    message = refused(staffed, sign("CSS"), "forbidden")
    assert message.startswith("signing a violation's penalty needs project_manager;")
    assert sign("M01")()["penalty"] == "signed"
    assert "signed already" in refused(staffed, sign("M01"), "conflict")


def test_a_closed_case_takes_nothing_more(app: IntakeApp, ctx: CommandContext) -> None:
    open_case(app, ctx)
    closed = run(app, ctx, vc.CloseViolation, staff_id="S01", case="v-1", outcome="已整改")
    assert closed["status"] == "closed"
    assert "closed" in refused(app, lambda: measure(app, ctx, "persuasion"), "conflict")


def test_a_case_of_another_site_or_none_is_not_found(app: IntakeApp, ctx: CommandContext) -> None:
    open_case(app, ctx)
    other = CommandContext("tech-park", "corr-2")
    refused(app, lambda: measure(app, other, "persuasion"), "not_found")
    refused(app, lambda: measure(app, ctx, "persuasion", ref="v-none"), "not_found")


def test_records_are_kept_one_or_five_years_from_closing_R14_8() -> None:
    assert removable_on(ViolationClass.general, date(2026, 12, 3)) == date(2027, 12, 3)
    assert removable_on(ViolationClass.major, date(2028, 2, 29)) == date(2033, 2, 28)
    assert missing_before(Measure.compensation, {Measure.persuasion}) is Measure.rectify


@pytest.mark.parametrize("category", ["decoration", "fire", "hygiene", "public_security", "other"])
def test_a_violation_is_of_decoration_fire_hygiene_public_security_or_other_R4_8(
    category: str,
) -> None:
    body = {"staff_id": "S01", "client_ref": "v-1", "violation_class": "general",
            "category": category, "place": "3栋", "description": "x",
            "offender": {"name": "张三", "phone": "13800138000"}}  # fmt: skip
    assert vc.OpenViolation.model_validate(body).category == category
    with pytest.raises(ValueError, match="category"):
        vc.OpenViolation.model_validate(body | {"category": "fee_arrears"})


def test_bad_bodies_are_refused_at_the_edge() -> None:
    with pytest.raises(ValueError, match="measure"):
        vc.RecordMeasure.model_validate(
            {"staff_id": "S01", "case": "v-1", "measure": "fine", "due_on": "2026-12-01"}
        )
    with pytest.raises(ValueError, match="client_ref"):
        vc.OpenViolation.model_validate(
            {"staff_id": "S01", "client_ref": "13800138000", "violation_class": "general",
             "category": "fire", "place": "3栋", "description": "堵塞",
             "offender": {"name": "张三", "phone": "13800138000"}}
        )  # fmt: skip
    assert T0.year == 2026


def test_the_offender_is_sealed_with_the_cases_key_and_erasing_it_shreds_R15_1(
    app: IntakeApp, ctx: CommandContext
) -> None:
    from services.intake.application.retention import erase_offender
    from shared.contracts.violation_retention import EraseOffender

    opened = open_case(app, ctx)
    stored = [n.state for n in app.recorder.select_notifications(1, 100)]
    assert not any(b"13800138000" in state for state in stored)  # sealed, not only the store's
    case, offender = app.violation_case(UUID(opened["case_id"]))
    assert offender == {"name": "张三", "phone": "13800138000"}

    erased = erase_offender(app, EraseOffender(site="hbw", case="v-1"), "corr-9")
    assert erased["key_deleted"] is True
    case, offender = app.violation_case(UUID(opened["case_id"]))
    assert offender is None and case.offender_erased
    assert app.subject_keys.open(str(case.id), stored_seal(app, case.id)) is None
    again = lambda: erase_offender(app, EraseOffender(site="hbw", case="v-1"), "c")  # noqa: E731
    assert "erased already" in refused(app, again, "conflict")


def stored_seal(app: IntakeApp, case_id: UUID) -> str:
    """The sealed offender as the case's first event stored it, read back from the store."""
    [opened, *_] = app.events.get(case_id)
    return opened.offender_sealed


def test_a_key_file_survives_a_restart_and_forgets_an_erased_subject(tmp_path) -> None:
    keys = SubjectKeys(tmp_path / "keys" / "subjects.sqlite3")
    sealed = keys.seal("case-1", {"name": "张三"})
    keys.close()
    keys = SubjectKeys(tmp_path / "keys" / "subjects.sqlite3")
    assert keys.open("case-1", sealed) == {"name": "张三"}
    assert keys.open("case-2", sealed) is None  # another subject's key does not open it
    assert keys.erase("case-1") and not keys.erase("case-1")
    assert keys.open("case-1", sealed) is None


def test_a_loss_found_makes_a_general_case_major_and_compensation_possible_R14_2(
    staffed: IntakeApp, ctx: CommandContext
) -> None:
    open_case(staffed, ctx, "general")
    measure(staffed, ctx, "persuasion")
    measure(staffed, ctx, "rectify")

    def classify(staff: str, to: str):
        return lambda: run(staffed, ctx, vc.ReclassifyViolation, staff_id=staff, case="v-1",
                           violation_class=to, reason="消防门损坏")  # fmt: skip

    message = refused(staffed, classify("S01", "major"), "forbidden")
    assert message.startswith("reclassifying a violation needs project_manager or cs_supervisor")
    assert "already" in refused(staffed, classify("CSS", "general"), "invalid")
    reply = classify("CSS", "major")()
    assert (reply["violation_class"], reply["responsible"]) == ("major", "project_manager")
    assert measure(staffed, ctx, "compensation")["measures"][-1] == "compensation"
    back = refused(staffed, classify("M01", "general"), "invalid")
    assert "asked for compensation caused a loss" in back


def test_a_violation_observed_in_the_future_is_refused(app: IntakeApp, ctx: CommandContext) -> None:
    later = (T0 + timedelta(hours=1)).isoformat()
    body = {"staff_id": "S01", "client_ref": "v-f", "violation_class": "general",
            "category": "hygiene", "place": "2栋", "description": "高空抛物",
            "observed_at": later}  # fmt: skip
    message = refused(app, lambda: run(app, ctx, vc.OpenViolation, **body), "invalid")
    assert "observed_at lies in the future" in message


def test_retention_erases_only_what_it_removes() -> None:
    from shared.contracts.violation_retention import RunRetention

    with pytest.raises(ValueError, match="erase needs apply"):
        RunRetention.model_validate({"site": "hbw", "erase": True})
