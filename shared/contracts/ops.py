"""Operators' requests on desk.ops.<service>.*: to reporting (`propdesk replay` and `propdesk
verify`; docs/contract.md §21; no site: a view holds every site) and to intake (`propdesk
access-log`: the refused looks at contact details, contract §22). Only ops may send them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from shared.contracts.base import Contract, SiteId
from shared.contracts.commands import Month

ProjectionName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[a-z0-9_-]+$"),
]


class ViewChecksum(Contract):
    """The position and checksum of one of reporting's live views."""

    projection: ProjectionName = Field(description="tickets, analytics …")


class SwitchView(Contract):
    """Serve a rebuilt view: stop the projection's inbox, close its view, move the rebuilt file
    into its place, reopen it and follow DESK again from the rebuilt file's position."""

    projection: ProjectionName = Field(description="tickets, analytics …")
    path: str = Field(
        min_length=1,
        max_length=4096,
        description="The rebuilt SQLite file, closed, in the service's data directory",
    )


class ViewState(Contract):
    """The reply to both: the view's stream position and the checksum of its rows, read together
    (after a switch: of the rebuilt view, before the inbox applied anything newer)."""

    ok: Literal[True] = True
    projection: str
    position: int = Field(ge=0, description="The last DESK sequence the view reflects")
    checksum: str = Field(description="sha256 of every row, as `propdesk verify` compares it")


class AccessLogQuery(Contract):
    """A site's refused looks at residents' contact details in one local month (R15.2, R15.3)."""

    site: SiteId
    month: Month = Field(description="YYYY-MM, the site's local calendar month")


class RefusedReveal(Contract):
    at: datetime
    staff_id: str
    role: str | None = Field(description="None: the staff id is not on the site's staff list")
    ticket_id: UUID
    purpose: str = Field(description="As the desk gave it, personal data masked")
    reason: str
    correlation_id: str


class AccessLog(Contract):
    ok: Literal[True] = True
    site: str
    month: str
    refused: list[RefusedReveal]


# -- parked events: desk.ops.<service>.parked.* (docs/contract.md §23) ----------------------

ParkedId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=90, pattern=r"^[a-z0-9-]{1,64}:[0-9]{1,19}$"
    ),
]


class ParkedQuery(Contract):
    """The events the service's consumers parked: those still waiting (default), or all."""

    all: bool = Field(default=False, description="Also those retried successfully")


class ParkedRef(Contract):
    """One parked event, by its id `<consumer>:<stream sequence>` (`propdesk parked list`)."""

    id: ParkedId


class ParkedEvent(Contract):
    id: str = Field(description="<consumer>:<stream sequence>")
    service: str
    consumer: str = Field(description="The durable consumer that could not apply it")
    seq: int = Field(description="Its sequence in DESK")
    subject: str
    event_type: str | None = Field(description="None when the message could not be read")
    event_id: str | None
    site: str | None
    error: str = Field(description="Why it could not be applied (the last try's error)")
    attempts: int = Field(description="Tries before it was parked")
    parked_at: datetime
    state: Literal["parked", "retried"] = Field(
        description="parked: waiting for a fix; retried: applied by `parked retry`"
    )
    retries: int = Field(description="Retries that failed again")
    retried_at: datetime | None = Field(description="When a retry applied it")
    event: str | None = Field(
        default=None, description="The message as published (up to 64 KiB): `parked.show` only"
    )


class ParkedList(Contract):
    ok: Literal[True] = True
    service: str
    waiting: int = Field(description="How many are parked and not yet retried")
    parked: list[ParkedEvent] = Field(description="Oldest first")


class ParkedReply(Contract):
    ok: Literal[True] = True
    parked: ParkedEvent


class ParkedAlert(Contract):
    """desk.ops.alert.<service>: a consumer of the service parked an event (ops subscribe)."""

    alert: Literal["event_parked"] = "event_parked"
    service: str
    waiting: int = Field(description="Events the service has parked and not yet retried")
    parked: ParkedEvent


class StreamRequest(Contract):
    """No fields: the service answers for its own readers (its relay and durable consumers)."""


class StreamReader(Contract):
    reader: str = Field(description="The relay (<service>-relay) or a durable consumer")
    followed: str | None = Field(description="Creation time of the DESK it follows (its mark)")
    offset: int = Field(description="Its store's position = the stream's sequence + offset")
    stopped: str | None = Field(description="Why it stopped: DESK is not the stream it followed")


class StreamStatus(Contract):
    """desk.ops.<service>.stream.status|republish|adopt: the service's readers after the call
    (`republished`: events its relay published again; `adopted`: readers that took DESK as it is
    now)."""

    ok: Literal[True] = True
    service: str
    desk_created: str = Field(description="Creation time of DESK as it is now")
    readers: list[StreamReader]
    republished: int = 0
    adopted: list[str] = Field(default_factory=list)


class StreamAlert(Contract):
    """desk.ops.alert.<service>: one of the service's readers stopped, DESK being another stream
    than the one it followed (recreated or restored; docs/RELIABILITY.md)."""

    alert: Literal["stream_changed"] = "stream_changed"
    service: str
    reader: str
    detail: str
