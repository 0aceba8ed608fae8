"""账号管理 (docs/CONSOLE.md): the site's staff and their passwords' state, a reset per person the
manager may reset, the one-time password shown once, the site's recent resets."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from services.console.adapters.http_web import Stop, Web, Who
from services.console.application import password_resets
from services.console.domain.password_reset import HUB_OPERATOR, RESETS, shown
from services.console.domain.words import word
from shared.logging import get_logger

log = get_logger("console")


class AccountPages(Web):
    def may_reset(self, who: Who) -> None:
        if who.role not in RESETS:
            raise Stop(403, f"{word('role', who.role)}无权重置他人的密码，未做任何更改。")

    async def staff_accounts(
        self, request: Request, who: Who, status: int = 200, **context: Any
    ) -> Response:
        self.may_reset(who)
        site, me = who.session.site, who.session.staff_id
        staff = password_resets.staff_accounts(self.accounts, site, me)
        return self.page(
            request, "accounts.html", status, who=who, csrf=who.session.csrf, staff=staff,
            resets=password_resets.recent_resets(self.accounts, site),
            names={s.staff_id: s.name for s in staff}, operator=HUB_OPERATOR, **context,
        )  # fmt: skip

    async def reset_password(self, request: Request, who: Who) -> Response:
        """The reset, then its one-time password on a page of its own, once (the answer to this
        POST, `no-store`: never in a URL, the store or a log)."""
        self.may_reset(who)
        site, me = who.session.site, who.session.staff_id
        staff_id = request.state.form.get("staff_id", "").strip()
        try:
            issued = await password_resets.reset_password(self.accounts, site, me, staff_id)
        except password_resets.ResetRefused as refused:
            return await self.staff_accounts(request, who, 403, message=refused.message)
        log.info("console.password_reset", site=site, staff_id=staff_id, by=me)
        member = self.accounts.member(site, staff_id)
        return self.page(
            request, "one_time_password.html", who=who, issued=issued,
            password=shown(issued.password), member=member,
        )  # fmt: skip
