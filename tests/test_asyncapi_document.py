"""docs/asyncapi.json is generated from the code (FastStream): fail when it is stale."""

from __future__ import annotations

import json
from pathlib import Path

from propdesk.spec import asyncapi_json
from services.dispatch.entrypoint import COMMANDS as DISPATCH
from services.intake.entrypoint import COMMANDS as INTAKE
from services.reporting.entrypoint import QUERIES
from shared.contracts.events import EVENT_TYPES

DOC = Path(__file__).resolve().parents[1] / "docs" / "asyncapi.json"


def test_the_committed_asyncapi_document_matches_the_code() -> None:
    generated = json.loads(asyncapi_json())
    committed = json.loads(DOC.read_text(encoding="utf-8"))
    assert committed == generated, "docs/asyncapi.json is stale: run `make asyncapi`"


def test_the_document_names_every_command_query_and_event() -> None:
    channels = json.loads(asyncapi_json())["channels"]
    addresses = {channel["address"] for channel in channels.values()}

    assert {f"desk.cmd.*.intake.{verb}" for verb in INTAKE} <= addresses
    assert {f"desk.cmd.*.dispatch.{verb}" for verb in DISPATCH} <= addresses
    assert {f"desk.qry.*.{name}" for name in QUERIES} <= addresses
    assert {f"desk.evt.*.{event_type}" for event_type in EVENT_TYPES} <= addresses
