"""A request body is read within documented limits (docs/contract.md §2), and no legitimate body
comes near them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.contracts import commands as intake_commands
from shared.contracts.replies import FieldError
from shared.messaging.errors import DeskError, invalid
from shared.messaging.request_body import LIMITS, read_json
from shared.messaging.rpc import parse_body
from tests.served import served_requests


def refusal(raw: bytes) -> str:
    """The message of the `invalid` error naming `body` that reading `raw` raises."""
    with pytest.raises(DeskError) as caught:
        read_json(raw)
    assert caught.value.code == "invalid"
    assert [f.field for f in caught.value.fields] == ["body"]
    return caught.value.message


def nested(depth: int) -> bytes:
    return b'{"a":' * (depth - 1) + b"[]" + b"}" * (depth - 1)


def test_nesting_is_read_up_to_the_limit_and_refused_beyond() -> None:
    assert read_json(nested(LIMITS.depth))
    assert "nested deeper than 32 levels" in refusal(nested(LIMITS.depth + 1))
    assert "nested deeper" in refusal(b"[" * 60_000 + b"]" * 60_000)  # past Python's own limit


def test_numbers_are_read_up_to_the_limit_and_refused_beyond() -> None:
    longest = "1" * LIMITS.number_chars
    assert read_json(f'{{"n": {longest}}}'.encode()) == {"n": int(longest)}
    assert read_json(b'{"n": -12345678.90}') == {"n": -12345678.90}
    assert "41 characters" in refusal(f'{{"n": {longest}1}}'.encode())
    assert "out of range" in refusal(b'{"n": 1e999}')
    for constant in (b"NaN", b"Infinity", b"-Infinity"):  # Python reads them; JSON has none
        assert "is not JSON" in refusal(b'{"n": ' + constant + b"}")


def test_objects_are_read_up_to_the_limit_of_members_and_refused_beyond() -> None:
    members = {f"k{i}": i for i in range(LIMITS.keys)}
    assert read_json(json.dumps(members).encode()) == members
    assert "65 members" in refusal(json.dumps(members | {"one": "more"}).encode())


def test_a_body_is_read_up_to_its_size_limit_and_refused_beyond() -> None:
    filler = LIMITS.bytes - len(b'{"a": ""}')
    exactly = b'{"a": "' + b"x" * filler + b'"}'
    assert len(read_json(exactly)["a"]) == filler
    assert f"{LIMITS.bytes + 1} bytes" in refusal(exactly + b" ")


def test_a_body_must_be_utf8() -> None:
    content = {"content": "楼上装修噪音太大"}
    body = json.dumps(content, ensure_ascii=False)
    assert read_json(body.encode()) == content
    # a UTF-8 byte order mark is allowed (RFC 8259, section 8.1), as Windows tools write one
    assert read_json(b"\xef\xbb\xbf" + body.encode()) == content
    for encoding in ("utf-16", "utf-16-be", "utf-32", "gbk"):
        assert "not UTF-8" in refusal(body.encode(encoding))


def test_a_byte_that_is_not_utf8_is_refused_not_replaced() -> None:
    # Read with "replace", this report used to be accepted with U+FFFD in its content.
    body = json.dumps(_report(), ensure_ascii=False).encode().replace("噪".encode(), b"\xff")
    at = body.index(b"\xff")
    with pytest.raises(DeskError) as caught:
        parse_body(intake_commands.ReportContact, body)
    [field] = caught.value.fields
    assert (field.field, field.message) == ("body", f"the body is not UTF-8 (byte 0xff at {at})")


def test_an_empty_body_is_an_empty_object() -> None:
    assert read_json(b"") == {}
    assert read_json(b" \n\t") == {}


def test_an_error_reply_stays_small_whatever_it_reports() -> None:
    error = invalid("x" * 1_000_000, "content")
    error.fields += [
        FieldError(field=f"k{i}", message="Extra inputs are not permitted", type="extra_forbidden")
        for i in range(20_000)
    ]

    reply = json.dumps(error.reply().model_dump(mode="json"))

    assert len(reply) < 10_000


def test_the_longest_legitimate_body_of_every_request_is_read() -> None:
    """Worst case: every string at its maximum length, every character escaped as a surrogate
    pair (`\\ud83d\\ude00`, 12 bytes), as a client's default json.dumps writes emoji."""
    for served in served_requests():
        schema = served.model.model_json_schema()
        size, depth, keys = _bounds(schema, schema.get("$defs", {}))
        where = f"{served.address} ({served.model.__name__})"
        assert size <= LIMITS.bytes, f"{where}: up to {size} bytes"
        assert depth <= LIMITS.depth, where
        assert keys <= LIMITS.keys, where


def test_the_longest_month_analysis_in_emoji_is_read() -> None:
    """The largest request today, concretely: three texts of 2,000 emoji each."""
    body = {"staff_id": "HB-M01", "command_id": "c" * 64, "month": "2026-10"}
    body |= {field: "😀" * 2000 for field in ("cause", "lessons", "actions")}
    raw = json.dumps(body).encode()  # ensure_ascii: 12 bytes an emoji
    assert len(raw) > 64 * 1024

    assert parse_body(intake_commands.AttachMonthAnalysis, raw).cause == "😀" * 2000


# Strings without a declared length (a pattern, a format, an enum, a decimal) are short.
SHORT = 64


def _bounds(schema: dict[str, Any], defs: dict[str, Any]) -> tuple[int, int, int]:
    """(bytes, depth, most members of one object) of the largest body `schema` allows."""
    if "$ref" in schema:
        return _bounds(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [_bounds(option, defs) for option in schema[key]]
            return tuple(max(values) for values in zip(*options, strict=True))  # type: ignore[return-value]
    kind = schema.get("type")
    if kind == "object":
        members = [(name, _bounds(p, defs)) for name, p in schema.get("properties", {}).items()]
        size = 2 + sum(len(name) + 4 + b[0] for name, b in members)
        depth = 1 + max((b[1] for _, b in members), default=0)
        keys = max([len(members), *(b[2] for _, b in members)])
        return size, depth, keys
    if kind == "array":
        assert "maxItems" in schema, f"an array without maxItems: {schema}"
        size, depth, keys = _bounds(schema["items"], defs)
        return 2 + schema["maxItems"] * (size + 1), depth + 1, keys
    if kind == "string":
        return 2 + 12 * schema.get("maxLength", SHORT), 0, 0
    return LIMITS.number_chars, 0, 0  # numbers, booleans, null


def _report() -> dict[str, Any]:
    return {
        "client_ref": "r-1",
        "channel": "visit",
        "kind": "complaint",
        "category": "noise",
        "content": "楼上装修噪音太大",
        "staff_id": "S01",
    }
