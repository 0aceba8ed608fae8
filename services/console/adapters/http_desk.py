"""The front desk's pages: the intake form (受理登记), the queues, a ticket and its actions, the
follow-up calls (回访), the notices and the printable 派工单."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from services.console.adapters.http_web import HEADERS, Stop, Web, Who
from services.console.application import incident_desk, my_notices, notice_desk
from services.console.application.forms import new_client_ref, report_body
from services.console.application.notification_subjects import described
from services.console.application.resident_desk import CARE, recognised
from services.console.domain.areas import area_of
from services.console.domain.refusal import Refused
from services.console.domain.screens import (
    CONTACT_ROLES,
    VERBS,
    WORKERS,
    allowed_actions,
    open_orders,
)
from services.console.domain.timeline import timeline
from services.console.domain.words import (
    CATEGORIES,
    CHANNELS,
    HELP_CATEGORIES,
    INCIDENT_KINDS,
    KINDS,
    ROLES,
    word,
)


class DeskPages(Web):
    def desk_page(self, request: Request, who: Who, status: int = 200, **context: Any):
        site = self.sites.get(who.session.site)
        categories = site.categories if site else ()
        return self.page(
            request, "desk.html", status, who=who, csrf=who.session.csrf,
            channels=CHANNELS, kinds=KINDS, help_categories=HELP_CATEGORIES,
            incident_kinds=INCIDENT_KINDS, care_words=CARE,
            categories=[(c, CATEGORIES.get(c, c)) for c in categories],
            form=context.pop("form", {"client_ref": new_client_ref()}), **context,
        )  # fmt: skip

    async def desk_form(self, request: Request, who: Who) -> Response:
        # the notices in force: the receptionist tells a caller the restoration time (R16.6)
        active = await notice_desk.in_force(self.desk.desk, who.session.site)
        caller = (request.query_params.get("caller") or "").strip()
        if not caller:
            return self.desk_page(request, who, active=active)
        found = await recognised(self.desk.desk, who, caller)
        return self.desk_page(request, who, active=active, **found)

    async def report(self, request: Request, who: Who) -> Response:
        form = request.state.form
        try:
            body = report_body(form, self.site_zone(who))
            reply = await self.desk.report(who.session.site, who.session.staff_id, body)
        except Refused as refused:
            active = await notice_desk.in_force(self.desk.desk, who.session.site)
            return self.desk_page(request, who, 400, form=form, refused=refused, active=active)
        # linked to a notice in force: what to tell the caller of it (R16.6)
        notices = await notice_desk.of_ticket(self.desk.desk, who.session.site, reply)
        return self.page(request, "reported.html", who=who, reply=reply, kind=form.get("kind"),
                         maintenance=notices)  # fmt: skip

    async def tickets(self, request: Request, who: Who) -> Response:
        view = request.query_params.get("view", "open")
        view = view if view in ("open", "overdue", "mine", "all") else "open"
        kind = request.query_params.get("kind") or None
        kind = kind if kind in KINDS else None
        # the dashboard's ladder: the complaints at one level of it (R6.3–R6.7)
        level = request.query_params.get("level") or None
        level = level if level in ROLES else None
        area = who.area(request)  # her zones first, the whole site a click away (R1.3, R6.3)
        try:
            found = await self.desk.queue(
                who.session.site, view, kind, who.session.staff_id, area.zones
            )
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        if level:
            found = [t for t in found if (t.get("sla") or {}).get("escalation_level") == level]
        return self.page(
            request,
            "tickets.html",
            who=who,
            tickets=found,
            view=view,
            kind=kind,
            kinds=KINDS,
            level=level,
            area=area,
            live="reload",
        )

    async def ticket(self, request: Request, who: Who, **context: Any) -> Response:
        ref = request.path_params["ticket"]
        try:
            ticket = await self.desk.ticket(who.session.site, ref)
        except Refused as refused:
            status = 404 if refused.code in ("not_found", "invalid") else 503
            raise Stop(status, f"本项目没有这个工单：{ref}（{refused.shown}）") from None
        site = self.sites.get(who.session.site)
        notices = await notice_desk.of_ticket(self.desk.desk, who.session.site, ticket)
        received = datetime.fromisoformat(ticket["received_at"])
        month = received.astimezone(site.zone if site else UTC).strftime("%Y-%m")
        incidents = await incident_desk.of_ticket(self.desk.desk, who.session.site, ticket, month)
        try:
            orders = await self.desk.orders_of(who.session.site, ticket)
        except Refused:  # an order the view has not applied yet: the ticket's own steps
            orders = []
        return self.page(
            request, "ticket.html", context.pop("status", 200), who=who, ticket=ticket,
            history=timeline(ticket["history"], orders),
            maintenance=notices,  # the notices it is linked to (R16.6)
            incidents=incidents,  # the emergency it opened (R16.5)
            csrf=who.session.csrf, actions=allowed_actions(ticket, who.role), kinds=KINDS,
            worker=who.role in WORKERS,
            waiting_orders=open_orders(ticket),
            request_message=request.query_params.get("m"),
            help_categories=HELP_CATEGORIES,
            categories=[(c, CATEGORIES.get(c, c)) for c in (site.categories if site else ())],
            **context,
        )  # fmt: skip

    async def act(self, request: Request, who: Who) -> Response:
        ref, verb = request.path_params["ticket"], request.path_params["verb"]
        if verb not in VERBS:
            raise Stop(404, f"没有这个操作：{verb}")
        if who.role in WORKERS and verb != "reveal_contact":  # intake refuses that and logs it
            shown = word("role", who.role)
            raise Stop(403, f"{shown}不在工单上操作：维修记在派工单上，回访由前台办理。未保存。")
        try:
            reply = await self.desk.act(
                who.session.site, who.session.staff_id, ref, verb, request.state.form
            )
        except Refused as refused:
            return await self.shown_again(
                request, who, refused, verb, self.ticket, f"本项目没有这个工单：{ref}"
            )
        if verb == "reveal_contact":  # shown once, to this person; never kept by the console
            reporters = reply.get("reporters") or []
            if request.state.form.get("back") == "/follow-ups":  # in the call's row (R11.1)
                return await self.follow_ups(request, who, revealed={ref: reporters})
            return await self.ticket(request, who, reporters=reporters)
        done = f"{VERBS[verb].label}已保存"
        back = request.state.form.get("back")
        if back == "/follow-ups":
            return RedirectResponse(f"/follow-ups?m={quote(done)}", 303)
        return RedirectResponse(f"/tickets/{reply['ticket_id']}?m={quote(done)}", 303)

    async def search(self, request: Request, who: Who) -> Response:
        by = request.query_params.get("by", "phone")
        q = (request.query_params.get("q") or "")[:80]
        found, refused = None, None
        if q:
            try:
                found = await self.desk.search(who.session.site, who.session.staff_id, by, q)
            except Refused as exc:
                refused = exc
        return self.page(
            request, "search.html", 400 if refused else 200, who=who, by=by, q=q, found=found,
            refused=refused,
        )  # fmt: skip

    async def live(self, request: Request, who: Who) -> Response:
        """Server-sent events: something changed at the site; a notice reached my role (and, with
        zones, one of my zones or none: R1.3, R6.3; in a department, mine or none: R4.12)."""
        if self.live_feed is None:
            raise Stop(404, "此控制台未开启实时更新")
        events = self.live_feed(who.session.site, who.role, who.zones, who.department)
        return StreamingResponse(
            events, media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )  # fmt: skip

    async def live_owed(self, request: Request, who: Who) -> Response:
        """Which of the notices the live banner keeps (`id` and `no`, the subject's number, in
        pairs) are still owed (my_notices.still_owed): live.js asks on each page, and drops the
        others. A subject the desk cannot be asked about, or a desk that does not answer, keeps
        its notices: the banner errs on the side of telling."""
        ids = request.query_params.getlist("id")[: my_notices.BANNERED]
        numbers = request.query_params.getlist("no")[: my_notices.BANNERED]
        pairs = list(zip(ids, numbers, strict=False))
        asked = [(i, n) for i, n in pairs if 0 < len(n) <= 80]
        unaskable = [i for i, n in pairs if not 0 < len(n) <= 80]
        try:
            owed = await my_notices.still_owed(self.desk, who.session.site, asked)
        except Refused:
            owed = [i for i, _ in asked]
        return JSONResponse({"owed": owed + unaskable}, headers=HEADERS)

    async def follow_ups(
        self, request: Request, who: Who, revealed: dict[str, list[Any]] | None = None
    ) -> Response:
        """回访: the calls to make, each with what was done (the resolution the customer is asked
        about) and, asked for with 查看电话, the caller's number in its row — the look recorded by
        intake with its purpose (R15.2), shown once and never kept by the console."""
        try:
            calls = await self.desk.follow_ups(who.session.site)
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(
            request, "follow_ups.html", who=who, calls=calls, csrf=who.session.csrf,
            done=request.query_params.get("m"), revealed=revealed or {}, here="/follow-ups",
            may_reveal=who.role in CONTACT_ROLES,  # not offered a look intake refuses (R15.2)
        )  # fmt: skip

    async def notices(self, request: Request, who: Who) -> Response:
        mine = request.query_params.get("all") is None
        # a zone CS assistant's: her zones' and the site-wide ones, all of them a click away
        area = who.area(request) if mine else area_of((), None)
        # 我的岗位, what 今日概况's 未确认通知 counts (my_notices.py); 全部: every role's
        role, department = (who.role, who.department) if mine else (None, None)
        # an older page (更早的通知): the cursor notice.list gave out, digits only
        before = request.query_params.get("before") or None
        before = before if before and before.isascii() and before.isdigit() else None
        try:
            shown = await my_notices.listed(
                self.desk, who.session.site, role, department, area.zones, before
            )
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(
            request, "notices.html", who=who, notices=shown.notices, mine=mine, area=area,
            unacknowledged=shown.waiting, older=shown.older, before=before,
            described=await described(self.desk.desk, who.session.site, shown.notices),
            csrf=who.session.csrf, done=request.query_params.get("m"),
            live=None if before else "reload",  # an older page stays where it is
        )  # fmt: skip

    async def acknowledge(self, request: Request, who: Who) -> Response:
        notice = request.path_params["notice"]
        try:
            await self.desk.acknowledge(
                who.session.site, who.session.staff_id, notice,
                (request.state.form.get("note") or "").strip() or None,
            )  # fmt: skip
        except Refused as refused:
            raise Stop(400 if refused.code != "forbidden" else 403, refused.shown) from None
        return RedirectResponse(f"/notices?m={quote('已确认')}", 303)

    async def slip(self, request: Request, who: Who) -> Response:
        order_no = request.path_params["order"]
        try:
            order = await self.desk.work_order(who.session.site, order_no)
        except Refused as refused:
            raise Stop(404, f"本项目没有这张派工单：{order_no}（{refused.shown}）") from None
        return self.page(request, "slip.html", who=who, order=order)
