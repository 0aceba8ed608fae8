"""An event's subject is spelled in one place (shared/messaging/subjects.py, issue 12): what a
service publishes on, the patterns consumers and grants filter with, and what is read back off a
subject all agree."""

from __future__ import annotations

import pytest

from shared.contracts.events import EVENT_TYPES
from shared.messaging import subjects


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_an_event_type_is_read_back_off_the_subject_it_is_published_on(event_type: str) -> None:
    subject = subjects.event("hbw", event_type)

    assert subject == f"desk.evt.hbw.{event_type}"
    assert subjects.event_type_of(subject) == event_type
    assert subjects.site_of(subject) == "hbw"
    assert subjects.event_type_of(subjects.event_pattern(event_type)) == event_type


def test_patterns_over_sites_and_types() -> None:
    assert subjects.event_pattern("ticket.>") == "desk.evt.*.ticket.>"
    assert subjects.event_pattern("ticket.reported", site="hbw") == "desk.evt.hbw.ticket.reported"
    assert subjects.site_events("hbw") == "desk.evt.hbw.>"
    assert subjects.EVENTS_ALL == "desk.evt.>"


@pytest.mark.parametrize(
    "subject", ["", "desk.evt.hbw", "desk.cmd.hbw.intake.report", "desk.ntf.hbw.manager", "x.y.z.w"]
)
def test_a_subject_that_is_no_event_carries_no_event_type(subject: str) -> None:
    assert subjects.event_type_of(subject) == ""
