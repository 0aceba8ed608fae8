"""Reporting's notices view records a notice's end (`escalation.notification_ended`, R6.3) and
`notice.list` says it: `ended` `{why, at}`, absent while what it is about goes on. The notice
stays open (`open` lists it) until someone acknowledges it; a view rebuilt from the same stream,
in any batches, has the same checksum, and a notice that never ended keeps the row it had."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import uuid4

from services.escalation.adapters.translate import translate
from services.escalation.domain import Notice
from services.reporting.projections.service_levels import SERVICE_LEVELS
from services.reporting.queries.tickets import list_notices
from services.reporting.views.tickets import TicketView
from shared.contracts.escalation_events import EscalationNotificationEndedEvent, ListNotices
from shared.messaging.inbox import Delivery, decode
from tests.unit.test_complaint_received import LATER
from tests.unit.test_notice_ends import a_complaint_told
from tests.unit.test_notification_ended import cancel, stored


def published(app: Any) -> list[Delivery]:
    envelopes = [p for e in stored(app) if (p := translate(e)) is not None]
    return [Delivery(seq, e) for seq, e in enumerate(envelopes, start=1)]


def listed(view: TicketView, **query: Any) -> list[dict[str, Any]]:
    return list_notices(view, "hbw", ListNotices(**query))["notices"]


def test_a_cancelled_complaints_notice_is_listed_ended_and_still_open_R6_3(tmp_path: Path):
    _, app, feed = a_complaint_told()
    view = TicketView(str(tmp_path / "view.db"))
    view.apply(published(app))
    (before,) = listed(view)
    assert "ended" not in before  # what it is about goes on
    assert list_notices(view, "hbw", ListNotices(count=True))["waiting"] == 1
    cancel(feed)
    view.apply(published(app))  # the same stream again, and the end
    (ended,) = listed(view, open=True)  # nobody acknowledged it: still open
    # written as the notice's own times are (raised_at): UTC as Z, like every contract time
    assert ended["ended"] == {"why": "cancelled", "at": LATER.isoformat().replace("+00:00", "Z")}
    # owed no more: not counted as waiting (the console's 未确认通知), though `open` lists it
    waiting = list_notices(view, "hbw", ListNotices(count=True))["waiting"]
    assert waiting == 0
    assert ended | {"ended": None} == before | {"ended": None}  # the rest as it was
    view.close()


def test_an_ended_notice_acknowledged_after_says_both_R6_3(tmp_path: Path):
    _, app, feed = a_complaint_told()
    cancel(feed)
    (notice,) = [e.originator_id for e in stored(app) if isinstance(e, Notice.Ended)]
    her = app.get(notice, Notice)
    her.acknowledge("S02", "corr-2", None, None, LATER)  # her 签收, late: still taken
    app.save(her)
    view = TicketView(str(tmp_path / "view.db"))
    view.apply(published(app))
    assert listed(view, open=True) == []
    (row,) = listed(view)
    assert (row["ended"]["why"], row["acknowledged_by"]) == ("cancelled", "S02")
    view.close()


def test_a_view_of_the_ends_rebuilt_in_any_batches_has_the_same_checksum(tmp_path: Path):
    _, app, feed = a_complaint_told()
    cancel(feed)
    stream = published(app)
    whole, one_by_one = (TicketView(str(tmp_path / f"{n}.db")) for n in ("whole", "each"))
    whole.apply(stream)
    for delivery in stream:
        one_by_one.apply([delivery])
    one_by_one.apply(stream)  # redelivered: the end is recorded once
    assert whole.checksum() == one_by_one.checksum()
    assert listed(whole) == listed(one_by_one)
    whole.close()
    one_by_one.close()


def test_the_tickets_service_levels_say_its_notice_ended_as_notice_list_does_R6_3(
    tmp_path: Path,
):
    _, app, feed = a_complaint_told()
    cancel(feed)
    stream = published(app)
    (notice,) = listed_after(tmp_path, stream)
    state = SERVICE_LEVELS.fold([d.envelope for d in stream])
    assert state is not None
    (told,) = state["notifications"].values()
    assert notice["ended"] == {"why": "cancelled", "at": "2026-11-23T03:00:00Z"}
    # the same end, its time written as the entry's raised_at and acknowledged_at are
    assert told["ended"] == {"why": "cancelled", "at": "2026-11-23T03:00:00+00:00"}


def test_an_end_heard_twice_or_of_a_notice_the_ticket_never_had_changes_nothing(
    tmp_path: Path,
):
    _, app, feed = a_complaint_told()
    cancel(feed)
    stream = [d.envelope for d in published(app)]
    [end] = [e for e in stream if isinstance(e, EscalationNotificationEndedEvent)]
    state = SERVICE_LEVELS.fold(stream)
    assert SERVICE_LEVELS.evolve(state, end) is None  # republished: already applied
    stranger = end.model_copy(update={
        "data": end.data.model_copy(update={"notification_id": uuid4()}),
        "aggregate_id": uuid4()})  # fmt: skip
    assert SERVICE_LEVELS.evolve(state, stranger) is None  # not one of this ticket's


def listed_after(tmp_path: Path, stream: list[Delivery]) -> list[dict[str, Any]]:
    view = TicketView(str(tmp_path / "after.db"))
    view.apply(stream)
    found = listed(view)
    view.close()
    return found


ENDED = "desk.evt.hbw.escalation.notification_ended"


def later_end(app: Any, why: str) -> bytes:
    """The published end of the cancelled complaint's notice, with `why` in place of its code:
    what a later escalation, or a broken one, would publish."""
    (end,) = [d.envelope for d in published(app)
              if isinstance(d.envelope, EscalationNotificationEndedEvent)]  # fmt: skip
    body = json.loads(end.model_dump_json())
    body["data"]["why"] = why
    return json.dumps(body).encode()


def test_an_end_with_a_code_this_version_does_not_know_is_listed_with_it_not_parked_R6_3(
    tmp_path: Path,
):
    """The set of `why` is open (contract §20.2): an older reporting reads a code a later
    escalation added, lists the notice as ended with it (the desk shows it as it came), and
    parks nothing; a `why` that is not a code at all is still unreadable."""
    _, app, feed = a_complaint_told()
    view = TicketView(str(tmp_path / "view.db"))
    view.apply(published(app))
    cancel(feed)
    delivery = decode(99, later_end(app, "roof_sealed"), ENDED)
    assert delivery.error is None and delivery.envelope is not None
    view.apply([delivery])
    (row,) = listed(view)
    assert row["ended"]["why"] == "roof_sealed"
    assert list_notices(view, "hbw", ListNotices(count=True))["waiting"] == 0  # owed no more
    view.close()

    for not_a_code in ("Roof sealed!", "x" * 41, ""):
        broken = decode(99, later_end(app, not_a_code), ENDED)
        assert broken.envelope is None and broken.error is not None
        assert "notification_ended.data.why" in broken.error
