"""Where a notice on 通知 stands (contract §12.5): waiting for someone to acknowledge it, or
over — acknowledged, or what it is about ended first (its ticket resolved, closed or cancelled,
its complaint off the ladder, its incident closed, its promise kept, …: `ended`, R6.3). An ended
notice may still be acknowledged, but waits for nobody: 今日概况 does not count it and its row is
not drawn as waiting."""

from __future__ import annotations

from typing import Any

from services.console.domain.words import word


def waiting(notice: dict[str, Any]) -> bool:
    """Nobody has acknowledged it, and what it is about goes on."""
    return not notice.get("acknowledged_at") and not notice.get("ended")


def ended_said(notice: dict[str, Any]) -> str:
    """已结束（工单已撤销） for a notice that ended, "" for one that did not; an end whose why
    the console has no words for (a code a later escalation added: the set is open, see
    contract §20.2) says the code as it came, 已结束（roof_sealed）; one without a code, 已结束."""
    ended = notice.get("ended") or {}
    if not ended:
        return ""
    said = word("notice_end", ended.get("why"))
    return f"已结束（{said}）" if said else "已结束"
