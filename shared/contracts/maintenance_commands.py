"""The desk's commands about maintenance and outage notices (维修通告, R7.9, R7.10, R16.6), on
desk.cmd.<site>.intake.<verb> like every intake command, their reply, and the query
`maintenance.list` intake answers (docs/OUTAGES.md, docs/contract.md §32)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from shared.contracts.base import Contract, Key, LongText, Place, ShortText, TicketRef, Timestamp
from shared.contracts.command import Command
from shared.kernel.maintenance import NoticeKind, NoticeStatus

Places = list[Place]


class NoticeScope(Contract):
    """Who is affected (R16.4): the whole site, or buildings, zones and units. Published, so
    places only, never a name."""

    whole_site: bool = False
    buildings: Places = Field(default_factory=list, max_length=30, description="e.g. 3, 5")
    zones: Places = Field(default_factory=list, max_length=20, description="组团 / 辖区")
    units: Places = Field(default_factory=list, max_length=80, description="e.g. 3-201")

    @model_validator(mode="after")
    def _names_someone(self) -> NoticeScope:
        if not (self.whole_site or self.buildings or self.zones or self.units):
            raise ValueError("name the affected buildings, zones or units, or the whole site")
        return self


class NoticeReply(Contract):
    ok: Literal[True] = True
    notice_id: str
    notice_no: str
    status: NoticeStatus
    late: bool = Field(description="A planned notice announced later than the day before (R7.9)")
    expected_end: str = Field(description="The expected end or restoration, ISO 8601")
    linked: list[str] = Field(description="The numbers of the tickets linked to it")


class NoticeCommand(Command):
    """A command about one notice, named by its id or its number (HBW-MN-0001)."""

    reply: ClassVar[type[Contract]] = NoticeReply

    notice_id: Key = Field(description="The notice's id, or its number HBW-MN-0001")


class AnnounceNotice(Command):
    """Announce a maintenance or outage notice (维修通告, R7.9, R7.10, R16.6) to the households
    in its scope: planned work the day before, an outage with its expected restoration time.
    `client_ref` is unique per site."""

    verb: ClassVar[str] = "maintenance_announce"
    reply: ClassVar[type[Contract]] = NoticeReply

    client_ref: Key
    kind: NoticeKind
    planned: bool = Field(
        default=False, description="An outage planned for work (announced the day before, R7.9)"
    )
    scope: NoticeScope
    starts_at: Timestamp = Field(description="When the work or the outage starts")
    expected_end: Timestamp = Field(description="Its expected end or restoration (S1:120)")
    text: LongText = Field(description="What the households are told (masked when published)")
    categories: list[Key] = Field(
        default_factory=list,
        max_length=20,
        description="The categories of contact it answers; none: the kind's (docs/OUTAGES.md)",
    )
    announced_at: Timestamp | None = Field(
        default=None, description="When it was posted to the households; default now"
    )

    @model_validator(mode="after")
    def _ends_after_start(self) -> AnnounceNotice:
        if self.expected_end <= self.starts_at:
            raise ValueError("expected_end must be after starts_at")
        return self


class ReviseRestoration(NoticeCommand):
    """Revise the expected end or restoration time (S1:120) and tell the households why."""

    verb: ClassVar[str] = "maintenance_revise"

    expected_end: Timestamp
    reason: ShortText


class ExplainNotice(NoticeCommand):
    """Record the explanation given to the households after emergency work (R7.10)."""

    verb: ClassVar[str] = "maintenance_explain"

    explanation: LongText


class EndNotice(NoticeCommand):
    """The supply is restored (an outage) or the work done: the notice is no longer in force."""

    verb: ClassVar[str] = "maintenance_end"

    outcome: Literal["restored", "done"]
    ended_at: Timestamp | None = Field(default=None, description="When; default now")
    note: ShortText | None = None


class CancelNotice(NoticeCommand):
    """Cancel a notice whose work will not happen."""

    verb: ClassVar[str] = "maintenance_cancel"

    reason: ShortText


class LinkToNotice(NoticeCommand):
    """Link a contact's ticket to the notice it is about (the desk's own call)."""

    verb: ClassVar[str] = "maintenance_link"

    ticket_id: TicketRef


class UnlinkFromNotice(NoticeCommand):
    """Take a ticket off a notice it was linked to by mistake."""

    verb: ClassVar[str] = "maintenance_unlink"

    ticket_id: TicketRef
    reason: ShortText


MAINTENANCE_COMMANDS: tuple[type[Command], ...] = (
    AnnounceNotice,
    ReviseRestoration,
    ExplainNotice,
    EndNotice,
    CancelNotice,
    LinkToNotice,
    UnlinkFromNotice,
)


class ListMaintenanceNotices(Contract):
    """A site's maintenance and outage notices (maintenance.list, R16.6): those in force, or the
    last ones of any state, newest first."""

    active: bool = Field(default=False, description="Only those in force")
    limit: int = Field(default=50, ge=1, le=200)


class NoticeRow(Contract):
    notice_id: str
    notice_no: str
    kind: NoticeKind
    planned: bool
    status: NoticeStatus
    scope: NoticeScope
    starts_at: str
    expected_end: str
    announced_at: str
    late: bool
    text: str = Field(description="Masked like everything published")
    explanation: str | None
    revisions: int
    ended_at: str | None
    linked: list[str]


class MaintenanceNoticesReply(Contract):
    ok: Literal[True] = True
    notices: list[NoticeRow]
