"""What the desk records and tells people, through the CLI and NATS with the real services
(issue 13, items 12, 13, 17, 18): the follow-up's one definition of "satisfied" (R11.1), the
inspection finding verified on site (R13.17), times in the site's zone, and the promises the
procedures make to the customer (R3.9, R7.3, R10.2, R6.4)."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest
import structlog
from typer.testing import CliRunner

from propdesk.cli.main import app
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration


async def cli(url: str, *args: str) -> Any:
    """`propdesk …` as the desk runs it (in a thread: it runs its own event loop)."""
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=sys.__stderr__))
    try:
        runner = CliRunner()
        return await asyncio.to_thread(
            runner.invoke, app, [*args, "--nats-url", url], env={"COLUMNS": "200"}
        )
    finally:
        structlog.reset_defaults()


async def monthly(desk: Desk, month: str = "2026-11") -> dict[str, Any]:
    reply = await desk.query("hbw", "report.monthly", {"month": month})
    assert reply["ok"], reply
    return reply["report"]


# -- item 13: one definition of "satisfied" ------------------------------------------------------


async def test_a_follow_up_whose_flag_contradicts_the_score_is_refused_and_the_score_decides_R11_1(
    desk: Desk, services, nats_server
) -> None:
    """R11.1, R8.12: the customer's score (1–5) is the answer; 4–5 is satisfied and closes,
    1–3 reopens. `--satisfied --score 1` closed a ticket before and counted as satisfied in the
    demo's table but not in the report: it is refused, with a message that says why."""
    t = await desk.command("hbw", "report", report_body())
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S02"}
    await desk.command("hbw", "resolve", ref | {"resolution": "已协调楼上住户"})
    follow_up = ("ticket", "follow-up", t["ticket_id"], "--site", "hbw", "--staff", "S02")

    contradicted = await cli(nats_server.url, *follow_up, "--score", "1", "--satisfied")
    told = await cli(nats_server.url, *follow_up, "--score", "4")

    assert contradicted.exit_code == 1, contradicted.output
    assert "score 1 is not satisfied" in contradicted.output
    assert "4–5" in contradicted.output
    assert told.exit_code == 0, told.output
    assert "status closed" in told.output

    async def answered() -> dict[str, Any] | None:
        report = await monthly(desk)
        return report if report["satisfaction"]["follow_ups"] else None

    report = await eventually(answered)
    assert report["satisfaction"] == {"follow_ups": 1, "satisfied": 1, "rate": 1.0}
    published = [m for m in await desk.events() if m.subject.endswith(".ticket.followed_up")]
    assert len(published) == 1  # the contradiction recorded nothing


async def test_a_score_of_three_is_not_satisfied_and_reopens_with_its_reason_R11_2(
    desk: Desk, services, nats_server
) -> None:
    """R11.2: fed back until the customer is satisfied; 3 is not (reports count 4–5)."""
    t = await desk.command("hbw", "report", report_body())
    ref = {"ticket_id": t["ticket_id"], "staff_id": "S02"}
    await desk.command("hbw", "resolve", ref | {"resolution": "已协调楼上住户"})

    no_reason = await desk.command("hbw", "follow_up", ref | {"score": 3})
    reopened = await desk.command("hbw", "follow_up", ref | {"score": 3, "comment": "一般"})

    assert [f["field"] for f in no_reason["error"]["fields"]] == ["comment"]
    assert (reopened["ok"], reopened["status"]) == (True, "reopened")
