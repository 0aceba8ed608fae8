"""How a caller is found however the desk types them (shared/kernel/personal/search_terms.py):
one spelling per phone, name and room, the key of intake's blind index."""

from __future__ import annotations

import pytest

from shared.kernel.personal.search_terms import name_term, phone_term, room_term, terms_of


@pytest.mark.parametrize(
    "typed",
    [
        "13912345678",
        "139 1234 5678",
        "139-1234-5678",
        "+86 139 1234 5678",
        "0086139 1234 5678",
        "１３９１２３４５６７８",
    ],
)
def test_a_mobile_number_is_one_term_however_it_is_written(typed: str) -> None:
    assert phone_term(typed) == "13912345678"


def test_a_landline_keeps_its_area_code() -> None:
    assert phone_term("021-5555 1234") == "02155551234"


def test_a_name_ignores_spaces_dots_case_and_width() -> None:
    assert name_term("王 小明") == name_term("王小明") == "王小明"
    assert name_term("Li Lei") == name_term("LI.LEI") == name_term("ｌｉ ｌｅｉ") == "lilei"


def test_a_room_ignores_case_and_runs_of_spaces() -> None:
    assert room_term(" B栋  1201 ") == room_term("b栋 1201") == "b栋 1201"


def test_a_reporter_gives_a_term_for_each_field_it_has() -> None:
    assert terms_of({"name": "李四", "phone": None, "room": "5-302"}) == [
        ("name", "李四"),
        ("room", "5-302"),
    ]
    assert terms_of(None) == []
