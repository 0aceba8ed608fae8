"""A refused command at the command line (propdesk/cli/replies.py), through NATS with the real
services: each field and what is wrong with it, said once, and the service's words printed as
they came — they quote what was typed, which the terminal's markup must not eat."""

from __future__ import annotations

import pytest

from tests.integration.support import Desk
from tests.integration.test_desk_words import cli

pytestmark = pytest.mark.integration

REPORT = ("contact", "report", "--site", "hbw", "--staff", "S01", "--channel", "visit",
          "--kind", "repair", "--name", "王", "--room", "3-201")  # fmt: skip


async def test_a_body_the_contract_refuses_prints_each_field_and_its_reason_once(
    desk: Desk, services, nats_server
) -> None:
    refused = await cli(nats_server.url, *REPORT, "--category", "plumbing", "--content",
                        "漏" * 2001, "--client-ref", "desk 7")  # fmt: skip

    assert refused.exit_code == 1
    assert refused.output.splitlines() == [
        "error (invalid): invalid command",
        "  - client_ref: String should match pattern '^[A-Za-z0-9_.:/-]+$'",
        "  - content: String should have at most 2000 characters",
    ]
    assert await desk.stream_count() == 0


async def test_a_rule_that_quotes_what_was_typed_prints_it_as_typed(
    desk: Desk, services, nats_server
) -> None:
    """A category typed as `[/x]` ended the command with rich's MarkupError, not the refusal."""
    refused = await cli(nats_server.url, *REPORT, "--category", "[/x]", "--content", "漏水")

    assert refused.exit_code == 1, refused.exception
    assert refused.output.splitlines() == [
        "error (invalid): category: unknown category '[/x]' for site hbw"
    ]
    assert await desk.stream_count() == 0
