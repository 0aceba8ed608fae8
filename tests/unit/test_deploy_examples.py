"""The files in deploy/ that operators copy must load as the services load them."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

from shared.errors import StartRefused
from shared.sites import SiteDirectory
from shared.sla import ClockName, Role
from shared.worktime import OfficeHours

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_example_site_directory_loads_with_its_service_levels() -> None:
    sites = SiteDirectory.load(DEPLOY / "sites.example.json")
    hbw, park = sites.get("hbw"), sites.get("tech-park")
    assert hbw is not None and park is not None
    assert hbw.sla.counting == "calendar"
    assert hbw.sla.clock(ClockName.general_fixed).target == timedelta(hours=72)  # R7.3
    assert park.sla.clock(ClockName.general_fixed).target == timedelta(days=2)
    worktime = park.worktime
    assert isinstance(worktime, OfficeHours)
    assert (worktime.opens, worktime.closes) == (time(8, 30), time(17, 30))


def test_the_example_lists_the_staff_of_one_site_with_their_roles() -> None:
    sites = SiteDirectory.load(DEPLOY / "sites.example.json")
    hbw, park = sites.get("hbw"), sites.get("tech-park")
    assert hbw is not None and park is not None
    assert hbw.staff["HB-M01"].role is Role.project_manager  # the analysis is theirs (R12.2)
    assert {member.role for member in hbw.staff.values()} == set(Role)
    assert park.staff == {}  # nobody's role is checked there


def test_every_service_has_a_systemd_unit() -> None:
    units = {path.stem for path in (DEPLOY / "systemd").glob("*.service")}
    for service in ("nats", "intake", "dispatch", "escalation", "reporting"):
        assert f"propdesk-{service}" in units


def test_systemd_does_not_restart_a_service_whose_store_cannot_be_read() -> None:
    """A wrong or lost key exits with EX_CONFIG once, instead of a restart every 2 seconds."""
    for service in ("intake", "dispatch", "escalation"):
        unit = (DEPLOY / "systemd" / f"propdesk-{service}.service").read_text()
        assert f"RestartPreventExitStatus={StartRefused.EXIT_CODE}" in unit.splitlines()
