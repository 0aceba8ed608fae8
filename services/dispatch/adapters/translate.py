"""The one place where dispatch's domain events become published work-order contracts."""

from __future__ import annotations

from typing import Any

from services.dispatch.domain import WorkOrder
from shared.contracts import workorder_events
from shared.contracts.envelope import Envelope
from shared.messaging.publishing import envelope, mask

# domain event -> the envelope it is published in (desk.evt.<site>.workorder.<name>)
PUBLISHED: dict[type[WorkOrder.Event], type[Envelope]] = {
    WorkOrder.Issued: workorder_events.WorkOrderIssuedEvent,
    WorkOrder.Overridden: workorder_events.ClassificationOverriddenEvent,
    WorkOrder.Collected: workorder_events.WorkOrderCollectedEvent,
    WorkOrder.Assigned: workorder_events.TechnicianAssignedEvent,
    WorkOrder.Arrived: workorder_events.TechnicianArrivedEvent,
    WorkOrder.Rescheduled: workorder_events.WorkOrderRescheduledEvent,
    WorkOrder.Quoted: workorder_events.QuoteGivenEvent,
    WorkOrder.QuoteAccepted: workorder_events.QuoteAcceptedEvent,
    WorkOrder.QuoteDeclined: workorder_events.QuoteDeclinedEvent,
    WorkOrder.Completed: workorder_events.WorkOrderCompletedEvent,
    WorkOrder.AcceptanceConfirmed: workorder_events.AcceptanceConfirmedEvent,
    WorkOrder.SignedOff: workorder_events.WorkOrderSignedOffEvent,
    WorkOrder.Returned: workorder_events.WorkOrderReturnedEvent,
    WorkOrder.Referred: workorder_events.WorkOrderReferredEvent,
    WorkOrder.Cancelled: workorder_events.WorkOrderCancelledEvent,
}
ENVELOPE_FIELDS = frozenset(
    {"originator_id", "originator_version", "timestamp", "originator_topic", "site", "actor",
     "correlation_id", "causation_id"}
)  # fmt: skip
# Free text is masked; `content` is the ticket's as intake published it, masked again in case
# it was published before masking caught as much as it does now. Staff ids were checked at the
# edge (shared/contracts/base.py).
FREE_TEXT = ("reason", "notes", "comment", "note", "items", "actual_item", "content")


def translate(event: object) -> Envelope | None:
    published = PUBLISHED.get(type(event))
    if published is None:
        return None  # ticket files and receipts are dispatch's own records
    fields: dict[str, Any] = {k: v for k, v in event.__dict__.items() if k not in ENVELOPE_FIELDS}
    for key in FREE_TEXT:
        if isinstance(fields.get(key), str):
            fields[key] = mask(fields[key])
    data = published.data_model().model_validate(fields)
    return envelope(event, published.type_name(), data, None)
