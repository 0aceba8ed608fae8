"""The intake contract driven by a plain nats-py client against real nats-server and stores."""

from __future__ import annotations

import json

import pytest
from nats.errors import TimeoutError as NatsTimeout

from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

ENVELOPE_FIELDS = {
    "event_id",
    "event_type",
    "schema_version",
    "site",
    "aggregate_id",
    "aggregate_version",
    "occurred_at",
    "recorded_at",
    "correlation_id",
    "causation_id",
    "actor",
    "data",
}


async def test_a_reported_contact_is_published_once_as_an_envelope(desk: Desk, services) -> None:
    """R3.1: every contact is recorded; the event travels on DESK with Nats-Msg-Id = event_id."""
    reply = await desk.command("hbw", "report", report_body(command_id="cmd-1"))

    assert reply == {
        "ok": True,
        "ticket_id": reply["ticket_id"],
        "ticket_no": "HBW-202611-0001",
        "status": "received",
        "duplicate": False,
        # R3.9: the complainant is promised a reply within the 2 days after which an unresolved
        # complaint goes to the department supervisor (R6.4, R6.8), in the site's zone
        "deadline": {
            "clock": "complaint_reply",
            "due_at": "2026-11-25T10:00:00+08:00",
            "guessed_years": [],  # issue 13: years of the deadline not in the calendar
        },
        "promises": [
            {"clock": "complaint_reply", "due_at": "2026-11-25T10:00:00+08:00", "guessed_years": []}
        ],
        "emergency": False,  # gas, fire or smoke: the emergency plan (R4.10, R16.5)
        "incident_no": None,  # a help request of category A, E or F names its incident (R16.5)
        "answered_by_notice": None,  # a repair an announced outage answers names it (R16.6)
    }
    await eventually(lambda: _count_is(desk, 1))
    [msg] = await desk.events()
    envelope = json.loads(msg.data)
    assert msg.subject == "desk.evt.hbw.ticket.reported"
    assert set(envelope) == ENVELOPE_FIELDS
    assert msg.headers["Nats-Msg-Id"] == envelope["event_id"]
    assert envelope["aggregate_id"] == reply["ticket_id"]
    assert envelope["actor"] == "S01"
    assert envelope["causation_id"] == "cmd-1"
    assert envelope["data"]["unit"] == "3-201"


async def test_the_same_client_ref_returns_the_same_ticket_and_records_nothing(
    desk: Desk, services
) -> None:
    first = await desk.command("hbw", "report", report_body("visit-77"))
    again = await desk.command("hbw", "report", report_body("visit-77", content="又来了"))

    assert again["ticket_id"] == first["ticket_id"]
    assert again["duplicate"] is True
    await desk.ticket("hbw", first["ticket_id"])
    assert await desk.stream_count() == 1


async def test_a_repeated_command_id_returns_the_first_reply_and_records_nothing(
    desk: Desk, services
) -> None:
    ticket = await desk.command("hbw", "report", report_body(kind="inquiry"))
    resolve = {"ticket_id": ticket["ticket_id"], "staff_id": "S01", "command_id": "res-1"}
    first = await desk.command("hbw", "resolve", resolve | {"resolution": "已协调楼上住户"})
    retried = await desk.command("hbw", "resolve", resolve | {"resolution": "a retry"})

    assert retried == first
    shown = await desk.ticket("hbw", ticket["ticket_id"], version=2)
    assert shown["resolution"] == "已协调楼上住户"
    assert await desk.stream_count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (b"{not json", "body"),
        (b"[1, 2]", "body"),
        (json.dumps(report_body(content="")).encode(), "content"),
        (json.dumps(report_body(kind="gossip")).encode(), "kind"),
        (json.dumps(report_body(category="spaceships")).encode(), "category"),
        (json.dumps(report_body(kind="help")).encode(), "help_category"),
        (json.dumps(report_body(received_at="2026-11-23")).encode(), "received_at"),
        (json.dumps(report_body(surprise=1)).encode(), "surprise"),
        (
            json.dumps({k: v for k, v in report_body().items() if k != "staff_id"}).encode(),
            "staff_id",
        ),
    ],
)
async def test_a_bad_command_gets_a_clear_error_and_changes_nothing(
    desk: Desk, services, payload: bytes, field: str
) -> None:
    reply = await desk.request("desk.cmd.hbw.intake.report", payload)

    assert reply["ok"] is False
    assert reply["error"]["code"] == "invalid"
    assert reply["error"]["message"]
    assert field in [f["field"] for f in reply["error"]["fields"]]
    assert services["intake"].app.recorder.max_notification_id() in (None, 0)
    assert await desk.stream_count() == 0


async def test_a_refused_body_names_each_field_s_check_by_its_type_and_changes_nothing(
    desk: Desk, services
) -> None:
    """docs/contract.md §3: each field problem says pydantic's check (`type`, with its numbers in
    `ctx`), beside the field and message every client already reads; the command is not
    recorded, and its command_id stays free for the corrected command (section 4)."""
    ticket = await desk.command("hbw", "report", report_body(kind="inquiry"))
    await desk.ticket("hbw", ticket["ticket_id"])
    before = await desk.stream_count()
    resolve = {"ticket_id": ticket["ticket_id"], "staff_id": "S01", "command_id": "res-1"}

    refused = await desk.bus.request(  # within a second, or nats-py raises its timeout
        "desk.cmd.hbw.intake.resolve", resolve | {"resolution": "修" * 2001, "urgent": True}, 1.0
    )

    too_long, extra = "String should have at most 2000 characters", "Extra inputs are not permitted"
    assert refused == {
        "ok": False,
        "error": {
            "code": "invalid",
            "message": f"invalid command: resolution: {too_long}; urgent: {extra}",
            "fields": [
                {"field": "resolution", "message": too_long, "type": "string_too_long",
                 "ctx": {"max_length": 2000}},
                {"field": "urgent", "message": extra, "type": "extra_forbidden", "ctx": {}},
            ],
        },
    }  # fmt: skip
    assert await desk.stream_count() == before
    assert (await desk.ticket("hbw", ticket["ticket_id"]))["status"] == "received"
    resolved = await desk.command("hbw", "resolve", resolve | {"resolution": "已协调楼上住户"})
    assert resolved["status"] == "resolved"


async def test_a_malformed_site_in_the_subject_cannot_even_be_sent(desk: Desk, services) -> None:
    """No identity may publish to a malformed site's subject (the server refuses it; the
    services' own check of the site token stands behind, tests/unit/test_contracts.py)."""
    hbw = await desk.bus.connection("site-hbw")
    with pytest.raises(NatsTimeout):
        await hbw.request("desk.cmd.HBW_1.intake.report", b"{}", timeout=1)
    assert await desk.stream_count() == 0


async def test_a_ticket_is_reachable_only_through_its_own_site(desk: Desk, services) -> None:
    ticket = await desk.command("hbw", "report", report_body())
    await desk.ticket("hbw", ticket["ticket_id"])
    other = {"ticket_id": ticket["ticket_id"], "staff_id": "T09", "resolution": "not mine"}

    assert (await desk.command("tech-park", "resolve", other))["error"]["code"] == "not_found"
    query = await desk.query("tech-park", "ticket.get", {"ticket_id": ticket["ticket_id"]})
    assert query["error"]["code"] == "not_found"
    listed = await desk.query("tech-park", "ticket.list", {})
    assert listed == {"ok": True, "tickets": [], "next_cursor": None}
    assert await desk.stream_count() == 1


async def test_an_invalid_transition_is_a_conflict_naming_the_status(desk: Desk, services) -> None:
    ticket = await desk.command("hbw", "report", report_body())
    follow_up = {"ticket_id": ticket["ticket_id"], "staff_id": "S01", "satisfied": True, "score": 5}

    reply = await desk.command("hbw", "follow_up", follow_up)

    assert reply["error"]["code"] == "conflict"
    assert "received" in reply["error"]["message"]
    await desk.ticket("hbw", ticket["ticket_id"])
    assert await desk.stream_count() == 1


async def _count_is(desk: Desk, n: int) -> bool:
    return await desk.stream_count() == n
