"""The one command line, `propdesk`: its sub-commands, each from its module of propdesk/cli/
(see propdesk/cli/__init__.py), and the identity option every command shares."""

from __future__ import annotations

import faulthandler
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from propdesk.cli.access_log import access_log
from propdesk.cli.backup import backup, restore
from propdesk.cli.console import console_app
from propdesk.cli.contact import contact_app
from propdesk.cli.escalation import clock_app, notice_app, sim_app
from propdesk.cli.events import events_app
from propdesk.cli.help import DeskGroup
from propdesk.cli.incident import incident_app
from propdesk.cli.keys import keys_app
from propdesk.cli.parked import parked_app
from propdesk.cli.promise import promise_app
from propdesk.cli.queues import ticket_search, workorder_list
from propdesk.cli.replay import replay
from propdesk.cli.report import report_app
from propdesk.cli.residents import residents_app
from propdesk.cli.rounds import rounds_app
from propdesk.cli.run import asyncapi, serve, up
from propdesk.cli.shift import shift_app, ticket_hand_over
from propdesk.cli.stream import stream_app
from propdesk.cli.ticket import ticket_app
from propdesk.cli.trust import credentials_app, nats_app, sites_app
from propdesk.cli.verify import verify
from propdesk.cli.violation import violation_app
from propdesk.cli.violation_ops import erase, retention
from propdesk.cli.visits import survey_app, visits_app
from propdesk.cli.workorder import workorder_app
from propdesk.demo.command import demo

app = typer.Typer(
    cls=DeskGroup,  # how --help reads (propdesk/cli/help.py)
    no_args_is_help=True,
    help="PropDesk: the property customer-service desk.",
)
# the queues' queries beside each group's verbs (propdesk/cli/queues.py)
ticket_app.command("search")(ticket_search)
workorder_app.command("list")(workorder_list)
violation_app.command("retention")(retention)  # as ops (propdesk/cli/violation_ops.py)
violation_app.command("erase")(erase)
ticket_app.command("hand-over")(ticket_hand_over)  # first-contact ownership (R10.1)

# the groups and the top-level commands, each table in the order --help lists it
GROUPS: dict[str, typer.Typer] = {
    "contact": contact_app,
    "ticket": ticket_app,
    "incident": incident_app,
    "promise": promise_app,
    "workorder": workorder_app,
    "clock": clock_app,
    "notice": notice_app,
    "sim": sim_app,
    "report": report_app,
    "rounds": rounds_app,  # inspection rounds (docs/INSPECTION.md)
    "shift": shift_app,  # the shift log (docs/SHIFTS.md)
    "visits": visits_app,  # proactive visits (docs/VISITS.md)
    "survey": survey_app,  # satisfaction surveys (docs/VISITS.md)
    "residents": residents_app,  # the resident file (docs/RESIDENTS.md)
    "events": events_app,
    "sites": sites_app,
    "credentials": credentials_app,
    "nats": nats_app,
    "stream": stream_app,
    "keys": keys_app,
    "parked": parked_app,
    "console": console_app,
    "violation": violation_app,
}
COMMANDS: dict[str, Callable[..., None]] = {
    "demo": demo,
    "replay": replay,
    "verify": verify,
    "access-log": access_log,
    "backup": backup,
    "restore": restore,
    "up": up,
    "serve": serve,
    "asyncapi": asyncapi,
}
for name, group in GROUPS.items():
    app.add_typer(group, name=name)
for name, command in COMMANDS.items():
    app.command(name)(command)


@app.callback()
def identity(
    creds: Annotated[
        Path | None,
        typer.Option(
            "--creds",
            envvar="PROPDESK_CREDS",
            help="Your credential file (default: the one of the identity a command needs, "
            "<data-dir>/credentials/<identity>.nk: site-<site> for a site's commands)",
        ),
    ] = None,
) -> None:
    """PropDesk: the property customer-service desk."""
    if creds is not None:
        os.environ["PROPDESK_CREDS"] = str(creds)  # every client reads it (shared.kernel.settings)


def main() -> None:
    # `kill -USR1 <pid>` prints every thread's stack to stderr: for an operator facing a hang.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    faulthandler.enable(all_threads=True)  # and a crash leaves its stacks, not just a signal
    app()
