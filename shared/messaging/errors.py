"""The one error type that crosses a service boundary, mapped to the contract's error reply; and
the start an operator must fix before it can succeed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing import persistence
from nats.errors import Error as NatsError
from pydantic import ValidationError

from shared.contracts.replies import Error, ErrorCode, ErrorReply, FieldError
from shared.kernel.refusals import RuleError, TransitionError
from shared.kernel.text import shortened

# An error reply stays small whatever the request held (docs/contract.md §3): a message may quote
# a value, and a body may break many fields at once.
MAX_FIELD_ERRORS = 20  # field problems listed
MAX_MESSAGE = 2000  # characters of a message


class DeskError(Exception):
    """`trace`: what a refusal records although the command changes nothing (aggregates saved
    before the reply), e.g. intake's audit of a refused look at contact details (R15.2)."""

    def __init__(
        self, code: ErrorCode, message: str, fields: list[FieldError] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or []
        self.trace: list[Any] = []

    def reply(self) -> ErrorReply:
        return ErrorReply(
            error=Error(
                code=self.code,
                message=_cut(self.message),
                fields=[
                    f.model_copy(update={"field": _cut(f.field), "message": _cut(f.message)})
                    for f in self.fields[:MAX_FIELD_ERRORS]
                ],
            )
        )


class StartRefused(RuntimeError):
    """A service cannot start until an operator acts (a key that cannot read the store):
    `propdesk up`/`serve` exits with EXIT_CODE (sysexits' EX_CONFIG), which the systemd units do
    not restart."""

    EXIT_CODE = 78


class Retryable(Exception):
    """A state that a retry can change (a view being switched, a store being replaced …)."""


# The store or the bus briefly unavailable: locked, full, unreachable, timed out. What a retry
# can change; anything else an event or a request causes will fail again the same way.
_FAULTS: tuple[type[BaseException], ...] = (
    Retryable,
    OSError,
    TimeoutError,
    MemoryError,
    NatsError,
    sqlite3.OperationalError,
    sqlite3.InterfaceError,
    sqlite3.InternalError,
    persistence.OperationalError,
    persistence.InterfaceError,
    persistence.InternalError,
)
# A database that cannot be read at all (corrupt, not a database): the store's trouble, to be
# repaired, never the event's or the request's.
_BROKEN_STORE = (sqlite3.DatabaseError, persistence.DatabaseError, persistence.PersistenceError)


def retryable(exc: BaseException) -> bool:
    """Whether `exc` (or the error it was raised from) is a state a retry can change."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, _FAULTS) or type(current) in _BROKEN_STORE:
            return True
        seen.add(id(current))
        current = current.__cause__
    return False


def invalid(message: str, field: str | None = None) -> DeskError:
    """A service's own rule broken, on its `field`: no pydantic type."""
    fields = [FieldError(field=field, message=message)] if field else None
    return DeskError(ErrorCode.invalid, message, fields)


def not_found(what: str) -> DeskError:
    return DeskError(ErrorCode.not_found, f"{what} not found")


def conflict(message: str) -> DeskError:
    return DeskError(ErrorCode.conflict, message)


def forbidden(message: str) -> DeskError:
    return DeskError(ErrorCode.forbidden, message)


def from_validation(exc: ValidationError, known_fields: Iterable[str] = ()) -> DeskError:
    """Field errors in the contract's shape, each with pydantic's error type and its context, so
    that a client says the check in its own words (docs/contract.md §3). A whole-model rule
    names its field first in its message ("help_category … is required …"), so that field is
    reported rather than "body"."""
    known = set(known_fields)
    fields = []
    for err in exc.errors(include_url=False):
        message = err["msg"].removeprefix("Value error, ")
        path = ".".join(str(p) for p in err["loc"])
        if not path:
            first = message.split(" ", 1)[0]
            path = first if first.split(".")[0] in known else "body"
        fields.append(FieldError(field=path, message=message, type=err["type"], ctx=_context(err)))
    summary = "; ".join(
        f"{f.field}: {f.message}" if f.field != "body" else f.message
        for f in fields[:MAX_FIELD_ERRORS]
    )
    if len(fields) > MAX_FIELD_ERRORS:
        summary += f"; and {len(fields) - MAX_FIELD_ERRORS} more"
    return DeskError(ErrorCode.invalid, f"invalid command: {summary}", fields)


def _context(err: Any) -> dict[str, str | int | float | bool]:
    """pydantic's context of a check as JSON scalars: its numbers stay numbers, anything else
    (its choices, a date, a Decimal) is text, cut like a message; a validator's exception is
    left out (its words are the message)."""
    return {
        key: value if isinstance(value, int | float) else _cut(str(value))
        for key, value in (err.get("ctx") or {}).items()
        if not isinstance(value, BaseException)
    }


def _cut(text: str) -> str:
    return shortened(text, MAX_MESSAGE)


@contextmanager
def as_reply() -> Iterator[None]:
    """What a domain refuses, as the contract's error: a step its status does not allow is a
    `conflict`, a broken rule is `invalid` on its field."""
    try:
        yield
    except TransitionError as exc:
        raise conflict(str(exc)) from None
    except RuleError as exc:
        raise invalid(str(exc), exc.field) from None
