"""A reporting replica's name: where it comes from, and what it names (its views' files, its
durable consumers, its ops subjects); the writers do not run as replicas."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from propdesk.cli.main import app
from services.reporting.entrypoint import ReportingService
from services.reporting.ops.registry import PROJECTIONS, replica_lock
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from tests.integration.support import START


def reporting(replica: str | None) -> ReportingService:
    settings = Settings(data_dir=Path("/srv/propdesk"), replica=replica)
    return ReportingService(settings, FixedClock(START), SiteDirectory(strict=False))


def test_the_hubs_replicas_are_read_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPDESK_REPORTING_REPLICAS", "b, night-2")
    assert Settings().reporting_replicas == ("b", "night-2")


@pytest.mark.parametrize("name", ["B", "b.c", "b>", "-b", "x" * 33])
def test_a_replica_name_is_a_lower_case_token(name: str) -> None:
    with pytest.raises(ValidationError):
        Settings(replica=name)


def test_the_first_replica_keeps_the_names_it_always_had() -> None:
    first = reporting(None)
    assert first.ops_name == "reporting"
    assert first.durables() == ["reporting-tickets", "reporting-analytics"]
    assert first.view_path("tickets") == Path("/srv/propdesk/reporting-tickets.sqlite3")
    assert replica_lock(Path("/srv/propdesk"), None) == Path("/srv/propdesk/reporting.lock")


def test_a_named_replica_has_views_consumers_and_ops_subjects_of_its_own() -> None:
    b = reporting("b")
    assert b.ops_name == "reporting.b"
    assert b.durables() == ["reporting-tickets-b", "reporting-analytics-b"]
    assert b.view_path("analytics") == Path("/srv/propdesk/reporting-analytics-b.sqlite3")
    assert replica_lock(Path("/srv/propdesk"), "b") == Path("/srv/propdesk/reporting-b.lock")
    served = {s.subject.broker_address for s in b.router().subscribers}
    assert {"desk.ops.reporting.b.checksum", "desk.ops.reporting.b.switch"} <= served
    assert "desk.ops.reporting.switch" not in served
    assert PROJECTIONS["tickets"].consumer("b") == "reporting-tickets-b"


def test_every_replica_answers_the_queries_in_one_queue_group() -> None:
    for service in (reporting(None), reporting("b")):
        queries = [s for s in service.router().subscribers if "qry" in s.subject.broker_address]
        assert queries and {s.queue for s in queries} == {"reporting"}


@pytest.mark.parametrize("service", ["intake", "dispatch", "escalation"])
def test_a_writer_is_not_served_as_a_replica(service: str) -> None:
    result = CliRunner().invoke(app, ["serve", service, "--replica", "b"])
    assert result.exit_code == 2
    assert "one writer per store" in result.output
