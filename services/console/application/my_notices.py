"""What 通知 lists (我的岗位, its default) and 今日概况 counts of it (未确认通知): the newest of
the site's notices to the member's role; a department's supervisor's, her department's and those
to none (contract §20.4); a zone CS assistant's, under 我的辖区, her zones' and the site-wide
ones (R1.3, R6.3); a notice whose ticket ended first (`ended`) is listed, and not counted.
通知 › 全部 is every role's (`role` None)."""

from __future__ import annotations

from typing import Any

from services.console.application.front_desk import FrontDesk
from services.console.domain.notice_state import waiting

NEWEST = 300  # notices listed, newest first


async def listed(
    front: FrontDesk, site: str, role: str | None, department: str | None = None,
    zones: tuple[str, ...] = (),
) -> list[dict[str, Any]]:  # fmt: skip
    """The notices 通知 lists, newest first."""
    found = await front.notices(site, role, department, zones=zones)
    return list(reversed(found))[:NEWEST]


def unacknowledged(notices: list[dict[str, Any]]) -> int:
    """How many of them wait for someone (`waiting`: not acknowledged, nor ended first):
    今日概况's 未确认通知."""
    return sum(1 for n in notices if waiting(n))
