"""The console's pages over HTTP (Starlette): each handler reads the session, checks the form's
CSRF token, calls one use case and writes one template. A refusal is shown in Chinese on the
page it came from, and nothing is recorded: the command is never sent, or the service refused
it."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from services.console.adapters.report_downloads import report_file
from services.console.adapters.templating import environment, local, time_left
from services.console.application.accounts import Accounts, NotSignedIn
from services.console.application.dashboard import last_month, today
from services.console.application.front_desk import FrontDesk, new_client_ref, report_body
from services.console.domain.accounts import Session
from services.console.domain.refusal import Refused
from services.console.domain.screens import ORDER_VERBS, VERBS, allowed_actions, menu, order_steps
from services.console.domain.words import CATEGORIES, CHANNELS, HELP_CATEGORIES, KINDS
from shared.kernel.clock import Clock
from shared.kernel.sites import SiteDirectory, WatchedDirectory

SESSION = "pd_session"
PRE = "pd_pre"  # the signed-out forms' CSRF cookie (double submit)
MAX_FORM = 64 * 1024  # bytes: the longest form (2,000 characters of content) is far below
STATIC = Path(__file__).parents[1] / "static"
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Stop(Exception):
    """A request refused before anything was done: status and the page's message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Who:
    key: str
    session: Session
    name: str
    role: str


class Pages:
    def __init__(
        self, accounts: Accounts, desk: FrontDesk, sites: SiteDirectory | WatchedDirectory,
        clock: Clock,
    ) -> None:  # fmt: skip
        self.accounts = accounts
        self.desk = desk
        self.sites = sites
        self.clock = clock
        self.env = environment()

    # -- plumbing ---------------------------------------------------------------------------

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        who: Who | None = context.get("who")
        site = self.sites.get(who.session.site) if who else None
        zone = site.zone if site else None
        context |= {
            "menu": menu(who.role) if who else (),
            "site_name": site.name if site else "",
            "path": request.url.path,
            "t": local(zone) if zone else (lambda when: when or ""),
            "left": lambda due: time_left(due, self.clock.now()),
        }
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    def stopped(self, request: Request, stop: Stop, who: Who | None = None) -> Response:
        return self.page(request, "message.html", stop.status, message=stop.message, who=who)

    async def form(self, request: Request) -> dict[str, str]:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_FORM):
            raise Stop(413, "提交的内容过大（超过 64 KB），未保存任何内容。")
        body = await request.body()
        if len(body) > MAX_FORM:
            raise Stop(413, "提交的内容过大（超过 64 KB），未保存任何内容。")
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if kind != "application/x-www-form-urlencoded":
            raise Stop(400, "表单格式不正确，未保存任何内容。")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Stop(400, "表单编码不是 UTF-8，未保存任何内容。") from None
        return dict(parse_qsl(text, keep_blank_values=True, max_num_fields=64))

    def who(self, request: Request) -> Who:
        key, session = self.accounts.session(request.cookies.get(SESSION))
        member = self.accounts.member(session.site, session.staff_id)
        assert member is not None  # accounts.session ended the session otherwise
        return Who(key, session, member.name or session.staff_id, member.role.value)

    def checked(self, who: Who, form: dict[str, str]) -> None:
        if not who.session.csrf_matches(form.get("csrf")):
            raise Stop(
                403, "表单已失效或来源不明（CSRF 校验失败），未保存任何内容。请刷新页面后重试。"
            )

    def guarded(
        self, handler: Callable[[Request, Who], Awaitable[Response]], *, post: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        """A page for the signed-in: no session → the sign-in page (a form: refused, nothing
        recorded); the first-run password → the password page; a form → its CSRF token."""

        async def endpoint(request: Request) -> Response:
            try:
                who = self.who(request)
            except NotSignedIn as exc:
                if post:
                    return self.stopped(request, Stop(401, exc.message + "，未保存任何内容。"))
                return RedirectResponse(f"/login?m={quote(exc.message)}", 303)
            if who.session.must_change_password and request.url.path != "/password":
                return RedirectResponse("/password", 303)
            try:
                if post:
                    request.state.form = await self.form(request)
                    self.checked(who, request.state.form)
                return await handler(request, who)
            except Stop as stop:
                return self.stopped(request, stop, who)

        return endpoint

    # -- signing in -------------------------------------------------------------------------

    async def login_page(self, request: Request) -> Response:
        token = request.cookies.get(PRE) or secrets.token_urlsafe(24)
        listed: dict[str, Any] = self.sites.sites  # type: ignore[assignment]
        sites = [(sid, cfg.name or sid) for sid, cfg in listed.items() if cfg.staff]
        response = self.page(
            request, "login.html", csrf=token, sites=sites, message=request.query_params.get("m")
        )
        response.set_cookie(PRE, token, httponly=True, samesite="strict")
        return response

    async def login(self, request: Request) -> Response:
        try:
            form = await self.form(request)
            pre = request.cookies.get(PRE) or ""
            if not pre or not hmac.compare_digest(pre, form.get("csrf", "")):
                raise Stop(403, "登录表单已失效（CSRF 校验失败），请刷新页面后重试。")
            site, staff = form.get("site", ""), form.get("staff_id", "").strip()
            token, session = await self.accounts.sign_in(site, staff, form.get("password", ""))
        except Stop as stop:
            return self.stopped(request, stop)
        except NotSignedIn as exc:
            return RedirectResponse(f"/login?m={quote(exc.message)}", 303)
        response = RedirectResponse("/password" if session.must_change_password else "/", 303)
        response.set_cookie(SESSION, token, httponly=True, samesite="strict")
        response.delete_cookie(PRE)
        return response

    async def password_page(self, request: Request, who: Who) -> Response:
        return self.page(request, "password.html", who=who, csrf=who.session.csrf)

    async def change_password(self, request: Request, who: Who) -> Response:
        form = request.state.form
        problem = await self.accounts.change_password(
            who.key, who.session, form.get("old", ""), form.get("new", ""), form.get("repeat", "")
        )
        if problem:
            return self.page(
                request, "password.html", 400, who=who, csrf=who.session.csrf, message=problem
            )
        return RedirectResponse("/", 303)

    async def logout(self, request: Request, who: Who) -> Response:
        self.accounts.sign_out(who.key)
        response = RedirectResponse(f"/login?m={quote('已退出登录')}", 303)
        response.delete_cookie(SESSION)
        return response

    async def home(self, request: Request, who: Who) -> Response:
        return RedirectResponse(menu(who.role)[0].path, 303)

    # -- the front desk ---------------------------------------------------------------------

    def desk_page(self, request: Request, who: Who, status: int = 200, **context: Any):
        site = self.sites.get(who.session.site)
        categories = site.categories if site else ()
        return self.page(
            request, "desk.html", status, who=who, csrf=who.session.csrf,
            channels=CHANNELS, kinds=KINDS, help_categories=HELP_CATEGORIES,
            categories=[(c, CATEGORIES.get(c, c)) for c in categories],
            form=context.pop("form", {"client_ref": new_client_ref()}), **context,
        )  # fmt: skip

    async def desk_form(self, request: Request, who: Who) -> Response:
        return self.desk_page(request, who)

    async def report(self, request: Request, who: Who) -> Response:
        form = request.state.form
        site = self.sites.get(who.session.site)
        assert site is not None
        try:
            body = report_body(form, site.zone)
            reply = await self.desk.report(who.session.site, who.session.staff_id, body)
        except Refused as refused:
            return self.desk_page(request, who, 400, form=form, refused=refused)
        return self.page(request, "reported.html", who=who, reply=reply, kind=form.get("kind"))

    async def tickets(self, request: Request, who: Who) -> Response:
        view = request.query_params.get("view", "open")
        view = view if view in ("open", "overdue", "all") else "open"
        kind = request.query_params.get("kind") or None
        kind = kind if kind in KINDS else None
        try:
            found = await self.desk.queue(who.session.site, view, kind)
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(
            request, "tickets.html", who=who, tickets=found, view=view, kind=kind, kinds=KINDS
        )

    async def ticket(self, request: Request, who: Who, **context: Any) -> Response:
        ref = request.path_params["ticket"]
        try:
            ticket = await self.desk.ticket(who.session.site, ref)
        except Refused as refused:
            status = 404 if refused.code in ("not_found", "invalid") else 503
            raise Stop(status, f"本项目没有这个工单：{ref}（{refused.shown}）") from None
        site = self.sites.get(who.session.site)
        return self.page(
            request, "ticket.html", context.pop("status", 200), who=who, ticket=ticket,
            csrf=who.session.csrf, actions=allowed_actions(ticket), kinds=KINDS,
            request_message=request.query_params.get("m"),
            help_categories=HELP_CATEGORIES,
            categories=[(c, CATEGORIES.get(c, c)) for c in (site.categories if site else ())],
            **context,
        )  # fmt: skip

    async def act(self, request: Request, who: Who) -> Response:
        ref, verb = request.path_params["ticket"], request.path_params["verb"]
        if verb not in VERBS:
            raise Stop(404, f"没有这个操作：{verb}")
        try:
            reply = await self.desk.act(
                who.session.site, who.session.staff_id, ref, verb, request.state.form
            )
        except Refused as refused:
            status = {"not_found": 404, "conflict": 409, "forbidden": 403}.get(refused.code, 400)
            if refused.code == "not_found":
                raise Stop(404, f"本项目没有这个工单：{ref}（{refused.shown}）") from None
            return await self.ticket(request, who, refused=refused, status=status)
        done = f"{VERBS[verb].label}已保存"
        back = request.state.form.get("back")
        if back == "/follow-ups":
            return RedirectResponse(f"/follow-ups?m={quote(done)}", 303)
        return RedirectResponse(f"/tickets/{reply['ticket_id']}?m={quote(done)}", 303)

    async def follow_ups(self, request: Request, who: Who) -> Response:
        try:
            calls = await self.desk.follow_ups(who.session.site)
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(
            request, "follow_ups.html", who=who, calls=calls, csrf=who.session.csrf,
            done=request.query_params.get("m"),
        )  # fmt: skip

    async def notices(self, request: Request, who: Who) -> Response:
        mine = request.query_params.get("all") is None
        try:
            found = await self.desk.notices(who.session.site, who.role if mine else None)
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(
            request, "notices.html", who=who, notices=list(reversed(found)), mine=mine,
            csrf=who.session.csrf, done=request.query_params.get("m"),
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

    # -- work orders (派工单): a technician's phone page --------------------------------------

    async def orders(self, request: Request, who: Who) -> Response:
        wanted = (request.query_params.get("order") or "").strip()
        if wanted:
            return RedirectResponse(f"/orders/{quote(wanted)}", 303)
        return self.page(request, "orders.html", who=who, orders=[])

    async def order(self, request: Request, who: Who, **context: Any) -> Response:
        ref = request.path_params["order"]
        try:
            order = await self.desk.work_order(who.session.site, ref)
        except Refused as refused:
            raise Stop(404, f"本项目没有这张派工单：{ref}（{refused.shown}）") from None
        return self.page(
            request, "order.html", context.pop("status", 200), who=who, order=order,
            csrf=who.session.csrf, steps=order_steps(order),
            request_message=request.query_params.get("m"), **context,
        )  # fmt: skip

    async def order_step(self, request: Request, who: Who) -> Response:
        ref, verb = request.path_params["order"], request.path_params["verb"]
        if verb not in ORDER_VERBS:
            raise Stop(404, f"没有这个操作：{verb}")
        try:
            reply = await self.desk.order_step(
                who.session.site, who.session.staff_id, ref, verb, request.state.form
            )
        except Refused as refused:
            if refused.code == "not_found":
                raise Stop(404, f"本项目没有这张派工单：{ref}（{refused.shown}）") from None
            status = {"conflict": 409, "forbidden": 403}.get(refused.code, 400)
            return await self.order(request, who, refused=refused, status=status)
        done = f"{ORDER_VERBS[verb].label}已保存"
        return RedirectResponse(f"/orders/{reply['order_no']}?m={quote(done)}", 303)

    # -- managers ---------------------------------------------------------------------------

    async def dashboard(self, request: Request, who: Who) -> Response:
        site = self.sites.get(who.session.site)
        assert site is not None
        try:
            figures = await today(self.desk, who.session.site, site.zone)
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        now = self.clock.now().astimezone(site.zone)
        year, week, _ = now.isocalendar()
        response = self.page(
            request, "dashboard.html", who=who, today=figures, month=last_month(now, site.zone),
            week=f"{year}-W{week:02d}",
        )  # fmt: skip
        response.headers["Refresh"] = "60"  # a wall screen stays current without a script
        return response

    async def report_download(self, request: Request, who: Who) -> Response:
        kind = request.path_params["kind"]
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

    def routes(self) -> list[Route | Mount]:
        g = self.guarded
        return [
            Route("/login", self.login_page, methods=["GET"]),
            Route("/login", self.login, methods=["POST"]),
            Route("/password", g(self.password_page), methods=["GET"]),
            Route("/password", g(self.change_password, post=True), methods=["POST"]),
            Route("/logout", g(self.logout, post=True), methods=["POST"]),
            Route("/", g(self.home), methods=["GET"]),
            Route("/desk", g(self.desk_form), methods=["GET"]),
            Route("/desk", g(self.report, post=True), methods=["POST"]),
            Route("/tickets", g(self.tickets), methods=["GET"]),
            Route("/tickets/{ticket}", g(self.ticket), methods=["GET"]),
            Route("/tickets/{ticket}/{verb}", g(self.act, post=True), methods=["POST"]),
            Route("/follow-ups", g(self.follow_ups), methods=["GET"]),
            Route("/notices", g(self.notices), methods=["GET"]),
            Route("/notices/{notice}/ack", g(self.acknowledge, post=True), methods=["POST"]),
            Route("/dashboard", g(self.dashboard), methods=["GET"]),
            Route("/reports/{kind}", g(self.report_download), methods=["GET"]),
            Route("/orders", g(self.orders), methods=["GET"]),
            Route("/orders/{order}", g(self.order), methods=["GET"]),
            Route("/orders/{order}/slip", g(self.slip), methods=["GET"]),
            Route("/orders/{order}/{verb}", g(self.order_step, post=True), methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ]
