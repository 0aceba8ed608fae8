"""`propdesk violation retention` on desk.ops.intake.violation_retention (R14.8): which closed
violation cases are past their retention — one year (general) or five (major) from the day they
closed, the site's calendar — and, with `apply`, their removal from the views."""

from __future__ import annotations

from datetime import date
from typing import Literal, Self
from uuid import UUID

from pydantic import Field, model_validator

from shared.contracts.base import Contract, SiteId
from shared.contracts.violation_commands import CaseRef, DueDate
from shared.kernel.violations import ViolationClass


class RunRetention(Contract):
    """List (default) or remove the site's closed violation cases past their retention."""

    site: SiteId
    as_of: DueDate | None = Field(default=None, description="Default: today, the site's zone")
    apply: bool = Field(default=False, description="false: only list what would be removed")
    erase: bool = Field(
        default=False,
        description="With apply: also erase each removed case's offender (crypto-shredding), "
        "where the law asks for the personal data to go with the record",
    )

    @model_validator(mode="after")
    def _erase_with_apply(self) -> Self:
        if self.erase and not self.apply:
            raise ValueError("erase needs apply: only a removed case's offender is erased here")
        return self


class RetainedCase(Contract):
    case_id: UUID
    client_ref: str
    violation_class: ViolationClass
    closed_on: date
    removable_on: date
    offender_held: bool = Field(
        description="Intake holds the offender's name or phone, sealed with the case's key: "
        "kept after the removal unless erased (`erase`)"
    )


class EraseOffender(Contract):
    """Erase one case's offender — name and phone — by deleting the case's key, where the law
    asks for it (a data subject's request): every stored and backed-up copy becomes unreadable.
    The case and its events stay."""

    site: SiteId
    case: CaseRef


class OffenderErased(Contract):
    ok: Literal[True] = True
    site: str
    case_id: UUID
    client_ref: str
    key_deleted: bool = Field(description="false: the case held no offender's data")


class RetentionReport(Contract):
    ok: Literal[True] = True
    site: str
    as_of: date
    applied: bool = Field(description="true: each case below was removed (violation.expired)")
    cases: list[RetainedCase]
    kept: int = Field(description="Closed cases still within their retention")
