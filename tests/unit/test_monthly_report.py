"""The monthly summary, the weekly summary and the quality pack over a small fixture month whose
figures are computed by hand below (R12.1–R12.4, docs/DOMAIN.md §7; docs/REPORTS.md).

The events are built as the services publish them and fed to the analytics view in stream order.
"""

from __future__ import annotations

import sqlite3
import statistics
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest

from propdesk.report_files import labels as L
from services.reporting.queries.figures import Reports
from services.reporting.views import analytics_months
from services.reporting.views.analytics import AnalyticsView
from shared.kernel.months import months_back
from shared.kernel.sites import SiteDirectory
from shared.messaging.inbox import Delivery
from tests.support.builders import History, TicketStory, notified

SH = timedelta(hours=8)
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "华碧屋村"}, "ohs": {"name": "Office tower"}}}
)
AS_OF = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
RECORDED_FROM = datetime(2026, 9, 1, tzinfo=UTC)  # no event is recorded before September


def local(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    """A Shanghai wall-clock time, as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - SH


@pytest.fixture
def fixture_month() -> History:
    h = History(recorded_from=RECORDED_FROM)
    # September 2026, the month before: 2 contacts, 1 complaint (noise), 1 repair (plumbing)
    h.ticket("complaint", local(9, 10), category="noise", unit="1-101")
    s2 = h.ticket("repair", local(9, 15), category="plumbing", channel="visit")
    s2_order = s2.order(local(9, 15), "engineering")

    # October 2026
    t1 = h.ticket("complaint", local(10, 1, 0, 30), category="noise", unit="3-1201")  # 00:30
    s2.complete(s2_order, local(10, 2), "50.00")  # September's order, paid in October
    h.ticket("complaint", local(10, 2), category="noise", unit="3-1201").event(
        "cancelled", local(10, 2, 11), reason="重复", duplicate_of=str(t1.id)
    )  # a duplicate: counts nowhere
    t1.classify(local(10, 1, 9), "complaint", "noise", validity="valid", severity="important")
    t1.escalated(local(10, 3, 0, 30), "department_supervisor")
    t2 = h.ticket("complaint", local(10, 5, 9), category="noise", unit="3-1201", channel="visit")
    t2.classify(local(10, 5, 9, 30), "complaint", "noise", validity="communicative",
                communicative_type="venting")  # fmt: skip
    t2.resolve(local(10, 5, 13)).follow_up(local(10, 5, 15), 2)  # 4 h; unsatisfied: reopened
    t2.resolve(local(10, 6)).follow_up(local(10, 6, 12), 4)  # satisfied
    t1.escalated(local(10, 8, 0, 30), "project_manager")
    t1.resolve(local(10, 9, 0, 30)).follow_up(local(10, 9, 10), 5)  # 192 h
    t3 = h.ticket("repair", local(10, 10), category="plumbing", unit="5-302")
    t3_order = t3.order(local(10, 10), "engineering")
    t3.clock(local(10, 10), "general_fixed", "met").clock(
        local(10, 10), "order_collected_household", "late", breached=True
    )
    t3.complete(t3_order, local(10, 10, 13), "80.00")
    t3.resolve(local(10, 10, 14))  # 4 h, never followed up
    h.ticket("help", local(10, 12), help_category="G").event(
        "cancelled", local(10, 12, 1), reason="业主撤回", duplicate_of=None
    )
    t6 = h.ticket("suggestion", local(10, 15), category="cleaning", channel="letter")
    t6.order(local(10, 16), "cleaning")
    t4 = h.ticket("repair", local(10, 20, 8), category="electrical", channel="online")
    t4.complete(t4.order(local(10, 20, 8), "engineering"), local(10, 20, 12), "0.00")
    t4.clock(local(10, 20, 8), "urgent_fixed", None, breached=True)  # breached, still open
    t5 = h.ticket("inquiry", local(10, 31, 23, 59), category="other", channel="hotline")
    t5.resolve(local(11, 1, 0, 59)).follow_up(local(11, 1, 9), 4)  # 1 h
    # November: 00:30 on the 1st is November's
    h.ticket("complaint", local(11, 1, 0, 30), category="noise", unit="3-1201")
    # another site: one complaint in October, none in September
    h.ticket("complaint", local(10, 9), site="ohs", category="parking")
    return h


@pytest.fixture
def view(tmp_path, fixture_month: History) -> AnalyticsView:
    view = AnalyticsView(str(tmp_path / "analytics.sqlite3"), SITES)
    events = fixture_month.events
    view.apply([Delivery(seq, ev) for seq, ev in enumerate(events, start=1)])
    return view


def monthly(view: AnalyticsView, month: str = "2026-10") -> dict[str, Any]:
    return Reports(view).monthly("hbw", SITES.get("hbw"), month, AS_OF)  # type: ignore[arg-type]


def test_the_fixture_month_counts_every_contact_once_R12_4(view) -> None:
    report = monthly(view)
    assert (report["site"], report["site_name"], report["month"]) == ("hbw", "华碧屋村", "2026-10")
    assert (report["from"], report["to"]) == (
        "2026-10-01T00:00:00+08:00",
        "2026-11-01T00:00:00+08:00",
    )
    # t1 t2 t3 t4 t5 t6 and the withdrawn help request; not the duplicate, not November's
    assert report["contacts"] == 7
    assert report["cancelled"] == 1
    assert report["by_kind"] == {"inquiry": 1, "complaint": 2, "repair": 2, "suggestion": 1,
                                 "help": 1, "violation": 0, "paid_service": 0}  # fmt: skip
    assert report["by_category"] == {"cleaning": 1, "electrical": 1, "noise": 2, "other": 1,
                                     "plumbing": 1}  # fmt: skip
    assert report["by_channel"] == {"phone": 3, "visit": 1, "letter": 1, "online": 1,
                                    "inspection": 0, "forwarded": 0, "hotline": 1}  # fmt: skip
    assert report["by_validity"] == {"valid": 1, "communicative": 1, "unclassified": 0}
    # a communicative complaint has no severity: only the valid one is graded (R5.1–R5.3)
    assert report["by_severity"] == {"major": 0, "important": 1, "minor": 0, "unclassified": 0}


def test_escalations_clocks_and_resolution_times_of_the_fixture_month(view) -> None:
    """R12.8: the month summarises complaint handling (the ladder, resolution times) and
    work-order handling (the orders' clocks) for the superiors."""
    report = monthly(view)
    assert report["escalations"] == {"department_supervisor": 1, "project_manager": 1,
                                     "gm_office": 0}  # fmt: skip
    assert report["upgraded_to_major"] == 0
    assert report["clocks"] == {
        "general_fixed": {"started": 1, "met": 1, "late": 0, "open": 0, "breached": 0,
                          "compliance": 1.0},
        "order_collected_household": {"started": 1, "met": 0, "late": 1, "open": 0,
                                      "breached": 1, "compliance": 0.0},
        "urgent_fixed": {"started": 1, "met": 0, "late": 0, "open": 1, "breached": 1,
                         "compliance": 0.0},
    }  # fmt: skip
    # resolved: t5 1 h, t2 4 h (its first resolution), t3 4 h, t1 192 h
    assert report["resolution_hours"] == {"resolved": 4, "median": 4.0, "p90": 192.0}


def test_follow_up_satisfaction_and_reopen_rates_R11_1(view) -> None:
    report = monthly(view)
    assert report["follow_up"] == {"resolved": 4, "followed_up": 3, "rate": 0.75}  # not t3
    # four follow-ups (t1 5, t2 2 then 4, t5 4): three scored 4–5
    assert report["satisfaction"] == {"follow_ups": 4, "satisfied": 3, "rate": 0.75}
    assert report["reopen"] == {"resolved": 4, "reopened": 1, "rate": 0.25}


def test_repeat_units_money_departments_and_change_against_september(view) -> None:
    report = monthly(view)
    assert report["repeat_units"] == [{"unit": "3-1201", "complaints": 2}]  # t1, t2
    # completed in October: t3 80.00, s2 50.00 (issued in September), t4 free
    assert report["paid"] == {"orders": 2, "revenue": "130.00"}
    assert report["orders_by_department"] == {"cleaning": 1, "engineering": 2}
    assert report["top_categories"][:2] == [
        {"category": "noise", "count": 2, "previous": 1, "change": 1},
        {"category": "cleaning", "count": 1, "previous": 0, "change": 1},
    ]
    assert report["top_categories"][-1] == {
        "category": "plumbing", "count": 1, "previous": 1, "change": 0
    }  # fmt: skip
    assert report["change"] == {
        "contacts": {"this": 7, "previous": 2, "change": 5},
        "complaints": {"this": 2, "previous": 1, "change": 1},
        "repairs": {"this": 2, "previous": 1, "change": 1},
    }
    assert [p["month"] for p in report["trend"]] == months_back("2026-10", 6)
    no_care = {"care_residents": None, "care_visits": None, "care_visits_overdue": None}
    assert report["trend"][-2:] == [
        {"month": "2026-09", "contacts": 2, "complaints": 1, "satisfaction_rate": None,
         "clock_compliance": None, **no_care},
        {"month": "2026-10", "contacts": 7, "complaints": 2, "satisfaction_rate": 0.75,
         "clock_compliance": 0.3333, **no_care},
    ]  # fmt: skip
    assert report["analysis"] is None


def test_a_contact_at_0030_on_the_first_lands_in_that_month(view) -> None:
    november = monthly(view, "2026-11")
    assert november["contacts"] == 1
    assert november["by_kind"]["complaint"] == 1
    october = Reports(view).weekly("hbw", SITES.get("hbw"), "2026-W40", AS_OF)  # type: ignore[arg-type]
    # Monday 28 September to Sunday 4 October: t1 (1 October, 00:30); the duplicate left out
    assert (october["from"], october["to"]) == (
        "2026-09-28T00:00:00+08:00",
        "2026-10-05T00:00:00+08:00",
    )
    assert october["contacts"] == 1
    [complaint] = october["complaints"]
    assert (complaint["category"], complaint["validity"], complaint["severity"]) == (
        "noise", "valid", "important"
    )  # fmt: skip
    assert (complaint["status"], complaint["escalation_level"]) == ("closed", "project_manager")


def test_the_quality_pack_sets_the_sites_side_by_side_and_finds_what_got_worse_R12_3(
    view,
) -> None:
    """Complaints analysed by category (R5.7): the data show the weak points, the categories that
    got worse (R12.12)."""
    pack = Reports(view).quality(SITES, [], "2026-10", AS_OF)
    assert pack["months"] == months_back("2026-10", 6)
    hbw, ohs = pack["sites"]
    assert (hbw["site"], hbw["contacts"], hbw["complaints"], hbw["valid_complaints"]) == (
        "hbw", 7, 2, 1
    )  # fmt: skip
    assert (hbw["escalations"], hbw["paid_revenue"], hbw["resolution_median_hours"]) == (
        2, "130.00", 4.0
    )  # fmt: skip
    assert hbw["escalated_complaints"] == 1  # t1: one complaint, two ladder steps
    assert (ohs["site"], ohs["contacts"], ohs["complaints"]) == ("ohs", 1, 1)
    assert pack["company"]["contacts"] == 8
    assert pack["company"]["complaints"] == 3
    assert pack["company"]["paid_revenue"] == "130.00"
    # before September hbw had no contact yet: no data, not zero (and ohs began in October)
    assert pack["trend"]["hbw"]["contacts"] == [None, None, None, None, 2, 7]
    assert pack["trend"]["ohs"]["complaints"] == [None, None, None, None, None, 1]
    assert pack["worse"]["sites"] == [
        {"site": "hbw", "measure": "complaints", "previous": 1, "this": 2},
    ]
    assert pack["worse"]["categories"] == [
        {"category": "noise", "previous": 1, "this": 2, "change": 1},
        {"category": "parking", "previous": 0, "this": 1, "change": 1},
    ]


def test_the_quality_pack_is_read_in_its_sites_zone_when_they_share_one(view) -> None:
    assert Reports(view).quality(SITES, [], "2026-10", AS_OF)["timezone"] == "Asia/Shanghai"
    apart = SiteDirectory.model_validate(
        {"sites": {"hbw": {"name": "华碧屋村"},
                   "ohs": {"name": "Office tower", "timezone": "Asia/Tokyo"}}}
    )  # fmt: skip
    assert "timezone" not in Reports(view).quality(apart, [], "2026-10", AS_OF)


def test_a_republished_event_changes_no_fact(tmp_path, fixture_month: History) -> None:
    """After the duplicate window a relay may publish an event again, at a new sequence."""
    events = fixture_month.events
    once = AnalyticsView(str(tmp_path / "once.sqlite3"), SITES)
    once.apply([Delivery(seq, ev) for seq, ev in enumerate(events, start=1)])
    twice = AnalyticsView(str(tmp_path / "twice.sqlite3"), SITES)
    doubled = [ev for ev in events for _ in range(2)]
    twice.apply([Delivery(seq, ev) for seq, ev in enumerate(doubled, start=1)])
    assert monthly(once) == monthly(twice)
    assert once.checksum() == twice.checksum()


# -- what later events change, and what they must not ---------------------------------------------


def built(tmp_path, history: History) -> AnalyticsView:
    view = AnalyticsView(str(tmp_path / f"{uuid4().hex}.sqlite3"), SITES)
    view.apply([Delivery(seq, ev) for seq, ev in enumerate(history.events, start=1)])
    return view


def upgraded(t: TicketStory, at: datetime) -> TicketStory:
    return t.escalation(
        "complaint_upgraded", at, severity="major", due_at=at.isoformat(), notification=notified()
    )


def test_an_upgrade_to_major_survives_a_later_classification_R6_7(tmp_path) -> None:
    """Intake never hears of escalation's upgrade: a later `classify` (here only the category)
    repeats the severity intake knows."""
    h = History(recorded_from=RECORDED_FROM)
    t = h.ticket("complaint", local(10, 1), category="noise", unit="1-101")
    t.classify(local(10, 1, 11), "complaint", "noise", validity="valid", severity="important")
    upgraded(t, local(10, 31, 12))
    t.classify(local(10, 31, 13), "complaint", "security", validity="valid", severity="important")
    report = monthly(built(tmp_path, h))
    assert report["upgraded_to_major"] == 1
    assert report["by_severity"] == {"major": 1, "important": 0, "minor": 0, "unclassified": 0}


def test_a_duplicate_counts_nowhere_not_even_in_clocks_ladder_and_orders(tmp_path) -> None:
    h = History(recorded_from=RECORDED_FROM)
    first = h.ticket("complaint", local(10, 1), category="noise", unit="1-101")
    again = h.ticket("complaint", local(10, 2), category="noise", unit="1-101")
    again.escalated(local(10, 4), "department_supervisor")  # climbed before it was spotted
    repair = h.ticket("repair", local(10, 4), category="plumbing", unit="1-101")
    repair.order(local(10, 4), "engineering")
    repair.clock(local(10, 4), "general_fixed", "late", breached=True)
    for dup, at in ((again, local(10, 5)), (repair, local(10, 5, 11))):
        dup.event("cancelled", at, reason="重复", duplicate_of=str(first.id))
    report = monthly(built(tmp_path, h))
    assert report["contacts"] == 1
    assert report["escalations"] == {"department_supervisor": 0, "project_manager": 0,
                                     "gm_office": 0}  # fmt: skip
    assert report["clocks"] == {}
    assert report["orders_by_department"] == {}
    assert report["trend"][-1]["clock_compliance"] is None


def test_the_ladder_counts_complaints_only_as_they_are_classified_now_R6_4(tmp_path) -> None:
    h = History(recorded_from=RECORDED_FROM)
    t = h.ticket("complaint", local(10, 1), category="plumbing", unit="1-101")
    t.escalated(local(10, 3), "department_supervisor")
    t.classify(local(10, 4), "repair", "plumbing")  # it was a repair all along
    u = h.ticket("complaint", local(10, 1), category="noise", unit="1-102")
    u.classify(local(10, 1, 11), "complaint", "noise", validity="valid", severity="important")
    upgraded(u, local(10, 31, 12))
    u.classify(local(10, 31, 13), "inquiry", "noise")
    report = monthly(built(tmp_path, h))
    assert report["by_kind"]["complaint"] == 0
    assert report["escalations"]["department_supervisor"] == 0
    assert report["upgraded_to_major"] == 0


def test_a_breached_clock_stays_missed_when_a_referral_cancels_it_R7_3(tmp_path) -> None:
    h = History(recorded_from=RECORDED_FROM)
    t = h.ticket("repair", local(10, 6), category="plumbing", unit="1-101")
    t.clock(local(10, 6), "general_fixed", "cancelled", breached=True)
    u = h.ticket("repair", local(10, 6), category="plumbing", unit="1-102")
    u.clock(local(10, 6), "general_fixed", "met")
    clocks = monthly(built(tmp_path, h))["clocks"]
    assert clocks["general_fixed"]["breached"] == 1
    assert clocks["general_fixed"]["compliance"] == 0.5  # met 1 of 2 judged


def test_an_order_stays_with_the_department_it_was_issued_to_after_a_referral_R7_11(
    tmp_path,
) -> None:
    h = History(recorded_from=RECORDED_FROM)
    t = h.ticket("repair", local(10, 20), category="plumbing", unit="1-101")
    order = t.order(local(10, 20), "engineering")
    h.emit("hbw", order, "workorder.referred", local(11, 3), to_department="property_business",
           reason="不属于物业维修范围")  # fmt: skip
    assert monthly(built(tmp_path, h))["orders_by_department"] == {"engineering": 1}


def test_every_measure_of_the_quality_pack_has_its_column_heading_R12_3(view) -> None:
    """The pack's side-by-side table heads each column with the measure's name in Chinese and
    English (report_files/labels.py MEASURES); a measure without one showed its key
    (repeat_contacts) to the quality department."""
    pack = Reports(view).quality(SITES, [], "2026-10", AS_OF)
    for row in [*pack["sites"], pack["company"]]:
        unnamed = set(row) - {"site", "site_name"} - set(L.MEASURES)
        assert not unnamed, unnamed


def test_the_quality_pack_lists_a_site_whose_month_has_only_a_fee(tmp_path) -> None:
    h = History(recorded_from=RECORDED_FROM)
    t = h.ticket("repair", local(3, 20), site="ohs", category="plumbing")
    order = t.order(local(3, 20), "engineering")
    t.complete(order, local(10, 5), "200.00")  # the fee of a March repair, recorded in October
    pack = Reports(built(tmp_path, h)).quality(SITES, [], "2026-10", AS_OF)
    assert [(s["site"], s["contacts"], s["paid_revenue"]) for s in pack["sites"]] == [
        ("ohs", 0, "200.00")
    ]
    assert pack["company"]["paid_revenue"] == "200.00"


def test_lists_run_in_time_order_whatever_offset_the_desk_sent(tmp_path) -> None:
    h = History(recorded_from=RECORDED_FROM)
    # the later one was sent in UTC, the earlier one in Shanghai time: as text, 02:00Z < 09:00+08
    at_10, at_9 = local(10, 5, 10), local(10, 5, 9)
    later = h.ticket("suggestion", at_10, category="greening", received_at=at_10.isoformat())
    earlier = h.ticket("suggestion", at_9, category="greening",
                       received_at=at_9.astimezone(timezone(SH)).isoformat())  # fmt: skip
    weekly = Reports(built(tmp_path, h)).weekly("hbw", SITES.get("hbw"), "2026-W41", AS_OF)
    assert [s["ticket_no"] for s in weekly["suggestions"]] == [earlier.no, later.no]
    assert [s["received_at"] for s in weekly["suggestions"]] == [
        "2026-10-05T09:00:00+08:00",
        "2026-10-05T10:00:00+08:00",  # in the site's time, as the desk reads it
    ]


@pytest.mark.parametrize(
    ("hours", "median"), [([20.25], 20.3), ([1.0, 2.5], 1.8), ([0.05], 0.1), ([3.0], 3.0)]
)
def test_hours_and_rates_round_half_up_as_a_report_does(hours, median) -> None:
    from services.reporting.queries.month import half_up as _half_up
    from services.reporting.queries.month import rate as _rate

    assert _half_up(statistics.median(hours), 1) == median
    assert _rate(1, 32) == 0.0313 and _rate(1, 3) == 0.3333 and _rate(0, 0) is None


def test_a_case_with_no_category_and_no_order_has_no_responsible_department_R12_4(
    tmp_path,
) -> None:
    """Not the work orders' default (engineering): an inquiry the desk did not categorise is no
    department's, as escalation tells no department's supervisor of such a complaint (R6.3)."""
    h = History(recorded_from=RECORDED_FROM)
    h.ticket("inquiry", local(10, 5), category=None)
    h.ticket("complaint", local(10, 6), category=None)
    h.ticket("suggestion", local(10, 7), category="greening")
    ledger = monthly(built(tmp_path, h))["ledger"]
    assert [c["departments"] for c in ledger] == [[], [], ["greening"]]


def test_the_ledger_has_a_row_per_complaint_suggestion_and_inquiry_R12_4(view) -> None:
    """The 《客户投诉(建议、咨询)月汇总表》 lists each case: repairs and help requests have their
    own records; the responsible department is the work order's, else the category's."""
    ledger = monthly(view)["ledger"]
    assert [(c["kind"], c["unit"]) for c in ledger] == [
        ("complaint", "3-1201"), ("complaint", "3-1201"), ("suggestion", None),
        ("inquiry", None),
    ]  # fmt: skip
    t1, t2, t6, t5 = ledger
    assert t1["departments"] == ["security"]  # noise: no order, the routing's department
    assert t6["departments"] == ["cleaning"]  # its work order's
    assert t5["departments"] == ["property_business"]
    assert (t1["status"], t1["escalation_level"], t1["completed_at"]) == (
        "closed", "project_manager", "2026-10-09T00:30:00+08:00"
    )  # fmt: skip
    assert t1["follow_up"] == {"score": 5, "satisfied": True, "comment": None}
    # t2 was reopened after an unsatisfied call and resolved again: the latest of each counts
    assert (t2["reopened"], t2["completed_at"]) == (True, "2026-10-06T10:00:00+08:00")
    assert t2["follow_up"]["score"] == 4
    assert (t6["resolution"], t6["completed_at"], t6["follow_up"]) == (None, None, None)


def test_a_view_written_before_the_ledger_gets_its_columns(tmp_path, fixture_month) -> None:
    path = str(tmp_path / "old.sqlite3")
    old = AnalyticsView(path, SITES)
    with old.datastore.transaction(commit=True) as c:
        for column in ("resolution", "completed_at", "follow_up_score", "follow_up_comment"):
            c.execute(f"ALTER TABLE ticket_facts DROP COLUMN {column}")
    old.close()
    view = AnalyticsView(path, SITES)
    view.apply([Delivery(seq, ev) for seq, ev in enumerate(fixture_month.events, start=1)])
    assert len(monthly(view)["ledger"]) == 4


def test_every_repeat_contact_counts_in_the_month_it_was_received_R3_1_R16_1(tmp_path) -> None:
    """Issue 13 item 11: a ticket with four linked repeats is five contacts; a repeat in November
    of an October ticket is November's contact; a duplicate's repeats count nowhere."""
    h = History(recorded_from=RECORDED_FROM)
    t = h.ticket("complaint", local(10, 20), category="cleaning", unit="2-301")
    for n, at in enumerate((local(10, 21), local(10, 23), local(10, 31, 23, 59)), start=1):
        t.event("contact_linked", at, channel="phone", content="还是没人打扫",
                received_at=at.isoformat(), repeat_count=n)  # fmt: skip
    t.event("contact_linked", local(11, 1, 0, 30), channel="visit", content="第五次",
            received_at=local(11, 1, 0, 30).isoformat(), repeat_count=4)  # fmt: skip
    t.event("contact_linked", local(11, 1, 0, 30), channel="visit", content="第五次",
            received_at=local(11, 1, 0, 30).isoformat(), repeat_count=4)  # fmt: skip  # again
    dup = h.ticket("complaint", local(10, 22), category="cleaning", unit="2-301")
    dup.event("contact_linked", local(10, 22, 11), channel="phone", content="再来电",
              received_at=local(10, 22, 11).isoformat(), repeat_count=1)  # fmt: skip
    dup.event("cancelled", local(10, 22, 12), reason="重复", duplicate_of=str(t.id))
    view = built(tmp_path, h)

    october, november = monthly(view), monthly(view, "2026-11")
    assert (october["contacts"], october["tickets"], october["repeat_contacts"]) == (4, 1, 3)
    assert october["by_channel"]["phone"] == 4 and october["by_kind"]["complaint"] == 1
    assert (november["contacts"], november["tickets"], november["repeat_contacts"]) == (1, 0, 1)
    assert november["change"]["contacts"] == {"this": 1, "previous": 4, "change": -3}
    assert [p["contacts"] for p in november["trend"]][-2:] == [4, 1]
    quality = Reports(view).quality(SITES.sites, ["hbw"], "2026-11", AS_OF)
    assert quality["company"]["contacts"] == 1 and quality["trend"]["hbw"]["contacts"][-2:] == [
        4,
        1,
    ]


def test_only_customers_answers_count_in_satisfaction_and_follow_up_R13_17(tmp_path) -> None:
    """One definition (docs/REPORTS.md "Satisfaction"): a score of 4–5 is satisfied, whatever flag
    an older event carries, and an inspection finding, which has no customer, counts in neither
    rate (its follow-up, recorded by code before 2026-12 with an invented 5, is left out)."""
    h = History(recorded_from=RECORDED_FROM)
    finding = h.ticket("repair", local(10, 3), category="plumbing", channel="inspection")
    finding.resolve(local(10, 3, 12)).follow_up(local(10, 3, 15), 5)
    customer = h.ticket("repair", local(10, 4), category="plumbing")
    customer.resolve(local(10, 4, 12)).event(
        "followed_up", local(10, 4, 15), satisfied=True, score=3, comment=None
    )  # an older event whose flag contradicts its score: the score counts
    view = AnalyticsView(str(tmp_path / "analytics.sqlite3"), SITES)
    view.apply([Delivery(seq, ev) for seq, ev in enumerate(h.events, start=1)])

    report = monthly(view)

    assert report["satisfaction"] == {"follow_ups": 1, "satisfied": 0, "rate": 0.0}
    assert report["follow_up"] == {"resolved": 1, "followed_up": 1, "rate": 1.0}
    assert report["resolution_hours"]["resolved"] == 2


# -- the site-months the quality pack reads (views/analytics_months.py) ---------------------------


def fed(path, events: list[Any], how: str) -> AnalyticsView:
    """A view fed `events` in one batch, one event a batch, or as a rebuild (`bulk`, `finish`)."""
    view = AnalyticsView(str(path), SITES)
    deliveries = [Delivery(seq, ev) for seq, ev in enumerate(events, start=1)]
    if how == "one batch":
        view.apply(deliveries)
    elif how == "event by event":
        for delivery in deliveries:
            view.apply([delivery])
    else:
        view.bulk()
        view.apply(deliveries)
        view.finish()
    return view


def test_the_site_months_are_the_same_however_the_view_was_fed(tmp_path, fixture_month) -> None:
    views = {
        how: fed(tmp_path / f"{i}.sqlite3", fixture_month.events, how)
        for i, how in enumerate(("one batch", "event by event", "rebuild"))
    }
    # a view written before the site-months existed gets them when it is opened
    views["one batch"].close()
    with sqlite3.connect(tmp_path / "0.sqlite3") as db:
        db.execute("DROP TABLE site_months")
    db.close()
    views["before the site-months"] = AnalyticsView(str(tmp_path / "0.sqlite3"), SITES)
    del views["one batch"]
    packs = {
        how: [Reports(v).quality(SITES, ["hbw"], m, AS_OF) for m in ("2026-10", "2026-11")]
        for how, v in views.items()
    }
    assert len({repr(p) for p in packs.values()}) == 1, packs
    assert len({v.checksum() for v in views.values()}) == 1


def test_site_months_a_live_view_left_stale_are_recomputed_before_they_are_read(
    tmp_path, fixture_month, monkeypatch
) -> None:
    monkeypatch.setattr(analytics_months, "SETTLE_EVERY", 3600.0)  # no batch settles them
    live = fed(tmp_path / "live.sqlite3", fixture_month.events, "event by event")
    stale = live.rows("SELECT site, month FROM site_months_stale")
    live.close()  # as a crash would leave it: some site-months still to recompute
    reopened = AnalyticsView(str(tmp_path / "live.sqlite3"), SITES)
    rebuilt = fed(tmp_path / "rebuilt.sqlite3", fixture_month.events, "rebuild")

    assert stale
    assert Reports(reopened).quality(SITES, ["hbw"], "2026-10", AS_OF) == Reports(rebuilt).quality(
        SITES, ["hbw"], "2026-10", AS_OF
    )
    assert reopened.rows("SELECT * FROM site_months_stale") == []
    assert reopened.checksum() == rebuilt.checksum()


def test_the_batches_recompute_a_slow_site_month_less_often_and_a_reader_still_sees_it_all(
    tmp_path, fixture_month, monkeypatch
) -> None:
    """A recompute reads every fact of its site-month, so it grows with the month: after one
    that took 0.5 s the batches wait 0.5 / SETTLE_SHARE = 10 s before the next (issue 15), and
    the rows they leave stale meanwhile are recomputed when someone reads them."""
    now = [0.0]
    recompute = analytics_months.settle

    def slow(c, *site) -> bool:
        now[0] += 0.5
        return recompute(c, *site)

    monkeypatch.setattr(analytics_months, "settle", slow)
    view = AnalyticsView(str(tmp_path / "live.sqlite3"), SITES, timer=lambda: now[0])
    deliveries = [Delivery(seq, ev) for seq, ev in enumerate(fixture_month.events, start=1)]
    half = len(deliveries) // 2

    def stale() -> list[dict[str, Any]]:
        return view.rows("SELECT site, month FROM site_months_stale")

    now[0] = 1.0  # SETTLE_EVERY after the view opened: the first batch recomputes
    view.apply(deliveries[:1])
    assert stale() == []
    now[0] = 9.0  # 7.5 s after that recompute ended: not yet
    view.apply(deliveries[1:half])
    assert stale()
    now[0] = 11.5  # 10 s after
    view.apply(deliveries[half:])
    assert stale() == []

    rebuilt = fed(tmp_path / "rebuilt.sqlite3", fixture_month.events, "rebuild")
    now[0] = 12.0
    view.apply([Delivery(len(deliveries) + 1, fixture_month.events[-1])])  # nothing new
    assert view.checksum() == rebuilt.checksum()
    # a fast recompute brings the interval back to SETTLE_EVERY, never below
    monkeypatch.setattr(analytics_months, "settle", recompute)
    again = AnalyticsView(str(tmp_path / "again.sqlite3"), SITES, timer=lambda: now[0])
    now[0] = 13.0
    again.apply(deliveries[:1])
    now[0] = 13.5
    again.apply(deliveries[1:half])
    assert again.rows("SELECT 1 FROM site_months_stale")
    now[0] = 14.0
    again.apply(deliveries[half:])
    assert again.rows("SELECT 1 FROM site_months_stale") == []
    assert Reports(again).quality(SITES, ["hbw"], "2026-10", AS_OF) == Reports(rebuilt).quality(
        SITES, ["hbw"], "2026-10", AS_OF
    )


def test_a_sites_monthly_report_recomputes_its_own_stale_site_months_only(
    tmp_path, fixture_month, monkeypatch
) -> None:
    """A site's monthly report reads only its own first month from the site-months: it leaves
    the other sites' stale rows to the batches (or the quality pack, which reads them all)."""
    monkeypatch.setattr(analytics_months, "SETTLE_EVERY", 3600.0)  # no batch settles them
    live = fed(tmp_path / "live.sqlite3", fixture_month.events, "event by event")
    rebuilt = fed(tmp_path / "rebuilt.sqlite3", fixture_month.events, "rebuild")

    def stale() -> set[str]:
        return {r["site"] for r in live.rows("SELECT site FROM site_months_stale")}

    assert stale() == {"hbw", "ohs"}
    assert monthly(live) == monthly(rebuilt)
    assert stale() == {"ohs"}
    assert Reports(live).quality(SITES, [], "2026-10", AS_OF) == Reports(rebuilt).quality(
        SITES, [], "2026-10", AS_OF
    )
    assert stale() == set()
    assert live.checksum() == rebuilt.checksum()


def test_a_ticket_marked_duplicate_later_takes_its_fee_out_of_the_pack(tmp_path) -> None:
    h = History(recorded_from=RECORDED_FROM)
    first = h.ticket("repair", local(9, 1), category="plumbing", unit="1-101")
    again = h.ticket("repair", local(9, 2), category="plumbing", unit="1-101")
    # September's repair, paid in October: the fee's month is not the ticket's
    again.complete(again.order(local(9, 2), "engineering"), local(10, 3), "200.00")
    view = AnalyticsView(str(tmp_path / "live.sqlite3"), SITES)
    events = h.events
    view.apply([Delivery(seq, ev) for seq, ev in enumerate(events, start=1)])
    assert Reports(view).quality(SITES, [], "2026-10", AS_OF)["company"]["paid_revenue"] == (
        "200.00"
    )
    again.event("cancelled", local(10, 5), reason="重复", duplicate_of=str(first.id))
    view.apply([Delivery(len(h.events), h.events[-1])])  # a later batch
    pack = Reports(view).quality(SITES, [], "2026-10", AS_OF)
    assert (pack["company"]["paid_revenue"], pack["sites"][0]["paid_revenue"]) == ("0.00", "0.00")
    assert pack == Reports(fed(tmp_path / "rebuilt.sqlite3", h.events, "rebuild")).quality(
        SITES, [], "2026-10", AS_OF
    )
