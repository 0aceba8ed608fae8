"""The resident file pages (住户档案, docs/RESIDENTS.md): find a resident by phone, unit or file
number — with their units, special-care flag and open tickets, and a special-care resident's
visits, when the next is due and the form that records one (R11.10) — and the forms that register
or correct a resident or a unit; a refused form comes back with what was typed and the reason.
关怀名单 (`/residents/care`) lists the special-care residents by when each is next due: a zone CS
assistant's zones first (R1.3)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.console.adapters.http_web import Stop, Web, Who
from services.console.application import resident_desk as rd
from services.console.domain.refusal import Refused


class ResidentPages(Web):
    async def residents(self, request: Request, who: Who, status: int = 200,
                        **context: Any) -> Response:  # fmt: skip
        phone, unit, ref = (
            (request.query_params.get(name) or "").strip() or None
            for name in ("phone", "unit", "ref")
        )
        found, refused = None, context.pop("refused", None)
        if phone or unit or ref:
            try:
                found = await rd.lookup(self.desk.desk, who.session.site, who.session.staff_id,
                                        phone, unit, None if phone or unit else ref)  # fmt: skip
            except Refused as failed:
                if failed.code == "unavailable":
                    raise Stop(503, failed.shown) from None
                found, refused, status = [], refused or failed, failed.status
        edit = request.query_params.get("edit")
        form = context.pop("form", None) or _prefilled(found or [], edit)
        site = self.sites.get(who.session.site)
        return self.page(
            request, "residents.html", status, who=who, csrf=who.session.csrf, phone=phone,
            unit=unit, found=found, refused=refused, form=form, kinds=rd.KINDS, care=rd.CARE,
            places=rd.PLACES, done=request.query_params.get("m"),
            care_days=site.residents.care_visit_days if site else None,
            looked_up=_looked_up(phone, unit, ref),
            **context,
        )  # fmt: skip

    async def care_roll(self, request: Request, who: Who) -> Response:
        """关怀名单 (R11.10): the site's special-care residents, the soonest due for a visit
        first, the late ones marked; each links to her card, where the visit is recorded.
        A role that may not read the file is shown intake's refusal."""
        view = request.query_params.get("view", "all")
        view = view if view in rd.CARE_VIEWS else "all"
        cursor = request.query_params.get("cursor") or None
        roll, refused, status = None, None, 200
        area = who.area(request)  # her zones' residents first (R1.3)
        try:
            roll = await rd.care_roll(self.desk.desk, who.session.site, who.session.staff_id,
                                      view, cursor, area.zones)  # fmt: skip
        except Refused as failed:
            if failed.code == "unavailable":
                raise Stop(503, failed.shown) from None
            refused, status = failed, failed.status
        return self.page(
            request, "care_roll.html", status, who=who, roll=roll, refused=refused, view=view,
            views=rd.CARE_VIEWS, care=rd.CARE, cursor=cursor, area=area,
        )  # fmt: skip

    async def save_resident(self, request: Request, who: Who) -> Response:
        form = request.state.form
        try:
            reply = await rd.save_resident(self.desk.desk, who.session.site,
                                           who.session.staff_id, form)  # fmt: skip
        except Refused as refused:
            return await self.residents(request, who, refused.status, form=form, refused=refused,
                                        failed="resident")  # fmt: skip
        done = "住户档案已保存" + ("（建议至少留两个电话）" if reply["phones_short"] else "")
        phone = rd.resident_body(form)["phones"][0]
        return RedirectResponse(f"/residents?phone={quote(phone)}&m={quote(done)}", 303)

    async def record_care_visit(self, request: Request, who: Who) -> Response:
        """The visit form of a special-care resident found by phone or unit: the page it was on
        (its query) comes back, with the visit listed, or with the form as typed and why not."""
        form = request.state.form
        try:
            await rd.record_care_visit(self.desk.desk, who.session.site, who.session.staff_id,
                                       form, self.site_zone(who))  # fmt: skip
        except Refused as refused:
            return await self.residents(request, who, refused.status, visit_form=form,
                                        refused=refused, failed="visit")  # fmt: skip
        ref = form.get("resident_ref", "")
        query = urlencode({**request.query_params, "m": f"已登记 {ref} 的关怀走访"})
        return RedirectResponse(f"/residents?{query}#care-{quote(ref)}", 303)

    async def save_unit(self, request: Request, who: Who) -> Response:
        form = request.state.form
        try:
            reply = await rd.save_unit(self.desk.desk, who.session.site, who.session.staff_id,
                                       form)  # fmt: skip
        except Refused as refused:
            return await self.residents(request, who, refused.status, unit_form=form,
                                        refused=refused, failed="unit")  # fmt: skip
        done = f"房屋/区域 {reply['unit_ref']} 已保存"
        return RedirectResponse(f"/residents?m={quote(done)}", 303)


def _looked_up(phone: str | None, unit: str | None, ref: str | None) -> str:
    """How the page found whom it shows, for its links and forms to come back to it."""
    if phone:
        return urlencode({"phone": phone})
    return urlencode({"ref": ref} if ref and not unit else {"unit": unit or ""})


def _prefilled(found: list[dict[str, Any]], edit: str | None) -> dict[str, Any]:
    """The correction form filled with the resident's file, when asked (`edit`)."""
    for r in found:
        if r["resident_ref"] == edit:
            household = "\n".join(
                f"{h['name']}/{h['relation']}" if h.get("relation") else h["name"]
                for h in r["household"]
            )
            return {"mode": "correct", "resident_ref": r["resident_ref"], "kind": r["kind"],
                    "name": r["name"], "phones": "\n".join(r["phones"]),
                    "household": household, "special_care": r["special_care"] or "",
                    "care_note": r["care_note"] or ""}  # fmt: skip
    if found == [] or edit is None:
        return {"mode": "register"}
    raise Stop(404, f"没有这个住户档案：{edit}")
