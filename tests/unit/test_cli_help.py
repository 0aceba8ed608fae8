"""`propdesk … --help` reads honestly: a flag shows no value to give, a time shows <ISO-8601>
(propdesk/cli/help.py), and the flags still work as flags."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from propdesk.cli import common
from propdesk.cli.main import app


def command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*path, name))


PATHS = list(command_paths(typer.main.get_command(app)))


def help_of(path: tuple[str, ...], columns: int = 100) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_tree_is_walked() -> None:
    assert ("notice", "list") in PATHS and ("up",) in PATHS and len(PATHS) > 100


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_no_help_offers_a_value_for_a_flag(path: tuple[str, ...]) -> None:
    text = help_of(path)
    assert "<bool>" not in text
    assert "%Y" not in text  # a datetime's strptime formats


def test_a_time_reads_iso_8601() -> None:
    assert "--start  " in help_of(("up",)) and "<ISO-8601>" in help_of(("up",))
    assert "<ISO-8601>" in help_of(("contact", "report"), columns=80)


def test_a_group_lists_a_command_on_joined_lines() -> None:
    # workorder cancel's docstring breaks its first paragraph where the source lines end
    text = help_of(("workorder",), columns=160)
    assert "no longer asked for); a department supervisor" in text


@pytest.mark.parametrize(("flag", "sent"), [([], False), (["--open"], True)])
def test_a_flag_still_works(monkeypatch: pytest.MonkeyPatch, flag: list[str], sent: bool) -> None:
    bodies: list[dict[str, Any]] = []

    def request(url: str, subject: str, body: dict[str, Any]) -> dict[str, Any]:
        bodies.append(body)
        return {"ok": True, "notices": []}

    monkeypatch.setattr(common, "request", request)
    result = CliRunner().invoke(app, ["notice", "list", "--site", "hbw", *flag, "--json"])
    assert result.exit_code == 0, result.output
    assert bodies[0]["open"] is sent
    assert '"ok": true' in result.output  # --json, a flag too, printed the raw reply
