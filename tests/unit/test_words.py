"""The words people read for the domain's values are one table (shared/kernel/words.py): a value
added to an enum or to a notification's reasons without its words fails here, and the console,
the notification mail and the report files say each value in that table's words."""

from __future__ import annotations

from enum import StrEnum
from typing import get_args

import pytest

from propdesk.report_files import labels
from services.console.domain.words import word
from shared.contracts.escalation_events import NoticeEnd, Notification
from shared.kernel import words
from shared.kernel.incidents import IncidentKind, IncidentStatus
from shared.kernel.inspection import FINDING_ROUTES
from shared.kernel.promises import PromiseKind
from shared.kernel.violations import Measure, ViolationClass
from shared.kernel.vocabulary import (
    DEFAULT_CATEGORIES,
    Channel,
    ClockName,
    Department,
    Kind,
    Role,
    Severity,
    TicketStatus,
    Validity,
)

TABLES: list[tuple[type[StrEnum], words.Words]] = [
    (Channel, words.CHANNELS), (Kind, words.KINDS), (TicketStatus, words.STATUSES),
    (Validity, words.VALIDITY), (Severity, words.SEVERITY), (Role, words.ROLES),
    (Department, words.DEPARTMENTS), (ClockName, words.CLOCKS),
    (IncidentKind, words.INCIDENT_KINDS), (IncidentStatus, words.INCIDENT_STATUSES),
    (PromiseKind, words.PROMISE_KINDS), (ViolationClass, words.VIOLATION_CLASSES),
    (Measure, words.MEASURES),
]  # fmt: skip


@pytest.mark.parametrize(("values", "table"), TABLES, ids=[e.__name__ for e, _ in TABLES])
def test_every_value_of_a_vocabulary_has_its_chinese_and_english(
    values: type[StrEnum], table: words.Words
) -> None:
    assert set(table) == {value.value for value in values}
    assert all(zh and en for zh, en in table.values())


def test_every_reason_a_notification_gives_has_its_words() -> None:
    reasons = get_args(Notification.model_fields["reason"].annotation)
    assert set(words.NOTICE_REASONS) == set(reasons)


def test_every_end_a_notification_is_given_has_its_words_R6_3() -> None:
    assert set(words.NOTICE_ENDS) == set(get_args(NoticeEnd))
    assert all(zh and en for zh, en in words.NOTICE_ENDS.values())


def test_every_route_a_finding_takes_has_its_words_R13_15b() -> None:
    routes = {route.routed_to for route in FINDING_ROUTES.values()} | {"fixed_on_spot"}
    assert set(words.ROUTED) == routes


def test_every_default_category_has_its_words() -> None:
    assert set(DEFAULT_CATEGORIES) <= set(words.CATEGORIES)


def test_the_console_the_mail_and_the_report_files_say_a_value_in_the_one_table_s_words() -> None:
    assert word("incident_kind", "lift_entrapment") == "电梯困人"
    assert word("notice_reason", "promise_overdue") == "承诺逾期未兑现"  # docs/NOTIFICATIONS.md
    assert word("channel", "letter") == "信访"  # R2.2
    assert labels.label(labels.INCIDENT_KINDS, "lift_entrapment") == "电梯困人 Lift entrapment"
    assert labels.label(labels.CHANNELS, "letter") == "信访 Letter"
    assert labels.label(labels.SEVERITY, "minor") == "轻微 Minor"  # R5.3, not 一般
    assert labels.label(labels.VALIDITY, "communicative") == "沟通性投诉 Communicative"  # R5.6
    assert labels.english(labels.CLOCKS, "order_collected_household") == (
        "Order collected (household)"
    )
    assert labels.label(labels.CLOCKS, "order_collected_household").startswith("住户报修接单 ")
    assert labels.label(labels.LEVELS, "gm_office") == "总经理办公会 GM office meeting"
    assert labels.label(words.ROUTED, "fixed_on_spot") == "现场整改 Fixed on the spot"
