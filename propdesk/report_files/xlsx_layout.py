"""How a sheet of the XLSX workbook is laid out (propdesk/report_files/xlsx.py): a title, the
report's lines, then one titled section after another, each a small bordered table with bold
bilingual headers; numbers stay numbers, text never becomes a formula, and every column is as
wide as what it shows (Chinese characters take two columns)."""

from __future__ import annotations

import unicodedata
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from propdesk.report_files.document import HOURS, INT, MONEY, PCT, Cell, Table, to_decimal

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
TOP = Alignment(vertical="top")
MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH, TEXT_WIDTH = 8, 40, 22, 60


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


class Layout:
    """Writes a sheet top to bottom and remembers how wide each column needs to be, how tall
    each row is, and where each table begins and ends (for the page breaks)."""

    def __init__(self, ws: Worksheet, columns: int, widths: tuple[int, ...] = ()) -> None:
        self.ws = ws
        self.columns = columns
        self.row = 1
        self.fixed = dict(enumerate(widths, start=1))
        self.widths: dict[int, int] = dict(self.fixed)
        self.heights: dict[int, float] = {}  # rows taller than the default
        self.blocks: list[tuple[int, int]] = []  # (first row, last row) of each table

    def fit(self, col: int, width: int) -> None:
        if col not in self.fixed:
            self.widths[col] = max(self.widths.get(col, MIN_WIDTH), width)

    def width(self, first: int, last: int) -> int:
        return sum(self.widths.get(c, MIN_WIDTH) for c in range(first, last + 1))

    def merge(self, row: int, first: int, last: int) -> None:
        if last > first:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    def merge_across(self, row: int, first: int) -> None:
        self.merge(row, first, self.columns)

    def height(self, row: int, points: float | None) -> None:
        self.ws.row_dimensions[row].height = points
        if points:
            self.heights[row] = points

    def title(self, text: str) -> None:
        cell = _put(self.ws, self.row, 1, Cell(text))
        cell.font = TITLE_FONT
        cell.alignment = Alignment(vertical="center")
        self.height(self.row, 24)
        self.merge_across(self.row, 1)
        self.row += 1

    def meta(self, pairs: list[tuple[str, Cell]]) -> None:
        # with fixed widths the label spans as many columns as it needs
        need = max([_width(name) + 2 for name, _ in pairs] or [0])
        span = 1
        while self.fixed and span < self.columns - 1 and self.width(1, span) < need:
            span += 1
        for name, value in pairs:
            _put(self.ws, self.row, 1, Cell(name)).font = HEADER_FONT
            _put(self.ws, self.row, span + 1, value)
            self.fit(1, need)
            self.merge(self.row, 1, span)
            self.merge_across(self.row, span + 1)
            self.row += 1

    def table(self, table: Table) -> int:
        """Writes the table; returns the row of its header."""
        self.row += 1  # a blank row between sections
        first_row = self.row
        section = _put(self.ws, self.row, 1, Cell(table.title))
        section.font = SECTION_FONT
        for col in range(1, self.columns + 1):
            self.ws.cell(row=self.row, column=col).fill = SECTION_FILL
        self.row += 1
        header_row = self.row
        span = table.span
        # the sheet column of each of the table's columns (the first may span several)
        at = [1] + [span + i for i in range(1, len(table.header))]
        last = at[-1]
        for i, name in enumerate(table.header):
            cell = _put(self.ws, self.row, at[i], Cell(name))
            cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            self.fit(at[i], min(_width(name), HEADER_WIDTH) + 2)
        self._spans(self.row, span, table.long_text, last)
        # the room of each column: the first spans `span` sheet columns
        room = [self.width(col, col + (span - 1 if i == 0 else 0)) for i, col in enumerate(at)]
        lines = max(_lines(n, w, 4) for n, w in zip(table.header, room, strict=True))
        if self.fixed and lines > 1:
            self.height(self.row, 15 * lines)
        self.row += 1
        if not table.rows:
            _put(self.ws, self.row, 1, Cell(table.empty)).font = EMPTY_FONT
            self.row += 1
        for r, values in enumerate(table.rows):
            lines = 1
            total = table.total_row and r == len(table.rows) - 1
            for i, value in enumerate(values):
                col = at[i]
                cell = _put(self.ws, self.row, col, value)
                cell.border = BORDER
                cell.alignment = TOP
                if total:
                    cell.font = HEADER_FONT
                shown = _shown(value)
                if table.long_text and col == last:
                    cell.alignment = WRAP
                    span_width = self.width(col, self.columns)
                    span_width = max(span_width, TEXT_WIDTH) if col == self.columns else span_width
                    lines = max(lines, _lines(shown, span_width))
                elif i in table.wrap or (col in self.fixed and _width(shown) + 1 > room[i]):
                    # free text, or a value wider than a column of fixed width: wrapped
                    cell.alignment = WRAP
                    lines = max(lines, _lines(shown, room[i], 3))
                else:
                    if "\n" in shown:
                        cell.alignment = WRAP
                        lines = max(lines, shown.count("\n") + 1)
                    self.fit(col, min(_width(shown) + 2, MAX_WIDTH))
            for col in range(2, span + 1):
                self.ws.cell(row=self.row, column=col).border = BORDER
            self._spans(self.row, span, table.long_text, last)
            if table.long_text and last == self.columns:
                self.fit(last, TEXT_WIDTH)
            if table.long_text or table.wrap or lines > 1:
                self.height(self.row, 15 * lines if lines > 1 else None)
            self.row += 1
        self.blocks.append((first_row, self.row - 1))
        return header_row

    def _spans(self, row: int, span: int, long_text: bool, last: int) -> None:
        self.merge(row, 1, span)
        if long_text:
            self.merge_across(row, last)

    def finish(self) -> None:
        for col, width in sorted(self.widths.items()):
            self.ws.column_dimensions[get_column_letter(col)].width = width


def _lines(text: str, width: int, slack: int = 0) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide (`slack`: the
    characters a line loses to wrapping at word ends and to a bold font)."""
    width = max(width - slack, 1)
    return sum(max(1, -(-_width(part) // width)) for part in text.split("\n"))
