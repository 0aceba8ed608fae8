"""The rounds page (巡查, docs/INSPECTION.md): a day's rounds, the planned slots no round walked and
every finding with where it went and its state, or the week's 《物业品质监督检查表》; both from
the query round.list, with their due time (R12.9, R1.5)."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response

from services.console.adapters.http_web import Stop, Web, Who
from services.console.domain.refusal import Refused

ROUTED = {
    "fixed_on_spot": "现场整改", "repair": "报修", "department_supervisor": "部门主管",
    "violation_case": "违例处理",
}  # fmt: skip
TYPES = {"facility": "设施损坏", "staff": "员工不履职", "violation": "住户违例"}


class RoundPages(Web):
    async def rounds(self, request: Request, who: Who) -> Response:
        site = who.session.site
        zone = self.sites.get(site).zone if self.sites.get(site) else None
        day = (
            request.query_params.get("day") or self.clock.now().astimezone(zone).date().isoformat()
        )
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
            types=TYPES,
        )  # fmt: skip
