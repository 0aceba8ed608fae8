"""What a notification says outside PropDesk: the notification's own fields (site, role, reason,
ticket number, clock or level, due time; an incident's kind, place and when it happened, a
promise's kind, what was promised and its ticket), in the site's words and zone, and of a ticket
its unit and what was said (`Summary`), as DESK published them at report — nothing more. A
notification carries no resident's name or phone and only masked words (what was promised), a
ticket's summary only the masked words DESK carries (R15.1, R15.4): so neither does a message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from services.escalation.domain import TicketClocks
from shared.contracts.escalation_events import Notification
from shared.kernel.local_time import shown
from shared.kernel.text import shortened
from shared.kernel.words import INCIDENT_KINDS, NOTICE_REASONS, PROMISE_KINDS, both
from shared.messaging.publishing import MASK, mask

# what `ticket_no` names (by reason, or by the notification's `about`): a ticket's number, an
# incident's, a violation case's client_ref, a promise's, a notice's number, a shift or a
# special-care resident's file reference (档案编号, R11.10)
_NAMES = {
    "measure_overdue": "违例 case",
    "promise_reminder": "承诺 promise",
    "promise_overdue": "承诺 promise",
    "maintenance_explanation_due": "维修通告 notice",
    "maintenance_restoration_overdue": "维修通告 notice",
    "handover_unsigned": "交接班 shift",
    "care_visit_due": "档案编号 resident file",
}
_ABOUT = {
    "incident": "突发事件 incident",
    "violation_case": "违例 case",
    "resident": "档案编号 resident file",
}
IN_SUBJECT = 30  # of what was promised, in a mail's subject line
SAID = 60  # of what a ticket's reporter said, kept on its board and in a message's text
SAID_IN_SUBJECT = 24  # and in a mail's subject line, after the ticket's number and unit


@dataclass(frozen=True)
class Summary:
    """Where and what a ticket is about, as intake published it on DESK (`ticket.reported`:
    names and phones masked), masked again and cut to SAID by escalation: the ticket's board
    keeps it (`TicketClocks.unit`, `.said`)."""

    unit: str | None
    said: str

    @classmethod
    def of(cls, board: TicketClocks | None) -> Summary | None:
        """The board's; None for a board stored before boards kept it, or none."""
        if board is None or board.said is None:
            return None
        return cls(board.unit, board.said)


def kept(unit: str | None, content: str) -> dict[str, str | None]:
    """What a ticket's board keeps of its `ticket.reported` for its messages (`TicketClocks.open`
    `unit`, `said`): on one line (a mail's subject may hold no line break), masked again, as
    everything escalation sends out is, and cut after masking, so no cut leaves a part of a
    number that masking would no longer recognise."""
    return {"unit": mask(_one_line(unit)), "said": cut(mask(_one_line(content)) or "", SAID)}


def cut(text: str, most: int) -> str:
    """`text` shortened to `most` characters (shared/kernel/text.py), never inside a mask: a
    cut that would keep part of a `***` ends before it."""
    kept = most - 1  # what `shortened` keeps before its "…"
    if len(text) <= most:
        return text
    start = text.rfind(MASK, 0, kept + len(MASK) - 1)  # the last that starts before the cut
    if start != -1 and start < kept < start + len(MASK):
        return text[:start] + "…"
    return shortened(text, most)


def _one_line(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


@dataclass(frozen=True)
class Message:
    notice: Notification
    attempt: int
    subject: str
    text: str
    summary: Summary | None = None  # its ticket's, when it is about one (the board's)

    @property
    def key(self) -> str:
        """The same for every send of one attempt: a receiver drops a repeat by it."""
        return f"{self.notice.notification_id}/{self.attempt}"

    def payload(self) -> dict[str, Any]:
        """The webhook's JSON body."""
        body: dict[str, Any] = {
            "notification": self.notice.model_dump(mode="json"),
            "attempt": self.attempt,
            "subject": self.subject,
        }
        if self.summary is not None:  # where and what, as DESK published them (masked)
            body["ticket"] = {"unit": self.summary.unit, "said": self.summary.said}
        return body


def message(notice: Notification, attempt: int, zone: tzinfo, site_name: str = "",
            summary: Summary | None = None) -> Message:  # fmt: skip
    """`summary`: its ticket's unit and what was said (`Summary.of` its board), when known."""
    reason = both(NOTICE_REASONS, notice.reason)
    again = f" (第{attempt}次 attempt {attempt})" if attempt > 1 else ""
    # one line: a line break typed into what was promised or an incident's place would make
    # every mail fail (a header holds none)
    subject = " ".join(f"[PropDesk {notice.site}] {reason}: {headline(notice, summary)}{again}"
                       .split())  # fmt: skip
    # the department whose supervisor, the zone whose CS assistant is told (R6.3, R1.3)
    department = notice.department.value if notice.department else None
    whom = notice.role.value + "".join(f" ({to})" for to in (department, notice.zone) if to)
    named = _ABOUT.get(notice.about) or _NAMES.get(notice.reason, "工单 ticket")
    lines = [
        f"项目 site: {site_name or notice.site} ({notice.site})",
        f"{named}: {notice.ticket_no}",
        *_ticket_lines(summary),
        *_subject_lines(notice, zone),
        f"事由 reason: {reason}",
        f"通知 to: {whom}" + (f" {notice.staff}" if notice.staff else ""),
    ]
    if notice.clock is not None:
        lines.append(f"时限 clock: {notice.clock.value}")
    if notice.level is not None:
        lines.append(f"级别 level: {notice.level.value}")
    lines += [
        f"到期 due: {shown(notice.due_at, zone)}",
        f"发出 raised: {shown(notice.raised_at, zone)}",
        "",
        "请确认 acknowledge: propdesk notice ack "
        f"{notice.notification_id} --site {notice.site} --staff <工号>",
    ]
    if attempt > 1:
        lines.append(f"未确认, 第{attempt}次发送 not acknowledged: sent again (attempt {attempt})")
    return Message(notice, attempt, subject, "\n".join(lines) + "\n", summary)


def headline(notice: Notification, summary: Summary | None = None) -> str:
    """What the notification is about in a line: an incident's kind and place (R16.5), a
    promise's kind, what was promised and its ticket (R6.15), else the number it names — a
    ticket's with its unit and the start of what was said (R6.3)."""
    if (incident := notice.incident) is not None:
        place = f" · {incident.place}" if incident.place else ""
        return f"{both(INCIDENT_KINDS, incident.kind)}{place} ({notice.ticket_no})"
    if (promise := notice.promise) is not None:
        ticket = f" ({promise.ticket_no})" if promise.ticket_no else ""
        what = shortened(promise.what, IN_SUBJECT)
        return f"{both(PROMISE_KINDS, promise.kind)}: {what}{ticket}"
    said = summary and (summary.unit, cut(summary.said, SAID_IN_SUBJECT))
    what = " ".join(part for part in said or () if part)
    return f"{notice.ticket_no} · {what}" if what else notice.ticket_no


def _ticket_lines(summary: Summary | None) -> list[str]:
    """Where, and what the reporter said (masked, cut to SAID): none when not known."""
    if summary is None:
        return []
    return [f"房号 unit: {summary.unit or '未记录 not recorded'}",
            f"内容 content: {cut(summary.said, SAID)}"]  # fmt: skip


def _subject_lines(notice: Notification, zone: tzinfo) -> list[str]:
    """What happened, where and when, in the site's zone; or what was promised, on which
    ticket (by when is the due line)."""
    if (incident := notice.incident) is not None:
        return [
            f"事件 kind: {both(INCIDENT_KINDS, incident.kind)}",
            f"地点 place: {incident.place or '未记录 not recorded'}",
            f"发生 occurred: {shown(incident.occurred_at, zone)}",
        ]
    if (promise := notice.promise) is not None:
        return [
            f"类型 kind: {both(PROMISE_KINDS, promise.kind)}",
            f"承诺内容 promised: {promise.what}",
            f"工单 ticket: {promise.ticket_no or '无 none'}",
        ]
    return []
