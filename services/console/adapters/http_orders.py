"""A work order (派工单) on a technician's phone, and the managers' dashboard and reports."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.console.adapters.http_web import HEADERS, Stop, Web, Who
from services.console.adapters.report_downloads import report_file
from services.console.application.dashboard import last_month, today
from services.console.domain.refusal import Refused
from services.console.domain.screens import (
    ORDER_VERBS,
    QUEUES,
    REPORTS,
    order_steps,
    workers,
)
from services.console.domain.words import word


class OrderPages(Web):
    async def orders(self, request: Request, who: Who) -> Response:
        """A technician's own open orders; for anyone else the queues (of their department, when
        the staff list names one): waiting to be collected (2-minute clock), assigned, on site."""
        wanted = (request.query_params.get("order") or "").strip()
        if wanted:
            return RedirectResponse(f"/orders/{quote(wanted)}", 303)
        site, me = who.session.site, who.session.staff_id
        member = self.accounts.member(site, me)
        department = member.department.value if member and member.department else ""
        try:
            if who.role == "technician":
                queues = {"我的派工单": await self.desk.orders_of_technician(site, me)}
            else:
                queues = {
                    label: await self.desk.orders(site, status=status, department=department)
                    for status, label in QUEUES
                }
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(request, "orders.html", who=who, queues=queues, department=department)

    async def order(self, request: Request, who: Who, **context: Any) -> Response:
        ref = request.path_params["order"]
        try:
            order = await self.desk.work_order(who.session.site, ref)
        except Refused as refused:
            raise Stop(404, f"本项目没有这张派工单：{ref}（{refused.shown}）") from None
        site = self.sites.get(who.session.site)
        staff = site.staff if site else {}
        steps = order_steps(order, who.role)
        ended = await self.ticket_ended(who.session.site, order) if steps else None
        if ended:  # dispatch refuses a rework of an ended ticket's order: the desk reopens it
            steps = [step for step in steps if step.verb != "rework"]
        return self.page(
            request, "order.html", context.pop("status", 200), who=who, order=order,
            csrf=who.session.csrf, steps=steps, ticket_ended=ended,
            workers=workers(staff, order.get("department")),
            request_message=request.query_params.get("m"), **context,
        )  # fmt: skip

    async def ticket_ended(self, site: str, order: dict[str, Any]) -> dict[str, Any] | None:
        """The order's ticket when it is closed or cancelled (no rework on it until the desk
        reopens it, R8.9, R11.2), else None; asked only of a finished order."""
        if order.get("status") not in ("signed_off", "returned"):
            return None
        try:
            ticket = await self.desk.ticket(site, str(order["ticket_id"]))
        except Refused:
            return None
        return ticket if ticket.get("status") in ("closed", "cancelled") else None

    async def order_step(self, request: Request, who: Who) -> Response:
        ref, verb = request.path_params["order"], request.path_params["verb"]
        if verb not in ORDER_VERBS:
            raise Stop(404, f"没有这个操作：{verb}")
        try:
            site = self.sites.get(who.session.site)
            reply = await self.desk.order_step(
                who.session.site, who.session.staff_id, ref, verb, request.state.form,
                site.zone if site else None,
            )  # fmt: skip
        except Refused as refused:
            return await self.shown_again(
                request, who, refused, verb, self.order, f"本项目没有这张派工单：{ref}"
            )
        done = f"{ORDER_VERBS[verb].label}已保存"
        return RedirectResponse(f"/orders/{reply['order_no']}?m={quote(done)}", 303)


class ManagerPages(Web):
    async def dashboard(self, request: Request, who: Who) -> Response:
        site = self.sites.get(who.session.site)
        assert site is not None
        area = who.area(request)  # a zone CS assistant's zones first (R1.3)
        try:
            figures = await today(
                self.desk, who.session.site, site.zone, who.role, who.department, area.zones
            )
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        now = self.clock.now().astimezone(site.zone)
        year, week, _ = now.isocalendar()
        response = self.page(
            request, "dashboard.html", who=who, today=figures, month=last_month(now, site.zone),
            live="reload", area=area,
            week=f"{year}-W{week:02d}",
        )  # fmt: skip
        response.headers["Refresh"] = "60"  # a wall screen stays current without a script
        return response

    async def report_download(self, request: Request, who: Who) -> Response:
        kind = request.path_params["kind"]
        if who.role not in REPORTS.get(kind, ()):
            raise Stop(403, f"{word('role', who.role)}无权下载此报表")
        period = (request.query_params.get("period") or "").strip()[:10]
        fmt = request.query_params.get("format", "xlsx")
        try:
            name, media, body = await report_file(
                self.desk.desk, who.session.site, kind, period, fmt
            )
        except Refused as refused:
            raise Stop(400, refused.shown) from None
        disposition = f'attachment; filename="{name}"'
        return Response(body, media_type=media, headers=HEADERS | {
            "Content-Disposition": disposition})  # fmt: skip
