"""Issuing and revoking credentials on a running hub (deploy/README.md, How a credential is
issued and revoked): the operator's commands rewrite the server's configuration and reload it
through its pid file, and nothing else is restarted."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nats.aio.client import Client
from nats.errors import Error, UnexpectedEOF
from typer.testing import CliRunner

from propdesk.cli.main import app
from services.intake.entrypoint import IntakeService
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.client import Bus
from shared.messaging.identity import site_identity
from tests.conftest import SecuredNats
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration


async def propdesk(server: SecuredNats, *args: str, exit_code: int = 0) -> str:
    """Run `propdesk …` as the operator does on the hub, with the hub's data directory. In a
    thread: the command reloads the server with asyncio.run of its own."""
    argv = [*args, "--data-dir", str(server.bus_settings.data_dir)]
    result = await asyncio.to_thread(CliRunner().invoke, app, argv)
    assert result.exit_code == exit_code, result.output
    return result.output


class Office:
    """A site office: one credential file, kept apart from the hub's, and its desk's
    connection, which records how it ended (no reconnecting: a drop stays visible)."""

    def __init__(self, server: SecuredNats, site: str, home: Path) -> None:
        self.server = server
        self.site = site
        home.mkdir(parents=True, exist_ok=True)
        issued = server.credentials_dir / f"{site_identity(site)}.nk"
        self.seed = Path(shutil.copy(issued, home / issued.name))
        self.errors: list[Exception] = []
        self.buses: list[Bus] = []
        self.desk = self.open()

    def open(self) -> Desk:
        """A desk on a connection of its own, with the office's seed file."""

        async def error(exc: Exception) -> None:
            self.errors.append(exc)

        bus = Bus(
            self.server.url,
            self.server.bus_settings,
            name=f"office-{self.site}",
            creds=self.seed,
            allow_reconnect=False,
            connect_timeout=2,
            error_cb=error,
        )
        self.buses.append(bus)
        return Desk(bus)

    async def report(self, desk: Desk | None = None, ref: str = "r-1") -> dict:
        return await (desk or self.desk).command(self.site, "report", report_body(ref))


@pytest.fixture
async def intake(
    nats_server: SecuredNats, settings: Settings, clock: FixedClock
) -> AsyncIterator[IntakeService]:
    """Intake alone, reading the hub's site directory as it changes (no restart)."""
    service = IntakeService(settings, clock)
    await service.start(nats_server.url)
    yield service
    await service.stop()


@pytest.fixture
async def offices() -> AsyncIterator[list[Office]]:
    opened: list[Office] = []
    yield opened
    for office in opened:
        for bus in office.buses:
            await bus.close()


async def test_a_revoked_site_is_dropped_at_the_reload_and_its_old_key_refused(
    nats_server: SecuredNats, intake: IntakeService, offices: list[Office], tmp_path: Path
) -> None:
    hbw = Office(nats_server, "hbw", tmp_path / "hbw-office")
    lgp = Office(nats_server, "lgp", tmp_path / "lgp-office")
    offices += [hbw, lgp]
    assert (await hbw.report())["ok"] is True
    assert (await lgp.report())["ok"] is True
    connection = await hbw.desk.bus.connection(site_identity("hbw"))

    output = await propdesk(nats_server, "credentials", "revoke", "site-hbw")

    assert "nats-server reloaded" in output
    assert not (nats_server.credentials_dir / "site-hbw.nk").exists()
    await eventually(lambda: _closed(connection))
    assert any(isinstance(e, UnexpectedEOF) for e in hbw.errors)  # the server hung up on it
    with pytest.raises(Error, match="Authorization Violation"):
        await hbw.report(hbw.open())  # the same seed, a new connection
    # nobody else is touched: another site's desk and intake keep their connections
    assert not (await lgp.desk.bus.connection(site_identity("lgp"))).is_closed
    assert lgp.errors == []
    assert intake.nc is not None and intake.nc.is_connected
    assert (await lgp.report(ref="r-2"))["ok"] is True


async def test_a_rotated_credential_replaces_the_old_key_at_once(
    nats_server: SecuredNats, intake: IntakeService, offices: list[Office], tmp_path: Path
) -> None:
    hbw = Office(nats_server, "hbw", tmp_path / "hbw-office")
    offices.append(hbw)
    assert (await hbw.report())["ok"] is True
    connection = await hbw.desk.bus.connection(site_identity("hbw"))
    # issuing again without --rotate is refused and changes nothing
    await propdesk(nats_server, "credentials", "issue", "site-hbw", exit_code=2)
    assert (await hbw.report(ref="r-2"))["ok"] is True

    output = await propdesk(nats_server, "credentials", "issue", "site-hbw", "--rotate")

    assert "nats-server reloaded" in output
    await eventually(lambda: _closed(connection))  # the old key's connection is dropped
    with pytest.raises(Error, match="Authorization Violation"):
        await hbw.report(hbw.open(), ref="r-3")
    # the hub hands the office its new file
    renewed = Office(nats_server, "hbw", tmp_path / "hbw-office-renewed")
    offices.append(renewed)
    assert renewed.seed.read_bytes() != hbw.seed.read_bytes()
    assert (await renewed.report(ref="r-4"))["ok"] is True


async def test_a_site_added_to_a_running_hub_is_served_without_a_restart(
    nats_server: SecuredNats, intake: IntakeService, offices: list[Office], tmp_path: Path
) -> None:
    assert nats_server.process is not None
    pid = nats_server.process.pid

    output = await propdesk(nats_server, "sites", "add", "nsq", "--name", "南山区新园")

    assert "nats-server reloaded" in output
    directory = SiteDirectory.load(nats_server.sites_file)
    assert directory.sites["nsq"].name == "南山区新园"
    office = Office(nats_server, "nsq", tmp_path / "nsq-office")
    offices.append(office)
    reply = await office.report()
    assert reply["ok"] is True, reply
    assert reply["ticket_no"].startswith("NSQ-")
    # the same server process and the same intake served it
    assert nats_server.process.pid == pid and nats_server.process.returncode is None
    assert intake.nc is not None and intake.nc.is_connected


async def _closed(connection: Client) -> bool:
    return connection.is_closed
