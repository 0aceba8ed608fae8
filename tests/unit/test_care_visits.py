"""A special-care resident's visits (R11.10; docs/RESIDENTS.md): escalation's board waits for
the next visit within the site's interval and tells the visiting role once when it passes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.escalation.adapters.translate import translate
from services.escalation.domain.care_visits import CareVisits
from shared.contracts.escalation_events import notification_of

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
DUE = AT + timedelta(days=30)


def board() -> CareVisits:
    visits = CareVisits.open(site="hbw", resident_id=uuid4(), resident_ref="HBW-0001", at=AT,
                             correlation_id="c-1", causation_id=None)  # fmt: skip
    visits.visit_due(due_at=DUE, role="cs_assistant", at=AT, causation_id=None)
    return visits


def test_a_visit_missed_tells_the_visiting_role_once_R11_10() -> None:
    visits = board()
    assert visits.next_due() == DUE and visits.decide(DUE - timedelta(seconds=1)) == []
    (notice,) = visits.decide(DUE)
    assert notice.role == "cs_assistant" and visits.decide(DUE + timedelta(days=1)) == []
    overdue = visits.collect_events()[-1]
    published = translate(overdue)
    assert published is not None and published.event_type == "escalation.care_visit_due"
    told = notification_of(published)
    assert told is not None and told.reason == "care_visit_due" and told.ticket_no == "HBW-0001"
    assert told.about == "resident"  # its ticket_id and ticket_no are the resident's


def test_a_visit_starts_the_wait_again_and_the_flag_cleared_ends_it_R11_10() -> None:
    visits = board()
    later = DUE + timedelta(days=20)
    visits.visit_due(due_at=later, role="cs_assistant", at=AT + timedelta(days=20),
                     causation_id=None)  # fmt: skip
    assert visits.decide(DUE) == [] and visits.next_due() == later
    visits.end_wait("not_needed", AT, None)
    assert visits.next_due() is None and visits.decide(later) == []
