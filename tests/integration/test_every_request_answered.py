"""Every request gets an answer, whatever its bytes (docs/contract.md §2): the bodies of the fault
campaign that went unanswered are refused at once as `invalid` naming `body`, and write nothing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from structlog.testing import capture_logs

from shared.messaging.identity import site_identity
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

REPORT = "desk.cmd.hbw.intake.report"
IN_TIME = 1.0  # seconds: the answer comes at once, not after a retry or a timeout


async def send(desk: Desk, subject: str, body: bytes) -> dict[str, Any]:
    nc = await desk.bus.connection(site_identity(subject.split(".")[2]))
    msg = await nc.request(subject, body, timeout=IN_TIME)
    return json.loads(msg.data)


def refused_body(reply: dict[str, Any]) -> str:
    """The message of an `invalid` reply about the body as a whole."""
    assert reply["ok"] is False, reply
    assert reply["error"]["code"] == "invalid", reply
    assert [f["field"] for f in reply["error"]["fields"]] == ["body"], reply
    return reply["error"]["message"]


async def test_json_nested_a_thousand_deep_is_refused(desk: Desk, services) -> None:
    # 2.3 KB: FastStream's decoder used to raise RecursionError before any handler ran
    deep = "[" * 1000 + "]" * 1000
    body = json.dumps(report_body()).replace('"S01"', deep).encode()
    assert len(body) < 2400

    assert "nested deeper than 32" in refused_body(await send(desk, REPORT, body))
    assert await desk.stream_count() == 0


async def test_a_number_of_a_hundred_thousand_digits_is_refused(desk: Desk, services) -> None:
    body = json.dumps(report_body(staff_id=None)).replace("null", "7" * 100_000).encode()

    assert "100000 characters" in refused_body(await send(desk, REPORT, body))
    assert await desk.stream_count() == 0


async def test_twenty_thousand_unknown_keys_are_refused(desk: Desk, services) -> None:
    body = json.dumps(report_body() | {f"k{i}": 1 for i in range(20_000)}).encode()

    assert "at most" in refused_body(await send(desk, REPORT, body))
    assert await desk.stream_count() == 0


async def test_a_megabyte_body_is_refused_by_its_size_alone(desk: Desk, services) -> None:
    # Just under NATS's max_payload (1 MiB; a larger publish fails in the client). Nothing of it
    # is read: the refusal names the body, not the field that is too long.
    body = json.dumps(report_body(content="漏" * 340_000), ensure_ascii=False).encode()
    assert 1_000_000 < len(body) < 1024 * 1024

    assert f"the body is {len(body)} bytes" in refused_body(await send(desk, REPORT, body))
    assert await desk.stream_count() == 0


async def test_a_body_in_utf16_is_refused_and_the_same_in_utf8_accepted(
    desk: Desk, services
) -> None:
    text = json.dumps(report_body(), ensure_ascii=False)

    for encoding in ("utf-16", "utf-16-le", "utf-32"):
        assert "not UTF-8" in refused_body(await send(desk, REPORT, text.encode(encoding)))
    assert await desk.stream_count() == 0
    assert (await send(desk, REPORT, text.encode("utf-8")))["ok"] is True


async def test_a_request_without_a_reply_subject_is_handled_quietly(desk: Desk, services) -> None:
    """A plain publish on a request subject: a bad body is dropped without an error, a good
    command is carried out all the same (nobody hears its reply)."""
    nc = await desk.bus.connection(site_identity("hbw"))
    with capture_logs() as logs:
        for body in (b"[" * 1000 + b"]" * 1000, b"\xff\xfe{", b"{}"):
            await nc.publish(REPORT, body)
        await nc.publish(REPORT, json.dumps(report_body()).encode())
        await nc.flush()
        await eventually(lambda: _count_is(desk, 1))
        # still answering requests
        again = await send(desk, REPORT, json.dumps(report_body()).encode())
        assert again["duplicate"] is True

    assert [entry for entry in logs if entry["log_level"] in ("error", "critical")] == []


async def _count_is(desk: Desk, n: int) -> bool:
    await asyncio.sleep(0)
    return await desk.stream_count() == n
