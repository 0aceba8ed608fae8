"""Replies to commands and queries. Every rejection has the same shape."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field

from shared.contracts.base import Contract


class ErrorCode(StrEnum):
    invalid = "invalid"
    not_found = "not_found"
    conflict = "conflict"
    forbidden = "forbidden"
    unavailable = "unavailable"


class FieldError(Contract):
    field: str
    message: str
    type: str | None = Field(
        default=None,
        description="pydantic's error type of a body's check (missing, string_too_long, "
        "literal_error, value_error …), for a client to say the check in its own words; null "
        "for a service's own rule",
    )
    ctx: dict[str, str | int | float | bool] = Field(
        default_factory=dict,
        description="The check's numbers and choices as pydantic gives them (max_length, ge, "
        "expected …): JSON scalars only",
    )


class Error(Contract):
    code: ErrorCode
    message: str
    fields: list[FieldError] = Field(default_factory=list)


class ErrorReply(Contract):
    ok: Literal[False] = False
    error: Error


class TicketReply(Contract):
    ok: Literal[True] = True
    ticket_id: str
    ticket_no: str
    status: str


class AnalysisReply(Contract):
    ok: Literal[True] = True
    site: str
    month: str
    revision: int


class ContactDetails(Contract):
    name: str
    phone: str | None = None
    room: str | None = None


class ContactReply(TicketReply):
    """Answered to the requester only; never published."""

    reporters: list[ContactDetails]


class Promise(Contract):
    """A time to tell the customer (R3.9), in the site's zone (its offset, e.g. +08:00)."""

    clock: str = Field(
        description="What is promised: urgent_on_site, urgent_fixed, general_fixed, appointment "
        "(the agreed visit), help_reply or complaint_reply (before 2026-12: "
        "department_supervisor for a complaint)"
    )
    due_at: AwareDatetime = Field(description="In the site's zone, with its offset")
    guessed_years: list[int] = Field(
        default_factory=list,
        description="Years the deadline counts office time across whose holidays and adjusted "
        "working days (调休) are not known yet (no State Council notice in the calendar, none "
        "entered by the site): the date is an estimate; tell the customer so",
    )


class ReportReply(TicketReply):
    duplicate: bool
    deadline: Promise | None = Field(
        default=None,
        description="The main thing to tell the customer (a repair's fix, a help request's "
        "answer, a complaint's reply); null for inquiries, suggestions and inspection findings",
    )
    promises: list[Promise] = Field(
        default_factory=list,
        description="Everything to tell the customer, in order (an urgent repair: on site, then "
        "fixed); empty where there is no promise or no customer",
    )
    emergency: bool = Field(
        default=False,
        description="A repair or help request that names a smell of gas, a fire or smoke: start "
        "the emergency plan now (R4.10, R16.5)",
    )
    incident_no: str | None = Field(
        default=None,
        description="The emergency event a help request of category A, E or F opened (R16.5): "
        "security and the duty manager are told at once; record its measures",
    )
    answered_by_notice: str | None = Field(
        default=None,
        description="The outage notice (维修通告) that answers this call: a repair reporting only "
        "the cut an announced outage, still before its expected restoration, announces is "
        "recorded as an inquiry and gets no work order; tell the customer the notice's expected "
        "restoration time (R7.10, R16.6)",
    )
