"""Signing in and out, and the first-run password changed (docs/CONSOLE.md)."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.console.adapters.http_web import PRE, SESSION, Stop, Web, Who
from services.console.application.accounts import NotSignedIn
from services.console.domain.screens import menu


class SignInPages(Web):
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
