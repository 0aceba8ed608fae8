"""The manager's report downloads over HTTP (docs/CONSOLE.md, R12.1): a mistyped month or week is
refused in plain Chinese saying what it should look like, before anything is asked; a good one
downloads."""

from __future__ import annotations

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_as
from tests.integration.drill import shanghai

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 11, 25, 9, 0)
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-M01": {"role": "project_manager"},
    }}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


@pytest.mark.parametrize(
    ("kind", "period", "told"),
    [("monthly", "2026-13", "月份应写作 2026-10（收到：2026-13）"),
     ("monthly", "", "月份应写作 2026-10（收到：空）"),
     ("weekly", "2026-48", "周应写作 2026-W48（收到：2026-48）")],
)  # fmt: skip
async def test_a_mistyped_period_is_refused_saying_how_to_write_it_R12_1(
    kind: str, period: str, told: str, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("reporting")
    async with console_as(settings, sim_clock, SITES, nats_server.url, "HB-M01") as manager:
        refused = await manager.get(f"/reports/{kind}", params={"period": period})
        assert refused.status_code == 400
        assert told in refused.text
        assert "should match pattern" not in refused.text
        month = await manager.get("/reports/monthly", params={"period": "2026-11"})
        assert month.status_code == 200
        assert month.headers["content-disposition"].endswith('-2026-11-monthly.xlsx"')
