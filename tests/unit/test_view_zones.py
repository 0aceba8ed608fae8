"""Reporting's SQL compares zones by the rule the rest of the desk uses (shared/kernel/zones.py
`in_zones`, R1.3): every letter's case folded, surrounding spaces cut; a ticket of no zone is in
none."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.reporting.views.tickets import TicketView
from services.reporting.views.zones import in_zones as sql_in_zones
from shared.kernel.zones import in_zones

STORED = ["A区", "Ärzte-Ost", "Straße 9", "ΣΟΦΙΑ", " b区 ", None]
ASKED = [["a区"], ["ärzte-ost"], ["STRASSE 9"], ["σοφια"], ["B区"], ["ärzte-öst"], ["c区"]]


@pytest.mark.parametrize("asked", ASKED)
def test_the_views_sql_finds_the_zones_the_kernel_finds(tmp_path: Path, asked: list[str]):
    view = TicketView(str(tmp_path / "view.db"))
    clause, params = sql_in_zones("z", asked)
    with view.datastore.transaction(commit=False) as c:
        found = []
        for zone in STORED:
            c.execute(f"SELECT {clause} AS hit FROM (SELECT json_object('zone', ?) AS z)",
                      [*params, zone])  # fmt: skip
            found.append(bool(c.fetchone()["hit"]))
    assert found == [in_zones(zone, asked) for zone in STORED]
    view.close()
