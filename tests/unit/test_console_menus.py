"""docs/CONSOLE.md's table "What each role sees" is the console's menus (screens.MENUS), row for
row and in order: a page added to a menu without the table (or the other way) fails here."""

from __future__ import annotations

from pathlib import Path

from services.console.domain.screens import MENUS
from services.console.domain.words import ROLES

DOC = Path(__file__).parents[2] / "docs" / "CONSOLE.md"


def documented_menus() -> dict[str, tuple[str, str]]:
    section = DOC.read_text(encoding="utf-8").split("## What each role sees", 1)[1]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines()[2:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] in {"Role", "---"}:
            continue
        role, _, name = cells[0].partition(" ")
        rows[role] = (name, cells[1])
    return rows


def test_the_documented_menus_are_the_console_s() -> None:
    documented = documented_menus()
    assert list(documented) == list(MENUS)
    for role, pages in MENUS.items():
        assert documented[role] == (ROLES[role], ", ".join(page.label for page in pages)), role


def test_every_menu_has_each_page_once_and_no_more_than_fits_a_phone() -> None:
    for role, pages in MENUS.items():
        assert len({page.path for page in pages}) == len(pages), role
        assert len(pages) <= 14, role  # static/console.css: one scrolling row on a phone
