"""What people read around the console's pages: docs/CONSOLE.md's table "What each role sees" is
the console's menus (screens.MENUS), row for row and in order (a page added to a menu without the
table, or the other way, fails here); a notice names its subject, no desk token (every reason's
words: tests/unit/test_words.py)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from services.console.domain.screens import MENUS
from services.console.domain.words import ROLES
from shared.kernel.local_time import shown

DOC = Path(__file__).parents[2] / "docs" / "CONSOLE.md"


def documented_menus() -> dict[str, tuple[str, str]]:
    section = DOC.read_text(encoding="utf-8").split("## What each role sees", 1)[1]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines()[2:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] in {"Role", "---"}:
            continue
        role, _, name = cells[0].partition(" ")
        rows[role] = (name, cells[1])
    return rows


def test_the_documented_menus_are_the_console_s() -> None:
    documented = documented_menus()
    assert list(documented) == list(MENUS)
    for role, pages in MENUS.items():
        assert documented[role] == (ROLES[role], ", ".join(page.label for page in pages)), role


def test_every_menu_has_each_page_once_and_no_more_than_fits_a_phone() -> None:
    for role, pages in MENUS.items():
        assert len({page.path for page in pages}) == len(pages), role
        assert len(pages) <= 14, role  # static/console.css: one scrolling row on a phone


def test_a_notice_names_promises_cases_and_shifts_by_what_they_are_not_their_desk_tokens() -> None:
    from services.console.adapters.templating import case_no, subject_label, subject_page

    token = "desk-p24hic433fayllm53rjm7gtrbq"
    promise = {"about": "promise", "reason": "promise_overdue", "ticket_no": token}
    case = {"about": "violation_case", "reason": "measure_overdue", "ticket_no": "desk-7lrq6"}
    shift = {"about": "shift", "reason": "handover_unsigned", "ticket_no": "2026-12-03T20:00"}
    older = {"about": "ticket", "reason": "handover_unsigned", "ticket_no": "2026-12-03T20:00"}
    ticket = {"reason": "clock_breached", "ticket_no": "HBW-202612-0002"}
    assert subject_label(promise) == "承诺回复" and subject_label(case) == "违例案件"
    assert subject_label(shift) == subject_label(older) == "交接班 2026-12-03 20:00"
    assert subject_page(shift) == subject_page(older) == "/shifts"
    resident = {"about": "resident", "reason": "care_visit_due", "ticket_no": "HBW-0002"}
    assert subject_label(resident) == "HBW-0002"  # a visit due: her card, found by her ref
    assert subject_page(resident) == "/residents?ref=HBW-0002#care-HBW-0002"
    assert subject_label(ticket) == "HBW-202612-0002"
    # seen at 07:30 in Shanghai: stored as the day before in UTC, named by the site's day
    seen = {"case_id": "55ad009b-a35f-57ed", "observed_at": "2026-12-02T23:30:00+00:00"}
    assert case_no(seen, shown(seen["observed_at"], ZoneInfo("Asia/Shanghai"))) == (
        "违例-20261203-55AD"
    )


def test_a_refused_form_s_cross_field_check_reads_in_chinese_first() -> None:
    from pydantic import ValidationError

    from services.console.application.forms import refusal_of
    from shared.contracts.maintenance_commands import AnnounceNotice

    body = {"client_ref": "m-1", "kind": "water_outage", "scope": {"buildings": ["3"]},
            "starts_at": "2026-12-07T10:00+08:00", "expected_end": "2026-12-07T09:00+08:00",
            "text": "3栋停水", "staff_id": "HB-S01"}  # fmt: skip
    try:
        AnnounceNotice.model_validate(body)
    except ValidationError as exc:
        refused = refusal_of(exc)
    [field] = refused.fields
    assert field["field"] == "表单"
    assert field["message"].startswith("预计恢复/完工时间须晚于开始时间（expected_end must")
    assert refused.headline == "填写有误：请检查以下字段"  # the page lists the fields once


def test_a_role_opens_the_pages_of_its_menu_and_below_them_and_no_other_roles_page() -> None:
    from services.console.domain.screens import may_open

    every_page = {page for pages in MENUS.values() for page in pages}

    for role, pages in MENUS.items():
        mine = {page.path for page in pages}
        for page in every_page:
            # 维修通告 is read from a ticket's page too (the notice that answered it)
            notice = page.path == "/announcements" and "/tickets" in mine
            assert may_open(role, page.path) == (page.path in mine or notice), (role, page.path)
            assert not may_open(role, page.path, post=True) or page.path in mine
            # below a page of the menu: read and posted to; below another, reached from a page
            # of the menu (REACHED), only read
            assert may_open(role, page.path + "/x/step", post=True) == (page.path in mine)
        for path in ("/", "/password", "/logout", "/live", "/reports/monthly"):
            assert may_open(role, path), (role, path)
    # reached from a page of the menu: a ticket's page from a work order (查看工单), the search
    # from the intake form or the ticket list, the survey results from 走访
    assert may_open("technician", "/tickets/HBW-202612-0001")
    assert not may_open("technician", "/tickets/HBW-202612-0001/resolve", post=True)
    # from a ticket's page: its work orders and slips, its emergency, the notice that answered it
    for path in ("/orders/HBW-WO-1", "/orders/HBW-WO-1/slip", "/incidents/HBW-INC-1"):
        assert may_open("project_manager", path) and may_open("quality", path), path
    assert not may_open("project_manager", "/orders/HBW-WO-1/collect", post=True)
    assert not may_open("project_manager", "/orders")  # the queues: the desk's
    # from 巡查: the violation case a finding was routed to (R13.15b)
    assert may_open("quality", "/violations/55ad009b") and not may_open("quality", "/violations")
    assert not may_open("quality", "/violations/55ad009b/measure", post=True)
    assert may_open("gm_office", "/announcements")
    assert not may_open("gm_office", "/announcements", post=True)
    assert not may_open("technician", "/tickets") and not may_open("technician", "/search")
    assert may_open("receptionist", "/search") and may_open("gm_office", "/search")
    assert may_open("quality", "/surveys") and not may_open("receptionist", "/surveys")
