"""Maintenance and outage notices (维修通告, R7.9, R7.10, R16.6; docs/OUTAGES.md): the site's
notices in force and past, the form that announces one, and each notice's steps (revise the
restoration time, explain afterwards, restored or done, cancel, link a ticket). The console's
/notices page is the staff's notifications; this is the households' notices."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.console.adapters.http_web import Stop, Web, Who
from services.console.application import notice_desk
from services.console.application.forms import new_client_ref
from services.console.domain.refusal import Refused
from services.console.domain.words import NOTICE_KINDS


class AnnouncementPages(Web):
    async def announcements(self, request: Request, who: Who, status: int = 200,
                            **context: Any) -> Response:  # fmt: skip
        past = request.query_params.get("show") == "all"
        try:
            found = await notice_desk.notices(self.desk.desk, who.session.site, not past)
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(
            request, "announcements.html", status, who=who, notices=found, past=past,
            csrf=who.session.csrf, kinds=NOTICE_KINDS, steps=notice_desk.STEPS,
            done=request.query_params.get("m"),
            form=context.pop("form", {"client_ref": new_client_ref()}), **context,
        )  # fmt: skip

    async def announce(self, request: Request, who: Who) -> Response:
        form = request.state.form
        try:
            body = notice_desk.announce_body(form, self.site_zone(who))
            reply = await notice_desk.announce(
                self.desk.desk, who.session.site, who.session.staff_id, body
            )
        except Refused as refused:
            return await self.announcements(request, who, 400, form=form, refused=refused)
        late = "（晚于前一天通知，已记为迟报）" if reply["late"] else ""
        return self._to_notice(reply["notice_no"], f"已发布{late}")

    async def announcement_step(self, request: Request, who: Who) -> Response:
        ref, verb = request.path_params["notice"], request.path_params["verb"]
        if verb not in notice_desk.STEPS:
            raise Stop(404, f"没有这个操作：{verb}")
        try:
            body = notice_desk.step_body(verb, request.state.form, self.site_zone(who))
            reply = await notice_desk.notice_step(
                self.desk.desk, who.session.site, who.session.staff_id, ref, verb, body
            )
        except Refused as refused:
            return await self.announcements(
                request, who, refused.status, refused=refused, step_of=ref, failed=verb,
                step_form=request.state.form,
            )  # fmt: skip
        return self._to_notice(reply["notice_no"], notice_desk.DONE[verb])

    @staticmethod
    def _to_notice(notice_no: str, done: str) -> Response:
        return RedirectResponse(f"/announcements?m={quote(done)}#n-{quote(notice_no)}", 303)
