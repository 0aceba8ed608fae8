"""The work-order lifecycle by command (R8.1–R8.15): the status table, its side branches, the
ticket-done flag, idempotency and the site check."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.dispatch.adapters.translate import translate
from services.dispatch.application import DispatchApp
from services.dispatch.domain import FINISHED, LIFECYCLE, WorkOrder
from shared.contracts import dispatch_commands
from shared.contracts.replies import ErrorCode
from shared.eventstore.desk_app import CommandContext

TO_SITE = ("collect", "assign", "arrive")
LEAK = "阳台外墙漏水"
ALLOWED = {verb: step.allowed_from for verb, step in LIFECYCLE.items()}
STATUSES = sorted(frozenset().union(*ALLOWED.values(), FINISHED))
OUT_OF_ORDER = [(verb, s) for verb in ALLOWED for s in STATUSES if s not in ALLOWED[verb]]


def test_a_repair_goes_issued_collected_assigned_arrived_completed_signed_off_returned_R8_15(desk):
    """Signed off, the order is returned for the month-end statistics (R8.10)."""
    order_id = desk.order(desk.report()).id
    replies = desk.walk(order_id, *TO_SITE, "complete", "sign_off", "return")
    assert [r["status"] for r in replies] == [
        "collected", "assigned", "arrived", "completed", "signed_off", "returned",
    ]  # fmt: skip
    order = desk.app.get(order_id, WorkOrder)
    assert (order.technician, order.fee, order.finished) == ("T07", 0, True)


def test_the_department_signs_for_the_order_it_collects_R8_3(desk):
    order_id = desk.order(desk.report()).id
    assert desk.do("collect", order_id, collected_by="E02")["status"] == "collected"
    collected = list(desk.app.repository.event_store.get(order_id))[-1]
    assert isinstance(collected, WorkOrder.Collected)
    assert collected.collected_by == "E02"


@pytest.mark.parametrize(("verb", "status"), OUT_OF_ORDER)
def test_a_step_out_of_order_is_a_conflict_naming_the_status(desk, verb, status):
    order_id = desk.order_in(status)
    error = desk.rejected(desk.do, verb, order_id)
    assert error.code is ErrorCode.conflict
    assert error.message.endswith(f"a work order that is {status}")


@pytest.mark.parametrize("status", ["issued", "arrived", "completed", "referred", "declined"])
def test_rework_of_an_unfinished_or_unsigned_order_is_a_conflict_R8_9(desk, status):
    order_id = desk.order_in(status)
    error = desk.rejected(desk.do, "rework", order_id)
    assert error.code is ErrorCode.conflict and status in error.message


def test_nobody_home_reschedules_back_to_assigned_with_the_new_appointment_R7_17(desk):
    order_id = desk.order_in("arrived")
    start, end = datetime(2026, 11, 12, 1, tzinfo=UTC), datetime(2026, 11, 12, 3, tzinfo=UTC)
    reply = desk.do("reschedule", order_id, appointment={"start": start, "end": end})
    order = desk.app.get(order_id, WorkOrder)
    assert reply["status"] == order.status == "assigned"
    assert datetime.fromisoformat(order.appointment["start"]) == start


def test_outside_the_repair_scope_the_order_is_referred_to_property_business_R7_11(desk):
    order_id = desk.order_in("assigned")
    assert desk.do("refer", order_id)["status"] == "referred"
    referred = list(desk.app.repository.event_store.get(order_id))[-1]
    assert isinstance(referred, WorkOrder.Referred)
    assert referred.to_department == "property_business"
    assert desk.app.get(order_id, WorkOrder).finished


def test_a_leak_repair_waits_for_acceptance_after_the_next_rain_R8_8(desk):
    order_id = desk.order(desk.report(content=LEAK)).id
    assert desk.app.get(order_id, WorkOrder).leak
    *_, completed = desk.walk(order_id, *TO_SITE, "complete")
    assert completed["status"] == "awaiting_acceptance"
    error = desk.rejected(desk.do, "sign_off", order_id)
    assert error.code is ErrorCode.conflict and "awaiting_acceptance" in error.message


def test_a_leak_repair_is_signed_off_once_the_customer_confirms_it_held_R8_8(desk):
    order_id = desk.order_in("awaiting_acceptance")
    assert desk.do("confirm_acceptance", order_id)["status"] == "completed"
    assert desk.do("sign_off", order_id)["status"] == "signed_off"


def _signed_off(desk, order_id) -> WorkOrder.SignedOff:
    desk.walk(order_id, *TO_SITE, "complete", "sign_off")
    event = list(desk.app.repository.event_store.get(order_id))[-1]
    assert isinstance(event, WorkOrder.SignedOff)
    return event


def test_signing_off_the_only_order_finishes_the_tickets_work_R8_12(desk):
    ticket = desk.report()
    event = _signed_off(desk, desk.order(ticket).id)
    assert (event.ticket_id, event.ticket_done) == (ticket.id, True)


def test_the_ticket_is_done_only_when_its_last_order_is_signed_off_R8_12(desk):
    ticket = desk.report()
    second = desk.issue(ticket, department="cleaning")["work_order_id"]
    assert second == str(desk.order(ticket, 2).id)
    assert _signed_off(desk, desk.order(ticket).id).ticket_done is False
    assert _signed_off(desk, desk.order(ticket, 2).id).ticket_done is True


def test_a_manual_order_is_numbered_after_the_automatic_one_and_keeps_its_reason(desk):
    ticket = desk.report()
    reply = desk.issue(ticket, department="cleaning", urgency="urgent", scope="public")
    order = desk.order(ticket, 2)
    assert reply["order_no"] == order.order_no == "HBW-202611-0001-W2"
    assert (order.origin, order.department, order.urgency, order.scope) == (
        "manual", "cleaning", "urgent", "public",
    )  # fmt: skip


def test_a_manual_order_may_be_marked_non_standard_for_assessment_R7_14(desk):
    """R7.14: an item not in the fee catalogue is assessed by the engineering supervisor; the
    order keeps the catalogue's standard items and the non-standard ones apart (R16.8)."""
    ticket = desk.report()
    desk.issue(ticket, reason="更换非标门禁", non_standard=True)
    desk.issue(ticket, reason="普通维修")
    automatic, marked, plain = (desk.order(ticket, n) for n in (1, 2, 3))
    assert (automatic.non_standard, marked.non_standard, plain.non_standard) == (False, True, False)
    [issued] = desk.app.repository.event_store.get(marked.id)
    assert translate(issued).data.non_standard is True


def test_an_order_stored_before_non_standard_existed_reads_as_standard_R7_14(desk):
    order_id = desk.order(desk.report()).id
    mapper = desk.app.mapper
    [stored] = desk.app.recorder.select_events(order_id)
    state = mapper.transcoder.decode(stored.state)
    del state["non_standard"], state["class_version"]  # as recorded before the field existed
    old = replace(stored, state=mapper.transcoder.encode(state))
    issued = mapper.to_domain_event(old)
    assert issued.non_standard is False
    assert issued.mutate(None).non_standard is False
    assert translate(issued).data.non_standard is False


def test_a_repeated_command_id_returns_the_first_reply_and_records_nothing(desk):
    order_id = desk.order_in("collected")
    first = desk.do("assign", order_id, command_id="cmd-1", technician="T07")
    before = desk.recorded()
    again = desk.do("assign", order_id, command_id="cmd-1", technician="T99")
    assert again == first and desk.recorded() == before
    assert desk.app.get(order_id, WorkOrder).technician == "T07"


def test_a_work_order_of_another_site_is_not_found(desk):
    order_id = desk.order_in("issued")
    other = CommandContext("lgp", "corr-x")
    error = desk.rejected(desk.do, "collect", order_id, ctx=other)
    assert error.code is ErrorCode.not_found


def test_a_ticket_of_another_site_cannot_get_a_manual_order_there(desk):
    ticket = desk.report()
    error = desk.rejected(desk.issue, ticket, ctx=CommandContext("lgp", "corr-x"))
    assert error.code is ErrorCode.not_found


def test_a_manual_order_for_a_ticket_dispatch_never_saw_is_not_found(desk, make_ticket):
    unseen = make_ticket(client_ref="desk-9999")
    error = desk.rejected(desk.issue, unseen)
    assert error.code is ErrorCode.not_found


def test_an_override_records_urgency_and_scope_with_its_reason_R7_1_R4_3(desk):
    order_id = desk.order_in("collected")
    reply = desk.do("override", order_id, urgency="urgent", scope="public", reason="共用管道")
    assert (reply["urgency"], reply["scope"], reply["status"]) == ("urgent", "public", "collected")
    overridden = list(desk.app.repository.event_store.get(order_id))[-1]
    assert isinstance(overridden, WorkOrder.Overridden)
    assert (overridden.urgency, overridden.scope, overridden.reason) == (
        "urgent", "public", "共用管道",
    )  # fmt: skip


def test_an_override_of_urgency_alone_keeps_the_scope(desk):
    order_id = desk.order_in("issued")
    reply = desk.do("override", order_id, urgency="general", reason="业主说不急")
    assert (reply["urgency"], reply["scope"]) == ("general", "household")


def test_every_step_of_the_lifecycle_has_its_command_and_every_command_is_handled():
    verbs = [cmd.verb for cmd in dispatch_commands.DISPATCH_COMMANDS]
    assert len(verbs) == len(set(verbs))
    assert set(verbs) == set(LIFECYCLE) | {"issue", "rework"}
    assert set(DispatchApp.handlers) == set(dispatch_commands.DISPATCH_COMMANDS)


def test_the_contracts_status_table_says_what_the_lifecycle_does():
    """docs/contract.md §11 states LIFECYCLE for readers: a verb's allowed statuses and the
    status after it (`unchanged`: none), as the table in the domain has them."""
    text = (Path(__file__).parents[3] / "docs" / "contract.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.split("## 11. Work-order status", 1)[1].split("\n## ", 1)[0].splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0].strip("`") in LIFECYCLE:
            after = re.findall(r"`(\w+)`", cells[2])
            rows[cells[0].strip("`")] = (set(re.findall(r"`(\w+)`", cells[1])), after[:1])
    assert rows == {
        verb: (set(step.allowed_from), [step.becomes] if step.becomes else [])
        for verb, step in LIFECYCLE.items()
    }
