"""Operators' requests to the reporting service on desk.ops.reporting.* (`propdesk replay` and
`propdesk verify`; docs/contract.md §21). They carry no site: a view holds every site."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from shared.contracts.base import Contract

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
