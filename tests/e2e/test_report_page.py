"""The monthly report's HTML page in a browser (docs/REPORT-FILES.md): each chart draws its own
title, so its caption (kept for screen readers) is not shown a second time above it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.console_support import chromium
from tests.unit.test_report_files import MONTHLY, written


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
