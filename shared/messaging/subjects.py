"""NATS subject names: the only place that knows how subjects are spelled.

Commands  desk.cmd.<site>.<service>.<verb>   (request/reply)
Queries   desk.qry.<site>.<name>             (request/reply, <name> may be dotted)
Events    desk.evt.<site>.<aggregate>.<event> (JetStream stream DESK)
Notices   desk.ntf.<site>.<role>              (JetStream stream NOTICES)
Sim clock desk.sim.clock.set                  (request/reply; `propdesk up --clock simulated`)
Ops       desk.ops.<service>.<verb>           (request/reply; the operators' tools, no site)
Alerts    desk.alert.<service>                (to ops: JetStream filling up …; core NATS)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.kernel.identifiers import COMPANY as COMPANY  # subjects name sites by these rules
from shared.kernel.identifiers import is_valid_site as is_valid_site

if TYPE_CHECKING:
    from shared.contracts.envelope import Envelope

_EVENTS = "desk.evt"
STREAM = "DESK"
EVENTS_ALL = f"{_EVENTS}.>"
NOTICES = "NOTICES"
NOTICES_ALL = "desk.ntf.>"
SIM_CLOCK_SET = "desk.sim.clock.set"
OPS_REPORTING_SWITCH = "desk.ops.reporting.switch"  # `propdesk replay`: serve a rebuilt view
OPS_REPORTING_CHECKSUM = "desk.ops.reporting.checksum"  # `propdesk verify`: position, checksum
OPS_INTAKE_ACCESS_LOG = "desk.ops.intake.access_log"  # `propdesk access-log`: refused looks
ALERTS_ALL = "desk.alert.>"  # what ops may listen to
OPS_ALL = "desk.ops.>"  # what ops may ask
_COMMANDS = "desk.cmd."


def command(site: str, service: str, verb: str) -> str:
    return f"{_COMMANDS}{site}.{service}.{verb}"


def site_commands(site: str) -> str:
    """Every command of one site, to every service."""
    return f"desk.cmd.{site}.>"


def ops(service: str, verb: str) -> str:
    """An operators' request to one service (no site)."""
    return f"desk.ops.{service}.{verb}"


def alert(service: str) -> str:
    """Where a service's process raises alerts to ops."""
    return f"desk.alert.{service}"


def query(site: str, name: str) -> str:
    return f"desk.qry.{site}.{name}"


def notice(site: str, role: str) -> str:
    return f"desk.ntf.{site}.{role}"


def ops_stream(service: str, verb: str) -> str:
    """`propdesk stream status|republish|adopt`: which DESK a service's readers follow."""
    return f"desk.ops.{service}.stream.{verb}"


def ops_parked(service: str, verb: str) -> str:
    """`propdesk parked list|show|retry`: the events a service's consumers parked."""
    return f"desk.ops.{service}.parked.{verb}"


def event(site: str, event_type: str) -> str:
    """Where an event of `site` is published on DESK (`event_type`, e.g. `ticket.reported`)."""
    return f"{_EVENTS}.{site}.{event_type}"


def subject_of(envelope: Envelope) -> str:
    """The subject an event is published on."""
    return event(envelope.site, envelope.event_type)  # type: ignore[attr-defined]


def event_pattern(event_type: str, site: str = "*") -> str:
    """Events of one type, or of a wildcard (`ticket.>`), of every site (or of `site`)."""
    return event(site, event_type)


def site_events(site: str) -> str:
    """Every event of one site on the stream DESK."""
    return event(site, ">")


def event_type_of(subject: str) -> str:
    """The event type an event subject carries, e.g. `ticket.reported` ('' for any other
    subject)."""
    tokens = subject.split(".", 3)
    return tokens[3] if len(tokens) == 4 and f"{tokens[0]}.{tokens[1]}" == _EVENTS else ""


def command_pattern(service: str, verb: str) -> str:
    """Wildcard subscription over every site (the site is validated from the subject)."""
    return f"desk.cmd.*.{service}.{verb}"


def query_pattern(name: str) -> str:
    return f"desk.qry.*.{name}"


def is_command(subject: str) -> bool:
    """A command's subject (desk.cmd.…), as opposed to a query's."""
    return subject.startswith(_COMMANDS)


def site_of(subject: str) -> str:
    """The site token of any desk.* subject ('' when the subject has none)."""
    parts = subject.split(".")
    return parts[2] if len(parts) > 2 else ""
