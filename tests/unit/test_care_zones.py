"""A special-care resident's visit reminder names her zone (R11.10, R1.3; docs/RESIDENTS.md):
escalation keeps where residents live from intake's file on DESK (unit.registered/corrected,
resident.moved_in/moved_out), and the reminder to cs_assistant names the zone of the units she
lives in when it goes out; none known, or two: site-wide."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.utils import get_topic

from services.escalation.adapters.translate import translate
from services.escalation.domain.care_visits import CareVisits, care_board_id_for
from services.escalation.domain.homes import zone_of_home
from shared.contracts.escalation_events import Notification, notification_of
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.kernel.zones import in_zones
from shared.messaging.inbox import Delivery
from tests.support.stored import written_before
from tests.unit.test_escalation_application import T0, Feed, app_on

DAY = timedelta(days=1)
FILE = {"resident_ref": "HBW-0001", "kind": "owner", "special_care": True}


def test_her_zone_is_the_one_zone_all_her_units_are_in_else_site_wide_R1_3_R11_10() -> None:
    assert zone_of_home(["A区"]) == "A区"
    assert zone_of_home(["A区", " a区 "]) == "A区"  # one zone, spelt twice
    assert zone_of_home(["A区", "B区"]) is None  # two zones: neither loses her
    assert zone_of_home(["A区", None]) is None  # a unit with no zone: nobody's area
    assert zone_of_home([]) is None  # no unit on file


class Recording:
    """The application, with every delivery from DESK it was given kept."""

    def __init__(self, app: Any) -> None:
        self.app, self.delivered = app, list[Delivery]()

    def apply(self, deliveries: list[Delivery]) -> None:
        self.delivered.extend(deliveries)
        self.app.apply(deliveries)


class Site:
    """A site's file on DESK as escalation follows it, on a fixed clock."""

    def __init__(self, sites: SiteDirectory | None = None) -> None:
        self.clock = FixedClock(T0)
        self.app = app_on(self.clock, sites=sites)
        self.desk = Recording(self.app)
        self.feed = Feed(self.desk)  # type: ignore[arg-type]
        self.resident = uuid4()
        self.units: dict[str, UUID] = {}

    def unit(self, ref: str, zone: str | None, *, at: Any = T0, corrected: bool = False) -> None:
        unit_id = self.units.setdefault(ref, uuid4())
        kind = "unit.corrected" if corrected else "unit.registered"
        self.feed(kind, unit_id, at, unit_ref=ref, place_kind="room", building=ref[0],
                  room=ref[2:], zone=zone)  # fmt: skip

    def move(self, kind: str, ref: str, at: Any) -> None:
        self.feed(f"resident.{kind}", self.resident, at, resident_ref="HBW-0001",
                  unit_id=self.units[ref], unit_ref=ref, on=at.date())  # fmt: skip

    def flag(self, at: Any = T0) -> None:
        self.feed("resident.registered", self.resident, at, **FILE)

    def visited(self, at: Any) -> None:
        self.feed("resident.care_visited", self.resident, at, schema_version=2,
                  resident_ref="HBW-0001", visited_at=at)  # fmt: skip

    def reminded(self, at: Any) -> Notification:
        """The clock moved to `at`: the one reminder it raised, as notified."""
        seen = self.app.recorder.max_notification_id() or 0
        self.clock.set(at)
        assert [d["event"] for d in self.app.tick()] == ["care_visit_due"]
        [told] = [n for n in notified(self.app, seen + 1)]
        return told

    def board(self) -> CareVisits:
        return self.app.get(care_board_id_for(self.resident), CareVisits)


def notified(app: Any, start: int = 1) -> list[Notification]:
    stored = app.recorder.select_notifications(start, 10_000)
    published = [translate(app.mapper.to_domain_event(e)) for e in stored]
    return [n for p in published if p and (n := notification_of(p))]


def test_a_reminder_names_her_units_zone_and_a_move_during_the_wait_moves_it_R11_10_R1_3():
    site = Site()
    site.unit("3-201", "A区")
    site.unit("5-101", "B区")
    site.flag()
    site.move("moved_in", "3-201", T0 + DAY)
    told = site.reminded(T0 + 30 * DAY)
    assert (told.role.value, told.zone) == ("cs_assistant", "A区")
    assert in_zones(told.zone, ["a区"]) and not in_zones(told.zone, ["B区"])
    # visited, then moved to B区 during the next wait: the next reminder is B区's
    site.visited(T0 + 31 * DAY)
    site.move("moved_out", "3-201", T0 + 32 * DAY)
    site.move("moved_in", "5-101", T0 + 32 * DAY)
    assert site.reminded(T0 + 61 * DAY).zone == "B区"


def test_a_resident_with_no_unit_or_units_in_two_zones_is_reminded_site_wide_R11_10_R1_3():
    site = Site()
    site.flag()
    assert site.reminded(T0 + 30 * DAY).zone is None  # no unit on file
    site.unit("3-201", "A区")
    site.unit("5-101", "B区")
    site.move("moved_in", "3-201", T0 + 31 * DAY)
    site.move("moved_in", "5-101", T0 + 31 * DAY)
    assert site.board().zone is None  # two zones
    site.visited(T0 + 31 * DAY)
    assert site.reminded(T0 + 61 * DAY).zone is None


def test_flagged_after_moving_in_and_her_units_zone_corrected_R11_10_R1_3() -> None:
    site = Site()
    site.unit("3-201", None)  # no zone on file yet
    site.feed("resident.registered", site.resident, T0, **FILE | {"special_care": False})
    site.move("moved_in", "3-201", T0)
    site.feed("resident.corrected", site.resident, T0 + DAY, **FILE)  # flagged now
    assert site.board().zone is None
    site.unit("3-201", "C区", at=T0 + 2 * DAY, corrected=True)  # the file gives it a zone
    assert site.reminded(T0 + 31 * DAY).zone == "C区"


def test_escalation_rebuilt_from_desk_reaches_the_same_zone_R11_10_R1_3() -> None:
    site = Site()
    site.unit("3-201", "A区")
    site.flag()
    site.move("moved_in", "3-201", T0 + DAY)
    site.unit("3-201", "D区", at=T0 + 2 * DAY, corrected=True)
    rebuilt = app_on(FixedClock(T0 + 2 * DAY))
    rebuilt.apply(site.desk.delivered)  # the same DESK, from its start
    found = rebuilt.get(care_board_id_for(site.resident), CareVisits)
    assert found.zone == site.board().zone == "D区"


def test_a_reminder_to_another_visiting_role_names_no_zone_R11_10() -> None:
    sites = SiteDirectory.model_validate(
        {"sites": {"hbw": {"residents": {"care_visit_role": "receptionist"}}}}
    )
    site = Site(sites)
    site.unit("3-201", "A区")
    site.flag()
    site.move("moved_in", "3-201", T0)
    assert site.board().zone == "A区"
    told = site.reminded(T0 + 30 * DAY)
    assert (told.role.value, told.zone) == ("receptionist", None)


def test_a_reminder_stored_before_residents_had_zones_loads_site_wide_R11_10() -> None:
    site = Site()
    site.unit("3-201", "A区")
    site.flag()
    site.move("moved_in", "3-201", T0)
    site.reminded(T0 + 30 * DAY)
    stored = site.app.recorder.select_notifications(1, 1000)
    old = [written_before(e, {CareVisits.VisitOverdue: ("zone",)}) for e in stored]
    assert sum(1 for e in old if e.topic == get_topic(CareVisits.VisitOverdue)) == 1
    after = app_on(FixedClock(T0 + 30 * DAY))
    after.recorder.insert_events(old)
    [told] = notified(after)
    assert told.reason == "care_visit_due" and told.zone is None  # class version 1: none
