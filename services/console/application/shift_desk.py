"""The desk's shift log (交接班记录, R15.9–R15.12; docs/SHIFTS.md) through the console: the forms
become the contract's commands — checked against the contract's own models first, so a bad form
is refused here and sends nothing — and the page reads `shift.show` (answered by intake). At
the close, the site's open tickets are listed as the pending items by themselves (R15.12)."""

from __future__ import annotations

from typing import Any

from services.console.application.forms import _text, send_form, step_command
from services.console.application.ports import DeskContract
from shared.contracts.shifts import MAX_PENDING, CloseShift, SignShift, WriteShiftEntry

ENTRY_KINDS = {"notice": "重要通知", "unresolved": "待解决问题", "abnormal": "异常情况"}
# verb of the page (/shifts/<verb>) -> (the contract's command, what the page says once done)
STEPS: dict[str, tuple[type, str]] = {
    "entry": (WriteShiftEntry, "已记入交接班记录"),
    "close": (CloseShift, "已交班，待接班人员签字"),
    "sign": (SignShift, "已签字接班"),
}


def step_body(verb: str, form: dict[str, str]) -> dict[str, Any]:
    shift = _text(form, "shift")
    if verb == "entry":
        return {"kind": _text(form, "kind"), "text": _text(form, "text"),
                "ticket_id": _text(form, "ticket"), "shift": shift}  # fmt: skip
    if verb == "close":
        return {"note": _text(form, "note"), "shift": shift}
    return {"shift": shift}


async def shift_step(desk: DeskContract, site: str, staff_id: str, verb: str,
                     body: dict[str, Any], open_tickets: list[str]) -> dict[str, Any]:  # fmt: skip
    """Send the step; a close hands on the site's open tickets as its pending items."""
    command = step_command(STEPS, verb)
    if verb == "close":
        body = {**body, "pending": open_tickets[:MAX_PENDING]}  # the newest first
    return await send_form(desk, site, staff_id, command, body)


async def shift_log(desk: DeskContract, site: str, previous: bool) -> dict[str, Any]:
    reply = await desk.query(site, "shift.show", {"previous": previous})
    return {k: v for k, v in reply.items() if k != "ok"}


def may_sign(log: dict[str, Any], staff_id: str) -> bool:
    """Whether the page offers `staff_id` the signature of the previous shift's `log`: once it
    is closed, to each member of the incoming shift once — the first signature does not end
    the others' (the night operations duty signs too, R15.11) — never to whoever closed it
    (R15.9; intake refuses both anyway)."""
    signed = {s.get("by") for s in log.get("signatures") or []}
    return (
        log.get("status") in ("closed", "signed")
        and log.get("closed_by") != staff_id
        and staff_id not in signed
    )
