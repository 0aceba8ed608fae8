"""The actions the console's ticket page offers follow the ticket's status and its work orders."""

from __future__ import annotations

from services.console.adapters.templating import clock_named
from services.console.domain.screens import allowed_actions, open_orders


def verbs(ticket: dict[str, object]) -> list[str]:
    return [action.verb for action in allowed_actions(ticket)]


def test_an_open_work_order_keeps_resolve_off_the_page_r8_12() -> None:
    """R8.12 / R11.8: a ticket is resolved only once every work order has ended."""
    orders = [
        {"order_no": "HBW-202611-0001-W1", "status": "signed_off"},
        {"order_no": "HBW-202611-0001-W2", "status": "arrived"},
    ]
    ticket = {"status": "classified", "kind": "repair", "channel": "phone", "work_orders": orders}
    assert open_orders(ticket) == ["HBW-202611-0001-W2"]
    assert "resolve" not in verbs(ticket)
    assert "reply" in verbs(ticket)

    orders[1]["status"] = "referred"
    assert open_orders(ticket) == []
    assert "resolve" in verbs(ticket)


def test_a_resolved_ticket_offers_the_follow_up_but_a_finding_does_not() -> None:
    ticket = {"status": "resolved", "kind": "repair", "channel": "phone", "work_orders": []}
    assert "follow_up" in verbs(ticket) and "resolve" not in verbs(ticket)
    assert "follow_up" not in verbs({**ticket, "channel": "inspection"})


def test_the_staff_who_do_the_work_take_no_desk_step_on_a_ticket_r11_3_r15_2() -> None:
    """R11.3: the desk calls the customer back, not the technician who did the job; R15.2: the
    customer's details only to the roles intake shows them to — nobody is offered a refused look."""
    ticket = {"status": "resolved", "kind": "repair", "channel": "phone", "work_orders": []}
    for worker in ("technician", "department_staff"):
        assert allowed_actions(ticket, worker) == []
    assert "follow_up" in [a.verb for a in allowed_actions(ticket, "receptionist")]
    assert "reveal_contact" in [a.verb for a in allowed_actions(ticket, "receptionist")]
    for outside in ("quality", "gm_office", "cs_supervisor"):
        offered = [a.verb for a in allowed_actions(ticket, outside)]
        assert "reveal_contact" not in offered and "follow_up" in offered


def test_a_breached_clock_is_named_with_the_order_it_times() -> None:
    assert clock_named("order_collected_household:HBW-202611-0001-W1") == "住户报修接单（W1）"
    assert clock_named("complaint_reply") == "投诉答复"
    assert clock_named("someone_elses") == "someone_elses"  # a clock the console does not know
