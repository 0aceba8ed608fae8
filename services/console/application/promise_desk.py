"""Promises kept (守信履约, R6.15, R10.6, R2.6, R11.5; docs/PROMISES.md) through the console: the
forms become the contract's commands — checked against the contract's own models first, so a bad
form is refused here and sends nothing — and the page reads `promise.list`. Times typed in a
browser are read in the site's zone."""

from __future__ import annotations

import asyncio
from typing import Any
from zoneinfo import ZoneInfo

from services.console.application.forms import (
    _local_time,
    _text,
    new_client_ref,
    send_form,
    step_command,
)
from services.console.application.ports import DeskContract
from shared.contracts.promise_commands import (
    BreakPromise,
    KeepPromise,
    MakePromise,
    RecordMissedCall,
    ReschedulePromise,
    RevealCaller,
)

# verb of the page (/promises/<ref>/<verb>) -> (the contract's command, its label)
STEPS: dict[str, tuple[type, str]] = {
    "keep": (KeepPromise, "已兑现"),
    "reschedule": (ReschedulePromise, "改约时间"),
    "break": (BreakPromise, "无法兑现"),
}
# what the page says once a step is saved
DONE = {"keep": "已记录兑现", "reschedule": "已改约，按新时间兑现", "break": "已记录无法兑现"}


def make_body(form: dict[str, str], zone: ZoneInfo) -> dict[str, Any]:
    return {
        "client_ref": _text(form, "client_ref") or new_client_ref(),
        "kind": _text(form, "kind") or "reply",
        "due_at": _local_time(_text(form, "due_at"), zone, "due_at"),
        "what": _text(form, "what"),
        "ticket_id": _text(form, "ticket"),
    }


def missed_call_body(form: dict[str, str], zone: ZoneInfo) -> dict[str, Any]:
    return {
        "client_ref": _text(form, "client_ref") or new_client_ref(),
        "phone": _text(form, "phone"),
        "called_at": _local_time(_text(form, "called_at"), zone, "called_at"),
    }


def step_body(verb: str, form: dict[str, str], zone: ZoneInfo) -> dict[str, Any]:
    if verb == "keep":
        return {"outcome": _text(form, "outcome")}
    if verb == "reschedule":
        due_at = _local_time(_text(form, "due_at"), zone, "due_at")
        return {"due_at": due_at, "reason": _text(form, "reason")}
    return {"reason": _text(form, "reason")}


async def make(desk: DeskContract, site: str, staff_id: str, body: dict[str, Any]) -> dict:
    return await send_form(desk, site, staff_id, MakePromise, body)


async def missed_call(desk: DeskContract, site: str, staff_id: str, body: dict[str, Any]) -> dict:
    return await send_form(desk, site, staff_id, RecordMissedCall, body)


async def step(desk: DeskContract, site: str, staff_id: str, ref: str, verb: str,
               body: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    command = step_command(STEPS, verb)
    return await send_form(desk, site, staff_id, command, {"promise": ref, **body})


async def reveal(desk: DeskContract, site: str, staff_id: str, ref: str) -> dict[str, Any]:
    """A missed call's number, for the call back (the look is recorded in intake)."""
    return await send_form(desk, site, staff_id, RevealCaller, {"promise": ref})


async def open_promises(desk: DeskContract, site: str) -> list[dict[str, Any]]:
    return (await desk.query(site, "promise.list", {"limit": 200}))["promises"]


async def seen(desk: DeskContract, site: str, reply: dict[str, Any], wait: float = 3.0) -> None:
    """Wait (a little) until reporting's list shows what a command did, so the page shown next
    reads its own write: an open promise listed with its due time, an ended one gone."""
    deadline = asyncio.get_running_loop().time() + wait
    while asyncio.get_running_loop().time() < deadline:
        listed = {p["promise_id"]: p for p in await open_promises(desk, site)}
        found = listed.get(reply["promise_id"])
        if (reply["status"] == "open") == (found is not None) and (
            found is None or found["due_at"] == reply["due_at"]
        ):
            return
        await asyncio.sleep(0.1)
