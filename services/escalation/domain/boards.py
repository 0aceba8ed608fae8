"""What falls due in escalation: the boards the schedule indexes and `tick` decides. Each has
`next_due()`; each but `IncidentWatch` and `NoticeWatch` (whose reminders application/incidents.py
and maintenance.py send) has `decide(now)`, returning the notices it raised. A new kind of
deadline is a board added here."""

from __future__ import annotations

from services.escalation.domain.care_visits import CareVisits
from services.escalation.domain.case_deadlines import CaseDeadlines
from services.escalation.domain.handover_watch import HandoverWatch
from services.escalation.domain.incident_watch import IncidentWatch
from services.escalation.domain.notice_watch import NoticeWatch
from services.escalation.domain.promise_watch import PromiseWatch
from services.escalation.domain.ticket_clocks import TicketClocks

BOARDS = (
    TicketClocks,
    IncidentWatch,
    CaseDeadlines,
    PromiseWatch,
    NoticeWatch,
    HandoverWatch,
    CareVisits,
)
Board = (
    TicketClocks
    | IncidentWatch
    | CaseDeadlines
    | PromiseWatch
    | NoticeWatch
    | HandoverWatch
    | CareVisits
)
# the stored events of a board (old topics resolve to these classes too)
BOARD_EVENTS = tuple(board.Event for board in BOARDS)
