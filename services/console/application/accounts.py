"""Signing in and out, the first-run and one-time passwords, sessions (docs/CONSOLE.md). Who may
sign in is the site directory's staff list; what is kept is the console's own store."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime

from services.console.application.ports import AccountStore
from services.console.domain.accounts import (
    ATTEMPT_WINDOW,
    FIRST_RUN_PASSWORD,
    Attempts,
    Session,
    hash_password,
    new_token,
    password_matches,
    password_problem,
    token_hash,
)
from services.console.domain.password_reset import typed
from shared.kernel.clock import Clock
from shared.kernel.sites import SiteDirectory, WatchedDirectory
from shared.kernel.staff import StaffMember

WRONG = "工号或密码错误"  # never says which of the two


class NotSignedIn(Exception):
    """No session, or one that ended: `message` tells the person why (zh-CN)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Accounts:
    def __init__(
        self, store: AccountStore, sites: SiteDirectory | WatchedDirectory, clock: Clock
    ) -> None:
        self.store = store
        self.sites = sites
        self.clock = clock  # real time: a simulated desk clock must not end or prolong sessions
        self.attempts = Attempts()

    def member(self, site: str, staff_id: str) -> StaffMember | None:
        config = self.sites.get(site)
        return None if config is None else config.staff.get(staff_id)

    async def sign_in(self, site: str, staff_id: str, password: str) -> tuple[str, Session]:
        """A new session's token, or NotSignedIn. The first-run password (or a reset's one-time
        password, once) works only until the member of staff has chosen one, and the session it
        opens can only change it. After ATTEMPTS wrong passwords for one staff id, its sign-in
        waits ATTEMPT_WINDOW."""
        key, now = (site, staff_id), self.clock.now()
        if self.attempts.blocked(key, now):
            minutes = int(ATTEMPT_WINDOW.total_seconds() // 60)
            raise NotSignedIn(f"密码错误次数过多，请 {minutes} 分钟后再试")
        if not await self._right(site, staff_id, password, now):
            self.attempts.failed(key, now)
            raise NotSignedIn(WRONG)
        self.attempts.cleared(key)
        stored = self.store.password_hash(site, staff_id)
        token = new_token()
        session = Session(site, staff_id, new_token(), now, now, stored is None)
        self.store.save_session(token_hash(token), session)
        return token, session

    async def _right(self, site: str, staff_id: str, password: str, now: datetime) -> bool:
        """The password is this person's; or, until they chose theirs, the one-time password of a
        reset (spent by this sign-in), else the first-run one. An unknown staff id costs the same
        scrypt work, so neither answer is told apart by time."""
        member = self.member(site, staff_id)
        stored = self.store.password_hash(site, staff_id)
        if member is not None and stored is not None:
            return await asyncio.to_thread(password_matches, password, stored)
        one_time = self.store.one_time_password(site, staff_id) if member else None
        if one_time is not None:  # reset: the first-run password is not theirs any more
            hashed = one_time.password_hash
            right = await asyncio.to_thread(password_matches, typed(password), hashed)
            return (
                right and one_time.usable(now)
                and self.store.use_one_time_password(site, staff_id, hashed, now)
            )  # fmt: skip
        await asyncio.to_thread(hash_password, password)
        return member is not None and password == FIRST_RUN_PASSWORD

    def session(self, token: str | None) -> tuple[str, Session]:
        """The live session of a cookie's token (its last use moved to now), else NotSignedIn."""
        if not token:
            raise NotSignedIn("请先登录")
        key = token_hash(token)
        session = self.store.session(key)
        if session is None:
            raise NotSignedIn("登录已失效，请重新登录")
        now = self.clock.now()
        if session.expired(now):
            self.store.end_session(key)
            raise NotSignedIn("登录已超时，请重新登录")
        if self.member(session.site, session.staff_id) is None:  # taken off the staff list
            self.store.end_session(key)
            raise NotSignedIn("该工号已不在本项目员工名单中")
        self.store.touch(key, now)
        return key, replace(session, last_seen=now)

    async def change_password(
        self, key: str, session: Session, old: str, new: str, repeated: str
    ) -> str | None:
        """Why the change is refused (zh-CN), or None once changed; every other session of the
        person ends."""
        site, staff_id = session.site, session.staff_id
        stored = self.store.password_hash(site, staff_id)
        one_time = self.store.one_time_password(site, staff_id) if stored is None else None
        if stored is not None:
            right = await asyncio.to_thread(password_matches, old, stored)
        elif one_time is not None:  # the reset's password: its sign-in spent it, still its proof
            right = await asyncio.to_thread(password_matches, typed(old), one_time.password_hash)
            if right and typed(new) == typed(old):
                return "新密码不能是临时密码"  # whoever reset it knows it
        else:
            right = old == FIRST_RUN_PASSWORD
        if not right:
            return "原密码错误"
        problem = password_problem(new, repeated, staff_id)
        if problem:
            return problem
        hashed = await asyncio.to_thread(hash_password, new)
        self.store.set_password(site, staff_id, hashed, self.clock.now())
        self.store.end_sessions_of(site, staff_id, keep=key)
        self.store.save_session(key, replace(session, must_change_password=False))
        return None

    def sign_out(self, key: str) -> None:
        self.store.end_session(key)
