"""How the console's pages are written: Jinja2 with autoescaping everywhere (content typed by
residents is escaped on every page), the Chinese words, times in the site's zone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.console.domain.notice_state import ended_said, waiting
from services.console.domain.screens import may_acknowledge
from services.console.domain.words import SCORES, word
from shared.kernel.local_time import offset_label, shown

TEMPLATES = Path(__file__).parents[1] / "templates"


def time_left(due: str | datetime | None, now: datetime) -> str:
    """How long until `due` (剩余 …), or how long past it (已超时 …)."""
    if not due:
        return ""
    moment = datetime.fromisoformat(due) if isinstance(due, str) else due
    seconds = int((moment - now).total_seconds())
    minutes = abs(seconds) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    # 3天, 2小时, 1天2小时5分: no 0分 after a whole day or hour, 0分 only when nothing is left
    span = (f"{days}天" if days else "") + (f"{hours}小时" if hours else "")
    span += f"{mins}分" if mins or not span else ""
    return f"剩余 {span}" if seconds >= 0 else f"已超时 {span}"


def _card(notification: dict[str, Any]) -> str:
    """A resident's card on 住户档案: a notice names her by id and `resident_ref` (its
    `ticket_no`), which the page looks up by (R11.10)."""
    ref = quote(str(notification.get("ticket_no") or ""))
    return f"/residents?ref={ref}#care-{ref}" if ref else "/residents"


# where a notification's subject is shown, by what it names (`about`, contract.md section 20.4)
_SUBJECT_PAGES = {
    "incident": lambda n: f"/incidents/{n['ticket_no']}",
    "violation_case": lambda n: f"/violations/{n['ticket_id']}",
    "promise": lambda n: "/promises",
    "maintenance": lambda n: f"/announcements#n-{n['ticket_no']}",
    "shift": lambda n: "/shifts",
    "resident": lambda n: _card(n),  # a visit due (R11.10): her card, where it is recorded
}
# older notifications (`about` "ticket" for all of these) name their subject by their reason only
_REASON_PAGES = {
    "handover_unsigned": lambda n: "/shifts",
    "care_visit_due": lambda n: _card(n),
    "measure_overdue": lambda n: f"/violations/{n['ticket_id']}",
}


def subject_page(notification: dict[str, Any]) -> str:
    """The page of what a notification is about: a ticket, an incident, a case, a promise, a
    maintenance notice, a shift's log or the resident file."""
    page = _SUBJECT_PAGES.get(notification.get("about") or "ticket") or _REASON_PAGES.get(
        notification.get("reason") or ""
    )
    return page(notification) if page else f"/tickets/{notification['ticket_id']}"


# what a notification names when its number is a desk token, not one people read out
_SUBJECT_WORDS = {"promise": "承诺回复", "violation_case": "违例案件", "shift": "交接班"}
_REASON_WORDS = {"measure_overdue": "违例案件", "handover_unsigned": "交接班"}


def subject_label(notification: dict[str, Any]) -> str:
    """A notification's subject as the notices page shows it: a ticket's, an incident's or a
    notice's number; a promise or a violation case by what it is (their refs are desk tokens);
    an unsigned shift by its start."""
    about = notification.get("about") or ""
    word_ = _SUBJECT_WORDS.get(about) or _REASON_WORDS.get(notification.get("reason") or "")
    number = str(notification.get("ticket_no") or "")
    if word_ == "交接班":
        return f"交接班 {number.replace('T', ' ')}"
    return word_ or number


def clock_named(key: str) -> str:
    """A clock's key as the desk reads it: its name, and the order it times by its suffix
    (`order_collected_household:HBW-202611-0001-W1` → 住户报修接单（W1）)."""
    name, _, order_no = key.partition(":")
    suffix = order_no.rsplit("-", 1)[-1] if order_no else ""
    return word("clock", name) + (f"（{suffix}）" if suffix else "")


def case_no(case: dict[str, Any], seen: str) -> str:
    """A violation case as people name it: the day it was seen, `seen` being its time shown in
    the site's zone (`t(case.observed_at)`: the stored time is UTC), and the head of its id
    (违例-20261203-55AD). Its client_ref is the desk form's token or a round finding's path,
    nothing to read out on the phone."""
    day = seen[:10].replace("-", "")
    return f"违例-{day}-{str(case.get('case_id') or '')[:4].upper()}"


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["w"] = lambda value, vocabulary: word(vocabulary, value)
    env.filters["subject_page"] = subject_page
    env.filters["case_no"] = case_no
    env.filters["clock_named"] = clock_named
    env.filters["subject_label"] = subject_label
    env.globals["may_acknowledge"] = may_acknowledge
    env.globals["waiting"] = waiting  # 通知: drawn as waiting (R6.3: not once it ended)
    env.filters["ended_said"] = ended_said
    env.globals["scores"] = tuple(SCORES.items())
    return env


def window(appointment: dict[str, str] | None, zone: ZoneInfo | None) -> str:
    """An appointment as a technician reads it: "2026-11-23 10:00–12:00 (UTC+08:00)" within
    one day of the site's zone, both ends in full otherwise ("" for none)."""
    if not appointment or not appointment.get("start"):
        return ""
    start, end = (datetime.fromisoformat(appointment[k]).astimezone(zone) for k in ("start", "end"))
    if start.date() != end.date():
        return f"{shown(start, zone)} – {shown(end, zone)}"
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} ({offset_label(start)})"


def local(zone: ZoneInfo) -> Any:
    """The filter that shows a time in the site's zone ("" for none)."""
    return lambda when: shown(when, zone) if when else ""
