"""Work orders and ticket files stored before dispatch's domain became a package (issue 12) name
their classes `services.dispatch.domain:WorkOrder…` and `services.dispatch.domain:TicketFile…`:
such a store still loads, into the same orders and files."""

from __future__ import annotations

from dataclasses import replace

from services.dispatch.domain import TicketFile, WorkOrder

OLD_MODULE = "services.dispatch.domain"


def _as_stored_before(topic: str) -> str:
    module, _, name = topic.partition(":")
    return f"{OLD_MODULE}:{name}" if module.startswith(f"{OLD_MODULE}.") else topic


def _stored_before(app, record):
    """The record as the code before the move wrote it: its topic, and in the created event's
    state the aggregate's topic, name the old module."""
    state = app.mapper.transcoder.decode(record.state)
    if "originator_topic" in state:
        state["originator_topic"] = _as_stored_before(state["originator_topic"])
    return replace(
        record, topic=_as_stored_before(record.topic), state=app.mapper.transcoder.encode(state)
    )


def test_events_stored_under_the_old_topics_load_into_the_same_aggregates(desk):
    ticket = desk.report(content="顶层屋面渗水")
    order_id = desk.order(ticket).id
    desk.walk(order_id, "collect", "assign", "arrive", "complete", "confirm_acceptance")
    app = desk.app
    for aggregate_id, kind in ((order_id, WorkOrder), (ticket.id, TicketFile)):
        stored = app.recorder.select_events(aggregate_id)
        old = [_stored_before(app, s) for s in stored]
        assert all(s.topic.startswith(f"{OLD_MODULE}:{kind.__name__}.") for s in old)
        created = app.mapper.transcoder.decode(old[0].state)
        assert created["originator_topic"] == f"{OLD_MODULE}:{kind.__name__}"
        loaded = None
        for record in old:
            loaded = app.mapper.to_domain_event(record).mutate(loaded)
        now = app.get(aggregate_id, kind)
        assert type(loaded) is kind
        assert vars(loaded) == vars(now)
