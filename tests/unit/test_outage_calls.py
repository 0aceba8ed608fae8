"""What a caller says when all they report is the cut an announced outage is about, and when the
notice answers their repair call on its own (R7.10, R16.6, R7.1; docs/OUTAGES.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.intake.domain import MaintenanceNotice, Ticket
from services.intake.domain.outage_calls import answering_notice, settled_by_its_end
from shared.kernel.maintenance import only_the_outage

T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
META = {"actor": "S017", "correlation_id": "corr-1", "causation_id": None}


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("water_outage", "家里停水了"),
        ("water_outage", "3号楼没水了, 什么时候来水"),
        ("power_outage", "整栋楼都停电了"),
        ("gas_outage", "家里没燃气了"),
        ("lift_outage", "3号楼电梯停了"),
    ],
)
def test_the_cut_alone_is_the_outage_itself_R16_6(kind: str, content: str) -> None:
    assert only_the_outage(kind, content)


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("water_outage", "停水了, 楼道水管也爆了"),  # a burst pipe (R7.1(3))
        ("water_outage", "厨房水管漏水"),  # no cut named
        ("water_outage", "不是停水, 是水压低"),  # the cut denied
        ("power_outage", "停电了, 总闸跳了"),  # an indoor wiring fault (R7.1(2))
        ("power_outage", "停电了, 闻到焦味"),
        ("gas_outage", "没燃气了, 闻到煤气味"),  # a gas smell: an emergency (R4.10)
        ("gas_outage", "厨房没有气味"),  # no smell, not no gas
        ("lift_outage", "电梯停了, 有人被困"),  # someone trapped (R7.1(5))
        ("water_outage", "家里停电了"),  # not this notice's cut
        ("other_outage", "停了"),  # no supply named: never answered alone
    ],
)
def test_anything_else_is_news_to_the_desk_R7_1(kind: str, content: str) -> None:
    assert not only_the_outage(kind, content)


def _notice(kind: str = "water_outage", **fields) -> MaintenanceNotice:
    base = {
        "site": "hbw", "notice_no": "HBW-MN-0001", "client_ref": "mn-1", "kind": kind,
        "planned": True, "scope": {"buildings": ["3"]}, "categories": ["plumbing"],
        "starts_at": T0, "expected_end": T0 + timedelta(hours=2), "announced_at": T0,
        "late": False, "explain_by": None, "text": "停水通知", **META,
    } | fields  # fmt: skip
    return MaintenanceNotice.announce(notice_id=uuid4(), at=fields.get("announced_at", T0), **base)


def test_an_outage_still_running_answers_a_repair_that_reports_its_cut_R16_6() -> None:
    notice = _notice()
    at = T0 + timedelta(minutes=30)
    assert answering_notice([notice], kind="repair", content="停水了", at=at) is notice
    assert answering_notice([notice], kind="inquiry", content="停水了", at=at) is None


def test_a_notice_answers_nothing_before_it_was_announced_nor_after_its_restoration_time() -> None:
    notice = _notice(announced_at=T0 + timedelta(minutes=10))
    for at in (T0 + timedelta(minutes=5), T0 + timedelta(hours=2)):
        assert answering_notice([notice], kind="repair", content="停水了", at=at) is None


def test_work_notices_and_notices_no_longer_in_force_answer_no_repair() -> None:
    at = T0 + timedelta(minutes=30)
    work = _notice("emergency_work")
    restored = _notice()
    restored.end(at=at, meta=META, outcome="restored", ended_at=at, note=None)
    for notice in (work, restored):
        assert answering_notice([notice], kind="repair", content="停水了", at=at) is None


def _call(answered_by: str | None, kind: str = "inquiry") -> Ticket:
    return Ticket.report(
        ticket_id=uuid4(), at=T0, site="hbw", ticket_no="HBW-202611-0001", client_ref=str(uuid4()),
        channel="phone", kind=kind, category="plumbing", help_category=None, reporter=None,
        content="停水了", received_at=T0, appointment=None, answered_by_notice=answered_by,
        **META,
    )  # fmt: skip


def test_the_outage_restored_settles_the_calls_it_answered_and_no_other_R16_6_R11_1() -> None:
    at = T0 + timedelta(minutes=30)
    notice = _notice()
    answered, other_call, repair = _call(notice.notice_no), _call(None), _call(None, "repair")
    resolved_already = _call(notice.notice_no)
    resolved_already.resolve(at=at, meta=META, resolution="已答复")
    assert not settled_by_its_end(notice, answered)  # still running: the caller waits
    notice.end(at=at, meta=META, outcome="restored", ended_at=at, note=None)
    assert settled_by_its_end(notice, answered)
    assert not any(settled_by_its_end(notice, t) for t in (other_call, repair, resolved_already))
    cancelled = _notice()
    cancelled.cancel(at=at, meta=META, reason="改期")
    assert not settled_by_its_end(cancelled, _call(cancelled.notice_no))  # it never happened
