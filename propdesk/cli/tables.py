"""The command line's tables, readable from 80 columns: `desk_table` (ids and numbers whole,
the rest wrapped, cut only where asked; the zone of its times said once), `print_table` (rows as
blocks where a table cannot be shown without breaking its words) and `print_list` (a list whose
rows are named by a number, its ids beside them only where there is room, no word broken across
lines)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.console import Console
from rich.measure import Measurement
from rich.table import Column, Table

from shared.kernel.local_time import TableTimes

# a ticket's columns of one word a cell, cut with "…" rather than broken on a narrow terminal
ONE_WORD = frozenset({"status", "kind", "category"})


def desk_table(
    title: str,
    columns: Sequence[str],
    whole: Collection[str] = (),
    times: TableTimes | None = None,
    cut: Collection[str] = (),
) -> Table:
    """A table that stays readable on a narrow terminal (80–120 columns): the `whole` columns —
    the numbers and ids people copy into the next command — are never cut or wrapped; the `cut`
    columns (one word a cell: a status, a kind, a category) end in "…" where a word does not fit;
    the others wrap where they must. `times`: its times' zone, said once below it when they
    share one (their cells then bare, wrapped between date and hour if need be)."""
    table = Table(title=title, caption=times.caption if times else None)
    for column in columns:
        if column in whole:
            table.add_column(column, no_wrap=True)
        else:
            table.add_column(column, overflow="ellipsis" if column in cut else "fold")
    return table


def _width(console: Console, table: Table) -> Measurement:
    """The narrowest `table` shows without breaking a word, and the widest it would take."""
    return Measurement.get(console, console.options.update_width(10_000), table)


def print_list(console: Console, table: Table, id_column: str) -> None:
    """A list whose first column, a number (a ticket's), names each row: the number is what
    people at the desk read out and copy, and every command takes it. The `id_column` it stands
    for (--json always has it) only where the table has room for it with every cell on one
    line: on a narrower terminal it would squeeze the other columns into broken words, and
    there the columns are fitted so that none breaks a word across lines."""
    if _width(console, table).maximum > console.width:
        table.columns = [c for c in table.columns if c.header != id_column]
        _fit_words(console, table)
    console.print(table)


SHORTEST_CUT = 4  # a cut column keeps three letters and its "…"


def _fit_words(console: Console, table: Table) -> None:
    """Widths for a desk_table's columns that break no word across lines: each column as wide
    as its longest word (a `whole` column as its longest cell), the room left given in column
    order up to each one's longest cell. Where the longest words do not fit, the `cut` columns
    give way, the widest first, their words ending in "…". Rich's own layout narrows the widest
    columns, into the middle of their words; it is left to do so only where even this fails."""
    room = console.width - (3 * len(table.columns) + 1)  # a border and a space each side
    columns = table.columns
    spans = [_span(console, column) for column in columns]
    widths = [s.maximum if c.no_wrap else s.minimum for c, s in zip(columns, spans, strict=True)]
    cuttable = [i for i, c in enumerate(columns) if c.overflow == "ellipsis" and not c.no_wrap]
    while sum(widths) > room and cuttable:
        widest = max(cuttable, key=lambda i: widths[i])
        if widths[widest] <= SHORTEST_CUT:
            return
        widths[widest] -= 1
    if sum(widths) > room:
        return
    for i, span in enumerate(spans):
        widths[i] += min(room - sum(widths), span.maximum - widths[i])
    for column, width in zip(columns, widths, strict=True):
        column.width = width


def _span(console: Console, column: Column) -> Measurement:
    """A column's longest word and longest line, its header among its cells."""
    options = console.options.update_width(10_000)
    found = [Measurement.get(console, options, cell) for cell in (column.header, *column.cells)]
    return Measurement(max(m.minimum for m in found), max(m.maximum for m in found))


def print_table(console: Console, table: Table) -> None:
    """`table` when the terminal is wide enough to show it without breaking a word; else its
    rows one after another, each a block of "column  value" lines (as the web console's tables
    become cards on a phone), not columns cut to a few letters each."""
    if _width(console, table).minimum <= console.width:
        console.print(table)
        return
    if table.title:
        console.print(table.title, style="bold")
    headers = [str(column.header) for column in table.columns]
    for row in zip(*(list(column.cells) for column in table.columns), strict=True):
        block = Table.grid(padding=(0, 2))
        block.add_column(style="bold", no_wrap=True, width=max(map(len, headers)))
        block.add_column(overflow="fold")
        for header, cell in zip(headers, row, strict=True):
            if cell:
                block.add_row(header, cell)
        console.print(block, "")
    if table.caption:
        console.print(table.caption)
