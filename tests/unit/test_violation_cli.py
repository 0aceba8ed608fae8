"""`propdesk violation …` sends bodies the contract accepts, to the subjects the desk serves."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from propdesk.cli import common
from propdesk.cli.main import app
from shared.contracts import violation_commands as vc
from shared.contracts.violation_retention import RunRetention

REPLY = {"ok": True, "case_id": "c", "client_ref": "v-1", "violation_class": "major",
         "status": "open", "responsible": "project_manager", "measures": [],
         "penalty": None}  # fmt: skip


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = []

    def request(url: str, subject: str, body: dict[str, Any]) -> dict[str, Any]:
        calls.append((subject, body))
        if subject.endswith("violation_retention"):
            return {"ok": True, "site": "hbw", "as_of": "2027-01-01", "applied": False,
                    "cases": [], "kept": 0}  # fmt: skip
        return REPLY

    monkeypatch.setattr(common, "request", request)
    return calls


@pytest.mark.parametrize(
    ("args", "command"),
    [
        (["open", "--class", "major", "--category", "fire", "--place", "3栋",
          "--description", "堵塞通道", "--name", "张三", "--phone", "13800138000"],
         vc.OpenViolation),
        (["measure", "v-1", "--measure", "rectify", "--due-on", "2026-12-10"], vc.RecordMeasure),
        (["classify", "v-1", "--class", "major", "--reason", "发现损失"], vc.ReclassifyViolation),
        (["mediate", "v-1", "--failed"], vc.RecordMediation),
        (["penalty", "v-1", "--penalty", "通报批评", "--amount", "200"], vc.ProposePenalty),
        (["sign", "v-1"], vc.SignPenalty),
        (["close", "v-1", "--outcome", "已整改"], vc.CloseViolation),
    ],
)  # fmt: skip
def test_each_verb_sends_its_command(sent, args: list[str], command: type) -> None:
    result = CliRunner().invoke(app, ["violation", *args, "--site", "hbw", "--staff", "M01"])
    assert result.exit_code == 0, result.output
    [(subject, body)] = sent
    assert subject == f"desk.cmd.hbw.intake.{command.verb}"
    command.model_validate(body)


def test_retention_lists_unless_applied(sent) -> None:
    result = CliRunner().invoke(app, ["violation", "retention", "--site", "hbw"])
    assert result.exit_code == 0, result.output
    [(subject, body)] = sent
    assert subject == "desk.ops.intake.violation_retention"
    assert RunRetention.model_validate(body).apply is False


def test_erase_is_asked_as_ops(sent, monkeypatch: pytest.MonkeyPatch) -> None:
    reply = {"ok": True, "site": "hbw", "case_id": "c", "client_ref": "v-1", "key_deleted": True}
    monkeypatch.setattr(
        common, "request", lambda url, subject, body: sent.append((subject, body)) or reply
    )
    result = CliRunner().invoke(app, ["violation", "erase", "v-1", "--site", "hbw"])
    assert result.exit_code == 0, result.output
    assert sent == [("desk.ops.intake.violation_erase", {"site": "hbw", "case": "v-1"})]
    refused = CliRunner().invoke(app, ["violation", "retention", "--site", "hbw", "--erase"])
    assert refused.exit_code == 2  # --erase needs --apply
