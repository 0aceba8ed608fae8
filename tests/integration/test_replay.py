"""Replay and verify of reporting's projections against a real nats-server and the live service:
the rebuild, the switch to the rebuilt view while tickets keep arriving, the comparison of a live
view with a rebuild, the operators' bad requests, and a replay with no reporting service."""

from __future__ import annotations

import asyncio
import fcntl
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propdesk.cli.main import app
from propdesk.cli.replay import replay_view
from propdesk.cli.verify import verify_view
from services.reporting.ops import replay
from services.reporting.ops.registry import PROJECTIONS
from services.reporting.ops.replay import rebuild, rebuild_path
from shared.eventstore.store import StoreLock, lock_path
from shared.kernel.sites import SiteDirectory
from shared.messaging.bus import access_for, connect, ensure_stream
from shared.messaging.identity import HUB_ACCOUNT
from shared.messaging.subjects import OPS_REPORTING_CHECKSUM, OPS_REPORTING_SWITCH
from tests.integration.conftest import DRILL_SITES
from tests.integration.support import Desk, eventually, report_tickets
from tests.postgres import STORES

pytestmark = pytest.mark.integration

TICKETS = PROJECTIONS["tickets"]


async def caught_up(desk: Desk, service, events: int) -> None:
    """DESK holds `events` events (the relays published what was answered) and the reporting
    service's ticket view reflects them all."""

    async def done() -> bool:
        count = await desk.stream_count()
        return count >= events and service.view.position() == count

    await eventually(done)


async def a_history(desk: Desk, service) -> list[str]:
    """Inquiries, some resolved, and a repair with its automatic work order (a complaint is
    resolved only once classified and its solution accepted, R6.2, R6.9)."""
    ids = await report_tickets(desk, *(f"h{n}" for n in range(6)), kind="inquiry")
    for ticket_id in ids[:3]:
        body = {"ticket_id": ticket_id, "staff_id": "S02", "resolution": "已处理"}
        assert (await desk.command("hbw", "resolve", body))["ok"]
    ids += await report_tickets(desk, "repair-1", kind="repair")
    await caught_up(desk, service, 11)  # 6 + 3 + the repair and its order
    return ids


async def _connected(service) -> bool:
    return service.nc.is_connected and service.broker.connection.is_connected


async def _at_least(desk: Desk, count: int) -> bool:
    return await desk.stream_count() >= count


@pytest.mark.parametrize("persistence", STORES)
async def test_a_replay_switches_the_live_view_and_keeps_what_arrived_meanwhile(
    desk: Desk, services, settings, tmp_path: Path
) -> None:
    reporting = services["reporting"]
    first = (await a_history(desk, reporting))[0]
    live_path = TICKETS.path(settings.data_dir).resolve()
    rebuilt = rebuild_path(live_path)
    reading = asyncio.Event()
    arrived: list[str] = []

    async def keep_reporting(prefix: str, count: int) -> None:
        for n in range(count):
            arrived.extend(await report_tickets(desk, f"{prefix}{n}"))

    async def while_rebuilding() -> None:
        await reading.wait()
        await keep_reporting("during-", 4)

    def progress(position: int, _: int) -> None:
        if position:
            reading.set()

    arriving = asyncio.create_task(while_rebuilding())
    result = await rebuild(await desk.ops(), "tickets", rebuilt, progress=progress, batch=2)
    await arriving
    assert result.position == result.events == 11
    await eventually(lambda: _at_least(desk, 15))  # the rebuilt file has none of those four

    switched = asyncio.Event()

    async def keep_querying() -> list[bool]:
        answered = []
        while not switched.is_set():
            reply = await desk.query("hbw", "ticket.get", {"ticket_id": first})
            answered.append(reply["ok"])
        return answered

    switching = asyncio.create_task(keep_reporting("switching-", 4))  # and more, concurrently
    querying = asyncio.create_task(keep_querying())
    await asyncio.sleep(0.01)
    reply = await desk.request(
        OPS_REPORTING_SWITCH, {"projection": "tickets", "path": str(rebuilt)}
    )
    switched.set()
    await switching
    queries = await querying

    assert reply == {
        "ok": True,
        "projection": "tickets",
        "position": 11,
        "checksum": result.checksum,
    }
    assert not rebuilt.exists() and not Path(f"{rebuilt}-wal").exists()
    assert queries and all(queries)  # the queries during the switch waited, none failed
    await caught_up(desk, reporting, 19)
    fresh = await rebuild(await desk.ops(), "tickets", tmp_path / "fresh.sqlite3")
    live = await desk.request(OPS_REPORTING_CHECKSUM, {"projection": "tickets"})
    assert (live["position"], live["checksum"]) == (fresh.position, fresh.checksum)
    assert fresh.position == 19
    for ticket_id in arrived:  # reported during the rebuild and the switch: all in the view
        assert (await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id}))["ok"]


@pytest.mark.parametrize("persistence", STORES)
async def test_verify_finds_the_live_view_equal_to_a_rebuild_and_a_tampered_one_different(
    desk: Desk, services, settings, nats_server, capsys
) -> None:
    reporting = services["reporting"]
    await a_history(desk, reporting)

    equal = await verify_view(nats_server.url, TICKETS, SiteDirectory(strict=False))
    shown = capsys.readouterr()

    live = TICKETS.path(settings.data_dir)
    with sqlite3.connect(live, timeout=10) as db:  # what ticket.list filters on, not the state
        db.execute("UPDATE tickets SET status = 'closed' WHERE seq = 1")
    column = await verify_view(nats_server.url, TICKETS, SiteDirectory(strict=False))
    told_column = capsys.readouterr()
    with sqlite3.connect(live, timeout=10) as db:
        db.execute("UPDATE tickets SET status = 'received' WHERE seq = 1")
        db.execute("UPDATE tickets SET state = json_set(state, '$.status', 'closed') WHERE seq = 1")
    different = await verify_view(nats_server.url, TICKETS, SiteDirectory(strict=False))
    told = capsys.readouterr()

    assert equal == 0
    assert "equal" in shown.out and "position 11" in shown.out
    assert column == 1 and "different" in told_column.err
    assert different == 1
    assert "different" in told.err and "propdesk replay tickets" in told.err


async def test_verify_of_a_view_ahead_of_a_recreated_stream_says_so(
    desk: Desk, services, nats_server, capsys
) -> None:
    reporting = services["reporting"]
    await report_tickets(desk, "a1", "a2")
    await caught_up(desk, reporting, 2)
    # an operator recreated the stream (no identity on the bus may delete it: at the server),
    # and a service declared it again; the view stays at 2
    await nats_server.stop()
    shutil.rmtree(nats_server.store_dir / "jetstream" / HUB_ACCOUNT / "streams" / "DESK")
    await nats_server.start()
    intake = await connect(
        access_for("intake", nats_server.url, nats_server.bus_settings), "test-intake"
    )
    await ensure_stream(intake.jetstream())
    await intake.close()
    await eventually(lambda: _connected(reporting))

    code = await verify_view(nats_server.url, TICKETS, SiteDirectory(strict=False))
    told = capsys.readouterr()

    assert code == 1
    assert "DESK ends at sequence 0" in told.err and "propdesk replay tickets" in told.err


async def test_bad_ops_requests_get_the_contracts_error_reply(
    desk: Desk, services, settings
) -> None:
    reporting = services["reporting"]
    [ticket_id] = await report_tickets(desk, "still-served")
    await caught_up(desk, reporting, 1)
    data_dir = settings.data_dir.resolve()
    junk = data_dir / "reporting-tickets.sqlite3.rebuild"
    junk.write_bytes(b"not a database, just bytes" * 100)
    cases = [
        (OPS_REPORTING_CHECKSUM, {"projection": "nope"}, "projection"),
        (OPS_REPORTING_CHECKSUM, b"{not json", "body"),
        (OPS_REPORTING_CHECKSUM, {"projection": "tickets", "extra": 1}, "extra"),
        (OPS_REPORTING_SWITCH, {"projection": "tickets"}, "path"),
        (OPS_REPORTING_SWITCH, {"projection": "nope", "path": str(junk)}, "projection"),
        (OPS_REPORTING_SWITCH, {"projection": "tickets", "path": "/etc/hosts"}, "path"),
        (OPS_REPORTING_SWITCH, {"projection": "tickets", "path": "relative.rebuild"}, "path"),
        (OPS_REPORTING_SWITCH, {"projection": "tickets", "path": str(junk)}, "path"),
        (
            OPS_REPORTING_SWITCH,
            {"projection": "tickets", "path": str(TICKETS.path(data_dir))},  # the live file
            "path",
        ),
    ]
    for subject, body, field in cases:
        reply = await desk.request(subject, body)
        assert reply["ok"] is False, (body, reply)
        assert reply["error"]["code"] == "invalid", (body, reply)
        assert field in {f["field"] for f in reply["error"]["fields"]}, (body, reply)

    still = await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id})
    assert still["ok"] and reporting.view.position() == 1  # nothing was switched


async def test_a_switch_takes_only_a_closed_view_of_its_own_projection_and_changes_no_file(
    desk: Desk, services, settings, tmp_path
) -> None:
    """Each refused before the view is touched: the other projection's rebuilt view, a SQLite
    file of something else, a file another process still writes (a write-ahead log), and a
    symbolic link that would become the live view."""
    reporting = services["reporting"]
    [ticket_id] = await report_tickets(desk, "kept")
    await caught_up(desk, reporting, 1)
    data_dir = settings.data_dir.resolve()
    analytics = rebuild_path(PROJECTIONS["analytics"].path(data_dir))
    await rebuild(await desk.ops(), "analytics", analytics)
    notes = data_dir / "notes.db"
    with sqlite3.connect(notes) as db:
        db.execute("CREATE TABLE notes (line TEXT)")
    ours = rebuild_path(TICKETS.path(data_dir))
    await rebuild(await desk.ops(), "tickets", ours)
    link = tmp_path / "elsewhere.rebuild"
    link.symlink_to(ours)
    linked_in = data_dir / "linked.rebuild"
    linked_in.symlink_to(ours)
    open_file = data_dir / "open.rebuild"
    await rebuild(await desk.ops(), "tickets", open_file)
    writer = sqlite3.connect(open_file)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("INSERT INTO view_meta (key, value) VALUES ('being', 'written')")
    writer.commit()
    before = {p: p.read_bytes() for p in (analytics, notes, ours)}
    try:
        for path in (analytics, notes, link, linked_in, open_file):
            body = {"projection": "tickets", "path": str(path)}
            reply = await desk.request(OPS_REPORTING_SWITCH, body)
            assert reply["ok"] is False, (path, reply)
            assert reply["error"]["code"] == "invalid", (path, reply)
            assert [f["field"] for f in reply["error"]["fields"]] == ["path"], reply
    finally:
        writer.close()

    assert {p: p.read_bytes() for p in before} == before  # not even a table added
    still = await desk.query("hbw", "ticket.get", {"ticket_id": ticket_id})
    assert still["ok"] and reporting.view.position() == 1
    assert not TICKETS.path(data_dir).is_symlink()


async def test_a_rebuild_that_fails_leaves_no_file_behind(
    desk: Desk, services, settings, nats_server, monkeypatch
) -> None:
    reporting = services["reporting"]
    await report_tickets(desk, "a1", "a2")
    await caught_up(desk, reporting, 2)

    def full(view, raw) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(replay, "_apply", full)
    data_dir = settings.data_dir.resolve()
    args = ["replay", "tickets", "--data-dir", str(data_dir), "--nats-url", nats_server.url]
    result = await asyncio.to_thread(CliRunner().invoke, app, args)

    assert result.exit_code == 3, result.output
    assert "database or disk is full" in result.output
    assert not rebuild_path(TICKETS.path(data_dir)).exists()
    assert reporting.view.position() == 2  # the live view served on


async def test_without_a_reporting_service_replay_puts_the_file_in_place_itself(
    desk: Desk, drill_services, settings, nats_server, capsys
) -> None:
    await drill_services("intake")
    await report_tickets(desk, "a", "b", "c")
    await eventually(lambda: _at_least(desk, 3))
    url = nats_server.url

    unreachable = await verify_view(url, TICKETS, DRILL_SITES)
    replaced = await replay_view(url, TICKETS, settings.data_dir.resolve(), DRILL_SITES)
    told = capsys.readouterr()
    reporting = (await drill_services("reporting"))["reporting"]
    started_at = reporting.view.position()
    await report_tickets(desk, "d")
    await caught_up(desk, reporting, 4)

    assert unreachable == 3 and "no reporting service answers" in told.err
    assert replaced == 0 and "replaced" in told.out
    assert not rebuild_path(TICKETS.path(settings.data_dir)).exists()
    assert started_at == 3  # the rebuilt file, in place before reporting started
    assert await verify_view(url, TICKETS, DRILL_SITES) == 0


async def test_replay_does_not_replace_a_view_a_silent_reporting_holds(
    desk: Desk, drill_services, settings, nats_server
) -> None:
    """A reporting process holds the views but does not answer (it is still starting, or on
    another bus): the replay leaves the rebuilt file beside the view rather than swap it under
    that process."""
    await drill_services("intake")
    await report_tickets(desk, "a")
    await eventually(lambda: _at_least(desk, 1))
    data_dir = settings.data_dir.resolve()
    live = TICKETS.path(data_dir)
    held = StoreLock.take(str(lock_path(data_dir, "reporting")), "reporting")
    try:
        refused = await replay_view(nats_server.url, TICKETS, data_dir, DRILL_SITES)
    finally:
        assert held is not None
        held.release()

    assert refused == 1
    assert not live.exists() and rebuild_path(live).exists()  # left beside, not put in place


async def test_a_second_replay_of_a_projection_while_one_runs_is_refused(
    desk: Desk, services, settings, nats_server, capsys
) -> None:
    reporting = services["reporting"]
    await report_tickets(desk, "a1")
    await caught_up(desk, reporting, 1)
    data_dir = settings.data_dir.resolve()
    rebuilt = rebuild_path(TICKETS.path(data_dir))
    with open(rebuilt.with_name(rebuilt.name + ".lock"), "a") as running:  # as the first one
        fcntl.flock(running, fcntl.LOCK_EX | fcntl.LOCK_NB)
        second = await replay_view(nats_server.url, TICKETS, data_dir, SiteDirectory(strict=False))
        told = capsys.readouterr()
    after = await replay_view(nats_server.url, TICKETS, data_dir, SiteDirectory(strict=False))

    assert second == 1 and "another `propdesk replay tickets`" in told.err
    assert after == 0  # the lock went with the first one
