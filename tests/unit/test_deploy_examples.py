"""The files in deploy/ that operators copy must load as the services load them, and the systemd
units run the files of one data directory, the one the hub's commands write (the example
nats-server configuration: test_deploy_nats_config.py)."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

from propdesk.trust import Hub
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.kernel.vocabulary import ClockName, Role
from shared.kernel.worktime import OfficeHours
from shared.messaging.errors import StartRefused

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
DATA_DIR = "/var/lib/propdesk"  # the units' state directory (deploy/README.md, Files)


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


# -- the systemd units ---------------------------------------------------------------------


def _unit(name: str) -> list[str]:
    return (DEPLOY / "systemd" / f"propdesk-{name}.service").read_text().splitlines()


def test_the_nats_unit_runs_the_generated_configuration_and_reloads_it_twice() -> None:
    config = Hub(Settings(data_dir=Path(DATA_DIR))).config_path
    unit = _unit("nats")
    assert f"ExecStart=/opt/propdesk/.venv/bin/nats-server -c {config}" in unit
    reloads = [line for line in unit if line.startswith("ExecReload=")]
    assert [line for line in reloads if "kill -HUP $MAINPID" in line] == [
        "ExecReload=/bin/kill -HUP $MAINPID"
    ] * 2  # nats-server 2.15.1 wires a new site's imports at the second reload only


def test_every_unit_runs_in_the_one_data_directory_the_hub_writes() -> None:
    """The services find their credentials and the site directory under PROPDESK_DATA_DIR, which
    is systemd's state directory, where `propdesk nats config` and `sites add` write them."""
    for service in ("intake", "dispatch", "escalation", "reporting", "console"):
        unit = _unit(service)
        assert f"Environment=PROPDESK_DATA_DIR={DATA_DIR}" in unit, service
        assert f"StateDirectory={Path(DATA_DIR).name}" in unit, service
        assert f"ExecStart=/opt/propdesk/.venv/bin/propdesk serve {service}" in unit, service
    assert f"StateDirectory={Path(DATA_DIR).name}" in _unit("nats")


def test_the_admin_wrapper_runs_propdesk_as_the_services_do() -> None:
    lines = (DEPLOY / "propdesk-admin").read_text().splitlines()
    assert '    exec sudo -u propdesk -- "$0" "$@"' in lines
    assert ". /etc/propdesk/propdesk.env" in lines
    assert f"PROPDESK_DATA_DIR={DATA_DIR}" in lines


def test_the_environment_example_leaves_the_data_directory_to_the_units() -> None:
    """An EnvironmentFile overrides Environment=: a data directory or a site directory named
    there would part the services from the files the hub's commands write."""
    for line in (DEPLOY / "propdesk.env.example").read_text().splitlines():
        assert not line.startswith(("PROPDESK_DATA_DIR=", "PROPDESK_SITES_FILE=")), line
        assert not line.startswith("PROPDESK_CREDENTIALS_DIR="), line
