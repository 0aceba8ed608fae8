"""Violation cases (违例, R14.1–R14.10; docs/VIOLATIONS.md): the site's cases and the form that
opens one, a case with its measures, mediation, penalty and outcome, and the forms that record
the next step. Intake checks who may propose (manager, CS supervisor) and sign (manager) a
penalty: a refusal is shown on the case's page, and nothing is recorded."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.console.adapters.http_web import Stop, Web, Who, open_or_closed
from services.console.application import case_desk
from services.console.application.forms import new_client_ref
from services.console.domain.refusal import Refused
from services.console.domain.words import MEASURES, VIOLATION_CLASSES

CATEGORIES = {"decoration": "装修", "fire": "消防", "hygiene": "环境卫生(含高空抛物、噪音)",
              "public_security": "治安(停车、危险品、打架)", "other": "其他"}  # fmt: skip
PENALTY = {"proposed": "已建议(待经理签署)", "signed": "经理已签署生效", "lapsed": "未签署, 已失效"}
RESPONSIBLE = {"cs_supervisor": "客服助理部主管", "project_manager": "项目经理"}


class ViolationPages(Web):
    def _words(self) -> dict[str, Any]:
        return {"classes": VIOLATION_CLASSES, "categories": CATEGORIES, "measures": MEASURES,
                "penalty_words": PENALTY, "responsible": RESPONSIBLE}  # fmt: skip

    async def violations(self, request: Request, who: Who, status: int = 200,
                         **context: Any) -> Response:  # fmt: skip
        shown = open_or_closed(request)
        try:
            found = await case_desk.cases(self.desk.desk, who.session.site, shown)
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(
            request, "violations.html", status, who=who, cases=found, shown=shown,
            today=self.today(who).isoformat(), csrf=who.session.csrf,
            form=context.pop("form", {"client_ref": new_client_ref()}),
            **self._words(), **context,
        )  # fmt: skip

    async def open_violation(self, request: Request, who: Who) -> Response:
        form = request.state.form
        try:
            body = case_desk.open_body(form, self.site_zone(who))
            reply = await case_desk.open_case(
                self.desk.desk, who.session.site, who.session.staff_id, body
            )
        except Refused as refused:
            return await self.violations(request, who, refused.status, form=form, refused=refused)
        return await self._case_shown(who, reply["case_id"], (), "已立案")

    async def violation(self, request: Request, who: Who, **context: Any) -> Response:
        ref = request.path_params["case"]
        try:
            found = await case_desk.case(self.desk.desk, who.session.site, ref)
        except Refused as refused:
            if refused.code in ("not_found", "invalid"):  # a mistyped address: no parser's words
                raise Stop(404, f"本项目没有这个违例案件：{ref}") from None
            raise Stop(503, f"违例案件暂时无法显示（{refused.shown}）") from None
        return self.page(
            request, "violation.html", context.pop("status", 200), who=who, case=found,
            csrf=who.session.csrf, request_message=request.query_params.get("m"),
            form=context.pop("form", {}), steps=case_desk.CASE_STEPS, **self._words(),
            **context,
        )  # fmt: skip

    async def violation_step(self, request: Request, who: Who) -> Response:
        ref, verb = request.path_params["case"], request.path_params["verb"]
        if verb not in case_desk.CASE_STEPS:
            raise Stop(404, f"没有这个操作：{verb}")
        site = who.session.site
        try:
            before = case_desk.progress(await case_desk.case(self.desk.desk, site, ref))
            body = case_desk.step_body(verb, request.state.form)
            await case_desk.case_step(self.desk.desk, site, who.session.staff_id, ref, verb, body)
        except Refused as refused:
            return await self.shown_again(
                request, who, refused, verb, self.violation, f"本项目没有这个违例案件：{ref}"
            )
        return await self._case_shown(who, ref, before, f"{case_desk.CASE_STEPS[verb][1]}已保存")

    async def _case_shown(
        self, who: Who, case_id: str, before: tuple[Any, ...], done: str
    ) -> Response:
        """To the case's page, once reporting shows the change (a moment after the command)."""
        await case_desk.seen(self.desk.desk, who.session.site, case_id, before)
        return RedirectResponse(f"/violations/{quote(case_id)}?m={quote(done)}", 303)
