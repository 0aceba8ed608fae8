"""Operators' requests on desk.ops.<service>.*: to reporting (`propdesk replay` and `propdesk
verify`; docs/contract.md §21; no site: a view holds every site) and to intake (`propdesk
access-log`: the refused looks at contact details, contract §22). Only ops may send them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from shared.contracts.base import Contract, Month, SiteId

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
    ticket_id: UUID | None = Field(
        description="The ticket whose reporters were asked for (`reveal_contact`); None: a "
        "missed call's number was asked for, or a ticket number this site does not have"
    )
    promise_id: UUID | None = Field(
        default=None,
        description="The promise whose missed call's number was asked for (`promise_reveal`); "
        "None: a ticket's reporters were asked for, or a promise this site does not have",
    )
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
    id: str = Field(
        description="<consumer>:<stream sequence>; a decision escalation held: "
        "escalation-ticker:<n>"
    )
    service: str
    consumer: str = Field(description="The durable consumer that could not apply it")
    seq: int = Field(description="Its sequence in DESK (a held decision: its own number)")
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


class OpsAlert(Contract):
    """An alert to ops on desk.alert.<service>, raised by a service's process when a level is
    crossed (and again when it is back to `ok`): e.g. the JetStream store past 80 % (`warning`)
    or 95 % (`critical`) of its limit. Also logged at error level and counted in the metrics.
    Core NATS: heard by whoever listens as ops, e.g.
    `nats --nkey <data-dir>/credentials/ops.nk sub 'desk.alert.>'`."""

    kind: str = Field(description="What: jetstream_space …")
    level: Literal["ok", "warning", "critical"]
    service: str = Field(description="The service whose process raised it")
    at: datetime
    message: str
    details: dict[str, int | float | str | None] = Field(default_factory=dict)


class HoldWrites(Contract):
    """Hold the service's writes for a backup (`propdesk backup`; docs/contract.md §24.3): once
    its relay has published everything it recorded, it records nothing (commands, ticks and the
    inbox wait) until released, or until `seconds` have passed."""

    seconds: float = Field(default=60.0, gt=0, le=600, description="Let go after this long")


class ReleaseWrites(Contract):
    """Let the service write again after a backup's hold."""


class WritesHeld(Contract):
    """The reply to both: whether the service is held now, and where its store stands."""

    ok: Literal[True] = True
    service: str
    held: bool
    records: int = Field(ge=0, description="The last record of its store (notification id)")
    relay_position: int = Field(ge=0, description="The last record its relay has published")
    consumer_position: int = Field(ge=0, description="The last DESK sequence it has applied")
    released: bool = Field(
        default=False,
        description="(release) a hold was let go by this request; false when there was none, "
        "e.g. it had run out: what was copied under it may not agree",
    )


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
