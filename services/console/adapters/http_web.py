"""The console's pages over HTTP (Starlette), what they share: each handler reads the session,
checks the form's CSRF token, calls one use case and writes one template. A refusal is shown in
Chinese on the page it came from, and nothing is recorded: the command is never sent, or the
service refused it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from services.console.adapters.templating import environment, local, time_left, window
from services.console.application.accounts import Accounts, NotSignedIn
from services.console.application.front_desk import FrontDesk
from services.console.domain.accounts import Session
from services.console.domain.areas import Area, area_of
from services.console.domain.refusal import Refused
from services.console.domain.screens import may_open, menu
from services.console.domain.words import ROLES as ROLE_WORDS
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


LiveFeed = Callable[[str, str, tuple[str, ...]], AsyncIterator[bytes]]


def open_or_closed(request: Request) -> str | None:
    """The `?status=` of a list that parts open from closed (incidents, violation cases): as
    their queries take it (incident.list, violation.list), else None, every one."""
    status = request.query_params.get("status")
    return status if status in ("open", "closed") else None


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
    zones: tuple[str, ...] = ()  # a zone CS assistant's, from the staff list (R1.3)
    # where a technician, department staff or a department's supervisor works: a supervisor's
    # 通知 lists her department's notices and those to none (contract §20.4)
    department: str | None = None

    def area(self, request: Request) -> Area:
        """The part of the site a page shows her: her zones unless `area=site` (areas.py)."""
        return area_of(self.zones, request.query_params.get("area"))


class Web:
    """What every page shares: the session, the CSRF check, the form's limits, the template."""

    def __init__(
        self, accounts: Accounts, desk: FrontDesk, sites: SiteDirectory | WatchedDirectory,
        clock: Clock, live: LiveFeed | None = None,
    ) -> None:  # fmt: skip
        self.live_feed = (
            live  # (site, role, zones, department) -> server-sent events (adapters/live.py)
        )
        self.accounts = accounts
        self.desk = desk
        self.sites = sites
        self.clock = clock
        self.env = environment()

    # -- plumbing ---------------------------------------------------------------------------

    def site_zone(self, who: Who) -> ZoneInfo:
        """The signed-in person's site's zone: the one a form's times are read in."""
        site = self.sites.get(who.session.site)
        assert site is not None  # a session is of a site the directory has
        return site.zone

    def today(self, who: Who) -> date:
        """The signed-in person's day, in their site's zone."""
        site = self.sites.get(who.session.site)
        return self.clock.now().astimezone(site.zone if site else None).date()

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        who: Who | None = context.get("who")
        site = self.sites.get(who.session.site) if who else None
        zone = site.zone if site else None
        context |= {
            "menu": menu(who.role) if who else (),
            # a link to a page the role may not open is not drawn (screens.may_open)
            "opens": (lambda path: may_open(who.role, path)) if who else (lambda path: False),
            "site_name": site.name if site else "",
            "path": context.get("here") or request.url.path,  # a page drawn after a form
            "t": local(zone) if zone else (lambda when: when or ""),
            "left": lambda due: time_left(due, self.clock.now()),
            "window": lambda appointment: window(appointment, zone),
        }
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    async def healthz(self, request: Request) -> Response:
        """The console answers HTTP: what `up`'s /health asks (propdesk/console_health.py). No
        session, no template, nothing sent to the desk: cheap to ask every scrape."""
        return PlainTextResponse("ok", headers=HEADERS)

    def stopped(self, request: Request, stop: Stop, who: Who | None = None) -> Response:
        return self.page(request, "message.html", stop.status, message=stop.message, who=who)

    async def shown_again(
        self,
        request: Request,
        who: Who,
        refused: Refused,
        verb: str,
        page: Callable[..., Awaitable[Response]],
        missing: str,
    ) -> Response:
        """A refused form: its page again with the refusal and what the person typed; a ticket or
        order that is not this site's is a not-found page saying `missing`."""
        if refused.code == "not_found":
            raise Stop(404, f"{missing}（{refused.shown}）")
        return await page(
            request, who, refused=refused, status=refused.status, form=request.state.form,
            failed=verb,
        )  # fmt: skip

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
        department = member.department.value if member.department else None
        return Who(key, session, member.name or session.staff_id, member.role.value,
                   member.zones, department)  # fmt: skip

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
            if not may_open(who.role, request.url.path, post):
                unchanged = "未保存任何内容" if post else "请从菜单进入"
                shown = ROLE_WORDS.get(who.role, who.role)
                return self.stopped(
                    request, Stop(403, f"此页面不属于{shown}的工作，{unchanged}。"), who
                )
            try:
                if post:
                    request.state.form = await self.form(request)
                    self.checked(who, request.state.form)
                return await handler(request, who)
            except Stop as stop:
                return self.stopped(request, stop, who)

        return endpoint
