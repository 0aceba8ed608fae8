"""First-contact ownership (首问负责制, R10.1) and the desk's shift log (交接班记录, R15.9–R15.12)
in intake: who owns a ticket, who may hand it over, what the log records and publishes
(docs/SHIFTS.md). Refused commands record nothing."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from services.intake.adapters.translate import Translator
from services.intake.application import IntakeApp
from services.intake.application.shifts import show_shift
from services.intake.domain import Ticket
from services.intake.domain.shift_log import ShiftLog, shift_log_id
from shared.contracts import shifts as sc
from shared.contracts.replies import ErrorCode
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.shifts import ShiftConfig
from shared.kernel.sites import SiteDirectory
from shared.kernel.vocabulary import CancelReason
from shared.messaging.errors import DeskError

T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: the day shift
ZONE = ZoneInfo("Asia/Shanghai")
STAFF = {
    "S017": {"role": "receptionist"},
    "S018": {"role": "receptionist"},
    "S020": {"role": "cs_assistant"},
    "N001": {"role": "department_staff", "department": "engineering"},  # night duty (R15.11)
    "CSS1": {"role": "cs_supervisor"},
}


@pytest.fixture
def staffed(clock: FixedClock) -> IntakeApp:
    sites = SiteDirectory.model_validate({"sites": {"hbw": {"staff": STAFF}}})
    return IntakeApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, sites)


def _refused(app, recorded, ctx, cmd) -> DeskError:
    before = recorded(app)
    with pytest.raises(DeskError) as raised:
        app.execute(ctx, cmd)
    assert recorded(app) == before
    return raised.value


def _field(error: DeskError) -> str:
    return error.fields[0].field


def _hand(ticket: str, by: str, to: str, reason: str = "换班") -> sc.HandOverTicket:
    return sc.HandOverTicket(ticket_id=ticket, staff_id=by, to_staff=to, reason=reason)


def test_whoever_takes_the_contact_owns_the_ticket_R10_1(staffed, ctx, report_cmd):
    reply = staffed.execute(ctx, report_cmd(staff_id="S017"))
    assert staffed.ticket_of_site("hbw", reply["ticket_no"]).owner == "S017"


def test_only_the_owner_or_a_supervisor_hands_a_ticket_over_R10_1(
    staffed, ctx, report_cmd, recorded
):
    ticket_no = staffed.execute(ctx, report_cmd(staff_id="S017"))["ticket_no"]
    refused = _refused(staffed, recorded, ctx, _hand(ticket_no, "S018", "S018"))
    assert refused.code is ErrorCode.forbidden and "owner S017" in refused.message
    stranger = _refused(staffed, recorded, ctx, _hand(ticket_no, "S017", "X999"))
    assert stranger.code is ErrorCode.invalid and _field(stranger) == "to_staff"
    itself = _refused(staffed, recorded, ctx, _hand(ticket_no, "S017", "S017"))
    assert itself.code is ErrorCode.invalid

    reply = staffed.execute(ctx, _hand(ticket_no, "S017", "S020", "转客服助理跟进"))
    assert reply["owner"] == "S020"
    # the supervisor may hand on a ticket that is not theirs
    assert staffed.execute(ctx, _hand(ticket_no, "CSS1", "S018"))["owner"] == "S018"
    ticket = staffed.ticket_of_site("hbw", ticket_no)
    assert [(h["from_staff"], h["to_staff"], h["by"]) for h in ticket.handovers] == [
        ("S017", "S020", "S017"),
        ("S020", "S018", "CSS1"),
    ]


def test_a_hand_over_is_published_with_staff_ids_and_the_reason_masked_R10_1(
    staffed, ctx, report_cmd
):
    ticket_no = staffed.execute(ctx, report_cmd(staff_id="S017"))["ticket_no"]
    staffed.execute(ctx, _hand(ticket_no, "S017", "S020", "张三 13800138000 要求换人"))
    ticket = staffed.ticket_of_site("hbw", ticket_no)
    [event] = [e for e in staffed.events.get(ticket.id) if isinstance(e, Ticket.HandedOver)]
    published = Translator(staffed.reporters_of)(event)
    assert published is not None and published.event_type == "ticket.handed_over"
    data = published.data
    assert (data.ticket_no, data.from_staff, data.to_staff) == (ticket_no, "S017", "S020")
    assert "13800138000" not in data.reason and "张三" not in data.reason


def test_the_ticket_itself_refuses_a_hand_over_by_a_non_owner_or_once_it_is_over_R10_1():
    meta = {"actor": "S017", "correlation_id": "c", "causation_id": None}
    ticket = Ticket.report(
        ticket_id=uuid4(), at=T0, site="hbw", ticket_no="HBW-202611-0001", client_ref="r",
        channel="phone", kind="inquiry", category=None, help_category=None, reporter=None,
        content="?", received_at=T0, appointment=None, **meta,
    )  # fmt: skip
    assert ticket.owner == "S017"
    with pytest.raises(RuleError):
        ticket.hand_over(at=T0, meta={**meta, "actor": "S018"}, to_staff="S018", reason="x")
    by_supervisor = {**meta, "actor": "CSS1"}
    ticket.hand_over(at=T0, meta=by_supervisor, to_staff="S018", reason="x", may_hand_any=True)
    assert ticket.owner == "S018"
    ticket.cancel(at=T0, meta=meta, reason=CancelReason.withdrawn)
    with pytest.raises(TransitionError):
        ticket.hand_over(at=T0, meta={**meta, "actor": "S018"}, to_staff="S017", reason="x")


def test_the_site_chooses_its_shifts_in_its_zone():
    day = ShiftConfig()
    assert day.shift_of(T0, ZONE) == (
        datetime(2026, 11, 10, 8, tzinfo=ZONE),
        datetime(2026, 11, 10, 20, tzinfo=ZONE),
    )
    night = T0 + timedelta(hours=16)  # 02:00 local the next day: the night shift began at 20:00
    assert day.shift_of(night, ZONE)[0] == datetime(2026, 11, 10, 20, tzinfo=ZONE)
    three = ShiftConfig(starts=(time(0), time(8), time(16)), sign_within_minutes=15)
    assert three.shift_of(T0, ZONE)[1] == datetime(2026, 11, 10, 16, tzinfo=ZONE)
    with pytest.raises(ValueError, match="distinct"):
        ShiftConfig(starts=(time(8), time(8)))


def test_the_log_is_written_closed_with_its_pending_tickets_and_signed_R15_9_R15_10_R15_12_R6_13(
    staffed, ctx, report_cmd, recorded, clock
):
    open_no = staffed.execute(ctx, report_cmd(staff_id="S017"))["ticket_no"]
    entry = sc.WriteShiftEntry(staff_id="S017", kind="unresolved", text="3-1201 漏水待物料")
    reply = staffed.execute(ctx, entry)
    assert (reply["shift"], reply["status"], reply["entries"]) == ("2026-11-10T08:00", "open", 1)
    staffed.execute(ctx, sc.WriteShiftEntry(staff_id="S017", kind="abnormal", text="电梯异响"))

    # a sign before the close is refused; an unknown shift too
    before_close = sc.SignShift(staff_id="N001", shift="2026-11-10T08:00")
    assert _refused(staffed, recorded, ctx, before_close).code is ErrorCode.conflict
    nowhere = sc.CloseShift(staff_id="S017", shift="2026-11-10T09:00")
    assert _field(_refused(staffed, recorded, ctx, nowhere)) == "shift"

    clock.advance(timedelta(hours=10, minutes=5))  # 20:05: the night shift has begun
    close = sc.CloseShift(staff_id="S017", pending=[open_no], note="夜班请跟进")
    closed = staffed.execute(ctx, close)  # unnamed: the day shift, still open (R15.12)
    assert (closed["shift"], closed["status"], closed["pending"]) == (
        "2026-11-10T08:00",
        "closed",
        1,
    )
    assert closed["sign_by"] == "2026-11-10T20:35:00+08:00"  # 30 minutes' grace, local
    again = sc.CloseShift(staff_id="S017", shift="2026-11-10T08:00")
    assert _refused(staffed, recorded, ctx, again).code is ErrorCode.conflict
    own = sc.SignShift(staff_id="S017")
    assert _field(_refused(staffed, recorded, ctx, own)) == "staff_id"  # not who closed it

    clock.advance(timedelta(minutes=10))
    signed = staffed.execute(ctx, sc.SignShift(staff_id="N001"))  # the night duty (R15.11)
    assert (signed["status"], signed["signed_by"]) == ("signed", ["N001"])
    clock.advance(timedelta(hours=1))
    staffed.execute(ctx, sc.SignShift(staff_id="S018", shift="2026-11-10T08:00"))

    log = staffed.get(shift_log_id("hbw", "2026-11-10T08:00"), ShiftLog)
    assert [s["late"] for s in log.signatures] == [False, True]
    assert log.pending == [
        {"ticket_id": log.pending[0]["ticket_id"], "ticket_no": open_no, "owner": "S017",
         "status": "received"}
    ]  # fmt: skip
    shown = show_shift(staffed, "hbw", sc.ShowShift(previous=True))
    assert [e.kind for e in shown.entries] == ["unresolved", "abnormal"]
    assert shown.pending[0].ticket_no == open_no and shown.closed_by == "S017"
    assert shown.closed_at.isoformat() == "2026-11-10T20:05:00+08:00"  # in the site's zone

    published = [Translator(staffed.reporters_of)(e) for e in staffed.events.get(log.id)]
    kinds = [p.event_type for p in published if p is not None]
    assert kinds == ["shift.entry_written"] * 2 + ["shift.closed", "shift.signed", "shift.signed"]
    closed_event = next(p for p in published if p and p.event_type == "shift.closed")
    assert closed_event.data.pending[0].owner == "S017"


def test_a_ticket_no_longer_open_is_no_pending_item_R15_12(staffed, ctx, report_cmd):
    ticket_no = staffed.execute(ctx, report_cmd(staff_id="S017"))["ticket_no"]
    staffed.execute(
        ctx,
        sc.WriteShiftEntry(staff_id="S017", kind="notice", text="明日停水", ticket_id=ticket_no),
    )
    cancel = {"ticket_id": ticket_no, "staff_id": "S017", "reason": "withdrawn"}
    from shared.contracts.commands import CancelTicket

    staffed.execute(ctx, CancelTicket.model_validate(cancel))
    closed = staffed.execute(ctx, sc.CloseShift(staff_id="S017", pending=[ticket_no, ticket_no]))
    assert (closed["status"], closed["pending"]) == ("closed", 0)
    with pytest.raises(DeskError) as unknown:  # a ticket the site does not have
        staffed.execute(ctx, sc.CloseShift(staff_id="S017", pending=["HBW-202611-0999"]))
    assert unknown.value.code is ErrorCode.not_found


def test_a_shift_is_named_by_its_local_start():
    for wrong in ("2026-11-10 08:00", "2026-13-40T25:00"):
        with pytest.raises(ValueError):
            sc.CloseShift(staff_id="S017", shift=wrong)
    assert sc.CloseShift(staff_id="S017", shift="2026-11-10T08:00").shift == "2026-11-10T08:00"
    assert CommandContext("hbw", "c").site == "hbw"
