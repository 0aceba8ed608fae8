"""The desk's commands about emergency events (突发事件, R16.5), on
desk.cmd.<site>.intake.<verb> like every intake command, and their reply (docs/INCIDENTS.md).
A help request of category A, E or F opens its incident by itself (`ReportContact`)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from shared.contracts.base import (
    Contract,
    Key,
    LongText,
    Month,
    Place,
    ShortText,
    TicketRef,
    Timestamp,
)
from shared.contracts.command import Command
from shared.kernel.incidents import IncidentKind
from shared.kernel.vocabulary import Role


class IncidentReply(Contract):
    ok: Literal[True] = True
    incident_id: str
    incident_no: str
    status: str
    alerted: list[str] = Field(
        description="Who is told at once, on any hour (R10.7, R15.14): role, or role/department"
    )


class IncidentCommand(Command):
    """A command about one incident, named by its id or by its number (HBW-INC-202612-001)."""

    reply: ClassVar[type[Contract]] = IncidentReply

    incident_id: Key = Field(description="The incident's id, or its number HBW-INC-202612-001")


class OpenIncident(Command):
    """Open an emergency event (突发事件, R16.5): its kind, place, when it happened and what was
    done; security and the duty manager are told at once. `client_ref` is unique per site."""

    verb: ClassVar[str] = "incident_open"
    reply: ClassVar[type[Contract]] = IncidentReply

    client_ref: Key
    kind: IncidentKind
    place: Place = Field(description="The unit or area (R16.4), never a name: it is published")
    occurred_at: Timestamp = Field(description="When it happened (ISO 8601 with offset)")
    measure: LongText = Field(description="What was done (处理措施), recorded as its first measure")
    ticket_id: TicketRef | None = Field(
        default=None, description="The ticket of the contact that reported it, if any"
    )


class RecordIncidentMeasure(IncidentCommand):
    """Record a measure taken (处理措施, R16.5), with when it was taken."""

    verb: ClassVar[str] = "incident_measure"

    measure: LongText
    taken_at: Timestamp | None = Field(default=None, description="When it was taken; default now")


class ReportIncidentUp(IncidentCommand):
    """Record the report upward (向上级报告, R16.5): to whom (a role) and when."""

    verb: ClassVar[str] = "incident_report_up"

    to: Role = Field(description="Who it was reported to: project_manager, gm_office, quality …")
    reported_at: Timestamp | None = Field(default=None, description="When; default now")
    note: ShortText | None = None


class CloseIncident(IncidentCommand):
    """Close an incident with its follow-up afterwards (事后跟进, R16.5): what was found and
    done. Needs a measure and a report upward recorded first."""

    verb: ClassVar[str] = "incident_close"

    follow_up: LongText


INCIDENT_COMMANDS: tuple[type[Command], ...] = (
    OpenIncident,
    RecordIncidentMeasure,
    ReportIncidentUp,
    CloseIncident,
)


class ListIncidents(Contract):
    """A site's emergency events (incident.list, R16.5): of one local month, or the open ones."""

    month: Month | None = Field(default=None, description="YYYY-MM, the site's local month")
    status: Literal["open", "closed"] | None = None
    limit: int = Field(default=50, ge=1, le=200)


class GetIncident(Contract):
    """One emergency event (incident.show), by its id or its number (HBW-INC-202612-001)."""

    incident_id: Key
