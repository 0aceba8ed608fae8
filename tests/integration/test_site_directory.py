"""A strict site directory: only listed sites are served, on every subject."""

from __future__ import annotations

import json

import pytest

from services.intake.entrypoint import IntakeService
from services.reporting.entrypoint import ReportingService
from tests.integration.support import Desk, report_body

pytestmark = pytest.mark.integration


async def test_an_unlisted_site_is_forbidden_and_nothing_is_stored(
    nats_server, desk: Desk, settings, clock, tmp_path
) -> None:
    """The bus knows tech-park (its desk has an account), the services' directory does not."""
    sites_file = tmp_path / "sites.json"
    sites_file.write_text(json.dumps({"strict": True, "sites": {"hbw": {"name": "华碧屋村"}}}))
    settings = settings.model_copy(update={"sites_file": sites_file})
    services = [IntakeService(settings, clock), ReportingService(settings, clock)]
    for service in services:
        await service.start(nats_server.url)
    try:
        served = await desk.command("hbw", "report", report_body())
        refused = await desk.command("tech-park", "report", report_body())
        query = await desk.query("tech-park", "ticket.list", {})
        await desk.ticket("hbw", served["ticket_id"])
        count = await desk.stream_count()
    finally:
        for service in services:
            await service.stop()

    assert served["ok"] is True
    assert refused["error"]["code"] == "forbidden"
    assert query["error"]["code"] == "forbidden"
    assert count == 1
