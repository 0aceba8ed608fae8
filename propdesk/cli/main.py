"""The one command line, `propdesk`: its sub-commands, each from its module of propdesk/cli/
(see propdesk/cli/__init__.py), and the identity option every command shares."""

from __future__ import annotations

import faulthandler
import os
import signal
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
app.add_typer(contact_app, name="contact")
app.add_typer(ticket_app, name="ticket")
app.add_typer(incident_app, name="incident")
app.add_typer(promise_app, name="promise")
app.add_typer(workorder_app, name="workorder")
app.add_typer(clock_app, name="clock")
app.add_typer(notice_app, name="notice")
app.add_typer(sim_app, name="sim")
app.add_typer(report_app, name="report")
app.add_typer(rounds_app, name="rounds")  # inspection rounds (docs/INSPECTION.md)
app.add_typer(shift_app, name="shift")  # the shift log (docs/SHIFTS.md)
app.add_typer(visits_app, name="visits")  # proactive visits (docs/VISITS.md)
app.add_typer(survey_app, name="survey")  # satisfaction surveys (docs/VISITS.md)
app.add_typer(residents_app, name="residents")  # the resident file (docs/RESIDENTS.md)
app.add_typer(events_app, name="events")
app.add_typer(sites_app, name="sites")
app.add_typer(credentials_app, name="credentials")
app.add_typer(nats_app, name="nats")
app.add_typer(stream_app, name="stream")
app.add_typer(keys_app, name="keys")
app.add_typer(parked_app, name="parked")
app.add_typer(console_app, name="console")
app.add_typer(violation_app, name="violation")

app.command("demo")(demo)
app.command("replay")(replay)
app.command("verify")(verify)
app.command("access-log")(access_log)
app.command("backup")(backup)
app.command("restore")(restore)
app.command("up")(up)
app.command("serve")(serve)
app.command("asyncapi")(asyncapi)


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
