"""The XLSX workbook (openpyxl), laid out like the paper 《客户投诉(建议、咨询)月汇总表》: a frozen
title, then one titled section after another, each a small bordered table with bold bilingual
headers.

The bytes depend on the report only: the document's dates and every zip entry's time are the
report's `as_of`. How a sheet is laid out is xlsx_layout.py's, how it prints xlsx_print.py's."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from propdesk.report_files.document import Document, Sheet
from propdesk.report_files.xlsx_layout import Layout
from propdesk.report_files.xlsx_print import print_setup


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


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    columns = max([2, len(sheet.widths), *(len(t.header) + t.span - 1 for t in sheet.tables)])
    layout = Layout(ws, columns, sheet.widths)
    layout.title(sheet.title)
    layout.meta(sheet.meta)
    ws.freeze_panes = ws.cell(row=layout.row, column=1)  # the title and its lines stay in view
    titles = 1  # the rows printed on every page: the title, or down to a list's header
    for table in sheet.tables:
        header_row = layout.table(table)
        if table.key == sheet.frozen_header:
            ws.freeze_panes = ws.cell(row=header_row + 1, column=sheet.frozen_columns + 1)
        if table.key == sheet.print_header:
            titles = header_row
    layout.finish()
    ws.sheet_view.zoomScale = 100
    print_setup(ws, layout, sheet, titles)
