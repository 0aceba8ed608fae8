"""What the console's use cases need from outside, as protocols: its own store of accounts and
sessions, and the desk's contract on the bus. The adapters implement them
(adapters/account_store.py, adapters/desk.py); entrypoint.py plugs them in."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from services.console.domain.accounts import Session


class AccountStore(Protocol):
    def password_hash(self, site: str, staff_id: str) -> str | None: ...
    def set_password(self, site: str, staff_id: str, password_hash: str, now: datetime) -> None: ...
    def save_session(self, token_hash: str, session: Session) -> None: ...
    def session(self, token_hash: str) -> Session | None: ...
    def touch(self, token_hash: str, now: datetime) -> None: ...
    def end_session(self, token_hash: str) -> None: ...
    def end_sessions_of(self, site: str, staff_id: str, keep: str) -> None: ...


class DeskContract(Protocol):
    """Commands and queries of the published contract; a refusal raises domain.refusal.Refused."""

    async def command(
        self, site: str, service: str, verb: str, staff_id: str, body: dict[str, Any],
        command_id: str | None = None,
    ) -> dict[str, Any]: ...  # fmt: skip

    async def query(self, site: str, name: str, body: dict[str, Any]) -> dict[str, Any]: ...
