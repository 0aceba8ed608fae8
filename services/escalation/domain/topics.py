"""The topics older stores name escalation's classes by (eventsourcing's `module:QualName`),
registered next to each class so that those stores still load:

- before the domain became a package, every class was in `services.escalation.domain`
  (`services.escalation.domain:Board.ClockStarted`, `…:Notice.Raised`, `…:OrderLink.Linked`);
- before `Board` became `TicketClocks`, with each event beside the job that records it, the
  board and its events were `services.escalation.domain.ticket_clocks:Board.<Event>`.
"""

from __future__ import annotations

from eventsourcing.utils import register_topic

OLD_MODULE = "services.escalation.domain"
BOARD_MODULES = (OLD_MODULE, "services.escalation.domain.ticket_clocks")
BOARD = "Board"


def keep_old_topics(aggregate: type) -> None:
    """Register the old topic of `aggregate` and of every event class nested in it."""
    register_topic(f"{OLD_MODULE}:{aggregate.__qualname__}", aggregate)
    for value in vars(aggregate).values():
        if isinstance(value, type) and value.__qualname__.startswith(f"{aggregate.__qualname__}."):
            register_topic(f"{OLD_MODULE}:{value.__qualname__}", value)


def keep_board_topics(ticket_clocks: type) -> None:
    """Register `Board` and `Board.<Event>`, in both old modules, for `ticket_clocks` and each
    event it names (by the attribute it names it by, the name the event was nested under)."""
    for module in BOARD_MODULES:
        register_topic(f"{module}:{BOARD}", ticket_clocks)
        for name, event in board_events(ticket_clocks).items():
            register_topic(f"{module}:{BOARD}.{name}", event)


def board_events(ticket_clocks: type) -> dict[str, type]:
    """The events `ticket_clocks` names, by name (its `Event` base among them)."""
    base = ticket_clocks.Event
    return {
        name: value
        for name, value in vars(ticket_clocks).items()
        if isinstance(value, type) and issubclass(value, base)
    }
