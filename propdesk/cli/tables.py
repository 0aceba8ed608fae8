"""The command line's tables, readable from 80 columns: `desk_table` (ids and numbers whole,
the rest wrapped, never cut; the zone of its times said once), `print_table` (rows as blocks
where a table cannot be shown without breaking its words) and `print_list` (a list whose rows
are named by a number, its ids beside them only where there is room)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from shared.kernel.local_time import TableTimes


def desk_table(
    title: str,
    columns: Sequence[str],
    whole: Collection[str] = (),
    times: TableTimes | None = None,
) -> Table:
    """A table that stays readable on a narrow terminal (80–120 columns): the `whole` columns —
    the numbers and ids people copy into the next command — are never cut or wrapped; the others
    wrap where they must, none is cut to an ellipsis. `times`: its times' zone, said once below
    it when they share one (their cells then bare, wrapped between date and hour if need be)."""
    table = Table(title=title, caption=times.caption if times else None)
    for column in columns:
        if column in whole:
            table.add_column(column, no_wrap=True)
        else:
            table.add_column(column, overflow="fold")
    return table


def _width(console: Console, table: Table) -> Measurement:
    """The narrowest `table` shows without breaking a word, and the widest it would take."""
    return Measurement.get(console, console.options.update_width(10_000), table)


def print_list(console: Console, table: Table, id_column: str) -> None:
    """A list whose first column, a number (a ticket's), names each row: the number is what
    people at the desk read out and copy, and every command takes it. The `id_column` it stands
    for (--json always has it) only where the table has room for it with every cell on one
    line: on a narrower terminal it would squeeze the other columns into broken words."""
    if _width(console, table).maximum > console.width:
        table.columns = [c for c in table.columns if c.header != id_column]
    console.print(table)


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
