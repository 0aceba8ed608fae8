"""The clock rules are stated once, as data (services/escalation/application/policy.py
TRIGGERS): the document site managers read is written from them, and every clock has an event
that starts and one that stops it."""

from __future__ import annotations

import pytest

from services.escalation.adapters import clock_doc
from services.escalation.application.clock_vocabulary import ByScope, Start, Stop
from services.escalation.application.policy import TRIGGERS
from services.escalation.application.reactions import REACTIONS
from shared.kernel.sla import DEFAULT_CLOCKS
from shared.kernel.staff import REPORTS_TO
from shared.kernel.vocabulary import LADDER, ClockName, Role


@pytest.mark.parametrize("table", clock_doc.TABLES)
def test_the_service_levels_document_shows_the_rules_the_service_runs(table: str) -> None:
    text = clock_doc.DOCUMENT.read_text(encoding="utf-8")
    assert clock_doc.in_document(text, table) == clock_doc.generated(table), (
        "docs/SERVICE-LEVELS.md disagrees with TRIGGERS: "
        "python -m services.escalation.adapters.clock_doc"
    )


def test_every_event_with_clock_rules_is_one_escalation_reacts_to() -> None:
    assert set(TRIGGERS) <= set(REACTIONS)


def _names(clocks: tuple[ClockName | ByScope, ...]) -> set[ClockName]:
    return {name for c in clocks for name in (c if isinstance(c, ByScope) else (c,))}


def test_every_clock_starts_and_stops_on_some_event() -> None:
    started: set[ClockName] = set()
    stopped: set[ClockName] = set()
    for actions in TRIGGERS.values():
        for action in actions:
            if isinstance(action, Start):
                started |= _names((action.clock,))
            elif isinstance(action, Stop) and not action.cancelled:
                stopped |= _names(action.clocks) if action.clocks else set(ClockName)
    assert started == set(DEFAULT_CLOCKS) == set(ClockName)
    assert stopped == set(ClockName)


def test_the_complaint_ladder_climbs_the_chain_of_command() -> None:
    """The ladder's order is written once (Level); the staff's chain (who answers for whom,
    shared/kernel/staff.py) must agree with it, or an acknowledgement would skip a level."""
    holders = [Role(holder) for holder in LADDER]
    assert [REPORTS_TO[lower] for lower in holders[:-1]] == holders[1:]
    assert holders[-1] not in REPORTS_TO
