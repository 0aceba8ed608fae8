"""A request the desk was refused, or could not get answered, as the console tells the person:
the contract's error code (docs/contract.md §3) in Chinese, then the service's own words."""

from __future__ import annotations

import secrets
import string
from typing import Any

from services.console.domain.words import word


def new_key(prefix: str = "console-") -> str:
    """A fresh command_id or client_ref: letters only, since a key is published and digits can
    look like a phone number, which a published key may not (docs/contract.md §14)."""
    return prefix + "".join(secrets.choice(string.ascii_lowercase) for _ in range(24))


# the page's HTTP status for a refusal the person can correct on the same page
STATUS = {"not_found": 404, "conflict": 409, "forbidden": 403}


class Refused(Exception):
    def __init__(self, code: str, message: str, fields: list[dict[str, str]] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or []

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)

    @property
    def headline(self) -> str:
        """The code and the message, for a page that lists the fields underneath."""
        return f"{word('error', self.code)}：{self.message}"

    @property
    def shown(self) -> str:
        details = "; ".join(
            f"{f.get('field')}: {f.get('message')}"
            for f in self.fields
            if f.get("message") != self.message
        )
        return f"{word('error', self.code)}：{self.message}" + (f"（{details}）" if details else "")


# a contract's checks across fields, as a form's person reads them (shared/contracts)
CHECKS = {
    "expected_end must be after starts_at": "预计恢复/完工时间须晚于开始时间",
    "name the affected buildings, zones or units, or the whole site":
        "请填写受影响的楼栋、组团或房号，或勾选全项目",
    "a round ends after it starts": "结束时间须晚于开始时间",
    "a scheduled round names the plan's slot it walks": "计划巡查须选择计划时段",
    "a facility finding names its category (the repair's routing)": "设施损坏须选择分类",
    "a finding fixed on the spot says what was done (measures)": "现场整改须填写整改措施",
    "about_staff is only for a staff finding": "员工工号只用于员工不履职",
    "violation_class and violation_category are for a violation finding":
        "违例级别和类别只用于住户违例",
    "a unit of place_kind room needs its room": "房间须填写房号",
    "the same phone is given twice": "同一电话填了两次",
    "give either phone or unit_ref": "请填写电话或房号（二选一）",
    "client_ref must not contain the offender's name or phone": "编号中不能含违例人姓名或电话",
}  # fmt: skip


def field_message(error: dict[str, Any]) -> str:
    """One of a form's field errors (pydantic's): a contract's check of its own in Chinese first,
    its own words after them for whoever supports the desk; any other as the contract says."""
    if error.get("type") != "value_error":
        return str(error["msg"])
    text = str((error.get("ctx") or {}).get("error") or error["msg"])
    text = text.removeprefix("Value error, ")
    if text.startswith("a point not ok has a finding: "):
        return f"不合格的检查点须登记问题：{text.split(': ', 1)[1]}（{text}）"
    return f"{CHECKS[text]}（{text}）" if text in CHECKS else text
