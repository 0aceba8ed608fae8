"""A command's reply is the JSON object of docs/contract.md §3 with the headers FastStream gives
a handler's dict — `content-type: application/json` and the request's `correlation_id` — though a
command is answered by its own task after the commit (shared/messaging/deferred.py), not by
FastStream's publisher: a FastStream client's `await response.decode()` is the reply's dict,
whatever body and headers it sent, as it is for a query FastStream answers itself."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from faststream.nats import NatsBroker

from shared.messaging.bus import access_for
from shared.messaging.identity import site_identity
from tests.conftest import SecuredNats
from tests.integration.support import report_body

pytestmark = pytest.mark.integration


@pytest.fixture
async def faststream_desk(nats_server: SecuredNats) -> AsyncIterator[NatsBroker]:
    """Harbour View's desk as a FastStream application would reach the bus: a NatsBroker
    connected (not started: it only sends requests) with the site's own credential."""
    access = access_for(site_identity("hbw"), nats_server.url, nats_server.bus_settings)
    broker = NatsBroker(
        access.servers,
        security=access.security(),
        inbox_prefix=access.options()["inbox_prefix"],
        apply_types=False,
    )
    await broker.connect()
    yield broker
    await broker.stop()


async def test_a_command_reply_decodes_to_its_dict_for_a_faststream_client(
    faststream_desk: NatsBroker, services
) -> None:
    """R3.1 through FastStream: the report is answered with the ticket, in JSON it says is JSON."""
    response = await faststream_desk.request(
        report_body("fs-1"), "desk.cmd.hbw.intake.report", correlation_id="desk-fs-1", timeout=5
    )

    reply = await response.decode()
    assert isinstance(reply, dict)
    assert reply["ok"] is True and reply["ticket_no"] == "HBW-202611-0001"
    assert response.correlation_id == "desk-fs-1"
    assert response.headers == {"content-type": "application/json", "correlation_id": "desk-fs-1"}


async def test_a_command_sent_as_text_is_answered_in_json_not_with_its_own_headers(
    faststream_desk: NatsBroker, services
) -> None:
    """A body FastStream sends as text (text/plain) is still a command (contract §2 reads the
    bytes); the reply says application/json, so the client decodes a dict, not a string, and no
    header of the request (the server's Nats-Request-Info) comes back."""
    response = await faststream_desk.request(
        json.dumps(report_body("fs-2"), ensure_ascii=False),
        "desk.cmd.hbw.intake.report",
        timeout=5,
    )

    reply = await response.decode()
    assert isinstance(reply, dict) and reply["ok"] is True, reply
    assert set(response.headers) == {"content-type", "correlation_id"}
    assert response.headers["content-type"] == "application/json"
    # the request's correlation_id, which FastStream's client makes when none is given
    assert response.correlation_id


async def test_a_command_reply_carries_the_headers_faststream_gives_a_query_reply(
    faststream_desk: NatsBroker, services
) -> None:
    """A query is answered by FastStream's own publisher: a command's reply looks the same."""
    command = await faststream_desk.request(
        {"ticket_id": "no-such-ticket", "staff_id": "S01", "note": "x"},
        "desk.cmd.hbw.intake.reply",
        correlation_id="c-1",
        timeout=5,
    )
    query = await faststream_desk.request(
        {"ticket_id": "no-such-ticket"}, "desk.qry.hbw.ticket.get", correlation_id="c-1", timeout=5
    )

    assert (await command.decode())["ok"] is False  # refused, and answered alike
    assert (await query.decode())["ok"] is False
    assert command.headers == query.headers
