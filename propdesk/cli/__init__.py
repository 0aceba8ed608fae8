"""`propdesk`, the one command line (pyproject's entry point: propdesk.cli.main:main).

Its parts, each a module of this package:

- main: the typer app, assembled from the commands below, and `--creds`;
- help: how `--help` reads (no value shown for a flag, `<ISO-8601>` for a time);
- run: `up`, `serve`, `asyncapi` (propdesk/runtime.py, propdesk/spec.py do the work);
- client: the bus as one command uses it (shared/messaging/client.py's `Bus`, tried once;
DeskUnavailable);
- common: the options every command shares, the consoles, `call_desk` and `send_command`;
- replies: how a command's answer is printed (what was done, what to tell the customer, errors);
- render: how the desk's records are printed (tickets, work orders, their histories);
- tables: the tables they print in, readable from 80 columns (the zone of their times said once);
- the desk's verbs: contact, ticket, workorder, escalation (`clock`, `notice`, `sim`), report;
- the operators' commands: replay and verify (with rebuild, what they share), access_log,
  events, parked, stream, backup (`backup`, `restore`), keys, trust (`sites`, `credentials`,
  `nats`).

The work behind the operators' commands lives beside this package: propdesk/backup.py,
restore.py, trust.py; the report files are propdesk/reports/.
"""
