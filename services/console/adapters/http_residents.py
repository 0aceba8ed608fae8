"""The resident file page (住户档案, docs/RESIDENTS.md): find a resident by phone or unit — with
their units, special-care flag and open tickets, and a special-care resident's visits, when the
next is due and the form that records one (R11.10) — and the forms that register or correct a
resident or a unit; a refused form comes back with what was typed and the reason."""

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
        phone = (request.query_params.get("phone") or "").strip() or None
        unit = (request.query_params.get("unit") or "").strip() or None
        found, refused = None, context.pop("refused", None)
        if phone or unit:
            try:
                found = await rd.lookup(self.desk.desk, who.session.site, who.session.staff_id,
                                        phone, unit)  # fmt: skip
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
            looked_up=urlencode({"phone": phone} if phone else {"unit": unit or ""}),
            **context,
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
        site = self.sites.get(who.session.site)
        assert site is not None
        try:
            await rd.record_care_visit(self.desk.desk, who.session.site, who.session.staff_id,
                                       form, site.zone)  # fmt: skip
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
