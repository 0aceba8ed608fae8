"""What a notice is about, in a few words beside its number on the notices page (通知): an
incident's or a promise's notification says it itself (contract §20.4, its `incident` or
`promise`); one raised before they did names its subject by number or token only, so the page
looks each kind up once — one query per kind of subject shown undescribed, none when every notice
shown describes itself. A new complaint's notice (complaint_received, R6.3) is described by its
ticket's room and content, one ticket.get each for the newest few."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from services.console.application.incident_desk import incidents
from services.console.application.ports import DeskContract
from services.console.application.promise_desk import open_promises
from services.console.domain.refusal import Refused
from services.console.domain.words import word
from shared.kernel.text import shortened

BESIDE_NUMBER = 20  # characters of what was promised, beside the notice's number
NEWEST_DESCRIBED = 20  # new complaints looked up, one ticket.get each, for a page of notices


async def described(desk: DeskContract, site: str, notices: list[dict[str, Any]]) -> dict[str, str]:
    """notification id -> what it is about: an incident's kind and place (火灾 · 地下车库), so
    security knows before opening it (R16.5); a promise's kind, what was promised and its ticket
    (答复客户：明天答复维修费用（HBW-202611-0001）), so the owner knows which (R6.15). A notice
    that does not say it is looked up; an older subject than the lists hold, or a list that does
    not answer, is left undescribed."""
    said = {n["notification_id"]: own for n in notices if (own := said_itself(n))}
    rest = [n for n in notices if n["notification_id"] not in said]
    kinds = {n.get("about") for n in rest}
    if "incident" in kinds:
        with contextlib.suppress(Refused):
            by_no = {i["incident_no"]: _incident(i) for i in await incidents(desk, site, None)}
            said |= {n["notification_id"]: by_no[n["ticket_no"]] for n in rest
                     if n.get("about") == "incident" and n.get("ticket_no") in by_no}  # fmt: skip
    if "promise" in kinds:
        with contextlib.suppress(Refused):
            by_id = {p["promise_id"]: _promise(p) for p in await open_promises(desk, site)}
            said |= {n["notification_id"]: by_id[n["ticket_id"]] for n in rest
                     if n.get("about") == "promise" and n.get("ticket_id") in by_id}  # fmt: skip
    complaints = [n for n in rest if n.get("reason") == "complaint_received" and n.get("ticket_id")]
    for notice, ticket in zip(complaints, await _tickets(desk, site, complaints), strict=True):
        if ticket is not None:
            said[notice["notification_id"]] = _complaint(ticket)
    return said


async def _tickets(
    desk: DeskContract, site: str, notices: list[dict[str, Any]]
) -> list[dict[str, Any] | None]:
    """Each notice's ticket (ticket.get, at once; None where it is not found or the view does
    not answer): a new complaint's notice names its ticket only."""

    async def one(ticket_id: str) -> dict[str, Any] | None:
        with contextlib.suppress(Refused):
            return (await desk.query(site, "ticket.get", {"ticket_id": ticket_id}))["ticket"]
        return None

    ids = list(dict.fromkeys(str(n["ticket_id"]) for n in notices[:NEWEST_DESCRIBED]))
    found = dict(zip(ids, await asyncio.gather(*map(one, ids)), strict=True))
    return [found.get(str(n["ticket_id"])) for n in notices]


def _complaint(ticket: dict[str, Any]) -> str:
    """A new complaint as its assistant reads it before opening it (R6.3): the room and what the
    customer said (as published: masked, contract §14)."""
    unit = f"{ticket['unit']} · " if ticket.get("unit") else ""
    return unit + shortened(str(ticket.get("content") or ""), BESIDE_NUMBER)


def said_itself(notice: dict[str, Any]) -> str | None:
    """What the notification says it is about (its `incident` or `promise`), in the words the
    page uses for a looked-up one; None when it does not say."""
    if notice.get("incident"):
        return _incident(notice["incident"])
    if notice.get("promise"):
        return _promise(notice["promise"])
    return None


def _incident(incident: dict[str, Any]) -> str:
    place = f" · {incident['place']}" if incident.get("place") else ""
    return word("incident_kind", incident["kind"]) + place


def _promise(promise: dict[str, Any]) -> str:
    what = shortened(str(promise.get("what") or ""), BESIDE_NUMBER)
    ticket = f"（{promise['ticket_no']}）" if promise.get("ticket_no") else ""
    return f"{word('promise_kind', promise['kind'])}：{what}{ticket}"
