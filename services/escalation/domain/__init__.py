"""Escalation's domain (docs/DOMAIN.md §5, §3), no I/O and no wall clock:

- `ticket_clocks.py` — `TicketClocks` (a ticket's board), the clocks of one ticket and its
  complaint ladder, every decision an event; its jobs, each with its events: `clocks.py` (start,
  stop, pause, resume), `notes.py` (what DESK tells of the ticket), `due.py` (`decide(now)`
  records what has fallen due, once); `ticket_event.py` — what every one of its events carries.
- `clock_run.py` — one run of a clock: counting, pausing, deadlines, how it ended.
- `ladder.py` — the complaint ladder's steps and upgrade.
- `notice.py` — `Notice`, a notification to a role and its acknowledgement, or its end (no longer
  owed: what it is about ended); `told.py` — the notices a board raised that are still owed,
  those the end of what they are about ends.
- `incident_watch.py` — `IncidentWatch`, an emergency event's alerts and its follow-up reminder.
- `order_link.py` — `OrderLink`, which ticket a work order belongs to.
- `ids.py` — deterministic ids, `Cause`, `ClockError`; `topics.py` — the topics older stores name
  the classes by (`services.escalation.domain:Board…`, `….ticket_clocks:Board…`).
"""

from services.escalation.domain.clock_run import clock_key
from services.escalation.domain.ids import (
    SYSTEM,
    Cause,
    ClockError,
    board_id_for,
    notice_id_for,
    order_link_id_for,
)
from services.escalation.domain.incident_watch import IncidentWatch, watch_id_for
from services.escalation.domain.notice import Notice
from services.escalation.domain.order_link import OrderLink
from services.escalation.domain.ticket_clocks import TicketClocks

__all__ = [
    "SYSTEM",
    "Cause",
    "ClockError",
    "IncidentWatch",
    "Notice",
    "OrderLink",
    "TicketClocks",
    "board_id_for",
    "clock_key",
    "notice_id_for",
    "order_link_id_for",
    "watch_id_for",
]
