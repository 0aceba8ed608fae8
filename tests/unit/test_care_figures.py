"""The special-care residents' month in the company quality pack (R11.10; docs/REPORTS.md): from
the published resident and escalation events, on a fixed clock, the residents on the care roll at
the month's end, the visits made in the month (by when they were made, the site's calendar) and
the residents reminded that a visit was overdue — nothing for a site without any."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.reporting.queries.figures import Reports
from services.reporting.views.analytics import AnalyticsView
from services.reporting.views.care_facts import FIGURES
from shared.kernel.sites import SiteDirectory
from shared.messaging.inbox import Delivery
from tests.unit.test_as_of_folding import envelope

SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "华碧屋村"}, "ohs": {"name": "Office tower"}}}
)  # both in Shanghai: 16:00 UTC is midnight
AS_OF = datetime(2026, 12, 31, 4, 0, tzinfo=UTC)
ZHANG, ZHAO, LI = uuid4(), uuid4(), uuid4()  # residents
BOARD = uuid4()  # escalation's care board of Zhao


def at(day: str, hour: int = 2, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


def filed(resident: UUID, version: int, when: datetime, care: bool, ref: str) -> Any:
    event = "resident.registered" if version == 1 else "resident.corrected"
    return envelope(event, resident, version, when, resident_ref=ref, kind="tenant",
                    special_care=care)  # fmt: skip


def visited(resident: UUID, version: int, entered: datetime, made: datetime | None) -> Any:
    return envelope("resident.care_visited", resident, version, entered, resident_ref="HBW-0001",
                    visited_at=made)  # fmt: skip


def reminded(version: int, when: datetime) -> Any:
    notification = {"notification_id": uuid4(), "role": "cs_assistant"}
    return envelope("escalation.care_visit_due", BOARD, version, when, ticket_id=ZHAO,
                    ticket_no="HBW-0002", due_at=when, notification=notification)  # fmt: skip


EVENTS = [
    filed(ZHANG, 1, at("2026-10-20"), True, "HBW-0001"),  # on the roll since October
    filed(ZHAO, 1, at("2026-11-02"), False, "HBW-0002"),  # filed, not flagged…
    filed(ZHAO, 2, at("2026-11-05"), True, "HBW-0002"),  # …flagged in November
    filed(LI, 1, at("2026-11-10"), True, "HBW-0003"),
    filed(LI, 2, at("2026-11-20"), False, "HBW-0003"),  # cleared: off the roll
    visited(ZHANG, 2, at("2026-11-15"), None),  # schema 1: made when it was entered
    # made at 23:00 on 30 November (Shanghai), entered on 1 December: November's
    visited(ZHANG, 3, at("2026-12-01", 1), at("2026-11-30", 15)),
    reminded(1, at("2026-11-20")),
    reminded(2, at("2026-11-28")),  # Zhao again in the month: one resident left waiting
    visited(ZHANG, 4, at("2026-12-02"), at("2026-11-30", 16, 30)),  # 00:30 on 1 December
    filed(ZHAO, 3, at("2026-11-30", 16, 30), False, "HBW-0002"),  # cleared on 1 December
]


def view(tmp_path, name: str, batches: list[list[Any]], rebuild: bool = False) -> AnalyticsView:
    built = AnalyticsView(str(tmp_path / f"{name}.sqlite3"), SITES)
    if rebuild:
        built.bulk()
    seq = 0
    for batch in batches:
        built.apply([Delivery(seq + n, ev) for n, ev in enumerate(batch, start=1)])
        seq += len(batch)
    if rebuild:
        built.finish()
    return built


def care(pack: dict[str, Any], site: str | None = None) -> tuple[Any, ...]:
    row = pack["company"] if site is None else next(s for s in pack["sites"] if s["site"] == site)
    return row["care_residents"], row["care_visits"], row["care_visits_overdue"]


@pytest.fixture
def live(tmp_path) -> AnalyticsView:
    """Fed as the consumer feeds it: one event a batch."""
    return view(tmp_path, "live", [[e] for e in EVENTS])


def test_the_months_care_roll_visits_made_and_residents_left_waiting_R11_10(live) -> None:
    reports = Reports(live)
    november = reports.quality(SITES, ["hbw", "ohs"], "2026-11", AS_OF)
    # Zhang and Zhao on the roll at the end of November (Li cleared); Zhang's two visits made in
    # November, the second entered in December; Zhao reminded twice, one resident waiting
    assert care(november, "hbw") == (2, 2, 1)
    december = reports.quality(SITES, ["hbw", "ohs"], "2026-12", AS_OF)
    assert care(december, "hbw") == (1, 1, 0)  # Zhao cleared; the visit made at 00:30 on the 1st
    assert care(reports.quality(SITES, ["hbw"], "2026-09", AS_OF), "hbw") == (None, None, None)
    october = reports.quality(SITES, ["hbw"], "2026-10", AS_OF)
    assert care(october, "hbw") == (1, 0, 0)  # on the roll, not yet due: zeros, not "no data"


def test_a_site_without_special_care_residents_shows_no_figure_and_the_company_adds_up_R11_10(
    live,
) -> None:
    november = Reports(live).quality(SITES, ["hbw", "ohs"], "2026-11", AS_OF)
    assert care(november, "ohs") == (None, None, None)  # as visit_weeks_met without households
    assert care(november) == (2, 2, 1)  # the company's: the sites with figures, summed


def test_a_rebuild_and_a_redelivery_make_the_same_care_facts_and_checksum_R11_10(
    tmp_path, live
) -> None:
    rebuilt = view(tmp_path, "rebuilt", [EVENTS], rebuild=True)
    doubled = view(tmp_path, "doubled", [[e, e] for e in EVENTS])  # republished after the window
    assert live.checksum() == rebuilt.checksum() == doubled.checksum()
    packs = [Reports(v).quality(SITES, ["hbw"], "2026-11", AS_OF) for v in (live, doubled)]
    assert care(packs[0], "hbw") == care(packs[1], "hbw") == (2, 2, 1)
    with sqlite3.connect(tmp_path / "rebuilt.sqlite3") as db:  # the care facts are checked
        db.execute("UPDATE care_facts SET month = '2026-10' WHERE what = 'overdue'")
    assert rebuilt.checksum() != live.checksum()


def trend(pack: dict[str, Any], site: str = "hbw") -> tuple[list[Any], ...]:
    series = pack["trend"][site]
    return series["care_residents"], series["care_visits"], series["care_visits_overdue"]


def test_the_trend_has_six_months_of_the_roll_visits_and_residents_left_waiting_R11_10(
    live,
) -> None:
    """Each month as the month's own figures: null before anyone was on the roll (not the
    contacts' first month: the site has none), and after the last fact the roll carries on
    with no visit and nobody reminded."""
    reports = Reports(live)
    december = reports.quality(SITES, ["hbw", "ohs"], "2026-12", AS_OF)
    no = [None, None, None]
    assert trend(december) == ([*no, 1, 2, 1], [*no, 0, 2, 1], [*no, 0, 1, 0])
    assert trend(december, "ohs") == ([None] * 6,) * 3
    assert december["trend"]["hbw"]["contacts"] == [None] * 6  # the pack's rule for the rest
    february = reports.quality(SITES, ["hbw"], "2027-02", AS_OF)
    assert trend(february) == ([None, 1, 2, 1, 1, 1], [None, 0, 2, 1, 0, 0], [None, 0, 1, 0, 0, 0])
    for month, pack in (("2026-12", december), ("2027-02", february)):
        assert [s[-1] for s in trend(pack)] == list(care(pack, "hbw")), month  # the month's row
    # the monthly report's trend: the same series, month by month
    config = SITES.get("hbw")
    assert config is not None
    points = reports.monthly("hbw", config, "2027-02", AS_OF)["trend"]
    assert tuple([p[k] for p in points] for k in FIGURES) == trend(february)


def test_a_flag_that_arrives_after_a_later_months_visit_counts_in_that_month_R11_10(
    tmp_path,
) -> None:
    """A month's roll is kept in its row: a flag of November that arrives after December's row
    was written (another service's event, published later) changes December's roll too."""
    zhao = [e for e in EVENTS if e.aggregate_id == ZHAO][:2]  # flagged in November, never cleared
    zhang = [e for e in EVENTS if e.aggregate_id == ZHANG]  # December's visit among them
    late = view(tmp_path, "late", [[e] for e in zhang + zhao])
    december = Reports(late).quality(SITES, ["hbw"], "2026-12", AS_OF)
    assert care(december, "hbw") == (2, 1, 0)  # Zhang and Zhao on the roll
    rebuilt = view(tmp_path, "rebuilt", [zhang + zhao], rebuild=True)
    assert late.checksum() == rebuilt.checksum()


def test_a_replay_and_a_view_opened_without_the_care_months_give_the_same_figures_R11_10(
    tmp_path, live
) -> None:
    """`propdesk replay analytics` rebuilds the care months at its end (bulk/finish); a view
    written before the table fills it from its care facts when it is opened."""
    rebuilt = view(tmp_path, "rebuilt", [EVENTS], rebuild=True)
    older = view(tmp_path, "older", [[e] for e in EVENTS])
    older.close()
    with sqlite3.connect(tmp_path / "older.sqlite3") as db:
        db.execute("DROP TABLE care_months")
    reopened = AnalyticsView(str(tmp_path / "older.sqlite3"), SITES)
    packs = [
        Reports(v).quality(SITES, ["hbw"], "2026-12", AS_OF) for v in (live, rebuilt, reopened)
    ]
    assert [trend(p) for p in packs] == [trend(packs[0])] * 3
    assert [care(p, "hbw") for p in packs] == [(1, 1, 0)] * 3
    assert live.checksum() == rebuilt.checksum() == reopened.checksum()
    kept = "SELECT * FROM care_months ORDER BY site, month"
    assert live.rows(kept) == rebuilt.rows(kept) == reopened.rows(kept)
    assert [r["month"] for r in live.rows(kept)] == ["2026-10", "2026-11", "2026-12"]


def test_a_rise_in_residents_left_waiting_is_a_site_getting_worse_R11_10(live) -> None:
    """As a rise in complaints: October had Zhang on the roll and nobody waiting, November Zhao
    waiting past her visit; December nobody again (a fall is not worse), and September had no
    figure at all, so October is compared with nothing."""
    reports = Reports(live)
    waiting = {"site": "hbw", "measure": "care_visits_overdue", "previous": 0, "this": 1}
    november = reports.quality(SITES, ["hbw", "ohs"], "2026-11", AS_OF)
    assert waiting in november["worse"]["sites"]
    assert all(w["site"] == "hbw" for w in november["worse"]["sites"])  # ohs has no figure
    for month in ("2026-10", "2026-12"):
        pack = reports.quality(SITES, ["hbw"], month, AS_OF)
        assert not [w for w in pack["worse"]["sites"] if w["measure"].startswith("care")], month


def test_a_site_whose_only_facts_are_special_care_is_in_the_pack_R11_10(live) -> None:
    """A directory that lists no site (not strict): the pack's sites are those with facts in
    its six months, and a site's special-care residents, visits and reminders are facts too —
    else its residents left waiting would be missing from the company's figures."""
    november = Reports(live).quality(SITES, [], "2026-11", AS_OF)
    assert [s["site"] for s in november["sites"]] == ["hbw"]  # no contact, no order at all
    assert care(november, "hbw") == care(november) == (2, 2, 1)
