"""The console's visits and survey pages over HTTP (R11.6, R11.9; docs/VISITS.md): a steward
records a visit whose issue opens a ticket, a refused form records nothing, the week shows the
zones short of target; a survey's results page, a bad survey reference refused."""

from __future__ import annotations

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_as, csrf_of
from tests.integration.support import START, Desk

pytestmark = pytest.mark.integration

SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "visits": {"occupied": {"A": 100, "B": 50}},
                       "staff": {"HB-CS1": {"role": "cs_assistant"}}}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def test_a_steward_records_a_visit_and_reads_a_surveys_results_in_the_console_R11_6_R11_9(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake")
    # a free port: other tests (and other checkouts) may hold the default 8080
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_as(free_port, sim_clock, SITES, nats_server.url, "HB-CS1") as client:
        page = await client.get("/visits")
        assert page.status_code == 200 and "登记走访" in page.text and 'href="/visits"' in page.text
        form = {"csrf": csrf_of(page.text), "visit_ref": "console-v-1", "unit": "3-201",
                "zone": "A", "visited_at": "2026-11-23T09:30", "opinions": "李女士希望加装路灯",
                "issue_kind": "repair", "issue_category": "plumbing",
                "issue": "卫生间下水慢"}  # fmt: skip
        named = await client.post("/visits", data=form | {"unit": "李四 13812345678"})
        assert named.status_code == 400 and 'id="message"' in named.text and "unit" in named.text
        wrong = await client.post("/visits", data=form | {"issue_category": "roof"})
        assert wrong.status_code == 400 and "unknown category &#39;roof&#39;" in wrong.text
        forged = await client.post("/visits", data=form | {"csrf": "forged"})
        assert forged.status_code == 403
        assert (await desk.query("hbw", "visit.week", {"day": "2026-11-23"}))["visits"] == []

        shown = await client.post("/visits", data=form)
        assert shown.status_code == 200 and "走访已登记，已开工单 HBW-202611-0001" in shown.text
        assert "3-201" in shown.text and 'id="short-2026-11-23"' in shown.text  # 1 of 3
        assert "李女士" not in shown.text  # the opinions stay in intake

        opened = await desk.command("hbw", "survey_open", {
            "staff_id": "HB-CS1", "survey_ref": "2026-11", "title": "11月满意度调查",
            "first_day": "2026-11-01", "last_day": "2026-11-30",
            "questions": [{"key": "overall", "text": "总体满意度"}],
        })  # fmt: skip
        assert opened["ok"], opened
        answered = await desk.command("hbw", "survey_respond", {
            "staff_id": "HB-CS1", "survey_ref": "2026-11", "unit": "3-201", "channel": "online",
            "answered_at": START.isoformat(), "answers": {"overall": 5},
        })  # fmt: skip
        assert answered["ok"], answered
        results = await client.get("/surveys?ref=2026-11")
        assert results.status_code == 200 and "11月满意度调查" in results.text
        assert 'id="satisfaction">100.0%' in results.text
        bad = await client.get("/surveys?ref=no such survey")
        assert bad.status_code == 400 and "survey_ref" in bad.text
        unknown = await client.get("/surveys?ref=2027-01")
        assert unknown.status_code == 404
        assert "没有编号为 2027-01 的满意度调查" in unknown.text and "not found" not in unknown.text
