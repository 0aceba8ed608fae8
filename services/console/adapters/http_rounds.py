"""The rounds page (巡查, docs/INSPECTION.md): a day's rounds, the planned slots no round walked and
every finding with where it went and its state, or the week's 《物业品质监督检查表》; both from
the query round.list, with their due time (R12.9, R1.5). And the form that records a round
(R13.13, R13.14): the slot of the day's plan, its points, and the findings by type."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.console.adapters.http_web import Stop, Web, Who
from services.console.application import case_desk
from services.console.application.forms import new_client_ref
from services.console.domain.refusal import Refused
from services.console.domain.words import ROUTED

TYPES = {"facility": "设施损坏", "staff": "员工不履职", "violation": "住户违例"}
ROUND_TYPES = {"scheduled": "计划巡查", "special": "专项巡查", "complaint": "投诉巡查",
               "random": "随机抽查"}  # fmt: skip


class RoundPages(Web):
    async def rounds(self, request: Request, who: Who) -> Response:
        site = who.session.site
        day = request.query_params.get("day") or self.today(who).isoformat()
        week = request.query_params.get("week") is not None
        try:
            date.fromisoformat(day)
        except ValueError:
            raise Stop(400, f"日期 {day} 无效：请用 2026-12-03 的格式") from None
        try:
            found = await self.desk.desk.query(site, "round.list", {"day": day, "week": week})
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(
            request, "rounds.html", who=who, day=day, week=week, found=found, routed=ROUTED,
            types=TYPES, done=request.query_params.get("m"),
        )  # fmt: skip

    async def round_form(self, request: Request, who: Who, status: int = 200,
                         **context: Any) -> Response:  # fmt: skip
        """The form of a round walked today: the plan's slots of the day, one chosen."""
        site = who.session.site
        day = self.today(who).isoformat()
        try:
            found = await self.desk.desk.query(site, "round.list", {"day": day})
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        slots = {s["name"]: s for s in found["planned"]}
        form = context.pop("form", None) or {"round_ref": new_client_ref()}
        chosen = slots.get(form.get("slot") or request.query_params.get("slot") or "")
        if chosen is not None and not form.get("points"):
            form = form | {"slot": chosen["name"], "area": chosen["area"],
                           "points": "\n".join(chosen["points"])}  # fmt: skip
        return self.page(
            request, "round_form.html", status, who=who, day=day, slots=slots, form=form,
            csrf=who.session.csrf, types=TYPES, round_types=ROUND_TYPES,
            rows=range(case_desk.FINDING_ROWS), categories=self._categories(who), **context,
        )  # fmt: skip

    def _categories(self, who: Who) -> list[str]:
        site = self.sites.get(who.session.site)
        return sorted(site.categories) if site else []

    async def record_round(self, request: Request, who: Who) -> Response:
        form = request.state.form
        try:
            body = case_desk.round_body(form, self.site_zone(who), self.clock.now().isoformat())
            reply = await case_desk.record_round(
                self.desk.desk, who.session.site, who.session.staff_id, body
            )
        except Refused as refused:
            return await self.round_form(request, who, refused.status, form=form, refused=refused)
        day = body["started_at"][:10]
        cases = sum(1 for f in reply["findings"] if f.get("case_id"))
        done = f"巡查已记录：{len(reply['findings'])} 个问题" + (
            f"，已立违例案件 {cases} 宗" if cases else ""
        )
        return RedirectResponse(f"/rounds?day={day}&m={quote(done)}", 303)
