"""Request/reply plumbing of every service: parse, validate, answer; never leak a traceback."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import uuid4

from pydantic import BaseModel, ValidationError

from shared.contracts.replies import ErrorCode
from shared.kernel.personal import looks_personal
from shared.logging import get_logger
from shared.messaging.errors import DeskError, from_validation, invalid, retryable
from shared.messaging.request_body import read_json
from shared.messaging.subjects import is_valid_site, site_of

log = get_logger("rpc")

M = TypeVar("M", bound=BaseModel)

CORRELATION_HEADERS = ("Correlation-Id", "correlation_id")


def parse_body(model: type[M], body: Any) -> M:
    """Validate a request body: bytes off the bus (read within the limits of
    shared/messaging/request_body.py) or an already decoded value; anything but a JSON object
    fails."""
    if isinstance(body, bytes | bytearray | str):
        body = read_json(body)
    if not isinstance(body, dict):
        raise invalid("the request body must be a JSON object", "body")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise from_validation(exc, model.model_fields) from None


async def raw_body(message: Any) -> bytes:
    """FastStream's decoder for every service: the body's bytes as they came, so that
    parse_body reads them (FastStream's own decoder would raise before any handler runs on
    JSON nested too deep or a number too long, and would read UTF-16). A coroutine: FastStream
    would run a plain function in a thread."""
    return bytes(message.body)


def request_site(subject: str) -> str:
    site = site_of(subject)
    if not is_valid_site(site):
        raise invalid(f"invalid site id {site!r} in subject", "site")
    if kind := looks_personal(site):  # the site is in every event's envelope (R15.4)
        raise invalid(f"the site id looks like {kind}: it is published, no personal data", "site")
    return site


def correlation_id(headers: dict[str, str] | None, fallback: str | None) -> str:
    """The header's correlation id, else the command_id, else a new one. It is published in
    every event the command causes, so a header that looks like personal data is refused."""
    for key in CORRELATION_HEADERS:
        value = (headers or {}).get(key)
        if value:
            if kind := looks_personal(value[:128]):
                message = f"looks like {kind}: it is published, so no personal data (R15.4)"
                raise invalid(f"invalid header {key}: {message}", key)
            return value[:128]
    return fallback or str(uuid4())


async def answer(call: Callable[[], Awaitable[BaseModel | dict[str, Any]]], subject: str) -> dict:
    """Run a request handler and turn every outcome into a contract reply."""
    try:
        result = await call()
    except DeskError as exc:
        return exc.reply().model_dump(mode="json")
    except Exception as exc:
        log.exception("request.failed", subject=subject)
        return _unforeseen(exc).reply().model_dump(mode="json")
    return result if isinstance(result, dict) else result.model_dump(mode="json")


def _unforeseen(exc: Exception) -> DeskError:
    """An error no handler turned into a reply: `unavailable` only when a retry can change it
    (the store or the bus briefly away); anything else (a date out of range, a number too
    large …) fails again on the same request, so it is `invalid`, not worth retrying."""
    if retryable(exc):
        return DeskError(ErrorCode.unavailable, "the service could not complete the request; retry")
    why = f"{type(exc).__name__}: {exc}"[:200]
    return DeskError(
        ErrorCode.invalid, f"the service cannot carry out this request ({why}); retrying fails too"
    )
