"""Promises kept (守信履约, R6.15, R2.6, R11.5): the desk's open promises with their due times
(the site's zone), the forms that record a missed call or make a promise (also from a ticket's
page), and each promise's outcome."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.console.adapters.http_web import Stop, Web, Who
from services.console.application import promise_desk
from services.console.application.forms import new_client_ref
from services.console.domain.refusal import Refused

# the page's two forms, by their slot in its template: what each reads, the command it sends,
# and what the list says once it is recorded
FORMS = {
    "form": (promise_desk.make_body, promise_desk.make, "承诺已登记"),
    "missed": (promise_desk.missed_call_body, promise_desk.missed_call,
               "未接来电已登记，请按时回电致歉"),
}  # fmt: skip


class PromisePages(Web):
    async def promises(self, request: Request, who: Who, status: int = 200,
                       **context: Any) -> Response:  # fmt: skip
        try:
            found = await promise_desk.open_promises(self.desk.desk, who.session.site)
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        ticket = request.query_params.get("ticket", "")[:64]
        return self.page(
            request, "promises.html", status, who=who, promises=found, csrf=who.session.csrf,
            steps={v: label for v, (_, label) in promise_desk.STEPS.items()},
            done=request.query_params.get("m"),
            form=context.pop("form", {"client_ref": new_client_ref(), "ticket": ticket}),
            missed=context.pop("missed", {"client_ref": new_client_ref()}), **context,
        )  # fmt: skip

    async def make_promise(self, request: Request, who: Who) -> Response:
        return await self._promise_form(request, who, "form")

    async def record_missed_call(self, request: Request, who: Who) -> Response:
        return await self._promise_form(request, who, "missed")

    async def _promise_form(self, request: Request, who: Who, slot: str) -> Response:
        """One of the page's two forms (FORMS): recorded, and the list shown saying so; or the
        page again with the refusal and what was typed, in that form."""
        form, (body_of, send, done) = request.state.form, FORMS[slot]
        try:
            body = body_of(form, self.site_zone(who))
            reply = await send(self.desk.desk, who.session.site, who.session.staff_id, body)
        except Refused as refused:
            return await self.promises(request, who, 400, refused=refused, **{slot: form})
        return await self._listed(who, reply, done)

    async def promise_step(self, request: Request, who: Who) -> Response:
        ref, verb = request.path_params["promise"], request.path_params["verb"]
        if verb not in promise_desk.STEPS:
            raise Stop(404, f"没有这个操作：{verb}")
        try:
            body = promise_desk.step_body(verb, request.state.form, self.site_zone(who))
            reply = await promise_desk.step(
                self.desk.desk, who.session.site, who.session.staff_id, ref, verb, body
            )
        except Refused as refused:
            if refused.code == "not_found":
                raise Stop(404, f"本项目没有这个承诺：{ref}（{refused.shown}）") from None
            # the promise's own row again, what was typed in it kept (not the make form's)
            return await self.promises(
                request, who, refused.status, refused=refused, failed=verb, failed_promise=ref,
                step_form=request.state.form,
            )  # fmt: skip
        return await self._listed(who, reply, promise_desk.DONE[verb])

    async def reveal_caller(self, request: Request, who: Who) -> Response:
        ref = request.path_params["promise"]
        try:
            shown = await promise_desk.reveal(
                self.desk.desk, who.session.site, who.session.staff_id, ref
            )
        except Refused as refused:
            return await self.shown_again(
                request, who, refused, "reveal", self.promises, f"本项目没有这个承诺：{ref}"
            )
        return await self.promises(request, who, caller=shown)

    async def _listed(self, who: Who, reply: dict[str, Any], done: str) -> Response:
        await promise_desk.seen(self.desk.desk, who.session.site, reply)
        return RedirectResponse(f"/promises?m={quote(done)}", 303)
