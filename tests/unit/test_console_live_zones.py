"""Whose banner a notice raises (services/console/adapters/live.py `for_her`): a member of its
role; a zone CS assistant only for a notice of one of her zones or of none (site-wide) — what her
通知 lists under 我的辖区 (R1.3, R6.3); a member without zones every notice of her role, as
before; a department's supervisor her department's and those to none (R4.12). Through the
console's `/live`: tests/integration/test_new_complaint_stories.py."""

from __future__ import annotations

from services.console.adapters.live import for_her

ZONED = ("A区", "B区")


def notice(role: str = "cs_assistant", zone: str | None = None) -> dict[str, object]:
    return {"role": role, "reason": "complaint_received", "ticket_no": "HBW-202612-0001",
            "zone": zone}  # fmt: skip


def test_a_zone_cs_assistant_is_told_of_her_zones_notices_only_R1_3_R6_3():
    assert for_her(notice(zone="A区"), "cs_assistant", ZONED)
    assert for_her(notice(zone="B区"), "cs_assistant", ZONED)
    assert not for_her(notice(zone="C区"), "cs_assistant", ZONED)  # another assistant's


def test_a_zone_is_compared_without_case_and_surrounding_spaces_R1_3():
    assert for_her(notice(zone=" a区 "), "cs_assistant", ZONED)
    assert for_her(notice(zone="North"), "cs_assistant", ("north ",))


def test_a_notice_of_no_zone_is_every_zone_cs_assistant_s_R6_3():
    assert for_her(notice(zone=None), "cs_assistant", ZONED)
    older = {k: v for k, v in notice().items() if k != "zone"}  # raised before zones
    assert for_her(older, "cs_assistant", ZONED)


def test_a_member_without_zones_is_told_of_every_notice_of_her_role_as_before():
    for zone in ("A区", "C区", None):
        assert for_her(notice(zone=zone), "cs_assistant", ())


def test_a_notice_to_another_role_tells_nobody_else_whatever_its_zone():
    assert not for_her(notice("department_supervisor"), "cs_assistant", ZONED)
    assert not for_her(notice("cs_assistant", "A区"), "project_manager", ())


def test_a_department_supervisor_is_told_of_her_department_s_notices_and_the_site_wide_R4_12():
    """As her 通知 lists them (contract §20.4): engineering's supervisor is not told of a
    notice to the cleaning department's."""
    to = {"role": "department_supervisor", "reason": "breach", "ticket_no": "HBW-202612-0002"}
    assert for_her(to | {"department": "engineering"}, "department_supervisor", (), "engineering")
    assert for_her(to | {"department": None}, "department_supervisor", (), "engineering")
    assert not for_her(to | {"department": "cleaning"}, "department_supervisor", (), "engineering")
    assert for_her(to | {"department": "cleaning"}, "department_supervisor", ())  # none: any
