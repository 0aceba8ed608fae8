"""The shift-log page (交接班, R15.9–R15.12; docs/SHIFTS.md): this shift's log and the previous
one's, the forms that write an entry, close the shift (its open tickets listed as pending items)
and sign the previous shift's log as the incoming shift."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.console.adapters.http_web import Stop, Web, Who
from services.console.application import shift_desk
from services.console.domain.refusal import Refused


class ShiftPages(Web):
    async def shifts(self, request: Request, who: Who, status: int = 200,
                     **context: Any) -> Response:  # fmt: skip
        site = who.session.site
        try:
            now = await shift_desk.shift_log(self.desk.desk, site, previous=False)
            before = await shift_desk.shift_log(self.desk.desk, site, previous=True)
        except Refused as refused:
            raise Stop(503, refused.shown) from None
        return self.page(
            request, "shifts.html", context.pop("status", status), who=who, now=now,
            before=before, kinds=shift_desk.ENTRY_KINDS, csrf=who.session.csrf,
            may_sign=shift_desk.may_sign(before, who.session.staff_id),
            done=request.query_params.get("m"), form=context.pop("form", {}), **context,
        )  # fmt: skip

    async def shift_step(self, request: Request, who: Who) -> Response:
        verb = request.path_params["verb"]
        if verb not in shift_desk.STEPS:
            raise Stop(404, f"没有这个操作：{verb}")
        site, staff_id = who.session.site, who.session.staff_id
        try:
            body = shift_desk.step_body(verb, request.state.form)
            pending = []
            if verb == "close":
                pending = [t["ticket_no"] for t in await self.desk.queue(site, "open", None)]
            await shift_desk.shift_step(self.desk.desk, site, staff_id, verb, body, pending)
        except Refused as refused:
            # the page again, what was typed kept: a ticket named by an entry that is not found
            # is a mistake in the form, not a missing page (the shift is the page's own)
            return await self.shifts(
                request, who, refused=refused, status=refused.status, form=request.state.form,
                failed=verb,
            )  # fmt: skip
        return RedirectResponse(f"/shifts?m={quote(shift_desk.STEPS[verb][1])}", 303)
