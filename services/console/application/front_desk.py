"""The desk's work through the console: a form becomes a contract command (checked against the
contract's own models first, so a bad form is refused here with the contract's words and sends
nothing), a page reads the contract's queries. The signed-in person's site and staff id go into
every request; nothing else of the request chooses the site."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from services.console.application.forms import action_body, checked, order_body, refusal_of
from services.console.application.ports import DeskContract
from services.console.domain.refusal import Refused, new_key
from services.console.domain.screens import OPEN, OPEN_ORDERS, ORDER_VERBS, VERBS
from shared.contracts.commands import INTAKE_COMMANDS, ReportContact
from shared.contracts.dispatch_commands import DISPATCH_COMMANDS
from shared.contracts.queue_queries import SearchTickets
from shared.contracts.shifts import HandOverTicket
from shared.kernel.clock import Clock

COMMANDS = {command.verb: command for command in (*INTAKE_COMMANDS, HandOverTicket)}
ORDER_COMMANDS = {command.verb: command for command in DISPATCH_COMMANDS}
PAGE = 200  # ticket.list's largest page (docs/contract.md §12.2)
SEARCH_FIELDS = ("phone", "name", "room", "ticket_no")


class FrontDesk:
    def __init__(self, desk: DeskContract, clock: Clock) -> None:
        self.desk = desk
        self.clock = clock  # the desk's time: simulated under `up --clock simulated`

    async def report(self, site: str, staff_id: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            ReportContact.model_validate({**body, "staff_id": staff_id})
        except ValidationError as exc:
            raise refusal_of(exc) from None
        return await self.desk.command(site, "intake", "report", staff_id, body)

    async def act(
        self, site: str, staff_id: str, ticket_id: str, verb: str, form: dict[str, str]
    ) -> dict[str, Any]:
        if verb not in VERBS:
            raise Refused("not_found", f"没有这个操作：{verb}")
        body = {"ticket_id": ticket_id, **action_body(verb, form)}
        body = checked(COMMANDS[verb], body, staff_id)
        command_id = new_key()
        reply = await self.desk.command(site, "intake", verb, staff_id, body, command_id)
        await self._shown(lambda: self.ticket(site, reply["ticket_id"]), command_id)
        return reply

    async def _shown(self, read: Callable[[], Awaitable[dict[str, Any]]], command_id: str,
                     wait: float = 3.0) -> None:  # fmt: skip
        """Wait (a little) until the history `read` returns has the command's events, so the page
        shown next reads its own write; the events carry the command_id as their correlation
        id."""
        deadline = asyncio.get_running_loop().time() + wait
        while asyncio.get_running_loop().time() < deadline:
            with contextlib.suppress(Refused):
                history = (await read()).get("history") or []
                if any(h.get("correlation_id") == command_id for h in history):
                    return
            await asyncio.sleep(0.1)

    async def ticket(self, site: str, ref: str) -> dict[str, Any]:
        """A ticket of the site by its id or number; another site's is not found (the query
        goes to this site's subject only)."""
        try:
            query = {"ticket_id": str(uuid.UUID(ref))}
        except ValueError:
            query = {"ticket_no": ref.upper()[:80]}
        return (await self.desk.query(site, "ticket.get", query))["ticket"]

    async def orders_of(self, site: str, ticket: dict[str, Any]) -> list[dict[str, Any]]:
        """Each of the ticket's work orders with its history (one query an order: a ticket has
        one or a few)."""
        return [await self.work_order(site, o["work_order_id"]) for o in ticket["work_orders"]]

    async def tickets(self, site: str, status: str | None = None, kind: str | None = None,
                      zones: tuple[str, ...] = ()) -> list[dict[str, Any]]:  # fmt: skip
        """The newest page of the site's tickets (of `status`, `kind`, in one of `zones`)."""
        query: dict[str, Any] = {"limit": PAGE, **({"status": status} if status else {})}
        if kind:
            query["kind"] = kind
        if zones:  # a zone CS assistant's cases (R1.3, R6.3)
            query["zones"] = list(zones)
        return (await self.desk.query(site, "ticket.list", query))["tickets"]

    async def queue(
        self, site: str, view: str, kind: str | None, staff_id: str = "",
        zones: tuple[str, ...] = (),
    ) -> list[dict[str, Any]]:  # fmt: skip
        """open: every open ticket; overdue: those with a clock breached; mine: those `staff_id`
        owns — logged, or handed over to them (R10.1, docs/SHIFTS.md); all: the newest. Each of
        them only in `zones`, when given (R1.3), but mine: what she owns is hers in any zone (a
        call from another zone she took, 首问负责制)."""
        if view == "mine":
            zones = ()
        if view == "all":
            return await self.tickets(site, None, kind, zones)
        found = [
            t for status in sorted(OPEN) for t in await self.tickets(site, status, kind, zones)
        ]
        found.sort(key=lambda t: t["received_at"], reverse=True)
        if view == "overdue":
            found = [t for t in found if (t.get("sla") or {}).get("overdue")]
        if view == "mine":
            found = [t for t in found if t.get("owner") == staff_id]
        return found

    async def follow_ups(self, site: str) -> list[dict[str, Any]]:
        """回访: resolved, not yet called back, the longest waiting first (R11.1): every one, not
        only the newest page."""
        resolved = await self.every_page(site, "ticket.list", {"status": "resolved"}, "tickets")
        calls = [t for t in resolved if t.get("channel") != "inspection"]
        return sorted(calls, key=lambda t: t.get("resolved_at") or "")

    async def search(self, site: str, staff_id: str, by: str, value: str) -> list[dict[str, Any]]:
        """The desk's first move when someone calls back (the query ticket.search, answered by
        intake): tickets by the caller's phone or name, a room, or a ticket number."""
        if by not in SEARCH_FIELDS:
            raise Refused("invalid", f"不能按 {by} 查找")
        if not value.strip():
            raise Refused("invalid", "请输入要查找的内容")
        query = {"staff_id": staff_id, by: value.strip(), "limit": 50}
        checked(SearchTickets, query, staff_id)  # a mistyped phone or number: said in Chinese
        return (await self.desk.query(site, "ticket.search", query))["tickets"]

    async def orders(self, site: str, **filters: str) -> list[dict[str, Any]]:
        """Work orders from the departments' queues (the query workorder.list), oldest issued
        first."""
        query = {"limit": PAGE, **{k: v for k, v in filters.items() if v}}
        return (await self.desk.query(site, "workorder.list", query))["work_orders"]

    async def orders_of_technician(self, site: str, technician: str) -> list[dict[str, Any]]:
        """A technician's open work orders (我的派工单), asked status by status: the list is
        oldest issued first, so one page of all their orders would, after a few months, be only
        the ones long finished. The soonest appointment first, those without one after."""
        found = [
            order
            for status in sorted(OPEN_ORDERS)
            for order in await self.orders(site, status=status, technician=technician)
        ]
        return sorted(found, key=_appointment_first)

    async def notices(
        self, site: str, role: str | None, department: str | None = None,
        about: str | None = None, zones: tuple[str, ...] = (),
    ) -> list[dict[str, Any]]:  # fmt: skip
        """The site's notices (to `role`, of `department`, `about` one subject's number, to
        `zones` and to none), oldest first, every page of them."""
        query: dict[str, Any] = {"role": role, "department": department, "ticket_no": about,
                                 "zones": list(zones) or None}  # fmt: skip
        return await self.every_page(site, "notice.list", query, "notices")

    async def notices_since(
        self, site: str, since: datetime, pages: int = 50
    ) -> list[dict[str, Any]]:
        """The site's notices raised at `since` or later, newest first: pages read from the
        newest (notice.list `newest_first`) until one holds none raised since — not every page
        of the site's, which at a busy site is months of notices."""

        def recent(notice: dict[str, Any]) -> bool:
            raised = notice.get("raised_at")
            return bool(raised) and datetime.fromisoformat(raised) >= since

        query = {"newest_first": True}
        return await self.every_page(site, "notice.list", query, "notices", pages, keep=recent)

    async def every_page(
        self, site: str, name: str, query: dict[str, Any], key: str, pages: int = 50,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """All the rows of a paged query (at most `pages` pages of PAGE rows); with `keep`,
        those it keeps, until a page where it keeps none."""
        query = {k: v for k, v in query.items() if v is not None} | {"limit": PAGE}
        rows: list[dict[str, Any]] = []
        for _ in range(pages):
            reply = await self.desk.query(site, name, query)
            kept = reply[key] if keep is None else [row for row in reply[key] if keep(row)]
            rows += kept
            if not reply.get("next_cursor") or (keep is not None and not kept):
                break
            query["cursor"] = reply["next_cursor"]
        return rows

    async def acknowledge(self, site: str, staff_id: str, notification_id: str, note: str | None):
        """Acknowledge, then wait (a little) until notice.list shows it acknowledged, so the page
        shown next reads its own write: asking for that notice's subject and role only (the
        reply names both), not every page of the site's notices."""
        body = {"notification_id": notification_id, **({"note": note} if note else {})}
        reply = await self.desk.command(site, "escalation", "ack", staff_id, body)
        deadline = asyncio.get_running_loop().time() + 3.0
        while asyncio.get_running_loop().time() < deadline:
            listed = await self.notices(site, reply["role"], about=reply.get("ticket_no"))
            if any(
                n["notification_id"] == notification_id and n.get("acknowledged_at") for n in listed
            ):
                break
            await asyncio.sleep(0.1)
        return reply

    async def work_order(self, site: str, ref: str) -> dict[str, Any]:
        try:
            query = {"work_order_id": str(uuid.UUID(ref))}
        except ValueError:
            query = {"order_no": ref.upper()[:80]}
        return (await self.desk.query(site, "workorder.get", query))["work_order"]

    async def order_step(
        self,
        site: str,
        staff_id: str,
        ref: str,
        verb: str,
        form: dict[str, str],
        zone: ZoneInfo | None = None,
    ) -> dict[str, Any]:
        """A step of a work order (派工单) by its technician or department (docs/contract.md §10):
        the order's id looked up first, the body checked against the contract's model."""
        if verb not in ORDER_VERBS:
            raise Refused("not_found", f"没有这个操作：{verb}")
        order = await self.work_order(site, ref)
        order_id = order["work_order_id"]
        body = {"work_order_id": order_id, **order_body(verb, form, staff_id, zone)}
        body = checked(ORDER_COMMANDS[verb], body, staff_id)
        command_id = new_key()
        reply = await self.desk.command(site, "dispatch", verb, staff_id, body, command_id)
        shown = reply["work_order_id"]  # a rework's reply names its new order
        await self._shown(lambda: self.work_order(site, shown), command_id)
        return reply


def _appointment_first(order: dict[str, Any]) -> tuple[bool, datetime, str]:
    """An order's place on a technician's day: by its appointment's start, those without one
    after, then as issued."""
    start = (order.get("appointment") or {}).get("start")
    when = datetime.fromisoformat(start) if start else datetime.max.replace(tzinfo=UTC)
    return start is None, when, order.get("issued_at") or ""
