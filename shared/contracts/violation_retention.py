"""`propdesk violation retention` on desk.ops.intake.violation_retention (R14.8): which closed
violation cases are past their retention — one year (general) or five (major) from the day they
closed, the site's calendar — and, with `apply`, their removal from the views."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from shared.contracts.base import Contract, SiteId
from shared.contracts.violation_commands import DueDate
from shared.kernel.violations import ViolationClass


class RunRetention(Contract):
    """List (default) or remove the site's closed violation cases past their retention."""

    site: SiteId
    as_of: DueDate | None = Field(default=None, description="Default: today, the site's zone")
    apply: bool = Field(default=False, description="false: only list what would be removed")


class RetainedCase(Contract):
    case_id: UUID
    client_ref: str
    violation_class: ViolationClass
    closed_on: date
    removable_on: date
    offender_forgotten: bool = Field(description="Intake held an offender's name or phone")


class RetentionReport(Contract):
    ok: bool = True
    site: str
    as_of: date
    applied: bool = Field(description="true: each case below was removed (violation.expired)")
    cases: list[RetainedCase]
    kept: int = Field(description="Closed cases still within their retention")
