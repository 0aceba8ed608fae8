"""A hub that listens beyond loopback speaks TLS only (deploy/README.md, TLS): a site office
reaches its intake over `tls://` with the hub's CA and its one credential file; a client that
speaks plaintext, or does not trust the hub's CA, gets nothing; with `--tls-ca`, neither does a
client without a certificate from that CA."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import nkeys
import pytest

from propdesk.trust import Hub
from services.intake.entrypoint import IntakeService
from shared.kernel.clock import FixedClock
from shared.kernel.settings import Settings
from shared.kernel.sites import SiteDirectory
from shared.messaging.bus import BusAccess, connect
from shared.messaging.client import Bus
from shared.messaging.natsconf import Tls
from shared.messaging.natsd import EmbeddedNats, free_port
from tests.conftest import bus_root
from tests.integration.support import Desk, report_body
from tests.pki import TestCA

pytestmark = pytest.mark.integration

SITES = SiteDirectory.model_validate({"sites": {"hbw": {"name": "华碧屋村"}}})


class TlsHub:
    """A hub of one site whose server requires TLS (and, `mutual`, client certificates), with
    the certificates of a CA made for the test."""

    def __init__(self, root: Path, *, mutual: bool) -> None:
        root.mkdir(parents=True, exist_ok=True)  # the bus root the `settings` fixture reads
        self.ca = TestCA(root / "pki")
        server = self.ca.server()  # for 127.0.0.1
        self.settings = Settings(data_dir=root)
        self.hub = Hub(self.settings)
        SITES.save(self.settings.sites_path)
        port = free_port()
        tls = Tls(server.cert, server.key, self.ca.cert if mutual else None)
        config = self.hub.prepare(SITES, replace(self.hub.embedded_options(port), tls=tls))
        self.server = EmbeddedNats(self.hub.nats_dir, port, config=config)
        self.url = f"tls://127.0.0.1:{port}"

    def credential(self, identity: str) -> Path:
        return self.hub.credentials.path(identity)


@pytest.fixture
async def start_hub(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[TlsHub]]]:
    started: list[TlsHub] = []

    async def start(*, mutual: bool = False) -> TlsHub:
        hub = TlsHub(bus_root(tmp_path), mutual=mutual)
        await hub.server.start()
        started.append(hub)
        return hub

    yield start
    for hub in started:
        await hub.server.stop()


async def _quiet(_: Exception) -> None:
    """nats-py reports a failed connect through error_cb too; the test asserts on the raise."""


async def _refused(access: BusAccess, *errors: type[Exception]) -> None:
    with pytest.raises(errors):
        nc = await connect(
            access, "test-refused", allow_reconnect=False, connect_timeout=2, error_cb=_quiet
        )
        await nc.close()


async def test_a_site_office_reaches_intake_over_tls_with_its_one_file_and_the_hubs_ca(
    start_hub, settings: Settings, clock: FixedClock, tmp_path: Path, monkeypatch
) -> None:
    hub = await start_hub()
    intake = IntakeService(settings.model_copy(update={"nats_ca": hub.ca.cert}), clock)
    await intake.start(hub.url)
    # the site office got one file from the hub, and the CA's certificate
    office = tmp_path / "office"
    office.mkdir()
    seed = Path(shutil.copy(hub.credential("site-hbw"), office / "site-hbw.nk"))
    monkeypatch.setenv("PROPDESK_NATS_CA", str(hub.ca.cert))
    desk = Desk(Bus(hub.url, Settings(data_dir=office), creds=seed))
    try:
        reply = await desk.command("hbw", "report", report_body())
    finally:
        await desk.bus.close()
        await intake.stop()

    assert reply["ok"] is True
    assert reply["ticket_no"].startswith("HBW-")


async def test_the_hub_refuses_a_client_that_speaks_plaintext_even_with_a_valid_credential(
    start_hub,
) -> None:
    """nats-py upgrades to TLS by itself when the server asks, so a client of the protocol's
    own is used: the same handshake gets its PONG over TLS and is cut off in plaintext."""
    hub = await start_hub()
    seed = hub.credential("site-hbw").read_bytes().strip()

    assert await _handshake(hub, seed, ssl.create_default_context(cafile=hub.ca.cert)) == "PONG"
    assert await _handshake(hub, seed, None) == "closed"


async def test_a_client_that_does_not_trust_the_hubs_ca_is_refused(start_hub) -> None:
    """Without the hub's CA (PROPDESK_NATS_CA) a client trusts only the system's CAs, so it
    will not talk to a hub it cannot authenticate; with it, the same access connects."""
    hub = await start_hub()
    seed = hub.credential("site-hbw")

    untrusted = ssl.SSLCertVerificationError
    await _refused(BusAccess(hub.url, "site-hbw", seed), untrusted)
    other_ca = TestCA(hub.ca.directory / "other").cert
    await _refused(BusAccess(hub.url, "site-hbw", seed, other_ca), untrusted)
    nc = await connect(BusAccess(hub.url, "site-hbw", seed, hub.ca.cert), "test-trusting")
    assert nc.is_connected
    await nc.close()


async def test_with_mutual_tls_only_a_client_with_a_certificate_from_the_ca_gets_in(
    start_hub, settings: Settings, clock: FixedClock
) -> None:
    hub = await start_hub(mutual=True)
    seed = hub.credential("site-hbw")
    box, service = hub.ca.client("hbw-box"), hub.ca.client("intake")
    intake = IntakeService(
        settings.model_copy(
            update={"nats_ca": hub.ca.cert, "nats_cert": service.cert, "nats_key": service.key}
        ),
        clock,
    )
    await intake.start(hub.url)
    office = Settings(nats_ca=hub.ca.cert, nats_cert=box.cert, nats_key=box.key)
    desk = Desk(Bus(hub.url, office, creds=seed))
    try:
        # TLS 1.3: the server refuses after the client's side of the handshake is done, so the
        # client sees its alert, or the connection it hung up (reset, broken pipe)
        await _refused(
            BusAccess(hub.url, "site-hbw", seed, hub.ca.cert), ssl.SSLError, ConnectionError
        )
        reply = await desk.command("hbw", "report", report_body())
    finally:
        await desk.bus.close()
        await intake.stop()

    assert reply["ok"] is True


async def _handshake(hub: TlsHub, seed: bytes, tls: ssl.SSLContext | None) -> str:
    """CONNECT as the seed's user (the server's nonce signed) and PING: "PONG" when the server
    accepts the connection, "closed" when it hangs up, else the line it answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", hub.server.port)
    try:
        info = json.loads((await reader.readline()).decode().removeprefix("INFO "))
        assert info["tls_required"] is True
        if tls is not None:
            await writer.start_tls(tls, server_hostname="127.0.0.1")
        user = nkeys.from_seed(bytearray(seed))
        signature = base64.urlsafe_b64encode(user.sign(info["nonce"].encode()))
        connect_options = {
            "verbose": False,
            "pedantic": False,
            "protocol": 1,
            "nkey": user.public_key.decode(),
            "sig": signature.decode().rstrip("="),
        }
        writer.write(f"CONNECT {json.dumps(connect_options)}\r\nPING\r\n".encode())
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), 5)
    except (ConnectionError, ssl.SSLError):
        return "closed"
    finally:
        writer.close()
    return line.decode().strip() if line else "closed"
