"""How `--help` reads: honest and compact at 80 columns.

Typer prints a type beside every option. For a flag it prints `<bool>`, though a flag takes no
value; a datetime with formats prints them all, and a ranged int prints `<int range>` before
its range. `DeskGroup`, the class of the root app, tidies every command once typer has built
the tree: flags show nothing there, ranged ints show `<int>`. Times are declared with
`metavar=ISO_TIME` where they are taken. In a group's list of commands, a command's first
paragraph is shown joined, not broken where its docstring's lines happen to end."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

ISO_TIME = "<ISO-8601>"  # a time an option takes: ISO 8601 with its offset (common.aware_time)


class DeskGroup(TyperGroup):
    """The root `propdesk` group: typer builds it with every sub-command in place, and adds its
    completion flags after."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        tidy(self)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        tidy_options(self)  # --install-completion and --show-completion, added since
        super().format_help(ctx, formatter)


def tidy(command: Any) -> None:
    """Tidy `command`'s options and its sub-commands', all the way down."""
    tidy_options(command)
    for sub in getattr(command, "commands", {}).values():
        if sub.help and not sub.short_help:
            first, _, _ = sub.help.partition("\n\n")
            sub.short_help = " ".join(first.split())
        tidy(sub)


def tidy_options(command: Any) -> None:
    ctx = typer.Context(command)
    help_option = command.get_help_option(ctx)
    for param in [*command.params, *([help_option] if help_option else [])]:
        if getattr(param, "is_flag", False):
            param.metavar = ""  # shown as is, in place of the type
        elif param.display_type(ctx) == "<int range>":
            param.metavar = "<int>"  # typer still prints the range beside it
