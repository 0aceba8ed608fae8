"""Maintenance and outage notices (维修通告, R7.9, R7.10, R16.6; docs/OUTAGES.md) through the
console: the announce form and a notice's steps (revise the restoration time, explain an
emergency afterwards, restored or done, cancel, link or unlink a ticket) become the contract's
commands — checked against the contract's own models first, so a bad form is refused here and
sends nothing — and the pages read `maintenance.list`. Times typed in a browser are read in the
site's zone."""

from __future__ import annotations

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
from services.console.domain.refusal import Refused
from shared.contracts.maintenance_commands import (
    AnnounceNotice,
    CancelNotice,
    EndNotice,
    ExplainNotice,
    LinkToNotice,
    ReviseRestoration,
    UnlinkFromNotice,
)

# verb of the page (/announcements/<no>/<verb>) -> (the contract's command, its label)
STEPS: dict[str, tuple[type, str]] = {
    "revise": (ReviseRestoration, "修改预计恢复时间"),
    "restored": (EndNotice, "已恢复"),
    "done": (EndNotice, "已完工"),
    "explain": (ExplainNotice, "事后说明"),
    "cancel": (CancelNotice, "取消"),
    "link": (LinkToNotice, "关联工单"),
    "unlink": (UnlinkFromNotice, "取消关联"),
}
# what the page says once a step is saved
DONE = {
    "revise": "预计恢复时间已修改", "restored": "已记录恢复", "done": "已记录完工",
    "explain": "事后说明已保存", "cancel": "通告已取消", "link": "工单已关联",
    "unlink": "已取消关联",
}  # fmt: skip


def _places(value: str | None) -> list[str]:
    """Places typed one after another: 3, 5 or 3、5 or one a line."""
    if not value:
        return []
    for sep in ("、", "，", ",", "\n", ";", "；"):
        value = value.replace(sep, " ")
    return value.split()


def announce_body(form: dict[str, str], zone: ZoneInfo) -> dict[str, Any]:
    return {
        "client_ref": _text(form, "client_ref") or new_client_ref(),
        "kind": _text(form, "kind"),
        "planned": form.get("planned") == "on",
        "scope": {
            "whole_site": form.get("whole_site") == "on",
            "buildings": _places(_text(form, "buildings")),
            "zones": _places(_text(form, "zones")),
            "units": _places(_text(form, "units")),
        },
        "starts_at": _local_time(_text(form, "starts_at"), zone, "starts_at"),
        "expected_end": _local_time(_text(form, "expected_end"), zone, "expected_end"),
        "text": _text(form, "text"),
    }


def step_body(verb: str, form: dict[str, str], zone: ZoneInfo) -> dict[str, Any]:
    if verb == "revise":
        end = _local_time(_text(form, "expected_end"), zone, "expected_end")
        return {"expected_end": end, "reason": _text(form, "reason")}
    if verb in ("restored", "done"):
        return {"outcome": verb, "note": _text(form, "note")}
    if verb == "explain":
        return {"explanation": _text(form, "explanation")}
    if verb == "cancel":
        return {"reason": _text(form, "reason")}
    if verb == "unlink":
        return {"ticket_id": _text(form, "ticket"), "reason": _text(form, "reason")}
    return {"ticket_id": _text(form, "ticket")}


async def announce(
    desk: DeskContract, site: str, staff_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    return await send_form(desk, site, staff_id, AnnounceNotice, body)


async def notice_step(
    desk: DeskContract, site: str, staff_id: str, ref: str, verb: str, body: dict[str, Any]
) -> dict[str, Any]:
    command = step_command(STEPS, verb)
    return await send_form(desk, site, staff_id, command, {"notice_id": ref[:64], **body})


async def in_force(desk: DeskContract, site: str) -> list[dict[str, Any]]:
    """The notices in force, for the intake form (what to tell a caller, R16.6); none if the
    desk cannot be asked just now: the form still works."""
    try:
        return await notices(desk, site, True)
    except Refused:
        return []


async def of_ticket(desk: DeskContract, site: str, ticket: dict[str, Any]) -> list[dict[str, Any]]:
    """The recent notices a ticket is linked to (none if the desk cannot be asked just now)."""
    try:
        found = await notices(desk, site, False)
    except Refused:
        return []
    return [n for n in found if ticket.get("ticket_no") in n["linked"]]


async def notices(desk: DeskContract, site: str, active: bool) -> list[dict[str, Any]]:
    """The site's notices (intake answers from its own records: a change shows at once)."""
    query = {"active": active, "limit": 200}
    return (await desk.query(site, "maintenance.list", query))["notices"]
