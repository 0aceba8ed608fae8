"""The Ticket aggregate: its status machine and its classification rules
(docs/DOMAIN.md §2, §3, §6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.intake.domain import RuleError, Ticket, TicketCounter, TransitionError, ticket_id_for
from shared.kernel.vocabulary import TicketStatus

T0 = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
META = {"actor": "S017", "correlation_id": "corr-1", "causation_id": None}
LATER = T0 + timedelta(hours=3)


def at_status(ticket, status: str):
    """Drive a reported ticket to `status` through the ordinary commands."""
    if status in ("resolved", "closed", "reopened"):
        ticket.resolve(at=LATER, meta=META, resolution="换了水管接头")
    if status == "closed":
        ticket.follow_up(at=LATER, meta=META, satisfied=True, score=5, comment=None)
    if status == "reopened":
        ticket.follow_up(at=LATER, meta=META, satisfied=False, score=2, comment="还在漏")
    if status == "classified":
        ticket.classify(at=LATER, meta=META, category="electrical")
    if status == "cancelled":
        ticket.cancel(at=LATER, meta=META, reason="withdrawn", note="业主撤回")
    assert ticket.status == status
    return ticket


def test_a_reported_ticket_is_received_and_owned_by_the_staff_who_took_the_contact_R10_1(
    make_ticket,
):
    ticket = make_ticket(actor="S099")
    assert ticket.status is TicketStatus.received
    assert ticket.owner == "S099"
    assert ticket.is_open


def test_happy_path_received_classified_resolved_satisfied_follow_up_closes_R11_1(make_ticket):
    ticket = make_ticket(kind="complaint", category="cleaning")
    ticket.classify(at=LATER, meta=META, validity="valid", severity="minor")
    assert ticket.status == "classified"
    ticket.accept_solution(at=LATER, meta=META, solution="当天重新清扫楼道")  # R6.9
    ticket.resolve(at=LATER, meta=META, resolution="已安排保洁")
    assert (ticket.status, ticket.resolution) == ("resolved", "已安排保洁")
    ticket.follow_up(at=LATER, meta=META, satisfied=True, score=5, comment=None)
    assert ticket.status == "closed"
    assert ticket.follow_up_count == 1
    assert not ticket.is_open


def test_unsatisfied_follow_up_reopens_and_counts_each_reopening_R11_2(make_ticket):
    ticket = make_ticket()
    for expected in (1, 2):
        ticket.resolve(at=LATER, meta=META, resolution="处理了")
        ticket.follow_up(at=LATER, meta=META, satisfied=False, score=1, comment="没修好")
        assert (ticket.status, ticket.reopen_count) == ("reopened", expected)
    assert ticket.follow_up_count == 2
    assert ticket.is_open


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_a_resolved_or_closed_ticket_can_be_reopened(make_ticket, status):
    ticket = at_status(make_ticket(), status)
    ticket.reopen(at=LATER, meta=META, reason="业主再次来电")
    assert (ticket.status, ticket.reopen_count) == ("reopened", 1)


@pytest.mark.parametrize("status", ["received", "classified", "reopened", "cancelled"])
def test_reopen_is_refused_unless_resolved_or_closed(make_ticket, status):
    ticket = at_status(make_ticket(), status)
    with pytest.raises(TransitionError, match=f"cannot reopen a ticket that is {status}"):
        ticket.reopen(at=LATER, meta=META, reason="x")


@pytest.mark.parametrize("status", ["received", "classified", "reopened"])
def test_an_open_ticket_can_be_cancelled(make_ticket, status):
    ticket = at_status(make_ticket(), status)
    ticket.cancel(at=LATER, meta=META, reason="duplicate", note="重复登记", duplicate_of=uuid4())
    assert ticket.status == "cancelled"


@pytest.mark.parametrize("status", ["resolved", "closed", "cancelled"])
def test_cancel_is_refused_once_the_ticket_is_no_longer_open(make_ticket, status):
    ticket = at_status(make_ticket(), status)
    with pytest.raises(TransitionError) as raised:
        ticket.cancel(at=LATER, meta=META, reason="withdrawn")
    assert raised.value.status == status
    assert status in str(raised.value)


def test_a_ticket_cannot_be_cancelled_as_a_duplicate_of_itself(make_ticket):
    ticket = make_ticket()
    with pytest.raises(RuleError) as raised:
        ticket.cancel(at=LATER, meta=META, reason="duplicate", duplicate_of=ticket.id)
    assert raised.value.field == "duplicate_of"


@pytest.mark.parametrize("status", ["received", "classified", "resolved", "reopened"])
def test_a_repeat_contact_links_to_any_ticket_not_closed_or_cancelled_R16_1(make_ticket, status):
    ticket = at_status(make_ticket(), status)
    for expected in (1, 2):
        ticket.link_contact(
            at=LATER, meta=META, channel="visit", content="又来问", reporter=None, received_at=LATER
        )
        assert ticket.repeat_count == expected
    assert ticket.status == status


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_a_repeat_contact_cannot_link_to_a_closed_or_cancelled_ticket(make_ticket, status):
    ticket = at_status(make_ticket(), status)
    with pytest.raises(TransitionError, match=f"that is {status}"):
        ticket.link_contact(
            at=LATER, meta=META, channel="visit", content="x", reporter=None, received_at=LATER
        )


@pytest.mark.parametrize("status", ["received", "classified", "reopened"])
def test_an_open_ticket_takes_any_number_of_replies_only_the_first_marked_first_R10_2(
    make_ticket, status
):
    """R10.2: a help request is answered within 5 minutes; the first reply is that answer."""
    ticket = at_status(make_ticket(kind="help", help_category="G"), status)
    for _ in range(3):
        ticket.reply(at=LATER, meta=META, message="已联系值班人员, 马上到")
    replies = [ev for ev in ticket.collect_events() if isinstance(ev, Ticket.Replied)]
    assert [ev.first for ev in replies] == [True, False, False]
    assert (ticket.status, ticket.reply_count) == (status, 3)


def test_a_reply_after_a_reopening_is_not_the_first_again_R10_2(make_ticket):
    ticket = make_ticket(kind="help", help_category="G")
    ticket.reply(at=LATER, meta=META, message="马上到")
    at_status(ticket, "reopened")
    ticket.reply(at=LATER, meta=META, message="再去看一次")
    replies = [ev for ev in ticket.collect_events() if isinstance(ev, Ticket.Replied)]
    assert [ev.first for ev in replies] == [True, False]


@pytest.mark.parametrize("status", ["resolved", "closed", "cancelled"])
def test_a_reply_is_refused_once_the_ticket_is_no_longer_open_R10_2(make_ticket, status):
    ticket = at_status(make_ticket(), status)
    version = ticket.version
    with pytest.raises(TransitionError, match=f"^cannot reply to a ticket that is {status}$"):
        ticket.reply(at=LATER, meta=META, message="x")
    assert (ticket.status, ticket.version, ticket.reply_count) == (status, version, 0)


@pytest.mark.parametrize(
    ("status", "command", "kwargs"),
    [
        ("closed", "resolve", {"resolution": "x"}),
        ("cancelled", "classify", {"category": "noise"}),
        ("received", "follow_up", {"satisfied": True, "score": 5, "comment": None}),
        ("reopened", "follow_up", {"satisfied": True, "score": 5, "comment": None}),
    ],
)
def test_invalid_transitions_name_the_current_status_and_change_nothing(
    make_ticket, status, command, kwargs
):
    ticket = at_status(make_ticket(), status)
    version = ticket.version
    with pytest.raises(TransitionError) as raised:
        getattr(ticket, command)(at=LATER, meta=META, **kwargs)
    assert str(raised.value).endswith(f"that is {status}")
    assert (ticket.status, ticket.version) == (status, version)


def test_the_same_client_ref_at_the_same_site_is_the_same_ticket_id():
    assert ticket_id_for("hbw", "desk-7") == ticket_id_for("hbw", "desk-7")
    assert ticket_id_for("hbw", "desk-7") != ticket_id_for("hbw", "desk-8")


def test_the_same_client_ref_at_another_site_is_another_ticket():
    assert ticket_id_for("hbw", "desk-7") != ticket_id_for("lgp", "desk-7")


def test_the_counter_numbers_tickets_site_month_and_four_digit_sequence():
    counter = TicketCounter.start(site="hbw", month="202611", at=T0)
    assert [counter.next_number(T0) for _ in range(3)] == [
        "HBW-202611-0001",
        "HBW-202611-0002",
        "HBW-202611-0003",
    ]


def test_each_site_and_month_has_its_own_counter():
    ids = {
        TicketCounter.id_for("hbw", "202611"),
        TicketCounter.id_for("hbw", "202612"),
        TicketCounter.id_for("lgp", "202611"),
    }
    assert len(ids) == 3
    assert TicketCounter.id_for("hbw", "202611") == TicketCounter.id_for("hbw", "202611")


@pytest.mark.parametrize(("satisfied", "score"), [(True, 1), (True, 3), (False, 4)])
def test_a_follow_up_whose_flag_contradicts_its_score_records_nothing_R11_1(
    make_ticket, satisfied, score
):
    """One definition (shared/kernel/satisfaction.py): satisfied is a score of 4–5."""
    ticket = at_status(make_ticket(), "resolved")
    with pytest.raises(RuleError, match=f"score {score} is"):
        ticket.follow_up(at=LATER, meta=META, satisfied=satisfied, score=score, comment="x")
    assert ticket.status == "resolved" and ticket.follow_up_count == 0


@pytest.mark.parametrize(
    ("score", "status", "satisfied"),
    [(5, "closed", True), (4, "closed", True), (3, "reopened", False)],
)
def test_the_ticket_derives_satisfied_from_the_score_alone_R11_1(
    make_ticket, score, status, satisfied
):
    """The desk gives the score; the ticket, not its caller, says what it means."""
    ticket = at_status(make_ticket(), "resolved")
    ticket.follow_up(at=LATER, meta=META, score=score, comment="x")
    followed_up = next(e for e in ticket.collect_events() if isinstance(e, Ticket.FollowedUp))
    assert (ticket.status, followed_up.satisfied, followed_up.score) == (status, satisfied, score)


def _finding(make_ticket):
    return at_status(make_ticket(channel="inspection", reporter=None, kind="repair"), "resolved")


def test_a_finding_verified_on_site_closes_with_who_when_and_the_result_R13_17(make_ticket):
    ticket = _finding(make_ticket)
    ticket.verify(
        at=LATER, meta=META, verified_by="S07", verified_at=T0, passed=True, note="无渗漏"
    )
    check, closed = ticket.collect_events()[-2:]
    assert (check.verified_by, check.verified_at, check.passed) == ("S07", T0, True)
    assert closed.reason == "verified_on_site"
    assert ticket.status == "closed"


def test_a_finding_that_fails_its_check_reopens_with_what_remains_R13_17(make_ticket):
    ticket = _finding(make_ticket)
    ticket.verify(at=LATER, meta=META, verified_by="S07", verified_at=T0, passed=False, note="仍漏")
    assert (ticket.status, ticket.reopen_count) == ("reopened", 1)


def test_a_finding_has_no_customer_to_follow_up_R13_17(make_ticket):
    ticket = _finding(make_ticket)
    with pytest.raises(RuleError, match="no customer"):
        ticket.follow_up(at=LATER, meta=META, satisfied=True, score=5, comment=None)
    assert ticket.status == "resolved"


def test_a_customers_ticket_is_followed_up_not_verified_on_site_R11_1(make_ticket):
    ticket = at_status(make_ticket(), "resolved")
    with pytest.raises(RuleError, match="follow-up call"):
        ticket.verify(
            at=LATER, meta=META, verified_by="S07", verified_at=T0, passed=True, note=None
        )


def test_only_a_resolved_finding_is_verified(make_ticket):
    ticket = make_ticket(channel="inspection", reporter=None)
    with pytest.raises(TransitionError):
        ticket.verify(
            at=LATER, meta=META, verified_by="S07", verified_at=T0, passed=True, note=None
        )


# -- a complaint's solution is accepted by the customer before it is carried out (R6.9) -------


def test_a_complaint_is_not_resolved_unclassified_R6_2(make_ticket):
    ticket = make_ticket(kind="complaint", category="cleaning")
    with pytest.raises(TransitionError, match="unclassified complaint"):
        ticket.resolve(at=LATER, meta=META, resolution="已处理")


def test_a_valid_complaint_is_resolved_only_after_the_customer_accepts_its_solution_R6_9(
    make_ticket,
):
    ticket = make_ticket(kind="complaint", category="cleaning")
    ticket.classify(at=LATER, meta=META, validity="valid", severity="minor")
    with pytest.raises(TransitionError, match=r"not accepted \(R6\.9\)"):
        ticket.resolve(at=LATER, meta=META, resolution="已处理")
    ticket.accept_solution(at=LATER, meta=META, solution="今天下午重新清扫")
    ticket.resolve(at=LATER, meta=META, resolution="已重新清扫")
    assert ticket.status == "resolved"


def test_a_reopened_complaint_needs_a_new_solution_accepted_R6_9(make_ticket):
    ticket = make_ticket(kind="complaint", category="cleaning")
    ticket.classify(at=LATER, meta=META, validity="valid", severity="minor")
    ticket.accept_solution(at=LATER, meta=META, solution="今天下午重新清扫")
    ticket.resolve(at=LATER, meta=META, resolution="已重新清扫")
    ticket.follow_up(at=LATER, meta=META, satisfied=False, score=2, comment="还是脏")
    with pytest.raises(TransitionError):
        ticket.resolve(at=LATER, meta=META, resolution="再次清扫")


def test_a_communicative_complaint_is_explained_and_resolved_without_a_solution_R5_6(make_ticket):
    ticket = make_ticket(kind="complaint", category="noise")
    ticket.classify(at=LATER, meta=META, validity="communicative", communicative_type="venting")
    ticket.resolve(at=LATER, meta=META, resolution="已耐心解释")
    assert ticket.status == "resolved"


def test_a_solution_is_accepted_for_a_complaint_only_R6_9(make_ticket):
    with pytest.raises(RuleError):
        make_ticket().accept_solution(at=LATER, meta=META, solution="换水管")
