"""The console's resident file over HTTP (R16.2, R16.3, R11.10; docs/RESIDENTS.md): the desk
registers a unit and a resident from the page (a refused form comes back with the reason and
records nothing), finds her by phone with her special-care flag, and the intake form recognises
her when she calls."""

from __future__ import annotations

import pytest

from tests.integration.console_support import console_as, csrf_of
from tests.integration.support import Desk
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
