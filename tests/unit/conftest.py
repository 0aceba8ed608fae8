"""Fixtures shared by the unit tests: a ticket built straight from the aggregate, an intake
application on an in-memory store, and a translator that knows the ticket's reporters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from services.intake.adapters.translate import Translator
from services.intake.application import IntakeApp
from services.intake.domain import Ticket, ticket_id_for
from shared.contracts import commands as intake_commands
from shared.eventstore.desk_app import CommandContext
from shared.kernel.clock import FixedClock
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import DeskError

SITE = "hbw"
T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
META = {"actor": "S017", "correlation_id": "corr-1", "causation_id": None}
REPORTER = {"name": "张三", "phone": "13800138000", "room": "3-1201"}


def _ticket(**overrides: Any) -> Ticket:
    fields: dict[str, Any] = {
        "site": SITE,
        "ticket_no": "HBW-202611-0001",
        "client_ref": "desk-0001",
        "channel": "phone",
        "kind": "repair",
        "category": "plumbing",
        "help_category": None,
        "reporter": dict(REPORTER),
        "content": "厨房水管漏水",
        "received_at": T0,
        "appointment": None,
        **META,
    } | overrides
    ticket_id = ticket_id_for(fields["site"], fields["client_ref"])
    return Ticket.report(ticket_id=ticket_id, at=T0, **fields)


@pytest.fixture
def make_ticket():
    """A freshly reported Ticket (status received); keyword arguments override its fields."""
    return _ticket


@pytest.fixture
def translate():
    """Translate one domain event, masking with the reporters of the tickets given so far."""

    class _Translate:
        def __init__(self) -> None:
            self.reporters: dict[Any, list[dict[str, Any] | None]] = {}
            self._translator = Translator(lambda tid: self.reporters.get(tid, []))

        def __call__(self, event: object):
            if isinstance(event, Ticket.Reported | Ticket.ContactLinked):
                self.reporters.setdefault(event.originator_id, []).append(event.reporter)
            return self._translator(event)

    return _Translate()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def app(clock: FixedClock) -> IntakeApp:
    return IntakeApp(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock, SiteDirectory(strict=False)
    )


@pytest.fixture
def ctx() -> CommandContext:
    return CommandContext(SITE, "corr-1")


@pytest.fixture
def report_cmd():
    """A valid ReportContact; keyword arguments override its fields."""

    def build(**overrides: Any) -> intake_commands.ReportContact:
        body: dict[str, Any] = {
            "staff_id": "S017",
            "client_ref": "desk-0001",
            "channel": "phone",
            "kind": "repair",
            "category": "plumbing",
            "reporter": dict(REPORTER),
            "content": "厨房水管漏水",
        } | overrides
        return intake_commands.ReportContact.model_validate(body)

    return build


def notifications(app: IntakeApp) -> int:
    """How many events the application has recorded so far."""
    return app.recorder.max_notification_id() or 0


def rejected(app: IntakeApp, recorded: Callable[[IntakeApp], int], ctx: CommandContext,
             cmd: Any) -> DeskError:  # fmt: skip
    """Execute a command that must fail and must leave the store untouched."""
    before = recorded(app)
    with pytest.raises(DeskError) as raised:
        app.execute(ctx, cmd)
    assert recorded(app) == before
    return raised.value


def refused(app: IntakeApp, call: Callable[[], Any], code: str) -> str:
    """`call` refused with the error `code`, the application having recorded nothing: the
    refusal's message."""
    before = notifications(app)
    with pytest.raises(DeskError) as caught:
        call()
    assert caught.value.code.value == code
    assert notifications(app) == before  # nothing changed
    return str(caught.value)


@pytest.fixture
def recorded():
    return notifications
