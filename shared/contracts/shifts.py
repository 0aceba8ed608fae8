"""The desk's commands about a ticket's owner (首问负责制, R10.1) and its shift log (交接班记录,
R15.9–R15.12), on desk.cmd.<site>.intake.<verb>, their replies, and `shift.show`, answered by
intake (docs/SHIFTS.md, contract §31)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints

from shared.contracts.base import Contract, LongText, ShortText, StaffId, TicketRef
from shared.contracts.command import Command
from shared.contracts.commands import TicketCommand
from shared.contracts.replies import TicketReply
from shared.kernel.shifts import EntryKind, ShiftStatus


def _a_time(label: str) -> str:
    datetime.fromisoformat(label)  # 2026-13-40T25:00 matches the pattern, but is no time
    return label


# A shift, named by its local start in the site's zone: 2026-12-03T08:00.
ShiftLabel = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        pattern=r"^(19[7-9][0-9]|2[0-9]{3})-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]$",
    ),
    AfterValidator(_a_time),
    Field(description="The shift's local start, YYYY-MM-DDTHH:MM (the site's zone)"),
]
MAX_PENDING = 100  # a close stays within a request's 128 KB (contract section 3)


class OwnerReply(TicketReply):
    owner: str = Field(description="Staff id (工号) of whoever answers for the ticket now")


class HandOverTicket(TicketCommand):
    """Hand a ticket to another member of staff (R10.1): whoever took the contact owns it until
    a hand-over is recorded. Only its owner, or a supervisor or manager, may hand it over; the
    new owner is on the site's staff list."""

    verb: ClassVar[str] = "hand_over"
    reply: ClassVar[type[Contract]] = OwnerReply

    to_staff: StaffId = Field(description="工号 of the new owner")
    reason: ShortText


class ShiftReply(Contract):
    ok: Literal[True] = True
    shift_id: str
    shift: str = Field(description="The shift's local start, YYYY-MM-DDTHH:MM")
    status: ShiftStatus
    entries: int
    pending: int
    sign_by: AwareDatetime | None
    signed_by: list[str] = Field(description="Staff ids (工号) who signed, in order")


class ShiftCommand(Command):
    reply: ClassVar[type[Contract]] = ShiftReply

    shift: ShiftLabel | None = None


class WriteShiftEntry(ShiftCommand):
    """Write in the shift log (R15.10): an important notice, an unresolved matter or an abnormal
    event, about a ticket or not. `shift`: default the shift now."""

    verb: ClassVar[str] = "shift_entry"

    kind: EntryKind
    text: LongText
    ticket_id: TicketRef | None = None


class CloseShift(ShiftCommand):
    """Close the shift's log at shift change (交班, R15.12): the open tickets the desk hands on
    are listed as its pending items (the console and the CLI list the site's open tickets by
    themselves; one closed meanwhile is left out); the incoming shift has the site's grace to
    sign. `shift`: default the previous shift if its log is still open, else the shift now."""

    verb: ClassVar[str] = "shift_close"

    pending: list[TicketRef] = Field(default_factory=list, max_length=MAX_PENDING)
    note: LongText | None = None


class SignShift(ShiftCommand):
    """Read and sign a closed shift log (接班签字, R15.9), as a member of the incoming shift —
    the night operations duty staff too (R15.11). `shift`: default the previous shift if its
    log is closed, else the shift now."""

    verb: ClassVar[str] = "shift_sign"


SHIFT_COMMANDS: tuple[type[Command], ...] = (HandOverTicket, WriteShiftEntry, CloseShift, SignShift)


# -- shift.show: desk.qry.<site>.shift.show -----------------------------------------------------


class ShowShift(Contract):
    """shift.show: a shift's log, as the incoming shift reads it before signing (R15.9). `shift`:
    default the shift now; `previous`: the one before it."""

    shift: ShiftLabel | None = None
    previous: bool = False


class ShiftEntryLine(Contract):
    kind: EntryKind
    text: str = Field(description="Masked like anything on the bus")
    by: str
    at: AwareDatetime
    ticket_no: str | None


class PendingLine(Contract):
    ticket_id: str
    ticket_no: str
    owner: str
    status: str


class SignatureLine(Contract):
    by: str
    role: str | None
    at: AwareDatetime
    late: bool


class ShiftLogView(Contract):
    ok: Literal[True] = True
    shift: str
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    status: ShiftStatus | Literal["none"] = Field(description="none: nothing written yet")
    entries: list[ShiftEntryLine]
    pending: list[PendingLine]
    note: str | None
    closed_by: str | None
    closed_at: AwareDatetime | None
    sign_by: AwareDatetime | None
    signatures: list[SignatureLine]
