"""The console's promise page over HTTP (R6.15, R2.6, R11.5; docs/PROMISES.md): the desk records
a missed call (a refused form records nothing, a forged one is refused), sees its open promises
with due times in the site's zone and never the caller's phone, makes a promise from a ticket's
page, and records the outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import console_as, csrf_of
from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 12, 7, 10, 0)
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {"HB-S01": {"role": "receptionist"}}}}}
)
PHONE = "13912345678"


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def test_the_desk_records_a_missed_call_and_keeps_a_promise_from_a_ticket_R2_6_R6_15(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    async with console_as(settings, sim_clock, SITES, nats_server.url, "HB-S01") as client:
        page = await client.get("/promises")
        assert page.status_code == 200 and "登记未接来电" in page.text
        csrf = csrf_of(page.text)
        missed = {"csrf": csrf, "client_ref": "console-mc-1", "phone": PHONE}
        bad = await client.post("/promises/missed-call", data=missed | {"phone": "not-a-phone"})
        assert bad.status_code == 400 and "phone" in bad.text
        forged = await client.post("/promises/missed-call", data=missed | {"csrf": "forged"})
        assert forged.status_code == 403
        assert (await desk.query("hbw", "promise.list", {}))["promises"] == []

        listed = await client.post("/promises/missed-call", data=missed)
        assert listed.status_code == 200 and "未接来电已登记" in listed.text
        assert "2026-12-07 10:30 (UTC+08:00)" in listed.text  # due in 30 minutes, site's zone
        assert PHONE not in listed.text
        [callback] = (await desk.query("hbw", "promise.list", {}))["promises"]
        shown = await client.post(f"/promises/{callback['promise_id']}/reveal", data={"csrf": csrf})
        assert shown.status_code == 200 and PHONE in shown.text  # asked for: the look recorded

        reported = await desk.command(
            "hbw", "report", report_body("console-t-1", staff_id="HB-S01")
        )
        assert reported["ok"], reported

        async def ticket_page() -> str | None:
            page = await client.get(f"/tickets/{reported['ticket_no']}")
            return page.text if page.status_code == 200 else None

        assert 'id="promise-from-ticket"' in await eventually(ticket_page)
        form = await client.get(f"/promises?ticket={reported['ticket_no']}")
        assert f'value="{reported["ticket_no"]}"' in form.text
        due = (CLOCK_STARTS + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        made = await client.post("/promises", data={
            "csrf": csrf, "client_ref": "console-p-1", "kind": "reply", "due_at": due,
            "ticket": reported["ticket_no"], "what": "查明水压低的原因后回电",
        })  # fmt: skip
        assert made.status_code == 200 and "承诺已登记" in made.text
        assert "2026-12-07 12:00 (UTC+08:00)" in made.text and reported["ticket_no"] in made.text

        [promise] = [
            p for p in (await desk.query("hbw", "promise.list", {}))["promises"]
            if p["client_ref"] == "console-p-1"
        ]  # fmt: skip
        kept = await client.post(f"/promises/{promise['promise_id']}/keep", data={
            "csrf": csrf, "outcome": "已回电说明"})  # fmt: skip
        assert kept.status_code == 200 and "已记录兑现" in kept.text
        assert 'id="promise-console-p-1"' not in kept.text
        assert 'id="promise-console-mc-1"' in kept.text

        # the missed call is not called back in its 30 minutes: the notice says which promise
        await Drill(desk).set_clock(shanghai(2026, 12, 7, 10, 31))

        async def told() -> str | None:
            page = (await client.get("/notices?all=1")).text
            return page if "未接来电回电：" in page else None

        notices = await eventually(told)
        row = notices.split("未接来电回电：")[0].rsplit("<tr", 1)[1]
        assert 'href="/promises"' in row, row  # the row of that promise's notice


async def test_a_refused_re_promise_is_shown_on_its_own_row_with_what_was_typed_R6_15(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    async with console_as(settings, sim_clock, SITES, nats_server.url, "HB-S01") as client:
        csrf = csrf_of((await client.get("/promises")).text)
        due = (CLOCK_STARTS + timedelta(minutes=50)).strftime("%Y-%m-%dT%H:%M")
        made = await client.post("/promises", data={
            "csrf": csrf, "client_ref": "console-p-2", "kind": "reply", "due_at": due,
            "what": "查明停水恢复时间后回电",
        })  # fmt: skip
        assert "承诺已登记" in made.text
        [promise] = (await desk.query("hbw", "promise.list", {}))["promises"]
        step = f"/promises/{promise['promise_id']}"
        past = (CLOCK_STARTS - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        again = {"csrf": csrf, "due_at": past, "reason": "客户同意改到明早再回电"}
        refused = await client.post(f"{step}/reschedule", data=again)
        assert refused.status_code == 400, refused.text[-800:]
        row = refused.text.split('id="promise-console-p-2"', 1)[1].split("</tr>", 1)[0]
        assert "改约时间：" in row and "<details open>" in row  # the refusal, in its row
        assert f'value="{past}"' in row and 'value="客户同意改到明早再回电"' in row
        make = refused.text.split('id="make-promise"', 1)[1]
        assert past not in make  # not in the form that makes a new promise
        [unchanged] = (await desk.query("hbw", "promise.list", {}))["promises"]
        assert unchanged["due_at"] == promise["due_at"]

        later = (CLOCK_STARTS + timedelta(hours=22)).strftime("%Y-%m-%dT%H:%M")
        moved = await client.post(f"{step}/reschedule", data=again | {"due_at": later})
        assert moved.status_code == 200 and "已改约，按新时间兑现" in moved.text
        assert "2026-12-08 08:00 (UTC+08:00)" in moved.text
        broken = await client.post(f"{step}/break", data={"csrf": csrf, "reason": "联系不上客户"})
        assert broken.status_code == 200 and "已记录无法兑现" in broken.text
        assert (await desk.query("hbw", "promise.list", {}))["promises"] == []
