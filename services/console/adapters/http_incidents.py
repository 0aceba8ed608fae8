"""Emergency events (突发事件, R16.5): the site's incidents and the form that opens one, an
incident with its measures, reports upward and follow-up, and the forms that record them."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.console.adapters.http_web import Stop, Web, Who, open_or_closed
from services.console.application import incident_desk
from services.console.application.forms import new_client_ref
from services.console.domain.refusal import Refused
from services.console.domain.words import INCIDENT_KINDS, ROLES

REPORTED_TO = ("project_manager", "gm_office", "quality", "department_supervisor")


class IncidentPages(Web):
    async def incidents(self, request: Request, who: Who, status: int = 200,
                        **context: Any) -> Response:  # fmt: skip
        shown = open_or_closed(request)
        try:
            found = await incident_desk.incidents(self.desk.desk, who.session.site, shown)
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(
            request, "incidents.html", status, who=who, incidents=found, shown=shown,
            csrf=who.session.csrf, kinds=INCIDENT_KINDS, done=request.query_params.get("m"),
            form=context.pop("form", {"client_ref": new_client_ref()}), **context,
        )  # fmt: skip

    async def open_incident(self, request: Request, who: Who) -> Response:
        form = request.state.form
        now = self.clock.now().isoformat()
        try:
            body = incident_desk.open_body(form, self.site_zone(who), now)
            reply = await incident_desk.open_incident(
                self.desk.desk, who.session.site, who.session.staff_id, body
            )
        except Refused as refused:
            return await self.incidents(request, who, 400, form=form, refused=refused)
        return await self._shown(
            who, reply["incident_no"], None, "已登记，已通知安保主管和值班经理"
        )

    async def incident(self, request: Request, who: Who, **context: Any) -> Response:
        ref = request.path_params["incident"]
        try:
            found = await incident_desk.incident(self.desk.desk, who.session.site, ref)
        except Refused as refused:
            status = 404 if refused.code in ("not_found", "invalid") else 503
            raise Stop(status, f"本项目没有这个突发事件：{ref}（{refused.shown}）") from None
        alerts: list[dict[str, Any]] = []  # who was told, and who acknowledged (R16.5)
        with contextlib.suppress(Refused):
            alerts = [
                n for n in await self.desk.notices(
                    who.session.site, None, about=found["incident_no"])
                if n.get("about") == "incident"
            ]  # fmt: skip
        return self.page(
            request, "incident.html", context.pop("status", 200), who=who, incident=found,
            record=incident_desk.record(found), alerts=alerts,
            csrf=who.session.csrf, roles={r: ROLES.get(r, r) for r in REPORTED_TO},
            steps=incident_desk.STEPS, request_message=request.query_params.get("m"),
            form=context.pop("form", {}), **context,
        )  # fmt: skip

    async def incident_step(self, request: Request, who: Who) -> Response:
        ref, verb = request.path_params["incident"], request.path_params["verb"]
        if verb not in incident_desk.STEPS:
            raise Stop(404, f"没有这个操作：{verb}")
        before = None
        try:
            body = incident_desk.step_body(verb, request.state.form, self.site_zone(who))
            with contextlib.suppress(Refused):
                now = await incident_desk.incident(self.desk.desk, who.session.site, ref)
                before = incident_desk.progress(now)
            reply = await incident_desk.incident_step(
                self.desk.desk, who.session.site, who.session.staff_id, ref, verb, body
            )
        except Refused as refused:
            return await self.shown_again(
                request, who, refused, verb, self.incident, f"本项目没有这个突发事件：{ref}"
            )
        done = f"{incident_desk.STEPS[verb][1]}已保存"
        return await self._shown(who, reply["incident_no"], before, done)

    async def _shown(
        self, who: Who, incident_no: str, before: tuple[int, int, str] | None, done: str
    ) -> Response:
        """To the incident's page, once reporting shows the change (a moment after the
        command)."""
        before = before or incident_desk.progress(None)
        await incident_desk.seen(self.desk.desk, who.session.site, incident_no, before)
        return RedirectResponse(f"/incidents/{quote(incident_no)}?m={quote(done)}", 303)
