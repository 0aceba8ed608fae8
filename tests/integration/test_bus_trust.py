"""Trust on the bus (docs/contract.md §22): every identity, against a real nats-server running
the configuration PropDesk generates and the real services, can do its own work and nothing else.

Site A is hbw, site B is ohs. While B's desk works (commands, replies, notices, events), A tries
every way of reaching B or of writing history; analytics, ops and the services try what is not
theirs. nats-py reports the server's refusals through `error_cb` and a refused request only times
out, so each identity collects its errors. Every check has its positive control.
"""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import nats
import pytest
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.errors import TimeoutError as NatsTimeout

from shared.messaging.bus import access_for, connect
from shared.messaging.identity import ANALYTICS, OPS, SERVICE_IDENTITIES, Credentials, site_identity
from shared.messaging.natsd import EmbeddedNats
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body

pytestmark = pytest.mark.integration

A, B = "hbw", "ohs"
BRIEF = 1.0  # seconds a refused request waits for the reply that never comes


class Identity:
    """One connection as `name`, with the server's refusals it was told of."""

    def __init__(self, name: str, nc: Client, errors: list[str]) -> None:
        self.name = name
        self.nc = nc
        self.errors = errors
        self.heard: list[str] = []  # subjects of messages its subscriptions received

    async def hear(self, subject: str) -> None:
        async def heard(msg: Any) -> None:
            self.heard.append(msg.subject)

        await self.nc.subscribe(subject, cb=heard)
        await self.nc.flush()

    async def refused(self, subject: str, body: dict[str, Any] | None = None) -> bool:
        """Whether a request on `subject` went unanswered and the server said why."""
        payload = json.dumps(body or {}).encode()
        try:
            reply = await self.nc.request(subject, payload, timeout=BRIEF)
        except NatsTimeout:
            return any(subject.lower() in e.lower() for e in self.violations())  # lower-cased
        raise AssertionError(f"{self.name} was answered on {subject}: {reply.data[:300]!r}")

    def violations(self) -> list[str]:
        return [e for e in self.errors if "permissions violation" in e.lower()]


@pytest.fixture
async def connect_as(nats_server: EmbeddedNats) -> AsyncIterator[Callable[..., Awaitable]]:
    opened: list[Client] = []

    async def open_as(name: str) -> Identity:
        errors: list[str] = []

        async def told(exc: Exception) -> None:
            errors.append(str(exc))

        access = access_for(name, nats_server.url, nats_server.bus_settings)
        nc = await connect(access, f"test-{name}", error_cb=told, max_reconnect_attempts=0)
        opened.append(nc)
        return Identity(name, nc, errors)

    yield open_as
    for nc in opened:
        await nc.close()


async def b_at_work(desk: Desk, drill: Drill) -> str:
    """B's desk reports a help request and its 5-minute clock breaches: a command with its reply,
    ticket and escalation events, and a notice to B's cs_assistant."""
    body = report_body("b-help", kind="help", help_category="G", category=None)
    reply = await desk.command(B, "report", body)
    assert reply["ok"], reply
    await eventually(lambda: drill.events("escalation.clock_started", reply["ticket_id"]))
    await drill.set_clock(START.replace(minute=10))
    await eventually(lambda: drill.notices("cs_assistant"))
    return reply["ticket_id"]


async def test_a_site_reaches_nothing_of_another_site_and_writes_no_history(
    desk: Desk, drill_services, connect_as
) -> None:
    await drill_services()
    a = await connect_as(site_identity(A))
    before = await desk.stream_count()

    # B's subjects are not A's to address: commands and queries
    assert await a.refused(f"desk.cmd.{B}.intake.report", report_body("a-for-b"))
    assert await a.refused(f"desk.qry.{B}.ticket.list")
    assert await a.refused(f"desk.cmd.{B}.escalation.ack", {"staff_id": "S1"})
    # nor the operators' subjects: the access log of refused looks, the drill's clock
    assert await a.refused("desk.ops.intake.access_log", {"site": A, "month": "2026-11"})
    assert await a.refused("desk.sim.clock.set", {"now": START.isoformat()})
    # nor to listen to: notices, events, everything
    for subject in (f"desk.ntf.{B}.>", f"desk.evt.{B}.>", "desk.evt.>", "desk.ntf.>", ">"):
        await a.hear(subject)
    await a.hear("_INBOX.>")  # its own account's inboxes: B's replies are not among them
    # and no way into JetStream: the site's account has none
    with pytest.raises(NatsError):
        await a.nc.jetstream().add_consumer("DESK", durable_name="a-reads-b")
    with pytest.raises((NatsError, NatsTimeout, asyncio.TimeoutError)):
        await a.nc.jetstream().get_msg("DESK", 1, direct=True)
    # nor may A write history: a forged event of its own site, on the subject or through the API
    forged = {"event_type": "ticket.cancelled", "site": A, "actor": "INTRUDER"}
    await a.nc.publish(f"desk.evt.{A}.ticket.cancelled", json.dumps(forged).encode())
    with pytest.raises((NatsError, NatsTimeout, asyncio.TimeoutError)):
        await a.nc.jetstream().publish(f"desk.evt.{A}.ticket.cancelled", b"{}", timeout=BRIEF)
    await a.nc.flush()

    b_ticket = await b_at_work(desk, Drill(desk, B))
    await asyncio.sleep(0.3)  # what A might have heard has arrived by now

    assert a.heard == []
    assert len(a.violations()) >= 8, a.errors
    events = await desk.events()
    assert all(json.loads(m.data).get("actor") != "INTRUDER" for m in events)
    assert [m for m in events if m.subject.startswith(f"desk.evt.{A}.")] == []
    assert len(events) > before  # B's work reached DESK meanwhile
    # nothing of A's attempt was recorded at B
    listed = await desk.query(B, "ticket.list", {})
    assert [t["ticket_id"] for t in listed["tickets"]] == [b_ticket]


async def test_a_site_does_its_own_work_and_hears_its_own_notices_and_events(
    desk: Desk, drill_services, connect_as
) -> None:
    """The positive control of the test above: the same identity, its own subjects."""
    await drill_services()
    a = await connect_as(site_identity(A))
    await a.hear(f"desk.ntf.{A}.>")
    await a.hear(f"desk.evt.{A}.>")

    body = report_body("a-help", kind="help", help_category="G", category=None)
    reply = json.loads(
        (await a.nc.request(f"desk.cmd.{A}.intake.report", json.dumps(body).encode())).data
    )
    assert reply["ok"], reply
    await eventually(lambda: Drill(desk, A).events("escalation.clock_started", reply["ticket_id"]))
    await Drill(desk, A).set_clock(START.replace(minute=10))
    get = {"ticket_id": reply["ticket_id"]}
    query = await a.nc.request(f"desk.qry.{A}.ticket.get", json.dumps(get).encode())

    async def heard_notice_and_events() -> bool:
        return any(s.startswith(f"desk.ntf.{A}.") for s in a.heard) and any(
            s == f"desk.evt.{A}.ticket.reported" for s in a.heard
        )

    await eventually(heard_notice_and_events)
    assert json.loads(query.data)["ok"]
    assert a.violations() == []


async def _quiet(desk: Desk, still: float = 0.5) -> int:
    """DESK's count once it has not grown for `still` seconds (the services' reactions done)."""
    count = await desk.stream_count()
    for _ in range(100):
        await asyncio.sleep(still)
        now = await desk.stream_count()
        if now == count:
            return now
        count = now
    raise AssertionError("DESK never went quiet")


async def test_analytics_reads_desk_and_the_company_reports_and_commands_nothing(
    desk: Desk, services, connect_as
) -> None:
    reported = await desk.command(A, "report", report_body("r-1", kind="repair"))
    await desk.ticket(A, reported["ticket_id"])
    analytics = await connect_as(ANALYTICS)
    before = await _quiet(desk)  # the repair's work order and clocks published first

    assert await analytics.refused(f"desk.cmd.{A}.intake.report", report_body("by-analytics"))
    assert await analytics.refused(f"desk.qry.{A}.ticket.list")  # a site's view is the site's
    # command bodies (names, phones) and every other client's replies are not for it
    for subject in ("desk.cmd.>", "_INBOX.>", "_R_.>", "desk.ntf.>", ">"):
        await analytics.hear(subject)
    # it may not create consumers: one on the plain subject could re-create a service's durable
    hijack = {"stream_name": "DESK", "config": {"name": "reporting-tickets",
              "filter_subject": f"desk.evt.{B}.>", "ack_policy": "explicit"}}  # fmt: skip
    assert await analytics.refused("$JS.API.CONSUMER.CREATE.DESK", hijack)
    reveal = {"ticket_id": reported["ticket_id"], "staff_id": "S01", "purpose": "回访"}
    assert (await desk.command(A, "reveal_contact", reveal))["ok"]
    await asyncio.sleep(0.3)

    assert analytics.heard == []
    assert await desk.stream_count() == before + 1  # the reveal, nothing of analytics'
    ops = await desk.ops()
    info = await ops.jetstream().consumer_info("DESK", "reporting-tickets")
    assert info.config.filter_subject in (None, "desk.evt.>")
    # positive control: the stream and the company's reports
    asked = await analytics.nc.request(
        "desk.qry.company.report.quality", b'{"month": "2026-11"}', timeout=5
    )
    pack = json.loads(asked.data)
    assert pack["ok"], pack
    got = await analytics.nc.jetstream().get_msg("DESK", 1, direct=True)
    assert got.subject == f"desk.evt.{A}.ticket.reported"


async def test_ops_replays_and_moves_the_drill_clock_but_sends_no_desk_command(
    desk: Desk, drill_services, connect_as
) -> None:
    await drill_services()
    ops = await connect_as(OPS)

    assert await ops.refused(f"desk.cmd.{A}.intake.report", report_body("by-ops"))
    for subject in ("desk.cmd.>", "_INBOX.>", ">"):
        await ops.hear(subject)
    await desk.command(A, "report", report_body("seen-by-nobody"))
    await asyncio.sleep(0.3)
    assert ops.heard == []

    moved = await ops.nc.request(
        "desk.sim.clock.set", json.dumps({"now": START.replace(minute=1).isoformat()}).encode()
    )
    assert json.loads(moved.data)["ok"]
    checksum = await ops.nc.request("desk.ops.reporting.checksum", b'{"projection": "tickets"}')
    assert json.loads(checksum.data)["ok"]


@pytest.mark.parametrize("identity", [site_identity(A), OPS, ANALYTICS])
async def test_a_forged_event_from_any_identity_but_a_service_never_reaches_desk(
    desk: Desk, services, connect_as, identity: str
) -> None:
    reported = await desk.command(A, "report", report_body("real", kind="repair"))

    async def ordered() -> bool:  # dispatch's work order too: all the report makes is in DESK
        reply = await desk.query(A, "ticket.get", {"ticket_id": reported["ticket_id"]})
        return reply["ok"] and bool(reply["ticket"]["work_orders"])

    await eventually(ordered)
    forger = await connect_as(identity)
    before = await desk.stream_count()
    forged = {"event_type": "ticket.cancelled", "site": A, "actor": "INTRUDER",
              "aggregate_id": reported["ticket_id"]}  # fmt: skip

    await forger.nc.publish(f"desk.evt.{A}.ticket.cancelled", json.dumps(forged).encode())
    await forger.nc.publish(f"desk.ntf.{A}.project_manager", json.dumps(forged).encode())
    await forger.nc.flush()
    await asyncio.sleep(0.3)

    assert len(forger.violations()) == 2, forger.errors
    assert await desk.stream_count() == before
    ticket = await desk.ticket(A, reported["ticket_id"])
    assert ticket["status"] != "cancelled"


async def test_a_service_publishes_only_its_own_events(services, connect_as, desk: Desk) -> None:
    """Defence in depth among the services: intake's key cannot write a work order's history."""
    intake = await connect_as("intake")
    before = await desk.stream_count()

    await intake.nc.publish(f"desk.evt.{A}.workorder.signed_off", b"{}")
    await intake.nc.publish(f"desk.evt.{A}.escalation.clock_stopped", b"{}")
    await intake.nc.flush()
    await asyncio.sleep(0.3)

    assert len(intake.violations()) == 2, intake.errors
    assert await desk.stream_count() == before


async def test_nobody_connects_without_a_key_of_this_hub(nats_server, tmp_path) -> None:
    with pytest.raises(NatsError, match=r"(?i)authorization"):
        await nats.connect(nats_server.url, max_reconnect_attempts=0, allow_reconnect=False)
    stranger = Credentials(tmp_path / "elsewhere")
    seed = stranger.issue(site_identity(A))  # a well-formed key the hub never issued
    with pytest.raises(NatsError, match=r"(?i)authorization"):
        await nats.connect(
            nats_server.url, nkeys_seed=str(seed), max_reconnect_attempts=0, allow_reconnect=False
        )


def test_every_credential_is_readable_by_its_owner_only(nats_server) -> None:
    directory = nats_server.credentials_dir
    names = sorted(p.stem for p in directory.glob("*.nk"))

    assert names == sorted(
        [*SERVICE_IDENTITIES, OPS, ANALYTICS, *(site_identity(s) for s in ("hbw", "lgp", "ohs",
                                                                           "tech-park"))]
    )  # fmt: skip
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in directory.glob("*.nk")} == {0o600}
