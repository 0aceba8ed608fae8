"""The desk's queues from the command line (issue 14): `propdesk ticket search`, `propdesk
workorder list` and `propdesk notice list --open`, through NATS with the real services."""

from __future__ import annotations

import json

import pytest

from tests.integration.drill import Drill, parse
from tests.integration.support import Desk, eventually, report_body
from tests.integration.test_desk_words import cli
from tests.integration.test_dispatch_stories import repair, walk
from tests.integration.test_notice_list import breached_help_requests

pytestmark = pytest.mark.integration


async def test_the_desk_finds_a_caller_by_phone_and_sees_no_personal_data_printed(
    desk: Desk, services, nats_server
) -> None:
    caller = {"name": "王小明", "phone": "13800138000", "room": "3-201"}
    ticket = await desk.command("hbw", "report", report_body("c-1", reporter=caller))

    found = await cli(nats_server.url, "ticket", "search", "--site", "hbw", "--staff", "S01",
                      "--phone", "138-0013-8000")  # fmt: skip
    missing = await cli(nats_server.url, "ticket", "search", "--site", "hbw", "--staff", "S01",
                        "--phone", "13800138001")  # fmt: skip
    bad = await cli(nats_server.url, "ticket", "search", "--site", "hbw", "--staff", "S01")

    assert found.exit_code == 0, found.output
    assert ticket["ticket_no"] in found.output and "3-201" in found.output
    assert "王小明" not in found.output and "13800138000" not in found.output
    assert missing.exit_code == 0 and "no tickets match" in missing.output
    assert (
        bad.exit_code == 1 and "give at least one of phone, name, room or ticket_no" in bad.output
    )


async def test_a_department_lists_its_orders_by_status_and_a_technician_their_own(
    desk: Desk, services, nats_server
) -> None:
    _, waiting = await repair(desk, "w-1", "厨房水管漏水")
    _, assigned = await repair(desk, "w-2", "卫生间水龙头坏了")
    await walk(desk, assigned["work_order_id"], ("collect", {"collected_by": "ENG-LEAD"}),
               ("assign", {"technician": "T07"}))  # fmt: skip

    async def listed(*args: str) -> list[str] | None:
        done = await cli(nats_server.url, "workorder", "list", "--site", "hbw", "--json", *args)
        assert done.exit_code == 0, done.output
        return [o["order_no"] for o in json.loads(done.output)["work_orders"]]

    async def technicians_own() -> list[str] | None:
        return found if (found := await listed("--technician", "T07")) else None

    assert await eventually(technicians_own) == [assigned["order_no"]]
    assert await listed("--status", "issued") == [waiting["order_no"]]
    for columns in (200, 90):  # the numbers whole on a narrow terminal too
        table = await cli(nats_server.url, "workorder", "list", "--site", "hbw", columns=columns)
        assert waiting["order_no"] in table.output and assigned["order_no"] in table.output
    refused = await cli(nats_server.url, "workorder", "list", "--site", "hbw", "--status", "lost")
    assert refused.exit_code == 1 and "status" in refused.output


async def test_a_work_orders_history_shows_every_value_whole_on_a_narrow_terminal(
    desk: Desk, services, nats_server
) -> None:
    """`workorder show` below ~120 columns cut the history's details with an ellipsis:
    `order_no=HBW-20261…`, `ticket_id=b321b028…`. Now they wrap, nothing cut."""
    ticket, order = await repair(desk, "h-1", "厨房水管漏水")

    shown = await cli(nats_server.url, "workorder", "show", order["order_no"], "--site", "hbw",
                      columns=90)  # fmt: skip

    assert shown.exit_code == 0, shown.output
    assert "…" not in shown.output
    history = shown.output[shown.output.index("History") :]
    folded = "".join(line.split("│")[-2].strip() for line in history.splitlines() if "│" in line)
    assert f"ticket_id={ticket['ticket_id']}" in folded
    assert f"order_no={order['order_no']}" in folded


async def test_notice_list_open_shows_only_what_nobody_has_acknowledged(
    desk: Desk, drill_services, nats_server
) -> None:
    await drill_services()
    drill = Drill(desk)
    first, second = await breached_help_requests(desk, drill, 2)

    async def open_ones() -> list[str] | None:
        done = await cli(nats_server.url, "notice", "list", "--site", "hbw", "--open", "--json")
        assert done.exit_code == 0, done.output
        notices = json.loads(done.output)["notices"]
        return notices if len(notices) == 2 else None

    [to_ack, _] = await eventually(open_ones)
    ack = {"staff_id": "CS1", "notification_id": to_ack["notification_id"]}
    acked = await drill.escalation("ack", ack)
    assert acked["ok"], acked

    async def only_second() -> list[str] | None:
        done = await cli(nats_server.url, "notice", "list", "--site", "hbw", "--open", "--json")
        tickets = [n["ticket_id"] for n in json.loads(done.output)["notices"]]
        return tickets if tickets == [second] else None

    assert await eventually(only_second) == [second]
    everything = await cli(nats_server.url, "notice", "list", "--site", "hbw", "--json")
    assert [n["ticket_id"] for n in json.loads(everything.output)["notices"]] == [first, second]
    # on a narrow terminal the id `propdesk notice ack` takes is printed whole, on one line
    narrow = await cli(nats_server.url, "notice", "list", "--site", "hbw", columns=100)
    assert narrow.exit_code == 0, narrow.output
    ids = [n["notification_id"] for n in json.loads(everything.output)["notices"]]
    assert all(i in narrow.output for i in ids), narrow.output


async def test_a_department_supervisor_lists_the_order_nobody_collected_by_its_number_R7_6(
    desk: Desk, drill_services, nats_server
) -> None:
    await drill_services()
    drill = Drill(desk)
    _, order = await repair(desk, "late-1", "厨房水管漏水")
    started = await drill.started(
        order["ticket_id"], f"order_collected_household:{order['order_no']}"
    )
    await drill.decided_at(parse(started["deadline"]))
    args = ("notice", "list", "--site", "hbw", "--role", "department_supervisor",
            "--department", "engineering")  # fmt: skip

    async def listed() -> list[dict] | None:
        done = await cli(nats_server.url, *args, "--json")
        assert done.exit_code == 0, done.output
        return json.loads(done.output)["notices"] or None

    [notice] = await eventually(listed)
    assert (notice["order_no"], notice["department"]) == (order["order_no"], "engineering")
    table = await cli(nats_server.url, *args, columns=100)
    assert order["order_no"] in table.output, table.output  # whole, under its ticket

    # the lists say the ticket and the order are overdue beside their status, not beside the
    # next deadline -- which is still ahead (the repair's, R7.3)
    for listing, number in (("ticket", order["order_no"].rsplit("-", 1)[0]),
                            ("workorder", order["order_no"])):  # fmt: skip
        listed = await cli(nats_server.url, listing, "list", "--site", "hbw", columns=220)
        [row] = [line for line in listed.output.splitlines() if number + " " in line]
        cells = [cell.strip() for cell in row.split("│")]
        assert cells[2].endswith("overdue"), row
        assert "overdue" not in cells[-3 if listing == "ticket" else -2], row
