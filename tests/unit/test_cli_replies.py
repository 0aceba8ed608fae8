"""How the command line prints a refusal (propdesk/cli/replies.py print_error): the words of
the contract's error reply (docs/contract.md §3) as text, each field once."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console

from propdesk.cli.replies import print_error


def printed(error: dict[str, Any]) -> list[str]:
    out = io.StringIO()
    print_error(Console(file=out, width=200, color_system=None), error)
    return out.getvalue().splitlines()


def test_a_pattern_of_a_check_is_printed_whole() -> None:
    said = "String should match pattern '^[a-z0-9_]+$'"
    field = {"field": "answers.q 1", "message": said, "type": "string_pattern_mismatch",
             "ctx": {"pattern": "^[a-z0-9_]+$"}}  # fmt: skip
    error = {"code": "invalid", "message": f"invalid command: answers.q 1: {said}",
             "fields": [field]}  # fmt: skip
    assert printed(error) == ["error (invalid): invalid command", f"  - answers.q 1: {said}"]


def test_checks_beyond_the_listed_ones_are_counted() -> None:
    fields = [{"field": f"k{i}", "message": "Extra inputs are not permitted",
               "type": "extra_forbidden", "ctx": {}} for i in range(20)]  # fmt: skip
    summary = "; ".join(f"k{i}: Extra inputs are not permitted" for i in range(20))
    error = {"code": "invalid", "message": f"invalid command: {summary}; and 3 more",
             "fields": fields}  # fmt: skip
    lines = printed(error)
    assert lines[0] == "error (invalid): invalid command (3 more not listed)"
    assert len(lines) == 21 and lines[-1] == "  - k19: Extra inputs are not permitted"


def test_a_reply_of_an_older_service_is_printed_as_it_came() -> None:
    said = "String should have at most 500 characters"
    error = {"code": "invalid", "message": f"invalid command: note: {said}",
             "fields": [{"field": "note", "message": said}]}  # fmt: skip
    assert printed(error) == [
        f"error (invalid): invalid command: note: {said}",
        f"  - note: {said}",
    ]


def test_an_error_about_no_field_is_its_message() -> None:
    error = {"code": "conflict", "message": "cannot follow up a ticket that is received",
             "fields": []}  # fmt: skip
    assert printed(error) == ["error (conflict): cannot follow up a ticket that is received"]
