"""The XLSX workbook (openpyxl), laid out like the paper 《客户投诉(建议、咨询)月汇总表》: a frozen
title, then one titled section after another, each a small bordered table with bold bilingual
headers.

The bytes depend on the report only: the document's dates and every zip entry's time are the
report's `as_of`."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from propdesk.report_files.document import (
    HOURS,
    INT,
    MONEY,
    PCT,
    Cell,
    Document,
    Sheet,
    Table,
    to_decimal,
)

NUMBER_FORMATS = {INT: "0", PCT: "0.0%", HOURS: "0.0", MONEY: "#,##0.00"}
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12, color="1F3864")
SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
EMPTY_FONT = Font(italic=True, color="808080")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH, TEXT_WIDTH = 8, 40, 22, 60


def render(doc: Document, as_of: str | None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in doc.sheets:
        _write_sheet(wb.create_sheet(sheet.name), sheet)
    stamp = _stamp(as_of)
    wb.properties.creator = "PropDesk"
    wb.properties.title = doc.title
    wb.properties.created = wb.properties.modified = stamp
    raw = io.BytesIO()
    # ExcelWriter, not Workbook.save: save() stamps the document with the current time.
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    return _repack(raw.getvalue(), stamp)


def _stamp(as_of: str | None) -> datetime:
    """The report's as_of in UTC (naive, as openpyxl wants); 1980-01-01 without one."""
    try:
        at = datetime.fromisoformat(str(as_of))
    except ValueError:
        return datetime(1980, 1, 1)
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return max(at, datetime(1980, 1, 1))


def _repack(data: bytes, stamp: datetime) -> bytes:
    """The same zip with every entry dated `stamp` (zipfile dates entries with the clock)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _width(value: Any) -> int:
    """Display width: Chinese characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _shown(cell: Cell) -> str:
    """Roughly what Excel shows, to size the column."""
    if cell.value is None:
        return ""
    if cell.kind == PCT and isinstance(cell.value, int | float):
        return f"{cell.value * 100:.1f}%"
    return str(cell.value)


def _put(ws: Worksheet, row: int, col: int, cell: Cell) -> Any:
    """Write one value; numbers stay numbers, text is never read as a formula."""
    target = ws.cell(row=row, column=col)
    value = cell.value
    if value is None:
        return target
    if cell.kind == MONEY:
        amount = to_decimal(value)
        if amount is not None:
            target.value = float(amount)
            target.number_format = NUMBER_FORMATS[MONEY]
            return target
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if cell.kind in NUMBER_FORMATS and number:
        target.value = value
        target.number_format = NUMBER_FORMATS[cell.kind]
        return target
    # a control character typed at the desk (\x0b, \x1b) is not allowed in a workbook
    target.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    target.data_type = "s"  # "=…" typed at the desk stays text
    return target


class _Layout:
    """Writes a sheet top to bottom and remembers how wide each column needs to be."""

    def __init__(self, ws: Worksheet, columns: int) -> None:
        self.ws = ws
        self.columns = columns
        self.row = 1
        self.widths: dict[int, int] = {}

    def fit(self, col: int, width: int) -> None:
        self.widths[col] = max(self.widths.get(col, MIN_WIDTH), width)

    def merge_across(self, row: int, first: int) -> None:
        if self.columns > first:
            self.ws.merge_cells(
                start_row=row, start_column=first, end_row=row, end_column=self.columns
            )

    def title(self, text: str) -> None:
        cell = _put(self.ws, self.row, 1, Cell(text))
        cell.font = TITLE_FONT
        cell.alignment = Alignment(vertical="center")
        self.ws.row_dimensions[self.row].height = 24
        self.merge_across(self.row, 1)
        self.row += 1

    def meta(self, pairs: list[tuple[str, Cell]]) -> None:
        for name, value in pairs:
            _put(self.ws, self.row, 1, Cell(name)).font = HEADER_FONT
            _put(self.ws, self.row, 2, value)
            self.fit(1, _width(name) + 2)
            self.merge_across(self.row, 2)
            self.row += 1

    def table(self, table: Table) -> int:
        """Writes the table; returns the row of its header."""
        self.row += 1  # a blank row between sections
        section = _put(self.ws, self.row, 1, Cell(table.title))
        section.font = SECTION_FONT
        for col in range(1, self.columns + 1):
            self.ws.cell(row=self.row, column=col).fill = SECTION_FILL
        self.row += 1
        header_row = self.row
        last = len(table.header)
        for col, name in enumerate(table.header, start=1):
            cell = _put(self.ws, self.row, col, Cell(name))
            cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            self.fit(col, min(_width(name), HEADER_WIDTH) + 2)
        if table.long_text:
            self.merge_across(self.row, last)
        self.row += 1
        if not table.rows:
            _put(self.ws, self.row, 1, Cell(table.empty)).font = EMPTY_FONT
            self.row += 1
        for values in table.rows:
            lines = 1
            for col, value in enumerate(values, start=1):
                cell = _put(self.ws, self.row, col, value)
                cell.border = BORDER
                shown = _shown(value)
                if table.long_text and col == last:
                    cell.alignment = WRAP
                    span = sum(self.widths.get(c, MIN_WIDTH) for c in range(col, self.columns + 1))
                    span = max(span, TEXT_WIDTH) if col == self.columns else span
                    lines = max(lines, _lines(shown, span))
                else:
                    self.fit(col, min(_width(shown) + 2, MAX_WIDTH))
            if table.long_text:
                self.merge_across(self.row, last)
                if last == self.columns:
                    self.fit(last, TEXT_WIDTH)
                self.ws.row_dimensions[self.row].height = 15 * lines if lines > 1 else None
            self.row += 1
        return header_row

    def finish(self) -> None:
        for col, width in sorted(self.widths.items()):
            self.ws.column_dimensions[get_column_letter(col)].width = width


def _lines(text: str, width: int) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide."""
    return sum(max(1, -(-_width(part) // max(width, 1))) for part in text.split("\n"))


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    columns = max([2, *(len(t.header) for t in sheet.tables)])
    layout = _Layout(ws, columns)
    layout.title(sheet.title)
    layout.meta(sheet.meta)
    ws.freeze_panes = ws.cell(row=layout.row, column=1)  # the title and its lines stay in view
    for table in sheet.tables:
        header_row = layout.table(table)
        if table.key == sheet.frozen_header:
            ws.freeze_panes = ws.cell(row=header_row + 1, column=sheet.frozen_columns + 1)
    layout.finish()
    ws.sheet_view.zoomScale = 100
