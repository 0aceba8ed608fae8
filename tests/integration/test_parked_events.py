"""One bad event never stops a consumer (docs/RELIABILITY.md, contract §23): what a consumer
cannot apply is parked after a few tries, the consumer moves on, ops see the park (on
desk.ops.<service>.parked.* and in `propdesk parked`) and hear of it (desk.alert.<service>),
and once the cause is fixed a retry applies the event."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import uuid4

import pytest

from services.dispatch.application import DispatchApp
from services.escalation.application import EscalationApp
from services.intake.application import IntakeApp
from services.reporting.views.analytics import AnalyticsView
from services.reporting.views.tickets import TicketView
from shared.messaging.bus import access_for, connect
from shared.messaging.subjects import STREAM
from tests.conftest import SecuredNats
from tests.integration.drill import Drill, parse
from tests.integration.support import START, Desk, cli, eventually, report_body

pytestmark = pytest.mark.integration

YEAR_9999 = {"start": "9999-12-31T10:00:00+08:00", "end": "9999-12-31T12:00:00+08:00"}
OWNER = {
    "dispatch-tickets": "dispatch",
    "escalation-desk": "escalation",
    "intake-work-done": "intake",
    "reporting-tickets": "reporting",
    "reporting-analytics": "reporting",
}
BUG = "a bug this version has"
# the lots of what a service set aside itself, not a consumer of DESK
KEEPER = OWNER | {"escalation-ticker": "escalation"}


# -- the bus as ops and as the services see it ----------------------------------------------------


async def parked(desk: Desk, service: str, *, every: bool = False) -> dict[str, Any]:
    reply = await desk.request(f"desk.ops.{service}.parked.list", {"all": every})
    assert reply["ok"], reply
    return reply


async def parked_by(desk: Desk, consumer: str, count: int = 1) -> list[dict[str, Any]]:
    """The parks of `consumer` still waiting, once there are `count` of them."""

    async def found() -> list[dict[str, Any]] | None:
        listing = await parked(desk, KEEPER[consumer])
        mine = [p for p in listing["parked"] if p["consumer"] == consumer]
        return mine if len(mine) >= count else None

    # three tries with the inbox's backoff, then the park: seconds on a loaded machine (the
    # parallel suite), where 10 s were once too few
    return await eventually(found, timeout=30)


async def hear_alerts(desk: Desk) -> list[dict[str, Any]]:
    heard: list[dict[str, Any]] = []

    async def alert(msg: Any) -> None:
        heard.append(json.loads(msg.data))

    ops = await desk.ops()
    await ops.subscribe("desk.alert.>", cb=alert)
    await ops.flush()
    return heard


async def publish_as(nats_server: SecuredNats, service: str, subject: str, body: Any) -> int:
    """Publish to DESK with the credential of the service that owns the subject's event type;
    returns the stream sequence."""
    nc = await connect(access_for(service, nats_server.url, nats_server.bus_settings), "forger")
    try:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        ack = await nc.jetstream().publish(subject, data, stream=STREAM)
        return ack.seq
    finally:
        await nc.close()


def envelope(event_type: str, aggregate_id: str, data: dict[str, Any], **fields: Any) -> dict:
    at = START.isoformat()
    return {
        "event_id": str(uuid4()), "event_type": event_type,
        "schema_version": 2 if event_type == "workorder.issued" else 1, "site": "hbw",
        "aggregate_id": aggregate_id, "aggregate_version": 1, "occurred_at": at,
        "recorded_at": at, "correlation_id": "forged", "causation_id": None,
        "actor": "dispatch", "data": data,
    } | fields  # fmt: skip


def issued(ticket_id: str, appointment: dict[str, str] | None) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id, "order_no": "HBW-X-W1", "origin": "manual",
        "department": "engineering", "category": "plumbing", "urgency": "general",
        "scope": "household", "unit": None, "content": "漏水", "appointment": appointment,
        "leak": False, "rework_of": None, "free_of_charge": False, "reason": "上门",
        "non_standard": False,
    }  # fmt: skip


def signed_off(ticket_id: str) -> dict[str, Any]:
    data = {"ticket_id": ticket_id, "quality": 5, "attitude": 5, "comment": None,
            "ticket_done": True}  # fmt: skip
    return envelope("workorder.signed_off", str(uuid4()), data, aggregate_version=9)


async def published(desk: Desk, event_type: str, ticket_id: str) -> bool:
    for msg in await desk.events():
        if msg.subject.endswith(f".{event_type}"):
            body = json.loads(msg.data)
            if ticket_id in (body["aggregate_id"], body["data"].get("ticket_id")):
                return True
    return False


# -- a legitimate command that stopped escalation for every site -------------------------------


async def test_an_appointment_in_year_9999_is_refused_and_escalation_keeps_deciding(
    desk: Desk, drill_services
) -> None:
    await drill_services()
    complaint = await desk.command("hbw", "report", report_body("c-9999"))
    assert complaint["ok"], complaint
    body = {"ticket_id": complaint["ticket_id"], "reason": "上门查看", "staff_id": "S1",
            "appointment": YEAR_9999}  # fmt: skip

    async def answered() -> dict[str, Any] | None:
        reply = await desk.dispatch("hbw", "issue", body)
        return None if (reply.get("error") or {}).get("code") == "not_found" else reply

    reply = await eventually(answered)
    assert reply["ok"] is False and reply["error"]["code"] == "invalid", reply
    assert {f["field"] for f in reply["error"]["fields"]} == {
        "appointment.start",
        "appointment.end",
    }
    await _another_sites_help_request_breaches_and_is_notified(desk)


async def test_a_year_9999_order_already_on_desk_is_parked_and_escalation_keeps_deciding(
    desk: Desk, drill_services, nats_server: SecuredNats
) -> None:
    """As the earlier version published it: escalation parks it, also across a restart."""
    running = await drill_services()
    alerts = await hear_alerts(desk)
    complaint = await desk.command("hbw", "report", report_body("c-9999"))
    assert complaint["ok"], complaint
    # intake answers once it has recorded the report, its relay publishes it a moment later: an
    # order published before it would come first on DESK, for a ticket escalation does not know
    # yet (no clocks to count from year 9999, nothing to park) — dispatch never issues so
    assert await eventually(lambda: published(desk, "ticket.reported", complaint["ticket_id"]))
    order = envelope("workorder.issued", str(uuid4()), issued(complaint["ticket_id"], YEAR_9999))
    seq = await publish_as(nats_server, "dispatch", "desk.evt.hbw.workorder.issued", order)

    [park] = await parked_by(desk, "escalation-desk")
    assert (park["seq"], park["subject"]) == (seq, "desk.evt.hbw.workorder.issued")
    assert park["error"].startswith("OverflowError") and park["attempts"] == 3
    assert (park["event_type"], park["event_id"]) == ("workorder.issued", order["event_id"])
    await eventually(lambda: _heard(alerts, f"escalation-desk:{seq}"))
    assert running["escalation"].parked_count() == 1

    await running["escalation"].stop()  # a restart starts past it: parked once, not again
    await running["escalation"].start(nats_server.url)
    await _another_sites_help_request_breaches_and_is_notified(desk)
    assert (await parked(desk, "escalation"))["waiting"] == 1
    assert running["escalation"].parked_count() == 1


async def _heard(alerts: list[dict[str, Any]], parked_id: str) -> bool:
    return any(a["kind"] == "event_parked" and a["details"]["id"] == parked_id for a in alerts)


async def _another_sites_help_request_breaches_and_is_notified(desk: Desk) -> None:
    help_body = report_body("h-ohs", kind="help", help_category="G", category=None,
                            content="钥匙锁在屋里了")  # fmt: skip
    ticket = await desk.command("ohs", "report", help_body)
    assert ticket["ok"], ticket
    drill = Drill(desk, site="ohs")
    started = await drill.started(ticket["ticket_id"], "help_reply")
    assert ("clock_breached", "help_reply") in await drill.decided_at(parse(started["deadline"]))

    async def notified() -> bool:
        return any(
            n["ticket_id"] == ticket["ticket_id"] for n in await drill.notices("cs_assistant")
        )

    assert await eventually(notified)


# -- each consumer: parked, moves on, shown, retried once fixed ----------------------------------

Effect = Callable[[Desk, str], Awaitable[Any]]


async def _ordered(desk: Desk, ticket_id: str) -> bool:
    return await published(desk, "workorder.issued", ticket_id)


async def _clocked(desk: Desk, ticket_id: str) -> bool:
    return await published(desk, "escalation.clock_started", ticket_id)


async def _resolved(desk: Desk, ticket_id: str) -> bool:
    return await published(desk, "ticket.resolved", ticket_id)


async def _shown(desk: Desk, ticket_id: str) -> bool:
    return (await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id}))["ok"]


def _counted(contacts: int) -> Effect:
    async def counted(desk: Desk, _: str) -> bool:
        reply = await desk.query("hbw", "report.monthly", {"month": START.strftime("%Y-%m")})
        return reply["ok"] and reply["report"]["contacts"] >= contacts

    return counted


def _reported_by_bug(event: Any) -> bool:
    return getattr(getattr(event, "data", None), "client_ref", None) == "bug-1"


# consumer -> (the class and method with the bug, which of its calls fail)
BUGS: dict[str, tuple[type, str, Callable[..., bool]]] = {
    "dispatch-tickets": (DispatchApp, "react", _reported_by_bug),
    "escalation-desk": (EscalationApp, "react", _reported_by_bug),
    "intake-work-done": (
        IntakeApp, "react",
        lambda e: e.event_type == "workorder.signed_off" and str(e.data.ticket_id) in BUGGY,
    ),
    "reporting-tickets": (TicketView, "_apply_one", lambda _batch, d: _reported_by_bug(d.envelope)),
    "reporting-analytics": (AnalyticsView, "_is_new", lambda _c, e: _reported_by_bug(e)),
}  # fmt: skip
BUGGY: set[str] = set()  # the tickets whose sign-off intake's bug trips on


def install_bug(monkeypatch: pytest.MonkeyPatch, consumer: str) -> Callable[[], None]:
    """The bug in `consumer`; returns its fix (the upgrade)."""
    cls, name, trips = BUGS[consumer]
    original = getattr(cls, name)

    def buggy(self: Any, *args: Any) -> Any:
        if trips(*args):
            raise RuntimeError(BUG)
        return original(self, *args)

    monkeypatch.setattr(cls, name, buggy)
    return lambda: monkeypatch.setattr(cls, name, original)


@pytest.mark.parametrize("consumer", list(OWNER))
async def test_an_event_a_consumer_cannot_apply_is_parked_shown_and_retried_once_fixed(
    consumer: str, desk: Desk, drill_services, nats_server: SecuredNats, monkeypatch
) -> None:
    service = OWNER[consumer]
    fix = install_bug(monkeypatch, consumer)
    running = await drill_services()
    alerts = await hear_alerts(desk)
    tickets = []
    for ref in ("bug-1", "ok-1"):
        # intake's work-done follower: tickets without an order of dispatch's, so that the forged
        # sign-off is the only work intake knows of (an open order holds a ticket, R8.12)
        kind = "inquiry" if consumer == "intake-work-done" else "repair"
        reply = await desk.command("hbw", "report", report_body(ref, kind=kind,
                                                                category="plumbing"))  # fmt: skip
        assert reply["ok"], reply
        tickets.append(reply["ticket_id"])
    buggy, fine = tickets
    effect: Effect = {
        "dispatch-tickets": _ordered, "escalation-desk": _clocked, "intake-work-done": _resolved,
        "reporting-tickets": _shown, "reporting-analytics": _counted(1),
    }[consumer]  # fmt: skip
    if consumer == "intake-work-done":  # dispatch reports the work of both tickets done
        BUGGY.add(buggy)
        for ticket_id in tickets:
            subject = "desk.evt.hbw.workorder.signed_off"
            await publish_as(nats_server, "dispatch", subject, signed_off(ticket_id))

    # the consumer moved on: the next ticket is applied …
    assert await eventually(lambda: effect(desk, fine))
    # … and the one it could not apply waits, visible, and ops heard of it
    [park] = await parked_by(desk, consumer)
    assert park["id"] == f"{consumer}:{park['seq']}" and park["state"] == "parked"
    assert park["error"] == f"RuntimeError: {BUG}" and park["attempts"] == 3
    assert park["site"] == "hbw"
    shown = await desk.request(f"desk.ops.{service}.parked.show", {"id": park["id"]})
    assert shown["ok"] and buggy in shown["parked"]["event"], shown
    assert await eventually(lambda: _heard(alerts, park["id"]))
    assert running[service].parked_count() == 1

    # a retry before the fix fails again, and says so; the park stays
    retry = await desk.request(f"desk.ops.{service}.parked.retry", {"id": park["id"]})
    assert retry["ok"] is False and retry["error"]["code"] == "conflict", retry
    assert BUG in retry["error"]["message"]
    [again] = (await parked(desk, service))["parked"]
    assert (again["retries"], again["state"]) == (1, "parked")

    fix()  # the upgrade
    retry = await desk.request(f"desk.ops.{service}.parked.retry", {"id": park["id"]})
    assert retry["ok"], retry
    assert retry["parked"]["state"] == "retried" and retry["parked"]["retried_at"]
    check = _counted(2) if consumer == "reporting-analytics" else effect
    assert await eventually(lambda: check(desk, buggy))
    assert (await parked(desk, service))["waiting"] == 0
    assert [p["state"] for p in (await parked(desk, service, every=True))["parked"]] == ["retried"]
    assert running[service].parked_count() == 0
    again = await desk.request(f"desk.ops.{service}.parked.retry", {"id": park["id"]})
    assert again["error"]["code"] == "conflict", again
    BUGGY.clear()


# -- forged events: a service's key can still publish what no version can apply --------------


async def test_forged_events_are_parked_where_they_cannot_be_applied_and_nothing_stalls(
    desk: Desk, drill_services, nats_server: SecuredNats
) -> None:
    await drill_services()
    first = await desk.command("hbw", "report", report_body("c-1"))
    assert first["ok"], first
    # a version no SQLite integer holds: nobody can read it
    classified = {"kind": "complaint", "category": "noise", "help_category": None,
                  "validity": None, "communicative_type": None, "severity": None}  # fmt: skip
    huge = envelope("ticket.classified", first["ticket_id"], classified,
                    aggregate_version=10**20, actor="S1")  # fmt: skip
    huge_seq = await publish_as(nats_server, "intake", "desk.evt.hbw.ticket.classified", huge)
    # a contact received in year 1 at +14:00: no clock and no month can be reckoned from it
    year_one = "0001-01-01T00:00:00+14:00"
    early = envelope("ticket.reported", str(uuid4()), {
        "ticket_no": "HBW-000101-0001", "client_ref": "forged-1", "channel": "phone",
        "kind": "help", "category": None, "help_category": "G", "unit": None,
        "content": "钥匙锁在屋里了", "received_at": year_one, "appointment": None},
        occurred_at=year_one, actor="S1")  # fmt: skip
    early_seq = await publish_as(nats_server, "intake", "desk.evt.hbw.ticket.reported", early)
    # not even JSON, on a known event type's subject
    garbage_seq = await publish_as(nats_server, "intake", "desk.evt.hbw.ticket.replied", b"\xff{")

    after = await desk.command("hbw", "report", report_body("c-2", kind="repair",
                                                            category="plumbing"))  # fmt: skip
    assert after["ok"], after
    # every consumer went on: the repair got its order, its clock, its view and its count
    assert await eventually(lambda: _ordered(desk, after["ticket_id"]))
    assert await eventually(lambda: _clocked(desk, after["ticket_id"]))
    assert await eventually(lambda: _shown(desk, after["ticket_id"]))
    assert await eventually(lambda: _counted(2)(desk, ""))

    expected = {
        "dispatch-tickets": {huge_seq, garbage_seq},  # the forged report it could file
        "escalation-desk": {huge_seq, early_seq, garbage_seq},
        "reporting-tickets": {huge_seq, garbage_seq},  # the early one is just a row
        "reporting-analytics": {huge_seq, early_seq, garbage_seq},
    }
    for consumer, seqs in expected.items():
        found = await parked_by(desk, consumer, len(seqs))
        assert {p["seq"] for p in found} == seqs, (consumer, found)
        errors = {p["seq"]: p["error"] for p in found}
        assert errors[huge_seq].startswith("unreadable ticket.classified")
        assert errors[garbage_seq].startswith("unreadable ticket.replied: Invalid JSON")
        if early_seq in errors:
            assert errors[early_seq].startswith("OverflowError")
    assert (await parked(desk, "intake"))["waiting"] == 0  # it reads only sign-offs


# -- what is not the event's fault is retried, never parked ------------------------------------


async def test_a_store_briefly_unavailable_is_retried_not_parked(
    desk: Desk, drill_services, monkeypatch
) -> None:
    import sqlite3

    original, failures = TicketView.apply, []

    def locked(self: TicketView, deliveries: Any) -> None:
        if len(failures) < 2:
            failures.append(1)
            raise sqlite3.OperationalError("database is locked")
        original(self, deliveries)

    monkeypatch.setattr(TicketView, "apply", locked)
    await drill_services("intake", "reporting")
    reply = await desk.command("hbw", "report", report_body("r-1"))
    assert reply["ok"], reply
    assert await eventually(lambda: _shown(desk, reply["ticket_id"]), timeout=15)
    assert len(failures) == 2
    listing = await parked(desk, "reporting", every=True)
    assert listing["parked"] == [] and listing["waiting"] == 0


# -- the command line -----------------------------------------------------------------------


async def test_propdesk_parked_lists_shows_and_retries(
    desk: Desk, drill_services, nats_server: SecuredNats, monkeypatch
) -> None:
    fix = install_bug(monkeypatch, "reporting-tickets")
    await drill_services("intake", "reporting")
    reply = await desk.command("hbw", "report", report_body("bug-1"))
    assert reply["ok"], reply
    [park] = await parked_by(desk, "reporting-tickets")
    url = ("--nats-url", nats_server.url)

    listed = await cli("parked", "list", "--service", "reporting", "--json", *url)
    assert listed.exit_code == 0, listed.output
    [services] = json.loads(listed.stdout)["services"]
    assert [p["id"] for p in services["parked"]] == [park["id"]]
    everyone = await cli("parked", "list", *url)  # intake and reporting answer; the rest cannot
    assert everyone.exit_code == 3 and park["id"] in everyone.output, everyone.output
    shown = await cli("parked", "show", park["id"], *url)
    assert shown.exit_code == 0 and reply["ticket_id"] in shown.output, shown.output
    # hbw's time, as every other command shows it (they were UTC, raw ISO in `show`)
    [when] = [line for line in shown.output.splitlines() if line.startswith("parked_at: ")]
    assert when.endswith("(UTC+08:00)"), when
    assert "(UTC+08:00)" in everyone.output and "(UTC+00:00)" not in everyone.output
    refused = await cli("parked", "retry", park["id"], *url)
    assert refused.exit_code == 1 and BUG in refused.output, refused.output
    fix()
    retried = await cli("parked", "retry", park["id"], *url)
    assert retried.exit_code == 0, retried.output
    assert await eventually(lambda: _shown(desk, reply["ticket_id"]))
    unknown = await cli("parked", "show", "reporting-tickets:999999", *url)
    assert unknown.exit_code == 1


# -- a decision escalation cannot take ----------------------------------------------------------


async def test_a_decision_that_fails_is_held_and_the_other_sites_are_decided(
    desk: Desk, drill_services, nats_server: SecuredNats, monkeypatch
) -> None:
    """A due board whose decision raises is tried on the next ticks, then held (escalation's
    `escalation-ticker` lot): ops hear of it and see it with the parked events, every other
    board is decided on time, and `propdesk parked retry` takes it once the cause is fixed."""
    from services.escalation.domain import TicketClocks

    running = await drill_services()
    alerts = await hear_alerts(desk)
    help_body = report_body("h-bad", kind="help", help_category="G", category=None,
                            content="钥匙锁在屋里了")  # fmt: skip
    bad = await desk.command("hbw", "report", help_body)
    assert bad["ok"], bad
    decide = TicketClocks.decide
    broken = {"on": True}

    def failing(board: TicketClocks, now: Any) -> Any:
        if broken["on"] and str(board.ticket_id) == bad["ticket_id"]:
            raise RuntimeError(BUG)
        return decide(board, now)

    monkeypatch.setattr(TicketClocks, "decide", failing)
    drill = Drill(desk)
    started = await drill.started(bad["ticket_id"], "help_reply")
    await drill.set_clock(parse(started["deadline"]))  # due: its decision fails
    await _another_sites_help_request_breaches_and_is_notified(desk)  # decided all the same

    [held] = await parked_by(desk, "escalation-ticker")
    assert (held["site"], held["subject"], held["attempts"]) == ("hbw", "tick.hbw", 3)
    assert BUG in held["error"]
    await eventually(lambda: _heard(alerts, held["id"]))
    assert running["escalation"].parked_count() == 1
    url = ("--nats-url", nats_server.url)
    listed = await cli("parked", "list", "--service", "escalation", "--json", *url)
    assert listed.exit_code == 0, listed.output
    [services] = json.loads(listed.stdout)["services"]
    assert [p["id"] for p in services["parked"]] == [held["id"]]
    refused = await cli("parked", "retry", held["id"], *url)
    assert refused.exit_code == 1 and BUG in refused.output, refused.output

    broken["on"] = False  # the fix
    retried = await cli("parked", "retry", held["id"], *url)
    assert retried.exit_code == 0, retried.output

    async def breached() -> bool:
        found = await drill.events("escalation.clock_breached", bad["ticket_id"])
        return any(e["data"]["clock"] == "help_reply" for e in found)

    assert await eventually(breached)
    assert (await parked(desk, "escalation"))["waiting"] == 0
