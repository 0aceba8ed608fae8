"""The month's maintenance notices in the monthly report (维修通告, R7.9, R16.6;
docs/OUTAGES.md): what intake publishes, folded by the analytics view and counted in the month
its work or outage starts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.intake.adapters.translate import Translator
from services.reporting.queries.figures import Reports
from services.reporting.views.analytics import AnalyticsView
from shared.contracts import maintenance_commands as mc
from shared.kernel.sites import SiteDirectory
from shared.messaging.inbox import Delivery
from tests.unit.test_maintenance_notices import T0, _announce

SITES = SiteDirectory(strict=False)


def _published(app) -> list:
    translate = Translator(app.reporters_of)
    events = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000)]
    return [e for e in map(translate, events) if e is not None]


def test_the_month_counts_notices_on_time_and_late_outages_and_linked_contacts_R7_9_R16_6(
    app, ctx, report_cmd, clock, tmp_path
):
    tomorrow = T0 + timedelta(days=1)
    app.execute(
        ctx,
        _announce(
            client_ref="work",
            kind="planned_work",
            starts_at=tomorrow.isoformat(),
            expected_end=(tomorrow + timedelta(hours=3)).isoformat(),
        ),
    )
    app.execute(
        ctx,
        _announce(
            client_ref="late",
            kind="planned_work",
            starts_at=(T0 + timedelta(hours=2)).isoformat(),
            expected_end=(T0 + timedelta(hours=3)).isoformat(),
        ),
    )
    app.execute(ctx, _announce(client_ref="water"))  # 2 hours, building 3
    app.execute(ctx, report_cmd(client_ref="c-1"))  # from 3-1201: linked
    clock.advance(timedelta(hours=3))
    app.execute(ctx, mc.EndNotice(staff_id="S017", notice_id="water", outcome="restored"))

    view = AnalyticsView(str(tmp_path / "analytics.sqlite3"), SITES)
    view.apply([Delivery(seq, ev) for seq, ev in enumerate(_published(app), start=1)])
    as_of = datetime(2026, 12, 2, tzinfo=UTC)
    report = Reports(view).monthly("hbw", SITES.get("hbw"), "2026-11", as_of)  # type: ignore[arg-type]
    figures = report["maintenance"]
    assert figures | {"outage_hours": None} == {
        "notices": 3, "planned": 2, "on_time": 1, "late": 1, "emergency": 1, "outages": 1,
        "restored": 1, "outage_hours": None, "longest_outage_hours": 3.0,
        "restored_after_expected": 1, "revised": 0, "contacts_linked": 1, "cancelled": 0,
    }  # fmt: skip
    assert figures["outage_hours"] == 3.0
