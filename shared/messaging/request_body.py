"""A request body as bytes off the bus, read into a JSON value within limits (docs/contract.md §2).

The limits keep every request cheap to refuse: whatever its bytes, a request is read in
milliseconds and answered in the contract's shape. They are far above any legitimate body (the
longest, `attach_analysis`, is under 80 KB even with every character escaped as `\\uXXXX`;
tests/unit/test_request_body.py checks each request model against them).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from typing import Any

from shared.messaging.errors import DeskError, invalid

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class BodyLimits:
    bytes: int = 128 * 1024  # NATS carries up to 1 MiB (max_payload); a body needs far less
    depth: int = 32  # objects and arrays nested in each other; requests use 2
    keys: int = 64  # members of one object; the largest request has 12 fields
    number_chars: int = 40  # characters of one number literal (amounts have 10 digits)


LIMITS = BodyLimits()


class _Refused(Exception):
    """Raised inside json.loads' hooks; turned into an `invalid` reply."""


def read_json(raw: bytes | bytearray | str, limits: BodyLimits = LIMITS) -> Any:
    """The JSON value of a request body (an empty body is `{}`), or `invalid` naming `body`."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)
    if len(data) > limits.bytes:
        raise _body(f"the body is {len(data)} bytes; at most {limits.bytes} are read")
    text = _utf8(data.removeprefix(UTF8_BOM))
    if not text.strip():
        return {}
    try:
        value = _decoder(limits).decode(text)
    except _Refused as exc:
        raise _body(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise _body(f"malformed JSON: {exc.msg} at position {exc.pos}") from None
    except RecursionError:  # deeper than the interpreter's own limit, far beyond ours
        raise _too_deep(limits) from None
    _check_shape(value, limits)
    return value


@functools.cache  # one decoder for each limits (its scanner is built once, not per request)
def _decoder(limits: BodyLimits) -> json.JSONDecoder:
    return json.JSONDecoder(
        parse_int=_number(int, limits),
        parse_float=_number(float, limits),
        parse_constant=_not_json,
    )


def _utf8(data: bytes) -> str:
    if b"\x00" in data:  # never in JSON text; every second byte of ASCII in UTF-16
        raise _body("the body is not UTF-8 (it holds NUL bytes: UTF-16 or UTF-32?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise _body(f"the body is not UTF-8 (byte 0x{byte:02x} at {exc.start})") from None


def _number(kind: type, limits: BodyLimits) -> Any:
    def parse(literal: str) -> Any:
        if len(literal) > limits.number_chars:
            raise _Refused(f"a number of {len(literal)} characters; at most {limits.number_chars}")
        value = kind(literal)
        if isinstance(value, float) and not math.isfinite(value):
            raise _Refused(f"the number {literal} is out of range")
        return value

    return parse


def _not_json(literal: str) -> Any:
    raise _Refused(f"{literal} is not JSON")


def _check_shape(value: Any, limits: BodyLimits) -> None:
    """Depth and object size, without recursion (a deep value must not exhaust the stack)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            if len(item) > limits.keys:
                raise _body(f"an object with {len(item)} members; at most {limits.keys}")
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limits.depth:
            raise _too_deep(limits)
        pending.extend((child, depth + 1) for child in children)


def _too_deep(limits: BodyLimits) -> DeskError:
    return _body(f"objects and arrays nested deeper than {limits.depth} levels")


def _body(message: str) -> DeskError:
    return invalid(message, "body")
