"""Proactive visits and surveys (走访, 满意度调查, R11.6, R11.9; docs/VISITS.md) through the
console: the visit form becomes `intake.record_visit` — checked against the contract's own model
first, so a bad form is refused here and sends nothing — and the pages read `visit.week` and
`survey.stats`. Times typed in a browser are read in the site's zone."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from services.console.application.forms import _local_time, _text, new_client_ref, refusal_of
from services.console.application.ports import DeskContract
from shared.contracts.visits import ListVisits, RecordVisit, SurveyStatsQuery


def visit_body(form: dict[str, str], zone: ZoneInfo, now: str) -> dict[str, Any]:
    """The 《住户回访记录表》 form: one issue raised at most, which opens a ticket."""
    issue = _text(form, "issue")
    return {
        "visit_ref": _text(form, "visit_ref") or new_client_ref(),
        "unit": _text(form, "unit"),
        "zone": _text(form, "zone"),
        "visited_at": _local_time(_text(form, "visited_at"), zone, "visited_at") or now,
        "opinions": _text(form, "opinions"),
        "issues": [
            {
                "kind": _text(form, "issue_kind") or "repair",
                "category": _text(form, "issue_category"),
                "description": issue,
            }
        ]
        if issue
        else [],
    }


async def record_visit(
    desk: DeskContract, site: str, staff_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    body = {k: v for k, v in body.items() if v is not None}
    body["issues"] = [{k: v for k, v in i.items() if v is not None} for i in body["issues"]]
    try:
        RecordVisit.model_validate({**body, "staff_id": staff_id})
    except ValidationError as exc:
        raise refusal_of(exc) from None
    return await desk.command(site, "intake", RecordVisit.verb, staff_id, body)


def _valid(model: type, body: dict[str, Any]) -> dict[str, Any]:
    try:
        return model.model_validate(body).model_dump(mode="json")
    except ValidationError as exc:
        raise refusal_of(exc) from None


async def week(desk: DeskContract, site: str, day: str, month: bool) -> dict[str, Any]:
    body = _valid(ListVisits, {"day": day, "month": month})
    return await desk.query(site, "visit.week", body)


async def survey(desk: DeskContract, site: str, ref: str) -> dict[str, Any]:
    return await desk.query(site, "survey.stats", _valid(SurveyStatsQuery, {"survey_ref": ref}))
