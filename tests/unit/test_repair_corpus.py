"""The repair corpus (tests/unit/repair_corpus.py) through the kernel's classification
(shared/kernel/repairs.py): every R7.1 item by its phrasings, emergencies (R4.10, R16.5), what must
stay general (R7.2, denied or over), and household or public by where the fault is (R4.3a)."""

from __future__ import annotations

import pytest
from rich.console import Console

from propdesk.cli.replies import print_command_reply
from shared.kernel import repairs
from shared.kernel.vocabulary import Scope, Urgency
from tests.unit.repair_corpus import EMERGENCY, GENERAL, HOUSEHOLD, PUBLIC, URGENT

URGENT_CASES = [
    (item, category, text) for item, cases in URGENT.items() for category, text in cases
]


def test_the_corpus_covers_every_item_of_R7_1_and_is_big_enough_to_mean_something() -> None:
    assert set(URGENT) == {f"R7.1({n})" for n in range(1, 8)}
    assert all(len(cases) >= 5 for cases in URGENT.values())
    assert len(GENERAL) >= 20 and len(EMERGENCY) >= 5
    assert len(PUBLIC) >= 10 and len(HOUSEHOLD) >= 5


@pytest.mark.parametrize(("item", "category", "content"), URGENT_CASES)
def test_an_R7_1_fault_is_urgent_whatever_the_words_R7_1(item, category, content) -> None:
    assert repairs.urgency_of(category, content) is Urgency.urgent, (item, content)


@pytest.mark.parametrize(("item", "category", "content"), URGENT_CASES)
def test_an_R7_1_fault_is_recognised_as_its_own_item_R7_1(item, category, content) -> None:
    """The content alone names the item (not only the category); an elevator category is
    urgent by itself, so its phrasings are checked without it."""
    assert item in {fault.item for fault in repairs.faults_in(content)}, content


@pytest.mark.parametrize(("category", "content"), GENERAL)
def test_general_items_and_denied_faults_are_not_urgent_R7_2(category, content) -> None:
    assert repairs.urgency_of(category, content) is Urgency.general, content
    assert not repairs.is_emergency(content)


@pytest.mark.parametrize("content", EMERGENCY)
def test_a_smell_of_gas_or_fire_is_an_emergency_and_urgent_R7_1_R4_10(content) -> None:
    assert repairs.is_emergency(content), content
    assert repairs.urgency_of("plumbing", content) is Urgency.urgent


def test_an_ordinary_urgent_repair_is_not_an_emergency_R7_1() -> None:
    assert not repairs.is_emergency("厨房水管爆裂，大量漏水")
    assert not repairs.is_emergency("电梯按钮失灵")


@pytest.mark.parametrize(("content", "room"), PUBLIC)
def test_a_fault_in_a_common_part_is_a_public_repair_whoever_reports_it_R4_3a(content, room):
    assert repairs.scope_of("maintenance", room, content) is Scope.public, content


@pytest.mark.parametrize(("content", "room"), HOUSEHOLD)
def test_a_fault_inside_a_unit_is_a_household_repair_R4_3a(content, room) -> None:
    assert repairs.scope_of("plumbing", room, content) is Scope.household, content


def test_the_room_decides_only_when_the_content_says_nothing_R4_3a() -> None:
    assert repairs.scope_of("plumbing", "3-1201", "马桶堵了") is Scope.household
    assert repairs.scope_of("plumbing", "5栋大堂", "马桶堵了") is Scope.public
    assert repairs.scope_of("plumbing", None, "马桶堵了") is Scope.public  # an inspection
    assert repairs.scope_of("public_facility", "3-1201", "灯不亮") is Scope.public
    assert repairs.scope_of("public_facility", "3-1201", "我家客厅灯不亮") is Scope.household


def test_the_desk_sees_an_emergency_when_it_logs_one_R4_10() -> None:
    """The CLI prints what the report's reply says: EMERGENCY first, before the promise."""
    reply = {"ok": True, "ticket_id": "t", "ticket_no": "HBW-202612-0001", "status": "received",
             "duplicate": False, "deadline": None}  # fmt: skip
    shown = []
    for emergency in (True, False):
        console = Console(record=True, width=200)
        print_command_reply(console, "report", reply | {"emergency": emergency})
        shown.append(console.export_text())
    assert "EMERGENCY" in shown[0] and "emergency plan" in shown[0]
    assert "EMERGENCY" not in shown[1]
