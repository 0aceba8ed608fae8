"""Promises in the month's report (R6.15, R2.6, R11.5; docs/PROMISES.md): made, kept on time,
kept late, broken and open, per kind and per staff member, and the on-time rate of those that
ended; the report file's section shows them."""

from __future__ import annotations

from propdesk.report_files.promises import promises
from services.reporting.views.promise_facts import month_figures

ROWS = [
    {"kind": "reply", "owner": "S01", "outcome": "kept_on_time"},
    {"kind": "reply", "owner": "S01", "outcome": "kept_late"},
    {"kind": "callback", "owner": "S02", "outcome": "kept_on_time"},
    {"kind": "answer", "owner": "S02", "outcome": "broken"},
    {"kind": "reply", "owner": "S02", "outcome": None},
]


def test_the_month_counts_promises_by_outcome_kind_and_staff_R6_15_R11_5() -> None:
    figures = month_figures(ROWS)
    assert {k: figures[k] for k in ("made", "kept_on_time", "kept_late", "broken", "open")} == {
        "made": 5, "kept_on_time": 2, "kept_late": 1, "broken": 1, "open": 1
    }  # fmt: skip
    assert figures["on_time_rate"] == 0.5  # 2 of the 4 that ended: the open one waits
    assert figures["by_kind"]["callback"] == {
        "made": 1, "kept_on_time": 1, "kept_late": 0, "broken": 0, "open": 0
    }  # fmt: skip
    assert figures["by_staff"]["S01"]["kept_late"] == 1
    assert figures["by_staff"]["S02"]["open"] == 1


def test_a_month_without_promises_has_no_rate() -> None:
    figures = month_figures([])
    assert (figures["made"], figures["on_time_rate"], figures["by_staff"]) == (0, None, {})


def test_the_report_file_shows_the_site_and_each_member_of_staff() -> None:
    table = promises({"promises": month_figures(ROWS)})
    assert table.key == "promises"
    assert [row[0].value for row in table.rows] == ["全项目 Site", "S01", "S02"]
    assert [c.value for c in table.rows[1][1:6]] == [2, 1, 1, 0, 0]
