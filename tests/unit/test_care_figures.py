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
