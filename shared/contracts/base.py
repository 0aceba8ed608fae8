"""Base classes for published contracts: frozen, strict about unknown fields."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from shared.kernel.identifiers import Place as Place  # the contracts' own names for them
from shared.kernel.identifiers import SiteId as SiteId
from shared.kernel.identifiers import StaffId as StaffId
from shared.kernel.identifiers import not_personal


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Key = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:/-]+$"
    ),
    AfterValidator(not_personal),
]

# The number the desk told the customer (docs/contract.md §8): <SITE>-<YYYYMM>-<NNNN>, any case.
TicketNo = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_upper=True,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{1,31}-[0-9]{6}-[0-9]{4,}$",
    ),
]
# Every command field that names a ticket takes its id or its number; the service resolves it.
TicketRef = Annotated[
    UUID | TicketNo,
    Field(description="The ticket's id (UUID) or its number (HBW-202611-0042)"),
]


# Years 1970–2999, as the reports count months: a time a desk gives lies in them both as written
# and in UTC, so that every deadline, month and week reckoned from it is a date (a year-9999
# appointment once overflowed escalation's deadlines).
YEARS = (1970, 2999)
YEAR = r"(19[7-9][0-9]|2[0-9]{3})"
Month = Annotated[str, StringConstraints(pattern=rf"^{YEAR}-(0[1-9]|1[0-2])$")]
MAX_INT64 = 2**63 - 1  # what SQLite stores in an INTEGER column


def in_years(value: datetime) -> datetime:
    first, last = YEARS
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not (first <= value.year <= last and first <= utc.year <= last):
        raise ValueError(f"must lie in the years {first}–{last}")
    return value


Timestamp = Annotated[AwareDatetime, AfterValidator(in_years)]


class Appointment(Contract):
    """A visit the customer agreed to, as published in ticket and work-order events; a command
    checks it at the edge (`commands.AppointmentWindow`)."""

    start: AwareDatetime
    end: AwareDatetime
