"""A ticket's page (工单, docs/CONSOLE.md) says its cancellation in the desk's words: 撤销 in
处理过程 reads 客户撤回 or 重复工单 with what the desk was told, not the contract's code
(`ticket.cancelled`'s `reason`, shared/kernel/words.py CANCEL_REASONS)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from services.console.adapters.templating import environment

AT = "2026-12-05T01:00:00+00:00"


def test_a_cancelled_tickets_history_says_why_in_words_and_offers_no_promise():
    """撤销 in 处理过程 says 客户撤回 or 重复工单 (its original linked) with what the desk was told,
    not the contract's code; a withdrawn ticket offers no 承诺回复客户."""
    session = SimpleNamespace(site="hbw", staff_id="HB-CS2", csrf="x", must_change_password=False)
    who = SimpleNamespace(role="cs_assistant", name="HB-CS2", session=session)

    def page(status: str, cancelled: dict[str, Any]) -> str:
        history = [{"event_type": "ticket.cancelled", "occurred_at": AT, "actor": "HB-SUP",
                    "order_no": None, "data": cancelled}]  # fmt: skip
        ticket = {"ticket_id": "t-1", "ticket_no": "HBW-202612-0001", "status": status,
                  "kind": "complaint", "received_at": AT, "history": history,
                  "sla": None}  # fmt: skip
        return environment().get_template("ticket.html").render(
            who=who, ticket=ticket, history=history, menu=(), path="/tickets/t-1",
            worker=False, opens=lambda path: True, t=lambda when: when or "",
            site_name="Harbour View",
        )  # fmt: skip

    withdrawn = page("cancelled", {"reason": "withdrawn", "note": "住户撤回", "duplicate_of": None})
    assert "客户撤回：住户撤回" in withdrawn and "withdrawn" not in withdrawn
    assert "promise-from-ticket" not in withdrawn
    duplicate = page("cancelled", {"reason": "duplicate", "note": None, "duplicate_of": "t-0"})
    assert '重复工单（<a href="/tickets/t-0">原工单</a>）' in duplicate
    assert "promise-from-ticket" in page("received", {"reason": "withdrawn", "note": None,
                                                      "duplicate_of": None})  # fmt: skip
