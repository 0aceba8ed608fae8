"""The console's accounts (services/console): passwords kept as scrypt hashes, the first-run
password good only until one is chosen, sessions that end when idle or too old."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.console.adapters.account_store import AccountStore
from services.console.application.accounts import Accounts, NotSignedIn
from services.console.domain.accounts import (
    ATTEMPT_WINDOW,
    ATTEMPTS,
    FIRST_RUN_PASSWORD,
    IDLE,
    LONGEST,
    hash_password,
    password_matches,
)
from services.console.domain.screens import allowed_actions
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory

SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"staff": {"HB-S01": {"role": "receptionist"}}}}}
)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 1, tzinfo=UTC))


@pytest.fixture
def accounts(tmp_path: Path, clock: FixedClock) -> Accounts:
    return Accounts(AccountStore(tmp_path / "accounts.sqlite3"), SITES, clock)


def test_a_password_is_kept_as_a_salted_scrypt_hash() -> None:
    stored = hash_password("前台-hbw-2026")
    assert stored.startswith("scrypt$") and "前台" not in stored
    assert password_matches("前台-hbw-2026", stored)
    assert not password_matches("前台-hbw-2027", stored)
    assert hash_password("前台-hbw-2026") != stored  # a salt of its own


async def test_the_first_run_password_opens_a_session_that_must_change_it(
    accounts: Accounts,
) -> None:
    token, session = await accounts.sign_in("hbw", "HB-S01", FIRST_RUN_PASSWORD)
    assert session.must_change_password
    key, session = accounts.session(token)
    assert await accounts.change_password(key, session, FIRST_RUN_PASSWORD, "short", "short")
    assert await accounts.change_password(key, session, "wrong", "long-enough-1", "long-enough-1")
    assert await accounts.change_password(
        key, session, FIRST_RUN_PASSWORD, "long-enough-1", "long-enough-1"
    ) is None  # fmt: skip
    assert not accounts.session(token)[1].must_change_password
    with pytest.raises(NotSignedIn, match="工号或密码错误"):
        await accounts.sign_in("hbw", "HB-S01", FIRST_RUN_PASSWORD)  # good only once
    await accounts.sign_in("hbw", "HB-S01", "long-enough-1")


async def test_nobody_off_the_staff_list_signs_in(accounts: Accounts) -> None:
    with pytest.raises(NotSignedIn, match="工号或密码错误"):
        await accounts.sign_in("hbw", "HB-S99", FIRST_RUN_PASSWORD)
    with pytest.raises(NotSignedIn, match="工号或密码错误"):
        await accounts.sign_in("tech-park", "HB-S01", FIRST_RUN_PASSWORD)


async def test_a_session_ends_when_idle_too_long(accounts: Accounts, clock: FixedClock) -> None:
    token, _ = await accounts.sign_in("hbw", "HB-S01", FIRST_RUN_PASSWORD)
    clock.advance(IDLE - timedelta(seconds=1))
    accounts.session(token)  # used: idle again from now
    clock.advance(IDLE + timedelta(seconds=1))
    with pytest.raises(NotSignedIn, match="登录已超时"):
        accounts.session(token)
    with pytest.raises(NotSignedIn, match="登录已失效"):
        accounts.session(token)  # and it is gone


async def test_a_session_ends_after_a_working_day_however_busy(
    accounts: Accounts, clock: FixedClock
) -> None:
    token, _ = await accounts.sign_in("hbw", "HB-S01", FIRST_RUN_PASSWORD)
    for _ in range(int(LONGEST / (IDLE / 2)) + 2):
        clock.advance(IDLE / 2)
        try:
            accounts.session(token)
        except NotSignedIn as exc:
            assert "超时" in exc.message
            return
    raise AssertionError("the session never ended")


def test_a_ticket_offers_only_what_its_status_allows() -> None:
    verbs = lambda ticket: [a.verb for a in allowed_actions(ticket)]  # noqa: E731
    assert verbs({"status": "received", "kind": "repair"}) == [
        "classify", "reply", "resolve", "cancel", "link", "reveal_contact", "hand_over",
    ]  # fmt: skip
    assert "accept_solution" in verbs({"status": "classified", "kind": "complaint"})
    assert "accept_solution" not in verbs({"status": "classified", "kind": "repair"})
    assert verbs({"status": "resolved", "kind": "repair"}) == [
        "follow_up", "reopen", "link", "reveal_contact", "hand_over",
    ]  # fmt: skip
    finding = {"status": "resolved", "kind": "repair", "channel": "inspection"}
    assert "follow_up" not in verbs(finding)  # nobody to call: verified on site instead
    assert verbs({"status": "closed", "kind": "repair"}) == ["reopen", "reveal_contact"]
    assert verbs({"status": "cancelled", "kind": "repair"}) == ["reveal_contact"]


async def test_a_run_of_wrong_passwords_makes_the_sign_in_wait(
    accounts: Accounts, clock: FixedClock
) -> None:
    for _ in range(ATTEMPTS):
        with pytest.raises(NotSignedIn, match="工号或密码错误"):
            await accounts.sign_in("hbw", "HB-S01", "guess")
    with pytest.raises(NotSignedIn, match="请 15 分钟后再试"):
        await accounts.sign_in("hbw", "HB-S01", FIRST_RUN_PASSWORD)  # even the right one
    clock.advance(ATTEMPT_WINDOW)
    await accounts.sign_in("hbw", "HB-S01", FIRST_RUN_PASSWORD)
