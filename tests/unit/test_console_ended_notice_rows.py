"""A notice whose ticket ended first (`ended` in notice.list, contract §12.5; R6.3) on the
console: 通知 says 已结束（工单已撤销 / 工单已解决 / 工单已关闭 / 不再按投诉升级）, keeps its
确认, and does not draw it as waiting; 今日概况's 未确认通知 does not count it; a ticket's page
lists its notices (`sla.notifications`, contract §12.1) the same way. Through the
console: tests/integration/test_zone_notices.py."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from services.console.adapters.templating import environment
from services.console.domain.notice_state import ended_said, waiting
from services.console.domain.words import NOTICE_ENDS
from shared.contracts.escalation_events import KNOWN_ENDS

ENDED_AT = "2026-12-05T01:00:00+00:00"


def notice(n: int, *, ended: str | None = None, acked: str | None = None) -> dict[str, Any]:
    found = {
        "notification_id": f"n-{n}", "role": "cs_assistant", "reason": "complaint_received",
        "ticket_id": f"t-{n}", "ticket_no": f"HBW-202612-000{n}", "raised_at": ENDED_AT,
        "acknowledged_at": acked, "acknowledged_by": "HB-CS2" if acked else None, "note": None,
    }  # fmt: skip
    return found | ({"ended": {"why": ended, "at": ENDED_AT}} if ended else {})


def test_each_end_is_said_in_words_R6_3():
    said = [ended_said(notice(1, ended=why)) for why in
            ("cancelled", "resolved", "closed", "left_ladder")]  # fmt: skip
    assert said == ["已结束（工单已撤销）", "已结束（工单已解决）", "已结束（工单已关闭）",
                    "已结束（不再按投诉升级）"]  # fmt: skip
    assert ended_said(notice(1)) == ""


def test_an_ended_notice_waits_for_nobody_R6_3():
    notices = [notice(1), notice(2, ended="cancelled"), notice(3, acked=ENDED_AT),
               notice(4, ended="resolved", acked=ENDED_AT)]  # fmt: skip
    assert [waiting(n) for n in notices] == [True, False, False, False]


def rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr id="notice-([^"]+)"(.*?)</tr>', html, re.S))


def test_notices_page_says_ended_keeps_its_button_and_draws_it_not_waiting_R6_3():
    session = SimpleNamespace(site="hbw", staff_id="HB-CS2", csrf="x", must_change_password=False)
    who = SimpleNamespace(role="cs_assistant", name="HB-CS2", session=session)
    html = environment().get_template("notices.html").render(
        who=who, notices=[notice(1), notice(2, ended="cancelled")], mine=True,
        area=SimpleNamespace(own=False), described={}, csrf="x", menu=(), path="/notices",
        unacknowledged=1, older=None, before=None,
        opens=lambda path: False, t=lambda when: when or "", site_name="Harbour View",
    )  # fmt: skip
    shown = rows(html)
    assert shown["n-1"].startswith(' class="late"') and "已结束" not in shown["n-1"]
    assert shown["n-2"].startswith(' class="ended"') and "已结束（工单已撤销）" in shown["n-2"]
    assert 'action="/notices/n-2/ack"' in shown["n-2"]  # still acknowledgeable


@pytest.mark.parametrize("why", KNOWN_ENDS)
def test_every_end_escalation_gives_is_said_in_words_not_as_its_code_R6_3(why: str):
    said = ended_said(notice(1, ended=why))
    assert said == f"已结束（{NOTICE_ENDS[why]}）" and said != f"已结束（{why}）"


def test_an_end_the_console_has_no_words_for_says_its_code_as_it_came():
    # the set is open (contract §20.2): a later escalation's code is said, not misread or hidden
    assert ended_said(notice(1, ended="roof_sealed")) == "已结束（roof_sealed）"
    assert not waiting(notice(1, ended="roof_sealed"))
    assert ended_said({"ended": {"why": None, "at": ENDED_AT}}) == "已结束"


def test_a_tickets_page_lists_its_notices_the_ended_one_grey_R6_3():
    session = SimpleNamespace(site="hbw", staff_id="HB-CS2", csrf="x", must_change_password=False)
    who = SimpleNamespace(role="cs_assistant", name="HB-CS2", session=session)
    told = {k: v for k, v in notice(1).items() if k in ("role", "reason", "raised_at")}
    told |= {"department": None, "acknowledged_by": None, "acknowledged_at": None}
    notifications = {
        "n-1": told,
        "n-2": told | {"ended": {"why": "cancelled", "at": ENDED_AT}},
        "n-3": told | {"acknowledged_by": "HB-CS2", "acknowledged_at": ENDED_AT},
    }
    ticket = {"ticket_id": "t-1", "ticket_no": "HBW-202612-0001", "status": "cancelled",
              "kind": "complaint", "received_at": ENDED_AT, "history": [],
              "sla": {"notifications": notifications}}  # fmt: skip
    html = environment().get_template("ticket.html").render(
        who=who, ticket=ticket, history=[], menu=(), path="/tickets/t-1", worker=False,
        opens=lambda path: False, t=lambda when: when or "", site_name="Harbour View",
    )  # fmt: skip
    shown = rows(html)
    assert shown["n-1"].startswith(' class="late"') and "待辖区客服助理确认" in shown["n-1"]
    assert shown["n-2"].startswith(' class="ended"') and "已结束（工单已撤销）" in shown["n-2"]
    assert "确认" not in shown["n-2"].split("已结束")[1]  # over: waits for nobody
    assert shown["n-3"].startswith(">") and "HB-CS2 于" in shown["n-3"]
