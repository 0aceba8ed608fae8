"""The base of every command on desk.cmd.<site>.<service>.<verb> (shared/contracts/commands.py
re-exports it): intake's ticket commands, its incident commands (incident_commands.py) and the
other services' commands derive from it."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from shared.contracts.base import Contract, Key, StaffId


class Command(Contract):
    """A command on desk.cmd.<site>.<service>.<verb>: it names its `verb` and, in its docstring,
    what it does (the AsyncAPI document's description); intake's also name their `reply`."""

    verb: ClassVar[str]
    reply: ClassVar[type[Contract]]
    command_id: Key | None = Field(
        default=None, description="Idempotency key: a repeat returns the first reply"
    )
    staff_id: StaffId = Field(description="工号 of the member of staff giving the command")
