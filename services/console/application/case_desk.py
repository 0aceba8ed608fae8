"""Inspection rounds and violation cases through the console (docs/INSPECTION.md,
docs/VIOLATIONS.md): the round form and the case forms become the contract's commands
(`intake.record_round`, `intake.violation_<verb>`), checked against the contract's own models
first, so a bad form is refused here with the field it names and sends nothing. Who may propose
or sign a penalty is intake's to check (R14.6, R14.7): the page shows what intake answers. Times
typed in a browser are read in the site's zone."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from zoneinfo import ZoneInfo

from services.console.application.forms import (
    _local_time,
    _text,
    new_client_ref,
    send_form,
    step_command,
)
from services.console.application.ports import DeskContract
from services.console.domain.refusal import Refused
from shared.contracts.rounds import RecordRound
from shared.contracts.violation_commands import (
    CloseViolation,
    OpenViolation,
    ProposePenalty,
    ReclassifyViolation,
    RecordMeasure,
    RecordMediation,
    SignPenalty,
)

FINDING_ROWS = 4  # findings on the round form (the contract takes up to 8)
FINDING_FIELDS = ("point", "type", "category", "location", "description", "measures",
                  "about_staff", "violation_class", "violation_category")  # fmt: skip

# verb of the page (/violations/<case>/<verb>) -> (the contract's command, its label)
CASE_STEPS: dict[str, tuple[type, str]] = {
    "measure": (RecordMeasure, "处理措施"),
    "mediate": (RecordMediation, "客户委员会调解"),
    "classify": (ReclassifyViolation, "重新定级"),
    "penalty": (ProposePenalty, "处罚建议"),
    "sign": (SignPenalty, "经理签署"),
    "close": (CloseViolation, "结案"),
}


# -- a round (巡查记录, R13.13, R13.14) ---------------------------------------------------------


def round_body(form: dict[str, str], zone: ZoneInfo, now: str) -> dict[str, Any]:
    """The round form: the points one a line (from the slot's plan, editable), a point is not
    ok when a finding names it; findings in rows f0…f3, a row without a description is empty."""
    findings = []
    for row in range(FINDING_ROWS):
        found = {n: _text(form, f"f{row}_{n}") for n in FINDING_FIELDS}
        if found["description"] is None and found["point"] is None:
            continue
        if form.get(f"f{row}_fixed_on_spot"):
            found["fixed_on_spot"] = True  # type: ignore[assignment]
        findings.append({k: v for k, v in found.items() if v is not None})
    bad = {f.get("point") for f in findings}
    names = [p.strip() for p in (form.get("points") or "").splitlines() if p.strip()]
    names += [p for p in bad if p and p not in names]  # a finding's point is a point checked
    return {
        "round_ref": _text(form, "round_ref") or new_client_ref(),
        "round_type": _text(form, "round_type"),
        "slot": _text(form, "slot"),
        "area": _text(form, "area"),
        "started_at": _local_time(_text(form, "started_at"), zone, "started_at"),
        "ended_at": _local_time(_text(form, "ended_at"), zone, "ended_at") or now,
        "points": [{"point": p, "ok": p not in bad} for p in dict.fromkeys(names)],
        "findings": findings,
    }


async def record_round(
    desk: DeskContract, site: str, staff_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    return await send_form(desk, site, staff_id, RecordRound, body)


# -- violation cases (违例, R14.1–R14.10) --------------------------------------------------------


def open_body(form: dict[str, str], zone: ZoneInfo) -> dict[str, Any]:
    offender = {n: _text(form, f"offender_{n}") for n in ("name", "phone")}
    return {
        "client_ref": _text(form, "client_ref") or new_client_ref(),
        "violation_class": _text(form, "violation_class"),
        "category": _text(form, "category"),
        "place": _text(form, "place"),
        "description": _text(form, "description"),
        "observed_at": _local_time(_text(form, "observed_at"), zone, "observed_at"),
        "offender": {k: v for k, v in offender.items() if v} if any(offender.values()) else None,
        "ticket_id": _text(form, "ticket"),
    }


def step_body(verb: str, form: dict[str, str]) -> dict[str, Any]:
    if verb == "measure":
        return {n: _text(form, n) for n in ("measure", "due_on", "note")}
    if verb == "mediate":
        return {"failed": form.get("failed") == "1", "note": _text(form, "note")}
    if verb == "classify":
        return {"violation_class": _text(form, "violation_class"), "reason": _text(form, "reason")}
    if verb == "penalty":
        return {"penalty": _text(form, "penalty"), "amount": _text(form, "amount")}
    if verb == "close":
        return {"outcome": _text(form, "outcome")}
    return {}


async def open_case(
    desk: DeskContract, site: str, staff_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    return await send_form(desk, site, staff_id, OpenViolation, body)


async def case_step(
    desk: DeskContract, site: str, staff_id: str, case: str, verb: str, body: dict[str, Any]
) -> dict[str, Any]:
    command = step_command(CASE_STEPS, verb)
    return await send_form(desk, site, staff_id, command, {"case": case, **body})


async def cases(desk: DeskContract, site: str, status: str | None) -> list[dict[str, Any]]:
    query = {"limit": 200, **({"status": status} if status else {})}
    return (await desk.query(site, "violation.list", query))["cases"]


async def case(desk: DeskContract, site: str, case_id: str) -> dict[str, Any]:
    return (await desk.query(site, "violation.get", {"case_id": case_id}))["case"]


def progress(found: dict[str, Any] | None) -> tuple[Any, ...]:
    """How far a case has got: what each step changes."""
    if found is None:
        return ()
    penalty = found.get("penalty") or {}
    return (found["status"], found["violation_class"], len(found["measures"]),
            found.get("mediation"), penalty.get("status"), penalty.get("penalty"))  # fmt: skip


async def seen(desk: DeskContract, site: str, case_id: str, before: tuple[Any, ...],
               wait: float = 3.0) -> None:  # fmt: skip
    """Wait (a little) until reporting shows what a command did, so the next page reads it."""
    deadline = asyncio.get_running_loop().time() + wait
    while asyncio.get_running_loop().time() < deadline:
        with contextlib.suppress(Refused):
            if progress(await case(desk, site, case_id)) != before:
                return
        await asyncio.sleep(0.1)
