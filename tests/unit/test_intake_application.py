"""IntakeApp.execute: one command in, one contract reply out; rejections record nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from pydantic import ValidationError

from services.intake.application import IntakeApp
from shared.contracts import commands
from shared.contracts.events import EVENT_TYPES
from shared.contracts.replies import ErrorCode
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteConfig, SiteDirectory
from shared.messaging.errors import DeskError
from tests.unit.conftest import rejected

_T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # the clock fixture's start


def test_a_report_opens_a_received_ticket_with_its_number_R3_1(app, ctx, report_cmd):
    reply = app.execute(ctx, report_cmd())
    assert reply["ok"] is True and reply["duplicate"] is False
    assert (reply["ticket_no"], reply["status"]) == ("HBW-202611-0001", "received")
    ticket = app.ticket_of_site("hbw", UUID(reply["ticket_id"]))
    assert (ticket.reporters[0]["name"], ticket.owner) == ("张三", "S017")


def test_the_same_client_ref_is_a_duplicate_that_records_nothing(app, ctx, report_cmd, recorded):
    first = app.execute(ctx, report_cmd(content="第一次"))
    before = recorded(app)
    again = app.execute(ctx, report_cmd(content="又打来一次", staff_id="S020"))
    assert recorded(app) == before
    assert again["duplicate"] is True
    assert (again["ticket_id"], again["ticket_no"]) == (first["ticket_id"], first["ticket_no"])


def test_a_repeated_command_id_returns_the_first_reply_even_if_the_body_differs(
    app, ctx, report_cmd, recorded
):
    first = app.execute(ctx, report_cmd(command_id="cmd-1"))
    before = recorded(app)
    again = app.execute(ctx, report_cmd(command_id="cmd-1", client_ref="desk-0002"))
    assert again == first
    assert recorded(app) == before


def test_a_ticket_of_another_site_is_not_found_there(app, ctx, report_cmd, recorded):
    ticket_id = app.execute(ctx, report_cmd())["ticket_id"]
    cmd = commands.ResolveTicket(staff_id="S1", ticket_id=ticket_id, resolution="x")
    error = rejected(app, recorded, CommandContext("lgp", "corr-2"), cmd)
    assert error.code is ErrorCode.not_found


def test_an_invalid_transition_is_a_conflict_naming_the_current_status(
    app, ctx, report_cmd, recorded
):
    ticket_id = app.execute(ctx, report_cmd())["ticket_id"]
    app.execute(ctx, commands.CancelTicket(staff_id="S1", ticket_id=ticket_id, reason="withdrawn"))
    cmd = commands.ResolveTicket(staff_id="S1", ticket_id=ticket_id, resolution="x")
    error = rejected(app, recorded, ctx, cmd)
    assert error.code is ErrorCode.conflict
    assert "cancelled" in error.message


def test_a_broken_classification_rule_is_invalid_naming_the_field_R5_6(
    app, ctx, report_cmd, recorded
):
    ticket_id = app.execute(ctx, report_cmd(kind="complaint", category="cleaning"))["ticket_id"]
    cmd = commands.ClassifyTicket(staff_id="S1", ticket_id=ticket_id, validity="communicative")
    error = rejected(app, recorded, ctx, cmd)
    assert (error.code, error.fields[0].field) == (ErrorCode.invalid, "communicative_type")


def test_a_category_the_site_does_not_use_is_invalid(app, ctx, report_cmd, recorded):
    error = rejected(app, recorded, ctx, report_cmd(category="swimming_pool"))
    assert (error.code, [f.field for f in error.fields]) == (ErrorCode.invalid, ["category"])


def test_a_site_can_configure_its_own_categories(report_cmd, recorded):
    sites = SiteDirectory(strict=False, sites={"pool": SiteConfig(categories=("swimming_pool",))})
    app = IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, FixedClock(_T0), sites)
    pool = CommandContext("pool", "corr")
    assert app.execute(pool, report_cmd(category="swimming_pool"))["ok"] is True
    assert rejected(app, recorded, pool, report_cmd(client_ref="x2")).fields[0].field == "category"


def test_received_at_more_than_five_minutes_ahead_is_invalid(app, ctx, report_cmd, recorded):
    late = _T0 + timedelta(minutes=5, seconds=1)
    error = rejected(app, recorded, ctx, report_cmd(received_at=late.isoformat()))
    assert [f.field for f in error.fields] == ["received_at"]


def test_received_at_within_the_clock_skew_is_accepted(app, ctx, report_cmd):
    ahead = _T0 + timedelta(minutes=5)
    assert app.execute(ctx, report_cmd(received_at=ahead.isoformat()))["ok"] is True


def test_ticket_numbers_count_per_site(app, report_cmd):
    numbers = [
        app.execute(CommandContext(site, "c"), report_cmd(client_ref=ref))["ticket_no"]
        for site, ref in [("hbw", "a"), ("hbw", "b"), ("lgp", "a"), ("hbw", "c")]
    ]
    assert numbers == ["HBW-202611-0001", "HBW-202611-0002", "LGP-202611-0001", "HBW-202611-0003"]


def test_ticket_numbers_follow_the_local_month_of_receipt_in_shanghai(app, ctx, report_cmd):
    # 2026-11-30 16:30 UTC is 2026-12-01 00:30 in Asia/Shanghai
    app.clock.set(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    late_november = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # 23:30 local
    december = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    a = app.execute(ctx, report_cmd(client_ref="a", received_at=december.isoformat()))
    b = app.execute(ctx, report_cmd(client_ref="b", received_at=late_november.isoformat()))
    assert (a["ticket_no"], b["ticket_no"]) == ("HBW-202612-0001", "HBW-202611-0001")


def test_a_strict_directory_refuses_an_unlisted_site(report_cmd, recorded):
    sites = SiteDirectory(strict=True, sites={"hbw": SiteConfig()})
    app = IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, FixedClock(_T0), sites)
    error = rejected(app, recorded, CommandContext("lgp", "corr"), report_cmd())
    assert error.code is ErrorCode.forbidden
    assert app.execute(CommandContext("hbw", "corr"), report_cmd())["ok"] is True


def test_the_full_life_of_a_ticket_through_commands_R11_1(app, ctx, report_cmd):
    tid = app.execute(ctx, report_cmd(kind="complaint", category="cleaning"))["ticket_id"]
    steps = [
        commands.ClassifyTicket(staff_id="S1", ticket_id=tid, validity="valid", severity="minor"),
        commands.LinkContact(staff_id="S1", ticket_id=tid, channel="visit", content="又来了"),
        commands.AcceptSolution(staff_id="S1", ticket_id=tid, solution="当天清理"),  # R6.9
        commands.ResolveTicket(staff_id="S1", ticket_id=tid, resolution="已清理"),
        commands.RecordFollowUp(
            staff_id="S1", ticket_id=tid, satisfied=False, score=2, comment="不满意"
        ),
        commands.AcceptSolution(staff_id="S1", ticket_id=tid, solution="主管到场"),
        commands.ResolveTicket(staff_id="S1", ticket_id=tid, resolution="再次清理"),
        commands.RecordFollowUp(staff_id="S1", ticket_id=tid, satisfied=True, score=5),
    ]
    statuses = [app.execute(ctx, step)["status"] for step in steps]
    assert statuses == [
        "classified", "classified", "classified", "resolved", "reopened", "reopened", "resolved",
        "closed",
    ]  # fmt: skip
    ticket = app.ticket_of_site("hbw", UUID(tid))
    assert (ticket.repeat_count, ticket.reopen_count, ticket.follow_up_count) == (1, 1, 2)


def test_cancelling_as_a_duplicate_needs_a_ticket_of_the_same_site(app, ctx, report_cmd, recorded):
    here = app.execute(ctx, report_cmd(client_ref="a"))["ticket_id"]
    there = app.execute(CommandContext("lgp", "c"), report_cmd(client_ref="b"))["ticket_id"]
    cmd = commands.CancelTicket(
        staff_id="S1", ticket_id=here, reason="duplicate", duplicate_of=there
    )
    assert rejected(app, recorded, ctx, cmd).fields[0].field == "duplicate_of"
    other = app.execute(ctx, report_cmd(client_ref="c"))
    by_number = commands.CancelTicket(
        staff_id="S1", ticket_id=here, reason="duplicate", duplicate_of=other["ticket_no"].lower()
    )
    assert app.execute(ctx, by_number)["status"] == "cancelled"
    [*_, cancelled] = app.events.get(UUID(here))
    assert (cancelled.reason, cancelled.duplicate_of) == ("duplicate", UUID(other["ticket_id"]))


@pytest.mark.parametrize(
    "fields",
    [
        {"reason": "客户说不用修了"},  # any reason: only duplicate or withdrawn (G2)
        {"reason": "duplicate"},  # a duplicate names the ticket it repeats
        {"reason": "withdrawn", "duplicate_of": "HBW-202611-0001"},
    ],
)
def test_cancelling_is_for_a_duplicate_or_a_withdrawal_G2(fields):
    with pytest.raises(ValidationError):
        commands.CancelTicket(staff_id="S1", ticket_id=uuid4(), **fields)


def test_every_ticket_command_takes_the_tickets_number_as_well_as_its_id(app, ctx, report_cmd):
    reply = app.execute(ctx, report_cmd())
    cmd = commands.ReplyToCustomer(staff_id="S1", ticket_id=reply["ticket_no"], message="已派工")
    assert app.execute(ctx, cmd)["ticket_id"] == reply["ticket_id"]
    unknown = commands.ReplyToCustomer(staff_id="S1", ticket_id="HBW-202601-0999", message="x")
    with pytest.raises(DeskError) as refused:
        app.execute(ctx, unknown)
    assert refused.value.code is ErrorCode.not_found


def test_a_sign_off_recorded_before_the_ticket_was_reopened_does_not_resolve_it(
    app, ctx, report_cmd, clock
):
    """A work-done event republished late must not resolve a ticket reopened since."""
    reply = app.execute(ctx, report_cmd())
    ticket_id = reply["ticket_id"]
    signed_at = clock.now()
    clock.advance(timedelta(minutes=5))
    app.execute(
        ctx, commands.ResolveTicket(ticket_id=ticket_id, staff_id="S1", resolution="修好了")
    )
    app.execute(ctx, commands.ReopenTicket(ticket_id=ticket_id, staff_id="S1", reason="又坏了"))

    def signed_off(at):
        return EVENT_TYPES["workorder.signed_off"].model_validate({
            "event_id": "7e407868-fae8-57e3-933b-b9403c677295", "schema_version": 1,
            "site": ctx.site, "aggregate_id": "6eb79cef-3d22-5d13-9c6b-cb0aca089d27",
            "aggregate_version": 7, "occurred_at": at, "recorded_at": at,
            "correlation_id": "c", "causation_id": None, "actor": "E01",
            "event_type": "workorder.signed_off",
            "data": {"ticket_id": ticket_id, "quality": 5, "attitude": 5, "comment": None,
                     "ticket_done": True},
        })  # fmt: skip

    assert app.react(signed_off(signed_at)) == []
    clock.advance(timedelta(minutes=5))
    [resolved] = app.react(signed_off(clock.now()))
    assert resolved.status == "resolved"
