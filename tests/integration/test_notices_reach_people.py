"""Notices reach people (issue 14): a breach is e-mailed to a local SMTP server and posted to a
local webhook, each once; not acknowledged, it is sent again when the drill's simulated clock
passes the site's `resend_after`, and no more once acknowledged — nor once what it is about
ended (a complaint withdrawn, R6.3). An incident's notice says what happened, where and when, a
promise's what was promised, by when and on which ticket; a ticket's its unit and what was said,
as DESK carries them (R6.3). What is sent holds none of the reporter's personal data.
Escalation's process runs the channel (docs/NOTIFICATIONS.md)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.natsd import free_port
from tests.integration.drill import Drill
from tests.integration.support import START, Desk, eventually, report_body
from tests.integration.test_notice_list import breached_help_requests
from tests.integration.webhook import Hook

pytestmark = pytest.mark.integration


class Inbox:
    """The local mail server's mailbox (aiosmtpd calls this from its own thread)."""

    def __init__(self) -> None:
        self.mails: list[EmailMessage] = []
        self.raw: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append(envelope.content)
        self.mails.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    mailbox = Inbox()
    port = free_port()  # not 0: the controller checks its port by connecting
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


@pytest.fixture
def settings(settings: Settings, inbox: tuple[Inbox, int]) -> Settings:
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": inbox[1],
                                       "smtp_from": "desk@hbw.example"})  # fmt: skip


# where the roles an incident (R16.5) and a promise (R6.15) tell are mailed
SECURITY, DUTY, DESK = "security@hbw.example", "duty@hbw.example", "desk@hbw.example"


@pytest.fixture
def drill_sites(hook: Hook) -> SiteDirectory:
    routes = [{"email": "cs-team@hbw.example"}, {"webhook": hook.url}]
    roles = {
        "cs_assistant": routes,
        "department_supervisor": [{"email": SECURITY, "department": "security"}],
        "project_manager": [{"email": DUTY}, {"webhook": hook.url}],
        "receptionist": [{"email": DESK}, {"webhook": hook.url}],
    }
    notify = {"resend_after": "PT30M", "roles": roles}
    return SiteDirectory.model_validate(
        {"sites": {"hbw": {"name": "Harbour View", "notify": notify}}}
    )


async def test_a_breach_is_mailed_and_posted_once_then_again_until_acknowledged(
    desk: Desk, drill_services, inbox: tuple[Inbox, int], hook: Hook, tmp_path: Path
) -> None:
    mailbox, _ = inbox
    await drill_services()
    drill = Drill(desk)
    [ticket] = await breached_help_requests(desk, drill, 1)  # breached at START + 10 min

    async def told(count: int) -> bool:
        return len(mailbox.mails) >= count and len(hook.posts) >= count

    await eventually(lambda: told(1))
    [mail] = mailbox.mails
    headers, posted = hook.posts[0]
    notice = posted["notification"]
    assert (notice["ticket_id"], notice["reason"], posted["attempt"]) == (
        ticket,
        "clock_breached",
        1,
    )
    assert mail["To"] == "cs-team@hbw.example" and notice["ticket_no"] in mail["Subject"]
    assert headers["Idempotency-Key"] == f"{notice['notification_id']}/1"
    text = f"{mail['Subject']}\n{mail.get_content()}"
    assert notice["ticket_no"] in text and "10:10 (UTC+08:00)" in text  # the site's zone
    # where and what, as DESK published them (R6.3); never the reporter's name or phone
    assert f"{notice['ticket_no']} · 3-201 楼上装修噪音太大" in mail["Subject"]
    assert posted["ticket"] == {"unit": "3-201", "said": "楼上装修噪音太大"}
    for secret in ("王小明", "13800138000"):  # report_body's reporter (R15.1, R15.4)
        assert secret not in text and secret.encode() not in b"".join(mailbox.raw)
        assert secret not in json.dumps(hook.posts, ensure_ascii=False)

    await drill.set_clock(START + timedelta(minutes=30))  # 20 min after the breach: not yet
    await asyncio.sleep(2.5)  # a few of the channel's ticks
    assert (len(mailbox.mails), len(hook.posts)) == (1, 1)
    await drill.set_clock(START + timedelta(minutes=41))  # 31 min after: told again
    await eventually(lambda: told(2))
    assert hook.posts[1][1]["attempt"] == 2 and "第2次" in mailbox.mails[1]["Subject"]
    assert mailbox.mails[1]["Message-ID"] != mail["Message-ID"]

    ack = {"staff_id": "CS1", "notification_id": notice["notification_id"]}
    assert (await drill.escalation("ack", ack))["ok"]
    await drill.set_clock(START + timedelta(hours=3))
    await asyncio.sleep(2.5)
    assert (len(mailbox.mails), len(hook.posts)) == (2, 2)  # acknowledged: no more


async def test_a_complaint_cancelled_after_its_notice_went_out_is_not_sent_again_R6_3(
    desk: Desk, drill_services, inbox: tuple[Inbox, int], hook: Hook
) -> None:
    """Two new complaints told to the CS assistants (complaint_received, R6.3), both listed open;
    one is withdrawn by its customer: escalation publishes its notice's end
    (`escalation.notification_ended`, why `cancelled`) and notice.list says it (`ended`), still
    open. Past `resend_after` the other is told again, the withdrawn one is not — it stays listed,
    and may still be acknowledged."""
    mailbox, _ = inbox
    await drill_services()
    drill = Drill(desk)
    tickets = {}
    for ref in ("gone", "open"):
        reply = await desk.command("hbw", "report", report_body(ref))
        assert reply["ok"], reply
        tickets[ref] = reply["ticket_id"]

    async def attempts(ticket: str) -> list[int]:
        return [p["attempt"] for p in await _posted(hook, "complaint_received")
                if p["notification"]["ticket_id"] == ticket]  # fmt: skip

    for ticket in tickets.values():
        assert await eventually(lambda t=ticket: attempts(t)) == [1]
    before = await eventually(lambda: _listed(desk, tickets.values()))
    assert all("ended" not in n for n in before)  # both open, nothing ended
    cancel = {"ticket_id": tickets["gone"], "staff_id": "S01", "reason": "withdrawn"}
    assert (await desk.command("hbw", "cancel", cancel))["ok"]

    # escalation ended the notice and published it: its ticket, role, notification and a code
    [ended] = await eventually(
        lambda: drill.events("escalation.notification_ended", tickets["gone"])
    )
    [told] = [n for n in before if n["ticket_id"] == tickets["gone"]]
    assert ended["aggregate_id"] == told["notification_id"]
    assert ended["data"] == {"ticket_id": tickets["gone"], "ticket_no": told["ticket_no"],
                             "notification_id": told["notification_id"],
                             "role": "cs_assistant", "why": "cancelled"}  # fmt: skip

    async def listed_ended() -> dict[str, Any] | None:
        listed = await _listed(desk, tickets.values())
        gone = [n for n in (listed or []) if n["ticket_id"] == tickets["gone"] and "ended" in n]
        return gone[0] if gone else None

    gone = await eventually(listed_ended)  # still open: nobody acknowledged it
    assert gone["ended"]["why"] == "cancelled"
    assert datetime.fromisoformat(gone["ended"]["at"]) == datetime.fromisoformat(
        ended["occurred_at"]
    )
    still = [n for n in await _listed(desk, tickets.values()) if n["ticket_id"] == tickets["open"]]
    assert ["ended" in n for n in still] == [False]
    # the ticket's page reads it too: ticket.get's sla.notifications, as notice.list says it
    # (contract §12.1), and as of a time after it (folded from the escalation events kept)
    for asked in ({}, {"as_of": (START + timedelta(days=1)).isoformat()}):
        body = {"ticket_id": tickets["gone"], **asked}
        sla = (await desk.query("hbw", "ticket.get", body))["ticket"]["sla"]
        said = sla["notifications"][told["notification_id"]]["ended"]
        assert said["why"] == gone["ended"]["why"], asked
        assert datetime.fromisoformat(said["at"]) == datetime.fromisoformat(gone["ended"]["at"])
    other = (await desk.query("hbw", "ticket.get", {"ticket_id": tickets["open"]}))["ticket"]
    assert ["ended" in n for n in other["sla"]["notifications"].values()] == [False]
    await drill.set_clock(START + timedelta(minutes=31))  # past resend_after (PT30M)
    assert await eventually(lambda: _attempt_2(attempts, tickets["open"])) == [1, 2]
    await asyncio.sleep(2.5)  # a few of the channel's ticks
    assert await attempts(tickets["gone"]) == [1]
    mailed = [m["Subject"] for m in mailbox.mails if "第2次" in m["Subject"]]
    assert len(mailed) == 1  # the open complaint's, by e-mail too

    listed = (await desk.query("hbw", "notice.list", {"open": True}))["notices"]
    [gone] = [n for n in listed if n["ticket_id"] == tickets["gone"]]
    ack = {"staff_id": "CS1", "notification_id": gone["notification_id"]}
    assert (await drill.escalation("ack", ack))["ok"]  # her 签收, late: still taken


async def test_a_new_complaint_s_mail_and_post_say_where_and_what_masked_as_on_DESK_R6_3_R15_1_R15_4(  # noqa: E501
    desk: Desk, drill_services, inbox: tuple[Inbox, int], hook: Hook
) -> None:
    """Her supervisor told of a new complaint reads its unit and what was said without opening
    the console (R6.3) — the words exactly as intake published them on DESK: the reporter's name
    and a phone in them masked (R15.1, R15.4), cut to 60 characters in the text, fewer in the
    subject. Nothing from intake's store."""
    mailbox, _ = inbox
    await drill_services()
    drill = Drill(desk)
    content = "王小明反映楼上装修噪音太大, 请回电13912345678; " + "每天早上七点开始施工" * 5
    reply = await desk.command("hbw", "report", report_body("c-1", content=content))
    assert reply["ok"], reply
    [posted] = await eventually(lambda: _posted(hook, "complaint_received"))
    # what DESK carries (escalation consumed it before it told anyone): masked by intake's relay
    [on_desk] = [e["data"]["content"] for e in await drill.events("ticket.reported")
                 if e["aggregate_id"] == reply["ticket_id"]]  # fmt: skip
    assert on_desk.startswith("***反映楼上装修噪音太大, 请回电***; 每天")
    said = f"{on_desk[:59]}…"  # SAID: 60 characters, cut with …
    assert posted["ticket"] == {"unit": "3-201", "said": said}
    assert posted["subject"] == (
        f"[PropDesk hbw] 新投诉待处理 new complaint: {reply['ticket_no']} · 3-201 "
        "***反映楼上装修噪音太大, 请回电***; …"  # SAID_IN_SUBJECT: 24
    )
    [mail] = await eventually(lambda: _mailed(mailbox, reply["ticket_no"]))
    assert mail["Subject"] == posted["subject"]
    assert {"房号 unit: 3-201", f"内容 content: {said}"} <= set(mail.get_content().splitlines())
    sent = b"".join(mailbox.raw) + json.dumps(hook.posts, ensure_ascii=False).encode()
    for secret in ("王小明", "13912345678", "13800138000"):
        assert secret.encode() not in sent


async def _mailed(mailbox: Inbox, ticket_no: str) -> list[EmailMessage]:
    return [m for m in mailbox.mails if ticket_no in m["Subject"]]


async def _listed(desk: Desk, tickets: Any) -> list[dict[str, Any]] | None:
    """The open complaint_received notices of these tickets, once every one is listed."""
    listed = (await desk.query("hbw", "notice.list", {"open": True}))["notices"]
    mine = [n for n in listed if n["reason"] == "complaint_received" and n["ticket_id"] in tickets]
    return mine if {n["ticket_id"] for n in mine} == set(tickets) else None


async def _attempt_2(attempts: Any, ticket: str) -> list[int] | None:
    found = await attempts(ticket)
    return found if len(found) >= 2 else None


async def test_an_incident_s_and_a_promise_s_notices_say_what_happened_and_what_was_promised_R16_5_R6_15(  # noqa: E501
    desk: Desk, drill_services, inbox: tuple[Inbox, int], hook: Hook
) -> None:
    mailbox, _ = inbox
    await drill_services()
    drill = Drill(desk)
    opened = await desk.command("hbw", "incident_open", {
        "client_ref": "inc-1", "kind": "fire", "place": "地下车库B2", "staff_id": "S01",
        "occurred_at": (START - timedelta(minutes=7)).isoformat(),
        "measure": "业主王小明13800138000报警, 已启动消防系统",
    })  # fmt: skip
    assert opened["ok"], opened

    async def mailed(to: str) -> list[EmailMessage]:
        return [m for m in mailbox.mails if m["To"] == to]

    # woken at night, security and the duty manager read what burns, where, since when (R16.5)
    for to in (SECURITY, DUTY):
        [alert] = await eventually(lambda to=to: mailed(to))
        assert alert["Subject"] == (
            "[PropDesk hbw] 突发事件 emergency event: 火灾 fire · 地下车库B2 "
            f"({opened['incident_no']})"
        )
        text = alert.get_content()
        assert "地点 place: 地下车库B2" in text
        assert "发生 occurred: 2026-11-23 09:53 (UTC+08:00)" in text  # the site's zone
    [posted] = await eventually(lambda: _posted(hook, "incident_alerted"))  # the duty manager's
    assert posted["notification"]["incident"] == {
        "kind": "fire", "place": "地下车库B2", "occurred_at": "2026-11-23T01:53:00Z"
    }  # fmt: skip

    reported = await desk.command("hbw", "report", report_body("pr-1", kind="repair",
                                                               category="plumbing"))  # fmt: skip
    assert reported["ok"], reported
    due = START + timedelta(hours=1)
    made = await desk.command("hbw", "promise_make", {
        "client_ref": "pr-1", "due_at": due.isoformat(), "staff_id": "S01",
        "what": "核实维修费用后答复王小明, 回电13800138000; 李先生也问过",
        "ticket_id": reported["ticket_no"],
    })  # fmt: skip
    assert made["ok"], made
    await drill.set_clock(due - timedelta(minutes=15))
    [reminder] = await eventually(lambda: mailed(DESK))
    # the owner reads what was promised, on which ticket, by when (R6.15); no resident's name or
    # phone: intake masked them, escalation masks again (R15.1, R15.4)
    assert reminder["Subject"] == (
        "[PropDesk hbw] 承诺即将到期 promise due soon: 答复客户 reply: "
        f"核实维修费用后答复***, 回电***; ***也问过 ({reported['ticket_no']})"
    )
    text = reminder.get_content()
    assert f"工单 ticket: {reported['ticket_no']}" in text
    assert "到期 due: 2026-11-23 11:00 (UTC+08:00)" in text
    posts = await eventually(lambda: _posted(hook, "promise_reminder"))
    assert posts[0]["notification"]["promise"] == {
        "kind": "reply", "what": "核实维修费用后答复***, 回电***; ***也问过",
        "ticket_no": reported["ticket_no"],
    }  # fmt: skip
    sent = b"".join(mailbox.raw) + json.dumps(hook.posts, ensure_ascii=False).encode()
    for secret in ("王小明", "13800138000", "李先生", "3-201"):
        assert secret.encode() not in sent
        assert all(secret not in f"{m['Subject']}{m.get_content()}" for m in mailbox.mails)


async def _posted(hook: Hook, reason: str) -> list[dict[str, Any]]:
    return [p for _, p in hook.posts if p["notification"]["reason"] == reason]
