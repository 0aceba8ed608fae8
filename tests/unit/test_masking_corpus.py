"""Masking of published free text against what desks actually type, both ways (R15.1, R15.4,
R15.5): personal data is replaced by ***, dates, rooms, amounts and order numbers are not."""

from __future__ import annotations

import time

import pytest

from shared.messaging.publishing import MASK, mask
from tests.unit.masking_corpus import KEPT, MASKED, MASKED_FOR_REPORTER, REPORTERS


def test_the_corpus_is_big_enough_to_mean_something() -> None:
    assert len(MASKED) + len(MASKED_FOR_REPORTER) >= 40 and len(KEPT) >= 20


@pytest.mark.parametrize(("typed", "published"), MASKED)
def test_personal_data_anybody_typed_is_masked_R15_1(typed: str, published: str) -> None:
    assert mask(typed) == published


@pytest.mark.parametrize(("typed", "published"), MASKED_FOR_REPORTER)
def test_the_reporters_names_and_phones_are_masked_however_written_R15_4(
    typed: str, published: str
) -> None:
    assert mask(typed, REPORTERS) == published


@pytest.mark.parametrize("typed", KEPT)
def test_dates_rooms_amounts_and_order_numbers_are_published_as_typed(typed: str) -> None:
    assert mask(typed) == typed
    assert mask(typed, REPORTERS) == typed


@pytest.mark.parametrize(("typed", "published"), MASKED + MASKED_FOR_REPORTER)
def test_masking_twice_changes_nothing_more(typed: str, published: str) -> None:
    """Dispatch masks the ticket's content that intake already masked (R15.5)."""
    assert mask(published, REPORTERS) == published


def test_a_one_character_name_is_not_masked_on_its_own() -> None:
    """Masking 王 would mask every 王 of the text (王府井, 王先生's neighbour); the surname with
    an honorific still is."""
    assert mask("王府井店的王先生", [{"name": "王"}]) == f"王府井店的{MASK}"


def test_masking_keeps_everything_around_it_exactly_as_typed() -> None:
    """Matching runs on a folded copy (full-width to ASCII); the text around a mask keeps its
    full-width punctuation."""
    typed = "（急）业主：李四，电话：１３９１２３４５６７８；５－３０２室"
    assert mask(typed, REPORTERS) == f"（急）业主：{MASK}，电话：{MASK}；５－３０２室"


def test_an_analysis_is_masked_for_six_busy_months_of_reporters_in_a_moment() -> None:
    """Intake masks the month's analysis with the reporters of six months (R12.2, R15.1): at
    3,000 contacts a month that is 18,000 names and phones, looked up, not compiled."""
    reporters = [{"name": f"{chr(0x5F20 + i % 300)}{chr(0x4E00 + i)}", "phone": f"139{i:08d}"}
                 for i in range(18_000)]  # fmt: skip
    name, phone = reporters[12_345]["name"], "139 0001 2345"
    analysis = f"本月投诉集中在噪音，{name}多次来电({phone})。" * 20

    started = time.perf_counter()
    masked = mask(analysis, reporters)

    assert masked == f"本月投诉集中在噪音，{MASK}多次来电({MASK})。" * 20
    assert time.perf_counter() - started < 5  # about 0.1 s; a pattern of 18,000 names took 12 s


def test_nothing_to_mask_and_none_stay_as_they_are() -> None:
    assert mask(None) is None
    assert mask("") == ""
    assert mask("厨房水管漏水", [None, {}]) == "厨房水管漏水"
