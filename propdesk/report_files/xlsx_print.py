"""How a sheet of the XLSX workbook prints (docs/REPORT-FILES.md "Printing"): landscape A4, as
wide as the page, the title rows on every page, and no table cut by a page break that a new
page would avoid."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from propdesk.report_files.document import Sheet
from propdesk.report_files.xlsx_layout import Layout

A4_LANDSCAPE = (11.69, 8.27)  # inches
MARGINS = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
DEFAULT_ROW = 15.0  # points


def print_setup(ws: Worksheet, layout: Layout, sheet: Sheet, titles: int) -> None:
    """Landscape A4, as wide as the page (as many pages down as it takes), the title rows (and
    a list's header) on every page, page numbers in the footer, and a page break before a table
    that would not fit on what is left of the page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = MARGINS
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"1:{titles}"
    if sheet.frozen_columns:
        ws.print_title_cols = f"A:{get_column_letter(sheet.frozen_columns)}"
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页 Page &P of &N"
    ws.oddFooter.center.size = 8
    for row in _page_breaks(layout, titles):
        ws.row_breaks.append(Break(id=row))


def _page_breaks(layout: Layout, titles: int) -> list[int]:
    """The rows after which a page ends: a table that does not fit on what is left of the page
    starts on the next one (a table longer than a page runs on, its rows whole)."""
    width, height = A4_LANDSCAPE
    printable_width = (width - MARGINS.left - MARGINS.right) * 72  # points
    printable_height = (height - MARGINS.top - MARGINS.bottom) * 72
    sheet_width = sum(layout.width(c, c) * 7 + 5 for c in range(1, layout.columns + 1)) * 0.75
    scale = min(1.0, printable_width / sheet_width)
    page = printable_height / scale * 0.95  # a little room for the footer and rounding

    def tall(first: int, last: int) -> float:
        return sum(layout.heights.get(r, DEFAULT_ROW) for r in range(first, last + 1))

    repeated = tall(1, titles)
    used = tall(1, layout.blocks[0][0] - 1) if layout.blocks else 0.0
    breaks = []
    for first, last in layout.blocks:
        block = tall(first, last)
        if used + block > page and used > repeated:
            breaks.append(first - 1)
            used = repeated
        used += block
        while used > page:  # a table longer than a page runs on
            used -= page - repeated
    return breaks
