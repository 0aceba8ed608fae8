"""The care roll (关怀名单, R11.10; docs/contract.md §29.5, docs/RESIDENTS.md): the site's
residents who need special care with when each is next to be visited, the soonest due first —
the list the CS assistant plans the week's visits from. `resident.care_roll` is answered by
intake to the site's desk only, like `resident.lookup`: it holds names and why each needs care,
which never leave intake otherwise, and every look is recorded in intake's caller log."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from shared.contracts.base import Contract
from shared.contracts.resident_commands import UnitOf
from shared.kernel.identifiers import StaffId
from shared.kernel.residents import CareReason
from shared.kernel.zones import ZonesAsked


class ListCareRoll(Contract):
    """resident.care_roll: the site's special-care residents (R11.10), the soonest due for a
    visit first; the site's desk identity only, by a desk role (R15.2); every look is recorded
    in intake's caller log, never published. The reply holds names: it goes to the asker only."""

    staff_id: StaffId = Field(description="工号 of the member of staff looking")
    due_within_days: int | None = Field(
        default=None, ge=0, le=366,
        description="Only those whose next visit is due within this many days from now, and "
        "those overdue (0: only those overdue); none: the whole roll",
    )  # fmt: skip
    zones: ZonesAsked = Field(
        default_factory=list,
        description="Only those living in a unit of one of these zones (组团 / 辖区), compared "
        "without case — a zone CS assistant's (R1.3, R11.10); empty: the whole roll",
    )  # fmt: skip
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(
        default=None, max_length=200, description="`next_cursor` of the page before"
    )


class CareRollEntry(Contract):
    resident_id: UUID
    resident_ref: str
    name: str
    units: list[UnitOf] = Field(description="The units the resident lives in now")
    special_care: CareReason
    care_note: str | None
    last_visited_at: datetime | None = Field(
        description="When the latest visit recorded was made; null: none recorded yet"
    )
    last_visited_by: str | None = Field(description="Who recorded that visit")
    next_visit_due: datetime = Field(
        description="As `resident.lookup` says (contract §29.3): the site's "
        "residents.care_visit_days from the flag or the last visit recorded, the moment "
        "escalation's wait ends"
    )
    overdue: bool = Field(description="next_visit_due is not after now: the visit is late")


class CareRollReply(Contract):
    ok: Literal[True] = True
    as_of: datetime = Field(description="Now, by intake's clock: what `overdue` is reckoned at")
    care_visit_days: int = Field(description="The site's interval between visits")
    total: int = Field(description="The residents on the roll, as filtered, on every page")
    overdue: int = Field(description="Of those, the overdue")
    residents: list[CareRollEntry]
    next_cursor: str | None = Field(description="null on the last page; opaque")
