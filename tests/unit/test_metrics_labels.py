"""The labels a request is counted under: its kind and verb, never its site (one series per
verb, whatever the number of sites)."""

from __future__ import annotations

import pytest

from shared.messaging.metrics import request_labels


@pytest.mark.parametrize(
    ("subject", "labels"),
    [
        ("desk.cmd.hbw.intake.report", ("command", "report")),
        ("desk.cmd.tech-park.dispatch.accept_quote", ("command", "accept_quote")),
        ("desk.qry.hbw.ticket.get", ("query", "ticket.get")),
        ("desk.qry.company.report.quality", ("query", "report.quality")),
        ("desk.ops.reporting.checksum", ("ops", "checksum")),
        ("desk.sim.clock.set", ("sim", "clock.set")),
    ],
)
def test_a_subject_is_counted_by_kind_and_verb(subject: str, labels: tuple[str, str]) -> None:
    assert request_labels(subject) == labels
