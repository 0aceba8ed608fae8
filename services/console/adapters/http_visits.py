"""The visits page (走访, R11.6): the week's households visited against the target per zone, its
visits, and the form that records one (《住户回访记录表》); a survey's results page (满意度调查,
R11.9). docs/VISITS.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.console.adapters.http_web import Stop, Web, Who
from services.console.application import visit_desk
from services.console.application.forms import new_client_ref
from services.console.domain.refusal import Refused
from shared.kernel.vocabulary import Kind


class VisitPages(Web):
    async def visits(self, request: Request, who: Who, status: int = 200,
                     **context: Any) -> Response:  # fmt: skip
        day = request.query_params.get("day") or self.today(who).isoformat()
        month = request.query_params.get("month") is not None
        try:
            found = await visit_desk.week(self.desk.desk, who.session.site, day, month)
        except Refused as refused:
            raise Stop(400 if refused.code == "invalid" else 503, refused.shown) from None
        site = self.sites.get(who.session.site)
        zones = sorted({  # the site's and those of the file with households (VISITS.md)
            *(site.visits.occupied if site else ()),
            *(z["zone"] for w in found["weeks"] for z in w["zones"] if z["occupied"]),
        } - {"*"})  # fmt: skip
        return self.page(
            request, "visits.html", status, who=who, found=found, day=day, month=month,
            csrf=who.session.csrf, zones=zones, kinds=[k.value for k in Kind],
            done=request.query_params.get("m"),
            form=context.pop("form", {"visit_ref": new_client_ref()}), **context,
        )  # fmt: skip

    async def record_visit(self, request: Request, who: Who) -> Response:
        form, zone = request.state.form, self.site_zone(who)
        try:
            body = visit_desk.visit_body(form, zone, self.clock.now().isoformat())
            reply = await visit_desk.record_visit(
                self.desk.desk, who.session.site, who.session.staff_id, body
            )
        except Refused as refused:
            return await self.visits(request, who, refused.status, form=form, refused=refused)
        tickets = "、".join(reply["tickets"])
        done = "走访已登记" + (f"，已开工单 {tickets}" if tickets else "")
        day = datetime.fromisoformat(body["visited_at"]).astimezone(zone).date()
        return RedirectResponse(f"/visits?day={day}&m={quote(done)}", 303)

    async def survey(self, request: Request, who: Who) -> Response:
        ref = request.query_params.get("ref")
        found, refused = None, None
        if ref:
            try:
                found = await visit_desk.survey(self.desk.desk, who.session.site, ref)
            except Refused as error:
                if error.code not in ("invalid", "not_found"):
                    raise Stop(503, error.shown) from None
                refused = error
                if error.code == "not_found":  # in the desk's words, not the service's English
                    words = f"没有编号为 {ref} 的满意度调查，或还没有住户答卷"
                    refused = Refused("not_found", words)
        return self.page(
            request, "survey.html", refused.status if refused else 200, who=who, ref=ref or "",
            found=found, refused=refused,
        )  # fmt: skip
