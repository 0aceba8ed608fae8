"""Request bodies a careless or hostile client may send, as hypothesis strategies: random bytes,
random JSON, the body of a request's own model with a field broken, and the shapes of the fault
campaign (deep nesting, huge numbers, many keys, UTF-16, bytes that are not UTF-8, too large)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from shared.messaging.request_body import LIMITS


@dataclass(frozen=True)
class Fuzz:
    kind: str
    raw: bytes
    invalid: bool  # the contract refuses it as `invalid`, whatever the subject

    def __repr__(self) -> str:  # hypothesis prints the falsifying example: keep it short
        return f"Fuzz({self.kind}, {len(self.raw)} bytes, {self.raw[:120]!r})"


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=16,
)


def encode(value: Any, *, ascii_only: bool = True) -> bytes:
    # surrogatepass: a lone surrogate drawn into a text is sent as the bytes a sloppy client sends
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def bodies(model: type[BaseModel]) -> st.SearchStrategy[Fuzz]:
    """Every kind of body for a request whose body is `model`."""
    shaped = _shaped(model)
    return st.one_of(
        st.binary(max_size=300).map(lambda raw: Fuzz("bytes", raw, invalid=False)),
        st.builds(encode, json_values, ascii_only=st.booleans()).map(
            lambda raw: Fuzz("json", raw, invalid=False)
        ),
        _broken(model, shaped),
        st.builds(_deep, shaped, st.integers(LIMITS.depth + 1, 5000), st.sampled_from("[{")),
        st.builds(_huge_number, shaped, st.integers(LIMITS.number_chars + 1, 120_000)),
        st.builds(_many_keys, shaped, st.integers(LIMITS.keys + 1, 25_000)),
        st.builds(_wide, shaped, st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32"])),
        st.builds(_not_utf8, shaped, st.sampled_from(b"\xc0\xc1\xf8\xfe\xff"), st.floats(0, 1)),
        st.builds(_not_json_number, shaped, st.sampled_from(["NaN", "Infinity", "-Infinity"])),
        st.builds(_too_large, shaped, st.integers(LIMITS.bytes + 1, 1_000_000)),
    )


def _deep(body: dict[str, Any], depth: int, bracket: str) -> Fuzz:
    opening, closing = (bracket, "]") if bracket == "[" else ('{"a":', "}")
    nested = opening * depth + ("" if bracket == "[" else "1") + closing * depth
    return Fuzz("deep", _with(body, nested), invalid=True)


def _huge_number(body: dict[str, Any], digits: int) -> Fuzz:
    return Fuzz("huge number", _with(body, "9" * digits), invalid=True)


def _many_keys(body: dict[str, Any], count: int) -> Fuzz:
    return Fuzz("many keys", encode(body | {f"k{i}": i for i in range(count)}), invalid=True)


def _wide(body: dict[str, Any], encoding: str) -> Fuzz:
    return Fuzz(encoding, json.dumps(body, ensure_ascii=False).encode(encoding), invalid=True)


def _not_utf8(body: dict[str, Any], byte: int, where: float) -> Fuzz:
    raw = encode(body, ascii_only=False)
    at = int(where * len(raw))
    return Fuzz("not utf-8", raw[:at] + bytes([byte]) + raw[at:], invalid=True)


def _not_json_number(body: dict[str, Any], literal: str) -> Fuzz:
    return Fuzz("not a JSON number", _with(body, literal), invalid=True)


def _too_large(body: dict[str, Any], size: int) -> Fuzz:
    raw = encode(body | {"padding": ""})
    return Fuzz("too large", raw[:-2] + b"x" * (size - len(raw)) + b'"}', invalid=True)


def _with(body: dict[str, Any], literal: str) -> bytes:
    """`body` with one more member whose value is the raw JSON text `literal`."""
    return encode(body | {"fuzz": None}).replace(b'"fuzz": null', b'"fuzz": ' + literal.encode())


# -- bodies of the request's own shape ---------------------------------------------------------


def _shaped(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Bodies with the model's fields, each value plausible or junk: mostly wrong in places."""
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {name: _value(p, defs) for name, p in properties.items() if name in required},
        optional={name: _value(p, defs) for name, p in properties.items() if name not in required},
    )


def _broken(model: type[BaseModel], shaped: st.SearchStrategy[dict[str, Any]]) -> Any:
    """The model's shape with at least one thing no validation lets pass."""
    assert model.model_config.get("extra") == "forbid", f"{model.__name__} allows unknown fields"
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    properties = schema.get("properties", {})
    required = sorted(schema.get("required", []))
    bounded = sorted(n for n, p in properties.items() if "maxLength" in _resolve(p, defs))

    @st.composite
    def broken(draw: st.DrawFn) -> Fuzz:
        body = draw(shaped)
        ways = ["unknown field"] + ["wrong type"] * bool(properties)  # a request may have no field
        ways += ["missing"] * bool(required) + ["long"] * bool(bounded)
        way = draw(st.sampled_from(ways))
        if way == "unknown field":
            body[draw(st.text(min_size=1, max_size=20).filter(lambda k: k not in properties))] = 1
        elif way == "wrong type":  # an array where a field takes none, else a number
            name = draw(st.sampled_from(sorted(properties)))
            takes_arrays = _resolve(properties[name], defs).get("type") == "array"
            body[name] = draw(st.integers() if takes_arrays else st.lists(scalars, max_size=3))
        elif way == "missing":
            body.pop(draw(st.sampled_from(required)), None)
        else:
            name = draw(st.sampled_from(bounded))
            body[name] = "x" * (_resolve(properties[name], defs)["maxLength"] + 1)
        return Fuzz(f"broken: {way}", encode(body, ascii_only=draw(st.booleans())), invalid=True)

    return broken()


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The string schema of a property, through a $ref and an Optional (anyOf with null)."""
    if "$ref" in schema:
        return _resolve(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return _resolve(option, defs)
    return schema


def _value(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    return _plausible(schema, defs) | json_values


def _plausible(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "$ref" in schema:
        return _plausible(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        return st.one_of([_plausible(option, defs) for option in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        return st.fixed_dictionaries(
            {},
            optional={n: _value(p, defs) for n, p in schema.get("properties", {}).items()},
        )
    if kind == "string":
        if schema.get("format") == "uuid":
            return st.uuids().map(str)
        if schema.get("format") == "date-time":
            return st.datetimes().map(lambda moment: moment.isoformat() + "+08:00")
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        return st.text(max_size=min(schema.get("maxLength", 40), 40))
    if kind == "integer":
        return st.integers(schema.get("minimum", -(10**6)), schema.get("maximum", 10**6))
    if kind == "number":
        return st.decimals(places=2, min_value=-(10**6), max_value=10**6).map(float)
    if kind == "boolean":
        return st.booleans()
    return st.none()
