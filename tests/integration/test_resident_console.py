"""The console's resident file over HTTP (R16.2, R16.3, R11.10; docs/RESIDENTS.md): the desk
registers a unit and a resident from the page (a refused form comes back with the reason and
records nothing), finds her by phone with her special-care flag, and the intake form recognises
her when she calls."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.integration.console_support import console_as, csrf_of
from tests.integration.drill import Drill
from tests.integration.support import START, Desk
from tests.integration.test_incident_console import SITES, drill_sites

pytestmark = pytest.mark.integration
__all__ = ["drill_sites"]  # the incident console's site directory, as a fixture here too


async def test_the_desk_registers_and_recognises_a_special_care_resident_R16_2_R11_10(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    await drill_services()
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_as(free_port, sim_clock, SITES, nats_server.url, "HB-S01") as client:
        page = await client.get("/residents")
        assert page.status_code == 200 and "登记住户" in page.text and "住户档案" in page.text
        csrf = csrf_of(page.text)
        unit = {"csrf": csrf, "unit_ref": "3-1201", "place_kind": "room", "building": "3栋",
                "room": "1201", "zone": "A区", "mode": "register"}  # fmt: skip
        saved = await client.post("/residents/units", data=unit)
        assert saved.status_code == 200 and "3-1201 已保存" in saved.text

        resident = {"csrf": csrf, "mode": "register", "resident_ref": "HBW-0001",
                    "kind": "owner", "name": "张阿婆", "phones": "139 1111 2222",
                    "household": "李护工/carer", "special_care": "elderly_alone",
                    "care_note": "行动不便，紧急联系女儿", "unit_ref": "3-1201"}  # fmt: skip
        twice = await client.post("/residents", data=resident | {
            "phones": "13911112222\n+86 139 1111 2222"})  # fmt: skip
        assert twice.status_code == 400 and "twice" in twice.text  # the form comes back
        assert 'value="HBW-0001"' in twice.text
        nobody = await desk.query("hbw", "resident.lookup",
                                  {"staff_id": "HB-S01", "phone": "13911112222"})  # fmt: skip
        assert nobody["residents"] == []  # nothing recorded

        saved = await client.post("/residents", data=resident)
        assert saved.status_code == 200, saved.text[:500]
        assert "住户档案已保存（建议至少留两个电话）" in saved.text  # one phone: R16.3 advises two
        assert "张阿婆" in saved.text and "特殊关怀：独居老人" in saved.text
        assert "李护工（carer）" in saved.text and "3-1201" in saved.text
        # R11.10: what the desk must know of her, shown with her file
        assert 'id="care-note-HBW-0001">关怀说明：行动不便，紧急联系女儿' in saved.text

        edit = await client.get("/residents?phone=13911112222&edit=HBW-0001")
        assert "更正住户档案" in edit.text and "readonly" in edit.text

        # she calls: the intake form recognises her and fills in who and where
        recognised = await client.get("/desk?caller=13911112222")
        assert recognised.status_code == 200 and 'id="caller-care"' in recognised.text
        assert "特殊关怀：独居老人</span> 行动不便，紧急联系女儿" in recognised.text
        assert 'name="name" maxlength="50" value="张阿婆"' in recognised.text
        assert 'name="room" maxlength="40" value="3-1201"' in recognised.text
        unknown = await client.get("/desk?caller=13800000000")
        assert "未登记的号码" in unknown.text


async def test_the_desk_records_a_special_care_visit_and_sees_when_the_next_is_due_R11_10(
    desk: Desk, drill_services, settings, sim_clock, nats_server
) -> None:
    """R11.10's regular visits, from her page: the visits recorded and when the next is due
    (the site's 30 days from her flag, then from when the last visit was made); a visit the service
    refuses comes back with what was typed and records nothing."""
    await drill_services()
    room = {"staff_id": "HB-S01", "unit_ref": "3-1201", "room": "1201", "zone": "A区"}
    assert (await desk.command("hbw", "unit_register", room))["ok"]
    for ref, name, care in (("HBW-0001", "张阿婆", "elderly_alone"), ("HBW-0002", "张先生", None)):
        body = {"staff_id": "HB-S01", "resident_ref": ref, "kind": "owner", "name": name,
                "phones": [f"1391111{ref[-4:]}"], "special_care": care,
                "unit_ref": "3-1201"}  # fmt: skip
        assert (await desk.command("hbw", "resident_register", body))["ok"]
    free_port = settings.model_copy(update={"console_port": 0})
    async with console_as(free_port, sim_clock, SITES, nats_server.url, "HB-S01") as client:
        page = await client.get("/residents?unit=3-1201")
        assert 'id="care-HBW-0001"' in page.text and "尚未登记走访" in page.text
        assert 'id="care-HBW-0002"' not in page.text  # her son needs no visits
        due = re.search(r'id="next-visit-HBW-0001"[^>]*>下次走访应在 <span class="nowrap">([^<]+)<',
                        page.text)  # fmt: skip
        assert due, page.text[:800]
        assert due.group(1) == "2026-12-23 10:00 (UTC+08:00)"  # 30 days from her flag

        # five days on, a visit "tomorrow" is refused by intake: the form comes back as typed
        await Drill(desk).set_clock(START + timedelta(days=5))  # 2026-11-28 10:00
        typed = {"csrf": csrf_of(page.text), "resident_ref": "HBW-0001",
                 "visited_at": "2026-11-29T09:00", "note": "送药上门，精神好"}  # fmt: skip
        ahead = await client.post("/residents/visits?unit=3-1201", data=typed)
        assert ahead.status_code == 400 and "走访时间不能晚于现在" in ahead.text
        form = ahead.text[ahead.text.index('id="care-HBW-0001"') :]
        assert form.index('id="message"') < form.index("送药上门，精神好</textarea>")
        assert 'value="2026-11-29T09:00"' in form
        long = await client.post("/residents/visits?unit=3-1201", data=typed | {
            "visited_at": "", "note": "很" * 501})  # fmt: skip
        assert long.status_code == 400 and "走访情况" in long.text and "最多 500 个字" in long.text
        found = await desk.query("hbw", "resident.lookup",
                                 {"staff_id": "HB-S01", "unit_ref": "3-1201"})  # fmt: skip
        assert [r["care_visits"] for r in found["residents"]] == [[], []]  # nothing recorded

        # made at nine this morning, entered at ten: listed, and the wait begins again
        saved = await client.post("/residents/visits?unit=3-1201", data=typed | {
            "visited_at": "2026-11-28T09:00"})  # fmt: skip
        assert saved.status_code == 200 and "已登记 HBW-0001 的关怀走访" in saved.text
        assert saved.url.params["unit"] == "3-1201"
        found = re.search(r'id="care-visits-HBW-0001">.*?<tbody>(.*?)</tbody>', saved.text, re.S)
        assert found, saved.text[:800]
        row = found.group(1)
        assert "2026-11-28 09:00" in row and "登记于 2026-11-28 10:00" in row
        assert "HB-S01" in row and "送药上门，精神好" in row
        assert "2026-12-28 09:00 (UTC+08:00)</span> 前" in saved.text  # 30 days from nine
