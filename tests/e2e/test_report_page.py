"""The monthly report's HTML page in a browser (docs/REPORT-FILES.md): each chart draws its own
title, so its caption (kept for screen readers) is not shown a second time above it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.console_support import chromium
from tests.unit.test_report_files import MONTHLY, QUALITY, written


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


def test_a_charts_title_is_shown_once(browser: Any, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(written("monthly", MONTHLY, tmp_path)["html"].as_uri())
    sizes = page.eval_on_selector_all(
        "figure",
        "figures => figures.map(f => [f.querySelector('figcaption').getBoundingClientRect()"
        ".height, f.querySelector('svg').getBoundingClientRect().height])",
    )
    assert len(sizes) == 3
    for caption, chart in sizes:
        assert caption <= 1 and chart > 100, sizes
    assert page.locator("figcaption", has_text="Contacts by category").count() == 1
    page.close()


def test_the_quality_packs_wide_table_scrolls_in_its_box_and_keeps_the_site_in_view(
    browser: Any, tmp_path: Path
) -> None:
    # ~40 measures side by side: the page stays the window's width, the table scrolls in its own
    # box, and its site and name stay in view as the workbook freezes them
    for width in (1366, 390):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(written("quality", QUALITY, tmp_path)["html"].as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") == width
        box = page.locator("#sites .scroll")
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")
        box.evaluate("e => e.scrollLeft = e.scrollWidth")
        lefts = page.eval_on_selector_all(
            "#sites tbody tr",
            "rows => rows.map(r => [...r.children].slice(0, 3)"
            ".map(c => c.getBoundingClientRect().left))",
        )
        site, name, first_measure = lefts[0]
        assert all(row[:2] == [site, name] for row in lefts), lefts
        assert site >= 0 and name > site and first_measure < site, lefts
        page.close()
