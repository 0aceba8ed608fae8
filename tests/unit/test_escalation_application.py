"""Escalation's policy: which clocks the events on DESK start, stop and pause (docs/DOMAIN.md §5),
and decisions taken once, also by a restarted application on the same store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from services.escalation.application import EscalationApp
from services.escalation.application.schedule import Schedule
from services.escalation.domain import Cause, TicketClocks, board_id_for
from shared.contracts.events import EVENT_TYPES
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.kernel.worktime import CalendarTime
from shared.messaging.inbox import Delivery

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
TICKET, ORDER = uuid4(), uuid4()


class Feed:
    """Deliveries from DESK, numbered as the stream would."""

    def __init__(self, app: EscalationApp) -> None:
        self.app = app
        self.seq = 0
        self.versions: dict[UUID, int] = {}

    def __call__(self, event_type: str, aggregate: UUID, at: datetime, *, schema_version: int = 1,
                 **data: Any) -> None:  # fmt: skip
        self.seq += 1
        self.versions[aggregate] = self.versions.get(aggregate, 0) + 1
        envelope = EVENT_TYPES[event_type].model_validate(
            {
                "event_id": uuid4(), "event_type": event_type, "schema_version": schema_version,
                "site": "hbw", "aggregate_id": aggregate,
                "aggregate_version": self.versions[aggregate], "occurred_at": at,
                "recorded_at": at, "correlation_id": "corr-1", "causation_id": None,
                "actor": "S01", "data": data,
            }
        )  # fmt: skip
        self.app.apply([Delivery(self.seq, envelope)])


def app_on(clock: FixedClock, path: Path | None = None,
           sites: SiteDirectory | None = None) -> EscalationApp:  # fmt: skip
    if path is None:
        env, schedule = {"PERSISTENCE_MODULE": "eventsourcing.popo"}, Schedule(":memory:")
    else:
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
               "SQLITE_DBNAME": str(path / "escalation.sqlite3")}  # fmt: skip
        schedule = Schedule(str(path / "schedule.sqlite3"))
    return EscalationApp(env, clock, sites or SiteDirectory(strict=False), schedule=schedule)


def reported(feed: Feed, **overrides: Any) -> None:
    data = {
        "ticket_no": "HBW-202611-0001", "client_ref": "r-1", "channel": "phone",
        "kind": "repair", "category": "plumbing", "help_category": None, "unit": "3-201",
        "content": "厨房水管漏水", "received_at": T0, "appointment": None,
    } | overrides  # fmt: skip
    feed("ticket.reported", TICKET, T0, **data)


def issued(feed: Feed, at: datetime, **overrides: Any) -> None:
    data = {
        "ticket_id": TICKET, "order_no": "HBW-202611-0001-W1", "origin": "automatic",
        "department": "engineering", "category": "plumbing", "urgency": "general",
        "scope": "household", "unit": "3-201", "content": "厨房水管漏水", "appointment": None,
        "leak": False, "rework_of": None, "free_of_charge": False, "reason": None,
    } | overrides  # fmt: skip
    feed("workorder.issued", ORDER, at, **data)


def clocks(app: EscalationApp) -> dict[str, tuple[str, str | None]]:
    board = app.get(board_id_for(TICKET), TicketClocks)
    return {key: (c["state"], c["outcome"]) for key, c in board.clocks.items()}


def test_a_repair_runs_its_clocks_from_receipt_to_completion_R7_3_R7_6_R7_7() -> None:
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    assert clocks(app) == {"order_issued_household": ("running", None)}

    issued(feed, T0 + timedelta(minutes=1))
    feed("workorder.collected", ORDER, T0 + timedelta(minutes=2), collected_by="E1")
    feed("workorder.arrived", ORDER, T0 + timedelta(minutes=10))
    feed("workorder.completed", ORDER, T0 + timedelta(hours=2), notes="换了接头",
         actual_item="接头", fee="0", awaiting_acceptance=False)  # fmt: skip

    assert clocks(app) == {
        "order_issued_household": ("stopped", "met"),
        "order_collected_household:HBW-202611-0001-W1": ("stopped", "met"),
        "general_fixed": ("stopped", "met"),
        "on_site_household:HBW-202611-0001-W1": ("stopped", "met"),
    }
    assert app.schedule.due(T0 + timedelta(days=30)) == []


def test_a_quote_pauses_the_repair_clock_until_the_customer_accepts_R7_14() -> None:
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=1))
    feed("workorder.quoted", ORDER, T0 + timedelta(hours=1), amount="80.00", items="角阀")
    board = app.get(board_id_for(TICKET), TicketClocks)
    assert board.clocks["general_fixed"]["state"] == "paused"
    assert board.clocks["general_fixed"]["pause_reason"] == "customer_consent"

    feed("workorder.quote_accepted", ORDER, T0 + timedelta(hours=25), amount="80.00")
    board = app.get(board_id_for(TICKET), TicketClocks)
    # 1 h counted before the quote, a day waiting for consent does not count
    assert board.clocks["general_fixed"]["deadline"] == T0 + timedelta(hours=72 + 24)


def test_accepting_a_quote_does_not_resume_a_pause_for_parts() -> None:
    """A pause for parts given before escalation read the quote stays until resumed by hand."""
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=1))
    board = app.get(board_id_for(TICKET), TicketClocks)
    board.pause_clock("general_fixed", T0 + timedelta(minutes=30), Cause("E1", "c", None),
                      CalendarTime(), "parts", "等配件")  # fmt: skip
    app.save(board)
    feed("workorder.quoted", ORDER, T0 + timedelta(hours=1), amount="80.00", items="角阀")
    feed("workorder.quote_accepted", ORDER, T0 + timedelta(hours=2), amount="80.00")
    board = app.get(board_id_for(TICKET), TicketClocks)
    assert board.clocks["general_fixed"]["state"] == "paused"
    assert board.clocks["general_fixed"]["pause_reason"] == "parts"


def test_an_urgent_override_swaps_the_general_clock_for_the_urgent_ones() -> None:
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=1))
    feed("workorder.classification_overridden", ORDER, T0 + timedelta(minutes=5),
         urgency="urgent", scope="household", reason="水管爆裂")  # fmt: skip
    board = app.get(board_id_for(TICKET), TicketClocks)
    assert board.clocks["general_fixed"]["outcome"] == "cancelled"
    assert board.clocks["urgent_on_site"]["deadline"] == T0 + timedelta(hours=2)  # from receipt
    assert board.clocks["urgent_fixed"]["deadline"] == T0 + timedelta(hours=24)


def test_an_override_counts_the_orders_own_clocks_as_work_of_its_new_urgency_R7_1_R7_6() -> None:
    """At a site counting office hours (08:30–17:30), Friday 27 November 2026: the order's own
    clocks count as its urgency says after each override, again from their start, and a clock it
    starts later counts so too."""
    office = {"counting": "office_hours", "office_hours": {"opens": "08:30", "closes": "17:30"}}
    app = app_on(FixedClock(T0), sites=SiteDirectory.model_validate(
        {"sites": {"hbw": {"name": "Harbour View", "sla": office}}}
    ))  # fmt: skip
    feed = Feed(app)

    def friday(hour: int, minute: int) -> datetime:
        return datetime(2026, 11, 27, hour - 8, minute, tzinfo=UTC)  # Shanghai is UTC+8

    reported(feed)
    issued(feed, friday(17, 29))
    collect = "order_collected_household:HBW-202611-0001-W1"
    on_site = "on_site_household:HBW-202611-0001-W1"
    monday = timedelta(days=3)
    assert board_of(app).clocks[collect]["deadline"] == friday(8, 31) + monday
    feed("workorder.classification_overridden", ORDER, friday(17, 35), urgency="urgent",
         scope="household", reason="水管爆裂")  # fmt: skip
    run = board_of(app).clocks[collect]
    assert (run["run"], run["state"], run["deadline"]) == (1, "running", friday(17, 31))

    feed("workorder.collected", ORDER, friday(17, 40), collected_by="E1")
    assert board_of(app).clocks[on_site]["deadline"] == friday(17, 55)  # urgent: calendar time
    feed("workorder.classification_overridden", ORDER, friday(17, 45), urgency="general",
         scope="household", reason="只是滴水")  # fmt: skip
    assert board_of(app).clocks[on_site]["deadline"] == friday(8, 45) + monday


def test_an_override_that_keeps_the_urgency_leaves_the_orders_clocks_as_they_are() -> None:
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=1))
    before = board_of(app).version
    feed("workorder.classification_overridden", ORDER, T0 + timedelta(minutes=2),
         urgency="general", scope="household", reason="确认一般")  # fmt: skip
    assert board_of(app).version == before


def test_an_order_made_public_runs_the_public_clocks_from_the_same_start_R7_6_R7_12_R7_13() -> None:
    """Household: collected within 2 min, on site within 15 (R7.6, R7.7); a public facility:
    5 and 10 (R7.12, R7.13). An override of the scope swaps the order's running clock for the
    other scope's, counted from the same start; the finished ones stay as they were."""
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=1))
    household = "order_collected_household:HBW-202611-0001-W1"
    public = "order_collected_public:HBW-202611-0001-W1"
    assert board_of(app).clocks[household]["deadline"] == T0 + timedelta(minutes=3)

    feed("workorder.classification_overridden", ORDER, T0 + timedelta(minutes=2),
         urgency="general", scope="public", reason="楼道总管")  # fmt: skip
    board = board_of(app)
    assert (board.clocks[household]["state"], board.clocks[household]["outcome"]) == (
        "stopped", "cancelled",
    )  # fmt: skip
    run = board.clocks[public]
    assert (run["state"], run["started_at"], run["deadline"]) == (
        "running", T0 + timedelta(minutes=1), T0 + timedelta(minutes=6),
    )  # fmt: skip
    assert board.orders[str(ORDER)]["scope"] == "public"

    feed("workorder.collected", ORDER, T0 + timedelta(minutes=4), collected_by="E1")
    board = board_of(app)
    assert board.clocks[public]["outcome"] == "met"
    on_site = "on_site_public:HBW-202611-0001-W1"  # started by the new scope
    assert board.clocks[on_site]["deadline"] == T0 + timedelta(minutes=14)

    feed("workorder.classification_overridden", ORDER, T0 + timedelta(minutes=5),
         urgency="general", scope="household", reason="只是本户")  # fmt: skip
    board = board_of(app)
    assert board.clocks[public]["outcome"] == "met"  # finished: stays as counted
    assert board.clocks[on_site]["outcome"] == "cancelled"
    back = board.clocks["on_site_household:HBW-202611-0001-W1"]
    assert (back["started_at"], back["deadline"]) == (
        T0 + timedelta(minutes=4), T0 + timedelta(minutes=19),
    )  # fmt: skip


def test_a_paused_arrival_clock_moved_to_the_other_scope_stays_paused_R7_14() -> None:
    """A quote pauses the wait for arrival until the customer consents (R7.14): the clock of the
    new scope waits as the old one did, and the consent resumes it."""
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=1))
    feed("workorder.collected", ORDER, T0 + timedelta(minutes=2), collected_by="E1")
    feed("workorder.quoted", ORDER, T0 + timedelta(minutes=3), amount="80.00", items="角阀")
    feed("workorder.classification_overridden", ORDER, T0 + timedelta(minutes=4),
         urgency="general", scope="public", reason="楼道总管")  # fmt: skip
    public = board_of(app).clocks["on_site_public:HBW-202611-0001-W1"]
    assert (public["state"], public["pause_reason"]) == ("paused", "customer_consent")

    feed("workorder.quote_accepted", ORDER, T0 + timedelta(minutes=30), amount="80.00")
    public = board_of(app).clocks["on_site_public:HBW-202611-0001-W1"]
    assert public["state"] == "running"


def test_a_cancelled_ticket_cancels_its_clocks_and_nothing_falls_due() -> None:
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed, kind="complaint", category="noise")
    feed("ticket.cancelled", TICKET, T0 + timedelta(hours=1), reason="重复", duplicate_of=None)
    board = app.get(board_id_for(TICKET), TicketClocks)
    assert board.ladder["state"] == "stopped"
    assert app.schedule.due(T0 + timedelta(days=60)) == []


def test_a_restarted_application_decides_nothing_twice(tmp_path: Path) -> None:
    clock = FixedClock(T0)
    first = app_on(clock, tmp_path)
    feed = Feed(first)
    reported(feed, kind="complaint", category="noise")
    clock.set(T0 + timedelta(days=8))
    decided = first.tick()
    assert [(d["event"], d["subject"]) for d in decided] == [
        ("complaint_received", "received:cs_assistant"),  # at receipt (R6.3)
        ("complaint_escalated", "department_supervisor"),
        ("complaint_escalated", "project_manager"),
    ]
    first.close()

    again = app_on(clock, tmp_path)
    assert again.tick() == []
    clock.set(T0 + timedelta(days=14))
    assert [d["subject"] for d in again.tick()] == ["gm_office"]


def board_of(app: EscalationApp) -> TicketClocks:
    return app.get(board_id_for(TICKET), TicketClocks)


def test_a_quote_pauses_the_orders_on_site_clock_until_accepted_R7_14() -> None:
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=1))
    feed("workorder.collected", ORDER, T0 + timedelta(minutes=2), collected_by="E1")
    key = "on_site_household:HBW-202611-0001-W1"
    feed("workorder.quoted", ORDER, T0 + timedelta(minutes=7), amount="80.00", items="非标")
    assert board_of(app).clocks[key]["state"] == "paused"
    feed("workorder.quote_accepted", ORDER, T0 + timedelta(hours=2), amount="80.00")
    # 5 of 15 minutes counted before the quote: 10 left after the acceptance
    assert board_of(app).clocks[key]["deadline"] == T0 + timedelta(hours=2, minutes=10)


def test_a_declined_quote_cancels_the_orders_on_site_clock() -> None:
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=1))
    feed("workorder.collected", ORDER, T0 + timedelta(minutes=2), collected_by="E1")
    feed("workorder.quoted", ORDER, T0 + timedelta(minutes=7), amount="80.00", items="非标")
    feed("workorder.quote_declined", ORDER, T0 + timedelta(hours=1), reason="太贵")
    key = "on_site_household:HBW-202611-0001-W1"
    assert clocks(app)[key] == ("stopped", "cancelled")


def test_an_order_referred_out_of_scope_stops_its_own_clocks_too_R7_11() -> None:
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=1))
    collect = "order_collected_household:HBW-202611-0001-W1"
    assert clocks(app)[collect] == ("running", None)
    feed("workorder.referred", ORDER, T0 + timedelta(minutes=1, seconds=30),
         to_department="管业部", reason="开发商保修范围")  # fmt: skip
    assert clocks(app)[collect] == ("stopped", "cancelled")
    assert clocks(app)["general_fixed"] == ("stopped", "cancelled")
    assert app.schedule.due(T0 + timedelta(days=30)) == []  # nobody is told of a late collection


def test_an_appointment_window_is_due_by_its_end_R7_15() -> None:
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    nine = T0 + timedelta(days=1)
    window = {"start": nine, "end": nine + timedelta(hours=2)}
    issued(feed, T0 + timedelta(minutes=1), appointment=window)
    feed("workorder.collected", ORDER, T0 + timedelta(minutes=2), collected_by="E1")
    run = board_of(app).clocks["on_site_household:HBW-202611-0001-W1"]
    assert (run["started_at"], run["deadline"]) == (nine, nine + timedelta(hours=2))
    # a window shorter than the target keeps the target
    short = {"start": nine, "end": nine + timedelta(minutes=5)}
    feed("workorder.rescheduled", ORDER, T0 + timedelta(minutes=3), appointment=short,
         reason="客户改约")  # fmt: skip
    run = board_of(app).clocks["on_site_household:HBW-202611-0001-W1"]
    assert run["deadline"] == nine + timedelta(minutes=15)


def test_a_reopened_repair_restarts_the_repair_clocks_that_ran_R7_3() -> None:
    app = app_on(FixedClock(T0))
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=1))
    feed("ticket.resolved", TICKET, T0 + timedelta(hours=5), resolution="修好")
    reopened = T0 + timedelta(days=2)
    feed("ticket.reopened", TICKET, reopened, reason="又漏", reopen_count=1)
    run = board_of(app).clocks["general_fixed"]
    assert (run["run"], run["state"], run["started_at"]) == (2, "running", reopened)
    assert run["deadline"] == reopened + timedelta(hours=72)
    assert "urgent_fixed" not in board_of(app).clocks  # only what ran before


def test_the_inbox_is_sent_exactly_the_events_escalation_reacts_to() -> None:
    """The server filters DESK for escalation (entrypoint.py `FOLLOWS`): every event type of
    `REACTIONS`, and nothing else — its own events least of all."""
    from services.escalation.application.reactions import REACTIONS
    from services.escalation.entrypoint import FOLLOWS, EscalationService
    from shared.messaging.subjects import event_type_of

    followed = {event_type_of(subject.replace("*", "any-site")) for subject in FOLLOWS}
    assert followed == {event.type_name() for event in REACTIONS}
    assert len(FOLLOWS) == len(followed)  # one subject each: they do not overlap
    assert not any(t.startswith("escalation.") for t in followed)
    assert EscalationService.consumes == ("escalation-desk", FOLLOWS)


def test_the_schedule_follows_what_the_application_recorded_without_reading_it_back(
    tmp_path: Path,
) -> None:
    clock = FixedClock(T0)
    app = app_on(clock, tmp_path)
    reads: list[int] = []
    select = app.recorder.select_notifications

    def counted(start: int, *args: Any, **kwargs: Any) -> Any:
        reads.append(start)
        return select(start, *args, **kwargs)

    app.recorder.select_notifications = counted
    feed = Feed(app)
    reported(feed)
    issued(feed, T0 + timedelta(minutes=5))
    nothing_recorded = app.schedule.position() + 1
    feed("ticket.classified", uuid4(), T0, kind="complaint", category="noise",
         help_category=None, validity=None, communicative_type=None, severity=None)  # fmt: skip
    clock.set(T0 + timedelta(days=3))
    assert app.tick()  # decisions recorded, and their boards' next due times

    assert reads == [nothing_recorded]  # only after the batch that recorded nothing
    read_anew = Schedule(str(tmp_path / "read-anew.sqlite3"))
    read_anew.catch_up(app)  # the log read from its first notification
    assert read_anew.position() == app.schedule.position() == app.recorder.max_notification_id()
    assert read_anew.checksum() == app.schedule.checksum()
    read_anew.close()
    app.close()


def test_a_schedule_behind_the_application_reads_the_log_from_its_position(
    tmp_path: Path,
) -> None:
    clock = FixedClock(T0)
    app = app_on(clock, tmp_path)
    feed = Feed(app)
    reported(feed)
    app.schedule.close()
    app.schedule = Schedule(str(tmp_path / "deleted-and-new.sqlite3"))  # at position 0
    issued(feed, T0 + timedelta(minutes=5))  # what it recorded does not follow 0: read all

    read_anew = Schedule(str(tmp_path / "read-anew.sqlite3"))
    read_anew.catch_up(app)
    assert app.schedule.position() == read_anew.position() == app.recorder.max_notification_id()
    assert app.schedule.checksum() == read_anew.checksum()
    assert app.schedule.open_count() == 1
    read_anew.close()
    app.close()


def test_the_schedule_commits_without_waiting_for_the_disk(tmp_path: Path) -> None:
    """It is read again from the store after a power loss (synchronous=NORMAL, in WAL mode)."""
    schedule = Schedule(str(tmp_path / "schedule.sqlite3"))
    for commit in (True, False):
        with schedule.datastore.transaction(commit=commit) as c:
            c.execute("PRAGMA synchronous")
            assert c.fetchone()[0] == 1  # NORMAL
            c.execute("PRAGMA journal_mode")
            assert c.fetchone()[0] == "wal"
    schedule.close()
