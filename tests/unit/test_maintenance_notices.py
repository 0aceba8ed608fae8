"""Maintenance and outage notices (维修通告) in intake: the day-before rule for planned work, the
explanation afterwards for emergency work, the restoration time, and the contacts linked by the
matching rule (R7.9, R7.10, R16.6; docs/OUTAGES.md). Refused commands record nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from pydantic import ValidationError

from services.intake.adapters.translate import Translator
from services.intake.application import IntakeApp
from services.intake.domain import MaintenanceNotice
from shared.contracts import maintenance_commands as mc
from shared.contracts.commands import ClassifyTicket
from shared.contracts.replies import ErrorCode
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteConfig, SiteDirectory
from shared.messaging.errors import DeskError

T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def _announce(**overrides) -> mc.AnnounceNotice:
    body = {
        "staff_id": "S017",
        "client_ref": "mn-1",
        "kind": "water_outage",
        "scope": {"buildings": ["3"]},
        "starts_at": T0.isoformat(),
        "expected_end": (T0 + timedelta(hours=2)).isoformat(),
        "text": "3号楼因水管爆裂停水,预计两小时内恢复供水",
    } | overrides
    return mc.AnnounceNotice.model_validate(body)


def _notice(app, reply) -> MaintenanceNotice:
    return app.get(UUID(reply["notice_id"]), MaintenanceNotice)


def test_planned_work_announced_the_day_before_is_on_time_R7_9(app, ctx):
    tomorrow = T0 + timedelta(days=1)
    reply = app.execute(
        ctx,
        _announce(
            kind="planned_work",
            starts_at=tomorrow.isoformat(),
            expected_end=(tomorrow + timedelta(hours=4)).isoformat(),
        ),
    )
    assert (reply["late"], reply["notice_no"]) == (False, "HBW-MN-0001")
    assert _notice(app, reply).explain_by is None  # announced before: nothing to explain after


def test_planned_work_announced_the_same_day_is_recorded_late_R7_9(app, ctx):
    later = T0 + timedelta(hours=3)  # same local day
    reply = app.execute(
        ctx,
        _announce(
            kind="planned_work",
            starts_at=later.isoformat(),
            expected_end=(later + timedelta(hours=1)).isoformat(),
        ),
    )
    assert reply["late"] is True


def test_a_site_may_refuse_a_late_planned_notice_R7_9(clock, ctx, recorded):
    strict = SiteConfig.model_validate({"maintenance": {"late_planned": "refuse"}})
    app = IntakeApp(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, SiteDirectory(sites={"hbw": strict})
    )
    before = recorded(app)
    with pytest.raises(DeskError, match="day before") as refused:
        app.execute(ctx, _announce(kind="water_outage", planned=True))
    assert refused.value.code is ErrorCode.invalid
    assert recorded(app) == before


def test_an_emergency_notice_owes_its_explanation_afterwards_R7_10(app, ctx):
    reply = app.execute(ctx, _announce(kind="emergency_work"))
    notice = _notice(app, reply)
    assert notice.explain_by == T0 + timedelta(hours=24)
    app.execute(
        ctx,
        mc.ExplainNotice(
            staff_id="S017",
            notice_id=reply["notice_no"],
            explanation="水泵故障已更换,对此带来的不便深表歉意",
        ),
    )
    assert _notice(app, reply).explanation


def test_a_planned_notice_is_not_explained_afterwards(app, ctx, recorded):
    tomorrow = T0 + timedelta(days=1)
    app.execute(
        ctx,
        _announce(
            kind="planned_work",
            starts_at=tomorrow.isoformat(),
            expected_end=(tomorrow + timedelta(hours=1)).isoformat(),
        ),
    )
    before = recorded(app)
    with pytest.raises(DeskError, match="only an emergency"):
        app.execute(ctx, mc.ExplainNotice(staff_id="S017", notice_id="mn-1", explanation="x"))
    assert recorded(app) == before


def test_the_restoration_time_is_revised_then_restored_R16_6(app, ctx, clock: FixedClock):
    app.execute(ctx, _announce())
    later = T0 + timedelta(hours=4)
    reply = app.execute(
        ctx,
        mc.ReviseRestoration(
            staff_id="S017", notice_id="HBW-MN-0001", expected_end=later, reason="管件需另购"
        ),
    )
    assert reply["expected_end"] == later.isoformat()
    clock.advance(timedelta(hours=3))
    reply = app.execute(ctx, mc.EndNotice(staff_id="S017", notice_id="mn-1", outcome="restored"))
    assert reply["status"] == "restored"
    with pytest.raises(DeskError) as refused:
        app.execute(ctx, mc.CancelNotice(staff_id="S017", notice_id="mn-1", reason="x"))
    assert refused.value.code is ErrorCode.conflict


def test_a_notice_needs_a_scope_and_an_end_after_its_start():
    with pytest.raises(ValidationError, match="whole site"):
        _announce(scope={})
    with pytest.raises(ValidationError, match="after starts_at"):
        _announce(expected_end=T0.isoformat())


def test_a_contact_in_scope_is_linked_to_the_outage_R16_6(app, ctx, report_cmd):
    app.execute(ctx, _announce())
    inside = app.execute(ctx, report_cmd(client_ref="c-1"))  # plumbing at 3-1201
    other_building = app.execute(
        ctx,
        report_cmd(
            client_ref="c-2", reporter={"name": "李四", "phone": "13900139000", "room": "5-302"}
        ),
    )
    other_category = app.execute(ctx, report_cmd(client_ref="c-3", category="noise"))
    notice = app.get(UUID(app.execute(ctx, _announce())["notice_id"]), MaintenanceNotice)
    assert list(notice.linked.values()) == [inside["ticket_no"]]
    assert other_building["ticket_no"] not in notice.linked.values()
    assert other_category["ticket_no"] not in notice.linked.values()


def test_a_whole_site_outage_links_any_unit_and_the_desk_can_unlink(app, ctx, report_cmd):
    app.execute(ctx, _announce(kind="power_outage", scope={"whole_site": True}))
    ticket = app.execute(ctx, report_cmd(category="electrical"))
    reply = app.execute(
        ctx,
        mc.UnlinkFromNotice(
            staff_id="S017", notice_id="mn-1", ticket_id=ticket["ticket_no"], reason="别的事"
        ),
    )
    assert reply["linked"] == []
    reply = app.execute(
        ctx, mc.LinkToNotice(staff_id="S017", notice_id="mn-1", ticket_id=ticket["ticket_id"])
    )
    assert reply["linked"] == [ticket["ticket_no"]]


def test_a_contact_before_the_start_or_after_restoration_is_not_linked(app, ctx, report_cmd, clock):
    tomorrow = T0 + timedelta(days=1)
    app.execute(
        ctx,
        _announce(
            starts_at=tomorrow.isoformat(), expected_end=(tomorrow + timedelta(hours=2)).isoformat()
        ),
    )
    early = app.execute(ctx, report_cmd(client_ref="c-1"))
    clock.advance(timedelta(days=1, hours=3))
    app.execute(ctx, mc.EndNotice(staff_id="S017", notice_id="mn-1", outcome="restored"))
    late = app.execute(ctx, report_cmd(client_ref="c-2"))
    notice = app.get(UUID(app.execute(ctx, _announce())["notice_id"]), MaintenanceNotice)
    assert notice.linked == {}, (early, late)


def test_the_published_notice_masks_its_text_and_carries_its_clock_R7_10(app, ctx):
    reply = app.execute(ctx, _announce(kind="emergency_work", text="抢修中,联系王师傅 13800138000"))
    translate = Translator(app.reporters_of)
    published = [translate(e) for e in app.events.get(UUID(reply["notice_id"]))]
    data = published[0].data
    assert published[0].event_type == "maintenance.announced"
    assert "13800138000" not in data.text
    assert data.explain_by == T0 + timedelta(hours=24)


def test_reports_committed_together_are_each_linked_to_the_notice_R16_6(app, ctx, report_cmd):
    app.execute(ctx, _announce())
    cmds = [report_cmd(client_ref=f"b-{n}") for n in range(3)]
    outcomes = app.execute_batch([(ctx, cmd) for cmd in cmds])
    reply = app.execute(ctx, mc.LinkToNotice(staff_id="S017", notice_id="mn-1",
                                             ticket_id=outcomes[0]["ticket_id"]))  # fmt: skip
    assert reply["linked"] == sorted(o["ticket_no"] for o in outcomes)


def test_a_contact_without_a_category_is_linked_once_classified_R16_6(app, ctx, report_cmd):
    reply = app.execute(ctx, _announce())
    ticket = app.execute(ctx, report_cmd(category=None))
    assert _notice(app, reply).linked == {}
    app.execute(ctx, ClassifyTicket(staff_id="S017", ticket_id=ticket["ticket_id"],
                                    kind="repair", category="plumbing"))  # fmt: skip
    assert list(_notice(app, reply).linked.values()) == [ticket["ticket_no"]]


# -- a repair call the outage answers (R7.10, R16.6; docs/OUTAGES.md "Calls the notice answers") --

NO_WATER = "家里停水了, 什么时候来水"


def _ticket_of(app, reply):
    return app.ticket(UUID(reply["ticket_id"]))


def test_a_no_water_call_during_the_announced_cut_is_an_inquiry_the_notice_answers_R7_10_R16_6(
    app, ctx, report_cmd, clock
):
    notice = app.execute(ctx, _announce())
    clock.advance(timedelta(minutes=20))
    reply = app.execute(ctx, report_cmd(content=NO_WATER))  # a repair at 3-1201, plumbing
    assert reply["answered_by_notice"] == "HBW-MN-0001"
    assert (reply["promises"], reply["deadline"]) == ([], None)  # no repair promised (R7.3)
    assert _ticket_of(app, reply).kind == "inquiry"
    assert list(_notice(app, notice).linked.values()) == [reply["ticket_no"]]
    translate = Translator(app.reporters_of)
    [reported] = [translate(e) for e in app.events.get(UUID(reply["ticket_id"]))]
    assert reported.data.kind == "inquiry"  # dispatch issues no work order for it (R8.1)
    again = app.execute(ctx, report_cmd(content=NO_WATER))  # the same report again
    assert again["duplicate"] and again["answered_by_notice"] == "HBW-MN-0001"


def test_a_call_that_also_reports_another_fault_stays_an_urgent_repair_R7_1(app, ctx, report_cmd):
    app.execute(ctx, _announce())
    reply = app.execute(ctx, report_cmd(content="停水了, 楼道水管也爆了一直喷水"))
    assert reply["answered_by_notice"] is None and _ticket_of(app, reply).kind == "repair"
    assert [p["clock"] for p in reply["promises"]] == ["urgent_on_site", "urgent_fixed"]
    leak = app.execute(ctx, report_cmd(client_ref="c-2"))  # 厨房水管漏水: not the cut at all
    assert leak["answered_by_notice"] is None and _ticket_of(app, leak).kind == "repair"


def test_a_call_past_the_announced_restoration_time_is_a_repair_again_R16_6_R7_1(
    app, ctx, report_cmd, clock
):
    notice = app.execute(ctx, _announce())  # back by T0 + 2 h, neither revised nor restored
    clock.advance(timedelta(hours=2))
    reply = app.execute(ctx, report_cmd(content="还是停水"))
    assert reply["answered_by_notice"] is None and _ticket_of(app, reply).kind == "repair"
    assert reply["deadline"]["clock"] == "urgent_fixed"
    assert list(_notice(app, notice).linked.values()) == [reply["ticket_no"]]  # still its call


def test_the_revised_restoration_time_is_the_one_the_caller_is_told_R16_6(
    app, ctx, report_cmd, clock
):
    app.execute(ctx, _announce())
    later = T0 + timedelta(hours=4)
    revise = mc.ReviseRestoration(staff_id="S017", notice_id="mn-1", expected_end=later,
                                  reason="换泵")  # fmt: skip
    app.execute(ctx, revise)
    clock.advance(timedelta(hours=3))
    reply = app.execute(ctx, report_cmd(content=NO_WATER))
    assert reply["answered_by_notice"] == "HBW-MN-0001"


def test_a_cut_no_notice_announces_to_the_caller_stays_an_urgent_repair_R7_1(app, ctx, report_cmd):
    app.execute(ctx, _announce())  # building 3
    elsewhere = {"name": "李四", "phone": "13900139000", "room": "5-302"}
    other_building = app.execute(ctx, report_cmd(client_ref="c-1", reporter=elsewhere,
                                                 content=NO_WATER))  # fmt: skip
    before_it = app.execute(ctx, report_cmd(client_ref="c-2", content=NO_WATER,
                                            received_at=T0 - timedelta(minutes=5)))  # fmt: skip
    for reply in (other_building, before_it):
        assert reply["answered_by_notice"] is None and _ticket_of(app, reply).kind == "repair"


def test_only_a_repair_is_answered_by_the_notice(app, ctx, report_cmd):
    app.execute(ctx, _announce())
    complaint = app.execute(ctx, report_cmd(kind="complaint", content="又停水了, 太不像话"))
    assert complaint["answered_by_notice"] is None
    assert _ticket_of(app, complaint).kind == "complaint"  # a complaint is the desk's to judge


def test_the_desk_may_still_make_an_answered_call_a_repair_R7_1(app, ctx, report_cmd):
    app.execute(ctx, _announce())
    reply = app.execute(ctx, report_cmd(content=NO_WATER))
    app.execute(ctx, ClassifyTicket(staff_id="S017", ticket_id=reply["ticket_id"],
                                    kind="repair"))  # fmt: skip
    assert _ticket_of(app, reply).kind == "repair"  # classified: dispatch issues its order
