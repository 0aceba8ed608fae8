"""Resetting a colleague's forgotten password (账号管理; docs/CONSOLE.md): the site's staff and
where each stands with their password, the reset a manager may do (domain/password_reset.py
`RESETS`), and the one the hub's operator does (`propdesk console reset-password`). Both give a
one-time password, returned once to be shown: the store keeps only its hash."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from services.console.application.accounts import Accounts
from services.console.application.ports import AccountStore
from services.console.domain.accounts import hash_password
from services.console.domain.password_reset import (
    ONE_TIME_VALID,
    OneTimePassword,
    PasswordReset,
    new_one_time_password,
    reset_refusal,
)


class ResetRefused(Exception):
    """A reset this person may not do: `message` says why (zh-CN); nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Issued:
    staff_id: str
    password: str  # to be shown once to whoever reset it; never kept, logged or sent
    expires_at: datetime
    had_password: bool  # whether they had chosen one (now forgotten)


@dataclass(frozen=True, slots=True)
class StaffAccount:
    """A line of 账号管理: a member of the site's staff and their password's state."""

    staff_id: str
    name: str
    role: str
    department: str
    state: str  # chosen, first_run, one_time, one_time_used, one_time_expired
    expires_at: datetime | None
    refusal: str | None  # why the person looking may not reset it, None: they may


def issue_one_time_password(
    store: AccountStore, now: datetime, site: str, staff_id: str, by: str
) -> Issued:
    """The person's password and sessions gone, a new one-time password theirs, the reset
    recorded as done by `by` (a staff id, or HUB_OPERATOR). No check of who may: callers do."""
    password = new_one_time_password()
    one_time = OneTimePassword(hash_password(password), now + ONE_TIME_VALID)
    had = store.reset(site, staff_id, one_time, by, now)
    return Issued(staff_id, password, one_time.expires_at, had)


async def reset_password(accounts: Accounts, site: str, by_id: str, staff_id: str) -> Issued:
    """A manager's reset of a colleague of their site, or ResetRefused with nothing changed."""
    by = accounts.member(site, by_id)
    if by is None:
        raise ResetRefused("该工号已不在本项目员工名单中")
    refusal = reset_refusal(by_id, by, staff_id, accounts.member(site, staff_id))
    if refusal:
        raise ResetRefused(refusal)
    now = accounts.clock.now()
    return await asyncio.to_thread(
        issue_one_time_password, accounts.store, now, site, staff_id, by_id
    )


def staff_accounts(accounts: Accounts, site: str, by_id: str) -> list[StaffAccount]:
    """The site's staff list with their passwords' state and whether `by_id` may reset each:
    those they may first (a long list on a phone), each part by staff id."""
    config, by = accounts.sites.get(site), accounts.member(site, by_id)
    if config is None or by is None:
        return []
    chosen = accounts.store.chosen_passwords(site)
    one_time = accounts.store.one_time_passwords(site)
    now = accounts.clock.now()
    rows = []
    for staff_id, member in sorted(config.staff.items()):
        reset = one_time.get(staff_id)
        state = (
            "chosen" if staff_id in chosen
            else "first_run" if reset is None
            else "one_time" if reset.usable(now)
            else "one_time_used" if reset.used_at
            else "one_time_expired"
        )  # fmt: skip
        rows.append(StaffAccount(
            staff_id, member.name, member.role.value,
            member.department.value if member.department else "", state,
            reset.expires_at if state == "one_time" and reset else None,
            reset_refusal(by_id, by, staff_id, member),
        ))  # fmt: skip
    return sorted(rows, key=lambda row: row.refusal is not None)


def recent_resets(accounts: Accounts, site: str, limit: int = 20) -> list[PasswordReset]:
    return accounts.store.resets(site, limit)
