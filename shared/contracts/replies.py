"""Replies to commands and queries. Every rejection has the same shape."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

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


class ContactDetails(Contract):
    name: str
    phone: str | None = None
    room: str | None = None


class ContactReply(TicketReply):
    """Answered to the requester only; never published."""

    reporters: list[ContactDetails]


class ReportReply(TicketReply):
    duplicate: bool
