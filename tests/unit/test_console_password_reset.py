"""A forgotten password reset (账号管理, docs/CONSOLE.md "Signing in"): who may reset whom (the
policy table), and the one-time password a reset gives: random, kept as a hash, good once, for
24 hours of real time, only to choose a new password; never the public first-run password."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.console.adapters.account_store import AccountStore
from services.console.application.accounts import Accounts, NotSignedIn
from services.console.application.password_resets import (
    ResetRefused,
    issue_one_time_password,
    reset_password,
    staff_accounts,
)
from services.console.domain.accounts import ATTEMPTS, FIRST_RUN_PASSWORD
from services.console.domain.password_reset import (
    HUB_OPERATOR,
    ONE_TIME_ALPHABET,
    ONE_TIME_VALID,
    RESETS,
    new_one_time_password,
    reset_refusal,
    shown,
    typed,
)
from services.console.domain.screens import ACCOUNTS, MENUS
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.kernel.staff import StaffMember
from shared.kernel.vocabulary import Department, Role

SITES = SiteDirectory.model_validate({"sites": {
    "hbw": {"staff": {
        "HB-S01": {"role": "receptionist"}, "HB-CS1": {"role": "cs_assistant"},
        "HB-CSS": {"role": "cs_supervisor"}, "HB-M01": {"role": "project_manager"},
    }},
    "tech-park": {"staff": {"TP-S01": {"role": "receptionist"}}},
}})  # fmt: skip
CHOSEN = "my-own-pass-1"


def staff(role: Role, department: Department | None = None) -> StaffMember:
    return StaffMember(role=role, department=department)


# -- who may reset whom -----------------------------------------------------------------------


@pytest.mark.parametrize("by", list(Role))
@pytest.mark.parametrize("whom", list(Role))
def test_a_manager_resets_only_a_lower_role_in_their_own_line(by: Role, whom: Role) -> None:
    may = {
        Role.project_manager: {Role.cs_supervisor, Role.department_supervisor, Role.cs_assistant,
                               Role.receptionist, Role.technician, Role.department_staff},
        Role.cs_supervisor: {Role.cs_assistant, Role.receptionist},
        Role.department_supervisor: {Role.technician, Role.department_staff},
    }.get(by, set())  # fmt: skip
    refusal = reset_refusal("HB-A", staff(by), "HB-B", staff(whom))
    assert (refusal is None) == (whom in may), (by, whom, refusal)


@pytest.mark.parametrize("by", list(RESETS))
def test_nobody_resets_a_project_manager_nor_themselves(by: Role) -> None:
    """The brief's open door: a CS supervisor must not take over the manager's account."""
    refusal = reset_refusal("HB-A", staff(by), "HB-M01", staff(Role.project_manager))
    assert refusal and "系统运维" in refusal
    assert "自己" in (reset_refusal("HB-A", staff(by), "HB-A", staff(by)) or "")


def test_the_refusals_say_why_in_chinese() -> None:
    assistant, supervisor = staff(Role.cs_assistant), staff(Role.cs_supervisor)
    assert reset_refusal("HB-CS1", assistant, "HB-S01", staff(Role.receptionist)) == (
        "辖区客服助理无权重置他人的密码"
    )
    assert reset_refusal("HB-CSS", supervisor, "TP-S01", None) == (
        "工号 TP-S01 不在本项目员工名单中，不能重置其密码"
    )
    assert reset_refusal("HB-CSS", supervisor, "HB-X", staff(Role.cs_supervisor)) == (
        "客服助理部主管不能重置客服助理部主管的密码（只能重置本人所管岗位的员工）"
    )


def test_a_department_supervisor_resets_their_own_department_only() -> None:
    engineering = staff(Role.department_supervisor, Department.engineering)
    fitter = staff(Role.technician, Department.engineering)
    cleaner = staff(Role.department_staff, Department.cleaning)
    assert reset_refusal("HB-ENG", engineering, "HB-T01", fitter) is None
    assert (
        reset_refusal("HB-ENG", engineering, "HB-W01", cleaner)
        == "部门主管只能重置本部门员工的密码"
    )
    # a supervisor the staff list names no department for answers for every department's workers
    assert reset_refusal("HB-SUP", staff(Role.department_supervisor), "HB-W01", cleaner) is None


def test_the_menu_offers_account_management_to_exactly_the_roles_that_may_reset() -> None:
    assert {role for role, pages in MENUS.items() if ACCOUNTS in pages} == set(RESETS)


# -- the one-time password --------------------------------------------------------------------


def test_a_one_time_password_is_random_and_reads_out_without_doubt() -> None:
    drawn = {new_one_time_password() for _ in range(50)}
    assert len(drawn) == 50
    for password in drawn:
        assert len(password) >= 10 and set(password) <= set(ONE_TIME_ALPHABET)
    assert not set("0O1IL") & set(ONE_TIME_ALPHABET)
    assert shown("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"
    assert typed("abcd-efgh jkmn") == typed("ABCD-EFGH-JKMN") == "ABCDEFGHJKMN"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 1, tzinfo=UTC))


@pytest.fixture
def store(tmp_path: Path) -> AccountStore:
    return AccountStore(tmp_path / "accounts.sqlite3")


@pytest.fixture
def accounts(store: AccountStore, clock: FixedClock) -> Accounts:
    return Accounts(store, SITES, clock)


async def chose_a_password(accounts: Accounts, staff_id: str, password: str = CHOSEN) -> str:
    """`staff_id` signed in with the first-run password and chose `password`: their token."""
    token, _ = await accounts.sign_in("hbw", staff_id, FIRST_RUN_PASSWORD)
    key, session = accounts.session(token)
    assert (
        await accounts.change_password(key, session, FIRST_RUN_PASSWORD, password, password) is None
    )
    return token


async def test_a_reset_ends_the_old_password_and_sessions_and_the_one_time_one_signs_in_once(
    accounts: Accounts,
) -> None:
    token = await chose_a_password(accounts, "HB-CS1")
    issued = await reset_password(accounts, "hbw", "HB-CSS", "HB-CS1")
    assert issued.had_password
    with pytest.raises(NotSignedIn, match="登录已失效"):
        accounts.session(token)  # the old session is gone
    for gone in (CHOSEN, FIRST_RUN_PASSWORD):
        with pytest.raises(NotSignedIn, match="工号或密码错误"):
            await accounts.sign_in("hbw", "HB-CS1", gone)
    _, session = await accounts.sign_in("hbw", "HB-CS1", shown(issued.password).lower())
    assert session.must_change_password  # to the password page only
    with pytest.raises(NotSignedIn, match="工号或密码错误"):
        await accounts.sign_in("hbw", "HB-CS1", issued.password)  # works once


async def test_the_one_time_password_leads_to_a_chosen_one_and_then_works_no_more(
    accounts: Accounts,
) -> None:
    issued = await reset_password(accounts, "hbw", "HB-CSS", "HB-S01")
    assert not issued.had_password  # reset before they ever chose one: the first run ends too
    token, _ = await accounts.sign_in("hbw", "HB-S01", issued.password)
    key, session = accounts.session(token)
    same = issued.password
    assert await accounts.change_password(key, session, same, same, same) == "新密码不能是临时密码"
    assert await accounts.change_password(key, session, FIRST_RUN_PASSWORD, CHOSEN, CHOSEN) == (
        "原密码错误"
    )
    assert await accounts.change_password(key, session, issued.password, CHOSEN, CHOSEN) is None
    assert not accounts.session(token)[1].must_change_password
    await accounts.sign_in("hbw", "HB-S01", CHOSEN)
    for gone in (issued.password, FIRST_RUN_PASSWORD):
        with pytest.raises(NotSignedIn, match="工号或密码错误"):
            await accounts.sign_in("hbw", "HB-S01", gone)


async def test_a_one_time_password_expires_after_24_hours_of_real_time(
    accounts: Accounts, clock: FixedClock
) -> None:
    early = await reset_password(accounts, "hbw", "HB-CSS", "HB-S01")
    clock.advance(ONE_TIME_VALID - timedelta(seconds=1))
    await accounts.sign_in("hbw", "HB-S01", early.password)  # still good
    late = await reset_password(accounts, "hbw", "HB-CSS", "HB-S01")
    assert late.expires_at == clock.now() + ONE_TIME_VALID
    clock.advance(ONE_TIME_VALID)
    with pytest.raises(NotSignedIn, match="工号或密码错误"):
        await accounts.sign_in("hbw", "HB-S01", late.password)
    with pytest.raises(NotSignedIn, match="工号或密码错误"):
        await accounts.sign_in("hbw", "HB-S01", FIRST_RUN_PASSWORD)  # expired: no way back in


async def test_a_wrong_one_time_password_is_refused_and_counts_to_the_lockout(
    accounts: Accounts,
) -> None:
    issued = await reset_password(accounts, "hbw", "HB-CSS", "HB-S01")
    for _ in range(ATTEMPTS):
        with pytest.raises(NotSignedIn, match="工号或密码错误"):
            await accounts.sign_in("hbw", "HB-S01", new_one_time_password())
    with pytest.raises(NotSignedIn, match="请 15 分钟后再试"):
        await accounts.sign_in("hbw", "HB-S01", issued.password)
    assert accounts.store.one_time_password("hbw", "HB-S01").used_at is None  # type: ignore[union-attr]


async def test_a_refused_reset_changes_nothing(accounts: Accounts) -> None:
    await chose_a_password(accounts, "HB-M01")
    for by, whom in (("HB-CSS", "HB-M01"), ("HB-CSS", "HB-CSS"), ("HB-CS1", "HB-S01"),
                     ("HB-CSS", "TP-S01")):  # fmt: skip
        with pytest.raises(ResetRefused):
            await reset_password(accounts, "hbw", by, whom)
    await accounts.sign_in("hbw", "HB-M01", CHOSEN)
    await accounts.sign_in("hbw", "HB-S01", FIRST_RUN_PASSWORD)  # still their first run
    assert accounts.store.resets("hbw") == []


async def test_every_reset_is_recorded_and_the_password_kept_only_as_a_hash(
    accounts: Accounts, store: AccountStore, clock: FixedClock, tmp_path: Path
) -> None:
    by_manager = await reset_password(accounts, "hbw", "HB-CSS", "HB-S01")
    clock.advance(timedelta(minutes=5))
    by_operator = issue_one_time_password(store, clock.now(), "hbw", "HB-M01", HUB_OPERATOR)
    assert [(r.staff_id, r.reset_by, r.reset_at) for r in store.resets("hbw")] == [
        ("HB-M01", HUB_OPERATOR, clock.now()),
        ("HB-S01", "HB-CSS", clock.now() - timedelta(minutes=5)),
    ]
    written = (tmp_path / "accounts.sqlite3").read_bytes()
    for issued in (by_manager, by_operator):
        assert issued.password.encode() not in written
    listed = staff_accounts(accounts, "hbw", "HB-CSS")
    assert [row.staff_id for row in listed] == ["HB-CS1", "HB-S01", "HB-CSS", "HB-M01"]
    states = {row.staff_id: row for row in listed}
    assert states["HB-S01"].state == "one_time" and states["HB-S01"].refusal is None
    assert states["HB-CS1"].state == "first_run" and states["HB-M01"].refusal


def test_a_store_from_before_resets_gains_their_tables_and_keeps_its_passwords(
    tmp_path: Path,
) -> None:
    path = tmp_path / "accounts.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE accounts (site TEXT NOT NULL, staff_id TEXT NOT NULL, password_hash TEXT "
        "NOT NULL, changed_at TEXT NOT NULL, PRIMARY KEY (site, staff_id));"
        "INSERT INTO accounts VALUES ('hbw', 'HB-S01', 'scrypt$x', '2026-11-01T00:00:00+00:00');"
    )
    old.commit()
    old.close()
    store = AccountStore(path)
    assert store.password_hash("hbw", "HB-S01") == "scrypt$x"
    assert store.resets("hbw") == [] and store.one_time_passwords("hbw") == {}
    store.close()
    AccountStore(path).close()  # and opening it again is harmless
