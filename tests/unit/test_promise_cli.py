"""`propdesk promise …` sends bodies the contract accepts, to the subjects the desk serves
(docs/PROMISES.md)."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from propdesk.cli import common
from propdesk.cli.main import app
from shared.contracts import promise_commands as pc

REPLY = {"ok": True, "promise_id": "p", "client_ref": "p-1", "kind": "reply", "status": "open",
         "owner": "S01", "due_at": "2026-12-03T15:00:00+08:00", "outcome": None,
         "phone": "13912345678", "promises": []}  # fmt: skip


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = []

    def request(url: str, subject: str, body: dict[str, Any]) -> dict[str, Any]:
        calls.append((subject, body))
        return REPLY

    monkeypatch.setattr(common, "request", request)
    return calls


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["make", "--due-at", "2026-12-03T15:00+08:00", "--what", "回电", "--ticket",
          "HBW-202612-0001", "--answer"], pc.MakePromise),
        (["missed-call", "--phone", "13912345678"], pc.RecordMissedCall),
        (["keep", "p-1", "--outcome", "已答复"], pc.KeepPromise),
        (["reschedule", "p-1", "--due-at", "2026-12-03T17:00+08:00", "--reason", "客户同意"],
         pc.ReschedulePromise),
        (["break", "p-1", "--reason", "无法联系"], pc.BreakPromise),
        (["reveal", "p-1"], pc.RevealCaller),
    ],
)  # fmt: skip
def test_each_verb_sends_its_command(sent, args: list[str], command: type) -> None:
    result = CliRunner().invoke(app, ["promise", *args, "--site", "hbw", "--staff", "S01"])
    assert result.exit_code == 0, result.output
    [(subject, body)] = sent
    assert subject == f"desk.cmd.hbw.intake.{command.verb}"
    command.model_validate(body)


def test_list_asks_for_any_status(sent) -> None:
    result = CliRunner().invoke(app, ["promise", "list", "--site", "hbw", "--status", "any"])
    assert result.exit_code == 0, result.output
    [(subject, body)] = sent
    assert subject == "desk.qry.hbw.promise.list"
    assert pc.ListPromises.model_validate(body).status is None
