"""A forgotten password reset (账号管理, docs/CONSOLE.md): who may reset whom, as a table, and the
one-time password a reset gives instead of the public first-run one.

The one-time password is random, shown once to whoever reset it, kept only as an scrypt hash,
good for one sign-in (to the password page) within `ONE_TIME_VALID` of real time. Until the
person chooses a password, neither the first-run password nor their old one lets them in: a
reset never reopens the door the public first-run password would be.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.console.domain.words import word
from shared.kernel.staff import StaffMember
from shared.kernel.vocabulary import Role

# letters and digits read out over the phone without doubt: no 0/O, 1/I/L
ONE_TIME_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ONE_TIME_LENGTH = 12  # 31**12 ≈ 2**59, against 5 guesses per 15 minutes (domain/accounts.py)
ONE_TIME_VALID = timedelta(hours=24)
HUB_OPERATOR = "hub operator"  # who `propdesk console reset-password` is recorded as

# who may reset whose password: a lower role of the same site office, in their own line. The
# project manager answers for the office's staff; the CS supervisor (客服助理部主管) for the desk;
# a department supervisor for the workers (of their department, when the staff list names one).
# Nobody here resets a project manager, the GM office or quality: the hub's operator does
# (`propdesk console reset-password`), so a supervisor can never take over the manager's account.
RESETS: dict[Role, frozenset[Role]] = {
    Role.project_manager: frozenset({
        Role.cs_supervisor, Role.department_supervisor, Role.cs_assistant, Role.receptionist,
        Role.technician, Role.department_staff,
    }),
    Role.cs_supervisor: frozenset({Role.cs_assistant, Role.receptionist}),
    Role.department_supervisor: frozenset({Role.technician, Role.department_staff}),
}  # fmt: skip


def reset_refusal(
    by_id: str, by: StaffMember, staff_id: str, member: StaffMember | None
) -> str | None:
    """Why `by` (signed in at a site) may not reset `staff_id` of that site's staff list (zh-CN),
    or None. `member` is None when the staff id is not on the list (another site's, or none)."""
    mine = RESETS.get(by.role, frozenset())
    if not mine:
        return f"{word('role', by.role)}无权重置他人的密码"
    if staff_id == by_id:
        return "不能重置自己的密码：请在“修改密码”页面修改"
    if member is None:
        return f"工号 {staff_id} 不在本项目员工名单中，不能重置其密码"
    if member.role == Role.project_manager:
        return "项目经理的密码只能由系统运维人员在服务器上重置（propdesk console reset-password）"
    if member.role not in mine:
        return (
            f"{word('role', by.role)}不能重置{word('role', member.role)}的密码"
            "（只能重置本人所管岗位的员工）"
        )
    if by.department and member.department and by.department != member.department:
        return "部门主管只能重置本部门员工的密码"
    return None


def new_one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))


def shown(password: str) -> str:
    """In groups of four (ABCD-EFGH-JKMN), to read out; `typed` takes it back either way."""
    return "-".join(password[i : i + 4] for i in range(0, len(password), 4))


def typed(password: str) -> str:
    """What was typed of a one-time password: without the groups' dashes or spaces, any case."""
    return "".join(c for c in password if c not in "- \t").upper()


@dataclass(frozen=True, slots=True)
class OneTimePassword:
    """A reset's password as the store keeps it: its hash, until when, and when it was used."""

    password_hash: str
    expires_at: datetime
    used_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


@dataclass(frozen=True, slots=True)
class PasswordReset:
    """One reset, as the account store records it: whom, by whom (a staff id, or
    HUB_OPERATOR), when."""

    site: str
    staff_id: str
    reset_by: str
    reset_at: datetime
