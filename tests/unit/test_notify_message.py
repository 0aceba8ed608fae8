"""What a notification says outside PropDesk (services/escalation/application/notify/message.py):
an incident's says what happened, where and when, in the site's zone (R16.5); a promise's says
what was promised, by when and on which ticket (R6.15); one raised before the notification
carried them says what it said then; a ticket's says its unit and what was said, as DESK
published them (R6.3), or, its board stored before it kept them, only its number."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from eventsourcing.utils import get_topic

from services.escalation.application.notify.message import (
    SAID,
    SAID_IN_SUBJECT,
    Summary,
    cut,
    message,
)
from services.escalation.domain import TicketClocks, board_id_for
from shared.contracts.escalation_events import Notification
from shared.kernel.clock import FixedClock
from shared.kernel.text import shortened
from tests.support.stored import written_before
from tests.unit.test_escalation_application import T0, TICKET, Feed, app_on, reported

SHANGHAI = ZoneInfo("Asia/Shanghai")
RAISED = datetime(2026, 11, 23, 18, 5, tzinfo=UTC)  # 02:05 the next day in Shanghai


def notification(reason: str, about: str, ticket_no: str, **fields: Any) -> Notification:
    return Notification.model_validate(
        {
            "notification_id": str(uuid4()), "site": "hbw", "role": "project_manager",
            "reason": reason, "ticket_id": str(uuid4()), "ticket_no": ticket_no, "about": about,
            "clock": None, "level": None, "due_at": RAISED.isoformat(),
            "raised_at": RAISED.isoformat(), "event_id": str(uuid4()),
        } | fields
    )  # fmt: skip


def test_an_incident_s_message_says_what_happened_where_and_when_in_the_site_s_zone_R16_5():
    occurred = datetime(2026, 11, 23, 17, 58, tzinfo=UTC)
    fire = notification(
        "incident_alerted", "incident", "HBW-INC-202611-001",
        incident={"kind": "fire", "place": "地下车库B2", "occurred_at": occurred.isoformat()},
    )  # fmt: skip

    said = message(fire, 1, SHANGHAI, "Harbour View")

    assert said.subject == (
        "[PropDesk hbw] 突发事件 emergency event: 火灾 fire · 地下车库B2 (HBW-INC-202611-001)"
    )
    lines = said.text.splitlines()
    assert "事件 kind: 火灾 fire" in lines and "地点 place: 地下车库B2" in lines
    assert "发生 occurred: 2026-11-24 01:58 (UTC+08:00)" in lines  # as the duty manager reads it
    assert said.payload()["notification"]["incident"]["place"] == "地下车库B2"


def test_an_incident_with_no_place_says_so():
    unplaced = {"kind": "power_cut", "place": None, "occurred_at": RAISED.isoformat()}
    alert = notification("incident_alerted", "incident", "HBW-INC-202611-002", incident=unplaced)

    said = message(alert, 1, SHANGHAI)

    assert said.subject.endswith(": 停电 power cut (HBW-INC-202611-002)")
    assert "地点 place: 未记录 not recorded" in said.text.splitlines()


def test_a_promise_s_message_says_what_was_promised_by_when_and_on_which_ticket_R6_15():
    what = "明天下午三点前答复维修费用，并说明更换角阀是否在保修范围内，如需上门再约时间"
    overdue = notification(
        "promise_overdue", "promise", "desk-p24hic433fayllm53rjm7gtrbq", staff="S01",
        promise={"kind": "reply", "what": what, "ticket_no": "HBW-202611-0007"},
    )  # fmt: skip

    said = message(overdue, 2, SHANGHAI)

    assert said.subject == (
        "[PropDesk hbw] 承诺逾期未兑现 promise overdue: 答复客户 reply: "
        "明天下午三点前答复维修费用，并说明更换角阀是否在保修范围内… (HBW-202611-0007)"
        " (第2次 attempt 2)"
    )  # the desk's token for the promise says nothing to a person: not in the subject
    lines = said.text.splitlines()
    assert f"承诺内容 promised: {what}" in lines  # whole in the body
    assert "工单 ticket: HBW-202611-0007" in lines and "类型 kind: 答复客户 reply" in lines
    assert "到期 due: 2026-11-24 02:05 (UTC+08:00)" in lines  # by when
    assert "通知 to: project_manager S01" in lines


def test_a_promise_typed_on_two_lines_is_mailed_with_a_subject_on_one():
    """A mail's subject holds no line break: one there would make every send of it fail."""
    twice = {"kind": "reply", "what": "核实水费\r\n后回电", "ticket_no": "HBW-202611-0007"}
    reminder = notification("promise_reminder", "promise", "p-1", promise=twice)

    said = message(reminder, 1, SHANGHAI)

    assert said.subject.endswith(": 答复客户 reply: 核实水费 后回电 (HBW-202611-0007)")


def test_a_missed_call_s_message_says_it_has_no_ticket_R2_6():
    apology = {"kind": "callback", "what": "致歉并回电", "ticket_no": None}
    callback = notification("promise_reminder", "promise", "mc-1", promise=apology)

    said = message(callback, 1, SHANGHAI)

    assert said.subject.endswith(": 未接来电回电 missed call: 致歉并回电")
    assert "工单 ticket: 无 none" in said.text.splitlines()


def test_a_notification_raised_before_it_carried_its_subject_says_what_it_said_then():
    older = notification("incident_alerted", "incident", "HBW-INC-202611-001")

    said = message(older, 1, SHANGHAI)

    assert said.subject == "[PropDesk hbw] 突发事件 emergency event: HBW-INC-202611-001"
    assert "发生 occurred" not in said.text and "地点 place" not in said.text
    assert said.payload()["notification"]["incident"] is None


def test_a_special_care_visit_s_reason_reads_in_words_not_as_its_token_R11_10():
    due = notification("care_visit_due", "resident", "HBW-0002")

    said = message(due, 1, SHANGHAI)

    assert said.subject == "[PropDesk hbw] 特殊关怀住户待探访 special-care visit due: HBW-0002"
    assert "事由 reason: 特殊关怀住户待探访 special-care visit due" in said.text.splitlines()
    # the number is her file's reference, not a ticket's
    assert "档案编号 resident file: HBW-0002" in said.text.splitlines()
    assert "工单 ticket" not in said.text


def test_a_breach_to_a_zones_cs_assistant_says_whose_zone_R1_3_R6_3():
    """The role's mailbox is the site's (routes are per role and department, not per member): the
    message says which zone's assistant it is for, as a supervisor's says the department."""
    late = notification("clock_breached", "ticket", "HBW-202611-0001", role="cs_assistant",
                        clock="order_issued_household", zone="A区")  # fmt: skip

    said = message(late, 1, SHANGHAI)

    assert "通知 to: cs_assistant (A区)" in said.text.splitlines()
    assert said.payload()["notification"]["zone"] == "A区"
    no_zone = notification("clock_breached", "ticket", "HBW-202611-0002", role="cs_assistant",
                           clock="follow_up")  # fmt: skip
    site_wide = message(no_zone, 1, SHANGHAI)
    assert "通知 to: cs_assistant" in site_wide.text.splitlines()


def test_a_new_complaint_says_so_and_whose_zone_R6_3_R1_3():
    new = notification("complaint_received", "ticket", "HBW-202611-0003", role="cs_assistant",
                       zone="A区")  # fmt: skip

    said = message(new, 1, SHANGHAI)

    assert said.subject == "[PropDesk hbw] 新投诉待处理 new complaint: HBW-202611-0003"
    assert "工单 ticket: HBW-202611-0003" in said.text.splitlines()
    assert "通知 to: cs_assistant (A区)" in said.text.splitlines()


# -- a ticket's: where and what, as DESK published them (R6.3) --------------------------------

NOISE = Summary("3-201", "楼上装修噪音太大, 每天早上七点开工, 业主***多次反映")


def test_a_new_complaint_says_where_and_what_so_her_supervisor_need_not_open_the_console_R6_3():
    new = notification("complaint_received", "ticket", "HBW-202611-0003", role="cs_assistant",
                       zone="A区")  # fmt: skip

    said = message(new, 2, SHANGHAI, summary=NOISE)

    assert said.subject == (
        "[PropDesk hbw] 新投诉待处理 new complaint: HBW-202611-0003 · 3-201 "
        "楼上装修噪音太大, 每天早上七点开工, 业主… (第2次 attempt 2)"
    )  # the first SAID_IN_SUBJECT characters of what was said
    lines = said.text.splitlines()
    assert lines[1:4] == [
        "工单 ticket: HBW-202611-0003",
        "房号 unit: 3-201",
        "内容 content: 楼上装修噪音太大, 每天早上七点开工, 业主***多次反映",
    ]
    assert said.payload()["ticket"] == {
        "unit": "3-201",
        "said": "楼上装修噪音太大, 每天早上七点开工, 业主***多次反映",
    }


def test_a_breach_or_a_ladder_step_says_it_too_and_a_long_content_is_cut_R6_4():
    long = ("二单元电梯每天早上七点到九点之间频繁停在十二楼不动, 业主上班被困多次, "
            "物业维修后仍然反复出现, 要求彻底更换整台电梯并书面答复处理结果和时间")  # fmt: skip
    step = notification("complaint_escalated", "ticket", "HBW-202611-0004",
                        role="department_supervisor", level="department_supervisor")  # fmt: skip

    said = message(step, 1, SHANGHAI, summary=Summary(None, shortened(long, SAID)))

    assert said.subject == (
        "[PropDesk hbw] 投诉升级 complaint escalated: HBW-202611-0004 · "
        f"{long[: SAID_IN_SUBJECT - 1]}…"
    )  # no unit recorded: nothing for it in the subject
    lines = said.text.splitlines()
    assert "房号 unit: 未记录 not recorded" in lines
    assert f"内容 content: {long[: SAID - 1]}…" in lines
    assert said.payload()["ticket"] == {"unit": None, "said": f"{long[: SAID - 1]}…"}


def test_a_ticket_s_notice_without_its_summary_names_only_its_number():
    late = notification("clock_breached", "ticket", "HBW-202611-0005", clock="follow_up")

    said = message(late, 1, SHANGHAI)

    assert said.subject.endswith(": HBW-202611-0005")
    assert "房号 unit" not in said.text and "内容 content" not in said.text
    assert "ticket" not in said.payload()


def test_a_board_keeps_the_published_words_masked_again_and_cut_R15_1_R15_4():
    """What the message says is what DESK carries, never more: escalation keeps `ticket.reported`'s
    unit and content (already masked by intake), on one line, masked again and cut to SAID after
    masking."""
    clock = FixedClock(T0)
    app = app_on(clock)
    content = "回电13800138000,\r\n" + "水" * 80  # a phone intake's masking would have caught
    reported(Feed(app), unit="3-201", content=content)

    summary = Summary.of(app.get(board_id_for(TICKET), TicketClocks))

    # on one line: a line break in a mail's subject would fail every send
    assert summary == Summary("3-201", shortened("回电***, " + "水" * 80, SAID))
    assert "13800138000" not in repr(summary)


def test_a_board_stored_before_it_kept_a_summary_still_loads_and_its_messages_say_nothing_more():
    clock = FixedClock(T0)
    before = app_on(clock)
    reported(Feed(before), zone="A区", schema_version=2)
    stored = before.recorder.select_notifications(1, 1000)
    old = [written_before(e, {TicketClocks.Opened: ("unit", "said")}, 3) for e in stored]
    opened = [e for e in old if e.topic == get_topic(TicketClocks.Opened)]
    assert opened and not any(b'"said"' in e.state for e in opened)

    after = app_on(clock)
    after.recorder.insert_events(old)
    board = after.get(board_id_for(TICKET), TicketClocks)

    assert (board.zone, board.unit, board.said) == ("A区", None, None)  # v2's zone kept
    assert Summary.of(board) is None
    late = notification("clock_breached", "ticket", "HBW-202611-0001", clock="follow_up")
    said = message(late, 1, SHANGHAI, summary=Summary.of(board))
    assert said.subject.endswith(": HBW-202611-0001") and "房号" not in said.text


def test_a_cut_never_keeps_part_of_a_mask_R15_4():
    """A subject or a kept text cut short ends before a *** it would split, never with a * or **
    that reads as typed."""
    assert cut("业主***多次反映", 4) == "业主…"  # would keep 业主*
    assert cut("业主***多次反映", 5) == "业主…"  # would keep 业主**
    assert cut("业主***多次反映", 6) == "业主***…"  # the mask whole
    assert cut("楼上装修噪音", 4) == "楼上装…"  # no mask: as shortened
    assert cut("业主***", 5) == "业主***"  # fits
