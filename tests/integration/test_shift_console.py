"""The console's shift-log page over HTTP (R15.9–R15.12, R10.1; docs/SHIFTS.md): the desk writes
an entry, a refused form records nothing, the close lists the open tickets by itself, the night
duty signs; the ticket page shows the owner and the hand-over."""

from __future__ import annotations

import pytest

from services.console.entrypoint import ConsoleProcess
from shared.kernel.sites import SiteDirectory
from tests.integration.console_support import csrf_of, signed_in
from tests.integration.drill import Drill, shanghai
from tests.integration.support import Desk, eventually, report_body

pytestmark = pytest.mark.integration

CLOCK_STARTS = shanghai(2026, 12, 3, 10, 0)
SITES = SiteDirectory.model_validate(
    {"sites": {"hbw": {"name": "Harbour View", "staff": {
        "HB-S01": {"role": "receptionist"},
        "HB-S02": {"role": "receptionist"},
        "HB-N01": {"role": "department_staff", "department": "engineering"},
    }}}}
)  # fmt: skip


@pytest.fixture
def drill_sites() -> SiteDirectory:
    return SITES


async def test_the_desk_keeps_its_shift_log_in_the_console_R15_9_R15_10_R15_12_R10_1(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "reporting", "escalation")
    reported = await desk.command("hbw", "report", report_body("c-1", staff_id="HB-S01"))
    ticket_no = reported["ticket_no"]
    console = ConsoleProcess(settings, sim_clock, SITES)
    base = await console.start(nats_server.url)
    client = await signed_in(base, "HB-S01")
    night = None
    try:

        async def shown() -> str | None:
            page = await client.get(f"/tickets/{ticket_no}")
            return page.text if "移交负责人" in page.text else None

        csrf = csrf_of(await eventually(shown))
        hand = {"csrf": csrf, "to_staff": "HB-S02", "reason": "转早班同事跟进"}
        nobody = await client.post(f"/tickets/{ticket_no}/hand_over", data=hand | {"to_staff": ""})
        assert nobody.status_code == 400 and 'id="message"' in nobody.text
        ticket_page = (await client.post(f"/tickets/{ticket_no}/hand_over", data=hand)).text
        # R10.1: the owner and the hand-over, on the ticket's page
        assert 'id="owner">HB-S02<' in ticket_page and "转早班同事跟进" in ticket_page
        assert 'id="handovers"' in ticket_page
        mine = await client.get("/tickets?view=mine")  # no longer HB-S01's
        assert mine.status_code == 200 and ticket_no not in mine.text
        colleague = await signed_in(base, "HB-S02")
        try:
            assert ticket_no in (await colleague.get("/tickets?view=mine")).text  # 我负责的
        finally:
            await colleague.aclose()

        page = await client.get("/shifts")
        assert page.status_code == 200 and "交接班记录" in page.text, page.text[-800:]
        csrf = csrf_of(page.text)
        entry = {"csrf": csrf, "shift": "2026-12-03T08:00", "kind": "unresolved",
                 "text": "3-201 噪音投诉待回访", "ticket": ticket_no}  # fmt: skip
        empty = await client.post("/shifts/entry", data=entry | {"text": ""})
        assert empty.status_code == 400 and "text" in empty.text
        forged = await client.post("/shifts/entry", data=entry | {"csrf": "forged"})
        assert forged.status_code == 403
        shown = await desk.query("hbw", "shift.show", {})
        assert shown["status"] == "none"  # nothing recorded

        written = await client.post("/shifts/entry", data=entry)
        assert "已记入交接班记录" in written.text and "3-201 噪音投诉待回访" in written.text
        closed = await client.post("/shifts/close", data={"csrf": csrf, "shift": entry["shift"]})
        assert "已交班" in closed.text and 'id="now-pending"' in closed.text
        assert ticket_no in closed.text  # the open ticket, listed by itself (R15.12)

        await Drill(desk, "hbw").set_clock(shanghai(2026, 12, 3, 20, 10))
        night = await signed_in(base, "HB-N01")
        page = await night.get("/shifts")
        assert 'id="sign"' in page.text  # the previous shift's log, to read and sign
        signed = await night.post("/shifts/sign", data={"csrf": csrf_of(page.text),
                                                         "shift": "2026-12-03T08:00"})  # fmt: skip
        assert "已签字接班" in signed.text and 'id="before-signatures"' in signed.text
        assert "HB-N01" in signed.text
    finally:
        await client.aclose()
        if night is not None:
            await night.aclose()
        await console.stop()


async def test_each_of_the_incoming_shift_signs_the_night_log_never_who_closed_it_R15_9_R15_11(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services("intake", "reporting", "escalation")
    await Drill(desk, "hbw").set_clock(shanghai(2026, 12, 3, 23, 0))
    console = ConsoleProcess(settings, sim_clock, SITES)
    base = await console.start(nats_server.url)
    night, day, duty = [await signed_in(base, s) for s in ("HB-S01", "HB-S02", "HB-N01")]
    try:
        csrf = csrf_of((await night.get("/shifts")).text)
        entry = {"csrf": csrf, "shift": "2026-12-03T20:00", "kind": "unresolved",
                 "text": "3、5栋停水未恢复，早班跟进", "ticket": "HBW-202612-9999"}  # fmt: skip
        # a mistyped ticket number: the page again, saying so, with what was typed
        mistyped = await night.post("/shifts/entry", data=entry)
        assert mistyped.status_code == 404, mistyped.text[-600:]
        assert "HBW-202612-9999" in mistyped.text and "没有这个班次" not in mistyped.text
        assert "3、5栋停水未恢复，早班跟进</textarea>" in mistyped.text
        assert (await desk.query("hbw", "shift.show", {}))["status"] == "none"
        written = await night.post("/shifts/entry", data=entry | {"ticket": ""})
        assert "已记入交接班记录" in written.text

        await Drill(desk, "hbw").set_clock(shanghai(2026, 12, 4, 8, 5))
        closed = await night.post(
            "/shifts/close", data={"csrf": csrf, "shift": "2026-12-03T20:00", "note": "见记录"}
        )
        assert "已交班" in closed.text
        # the closer is not offered the signature (intake would refuse it, R15.9)
        assert 'id="sign"' not in closed.text and 'id="sign-by-others"' in closed.text
        for member in (day, duty):  # the first signature does not end the next one's
            page = await member.get("/shifts")
            assert 'id="sign"' in page.text, page.text[-1500:]
            signed = await member.post(
                "/shifts/sign", data={"csrf": csrf_of(page.text), "shift": "2026-12-03T20:00"}
            )
            assert "已签字接班" in signed.text and 'id="sign"' not in signed.text
        log = await desk.query("hbw", "shift.show", {"previous": True})
        assert [s["by"] for s in log["signatures"]] == ["HB-S02", "HB-N01"]
    finally:
        for client in (night, day, duty):
            await client.aclose()
        await console.stop()
