"""Validation at the edge (issue 11): every time a request accepts lies in the years 1970–2999,
every number fits what it is stored in, and "unavailable, retry" is answered only for what a
retry can change. A year-9999 appointment, once accepted, stopped escalation for every site."""

from __future__ import annotations

import asyncio
import sqlite3
import typing
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from annotated_types import Le, Lt
from eventsourcing.persistence import OperationalError
from pydantic import AwareDatetime, BaseModel

from propdesk.runtime import SERVICES
from services.reporting.queries.tickets import _cursor
from shared.contracts import commands as intake_commands
from shared.contracts import dispatch_commands, escalation_commands
from shared.contracts.base import MAX_INT64, in_years
from shared.contracts.events import parse_event
from shared.contracts.replies import ErrorCode
from shared.kernel.clock import SimulatedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.errors import DeskError, Retryable
from shared.messaging.rpc import answer, parse_body

TICKET = "6eb79cef-3d22-5d13-9c6b-cb0aca089d27"
STAFF = {"staff_id": "S017"}


def request_models() -> dict[str, type[BaseModel]]:
    """Every request body a service accepts, by subject, as its router declares it."""
    found = {}
    clock = SimulatedClock(datetime(2026, 1, 1, tzinfo=UTC))
    for service in SERVICES.values():
        for sub in service(Settings(), clock, SiteDirectory(strict=False)).router().subscribers:
            handler = sub.calls[0].handler._original_call
            found[str(sub.subject.broker_address)] = handler.__annotations__["body"]
    return found


def leaves(annotation: Any, metadata: list[Any], path: str) -> typing.Iterator[tuple]:
    """(path, type, metadata) of every scalar a model's field can hold."""
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *more = typing.get_args(annotation)
        yield from leaves(inner, [*metadata, *more], path)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            yield from leaves(field.annotation, list(field.metadata), f"{path}.{name}")
    elif typing.get_args(annotation):
        for arg in typing.get_args(annotation):
            yield from leaves(arg, metadata if arg is not type(None) else [], path)
    else:
        yield path, annotation, metadata


def test_every_time_and_number_a_request_accepts_is_bounded() -> None:
    models = request_models()
    assert "desk.cmd.*.dispatch.issue" in models and "desk.sim.clock.set" in models
    unbounded, checked = [], []
    for subject, model in models.items():
        for path, kind, metadata in leaves(model, [], subject):
            checked.append(kind)
            if kind in (datetime, AwareDatetime):
                bounded = any(getattr(m, "func", None) is in_years for m in metadata)
            elif kind is int:
                bounded = any(isinstance(m, Le | Lt) for m in metadata)
            elif kind is Decimal:
                bounded = any(getattr(m, "max_digits", None) for m in metadata)
            else:
                continue
            if not bounded:
                unbounded.append(path)
    assert unbounded == []
    assert checked.count(AwareDatetime) >= 10 and checked.count(Decimal) == 2  # found them


# -- times ----------------------------------------------------------------------------------

REPORT = {**STAFF, "client_ref": "desk-1", "channel": "visit", "kind": "repair",
          "reporter": {"name": "张三", "room": "3-1201"}, "content": "厨房水管漏水"}  # fmt: skip
ORDER = {**STAFF, "work_order_id": TICKET}
# (model, body without the time, the field that takes it)
TIMES = [
    (intake_commands.ReportContact, REPORT, "received_at"),
    (
        intake_commands.LinkContact,
        {**STAFF, "ticket_id": TICKET, "channel": "visit", "content": "又漏了"},
        "received_at",
    ),
    (intake_commands.GetTicket, {"ticket_id": TICKET}, "as_of"),
    (escalation_commands.SetClock, {}, "now"),
]  # fmt: skip
WINDOWS = [
    (intake_commands.ReportContact, REPORT),
    (dispatch_commands.IssueWorkOrder, {**STAFF, "ticket_id": TICKET, "reason": "上门查看"}),
    (dispatch_commands.Reschedule, ORDER),
]


def named(value: Any) -> str:
    return getattr(value, "__name__", "")


INSIDE = ["1970-01-01T00:00:00Z", "2026-11-23T10:00:00+08:00", "2999-12-31T23:59:59+00:00"]
OUTSIDE = [
    "1969-12-31T23:59:59Z",
    "3000-01-01T00:00:00Z",
    "1970-01-01T08:00:00+14:00",  # 1969 in UTC
    "2999-12-31T20:00:00-12:00",  # 3000 in UTC
    "0001-01-01T00:00:00+14:00",  # no instant at all in UTC
    "9999-12-31T10:00:00+08:00",
]


def refused_field(model: type[BaseModel], body: dict[str, Any]) -> list[str]:
    with pytest.raises(DeskError) as raised:
        parse_body(model, body)
    assert raised.value.code is ErrorCode.invalid
    return [f.field for f in raised.value.fields]


@pytest.mark.parametrize(("model", "body", "field"), TIMES, ids=named)
@pytest.mark.parametrize("when", INSIDE)
def test_a_time_in_the_years_1970_to_2999_is_accepted(model, body, field, when: str) -> None:
    parse_body(model, body | {field: when})


@pytest.mark.parametrize(("model", "body", "field"), TIMES, ids=named)
@pytest.mark.parametrize("when", OUTSIDE)
def test_a_time_outside_the_years_1970_to_2999_is_invalid(model, body, field, when: str) -> None:
    assert refused_field(model, body | {field: when}) == [field]


@pytest.mark.parametrize(("model", "body"), WINDOWS, ids=named)
@pytest.mark.parametrize(
    ("start", "end", "fields"),
    [
        ("1970-01-01T00:00:00Z", "1970-01-01T02:00:00Z", []),
        ("2999-12-31T20:00:00Z", "2999-12-31T23:00:00Z", []),
        ("1969-12-31T23:00:00Z", "1970-01-01T01:00:00Z", ["appointment.start"]),
        ("2999-12-31T23:00:00Z", "3000-01-01T01:00:00Z", ["appointment.end"]),
        ("9999-12-31T10:00:00+08:00", "9999-12-31T12:00:00+08:00",
         ["appointment.start", "appointment.end"]),
    ],
)  # fmt: skip
def test_an_appointment_lies_in_the_years_1970_to_2999(model, body, start, end, fields) -> None:
    request = body | {"appointment": {"start": start, "end": end}}
    if fields:
        assert refused_field(model, request) == fields
    else:
        parse_body(model, request)


def test_the_bounds_are_years_as_written_and_in_utc() -> None:
    assert in_years(datetime(2999, 12, 31, 23, tzinfo=UTC))
    with pytest.raises(ValueError, match="1970–2999"):
        in_years(datetime.fromisoformat("0001-01-01T00:00:00+14:00"))


# -- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field"),
    [(dispatch_commands.GiveQuote, "amount"), (dispatch_commands.CompleteOrder, "fee")],
    ids=["quote", "fee"],
)
@pytest.mark.parametrize(
    ("value", "ok"),
    [("99999999.99", True), ("100000000", False), ("NaN", False), ("Infinity", False),
     ("1e400", False), (10**30, False), ("0.001", False)],
)  # fmt: skip
def test_an_amount_fits_ten_digits_with_two_decimals(model, field, value: Any, ok: bool) -> None:
    body = ORDER | {field: value, "items": "换龙头", "notes": "已换", "actual_item": "龙头"}
    body = {k: v for k, v in body.items() if k in model.model_fields}
    if ok:
        parse_body(model, body)
    else:
        assert refused_field(model, body) == [field]


def test_a_version_fits_an_sqlite_integer() -> None:
    at = "2026-11-23T10:00:00+08:00"
    event = {"event_id": TICKET, "event_type": "ticket.resolved", "schema_version": 1,
             "site": "hbw", "aggregate_id": TICKET, "occurred_at": at, "recorded_at": at,
             "correlation_id": "c", "causation_id": None, "actor": "S1",
             "data": {"resolution": "好了"}}  # fmt: skip
    assert parse_event(_json(event | {"aggregate_version": MAX_INT64})).aggregate_version
    with pytest.raises(ValueError, match="aggregate_version"):
        parse_event(_json(event | {"aggregate_version": MAX_INT64 + 1}))


@pytest.mark.parametrize("cursor", ["9" * 30, "１２", "²", "-1"])
def test_a_cursor_that_no_sequence_can_be_is_invalid(cursor: str) -> None:
    with pytest.raises(DeskError) as raised:
        _cursor(cursor)
    assert raised.value.code is ErrorCode.invalid


def _json(value: dict[str, Any]) -> str:
    import json

    return json.dumps(value)


# -- unavailable only for what a retry can change ----------------------------------------------


def _reply_to(exc: Exception) -> dict[str, Any]:
    async def fail() -> dict[str, Any]:
        raise exc

    return asyncio.run(answer(fail, "desk.cmd.hbw.dispatch.issue"))


@pytest.mark.parametrize(
    "exc",
    [OverflowError("date value out of range"), ValueError("year 0 is out of range"),
     RecursionError("maximum recursion depth exceeded"), KeyError("x")],
    ids=repr,
)  # fmt: skip
def test_an_error_that_fails_again_on_the_same_request_is_invalid(exc: Exception) -> None:
    reply = _reply_to(exc)
    assert reply["ok"] is False and reply["error"]["code"] == "invalid", reply
    assert type(exc).__name__ in reply["error"]["message"]


@pytest.mark.parametrize(
    "exc",
    [sqlite3.OperationalError("database is locked"), OperationalError("disk I/O error"),
     OSError(28, "No space left on device"), TimeoutError(), Retryable("switching")],
    ids=repr,
)  # fmt: skip
def test_a_store_briefly_unavailable_is_unavailable_retry(exc: Exception) -> None:
    reply = _reply_to(exc)
    assert reply["error"]["code"] == "unavailable" and "retry" in reply["error"]["message"]
