"""The banner a page shows when a notice reaches the person's role (services/console/adapters/
live.py `banner`, sent as `said` on `/live`): the subject as the notices page names it, why, and
what an incident's or a promise's notice is about — a promise's number is a desk token, which the
banner showed alone before."""

from __future__ import annotations

from services.console.adapters.live import banner

FIRE = {"kind": "fire", "place": "地下车库B2", "occurred_at": "2026-11-23T01:53:00Z"}


def test_an_incident_notice_says_what_happened_where_R16_5():
    said = banner({"about": "incident", "ticket_no": "HBW-INC-202611-002",
                   "reason": "incident_alerted", "incident": FIRE})  # fmt: skip

    assert said == "HBW-INC-202611-002 · 突发事件 · 火灾 · 地下车库B2"


def test_a_promise_notice_names_the_promise_not_its_token_R6_15():
    promise = {"kind": "reply", "what": "核实水费后回电", "ticket_no": "HBW-202611-0002"}
    said = banner({"about": "promise", "ticket_no": "k3J9xQ", "reason": "promise_overdue",
                   "promise": promise})  # fmt: skip

    assert said == "承诺回复 · 承诺逾期未兑现 · 答复客户：核实水费后回电（HBW-202611-0002）"
    assert "k3J9xQ" not in said
    # one raised before notifications said what they are about: still no token
    older = banner({"about": "promise", "ticket_no": "k3J9xQ", "reason": "promise_reminder"})
    assert older == "承诺回复 · 承诺即将到期"


def test_a_breach_names_its_ticket_and_clock_R7_3():
    said = banner({"about": "ticket", "ticket_no": "HBW-202611-0001",
                   "reason": "clock_breached", "clock": "general_fixed"})  # fmt: skip

    assert said == "HBW-202611-0001 · 超时未处理：一般维修完成"  # the clock in words, as the page


def test_a_new_complaint_names_its_ticket_and_says_so_R6_3():
    said = banner({"about": "ticket", "ticket_no": "HBW-202611-0003",
                   "reason": "complaint_received", "zone": "A区"})  # fmt: skip

    assert said == "HBW-202611-0003 · 新投诉待处理"
