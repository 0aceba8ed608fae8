"""What 通知 lists (我的岗位, its default) and 今日概况 counts of it (未确认通知): the site's
notices to the member's role; a department's supervisor's, her department's and those to none
(contract §20.4); a zone CS assistant's, under 我的辖区, her zones' and the site-wide ones (R1.3,
R6.3). 通知 › 全部 is every role's (`role` None). A page of the newest, the older a page away
(`before`: notice.list's cursor), and how many of all of them wait — nobody acknowledged them
and their ticket did not end first — counted by reporting (notice.list `count`), not of one
page: an owed notice older than any page is still counted, and still listed further back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.console.application.front_desk import FrontDesk
from services.console.domain.notice_state import waiting as owed

PAGE = 100  # notices a page of 通知, newest first
BANNERED = 20  # the live banner's notices a page checks, the newest


@dataclass(frozen=True)
class NoticePage:
    notices: list[dict[str, Any]]  # newest first
    older: str | None  # the cursor of the page before these (None: these are the oldest)
    waiting: int  # of every notice so chosen, not only this page's: 未确认通知


async def listed(
    front: FrontDesk, site: str, role: str | None, department: str | None = None,
    zones: tuple[str, ...] = (), before: str | None = None, limit: int | None = None,
) -> NoticePage:  # fmt: skip
    """A page of the notices 通知 lists (`limit`, default PAGE), newest first, from `before`
    (None: the newest)."""
    query = {"role": role, "department": department, "zones": list(zones) or None,
             "cursor": before, "newest_first": True, "count": True,
             "limit": limit or PAGE}  # fmt: skip
    reply = await front.desk.query(
        site, "notice.list", {k: v for k, v in query.items() if v is not None}
    )
    return NoticePage(reply["notices"], reply.get("next_cursor"), reply["waiting"])


async def waiting(
    front: FrontDesk, site: str, role: str | None, department: str | None = None,
    zones: tuple[str, ...] = (),
) -> int:  # fmt: skip
    """今日概况's 未确认通知: how many of the notices 通知 lists her wait for someone."""
    return (await listed(front, site, role, department, zones, limit=1)).waiting


async def still_owed(front: FrontDesk, site: str, bannered: list[tuple[str, str]]) -> list[str]:
    """Of the live banner's notices (each its id and its subject's number), those still owed:
    nobody acknowledged them and what they are about did not end (`notice_state.waiting`), or
    not listed yet (reporting follows the bus a moment behind the banner); the banner drops the
    others (R6.3). One notice.list per subject, as an acknowledgement waits for its own."""
    bannered = bannered[-BANNERED:]
    found: dict[str, dict[str, Any]] = {}
    for number in dict.fromkeys(number for _, number in bannered):
        found |= {n["notification_id"]: n for n in await front.notices(site, None, about=number)}
    return [i for i, _ in bannered if i not in found or owed(found[i])]
