"""What the desk tells people: the promises made to the customer at intake (R3.9) and times in
the site's zone (shared/kernel/sites.py SiteConfig.promises, shared/kernel/local_time.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.kernel.local_time import offset_label, shown
from shared.kernel.sites import SiteConfig
from shared.kernel.vocabulary import Kind

SITE = SiteConfig()  # Asia/Shanghai, calendar time
T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
SHANGHAI = ZoneInfo("Asia/Shanghai")


def promised(
    kind: Kind,
    channel: str = "phone",
    category: str | None = None,
    content: str = "",
    appointment: datetime | None = None,
) -> list[tuple[str, datetime]]:
    return [
        (p.clock, p.due_at)
        for p in SITE.promises(kind, channel, category, content, T0, appointment)
    ]


def test_an_urgent_repair_is_promised_on_site_in_2_hours_and_fixed_in_24_R7_3():
    assert promised(Kind.repair, category="electrical", content="整栋楼停电") == [
        ("urgent_on_site", T0 + timedelta(hours=2)),
        ("urgent_fixed", T0 + timedelta(hours=24)),
    ]


def test_a_general_repair_is_promised_its_visit_and_the_fix_72_hours_after_it_R7_3_R7_5():
    visit = T0 + timedelta(days=1)
    assert promised(Kind.repair, category="plumbing", content="水龙头滴水", appointment=visit) == [
        ("appointment", visit),
        ("general_fixed", visit + timedelta(hours=72)),
    ]
    assert promised(Kind.repair, category="plumbing", content="水龙头滴水") == [
        ("general_fixed", T0 + timedelta(hours=72))
    ]


def test_a_help_request_is_promised_an_answer_in_5_minutes_R10_2():
    assert promised(Kind.help) == [("help_reply", T0 + timedelta(minutes=5))]


def test_a_complaint_is_promised_a_reply_within_the_ladders_first_2_days_R6_4_R6_8():
    assert promised(Kind.complaint) == [("complaint_reply", T0 + timedelta(days=2))]


@pytest.mark.parametrize("kind", [Kind.inquiry, Kind.suggestion])
def test_inquiries_and_suggestions_have_no_time_to_promise_G5(kind):
    assert promised(kind) == []


@pytest.mark.parametrize("kind", list(Kind))
def test_an_inspection_finding_has_no_customer_and_is_promised_nothing_R13_17(kind):
    assert promised(kind, channel="inspection", category="plumbing") == []


def test_every_promise_is_in_the_sites_zone():
    for _, due in promised(Kind.repair, category="electrical", content="整栋楼停电"):
        assert due.utcoffset() == timedelta(hours=8)


def test_a_time_is_shown_in_the_sites_zone_and_says_which():
    assert (
        shown(datetime(2026, 12, 5, 7, 5, tzinfo=UTC), SHANGHAI) == "2026-12-05 15:05 (UTC+08:00)"
    )
    assert shown("2026-12-05T07:05:00Z", SHANGHAI) == "2026-12-05 15:05 (UTC+08:00)"
    assert shown("2026-12-05T07:05:00Z") == "2026-12-05 07:05 (UTC+00:00)"  # no zone: as sent
    assert offset_label(datetime(2026, 1, 1, tzinfo=ZoneInfo("America/St_Johns"))) == "UTC-03:30"
    with pytest.raises(ValueError, match="timezone-aware"):
        shown(datetime(2026, 12, 5, 7, 5))
