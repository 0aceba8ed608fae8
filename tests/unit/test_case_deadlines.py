"""A violation case's due dates in escalation (R14.3, R14.4): the latest measure is waited for
until the end of its due date; a later measure or the closing ends the wait; a missed one tells
the case's role once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.escalation.domain.case_deadlines import CaseDeadlines

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)  # the end of 2026-11-25 in Shanghai


def board(role: str = "cs_supervisor") -> CaseDeadlines:
    return CaseDeadlines.open(site="hbw", case_id=uuid4(), client_ref="v-1", role=role, at=AT,
                              correlation_id="corr", causation_id=None)  # fmt: skip


def test_a_missed_due_date_tells_the_cases_role_once() -> None:
    b = board()
    b.measure_due(measure="rectify", due_on="2026-11-25", due_at=DUE, at=AT, causation_id=None)
    assert b.next_due() == DUE and b.decide(DUE - timedelta(seconds=1)) == []
    [notice] = b.decide(DUE)
    assert (notice.role, notice.ticket_no, notice.ticket_id) == (
        "cs_supervisor",
        "v-1",
        b.ticket_id,
    )
    overdue = b.pending_events[-1]
    assert isinstance(overdue, CaseDeadlines.MeasureOverdue) and overdue.key == "rectify:1"
    assert b.next_due() is None and b.decide(DUE + timedelta(days=3)) == []


def test_a_later_measure_or_the_closing_ends_the_wait() -> None:
    b = board("project_manager")
    b.measure_due(measure="persuasion", due_on="2026-11-24", due_at=DUE, at=AT, causation_id=None)
    later = DUE + timedelta(days=5)
    b.measure_due(measure="rectify", due_on="2026-11-30", due_at=later, at=AT, causation_id=None)
    assert b.next_due() == later and b.decide(DUE) == []  # persuasion's wait ended
    b.end_wait("closed", AT, None)
    assert b.next_due() is None and b.decide(later) == []


def test_a_reclassified_case_tells_its_new_role() -> None:
    b = board("cs_supervisor")
    b.measure_due(measure="rectify", due_on="2026-11-25", due_at=DUE, at=AT, causation_id=None)
    b.reassign("project_manager", AT, None)
    [notice] = b.decide(DUE)
    assert notice.role == "project_manager"
