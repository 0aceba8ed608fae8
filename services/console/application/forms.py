"""The console's forms as the contract's command bodies (docs/contract.md §6, §10): what a person
typed, stripped, blank fields left out, times read in the site's zone; checked against the
contract's own models by the caller, so a bad form is refused with the contract's words and
nothing is sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from services.console.application.ports import DeskContract
from services.console.domain.field_words import label
from services.console.domain.refusal import CHECK_FIELDS, Refused, field_message, new_key
from shared.kernel.satisfaction import is_satisfied


def new_client_ref() -> str:
    """The report form's own reference, made when the form is shown: the same form sent twice
    is one ticket (docs/contract.md §4). Letters only, so it never looks like a phone number."""
    return new_key()


def _text(form: dict[str, str], name: str) -> str | None:
    value = (form.get(name) or "").strip()
    return value or None


def _local_time(value: str | None, zone: ZoneInfo, field: str) -> str | None:
    """A browser's `datetime-local` (no offset) read in the site's zone."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=zone).isoformat()
    except ValueError:
        raise Refused("invalid", "时间格式不正确", [{"field": field, "message": value}]) from None


def checked(
    command: type, body: dict[str, Any], staff_id: str, empty: tuple[Any, ...] = (None,)
) -> dict[str, Any]:
    """A form's body without its `empty` values, checked against the contract's command before
    anything is sent: a bad form is refused with the field it names and sends nothing."""
    body = {k: v for k, v in body.items() if not any(v is e or v == e for e in empty)}
    try:
        command.model_validate({**body, "staff_id": staff_id})
    except ValidationError as exc:
        raise refusal_of(exc) from None
    return body


async def send_form(
    desk: DeskContract, site: str, staff_id: str, command: type, body: dict[str, Any]
) -> dict[str, Any]:
    """A form's intake command, `checked` first: a bad form sends nothing."""
    body = checked(command, body, staff_id)
    return await desk.command(site, "intake", command.verb, staff_id, body)


def step_command(steps: dict[str, tuple[type, str]], verb: str) -> type:
    """The contract's command of a page's step (verb -> (command, label)); no such step is
    refused as not found."""
    if verb not in steps:
        raise Refused("not_found", f"没有这个操作：{verb}")
    return steps[verb][0]


def refusal_of(exc: ValidationError) -> Refused:
    """A form the contract's command (`exc.title`) refused, each field by the form's label."""
    fields = []
    for error in exc.errors()[:20]:
        path = ".".join(str(p) for p in error["loc"]) or "表单"
        fields.append({"field": path, "label": label(path, exc.title),
                       "message": field_message(error, exc.title)})  # fmt: skip
    return Refused("invalid", CHECK_FIELDS, fields)


def report_body(form: dict[str, str], zone: ZoneInfo) -> dict[str, Any]:
    """The intake form (受理登记) as `intake.report`'s body (docs/contract.md §6.1)."""
    reporter = None
    if any(_text(form, f) for f in ("name", "phone", "room")):
        reporter = {
            "name": _text(form, "name"), "phone": _text(form, "phone"),
            "room": _text(form, "room"),
        }  # fmt: skip
    start = _local_time(_text(form, "appointment_start"), zone, "appointment.start")
    end = _local_time(_text(form, "appointment_end"), zone, "appointment.end")
    body = {
        "client_ref": _text(form, "client_ref") or new_client_ref(),
        "channel": _text(form, "channel"), "kind": _text(form, "kind"),
        "category": _text(form, "category"), "help_category": _text(form, "help_category"),
        "incident_kind": _text(form, "incident_kind"),  # A, E, F open an incident (R16.5)
        "reporter": reporter, "content": _text(form, "content"),
        "appointment": {"start": start, "end": end} if start or end else None,
    }  # fmt: skip
    return {k: v for k, v in body.items() if v is not None}


def order_body(
    verb: str, form: dict[str, str], staff_id: str, zone: ZoneInfo | None = None
) -> dict[str, Any]:
    """A work-order step's form as its dispatch command's body; who collects or is assigned
    defaults to the signed-in person; a new appointment is read in the site's `zone`."""
    fields = {
        "collect": ("collected_by",), "assign": ("technician",), "arrive": (),
        "quote": ("amount", "items"), "accept_quote": (),
        "complete": ("notes", "actual_item", "fee"),
        "sign_off": ("quality", "attitude", "comment"), "return": (),
        "reschedule": ("reason",), "decline_quote": ("reason",), "refer": ("reason",),
        "confirm_acceptance": ("note",), "rework": ("reason",), "cancel": ("reason",),
    }[verb]  # fmt: skip
    body: dict[str, Any] = {n: _text(form, n) for n in fields if _text(form, n) is not None}
    if verb == "reschedule" and zone is not None:
        start = _local_time(_text(form, "appointment_start"), zone, "appointment.start")
        end = _local_time(_text(form, "appointment_end"), zone, "appointment.end")
        body["appointment"] = {"start": start, "end": end}
    if verb == "collect":
        body.setdefault("collected_by", staff_id)
    if verb == "assign":
        body.setdefault("technician", staff_id)
    for name in ("quality", "attitude"):
        if name in body:
            try:
                body[name] = int(body[name])
            except ValueError:
                raise Refused(
                    "invalid", "评分应为 1–5", [{"field": name, "message": body[name]}]
                ) from None
    return body


def action_body(verb: str, form: dict[str, str]) -> dict[str, Any]:
    """A ticket page's action form as the body of its intake command (docs/contract.md §6)."""
    fields = {
        "classify": ("kind", "category", "help_category", "validity", "communicative_type",
                     "severity"),
        "reply": ("message",), "accept_solution": ("solution",), "resolve": ("resolution",),
        "follow_up": ("score", "comment"), "reopen": ("reason",),
        "cancel": ("reason", "note", "duplicate_of"), "link": ("channel", "content"),
        "reveal_contact": ("purpose",), "hand_over": ("to_staff", "reason"),
    }[verb]  # fmt: skip
    body: dict[str, Any] = {n: _text(form, n) for n in fields if _text(form, n) is not None}
    if verb == "link" and any(_text(form, f) for f in ("name", "phone", "room")):
        body["reporter"] = {
            f: _text(form, f) for f in ("name", "phone", "room") if _text(form, f) is not None
        }
    if "score" in body:
        try:
            body["score"] = int(body["score"])
        except ValueError:
            raise Refused(
                "invalid", "满意度评分应为 1–5", [{"field": "score", "message": body["score"]}]
            ) from None
        if 1 <= body["score"] <= 5 and not is_satisfied(body["score"]) and "comment" not in body:
            # the case is reopened: whoever handles it again needs what the customer said (R11.2)
            raise Refused(
                "invalid", "客户不满意（3 分及以下）：请填写客户意见",
                [{"field": "comment", "message": "不满意时必填"}],
            )  # fmt: skip
    return body
