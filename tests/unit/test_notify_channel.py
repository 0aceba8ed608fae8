"""The notification channel's own rules (services/escalation/application/notify/channel.py),
with recording senders and a clock the test moves: each notification goes once per attempt to
each route of its role; breaches and ladder steps are sent again every `resend_after` until
acknowledged or no longer owed (what they are about ended), up to `max_attempts`; a failed
delivery is tried again; nothing personal is in what is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from services.escalation.application.notify.channel import RETRY_FAILED, NotificationChannel
from services.escalation.application.notify.message import Message, Summary
from services.escalation.application.notify.tracking import Tracking
from services.escalation.domain.notice import ACKNOWLEDGED
from shared.contracts.escalation_events import Notification
from shared.kernel.clock import FixedClock
from shared.kernel.notify import Route
from shared.kernel.sites import SiteDirectory

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
SITES = SiteDirectory.model_validate(
    {
        "sites": {
            "hbw": {
                "notify": {
                    "resend_after": "PT30M",
                    "max_attempts": 3,
                    "roles": {
                        "cs_assistant": [
                            {"email": "cs@hbw.example"},
                            {"webhook": "http://127.0.0.1:9/hook"},
                        ],
                        "department_supervisor": [
                            {"email": "clean@hbw.example", "department": "cleaning"},
                            {"email": "eng@hbw.example", "department": "engineering"},
                        ],
                    },
                }
            },
            "quiet": {},
        }
    }
)


class Recording:
    def __init__(self) -> None:
        self.sent: list[tuple[str, int, str]] = []  # (notification id, attempt, target)
        self.messages: list[Message] = []
        self.failing = False

    def send(self, message: Message, route: Route) -> None:
        if self.failing:
            raise ConnectionRefusedError("mail server down")
        self.sent.append((str(message.notice.notification_id), message.attempt, route.target))
        self.messages.append(message)


class Desk:
    def __init__(self, tmp_path: Path) -> None:
        self.clock = FixedClock(START)
        self.acked: set[UUID] = set()
        self.ended: dict[UUID, str] = {}  # what it is about ended: why
        self.asked = 0  # how often escalation's store was asked whether one is settled
        self.email, self.webhook = Recording(), Recording()
        self.channel = NotificationChannel(
            Tracking(tmp_path / "notify.sqlite3"),
            SITES.get,
            self.clock,
            {"email": self.email, "webhook": self.webhook},
            self.settled,
            self.summary,
        )
        self.summaries: dict[UUID, Summary] = {}  # the tickets' boards: what each is about

    def summary(self, note: Notification) -> Summary | None:
        return self.summaries.get(note.ticket_id)

    def settled(self, nid: UUID) -> str | None:
        self.asked += 1
        return ACKNOWLEDGED if nid in self.acked else self.ended.get(nid)

    def later(self, minutes: float) -> int:
        self.clock.advance(timedelta(minutes=minutes))
        return self.channel.send_due()

    def sent(self) -> list[tuple[str, int, str]]:
        return sorted(self.email.sent + self.webhook.sent)


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    return Desk(tmp_path)


def notice(reason: str = "clock_breached", role: str = "cs_assistant", site: str = "hbw",
           department: str | None = None) -> Notification:  # fmt: skip
    return Notification.model_validate(
        {
            "notification_id": str(uuid4()),
            "site": site,
            "role": role,
            "reason": reason,
            "ticket_id": str(uuid4()),
            "ticket_no": "HBW-202611-0007",
            "clock": "help_reply" if reason == "clock_breached" else None,
            "level": "department_supervisor" if reason == "complaint_escalated" else None,
            "due_at": START.isoformat(),
            "raised_at": START.isoformat(),
            "event_id": str(uuid4()),
            "department": department,
        }
    )


def test_a_breach_goes_once_to_every_route_of_its_role_even_when_given_twice(desk: Desk) -> None:
    breach = notice()
    desk.channel.raised(breach)
    desk.channel.raised(breach)  # the relay republished it after a crash

    assert desk.channel.send_due() == 2
    assert desk.channel.send_due() == 0
    assert desk.later(29) == 0
    nid = str(breach.notification_id)
    assert desk.sent() == [(nid, 1, "email:cs@hbw.example"),
                           (nid, 1, "webhook:http://127.0.0.1:9/hook")]  # fmt: skip


def test_a_ticket_s_notice_says_where_and_what_as_its_board_says_when_sent_R6_3(
    desk: Desk,
) -> None:
    """The channel reads the ticket's board when it makes each message: no copy of it is kept
    with the notification; a ticket whose board keeps none is named by its number only."""
    told, unknown = notice("complaint_received"), notice("complaint_received")
    desk.summaries[told.ticket_id] = Summary("3-201", "楼上装修噪音太大")
    for each in (told, unknown):
        desk.channel.raised(each)

    assert desk.channel.send_due() == 4
    by_id = {m.notice.notification_id: m for m in desk.webhook.messages}
    posted = by_id[told.notification_id]
    assert posted.subject.endswith("HBW-202611-0007 · 3-201 楼上装修噪音太大")
    assert posted.payload()["ticket"] == {"unit": "3-201", "said": "楼上装修噪音太大"}
    assert by_id[unknown.notification_id].subject.endswith(": HBW-202611-0007")
    assert "ticket" not in by_id[unknown.notification_id].payload()
    mailed = {m.notice.notification_id: m.text for m in desk.email.messages}
    assert "房号 unit: 3-201" in mailed[told.notification_id].splitlines()


def test_a_breach_not_acknowledged_is_sent_again_each_interval_up_to_the_last_attempt(
    desk: Desk,
) -> None:
    breach = notice()
    desk.channel.raised(breach)
    desk.channel.send_due()

    assert desk.later(30) == 2  # attempt 2
    assert desk.later(10) == 0
    assert desk.later(20) == 2  # attempt 3, the last
    assert desk.later(30) == 0
    assert desk.later(600) == 0
    assert [a for _, a, t in desk.sent() if t.startswith("email")] == [1, 2, 3]
    assert "第3次" in desk.email.messages[-1].subject


def test_a_notification_waiting_for_its_next_attempt_does_not_ask_the_store_each_second(
    desk: Desk,
) -> None:
    """The loop runs every second; the store (the authority on acknowledgements) is asked only
    when something is about to be sent."""
    desk.channel.raised(notice())
    desk.channel.send_due()
    asked = desk.asked

    for _ in range(120):
        assert desk.later(1 / 6) == 0  # 20 minutes, ten seconds at a time
    assert desk.asked == asked
    assert desk.later(10) == 2 and desk.asked == asked + 1  # attempt 2: asked, then sent


def test_an_acknowledged_notification_is_not_sent_again(desk: Desk) -> None:
    breach, step = notice(), notice("complaint_escalated")
    for n in (breach, step):
        desk.channel.raised(n)
    desk.channel.send_due()
    desk.acked.add(breach.notification_id)  # escalation's own record says so
    desk.channel.acknowledged(step.notification_id)  # the relay's acknowledgement event

    assert desk.later(30) == 0
    assert len(desk.sent()) == 4


def test_a_notice_whose_ticket_ended_is_not_sent_again_and_one_still_open_is_R6_3(
    desk: Desk,
) -> None:
    """A new complaint's notice to its CS assistant (R6.3), and a breach: the complaint is then
    cancelled, so escalation's record says it is owed no more (in the same one read as an
    acknowledgement); the breach's ticket is still open, so the breach is sent again."""
    received, breach = notice("complaint_received"), notice()
    for n in (received, breach):
        desk.channel.raised(n)
    assert desk.channel.send_due() == 4
    desk.ended[received.notification_id] = "cancelled"
    asked = desk.asked

    assert desk.later(30) == 2  # the breach's attempt 2, not the complaint's
    assert desk.asked == asked + 2  # one read each
    assert desk.later(30) == 2  # the breach's attempt 3
    assert [a for i, a, _ in desk.sent() if i == str(received.notification_id)] == [1, 1]
    assert [t.notice for t in desk.channel.tracking.open()] == [breach]  # the ended, closed


def test_a_notice_whose_ticket_ended_before_its_first_send_is_not_sent_at_all(desk: Desk) -> None:
    received = notice("complaint_received")
    desk.channel.raised(received)
    desk.ended[received.notification_id] = "closed"

    assert desk.channel.send_due() == 0
    assert desk.later(60) == 0
    assert desk.sent() == []
    assert desk.channel.tracking.open() == []


def test_a_suggestion_is_told_once_and_a_department_supervisor_hears_only_their_department(
    desk: Desk,
) -> None:
    desk.channel.raised(notice("major_suggested"))
    desk.channel.raised(notice("complaint_escalated", "department_supervisor",
                               department="cleaning"))  # fmt: skip
    desk.channel.send_due()

    assert desk.later(30) == 1  # the ladder step again, not the suggestion
    targets = [t for _, _, t in desk.email.sent]
    assert targets.count("email:clean@hbw.example") == 2
    assert "email:eng@hbw.example" not in targets
    assert targets.count("email:cs@hbw.example") == 1


def test_a_notice_to_every_department_reaches_each_department_supervisors_route(
    desk: Desk,
) -> None:
    """Site-wide (no department): every supervisor is told — a site whose supervisors each have
    a department's route used to send it nowhere (docs/NOTIFICATIONS.md)."""
    desk.channel.raised(notice("complaint_escalated", "department_supervisor"))

    assert desk.channel.send_due() == 2
    assert sorted(t for _, _, t in desk.email.sent) == [
        "email:clean@hbw.example",
        "email:eng@hbw.example",
    ]


def test_a_role_or_site_with_no_route_sends_nothing(desk: Desk) -> None:
    desk.channel.raised(notice(role="project_manager"))
    desk.channel.raised(notice(site="quiet"))

    assert desk.channel.send_due() == 0
    assert desk.channel.tracking.open() == []


def test_a_failed_delivery_is_tried_again_after_a_minute_and_sent_once(desk: Desk) -> None:
    breach = notice()
    desk.email.failing = True
    desk.channel.raised(breach)

    assert desk.channel.send_due() == 1  # the webhook
    assert desk.later(0.5) == 0  # not before RETRY_FAILED
    desk.email.failing = False
    assert desk.later(RETRY_FAILED.total_seconds() / 60) == 1
    assert desk.later(1) == 0
    states = desk.channel.tracking.deliveries(str(breach.notification_id))
    assert states == [(1, "email:cs@hbw.example", "sent", 2),
                      (1, "webhook:http://127.0.0.1:9/hook", "sent", 1)]  # fmt: skip


def test_what_is_sent_holds_only_the_notifications_own_fields(desk: Desk) -> None:
    desk.channel.raised(notice())
    desk.channel.send_due()

    [mail] = desk.email.messages
    assert "HBW-202611-0007" in mail.subject and "超时" in mail.subject
    assert "2026-11-23 10:00 (UTC+08:00)" in mail.text  # in the site's zone
    assert set(mail.payload()) == {"notification", "attempt", "subject"}
    assert set(mail.payload()["notification"]) == set(Notification.model_fields)


def test_a_notification_handed_over_long_after_it_was_raised_is_not_sent(desk: Desk) -> None:
    desk.clock.advance(timedelta(minutes=30 * 3 + 1))  # past every attempt it could have had
    desk.channel.raised(notice())

    assert desk.channel.send_due() == 0
    assert desk.channel.tracking.open() == []


def test_a_new_complaint_goes_to_the_cs_assistants_routes_until_she_signs_for_it_R6_3(
    desk: Desk,
) -> None:
    """Her acknowledgement is her receipt (签收): told again each interval until she gives it."""
    received = notice("complaint_received")
    desk.channel.raised(received)

    assert desk.channel.send_due() == 2  # her role's e-mail and webhook
    assert desk.later(30) == 2  # attempt 2, not yet acknowledged
    desk.channel.acknowledged(received.notification_id)
    assert desk.later(30) == 0
    assert "新投诉待处理 new complaint" in desk.email.messages[0].subject
