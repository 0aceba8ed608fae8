"""Commands checked against the site's staff list: who is on it, and the role a command needs
(shared/kernel/staff.py). Refusals are `forbidden`, name the role needed and change nothing; a
refused
look at a resident's contact details is recorded for ops (R15.2, R15.3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.escalation.application import EscalationApp
from services.escalation.application.schedule import Schedule
from services.escalation.domain import Notice
from services.intake.adapters.translate import Translator
from services.intake.application import IntakeApp
from services.intake.domain import AccessLog
from shared.contracts import commands as intake_commands
from shared.contracts import escalation_commands
from shared.contracts.replies import ErrorCode
from shared.contracts.rounds import RecordRound
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import DeskError
from tests.unit.conftest import T0
from tests.unit.test_escalation_application import T0 as RECEIVED
from tests.unit.test_escalation_application import TICKET, Feed, reported

STAFF = {
    "S01": {"role": "receptionist", "name": "王芳"},
    "CS1": {"role": "cs_assistant"},
    "SUP": {"role": "department_supervisor"},
    "M01": {"role": "project_manager", "name": "李经理"},
    "GMO": {"role": "gm_office"},
    "QA": {"role": "quality"},
    "T01": {"role": "technician", "department": "engineering"},
    "CLN": {"role": "department_staff", "department": "cleaning"},
}
STAFFED = SiteDirectory.model_validate({"sites": {"hbw": {"staff": STAFF}}})
CALLERS = ["S01", "CS1", "SUP", "M01"]  # the desk roles that call customers (R15.4)


@pytest.fixture
def app(clock: FixedClock) -> IntakeApp:
    return IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, STAFFED)


def refused(app: Any, ctx: CommandContext, cmd: Any) -> DeskError:
    """Execute a command that must be forbidden and must leave the store as it was."""
    before = app.recorder.max_notification_id()
    with pytest.raises(DeskError) as raised:
        app.execute(ctx, cmd)
    assert raised.value.code is ErrorCode.forbidden
    assert app.recorder.max_notification_id() == before
    return raised.value


def complaint(
    app: IntakeApp, ctx: CommandContext, report_cmd, ref: str = "c-1", **classify: Any
) -> str:
    cmd = report_cmd(client_ref=ref, kind="complaint", category="noise", staff_id="S01")
    reply = app.execute(ctx, cmd)
    if classify:
        app.execute(
            ctx,
            intake_commands.ClassifyTicket(
                staff_id="S01", ticket_id=reply["ticket_id"], **classify
            ),
        )
    return reply["ticket_id"]


def cancel(ticket_id: str, staff_id: str) -> intake_commands.CancelTicket:
    return intake_commands.CancelTicket(
        staff_id=staff_id, ticket_id=ticket_id, reason="withdrawn", note="业主撤回"
    )


# -- the staff list ------------------------------------------------------------------------------


def test_any_command_from_staff_not_on_the_list_is_forbidden(app, ctx, report_cmd) -> None:
    error = refused(app, ctx, report_cmd(staff_id="S99"))
    assert error.message == "staff S99 is not on the staff list of hbw"
    assert app.execute(ctx, report_cmd(staff_id="S01"))["ok"] is True


def test_the_front_desk_and_the_zone_assistant_write_to_the_same_record_R16_10(
    app, ctx, report_cmd
) -> None:
    at_desk = app.execute(ctx, report_cmd(client_ref="d-1", staff_id="S01"))
    in_zone = app.execute(ctx, report_cmd(client_ref="z-1", staff_id="CS1"))
    assert [at_desk["ticket_no"], in_zone["ticket_no"]] == ["HBW-202611-0001", "HBW-202611-0002"]
    owners = [app.ticket(UUID(r["ticket_id"])).owner for r in (at_desk, in_zone)]
    assert owners == ["S01", "CS1"]


def test_a_site_without_a_staff_list_checks_no_one(clock, ctx, report_cmd) -> None:
    app = IntakeApp(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, SiteDirectory(strict=False)
    )
    ticket_id = complaint(app, ctx, report_cmd, validity="valid", severity="minor")
    reveal = intake_commands.RevealContact(staff_id="anyone", ticket_id=ticket_id, purpose="回访")
    assert app.execute(ctx, reveal)["reporters"][0]["name"] == "张三"
    assert app.execute(ctx, cancel(ticket_id, "anyone"))["status"] == "cancelled"


def test_a_retried_command_id_from_staff_not_on_the_list_is_still_forbidden(
    app, ctx, report_cmd
) -> None:
    app.execute(ctx, report_cmd(command_id="k-1", staff_id="S01"))
    refused(app, ctx, report_cmd(command_id="k-1", staff_id="S99"))


def test_a_complaint_or_a_round_finding_about_staff_not_on_the_list_is_refused_as_any_R4_12(
    app, ctx, report_cmd
) -> None:
    """Whom a complaint (R4.12) or a staff finding (R13.15b) is about is checked as every staff
    id a command names is (DeskApplication.listed): the same words, naming the site and field,
    and nothing recorded."""
    ticket_id = complaint(app, ctx, report_cmd)
    about = intake_commands.ClassifyTicket(staff_id="S01", ticket_id=ticket_id, about_staff="X99")
    finding = {"point": "大堂", "type": "staff", "description": "保安脱岗", "about_staff": "X99"}
    walk = RecordRound.model_validate({
        "staff_id": "CS1", "round_ref": "hbw-special-1", "round_type": "special", "area": "大堂",
        "started_at": (T0 - timedelta(minutes=20)).isoformat(), "ended_at": T0.isoformat(),
        "points": [{"point": "大堂", "ok": False}], "findings": [finding],
    })  # fmt: skip
    for cmd, field in ((about, "about_staff"), (walk, "findings.0.about_staff")):
        before = app.recorder.max_notification_id()
        with pytest.raises(DeskError) as raised:
            app.execute(ctx, cmd)
        assert raised.value.code is ErrorCode.invalid
        said = "staff X99 is not on the staff list of hbw"
        assert raised.value.message == said
        assert [(f.field, f.message, f.type) for f in raised.value.fields] == [(field, said, None)]
        assert app.recorder.max_notification_id() == before


# -- contact details (R15.2, R15.4) --------------------------------------------------------------


@pytest.mark.parametrize("staff_id", CALLERS)
def test_the_desk_roles_that_call_customers_see_contact_details(
    app, ctx, report_cmd, staff_id
) -> None:
    ticket_id = complaint(app, ctx, report_cmd)
    reveal = intake_commands.RevealContact(staff_id=staff_id, ticket_id=ticket_id, purpose="回访")
    assert app.execute(ctx, reveal)["reporters"][0]["phone"] == "13800138000"


@pytest.mark.parametrize("staff_id", ["GMO", "QA", "T01", "CLN"])
def test_other_roles_are_refused_contact_details_and_the_attempt_is_recorded_R15_2(
    app, ctx, report_cmd, staff_id
) -> None:
    ticket_id = complaint(app, ctx, report_cmd)
    ticket = app.ticket(UUID(ticket_id))
    version = ticket.version
    reveal = intake_commands.RevealContact(
        staff_id=staff_id, ticket_id=ticket_id, purpose="想联系业主"
    )
    with pytest.raises(DeskError) as raised:
        app.execute(ctx, reveal)

    role = STAFF[staff_id]["role"]
    assert raised.value.code is ErrorCode.forbidden
    assert raised.value.message == (
        "revealing a resident's contact details needs receptionist, cs_assistant, "
        f"department_supervisor or project_manager; staff {staff_id} is {role} (R15.2, R15.4)"
    )
    assert app.ticket(UUID(ticket_id)).version == version  # no look was recorded on the ticket
    [attempt] = app.refused_reveals("hbw", "2026-11")
    assert attempt == {
        "at": T0, "staff_id": staff_id, "role": role, "ticket_id": UUID(ticket_id),
        "promise_id": None, "purpose": "想联系业主", "reason": raised.value.message,
        "correlation_id": "corr-1",
    }  # fmt: skip


def test_a_look_by_staff_not_on_the_list_is_recorded_without_a_role(app, ctx) -> None:
    """Refused before the ticket is looked up: an unknown ticket is not told apart."""
    nowhere = uuid4()
    error = refused_but_recorded(
        app, ctx, intake_commands.RevealContact(staff_id="X9", ticket_id=nowhere, purpose="查一下")
    )
    assert error.message == "staff X9 is not on the staff list of hbw"
    [attempt] = app.refused_reveals("hbw", "2026-11")
    assert (attempt["staff_id"], attempt["role"], attempt["ticket_id"]) == ("X9", None, nowhere)


def test_refused_looks_are_kept_per_local_month_and_never_published(app, ctx, clock) -> None:
    for n in range(2):
        refused_but_recorded(
            app,
            ctx,
            intake_commands.RevealContact(staff_id="QA", ticket_id=uuid4(), purpose=f"第{n}次"),
        )
    clock.set(T0 + timedelta(days=21))  # 1 December 10:00 in Shanghai
    refused_but_recorded(
        app, ctx, intake_commands.RevealContact(staff_id="QA", ticket_id=uuid4(), purpose="x")
    )

    assert [a["purpose"] for a in app.refused_reveals("hbw", "2026-11")] == ["第0次", "第1次"]
    assert [a["purpose"] for a in app.refused_reveals("hbw", "2026-12")] == ["x"]
    translate = Translator(lambda _: [])
    for month in ("2026-11", "2026-12"):
        stored = list(app.events.get(AccessLog.id_for("hbw", month)))
        assert stored and [translate(event) for event in stored] == [None] * len(stored)


def refused_but_recorded(app: IntakeApp, ctx: CommandContext, cmd: Any) -> DeskError:
    with pytest.raises(DeskError) as raised:
        app.execute(ctx, cmd)
    assert raised.value.code is ErrorCode.forbidden
    return raised.value


# -- cancelling a complaint on the escalation ladder (R6.4–R6.6) ---------------------------------


@pytest.mark.parametrize("classify", [{}, {"validity": "valid", "severity": "important"}])
def test_a_receptionist_may_not_cancel_a_complaint_on_the_ladder(
    app, ctx, report_cmd, classify
) -> None:
    """On the ladder from receipt, classified valid or not yet classified."""
    ticket_id = complaint(app, ctx, report_cmd, **classify)
    error = refused(app, ctx, cancel(ticket_id, "S01"))
    assert "needs department_supervisor, project_manager or gm_office" in error.message
    assert app.ticket(UUID(ticket_id)).status != "cancelled"


@pytest.mark.parametrize("staff_id", ["SUP", "M01", "GMO"])
def test_a_supervisor_or_above_cancels_a_complaint_on_the_ladder(
    app, ctx, report_cmd, staff_id
) -> None:
    ticket_id = complaint(app, ctx, report_cmd, validity="valid", severity="minor")
    assert app.execute(ctx, cancel(ticket_id, staff_id))["status"] == "cancelled"


def test_a_receptionist_cancels_what_is_not_on_the_ladder(app, ctx, report_cmd) -> None:
    inquiry = app.execute(ctx, report_cmd(kind="inquiry", category="other", staff_id="S01"))
    communicative = complaint(
        app, ctx, report_cmd, validity="communicative", communicative_type="venting"
    )
    assert app.execute(ctx, cancel(inquiry["ticket_id"], "S01"))["status"] == "cancelled"
    assert app.execute(ctx, cancel(communicative, "S01"))["status"] == "cancelled"


def test_a_complaint_corrected_from_communicative_to_valid_is_on_the_ladder_again_R6_4(
    app, ctx, report_cmd
) -> None:
    """As escalation counts it (issue 13 item 8): correcting the classification re-evaluates the
    ladder, so a complaint found valid after all climbs again and its cancellation is guarded;
    found communicative again, it leaves the ladder again."""
    ticket_id = complaint(
        app, ctx, report_cmd, validity="communicative", communicative_type="venting"
    )
    app.execute(
        ctx, intake_commands.ClassifyTicket(staff_id="S01", ticket_id=ticket_id, validity="valid")
    )
    refused(app, ctx, cancel(ticket_id, "S01"))
    app.execute(
        ctx,
        intake_commands.ClassifyTicket(
            staff_id="S01", ticket_id=ticket_id, validity="communicative",
            communicative_type="inquiry",
        ),
    )  # fmt: skip
    assert app.execute(ctx, cancel(ticket_id, "S01"))["status"] == "cancelled"


def test_a_reopened_complaint_is_back_on_the_ladder(app, ctx, report_cmd) -> None:
    ticket_id = complaint(app, ctx, report_cmd, validity="valid", severity="minor")
    accepted = intake_commands.AcceptSolution(staff_id="S01", ticket_id=ticket_id, solution="限时")
    app.execute(ctx, accepted)  # R6.9
    app.execute(
        ctx, intake_commands.ResolveTicket(staff_id="S01", ticket_id=ticket_id, resolution="已处理")
    )
    app.execute(
        ctx,
        intake_commands.RecordFollowUp(
            staff_id="CS1", ticket_id=ticket_id, satisfied=False, score=2, comment="没解决"
        ),
    )
    refused(app, ctx, cancel(ticket_id, "S01"))


# -- the month's analysis (R12.2) ----------------------------------------------------------------


def analysis(staff_id: str) -> intake_commands.AttachMonthAnalysis:
    return intake_commands.AttachMonthAnalysis(
        staff_id=staff_id,
        month="2026-11",
        cause="噪音投诉集中",
        lessons="装修管理要前置",
        actions="每周巡查两次",
    )


@pytest.mark.parametrize("staff_id", ["S01", "CS1", "SUP", "GMO", "QA"])
def test_only_the_management_office_head_attaches_the_month_analysis(app, ctx, staff_id) -> None:
    error = refused(app, ctx, analysis(staff_id))
    assert "needs project_manager" in error.message and "(R12.2)" in error.message


def test_the_project_manager_attaches_the_month_analysis(app, ctx) -> None:
    assert app.execute(ctx, analysis("M01"))["revision"] == 1


# -- acknowledging a notice (R6.3–R6.7) ----------------------------------------------------------


@pytest.fixture
def escalation():
    """A complaint two days old: its notice to the department supervisor (R6.4)."""
    clock = FixedClock(RECEIVED)
    env = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    app = EscalationApp(env, clock, STAFFED, schedule=Schedule(":memory:"))
    reported(Feed(app), kind="complaint", category="noise")
    [received] = app.tick()  # its zone's CS assistant, at once (R6.3)
    assert received["event"] == "complaint_received"
    clock.set(RECEIVED + timedelta(days=2))
    [decided] = app.tick()
    assert decided["subject"] == "department_supervisor"
    return app


def supervisor_notice(app: Any) -> Notice:
    raised = [
        app.repository.get(item.originator_id)
        for item in app.recorder.select_notifications(start=1, limit=100)
        if item.topic.endswith("Notice.Raised")
    ]  # the CS assistant's at receipt (R6.3), then the supervisor's
    [notice] = [n for n in raised if n.role == "department_supervisor"]
    assert notice.ticket_id == TICKET
    return notice


def ack(notice: Notice, staff_id: str) -> escalation_commands.AcknowledgeNotification:
    return escalation_commands.AcknowledgeNotification(staff_id=staff_id, notification_id=notice.id)


@pytest.mark.parametrize("staff_id", ["S01", "CS1", "T01", "QA"])
def test_a_notice_is_not_acknowledged_by_a_role_below_or_beside_it(
    escalation, ctx, staff_id
) -> None:
    notice = supervisor_notice(escalation)
    error = refused(escalation, ctx, ack(notice, staff_id))
    assert error.message.startswith(
        "acknowledging a notice to department_supervisor needs department_supervisor, "
        "project_manager or gm_office;"
    )
    assert escalation.get(notice.id, Notice).acknowledged_by is None


@pytest.mark.parametrize("staff_id", ["SUP", "M01", "GMO"])
def test_a_notice_is_acknowledged_by_its_role_or_one_above_it(escalation, ctx, staff_id) -> None:
    notice = supervisor_notice(escalation)
    reply = escalation.execute(ctx, ack(notice, staff_id))
    assert (reply["role"], reply["acknowledged_by"]) == ("department_supervisor", staff_id)
